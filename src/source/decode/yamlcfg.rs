//! YAML client configs whose keys say what a value is (gh's `hosts.yml` and hub's config are
//! `credyaml`'s):
//! - tugboat (DigitalOcean CLI) `~/.tugboat`: `authentication.access_token` -> field
//!   `tugboat.access-token`;
//! - Rails `config/database.yml` and Mongoid `config/mongoid.yml`: `password` at any depth ->
//!   field `rails.database-password` (ERB such as `<%= ENV["X"] %>` is a stand-in, dropped by the
//!   placeholder checks; passwords inside `url:`/`uri:` are the URL rules' business).
//!
//! Every scalar is a context span labelled with its key path, as for any YAML file.

use super::yaml::{self, Seg};
use super::{Decoded, Mapped, clip_label, emit};

/// Which file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `.tugboat`.
    Tugboat,
    /// Rails `database.yml`, Mongoid `mongoid.yml`.
    RailsDatabase,
}

/// Decode a YAML client config.
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    let Some(scalars) = std::str::from_utf8(data).ok().and_then(yaml::scalars) else {
        return out;
    };
    for s in &scalars {
        let context = clip_label(yaml::path_string(&s.path));
        let key = match s.path.last() {
            Some(Seg::Key(k)) => k.to_ascii_lowercase(),
            _ => String::new(),
        };
        let field = match (kind, key.as_str()) {
            (Kind::Tugboat, "access_token") => Some("tugboat.access-token"),
            (Kind::RailsDatabase, "password") => Some("rails.database-password"),
            _ => None,
        };
        // A plain or quoted scalar on one line maps byte for byte; a folded one points at its
        // start.
        let exact = !s.block && s.span.len() == s.value.len();
        match field {
            Some(field) if exact => {
                let mut m = Mapped::default();
                m.push(s.value.as_bytes(), s.span.start);
                emit::plain(&mut out, m, s.span.clone(), field, context);
            }
            Some(field) => {
                let span = s.span.start..s.span.end.min(data.len());
                emit::decoded(
                    &mut out,
                    s.value.clone().into_bytes(),
                    span,
                    "yaml",
                    field,
                    context,
                );
            }
            None => out.spans.push((s.span.clone(), context)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn got(text: &[u8], kind: Kind) -> Vec<(String, String)> {
        decode(text, kind)
            .derived
            .iter()
            .map(|x| {
                (
                    String::from_utf8_lossy(&x.data).into_owned(),
                    x.context.clone().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn tugboat_and_rails() {
        let tug = b"---\nauthentication:\n  access_token: a1\nssh:\n  ssh_user: root\n";
        assert_eq!(
            got(tug, Kind::Tugboat),
            [("a1".into(), "authentication.access_token".into())]
        );
        let db = b"development:\n  username: app\n  password: app\nproduction:\n  password: <%= ENV[\"P\"] %>\n";
        let d = decode(db, Kind::RailsDatabase);
        assert_eq!(d.derived.len(), 2);
        let at = d.derived[0].anchor.map(1).unwrap();
        assert_eq!(&db[at - 1..at + 2], b"app");
        assert!(decode(b"a: [", Kind::Tugboat).derived.is_empty());
    }
}
