//! INI-style credential files: `.pypirc`, AWS `credentials` / `config`, and the INI or flat
//! TOML login files of other tools (cargo `credentials.toml`, hcloud `cli.toml`, OCI `config`,
//! gcloud's legacy `.boto`, pip `pip.conf`).
//!
//! `[section]` headers, `key = value` or `key: value`, `#`/`;` comments; a value in TOML quotes
//! is read without them. The fields reported:
//! - `.pypirc`: `password` -> field `pypirc.password`;
//! - AWS: `aws_secret_access_key` -> `aws.secret-access-key`, `aws_session_token` (and the
//!   older `aws_security_token`) -> `aws.session-token`;
//! - cargo and hcloud: `token` -> `cli.token`; OCI: `pass_phrase` -> `cli.password`;
//! - `.boto`: `gs_oauth2_refresh_token` -> `oauth.refresh-token`, `gs_secret_access_key` ->
//!   `cli.token`;
//! - `pip.conf`: none (an index URL with a password is caught by the URL rules).
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
    /// cargo `credentials.toml`, hcloud `cli.toml`.
    TomlToken,
    /// OCI CLI `config`.
    Oci,
    /// gcloud legacy `.boto`.
    Boto,
    /// pip `pip.conf` (context spans only).
    Plain,
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
        let mut value = trim(data, sep + 1..line.end);
        if value.len() >= 2
            && matches!(data[value.start], b'"' | b'\'')
            && data[value.end - 1] == data[value.start]
        {
            value = value.start + 1..value.end - 1;
        }
        if value.is_empty() {
            continue;
        }
        let context = format!("[{section}] {key}");
        let field = match (kind, key.as_str()) {
            (Kind::Pypirc, "password") => Some("pypirc.password"),
            (Kind::Aws, "aws_secret_access_key") => Some("aws.secret-access-key"),
            (Kind::Aws, "aws_session_token" | "aws_security_token") => Some("aws.session-token"),
            (Kind::TomlToken, "token") => Some("cli.token"),
            (Kind::Oci, "pass_phrase") => Some("cli.password"),
            (Kind::Boto, "gs_oauth2_refresh_token") => Some("oauth.refresh-token"),
            (Kind::Boto, "gs_secret_access_key") => Some("cli.token"),
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

    #[test]
    fn toml_tokens_without_quotes() {
        let cargo = b"[registry]\ntoken = \"cio1\"\n\n[registries.acme]\ntoken = 'cio2'\n";
        let d = decode(cargo, Kind::TomlToken);
        let got: Vec<_> = d.derived.iter().map(|x| x.data.as_slice()).collect();
        assert_eq!(got, vec![&b"cio1"[..], b"cio2"]);
        assert_eq!(
            d.derived[1].context.as_deref(),
            Some("[registries.acme] token")
        );
        let at = cargo.windows(4).position(|w| w == b"cio1").unwrap();
        assert_eq!(d.derived[0].anchor, Anchor::Map(vec![(0, at)]));
        let hcloud = b"active_context = \"x\"\n[[contexts]]\n  name = \"x\"\n  token = \"h\"\n";
        assert_eq!(
            decode(hcloud, Kind::TomlToken).derived[0]
                .context
                .as_deref(),
            Some("[[contexts]] token")
        );
        let oci = b"[DEFAULT]\nkey_file=~/.oci/k.pem\npass_phrase=pp\n";
        assert_eq!(
            decode(oci, Kind::Oci).derived[0].field,
            Some("cli.password")
        );
        assert!(
            decode(b"[global]\nindex-url = https://u:p@h/simple\n", Kind::Plain)
                .derived
                .is_empty()
        );
    }
}
