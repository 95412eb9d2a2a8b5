//! XML client and server configs that keep passwords readable:
//! - FileZilla `sitemanager.xml` / `recentservers.xml`: `<Server><Pass encoding="base64">`
//!   (decoded) or a plain `<Pass>` -> field `filezilla.password` (`encoding="crypt"`, protected by
//!   a master password, is left alone);
//! - JetBrains `.idea/webServers.xml` (`<fileTransfer password>`) and `dataSources.xml` /
//!   `dataSources.local.xml` (`<user-password>`), hex-obfuscated by `PasswordUtil` (each UTF-16
//!   unit XOR `0xDFAA`, four hex digits) and decoded -> field `jetbrains.password`;
//! - Maven `settings.xml`: `<server>` `<password>` / `<passphrase>` and `<proxy>` `<password>`,
//!   except `{...}` values, encrypted with a master key kept elsewhere -> field `maven.password`;
//! - `NuGet.Config`: `<packageSourceCredentials>` `ClearTextPassword` -> field `nuget.password`;
//! - .NET `web.config` / `app.config`: `<connectionStrings>` `Password=` / `Pwd=` -> field
//!   `dotnet.connection-string`;
//! - Tomcat `tomcat-users.xml` `<user password>` and `server.xml` / `context.xml` password
//!   attributes (`<Resource password>`, `keystorePass`, `truststorePass`...) -> field
//!   `tomcat.password`.
//!
//! Comments are skipped (Tomcat ships its sample users commented out). The context names the
//! server, source, connection or user the password belongs to.

use std::ops::Range;

use super::xml::{self, Element, attr_of, child_text, text_of};
use super::{Decoded, base64_decode, emit, is_text};

/// Which file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// FileZilla site manager or recent servers.
    FileZilla,
    /// JetBrains IDE `.idea` web servers or data sources.
    JetBrains,
    /// Maven `settings.xml`.
    Maven,
    /// `NuGet.Config`.
    NuGet,
    /// .NET `web.config` / `app.config`.
    DotnetConfig,
    /// Tomcat `tomcat-users.xml`, `server.xml`, `context.xml`.
    Tomcat,
}

/// Decode an XML config.
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    let Some(els) = xml::parse(data) else {
        return out;
    };
    for e in &els {
        let parent = e.parent.map(|p| &els[p]);
        let named = |n: &str| e.name.eq_ignore_ascii_case(n);
        match kind {
            Kind::FileZilla if named("Pass") => filezilla(data, &els, e, &mut out),
            Kind::JetBrains if named("fileTransfer") => {
                let server = parent.and_then(|p| attr_text(data, p, "name"));
                let context = emit::label(&[
                    ("webServer", server.as_deref()),
                    ("host", attr_text(data, e, "host").as_deref()),
                    ("login", attr_text(data, e, "login").as_deref()),
                ]);
                if let Some(r) = e.attr("password") {
                    jetbrains(data, r, context, &mut out);
                }
            }
            Kind::JetBrains if named("user-password") => {
                let source = parent.and_then(|p| attr_text(data, p, "name"));
                let user = e
                    .parent
                    .and_then(|p| child_text(data, &els, p, "user-name"));
                let context = emit::label(&[
                    ("data-source", source.as_deref()),
                    ("user", user.as_deref()),
                ]);
                if let Some(r) = e.text.clone() {
                    jetbrains(data, r, context, &mut out);
                }
            }
            Kind::Maven if named("password") || named("passphrase") => {
                let Some(p) = e.parent else { continue };
                let id = child_text(data, &els, p, "id");
                let context = emit::label(&[(short(&els[p].name), id.as_deref())]);
                let value = text_of(data, e);
                // `{...}`: encrypted with the master password of settings-security.xml.
                let encrypted = value.as_ref().is_some_and(|v| {
                    v.text.starts_with(b"{") && v.text.ends_with(b"}") && v.text.len() > 2
                });
                if let (Some(v), Some(r), false) = (value, e.text.clone(), encrypted) {
                    emit::plain(&mut out, v, r, "maven.password", context);
                }
            }
            Kind::NuGet if named("add") => {
                let key = attr_text(data, e, "key").unwrap_or_default();
                let in_credentials = parent
                    .and_then(|p| p.parent)
                    .is_some_and(|g| els[g].name.eq_ignore_ascii_case("packageSourceCredentials"));
                if !in_credentials || !key.eq_ignore_ascii_case("ClearTextPassword") {
                    continue;
                }
                let source = parent.map(|p| short(&p.name).replace("_x0020_", " "));
                let context = emit::label(&[("packageSourceCredentials", source.as_deref())]);
                attribute(data, e, "value", "nuget.password", context, &mut out);
            }
            Kind::DotnetConfig if named("add") => {
                let in_strings =
                    parent.is_some_and(|p| p.name.eq_ignore_ascii_case("connectionStrings"));
                if let (true, Some(r)) = (in_strings, e.attr("connectionString")) {
                    let name = attr_text(data, e, "name");
                    let context = emit::label(&[("connectionStrings", name.as_deref())]);
                    connection_string(data, r, &context, &mut out);
                }
            }
            Kind::Tomcat => tomcat(data, e, &mut out),
            _ => {}
        }
    }
    out
}

/// At most the first 256 bytes of a tag name, for a label: a parent's name is copied into the
/// label of every child, and a hostile file must not make that quadratic.
fn short(name: &str) -> &str {
    let mut end = name.len().min(256);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

fn attr_text(data: &[u8], e: &Element, name: &str) -> Option<String> {
    xml::attr_label(data, e, name)
}

fn attribute(
    data: &[u8],
    e: &Element,
    name: &str,
    field: &'static str,
    context: String,
    out: &mut Decoded,
) {
    if let (Some(v), Some(r)) = (attr_of(data, e, name), e.attr(name)) {
        emit::plain(out, v, r, field, context);
    }
}

fn filezilla(data: &[u8], els: &[Element], e: &Element, out: &mut Decoded) {
    let (Some(range), Some(p)) = (e.text.clone(), e.parent) else {
        return;
    };
    let host = child_text(data, els, p, "Host");
    let port = child_text(data, els, p, "Port");
    let host = match (host, port) {
        (Some(h), Some(p)) => Some(format!("{h}:{p}")),
        (h, _) => h,
    };
    let context = emit::label(&[
        ("site", child_text(data, els, p, "Name").as_deref()),
        ("host", host.as_deref()),
        ("user", child_text(data, els, p, "User").as_deref()),
    ]);
    match attr_text(data, e, "encoding").as_deref() {
        Some(enc) if enc.eq_ignore_ascii_case("base64") => {
            if let Some(pw) = base64_decode(&data[range.clone()]).filter(|p| is_text(p)) {
                emit::decoded(out, pw, range, "base64", "filezilla.password", context);
            }
        }
        None | Some("") | Some("plain") => {
            if let Some(v) = text_of(data, e) {
                emit::plain(out, v, range, "filezilla.password", context);
            }
        }
        Some(_) => {}
    }
}

/// A JetBrains `PasswordUtil` value: decoded when it is the hex form, else reported as written.
fn jetbrains(data: &[u8], range: Range<usize>, context: String, out: &mut Decoded) {
    let raw = &data[range.clone()];
    match password_util_decode(raw) {
        Some(pw) => emit::decoded(
            out,
            pw,
            range,
            "jetbrains-passwordutil",
            "jetbrains.password",
            context,
        ),
        None => emit::raw(out, data, range, "jetbrains.password", context),
    }
}

/// Decode `PasswordUtil.encodePassword`: four hex digits per UTF-16 unit, each XOR `0xDFAA`.
pub fn password_util_decode(hex: &[u8]) -> Option<Vec<u8>> {
    if hex.is_empty() || !hex.len().is_multiple_of(4) {
        return None;
    }
    let units: Vec<u16> = hex
        .chunks(4)
        .map(|c| {
            std::str::from_utf8(c)
                .ok()
                .and_then(|h| u16::from_str_radix(h, 16).ok())
                .map(|u| u ^ 0xDFAA)
        })
        .collect::<Option<_>>()?;
    let text = String::from_utf16(&units).ok()?;
    is_text(text.as_bytes()).then(|| text.into_bytes())
}

/// The `Password=` / `Pwd=` values of an ADO.NET connection string (and of one nested in an
/// Entity Framework `provider connection string="..."`).
fn connection_string(data: &[u8], range: Range<usize>, context: &str, out: &mut Decoded) {
    let value = xml::unescape(data, range);
    let mut found = Vec::new();
    pairs(&value.text, 0..value.text.len(), false, &mut found);
    for (key, r) in found {
        if matches!(key.as_str(), "password" | "pwd") && !r.is_empty() {
            let m = emit::slice(&value, r);
            let start = m.map.first().map_or(0, |p| p.1);
            let end = m.map.last().map_or(start, |&(d, p)| p + (m.text.len() - d));
            emit::plain(
                out,
                m,
                start..end,
                "dotnet.connection-string",
                context.to_string(),
            );
        }
    }
}

/// `key=value` pairs separated by `;`, values optionally quoted with `"` or `'`.
fn pairs(text: &[u8], within: Range<usize>, nested: bool, out: &mut Vec<(String, Range<usize>)>) {
    let to = within.end;
    let mut i = within.start;
    while i < to {
        while i < to && (text[i] == b';' || text[i].is_ascii_whitespace()) {
            i += 1;
        }
        let Some(eq) = memchr::memchr(b'=', &text[i..to]).map(|n| i + n) else {
            break;
        };
        let key = String::from_utf8_lossy(&text[i..eq])
            .trim()
            .to_ascii_lowercase();
        let mut j = eq + 1;
        while j < to && text[j] == b' ' {
            j += 1;
        }
        let (value, next) = match text.get(j) {
            Some(&q @ (b'"' | b'\'')) if j < to => {
                let end = memchr::memchr(q, &text[j + 1..to]).map_or(to, |n| j + 1 + n);
                (j + 1..end, end + 1)
            }
            _ => {
                let end = memchr::memchr(b';', &text[j.min(to)..to]).map_or(to, |n| j + n);
                (super::trim(text, j.min(end)..end), end)
            }
        };
        if key == "provider connection string" && !nested {
            pairs(text, value, true, out);
        } else {
            out.push((key, value));
        }
        i = next;
    }
}

/// Tomcat: `<user password>` in tomcat-users.xml; password attributes elsewhere.
fn tomcat(data: &[u8], e: &Element, out: &mut Decoded) {
    const ATTRS: &[&str] = &[
        "password",
        "keystorePass",
        "truststorePass",
        "certificateKeystorePassword",
        "certificateKeyPassword",
        "connectionPassword",
    ];
    for name in ATTRS {
        if e.attr(name).is_none() {
            continue;
        }
        let who = if e.name.eq_ignore_ascii_case("user") {
            (
                "user",
                attr_text(data, e, "username").or_else(|| attr_text(data, e, "name")),
            )
        } else {
            (e.name.as_str(), attr_text(data, e, "name"))
        };
        let context = format!("{} {}", emit::label(&[(who.0, who.1.as_deref())]), name);
        attribute(
            data,
            e,
            name,
            "tomcat.password",
            context.trim().to_string(),
            out,
        );
    }
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
    fn filezilla_base64_and_plain() {
        let doc = b"<FileZilla3><Servers><Server><Host>h.example</Host><Port>21</Port><User>u</User><Pass encoding=\"base64\">cDRzcyE=</Pass><Name>Shop</Name></Server><Server><Host>h2</Host><Pass>pl&amp;in</Pass></Server><Server><Pass encoding=\"crypt\">zzz</Pass></Server></Servers></FileZilla3>";
        let d = decode(doc, Kind::FileZilla);
        assert_eq!(
            got(&d),
            [
                ("p4ss!".into(), "site Shop host h.example:21 user u".into()),
                ("pl&in".into(), "host h2".into())
            ]
        );
        assert_eq!(d.derived[0].step.as_deref(), Some("base64"));
    }

    #[test]
    fn jetbrains_password_util() {
        assert_eq!(
            password_util_decode(b"dfd9dfc2").as_deref(),
            Some(&b"sh"[..])
        );
        assert!(password_util_decode(b"xyz1").is_none());
        let doc = br#"<project><component name="WebServers"><option name="servers"><webServer name="prod"><fileTransfer host="ftp.x" login="me" password="dfd9dfc2" /></webServer></option></component></project>"#;
        assert_eq!(
            got(&decode(doc, Kind::JetBrains)),
            [("sh".into(), "webServer prod host ftp.x login me".into())]
        );
        let ds = b"<project><data-source name=\"db\"><user-name>app</user-name><user-password>dfd9dfc2</user-password></data-source></project>";
        assert_eq!(
            got(&decode(ds, Kind::JetBrains)),
            [("sh".into(), "data-source db user app".into())]
        );
    }

    #[test]
    fn maven_nuget_dotnet_tomcat() {
        let m = b"<settings><servers><server><id>r</id><password>pw1</password></server><server><id>e</id><password>{AbC=}</password></server></servers><proxies><proxy><id>c</id><password>pw2</password></proxy></proxies></settings>";
        assert_eq!(
            got(&decode(m, Kind::Maven)),
            [
                ("pw1".into(), "server r".into()),
                ("pw2".into(), "proxy c".into())
            ]
        );
        let n = b"<configuration><packageSourceCredentials><My_x0020_Feed><add key=\"Username\" value=\"u\"/><add key=\"ClearTextPassword\" value=\"pw3\"/></My_x0020_Feed></packageSourceCredentials><appSettings><add key=\"ClearTextPassword\" value=\"no\"/></appSettings></configuration>";
        assert_eq!(
            got(&decode(n, Kind::NuGet)),
            [("pw3".into(), "packageSourceCredentials My Feed".into())]
        );
        let w = br#"<configuration><connectionStrings><add name="A" connectionString="Server=s;User ID=u;Password=p;w4;x" /><add name="B" connectionString="Data Source=s;Pwd='q;5'" /><add name="EF" connectionString="metadata=res://*;provider connection string=&quot;data source=s;password=e&amp;6;&quot;" /></connectionStrings></configuration>"#;
        let d = decode(w, Kind::DotnetConfig);
        assert_eq!(
            got(&d),
            [
                ("p".into(), "connectionStrings A".into()),
                ("q;5".into(), "connectionStrings B".into()),
                ("e&6".into(), "connectionStrings EF".into())
            ]
        );
        let at = d.derived[2].anchor.map(1).unwrap();
        assert_eq!(&w[at..at + 5], b"&amp;");
        let t = b"<tomcat-users><user username=\"admin\" password=\"admin\"/><!-- <user username=\"r\" password=\"<must-be-changed>\"/> --></tomcat-users>";
        assert_eq!(
            got(&decode(t, Kind::Tomcat)),
            [("admin".into(), "user admin password".into())]
        );
        assert!(decode(b"<a", Kind::Tomcat).derived.is_empty());
    }

    /// A hostile file: 20,000 `<Pass>` siblings under one server with a 50 KB host name. Each
    /// label reads the host once, clipped, and looks at a bounded number of siblings, so this
    /// stays linear (it took minutes when every `<Pass>` scanned all its siblings).
    #[test]
    fn slow_many_siblings_and_long_names_stay_linear() {
        let host = "h".repeat(50_000);
        let mut doc = format!("<FileZilla3><Servers><Server><Host>{host}</Host>");
        for _ in 0..20_000 {
            doc.push_str("<Pass>pw1</Pass>");
        }
        doc.push_str("</Server></Servers></FileZilla3>");
        let d = decode(doc.as_bytes(), Kind::FileZilla);
        assert_eq!(d.derived.len(), 20_000);
        let limit = crate::source::decode::MAX_LABEL + 3;
        assert!(
            d.derived
                .iter()
                .all(|x| x.context.as_ref().unwrap().len() <= limit)
        );
    }
}
