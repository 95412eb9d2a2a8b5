//! INI-style credential files: `[section]` headers, `key = value` or `key: value`, `#`/`;`
//! comments (and `!` in Java properties); a value in quotes is read without them. The fields
//! reported:
//! - `.pypirc`: `password` -> field `pypirc.password`;
//! - AWS: `aws_secret_access_key` -> `aws.secret-access-key`, `aws_session_token` (and the
//!   older `aws_security_token`) -> `aws.session-token`;
//! - cargo `credentials.toml` and hcloud `cli.toml` (flat TOML): `token` -> `cli.token`; OCI
//!   `config`: `pass_phrase` -> `cli.password`;
//! - gcloud's legacy `.boto`: `gs_oauth2_refresh_token` -> `oauth.refresh-token`,
//!   `gs_secret_access_key` -> `cli.token`;
//! - `pip.conf`: none (an index URL with a password is caught by the URL rules);
//! - s3cmd `.s3cfg`: `secret_key` -> `aws.secret-access-key`, `access_token` ->
//!   `aws.session-token`, `gpg_passphrase` -> `s3cmd.gpg-passphrase`;
//! - MySQL option files (`.my.cnf`, `debian.cnf`): `password` in any group -> `mysql.password`
//!   (quotes stripped);
//! - Ventrilo `ventrilo_srv.ini`: `Password`, `AdminPassword` -> `ventrilo.password`;
//! - NetworkManager keyfiles (`*.nmconnection`): Wi-Fi `psk`, `wep-key0`..`3`, `leap-password`,
//!   802.1X and PPP passwords, key and PIN secrets, every `[vpn-secrets]` value ->
//!   `networkmanager.secret`;
//! - `gradle.properties`: a property whose name ends in a password, secret, token or API key
//!   name (`signing.password`, `ossrhPassword`, `systemProp.https.proxyPassword`) ->
//!   `gradle.credential`.
//!
//! Every value is a context span `[section] key`.

use super::{Anchor, Decoded, Derived, clip_label, lines, trim};

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
    /// s3cmd `.s3cfg`.
    S3cfg,
    /// MySQL / MariaDB option file.
    MyCnf,
    /// Ventrilo server `ventrilo_srv.ini`.
    Ventrilo,
    /// NetworkManager keyfile connection.
    NetworkManager,
    /// Gradle `gradle.properties`.
    GradleProperties,
}

/// Decode an INI credential file.
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    let mut section = String::new();
    for line in lines(data) {
        let line = trim(data, line);
        let comment = matches!(data.get(line.start), Some(b'#' | b';'))
            || (kind == Kind::GradleProperties && data.get(line.start) == Some(&b'!'));
        if line.is_empty() || comment {
            continue;
        }
        if data[line.start] == b'[' {
            let inner = &data[line.start + 1..line.end];
            let name = inner.strip_suffix(b"]").unwrap_or(inner);
            section = clip_label(String::from_utf8_lossy(name).trim().to_string());
            continue;
        }
        let Some(sep) = data[line.clone()]
            .iter()
            .position(|&b| b == b'=' || b == b':')
            .map(|i| line.start + i)
        else {
            continue;
        };
        let written =
            clip_label(String::from_utf8_lossy(&data[trim(data, line.start..sep)]).into_owned());
        let key = written.to_lowercase();
        let value = unquote(data, trim(data, sep + 1..line.end));
        if value.is_empty() {
            continue;
        }
        let context = match kind {
            Kind::GradleProperties => written,
            Kind::S3cfg | Kind::MyCnf | Kind::Ventrilo | Kind::NetworkManager => {
                if section.is_empty() {
                    written
                } else {
                    format!("[{section}] {written}")
                }
            }
            _ => format!("[{section}] {key}"),
        };
        let field = field(kind, &section.to_ascii_lowercase(), &key);
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

/// The field a key's value is, in a file of `kind` (`section` and `key` lower case).
fn field(kind: Kind, section: &str, key: &str) -> Option<&'static str> {
    Some(match (kind, key) {
        (Kind::Pypirc, "password") => "pypirc.password",
        (Kind::Aws, "aws_secret_access_key") | (Kind::S3cfg, "secret_key") => {
            "aws.secret-access-key"
        }
        (Kind::Aws, "aws_session_token" | "aws_security_token") | (Kind::S3cfg, "access_token") => {
            "aws.session-token"
        }
        (Kind::TomlToken, "token") | (Kind::Boto, "gs_secret_access_key") => "cli.token",
        (Kind::Oci, "pass_phrase") => "cli.password",
        (Kind::Boto, "gs_oauth2_refresh_token") => "oauth.refresh-token",
        (Kind::S3cfg, "gpg_passphrase") => "s3cmd.gpg-passphrase",
        (Kind::MyCnf, "password" | "pass") => "mysql.password",
        (Kind::Ventrilo, "password" | "adminpassword") => "ventrilo.password",
        (Kind::NetworkManager, k) if is_nm_secret(section, k) => "networkmanager.secret",
        (Kind::GradleProperties, k) if is_credential_name(k) => "gradle.credential",
        _ => return None,
    })
}

/// NetworkManager keyfile secrets (`nm-settings-keyfile(5)`, `nm-settings-nmcli(5)`).
fn is_nm_secret(section: &str, key: &str) -> bool {
    section == "vpn-secrets"
        || matches!(
            key,
            "psk"
                | "wep-key0"
                | "wep-key1"
                | "wep-key2"
                | "wep-key3"
                | "leap-password"
                | "password"
                | "private-key-password"
                | "phase2-private-key-password"
                | "pin"
                | "pac-file-password"
        )
}

/// A property name that says its value is a credential: its last word is a password, secret,
/// token or API key name (`ossrhPassword`, `signing.password`, `RELEASE_STORE_PASSWORD`).
fn is_credential_name(key: &str) -> bool {
    const ENDS: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "api.key",
        "secretkey",
        "secret_key",
    ];
    ENDS.iter().any(|e| key.ends_with(e))
        && !["keyid", "file", "path", "url", "alias", "user", "username"]
            .iter()
            .any(|e| key.ends_with(e))
}

/// `range` without one pair of matching quotes around it.
fn unquote(data: &[u8], range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let v = &data[range.clone()];
    if v.len() >= 2 && matches!(v[0], b'"' | b'\'') && v[v.len() - 1] == v[0] {
        range.start + 1..range.end - 1
    } else {
        range
    }
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

    fn got(text: &[u8], kind: Kind) -> Vec<(&'static str, String, String)> {
        decode(text, kind)
            .derived
            .iter()
            .map(|x| {
                (
                    x.field.unwrap(),
                    String::from_utf8_lossy(&x.data).into_owned(),
                    x.context.clone().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn tool_configs() {
        let s3 = b"[default]\naccess_key = AKIA\nsecret_key = s3/k+ey\ngpg_passphrase = gp\n";
        assert_eq!(
            got(s3, Kind::S3cfg),
            [
                (
                    "aws.secret-access-key",
                    "s3/k+ey".into(),
                    "[default] secret_key".into()
                ),
                (
                    "s3cmd.gpg-passphrase",
                    "gp".into(),
                    "[default] gpg_passphrase".into()
                )
            ]
        );
        let my = b"[client]\nuser = u\npassword = \"q;1\"\n[mysqldump]\npassword=dump123\nsingle-transaction\n";
        assert_eq!(got(my, Kind::MyCnf).len(), 2);
        assert_eq!(got(my, Kind::MyCnf)[0].1, "q;1");
        let nm = b"[wifi-security]\nkey-mgmt=wpa-psk\npsk=wifi pass\n[vpn-secrets]\ncert-pass=c1\n";
        assert_eq!(
            got(nm, Kind::NetworkManager),
            [
                (
                    "networkmanager.secret",
                    "wifi pass".into(),
                    "[wifi-security] psk".into()
                ),
                (
                    "networkmanager.secret",
                    "c1".into(),
                    "[vpn-secrets] cert-pass".into()
                )
            ]
        );
        let gradle = b"! c\nsigning.keyId=24875D73\nsigning.password=p1\nossrhPassword: p2\nRELEASE_STORE_FILE=x.jks\nmyApiToken=t3\n";
        let g = got(gradle, Kind::GradleProperties);
        let values: Vec<_> = g.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(values, ["p1", "p2", "t3"]);
        assert_eq!(g[0].2, "signing.password");
        let v = b"[Server]\nAdminPassword=a1\nPassword=raiders\nPort=3784\n";
        assert_eq!(got(v, Kind::Ventrilo).len(), 2);
    }
}
