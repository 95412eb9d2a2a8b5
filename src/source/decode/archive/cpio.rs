//! cpio archives (the "new ASCII" format, `070701`/`070702`: RPM payloads, initramfs images) and
//! RPM packages, both read by hand. An RPM is a 96-byte lead, a signature header and a header
//! (skipped by their own index counts and sizes, each checked against the bytes present), then
//! a compressed cpio payload: the payload is decompressed under the budget and its files are
//! stepped `rpm:<path>`.

use super::{Member, Out, copy_capped, limit, malformed, sniff};

const HEADER: usize = 110;
const TRAILER: &[u8] = b"TRAILER!!!";

/// The magic and 104 hex digits of a header: text that merely starts `070701` is not cpio.
pub(super) fn is_cpio(data: &[u8]) -> bool {
    data.get(..HEADER).is_some_and(|h| {
        (h.starts_with(b"070701") || h.starts_with(b"070702"))
            && h[6..].iter().all(u8::is_ascii_hexdigit)
    })
}

pub(super) fn expand(data: &[u8], prefix: &str, out: &mut Out) {
    let mut at = 0;
    let mut n = 0;
    while at < data.len() {
        if out.budget.spent() {
            return;
        }
        let Some(h) = data.get(at..at + HEADER) else {
            return out.problem(malformed("corrupt cpio archive: truncated header".into()));
        };
        if !(h.starts_with(b"070701") || h.starts_with(b"070702")) {
            return out.problem(malformed("corrupt cpio archive: bad header magic".into()));
        }
        let field = |i: usize| -> Option<usize> {
            let hex = std::str::from_utf8(&h[6 + 8 * i..14 + 8 * i]).ok()?;
            usize::from_str_radix(hex, 16).ok()
        };
        let (Some(mode), Some(size), Some(name_size)) = (field(1), field(6), field(11)) else {
            return out.problem(malformed("corrupt cpio archive: bad header field".into()));
        };
        let name_start = at + HEADER;
        let name_end = name_start.saturating_add(name_size);
        let data_start = align4(name_end);
        let data_end = data_start.saturating_add(size);
        let (Some(name), true) = (data.get(name_start..name_end), data_end <= data.len()) else {
            return out.problem(malformed("corrupt cpio archive: truncated member".into()));
        };
        let name = name.strip_suffix(&[0]).unwrap_or(name);
        if name == TRAILER {
            return;
        }
        at = align4(data_end);
        if mode & 0o170000 != 0o100000 || size == 0 {
            continue;
        }
        let mut path = String::from_utf8_lossy(name).into_owned();
        while let Some(rest) = path.strip_prefix("./") {
            path = rest.to_string();
        }
        if out.full(n) {
            let max = out.max;
            return out.problem(limit(format!(
                "member cap ({max}) reached; rest of the archive skipped"
            )));
        }
        n += 1;
        let bytes = copy_capped(&data[data_start..data_end], out.budget, out.problems);
        (out.visit)(Member::new(format!("{prefix}:{path}"), path, bytes));
    }
}

fn align4(n: usize) -> usize {
    n.saturating_add(3) & !3
}

/// The byte length of the RPM header structure at `at` (magic, index, data store).
fn header_len(data: &[u8], at: usize) -> Option<usize> {
    let h = data.get(at..at.checked_add(16)?)?;
    if h[..3] != [0x8e, 0xad, 0xe8] {
        return None;
    }
    let count = u32::from_be_bytes([h[8], h[9], h[10], h[11]]) as usize;
    let size = u32::from_be_bytes([h[12], h[13], h[14], h[15]]) as usize;
    let len = count.checked_mul(16)?.checked_add(size)?.checked_add(16)?;
    (at.checked_add(len)? <= data.len()).then_some(len)
}

pub(super) fn rpm(data: &[u8], out: &mut Out) {
    let payload = (|| {
        let sig = 96;
        let sig_end = sig + header_len(data, sig)?;
        let head = sig_end.checked_add(7)? & !7;
        let end = head.checked_add(header_len(data, head)?)?;
        data.get(end..)
    })();
    let Some(payload) = payload else {
        return out.problem(malformed("corrupt rpm package: bad header".into()));
    };
    let cpio = match sniff(payload) {
        Some(k) if k.is_stream() => {
            let mut inner = None;
            super::stream::expand(
                k,
                payload,
                "payload.cpio",
                &mut Out {
                    max: 1,
                    budget: out.budget,
                    visit: &mut |m: Member| inner = Some(m.data),
                    problems: out.problems,
                },
            );
            match inner {
                Some(bytes) => bytes,
                None => return,
            }
        }
        Some(super::Kind::Cpio) => payload.to_vec(),
        _ => {
            return out.problem(malformed(
                "rpm package: payload is not a cpio archive in a known compression".into(),
            ));
        }
    };
    expand(&cpio, "rpm", out);
}
