//! Unix `ar` archives, read by hand (a 60-byte header per member): `.deb` packages (members
//! `debian-binary`, `control.tar.*`, `data.tar.*`, stepped `deb:<member>`) and static libraries
//! (`ar:<member>`). The `ar` crate would add a dependency for these forty lines; reading by hand
//! also keeps every size checked against the bytes present.

use super::{Member, Out, copy_capped, limit, malformed};

const MAGIC: &[u8] = b"!<arch>\n";
const HEADER: usize = 60;

pub(super) fn expand(data: &[u8], out: &mut Out) {
    let deb = data
        .get(MAGIC.len()..MAGIC.len() + 16)
        .is_some_and(|n| n.starts_with(b"debian-binary"));
    let prefix = if deb { "deb" } else { "ar" };
    // GNU long names: `//` holds them, `/<offset>` points into it.
    let mut long_names: &[u8] = &[];
    let mut at = MAGIC.len();
    let mut n = 0;
    while at < data.len() {
        if out.budget.spent() {
            return;
        }
        let Some(h) = data.get(at..at + HEADER) else {
            return out.problem(malformed(format!(
                "corrupt {prefix} archive: truncated header"
            )));
        };
        if &h[58..60] != b"`\n" {
            return out.problem(malformed(format!("corrupt {prefix} archive: bad header")));
        }
        let size = std::str::from_utf8(&h[48..58])
            .ok()
            .and_then(|s| s.trim().parse::<usize>().ok());
        let start = at + HEADER;
        let Some(end) = size
            .and_then(|s| start.checked_add(s))
            .filter(|&e| e <= data.len())
        else {
            return out.problem(malformed(format!(
                "corrupt {prefix} archive: bad member size"
            )));
        };
        let body = &data[start..end];
        // Members are aligned to two bytes.
        at = end + (end & 1);
        let raw = String::from_utf8_lossy(&h[..16]).trim_end().to_string();
        let name = match raw.as_str() {
            "//" => {
                long_names = body;
                continue;
            }
            "/" | "/SYM64/" | "__.SYMDEF" | "__.SYMDEF SORTED" => continue,
            r if r.starts_with('/') => long_name(long_names, &r[1..]).unwrap_or(raw.clone()),
            r => r.trim_end_matches('/').to_string(),
        };
        if out.full(n) {
            let max = out.max;
            return out.problem(limit(format!(
                "member cap ({max}) reached; rest of the archive skipped"
            )));
        }
        n += 1;
        let bytes = copy_capped(body, out.budget, out.problems);
        (out.visit)(Member::new(format!("{prefix}:{name}"), name, bytes));
    }
}

fn long_name(table: &[u8], offset: &str) -> Option<String> {
    let start: usize = offset.parse().ok()?;
    let rest = table.get(start..)?;
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    Some(
        String::from_utf8_lossy(&rest[..end])
            .trim_end_matches('/')
            .to_string(),
    )
}
