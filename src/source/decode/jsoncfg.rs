//! JSON client configs that keep connection passwords in plain text:
//! - editor deployment plugins: VS Code SFTP `.vscode/sftp.json` (`password`, `passphrase`, also
//!   per profile), Sublime SFTP `sftp-config.json` (JSON with `//` comments and trailing commas),
//!   Atom remote-sync `.remote-sync.json` and Remote-FTP `.ftpconfig` (`pass`) -> field
//!   `editor-sftp.password`;
//! - DBeaver `.dbeaver/data-sources*.json` (`auth-properties.userPassword`, `password`) and the
//!   decrypted `credentials-config.json` (see `dbeaver`) -> field `dbeaver.password`;
//! - Robo 3T / Robomongo `robo3t.json`, `robomongo.json` (`userPassword` of credentials and of the
//!   SSH tunnel, `passphrase`, `pemPassPhrase`) -> field `robomongo.password`.
//!
//! Only string values are reported (`"password": true` means "ask"). The context is the key
//! path, with the connection's name, host and user when the object or an enclosing one has them.

use super::emit;
use super::json::{self, JStr, Json};
use super::{Decoded, MAX_LABEL, clip_label};

/// Which file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// VS Code SFTP, Sublime SFTP, remote-sync, Remote-FTP.
    EditorSftp,
    /// DBeaver `data-sources.json` and decrypted `credentials-config.json`.
    Dbeaver,
    /// Robo 3T / Robomongo.
    Robomongo,
}

impl Kind {
    fn field(self) -> &'static str {
        match self {
            Kind::EditorSftp => "editor-sftp.password",
            Kind::Dbeaver => "dbeaver.password",
            Kind::Robomongo => "robomongo.password",
        }
    }

    fn is_secret_key(self, key: &str) -> bool {
        let k = key.to_ascii_lowercase();
        match self {
            Kind::EditorSftp => matches!(k.as_str(), "password" | "pass" | "passphrase"),
            Kind::Dbeaver => matches!(k.as_str(), "password" | "userpassword" | "passphrase"),
            Kind::Robomongo => {
                matches!(
                    k.as_str(),
                    "userpassword" | "passphrase" | "pempassphrase" | "password"
                )
            }
        }
    }
}

/// What names a connection: inherited by nested objects that do not say it themselves.
#[derive(Debug, Clone, Default)]
struct Who {
    name: Option<String>,
    host: Option<String>,
    user: Option<String>,
}

/// Decode a JSON client config (comments and trailing commas allowed).
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    let cleaned = strip_comments(data);
    let Some(root) = json::parse(&cleaned) else {
        return out;
    };
    let mut path = Vec::new();
    walk(data, &root, kind, &Who::default(), &mut path, &mut out);
    out
}

fn walk(data: &[u8], v: &Json, kind: Kind, who: &Who, path: &mut Vec<String>, out: &mut Decoded) {
    match v {
        Json::Object(members) => {
            let own = |keys: &[&str]| {
                members
                    .iter()
                    .find(|(k, _)| keys.iter().any(|w| k.text.eq_ignore_ascii_case(w)))
                    .and_then(|(_, v)| v.as_str())
                    .filter(|s| !s.text.is_empty())
                    .map(|s| clip_label(s.text.clone()))
            };
            let here = Who {
                name: own(&["name", "connectionName"]).or_else(|| who.name.clone()),
                host: own(&["host", "serverHost", "address"]).or_else(|| who.host.clone()),
                user: own(&["user", "username", "userName", "login"]).or_else(|| who.user.clone()),
            };
            for (key, value) in members {
                // Clipped once here, so a hostile key is not copied into every label below it.
                path.push(clip_label(key.text.clone()));
                match value.as_str() {
                    Some(s) if kind.is_secret_key(&key.text) => {
                        report(data, s, kind, &here, path, out)
                    }
                    _ => walk(data, value, kind, &here, path, out),
                }
                path.pop();
            }
        }
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                walk(data, item, kind, who, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn report(data: &[u8], s: &JStr, kind: Kind, who: &Who, path: &[String], out: &mut Decoded) {
    let about = emit::label(&[
        ("name", who.name.as_deref()),
        ("host", who.host.as_deref()),
        ("user", who.user.as_deref()),
    ]);
    let mut context = path_label(path);
    if !about.is_empty() {
        context = format!("{context} ({about})");
    }
    emit::plain(out, s.mapped(data), s.inner(), kind.field(), context);
}

/// The key path joined with `.`, keeping only the last segments that fit [`MAX_LABEL`].
fn path_label(path: &[String]) -> String {
    let mut from = path.len();
    let mut len = 0;
    while from > 0 && len + path[from - 1].len() < MAX_LABEL {
        from -= 1;
        len += path[from].len() + 1;
    }
    let tail = path[from..].join(".");
    match (from, path.last()) {
        (0, _) => tail,
        (_, Some(last)) if tail.is_empty() => last.clone(),
        _ => format!("…{tail}"),
    }
}

/// `data` with `//` and `/* */` comments outside strings, and commas right before `}` or `]`,
/// replaced by spaces: the same length, so every offset still points into the original.
pub fn strip_comments(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    let mut i = 0;
    let mut last_comma: Option<usize> = None;
    while i < out.len() {
        match out[i] {
            b'"' => {
                i += 1;
                while i < out.len() && out[i] != b'"' {
                    i += if out[i] == b'\\' { 2 } else { 1 };
                }
                last_comma = None;
            }
            b'/' if out.get(i + 1) == Some(&b'/') => {
                let end = memchr::memchr(b'\n', &out[i..]).map_or(out.len(), |n| i + n);
                out[i..end].fill(b' ');
                i = end;
                continue;
            }
            b'/' if out.get(i + 1) == Some(&b'*') => {
                let end =
                    memchr::memmem::find(&out[i + 2..], b"*/").map_or(out.len(), |n| i + n + 4);
                for b in &mut out[i..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
                continue;
            }
            b',' => last_comma = Some(i),
            b'}' | b']' => {
                if let Some(c) = last_comma.take() {
                    out[c] = b' ';
                }
            }
            b if b.is_ascii_whitespace() => {}
            _ => last_comma = None,
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(d: &Decoded) -> Vec<(String, String)> {
        d.derived
            .iter()
            .map(|x| {
                (
                    String::from_utf8_lossy(&x.data).into_owned(),
                    x.context.clone().unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn sublime_with_comments_and_vscode_profiles() {
        let sublime = b"{\n  // \"password\": \"commented\",\n  \"host\": \"h.example\", \"user\": \"bob\",\n  \"password\": \"p\\\"w1\", /* c */\n  \"ignore\": [\"a//b\",],\n}\n";
        let d = decode(sublime, Kind::EditorSftp);
        assert_eq!(
            got(&d),
            [("p\"w1".into(), "password (host h.example user bob)".into())]
        );
        let at = d.derived[0].anchor.map(0).unwrap();
        assert_eq!(sublime[at], b'p');
        let vscode = br#"{"host": "a", "password": "pw2", "profiles": {"st": {"host": "b", "passphrase": "pp3"}, "dev": {"password": true}}}"#;
        let d = decode(vscode, Kind::EditorSftp);
        assert_eq!(
            got(&d),
            [
                ("pw2".into(), "password (host a)".into()),
                ("pp3".into(), "profiles.st.passphrase (host b)".into())
            ]
        );
    }

    #[test]
    fn dbeaver_and_robomongo() {
        let dbeaver = br#"{"connections": {"pg-1": {"name": "reporting", "configuration": {"host": "db", "auth-properties": {"userName": "ro", "userPassword": "s3"}}}}}"#;
        let d = decode(dbeaver, Kind::Dbeaver);
        assert_eq!(
            got(&d),
            [(
                "s3".into(),
                "connections.pg-1.configuration.auth-properties.userPassword (name reporting host db user ro)".into()
            )]
        );
        let robo = br#"{"connections": [{"connectionName": "prod", "credentials": [{"userName": "dba", "userPassword": "x1"}], "ssh": {"passphrase": "", "userPassword": "x2"}}]}"#;
        let d = decode(robo, Kind::Robomongo);
        assert_eq!(d.derived.len(), 2);
        assert_eq!(d.derived[1].data, b"x2");
        assert!(decode(b"{oops", Kind::Robomongo).derived.is_empty());
    }

    #[test]
    fn strip_keeps_offsets() {
        let s = b"{\"a\": \"//x\", // c\n \"b\": [1,],}";
        let t = strip_comments(s);
        assert_eq!(t.len(), s.len());
        assert!(json::parse(&t).is_some());
        assert_eq!(&t[6..11], b"\"//x\"");
    }
}
