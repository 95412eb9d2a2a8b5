//! dotenv files: `KEY=value` lines, `export KEY=value`, single or double quotes (possibly over
//! several lines), `#` comments.
//!
//! Each value becomes a context span named by its key. A double-quoted value with escapes
//! (`\n`, `\"`) is also scanned unescaped, as `KEY: value`, so a private key stored with `\n`
//! escapes reads as the PEM block it stands for; positions map back exactly. Entries whose key
//! may name a secret go to the settings field rules (`settings.rs`).

use super::{Anchor, Decoded, Mapped, keyed, settings};

/// Decode a dotenv file.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let mut i = 0;
    while i < data.len() {
        let line_end = memchr::memchr(b'\n', &data[i..]).map_or(data.len(), |n| i + n);
        i = match entry(data, i, line_end, &mut out) {
            Some(next) => next,
            None => line_end + 1,
        };
    }
    out
}

/// Parse one `KEY=value` starting at `i`; returns where the next line starts.
fn entry(data: &[u8], mut i: usize, line_end: usize, out: &mut Decoded) -> Option<usize> {
    let skip_ws = |mut j: usize| {
        while j < line_end && matches!(data[j], b' ' | b'\t') {
            j += 1;
        }
        j
    };
    i = skip_ws(i);
    if data[i..line_end].starts_with(b"export ") {
        i = skip_ws(i + 7);
    }
    let key_start = i;
    while i < line_end && (data[i].is_ascii_alphanumeric() || matches!(data[i], b'_' | b'.' | b'-'))
    {
        i += 1;
    }
    if i == key_start {
        return None;
    }
    let key = std::str::from_utf8(&data[key_start..i]).ok()?;
    i = skip_ws(i);
    if data.get(i) != Some(&b'=') {
        return None;
    }
    i = skip_ws(i + 1);
    match data.get(i) {
        Some(&q @ (b'"' | b'\'')) => {
            let close = closing_quote(data, i + 1, q)?;
            let range = i + 1..close;
            out.spans.push((range.clone(), key.to_string()));
            out.derived
                .extend(settings::entry(key, key_start, data, range.clone()));
            if q == b'"' && data[range.clone()].contains(&b'\\') {
                let m = unescape(data, range.clone());
                let d = keyed(key, key_start, &m.text, &Anchor::Map(m.map));
                out.derived.push(d.context(key).replaces(range));
            }
            Some(memchr::memchr(b'\n', &data[close..]).map_or(data.len(), |n| close + n) + 1)
        }
        _ => {
            let mut end = i;
            while end < line_end && !(data[end] == b'#' && end > i && data[end - 1] == b' ') {
                end += 1;
            }
            let range = super::trim(data, i..end);
            if !range.is_empty() {
                out.derived
                    .extend(settings::entry(key, key_start, data, range.clone()));
                out.spans.push((range, key.to_string()));
            }
            None
        }
    }
}

/// The offset of the quote closing a value opened at `from - 1` (backslash escapes skipped).
fn closing_quote(data: &[u8], from: usize, q: u8) -> Option<usize> {
    let mut j = from;
    while j < data.len() {
        match data[j] {
            b'\\' if q == b'"' => j += 2,
            b if b == q => return Some(j),
            _ => j += 1,
        }
    }
    None
}

/// Undo `\n`, `\r`, `\t`, `\"`, `\\` (the escapes dotenv loaders honour).
fn unescape(data: &[u8], range: std::ops::Range<usize>) -> Mapped {
    let mut out = Mapped::default();
    let mut run = range.start;
    let mut j = range.start;
    while j < range.end {
        if data[j] == b'\\' && j + 1 < range.end {
            out.push(&data[run..j], run);
            let c = match data[j + 1] {
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                other => other,
            };
            out.push(&[c], j);
            j += 2;
            run = j;
        } else {
            j += 1;
        }
    }
    out.push(&data[run..range.end], run);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_quotes_comments_and_export() {
        let text = b"# c\nexport A=1 # note\nB = 'x y'\nC=\"multi\nline\"\nD=\n  E=plain\n";
        let d = decode(text);
        let spans: Vec<(&[u8], &str)> = d
            .spans
            .iter()
            .map(|(r, k)| (&text[r.clone()], k.as_str()))
            .collect();
        assert_eq!(
            spans,
            vec![
                (&b"1"[..], "A"),
                (b"x y", "B"),
                (b"multi\nline", "C"),
                (b"plain", "E")
            ]
        );
        assert!(d.derived.is_empty());
        let d = decode(b"DB_PASSWORD=letmein # old\nexport API_TOKEN='x y'\n");
        let got: Vec<&[u8]> = d.derived.iter().map(|x| x.data.as_slice()).collect();
        assert_eq!(got, [&b"DB_PASSWORD: letmein"[..], b"API_TOKEN: x y"]);
    }

    #[test]
    fn escaped_values_are_rescanned_with_their_key() {
        let text = b"KEY=\"-----BEGIN X-----\\nabc\\n\"\n";
        let d = decode(text);
        assert_eq!(d.derived.len(), 1);
        let k = &d.derived[0];
        assert_eq!(k.data, b"KEY: -----BEGIN X-----\nabc\n");
        let a = k.data.iter().position(|&b| b == b'a').unwrap();
        let at = k.anchor.map(a).unwrap();
        assert_eq!(&text[at..at + 3], b"abc");
    }
}
