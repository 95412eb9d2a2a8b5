//! `.git-credentials`: one URL per line, `https://user:password@host/path`. The password is
//! percent-decoded (git stores `@` as `%40`) and reported as field `git.credentials`, with the
//! URL minus its password as context. When decoding changed it the chain records `url`.

use super::{Anchor, Decoded, Derived, lines, trim};

/// Decode a `.git-credentials` file.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    for line in lines(data) {
        let line = trim(data, line);
        let text = &data[line.clone()];
        let Some(scheme_end) = memchr::memmem::find(text, b"://") else {
            continue;
        };
        let auth_start = line.start + scheme_end + 3;
        let rest = &data[auth_start..line.end];
        let host_end = rest.iter().position(|&b| b == b'/').unwrap_or(rest.len());
        let Some(at) = memchr::memrchr(b'@', &rest[..host_end]) else {
            continue;
        };
        let Some(colon) = memchr::memchr(b':', &rest[..at]) else {
            continue;
        };
        let range = auth_start + colon + 1..auth_start + at;
        if range.is_empty() {
            continue;
        }
        let raw = &data[range.clone()];
        let decoded: Vec<u8> = percent_encoding::percent_decode(raw).collect();
        let context = format!(
            "{}{}",
            String::from_utf8_lossy(&data[line.start..auth_start + colon]),
            String::from_utf8_lossy(&rest[at..host_end])
        );
        let d = if decoded == raw {
            Derived::new(decoded, Anchor::Map(vec![(0, range.start)]))
        } else {
            Derived::new(decoded, Anchor::At(range.start))
                .step("url")
                .replaces(range.clone())
        };
        out.derived
            .push(d.field("git.credentials").context(context.clone()));
        out.spans.push((range, context));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_with_and_without_escapes() {
        let text =
            b"https://bob:p%40ss@git.example/\nhttps://ann:tok@h.example\nhttps://nopass@h\n";
        let d = decode(text);
        assert_eq!(d.derived.len(), 2);
        assert_eq!(d.derived[0].data, b"p@ss");
        assert_eq!(d.derived[0].step.as_deref(), Some("url"));
        assert_eq!(
            d.derived[0].context.as_deref(),
            Some("https://bob@git.example")
        );
        assert_eq!(d.derived[1].data, b"tok");
        assert_eq!(d.derived[1].step, None);
    }
}
