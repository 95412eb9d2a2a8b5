//! Settings files read as key/value entries, so that a bare word is known to be a value: in
//! `password: storefront` (YAML), `db_password = odoo` (INI) or `DB_PASSWORD=admin` (dotenv) the
//! word is the password, where in code the same text would name a variable.
//!
//! - YAML, line by line (no parse: it runs on every YAML file): `key: value`, a list item's
//!   `- name: X` followed by its `value: Y` (Kubernetes `env`), and `- KEY=value` (compose
//!   `environment` lists);
//! - INI, properties, TOML and `.conf` files: `key = value` and `key: value` lines, `[sections]`
//!   and `#`/`;` comments skipped;
//! - dotenv files: `dotenv.rs` parses them and hands its entries here.
//!
//! An entry whose key may name a secret is handed to the [`FIELD`] rules as `key: value` (quotes
//! and trailing comments removed), which decide from the key whether the value is a credential.
//! A value that is a variable with a literal default (`${DB_PASSWORD:-s3cr3t}` in compose files
//! and shells, `${jwt.secret:s3cr3t}` in Spring) is handed on as its default: the variable is a
//! reference, the default is the credential used wherever the variable is not set.
//! Everything else is left to the text rules, which see the file as it is.

use std::ops::Range;

use super::{Anchor, Derived, keyed, lines, trim};

/// The field the entries are handed to (`rules/generic-config.toml`).
pub const FIELD: &str = "config.entry";

/// Longest value handed on: settings values are short; a longer one is a blob for the text rules.
const MAX_VALUE: usize = 512;

/// Word endings (and words anywhere) of keys worth handing on; the field rules decide.
const KEY_ENDINGS: &[&str] = &[
    "pass",
    "passwd",
    "password",
    "passphrase",
    "pwd",
    "pw",
    "psk",
    "secret",
    "token",
    "key",
    "salt",
    "base",
    "kennwort",
    "passwort",
];

/// True when `key` may name a credential: it ends with a word of a password, secret, token, key
/// or salt (after dropping non-alphanumerics), or holds `password` or `secret` anywhere. A bare
/// `key` is a label.
pub fn maybe_secret(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    k != "key"
        && (KEY_ENDINGS.iter().any(|e| k.ends_with(e))
            || k.contains("password")
            || k.contains("secret"))
}

/// The field blob for one entry: `key: value`, the value part mapped to where it sits.
pub fn entry(key: &str, key_at: usize, data: &[u8], value: Range<usize>) -> Option<Derived> {
    let raw = strip_comment(data, trim(data, value));
    // `"key": value,` is a JSON or flow-style line (often inside a block scalar), not a
    // settings entry; a base64 value is left to the text rules, which check it decoded.
    if data[raw.clone()].ends_with(b",") || is_base64_text(&data[raw.clone()]) {
        return None;
    }
    let value = template_default(data, unquote(data, raw));
    if value.is_empty() || value.len() > MAX_VALUE || !maybe_secret(key) {
        return None;
    }
    let d = keyed(
        key,
        key_at,
        &data[value.clone()],
        &Anchor::Map(vec![(0, value.start)]),
    );
    Some(d.field(FIELD).context(key.to_string()))
}

/// Entries of a YAML file.
pub fn yaml(data: &[u8]) -> Vec<Derived> {
    let mut out = Vec::new();
    // The open list item whose `name:` was a key name: (indent of its content, name, where).
    let mut named: Option<(usize, String, usize)> = None;
    for line in lines(data) {
        let text = &data[line.clone()];
        let indent = text.iter().take_while(|&&b| b == b' ').count();
        let mut at = line.start + indent;
        let rest = &data[at..line.end];
        if rest.is_empty() || rest[0] == b'#' {
            continue;
        }
        let item = rest.starts_with(b"- ");
        if item {
            at += 2 + data[at + 2..line.end]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
        }
        let content = indent + (at - line.start - indent);
        if named.as_ref().is_some_and(|(i, _, _)| content < *i || item) {
            named = None;
        }
        // `- KEY=value` (compose `environment:` list).
        if item && let Some((key, value)) = env_pair(data, at..line.end) {
            out.extend(entry(&key, at, data, value));
            continue;
        }
        let Some((key, key_at, value)) = yaml_pair(data, at..line.end) else {
            continue;
        };
        if key == "name" && item {
            let name = String::from_utf8_lossy(&data[unquote(data, value.clone())]).into_owned();
            named = Some((content, name, value.start));
            continue;
        }
        if key == "value"
            && let Some((_, name, name_at)) = &named
        {
            out.extend(entry(name, *name_at, data, value));
            continue;
        }
        out.extend(entry(&key, key_at, data, value));
    }
    out
}

/// Entries of an INI, properties, TOML or `.conf` file.
pub fn ini(data: &[u8]) -> Vec<Derived> {
    let mut out = Vec::new();
    for line in lines(data) {
        let line = trim(data, line);
        if line.is_empty() || matches!(data[line.start], b'#' | b';' | b'[' | b'!') {
            continue;
        }
        let Some(sep) = data[line.clone()]
            .iter()
            .position(|&b| b == b'=' || b == b':')
            .map(|i| line.start + i)
        else {
            continue;
        };
        let key_range = trim(data, line.start..sep);
        let key = &data[key_range.clone()];
        if key.is_empty() || !key.iter().all(|&b| is_key_byte(b)) {
            continue;
        }
        let key = String::from_utf8_lossy(key).into_owned();
        out.extend(entry(&key, key_range.start, data, sep + 1..line.end));
    }
    out
}

/// A file that is one key (Rails `master.key`): its content without surrounding blanks, handed to
/// `field`.
pub fn whole_key(data: &[u8], field: &'static str) -> Vec<Derived> {
    let value = trim(data, 0..data.len());
    if value.is_empty() || value.len() > MAX_VALUE {
        return Vec::new();
    }
    let d = Derived::new(
        data[value.clone()].to_vec(),
        Anchor::Map(vec![(0, value.start)]),
    );
    vec![d.field(field)]
}

/// `key: value` in YAML: the key plain or quoted, a blank after the colon, a scalar value (not
/// a block indicator, flow collection, anchor, alias or tag).
fn yaml_pair(data: &[u8], span: Range<usize>) -> Option<(String, usize, Range<usize>)> {
    let s = &data[span.clone()];
    let (key, after) = match s.first()? {
        q @ (b'"' | b'\'') => {
            let close = 1 + s[1..].iter().position(|b| b == q)?;
            (&s[1..close], close + 1)
        }
        _ => {
            let colon = memchr::memmem::find(s, b": ")
                .or_else(|| s.ends_with(b":").then(|| s.len() - 1))?;
            (&s[..colon], colon)
        }
    };
    if s.get(after) != Some(&b':') || key.is_empty() || !key.iter().all(|&b| is_key_byte(b)) {
        return None;
    }
    let value = trim(data, span.start + after + 1..span.end);
    let first = *data.get(value.start).filter(|_| !value.is_empty())?;
    if matches!(first, b'|' | b'>' | b'{' | b'[' | b'&' | b'*' | b'!' | b'#') {
        return None;
    }
    Some((String::from_utf8_lossy(key).into_owned(), span.start, value))
}

/// `KEY=value` with an environment-variable name.
fn env_pair(data: &[u8], span: Range<usize>) -> Option<(String, Range<usize>)> {
    let s = &data[span.clone()];
    let s = s.strip_prefix(b"\"").unwrap_or(s);
    let offset = span.end - span.start - s.len();
    let eq = s.iter().position(|&b| b == b'=')?;
    let key = &s[..eq];
    if key.is_empty() || !key.iter().all(|&b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let mut end = span.end;
    if offset == 1 && data[..end].ends_with(b"\"") {
        end -= 1;
    }
    let start = span.start + offset + eq + 1;
    (start <= end).then(|| (String::from_utf8_lossy(key).into_owned(), start..end))
}

/// A base64 run (8+ characters, padded to a multiple of 4) that decodes to printable text.
fn is_base64_text(v: &[u8]) -> bool {
    v.len() >= 8
        && v.len().is_multiple_of(4)
        && v.iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        && crate::codec::base64_decode(v).is_some_and(|d| !d.is_empty() && super::is_text(&d))
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b' ')
}

/// Drop a trailing ` # comment` or ` ; comment` from an unquoted value.
fn strip_comment(data: &[u8], value: Range<usize>) -> Range<usize> {
    if matches!(data.get(value.start), Some(b'"' | b'\'')) {
        return value;
    }
    let v = &data[value.clone()];
    let cut = v
        .windows(2)
        .position(|w| matches!(w[0], b' ' | b'\t') && matches!(w[1], b'#' | b';'));
    match cut {
        Some(i) => trim(data, value.start..value.start + i),
        None => value,
    }
}

/// The literal default of a value that is one variable reference with a default:
/// `${NAME:-default}` and `${NAME:=default}` (POSIX shells, compose files), `${NAME-default}` and
/// `${NAME=default}` (set or not), `${name:default}` (Spring property placeholders). An empty
/// default gives an empty range; any other value (`${NAME}`, `${NAME:?message}`, `${NAME:+alt}`,
/// nested references, text around the reference) is returned as it is.
fn template_default(data: &[u8], value: Range<usize>) -> Range<usize> {
    let v = &data[value.clone()];
    let Some(inner) = v.strip_prefix(b"${").and_then(|r| r.strip_suffix(b"}")) else {
        return value;
    };
    if inner.iter().any(|&b| matches!(b, b'$' | b'{' | b'}')) {
        return value;
    }
    let name_len = inner
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
        .count();
    let rest = &inner[name_len..];
    let op = if rest.starts_with(b":-") || rest.starts_with(b":=") {
        2
    } else if rest.starts_with(b":?") || rest.starts_with(b":+") {
        return value;
    } else if matches!(rest.first(), Some(b':' | b'-' | b'=')) {
        1
    } else {
        return value;
    };
    if name_len == 0 {
        return value;
    }
    let start = value.start + 2 + name_len + op;
    // `${VAR:0:8}` is a shell substring (offset and length), not a default.
    let default = &data[start..value.end - 1];
    if op == 1 && rest[0] == b':' && is_offset_and_length(default) {
        return value;
    }
    unquote(data, start..value.end - 1)
}

/// `offset:length` of a shell substring expansion: two numbers, each may be negative.
fn is_offset_and_length(v: &[u8]) -> bool {
    let number = |p: &[u8]| {
        let p = p.trim_ascii();
        let p = p
            .strip_prefix(b"(")
            .and_then(|p| p.strip_suffix(b")"))
            .unwrap_or(p);
        let p = p.strip_prefix(b"-").unwrap_or(p);
        !p.is_empty() && p.iter().all(u8::is_ascii_digit)
    };
    let mut parts = v.splitn(2, |&b| b == b':');
    let (Some(a), Some(b)) = (parts.next(), parts.next()) else {
        return false;
    };
    number(a) && number(b)
}

/// The inside of a quoted value (`"x"`, `'x'`, `"""x"""`); other values as they are.
fn unquote(data: &[u8], value: Range<usize>) -> Range<usize> {
    let v = &data[value.clone()];
    for q in [&b"\"\"\""[..], b"'''", b"\"", b"'"] {
        if v.len() >= 2 * q.len() && v.starts_with(q) && v.ends_with(q) {
            return value.start + q.len()..value.end - q.len();
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(ds: &[Derived]) -> Vec<String> {
        ds.iter()
            .map(|d| String::from_utf8_lossy(&d.data).into_owned())
            .collect()
    }

    #[test]
    fn yaml_entries() {
        let text = b"db:\n  password: storefront # prod\n  host: db1\n  \"api_token\": 'Zq8v'\n\
            env:\n  - name: DB_PASSWORD\n    value: wordpress\n  - name: MODE\n    value: x\n\
            environment:\n  - MYSQL_PASSWORD=odoo\n  - \"REDIS_PASSWORD=t0k\"\n\
            cfg: |\n  password: inblock\n  \"security.password\": false,\nsecret: *anchor\nkey: value\n\
            b64_password: cGFzc3dvcmQ=\n";
        let ds = yaml(text);
        assert_eq!(
            got(&ds),
            [
                "password: storefront",
                "api_token: Zq8v",
                "DB_PASSWORD: wordpress",
                "MYSQL_PASSWORD: odoo",
                "REDIS_PASSWORD: t0k",
                "password: inblock",
            ]
        );
        // The value maps back to where it sits.
        let d = &ds[2];
        let at = d.anchor.map(d.data.len() - 9).unwrap();
        assert_eq!(&text[at..at + 9], b"wordpress");
        assert_eq!(ds[0].field, Some(FIELD));
    }

    #[test]
    fn ini_entries() {
        let text =
            b"[smtp]\nsmtp_password = airflow ; old\npassword = \"\"\"2x1s#\"\"\"\n# password = no\nhost = x\nspring.datasource.password: root\n";
        assert_eq!(
            got(&ini(text)),
            [
                "smtp_password: airflow",
                "password: 2x1s#",
                "spring.datasource.password: root"
            ]
        );
    }

    #[test]
    fn template_defaults_are_the_value() {
        let text = b"services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-Pq7zR2vL9xWm}\n\
            \x20     - MYSQL_PASSWORD=${MYSQL_PASSWORD:=Hn4Ks8Tq2Vb6}\n\
            \x20     REDIS_PASSWORD: \"${REDIS_PASSWORD-'Vb6Hn4Ks8Tq2'}\"\n\
            \x20     API_TOKEN: ${API_TOKEN:?set it}\n\
            \x20     DB_PASSWORD: ${DB_PASSWORD:-}\n\
            \x20     SMTP_PASSWORD: ${SMTP_PASSWORD:-${MAIL_PASSWORD}}\n\
            \x20     JWT_SECRET: ${JWT_SECRET}\n\
            \x20     APP_SECRET: pre-${APP_SECRET:-x}\n\
            \x20     SESSION_SECRET: ${SESSION_SECRET:0:8}\n";
        let ds = yaml(text);
        let got = got(&ds);
        assert_eq!(
            got[..3],
            [
                "POSTGRES_PASSWORD: Pq7zR2vL9xWm",
                "MYSQL_PASSWORD: Hn4Ks8Tq2Vb6",
                "REDIS_PASSWORD: Vb6Hn4Ks8Tq2",
            ]
        );
        // The rest keep their text (the field rules drop references) or give nothing (empty).
        assert_eq!(
            got[3..],
            [
                "API_TOKEN: ${API_TOKEN:?set it}",
                "SMTP_PASSWORD: ${SMTP_PASSWORD:-${MAIL_PASSWORD}}",
                "JWT_SECRET: ${JWT_SECRET}",
                "APP_SECRET: pre-${APP_SECRET:-x}",
                "SESSION_SECRET: ${SESSION_SECRET:0:8}",
            ]
        );
        // The default maps back to where it sits.
        let d = &ds[0];
        let at = d.anchor.map(d.data.len() - 12).unwrap();
        assert_eq!(&text[at..at + 12], b"Pq7zR2vL9xWm");
        // Spring: `${name:default}` in properties files.
        let props = b"spring.datasource.password=${DB_PASSWORD:Wq9Zr3Lm7Xk2}\njwt.secret: ${jwt.secret:Zr8Kq2Xm7Lp4}\n";
        assert_eq!(
            got_ini(props),
            [
                "spring.datasource.password: Wq9Zr3Lm7Xk2",
                "jwt.secret: Zr8Kq2Xm7Lp4"
            ]
        );
    }

    fn got_ini(text: &[u8]) -> Vec<String> {
        got(&ini(text))
    }

    #[test]
    fn keys_worth_handing_on() {
        for k in [
            "DB_PASSWORD",
            "secret_key_base",
            "smtpPass",
            "api-key",
            "WIFI_PSK",
        ] {
            assert!(maybe_secret(k), "{k}");
        }
        for k in ["key", "host", "max_connections", "name"] {
            assert!(!maybe_secret(k), "{k}");
        }
    }
}
