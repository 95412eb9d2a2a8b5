//! YAML files: Kubernetes manifests, Helm values and any other YAML.
//!
//! - Every scalar becomes a context span (`Secret/db-creds data.password`, `image.tag`), so
//!   hits the text scan finds in it name their key path.
//! - In a `kind: Secret`, each `data:` value is base64: it is decoded and scanned again as the
//!   `key: value` line `stringData:` would hold (so assignment rules see the key), or as a file
//!   of its own when it spans lines or its key names a format (`.dockerconfigjson`, `app.env`).
//!   `binaryData:` of any kind (ConfigMaps) is decoded the same way.
//! - `stringData:` and ConfigMap `data:` are plain text, already seen by the text scan.
//! - A kubeconfig (`kind: Config`): each user's `token`, `password` and `auth-provider` tokens
//!   are fields (`credyaml::kubeconfig_field`); `client-key-data` is base64 PEM, decoded like any
//!   base64 run; `exec` plugins are named in the file and never run.
//!
//! A decoded value points at the start of its base64 text in the file (the line of the key).

use super::credyaml;
use super::yaml::{self, Scalar, Seg};
use super::{
    Anchor, Decoded, Derived, base64_decode, clip_label, format_of, is_text, keyed, settings,
};

/// Decode a YAML stream. Without `want_spans`, only files that may hold base64 secrets are
/// parsed (spans are needed only to label hits, and parsing costs more than the text scan).
pub fn decode(data: &[u8], want_spans: bool) -> Decoded {
    let mut out = Decoded::default();
    let may_encode = memchr::memmem::find(data, b"Secret").is_some()
        || memchr::memmem::find(data, b"binaryData").is_some()
        || memchr::memmem::find(data, b"kind: Config").is_some();
    if !want_spans && !may_encode {
        return out;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return out;
    };
    let Some(all) = yaml::scalars(text) else {
        return out;
    };
    let mut start = 0;
    while start < all.len() {
        let doc = all[start].doc;
        let end = start + all[start..].iter().take_while(|s| s.doc == doc).count();
        document(&all[start..end], data, want_spans, &mut out);
        start = end;
    }
    out
}

fn document(scalars: &[Scalar], data: &[u8], want_spans: bool, out: &mut Decoded) {
    let top = |key: &str| {
        scalars
            .iter()
            .find(|s| matches!(s.path.as_slice(), [Seg::Key(k)] if k == key))
            .map(|s| s.value.as_str())
    };
    let name = scalars
        .iter()
        .find(|s| matches!(s.path.as_slice(), [Seg::Key(m), Seg::Key(n)] if m == "metadata" && n == "name"))
        .map(|s| s.value.as_str());
    let kind = top("kind");
    let prefix = match (kind, name, top("apiVersion")) {
        (Some(kind), Some(name), Some(_)) => format!("{kind}/{name} "),
        _ => String::new(),
    };
    for s in scalars {
        let context = clip_label(format!("{prefix}{}", yaml::path_string(&s.path)));
        let encoded = match s.path.as_slice() {
            [Seg::Key(section), Seg::Key(key)] if is_encoded(kind, section) => Some(key),
            _ => None,
        };
        if let Some(d) = encoded.and_then(|key| decoded_entry(key, s, data)) {
            out.derived.push(d.context(context.clone()));
        }
        if kind == Some("Config")
            && let Some(field) = credyaml::kubeconfig_field(&s.path)
        {
            out.derived
                .extend(credyaml::value(field, &s.value, s.span.start, &context));
        }
        if want_spans {
            out.spans.push((s.span.clone(), context));
        }
    }
}

fn is_encoded(kind: Option<&str>, section: &str) -> bool {
    section == "binaryData" || (section == "data" && kind == Some("Secret"))
}

/// The decoded form of one base64 `data:` entry, if it decodes to text.
fn decoded_entry(key: &str, s: &Scalar, data: &[u8]) -> Option<Derived> {
    let bytes = base64_decode(s.value.as_bytes())?;
    if bytes.is_empty() || !is_text(&bytes) {
        return None;
    }
    let anchor = Anchor::At(s.span.start);
    let trimmed = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
    let single_line = !trimmed.contains(&b'\n');
    let d = if single_line && format_of(key, &bytes).is_none() {
        let d = keyed(key, s.span.start, trimmed, &anchor);
        // A Secret's value is a value whatever it looks like: the settings field rules see it.
        if settings::maybe_secret(key) {
            d.field(settings::FIELD)
        } else {
            d
        }
    } else {
        Derived::new(bytes, anchor).name(key)
    };
    // The raw text of the value (possibly folded over lines) is what the decoded form replaces.
    let end = s.span.end.min(data.len());
    Some(d.step("base64").replaces(s.span.start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  dbpass: aHVudGVyMlNlY3JldA==\n  .env: TkFNRT1hYmMKREVCVUc9MQo=\n  bin: AAECAw==\nstringData:\n  user: admin\n";

    #[test]
    fn secret_data_is_decoded_with_key_and_context() {
        let d = decode(SECRET.as_bytes(), false);
        assert!(d.spans.is_empty());
        assert_eq!(d.derived.len(), 2, "{:?}", d.derived);
        let pw = &d.derived[0];
        assert_eq!(pw.data, b"dbpass: hunter2Secret");
        assert_eq!(pw.step.as_deref(), Some("base64"));
        assert_eq!(pw.context.as_deref(), Some("Secret/db data.dbpass"));
        let at = SECRET.find("aHVu").unwrap();
        assert_eq!(pw.anchor, Anchor::At(at));
        assert_eq!(pw.replaces, Some(at..at + 20));
        let env = &d.derived[1];
        assert_eq!(env.data, b"NAME=abc\nDEBUG=1\n");
        assert_eq!(env.name, ".env");
    }

    #[test]
    fn spans_when_asked_and_configmaps_left_alone() {
        let cm =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  mode: dG9rZW4=\n";
        let d = decode(cm.as_bytes(), true);
        assert!(d.derived.is_empty());
        assert_eq!(d.spans.last().unwrap().1, "ConfigMap/app data.mode");
        let helm = "db:\n  password: x\n";
        let d = decode(helm.as_bytes(), true);
        assert_eq!(d.spans[0].1, "db.password");
        // Not YAML (a Helm template): nothing, the text scan still runs.
        let d = decode(b"kind: Secret\ndata: {{ .Values.x }\n", true);
        assert!(d.spans.is_empty() && d.derived.is_empty());
    }
}
