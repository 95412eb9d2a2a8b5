//! YAML login files of CLI tools: GitHub CLI `hosts.yml`, GitLab CLI `config.yml`, doctl
//! `config.yaml`, RubyGems `~/.gem/credentials`, Yarn `.yarnrc.yml`, and the `users:` of a
//! kubeconfig (through [`kubeconfig_field`], called by the YAML decoder for `kind: Config`).
//!
//! Every scalar is a context span named by its key path; the values that are credentials by
//! the tool's definition become fields (see `rules/workstation.toml`): `cli.token`,
//! `cli.password`, `oauth.*`, and `npm.authtoken` / `npm.auth` for Yarn's npm settings.

use super::yaml::{self, Seg};
use super::{Anchor, Decoded, Derived, base64_decode, clip_label};

/// Which file this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `~/.config/gh/hosts.yml`.
    GhHosts,
    /// `~/.config/glab-cli/config.yml`.
    Glab,
    /// doctl `config.yaml`.
    Doctl,
    /// `~/.gem/credentials`.
    Gem,
    /// `.yarnrc.yml`.
    Yarnrc,
}

fn key(seg: &Seg) -> &str {
    match seg {
        Seg::Key(k) => k,
        Seg::Index(_) => "",
    }
}

fn field(kind: Kind, path: &[Seg]) -> Option<&'static str> {
    let last = key(path.last()?);
    let first = path.first().map_or("", key);
    Some(match (kind, last) {
        (Kind::GhHosts, "oauth_token") => "cli.token",
        (Kind::Glab, "token") if first == "hosts" => "cli.token",
        (Kind::Doctl, "access-token") => "cli.token",
        (Kind::Doctl, _) if first == "auth-contexts" && path.len() == 2 => "cli.token",
        (Kind::Gem, k) if k.ends_with("api_key") => "cli.token",
        (Kind::Yarnrc, "npmAuthToken") => "npm.authtoken",
        (Kind::Yarnrc, "npmAuthIdent") => "npm.auth",
        _ => return None,
    })
}

/// The field of a kubeconfig value at `path`: a user's bearer token, password, or the tokens
/// and client secret of an `auth-provider` (exec plugins are named in the file, never run).
pub fn kubeconfig_field(path: &[Seg]) -> Option<&'static str> {
    match path {
        [Seg::Key(users), Seg::Index(_), Seg::Key(user), rest @ ..]
            if users == "users" && user == "user" =>
        {
            let last = key(rest.last()?);
            Some(match last {
                "token" => "cli.token",
                "password" => "cli.password",
                "access-token" | "id-token" => "oauth.access-token",
                "refresh-token" => "oauth.refresh-token",
                "client-secret" => "oauth.client-secret",
                _ => return None,
            })
        }
        _ => None,
    }
}

/// Decode a tool's YAML login file.
pub fn decode(data: &[u8], kind: Kind) -> Decoded {
    let mut out = Decoded::default();
    let Some(all) = std::str::from_utf8(data).ok().and_then(yaml::scalars) else {
        return out;
    };
    for s in &all {
        let context = clip_label(yaml::path_string(&s.path));
        if let Some(f) = field(kind, &s.path) {
            out.derived
                .extend(value(f, &s.value, s.span.start, &context));
        }
        out.spans.push((s.span.clone(), context));
    }
    out
}

/// The derived blob for a field's value. Yarn's `npmAuthIdent` is `user:password`, optionally
/// base64: the password is the field.
pub fn value(field: &'static str, text: &str, at: usize, context: &str) -> Option<Derived> {
    let d = if field != "npm.auth" {
        Derived::new(text.as_bytes().to_vec(), Anchor::Map(vec![(0, at)]))
    } else if let Some(colon) = text.find(':') {
        let password = text.as_bytes()[colon + 1..].to_vec();
        Derived::new(password, Anchor::Map(vec![(0, at + colon + 1)]))
    } else {
        let plain = base64_decode(text.as_bytes())?;
        let colon = plain.iter().position(|&b| b == b':')?;
        Derived::new(plain[colon + 1..].to_vec(), Anchor::At(at)).step("base64")
    };
    Some(d.field(field).context(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(data: &str, kind: Kind) -> Vec<(&'static str, String, String)> {
        decode(data.as_bytes(), kind)
            .derived
            .into_iter()
            .map(|d| {
                (
                    d.field.unwrap_or(""),
                    String::from_utf8_lossy(&d.data).into_owned(),
                    d.context.unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn cli_login_files() {
        let gh = "github.com:\n    users:\n        me:\n            oauth_token: gho_x\n    oauth_token: gho_x\n    user: me\n";
        let got = fields(gh, Kind::GhHosts);
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[1],
            (
                "cli.token",
                "gho_x".into(),
                "\"github.com\".oauth_token".into()
            )
        );
        let glab =
            "hosts:\n  gitlab.com:\n    token: glpat-x\n    api_host: gitlab.com\ntoken: no\n";
        assert_eq!(fields(glab, Kind::Glab).len(), 1);
        let doctl = "access-token: dop_v1_a\nauth-contexts:\n  work: dop_v1_b\ncontext: default\n";
        let got = fields(doctl, Kind::Doctl);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].2, "auth-contexts.work");
        let gem = "---\n:rubygems_api_key: rubygems_abc\n";
        assert_eq!(fields(gem, Kind::Gem)[0].1, "rubygems_abc");
    }

    #[test]
    fn yarn_token_and_ident() {
        let y = "npmScopes:\n  acme:\n    npmAuthToken: npm_tok\n    npmAuthIdent: \"bob:pw1\"\nnpmAuthIdent: Ym9iOnB3Mg==\n";
        let got = fields(y, Kind::Yarnrc);
        assert_eq!(
            got[0],
            (
                "npm.authtoken",
                "npm_tok".into(),
                "npmScopes.acme.npmAuthToken".into()
            )
        );
        assert_eq!(got[1].1, "pw1");
        assert_eq!(got[2].1, "pw2");
    }

    #[test]
    fn kubeconfig_users() {
        let path = |keys: &[&str]| -> Vec<Seg> {
            let mut p = vec![Seg::Key("users".into()), Seg::Index(0)];
            p.extend(keys.iter().map(|k| Seg::Key(k.to_string())));
            p
        };
        assert_eq!(
            kubeconfig_field(&path(&["user", "token"])),
            Some("cli.token")
        );
        assert_eq!(
            kubeconfig_field(&path(&["user", "auth-provider", "config", "refresh-token"])),
            Some("oauth.refresh-token")
        );
        assert_eq!(kubeconfig_field(&path(&["name"])), None);
        assert_eq!(kubeconfig_field(&path(&["user", "exec", "command"])), None);
    }
}
