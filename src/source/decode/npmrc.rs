//! `.npmrc`: `key=value` lines, optionally scoped to a registry (`//registry.npmjs.org/:_authToken=`).
//!
//! - `_authToken` is a token: field `npm.authtoken`, located exactly.
//! - `_auth` is base64 of `user:password`: the password is field `npm.auth`.
//! - `_password` is base64 of the password: field `npm.password`.
//!
//! Every value is a context span named by its key.

use super::{Anchor, Decoded, Derived, base64_decode, lines, trim};

/// Decode an `.npmrc`.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    for line in lines(data) {
        let line = trim(data, line);
        if line.is_empty() || matches!(data[line.start], b'#' | b';') {
            continue;
        }
        let Some(eq) = memchr::memchr(b'=', &data[line.clone()]).map(|i| line.start + i) else {
            continue;
        };
        let key_range = trim(data, line.start..eq);
        let key = String::from_utf8_lossy(&data[key_range]).into_owned();
        let mut value = trim(data, eq + 1..line.end);
        if value.len() >= 2 && data[value.start] == b'"' && data[value.end - 1] == b'"' {
            value = value.start + 1..value.end - 1;
        }
        if value.is_empty() {
            continue;
        }
        let raw = &data[value.clone()];
        let name = key.rsplit(':').next().unwrap_or(&key);
        let derived = match name {
            "_authToken" => Some(
                Derived::new(raw.to_vec(), Anchor::Map(vec![(0, value.start)]))
                    .field("npm.authtoken"),
            ),
            "_auth" => base64_decode(raw).and_then(|d| {
                let colon = d.iter().position(|&b| b == b':')?;
                Some(encoded(d[colon + 1..].to_vec(), value.clone(), "npm.auth"))
            }),
            "_password" => base64_decode(raw).map(|d| encoded(d, value.clone(), "npm.password")),
            _ => None,
        };
        out.derived.extend(derived.map(|d| d.context(key.clone())));
        out.spans.push((value, key));
    }
    out
}

fn encoded(value: Vec<u8>, raw: std::ops::Range<usize>, field: &'static str) -> Derived {
    Derived::new(value, Anchor::At(raw.start))
        .step("base64")
        .replaces(raw)
        .field(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_auth_and_password() {
        let text = b"registry=https://r.example/\n//r.example/:_authToken=npm_abc\n_auth = \"dTpwdw==\"\n; c\n//r.example/:_password=c2VjcmV0\n";
        let d = decode(text);
        let got: Vec<_> = d
            .derived
            .iter()
            .map(|x| {
                (
                    x.field.unwrap(),
                    x.data.as_slice(),
                    x.context.as_deref().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("npm.authtoken", &b"npm_abc"[..], "//r.example/:_authToken"),
                ("npm.auth", b"pw", "_auth"),
                ("npm.password", b"secret", "//r.example/:_password"),
            ]
        );
        let tok = &d.derived[0];
        let at = tok.anchor.map(0).unwrap();
        assert_eq!(&text[at..at + 7], b"npm_abc");
        assert_eq!(d.spans.len(), 4);
    }
}
