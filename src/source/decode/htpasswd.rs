//! `.htpasswd`: `user:hash` lines. The hash (`$apr1$`, `$2y$`, `{SHA}`, `$5$`/`$6$`, DES
//! crypt) is not a plaintext password, but it can be cracked offline, so it is reported as
//! field `htpasswd.hash` (its rule says what it is) with context `user NAME`.

use super::{Anchor, Decoded, Derived, lines, trim};

/// Decode an htpasswd file.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    for line in lines(data) {
        let line = trim(data, line);
        if line.is_empty() || data[line.start] == b'#' {
            continue;
        }
        let Some(colon) = memchr::memchr(b':', &data[line.clone()]).map(|i| line.start + i) else {
            continue;
        };
        // Digest-auth files have `user:realm:hash`; the hash is the last field either way.
        let last = memchr::memrchr(b':', &data[line.clone()]).map_or(colon, |i| line.start + i);
        let range = last + 1..line.end;
        if range.is_empty() {
            continue;
        }
        let context = format!("user {}", String::from_utf8_lossy(&data[line.start..colon]));
        let d = Derived::new(
            data[range.clone()].to_vec(),
            Anchor::Map(vec![(0, range.start)]),
        );
        out.derived
            .push(d.field("htpasswd.hash").context(context.clone()));
        out.spans.push((range, context));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_and_hashes() {
        let text = b"bob:$apr1$x1$abc\n# c\nal:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=\n";
        let d = decode(text);
        assert_eq!(d.derived.len(), 2);
        assert_eq!(d.derived[0].data, b"$apr1$x1$abc");
        assert_eq!(d.derived[1].context.as_deref(), Some("user al"));
    }
}
