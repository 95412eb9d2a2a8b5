//! Escaped strings inside text, decoded once so the rules see the value: `\x41` and `\u0041`
//! (`\u{41}`, surrogate pairs) escapes in code and JSON-ish strings (step `escape`), and HTML
//! character references `&#65;`, `&#x41;`, `&amp;` ... (step `html`). A candidate is the run
//! between whitespace, quotes or angle brackets around an escape; it must hold at least one
//! `\x`/`\u` escape (plain `\n` is everywhere in code and is left to the format decoders) or
//! one character reference, and decode to printable text different from itself.

use std::ops::Range;

use super::encoded::Decoded;

fn boundary(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'`' | b'<' | b'>')
}

/// The run around `at`, bounded by [`boundary`] bytes.
fn run(data: &[u8], at: usize) -> Range<usize> {
    let start = data[..at]
        .iter()
        .rposition(|&b| boundary(b))
        .map_or(0, |i| i + 1);
    let end = data[at..]
        .iter()
        .position(|&b| boundary(b))
        .map_or(data.len(), |i| at + i);
    start..end
}

/// Every escaped run in `data` that decodes to text, appended to `out`.
pub fn find(data: &[u8], out: &mut Vec<Decoded>) {
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'\\', &data[from..]) {
        let at = from + p;
        from = at + 1;
        if !matches!(data.get(at + 1), Some(b'x' | b'u')) {
            continue;
        }
        let span = run(data, at);
        from = span.end.max(at + 1);
        if let Some(bytes) = backslash(&data[span.clone()]).filter(|b| printable(b)) {
            out.push(Decoded {
                span,
                bytes,
                kind: "escape",
            });
        }
    }
    let mut from = 0;
    while let Some(p) = memchr::memchr(b'&', &data[from..]) {
        let at = from + p;
        from = at + 1;
        if reference(&data[at..]).is_none() {
            continue;
        }
        let span = run(data, at);
        from = span.end.max(at + 1);
        if let Some(bytes) = entities(&data[span.clone()]).filter(|b| printable(b)) {
            out.push(Decoded {
                span,
                bytes,
                kind: "html",
            });
        }
    }
}

fn printable(bytes: &[u8]) -> bool {
    bytes.len() >= 8
        && std::str::from_utf8(bytes).is_ok_and(|s| {
            s.chars()
                .all(|c| !c.is_control() || c == '\n' || c == '\r' || c == '\t')
        })
}

fn hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 6 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Decode backslash escapes; `None` unless there is a `\x` or `\u` escape.
fn backslash(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut any = false;
    let mut i = 0;
    while i < text.len() {
        match (text[i] == b'\\').then(|| escape(&text[i..])).flatten() {
            Some((bytes, len)) => {
                any |= matches!(text[i + 1], b'x' | b'u');
                out.extend_from_slice(&bytes);
                i += len;
            }
            None => {
                out.push(text[i]);
                i += 1;
            }
        }
    }
    any.then_some(out)
}

/// The escape at the start of `text` (which starts with a backslash): its bytes and length.
fn escape(text: &[u8]) -> Option<(Vec<u8>, usize)> {
    let rest = text.get(2..)?;
    let char_bytes = |c: char| c.to_string().into_bytes();
    Some(match text.get(1)? {
        b'x' => (vec![hex(rest.get(..2)?)? as u8], 4),
        b'u' if rest.first() == Some(&b'{') => {
            let close = rest.iter().position(|&b| b == b'}')?;
            (
                char_bytes(char::from_u32(hex(&rest[1..close])?)?),
                close + 3,
            )
        }
        b'u' => {
            let unit = hex(rest.get(..4)?)?;
            // A high surrogate followed by `\uDC00`-`\uDFFF` is one character.
            let low = rest
                .get(4..10)
                .filter(|t| t.starts_with(b"\\u"))
                .and_then(|t| hex(&t[2..]))
                .filter(|l| (0xd800..0xdc00).contains(&unit) && (0xdc00..0xe000).contains(l));
            match low {
                Some(l) => {
                    let c = char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (l - 0xdc00))?;
                    (char_bytes(c), 12)
                }
                None => (char_bytes(char::from_u32(unit)?), 6),
            }
        }
        b'n' => (b"\n".to_vec(), 2),
        b't' => (b"\t".to_vec(), 2),
        b'r' => (b"\r".to_vec(), 2),
        &c @ (b'\\' | b'"' | b'\'' | b'/') => (vec![c], 2),
        _ => return None,
    })
}

/// A character reference at the start of `text`: the character and the reference's length.
fn reference(text: &[u8]) -> Option<(char, usize)> {
    let end = text.iter().take(12).position(|&b| b == b';')?;
    let body = &text[1..end];
    let c = match body {
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        [b'#', b'x' | b'X', digits @ ..] => char::from_u32(hex(digits)?)?,
        [b'#', digits @ ..] if !digits.is_empty() && digits.iter().all(u8::is_ascii_digit) => {
            char::from_u32(std::str::from_utf8(digits).ok()?.parse().ok()?)?
        }
        _ => return None,
    };
    Some((c, end + 1))
}

/// Decode character references; `None` if there are none.
fn entities(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut any = false;
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'&'
            && let Some((c, len)) = reference(&text[i..])
        {
            push_char(&mut out, c);
            any = true;
            i += len;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    any.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(data: &str) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        find(data.as_bytes(), &mut out);
        out.into_iter()
            .map(|d| (String::from_utf8(d.bytes).unwrap(), d.kind))
            .collect()
    }

    #[test]
    fn backslash_escapes() {
        assert_eq!(
            decoded(r#"k = "\x74\x73\x74_abc\u0064ef\u{67}\ud83d\ude00""#),
            vec![("tst_abcdefg😀".to_string(), "escape")]
        );
        // Only \n escapes, or a lone backslash: nothing to decode here.
        assert!(decoded(r#"printf("a\nb\nccccccccc")"#).is_empty());
        assert!(decoded(r"C:\xylophone\users").is_empty());
        assert!(decoded(r"\u12").is_empty());
    }

    #[test]
    fn html_references() {
        assert_eq!(
            decoded("<td>p&#97;ss&#x77;ord&amp;more</td>"),
            vec![("password&more".to_string(), "html")]
        );
        assert!(decoded("a && b; x &mut y;").is_empty());
    }
}
