//! docker client config: `~/.docker/config.json` (`{"auths": {registry: {...}}}`), the legacy
//! `.dockercfg` (registries at the top level) and a Kubernetes `.dockerconfigjson` value.
//!
//! `auth` is base64 of `user:password`: the password is reported as field `docker.auth`, located
//! at the start of the base64 text, with the registry in the context. `identitytoken` and
//! `registrytoken` are reported as field `docker.identitytoken`. Every string value is a
//! context span.

use super::json::{self, JStr};
use super::{Anchor, Decoded, Derived, base64_decode, clip_label};

/// Decode a docker config.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let Some(root) = json::parse(data) else {
        return out;
    };
    let (registries, prefix) = match root.get("auths") {
        Some(auths) => (auths, "auths."),
        None => (&root, ""),
    };
    for (registry, entry) in registries.members() {
        for (key, value) in entry.members() {
            let Some(value) = value.as_str() else {
                continue;
            };
            let context = clip_label(format!("{prefix}{:?}.{}", registry.text, key.text));
            match key.text.as_str() {
                "auth" => out.derived.extend(auth(value, &context)),
                "identitytoken" | "registrytoken" => {
                    let m = value.mapped(data);
                    let d = Derived::new(m.text, Anchor::Map(m.map));
                    out.derived
                        .push(d.context(context.clone()).field("docker.identitytoken"));
                }
                _ => {}
            }
            out.spans.push((value.inner(), context));
        }
    }
    out
}

/// The password inside an `auth` value, if it decodes to `user:password`.
fn auth(value: &JStr, context: &str) -> Option<Derived> {
    let decoded = base64_decode(value.text.as_bytes())?;
    let colon = decoded.iter().position(|&b| b == b':')?;
    let password = decoded[colon + 1..].to_vec();
    Some(
        Derived::new(password, Anchor::At(value.start()))
            .step("base64")
            .context(context)
            .replaces(value.inner())
            .field("docker.auth"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auths_passwords_and_tokens() {
        let text = br#"{"auths": {"ghcr.io": {"auth": "Ym9iOlM0ZmVQYXNz"}, "q.io": {"identitytoken": "tok3n"}}}"#;
        let d = decode(text);
        assert_eq!(d.derived.len(), 2);
        let a = &d.derived[0];
        assert_eq!(a.data, b"S4fePass");
        assert_eq!(a.field, Some("docker.auth"));
        assert_eq!(a.context.as_deref(), Some("auths.\"ghcr.io\".auth"));
        let at = text.windows(4).position(|w| w == b"Ym9i").unwrap();
        assert_eq!(a.anchor, Anchor::At(at));
        assert_eq!(d.derived[1].data, b"tok3n");
        assert_eq!(d.derived[1].field, Some("docker.identitytoken"));
    }

    #[test]
    fn legacy_dockercfg_and_garbage() {
        let d = decode(br#"{"https://index.docker.io/v1/": {"auth": "dTpw", "email": "a@b"}}"#);
        assert_eq!(d.derived[0].data, b"p");
        assert_eq!(d.spans.len(), 2);
        assert!(decode(b"{not json").derived.is_empty());
        // No colon: not user:password.
        assert!(
            decode(br#"{"auths": {"r": {"auth": "bm9jb2xvbg=="}}}"#)
                .derived
                .is_empty()
        );
    }
}
