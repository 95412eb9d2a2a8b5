//! Reading values people type: sizes with units, and TOML errors turned into one line naming
//! the file, the line and the key.

use crate::error::Error;

/// A TOML error as one line naming the file, the line and the key.
pub(crate) fn toml_error(origin: &str, text: &str, e: &toml::de::Error) -> Error {
    let msg = crate::rules::one_line(e.message());
    match e.span().map(|s| key_at(text, s.start)) {
        Some((line, Some(key))) => Error::Config(format!("{origin}:{line}: {key}: {msg}")),
        Some((line, None)) => Error::Config(format!("{origin}:{line}: {msg}")),
        None => Error::Config(format!("{origin}: {msg}")),
    }
}

/// The 1-based line of `offset` and the dotted key being defined there, found by looking back
/// for the assignment and the table header it belongs to.
fn key_at(text: &str, offset: usize) -> (usize, Option<String>) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    let line_no = before.matches('\n').count() + 1;
    let lines: Vec<&str> = text.lines().collect();
    let mut key = None;
    let mut table = None;
    for l in lines.iter().take(line_no).rev() {
        let t = l.trim();
        if t.starts_with('[') {
            let name = t.trim_start_matches('[');
            let name = name.split(']').next().unwrap_or("").trim();
            table = Some(name.to_string());
            break;
        }
        if key.is_none()
            && let Some((k, _)) = t.split_once('=')
        {
            let k = k.trim();
            if !k.is_empty() && !k.starts_with('#') && !k.contains(['"', '\'', ' ']) {
                key = Some(k.to_string());
            }
        }
    }
    let full = match (table, key) {
        (Some(t), Some(k)) => Some(format!("{t}.{k}")),
        (None, Some(k)) => Some(k),
        (Some(t), None) => Some(t),
        (None, None) => None,
    };
    (line_no, full)
}

/// Parse `64MiB`, `10M`, `512k`, `1G` or a plain number of bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("invalid size {s:?}: expected a number with an optional unit"))?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("invalid size {s:?}: unknown unit {other:?}")),
    };
    n.checked_mul(mult)
        .ok_or_else(|| format!("invalid size {s:?}: too large"))
}
