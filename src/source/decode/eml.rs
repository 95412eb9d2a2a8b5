//! E-mail messages (`.eml`): MIME parts encoded base64 or quoted-printable are decoded and
//! scanned again (steps `base64`, `qp`), named by their place in the message (`part 2
//! text/plain`) and, for an attachment, by its file name, which also picks its decoder (an
//! attached `.env` is read as dotenv, an attached zip is opened). Plain parts are already
//! scanned as the message's text.

use std::ops::Range;

use super::{Anchor, Decoded, Derived, base64_decode};

/// Deepest multipart nesting followed.
const MAX_NESTING: usize = 8;

/// Decode every encoded part of the message in `data`.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let mut n = 0;
    part(data, 0..data.len(), 0, &mut n, &mut out);
    out
}

/// The header block and the body's start, for the entity at `range`.
fn split(data: &[u8], range: Range<usize>) -> (&[u8], usize) {
    let text = &data[range.clone()];
    let at = memchr::memmem::find(text, b"\n\n")
        .map(|i| (i, i + 2))
        .into_iter()
        .chain(memchr::memmem::find(text, b"\r\n\r\n").map(|i| (i, i + 4)))
        .min_by_key(|&(i, _)| i);
    match at {
        Some((end, body)) => (&text[..end], range.start + body),
        None => (text, range.end),
    }
}

/// The value of header `name` (case-insensitive), folded lines joined.
fn header(headers: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(headers);
    let mut value: Option<String> = None;
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(v) = value.as_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if value.is_some() {
            break;
        }
        if let Some((key, v)) = line.split_once(':')
            && key.trim().eq_ignore_ascii_case(name)
        {
            value = Some(v.trim().to_string());
        }
    }
    value
}

/// A parameter of a header value (`boundary`, `filename`, `name`), quotes removed.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn part(data: &[u8], range: Range<usize>, depth: usize, n: &mut usize, out: &mut Decoded) {
    let (headers, body) = split(data, range.clone());
    let kind = header(headers, "Content-Type").unwrap_or_else(|| "text/plain".into());
    let mime = kind
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        let Some(boundary) = param(&kind, "boundary").filter(|b| !b.is_empty()) else {
            return;
        };
        if depth >= MAX_NESTING {
            return out
                .problems
                .push("MIME nesting too deep; inner parts not decoded".into());
        }
        let marker = format!("--{boundary}");
        let starts: Vec<usize> =
            memchr::memmem::find_iter(&data[body..range.end], marker.as_bytes())
                .map(|i| body + i)
                .filter(|&i| i == 0 || data[i - 1] == b'\n')
                .collect();
        for w in starts.windows(2) {
            let from = w[0] + marker.len();
            // The line after the boundary marker starts the part.
            let Some(nl) = memchr::memchr(b'\n', &data[from..w[1]]) else {
                continue;
            };
            part(data, from + nl + 1..w[1], depth + 1, n, out);
        }
        return;
    }
    *n += 1;
    let encoding = header(headers, "Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let raw = &data[body..range.end];
    let (bytes, step) = match encoding.as_str() {
        "base64" => (base64_decode(raw), "base64"),
        "quoted-printable" => (Some(quoted_printable(raw)), "qp"),
        _ => return,
    };
    let Some(bytes) = bytes else {
        return out.problems.push(format!("part {n}: not valid base64"));
    };
    let file = header(headers, "Content-Disposition")
        .and_then(|d| param(&d, "filename"))
        .or_else(|| param(&kind, "name"));
    let context = match &file {
        Some(f) => format!("part {n} {mime} \"{f}\""),
        None => format!("part {n} {mime}"),
    };
    let mut d = Derived::new(bytes, Anchor::At(body))
        .step(step)
        .context(context)
        .replaces(body..range.end);
    d.name = file.unwrap_or_default();
    d.no_base64 = step == "base64";
    out.derived.push(d);
}

/// Quoted-printable: `=XX` escapes and `=` soft line breaks.
fn quoted_printable(text: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'=' {
            let rest = &text[i + 1..];
            if rest.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if rest.starts_with(b"\n") {
                i += 2;
                continue;
            }
            if let (Some(h), Some(l)) = (
                rest.first().copied().and_then(hex),
                rest.get(1).copied().and_then(hex),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_parts_are_decoded() {
        let msg = "From: a@b.test\nContent-Type: multipart/mixed; boundary=\"XX\"\n\npreamble\n--XX\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\ntoken: tst_pJ1jI08=\nWKAjszfLh3Y61 =3D ok\n--XX\nContent-Type: application/octet-stream; name=\"prod.env\"\nContent-Transfer-Encoding: base64\n\nVE9LRU49dHN0X1pZNXBT\ncDhVUWJ6Mnl3TFg3emNL\n--XX--\n";
        let d = decode(msg.as_bytes());
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.derived.len(), 2);
        assert_eq!(d.derived[0].data, b"token: tst_pJ1jI08WKAjszfLh3Y61 = ok\n");
        assert_eq!(d.derived[0].context.as_deref(), Some("part 1 text/plain"));
        assert_eq!(d.derived[1].data, b"TOKEN=tst_ZY5pSp8UQbz2ywLX7zcK");
        assert_eq!(d.derived[1].name, "prod.env");
        assert_eq!(
            d.derived[1].context.as_deref(),
            Some("part 2 application/octet-stream \"prod.env\"")
        );
    }
}
