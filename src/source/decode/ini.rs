//! INI-style credential files: `.pypirc` and AWS `credentials` / `config`.
//!
//! `[section]` headers, `key = value` or `key: value`, `#`/`;` comments. The fields reported:
//! - `.pypirc`: `password` -> field `pypirc.password`;
//! - AWS: `aws_secret_access_key` -> `aws.secret-access-key`, `aws_session_token` (and the
//!   older `aws_security_token`) -> `aws.session-token`.
//!
//! Every value is a context span `[section] key`.

use super::{Anchor, Decoded, Derived, lines, trim};

/// Which file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.pypirc`.
    Pypirc,
    /// AWS shared credentials or config.
    Aws,
}

/// Decode an INI credential file.
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    let mut section = String::new();
    for line in lines(data) {
        let line = trim(data, line);
        if line.is_empty() || matches!(data[line.start], b'#' | b';') {
            continue;
        }
        if data[line.start] == b'[' {
            let inner = &data[line.start + 1..line.end];
            let name = inner.strip_suffix(b"]").unwrap_or(inner);
            section = String::from_utf8_lossy(name).trim().to_string();
            continue;
        }
        let Some(sep) = data[line.clone()]
            .iter()
            .position(|&b| b == b'=' || b == b':')
            .map(|i| line.start + i)
        else {
            continue;
        };
        let key = String::from_utf8_lossy(&data[trim(data, line.start..sep)]).to_lowercase();
        let value = trim(data, sep + 1..line.end);
        if value.is_empty() {
            continue;
        }
        let context = format!("[{section}] {key}");
        let field = match (kind, key.as_str()) {
            (Kind::Pypirc, "password") => Some("pypirc.password"),
            (Kind::Aws, "aws_secret_access_key") => Some("aws.secret-access-key"),
            (Kind::Aws, "aws_session_token" | "aws_security_token") => Some("aws.session-token"),
            _ => None,
        };
        if let Some(field) = field {
            let d = Derived::new(
                data[value.clone()].to_vec(),
                Anchor::Map(vec![(0, value.start)]),
            );
            out.derived.push(d.field(field).context(context.clone()));
        }
        out.spans.push((value, context));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypirc_and_aws() {
        let pypirc =
            b"[distutils]\nindex-servers = pypi\n\n[pypi]\nusername: __token__\npassword: pw1\n";
        let d = decode(pypirc, Kind::Pypirc);
        assert_eq!(d.derived.len(), 1);
        assert_eq!(d.derived[0].data, b"pw1");
        assert_eq!(d.derived[0].context.as_deref(), Some("[pypi] password"));
        let aws = b"[default]\naws_access_key_id = AKIA\nAWS_Secret_Access_Key=s3/k\n; x\n[profile ci]\naws_session_token = tok\n";
        let d = decode(aws, Kind::Aws);
        let got: Vec<_> = d
            .derived
            .iter()
            .map(|x| (x.field.unwrap(), x.data.as_slice()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("aws.secret-access-key", &b"s3/k"[..]),
                ("aws.session-token", b"tok")
            ]
        );
        assert_eq!(
            d.derived[1].context.as_deref(),
            Some("[profile ci] aws_session_token")
        );
    }
}
