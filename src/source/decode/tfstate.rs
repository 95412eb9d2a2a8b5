//! Terraform state (`*.tfstate`, JSON): resource attributes and outputs.
//!
//! - Every string attribute is a context span `aws_db_instance.main attributes.password`.
//! - A string with JSON escapes (a `private_key_pem` with `\n`) is scanned again unescaped, as
//!   `key: value`, located exactly.
//! - Values the state marks sensitive (`sensitive_attributes` paths, outputs with
//!   `"sensitive": true`) are field `terraform.sensitive`: credentials by the provider's own
//!   definition, whatever their entropy.

use super::json::{self, JStr, Json};
use super::{Anchor, Decoded, Derived, clip_label, keyed};

/// Decode a Terraform state file.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let Some(root) = json::parse(data) else {
        out.problems
            .push("not valid JSON; scanned as plain text".into());
        return out;
    };
    for resource in root.get("resources").map_or(&[][..], Json::as_array) {
        let name = |k: &str| {
            resource
                .get(k)
                .and_then(Json::as_str)
                .map(|s| s.text.as_str())
        };
        let mut prefix = String::new();
        if let Some(module) = name("module") {
            prefix.push_str(module);
            prefix.push('.');
        }
        if name("mode") == Some("data") {
            prefix.push_str("data.");
        }
        prefix.push_str(&format!(
            "{}.{}",
            name("type").unwrap_or("?"),
            name("name").unwrap_or("?")
        ));
        for (n, instance) in resource
            .get("instances")
            .map_or(&[][..], Json::as_array)
            .iter()
            .enumerate()
        {
            let head = match instance.get("index_key") {
                Some(Json::Str(k)) => format!("{prefix}[{:?}]", k.text),
                Some(_) => format!("{prefix}[{n}]"),
                None => prefix.clone(),
            };
            let Some(attrs) = instance.get("attributes") else {
                continue;
            };
            walk(attrs, data, &format!("{head} attributes"), "", &mut out);
            let mut marked = std::collections::HashSet::new();
            for path in instance
                .get("sensitive_attributes")
                .map_or(&[][..], Json::as_array)
            {
                let steps = match path {
                    Json::Array(steps) => steps.as_slice(),
                    step => std::slice::from_ref(step),
                };
                // A node named by several paths is marked once (`[[], [], ...]` all name the
                // whole attributes object).
                if let Some((node, ctx)) = resolve(attrs, steps)
                    && marked.insert(std::ptr::from_ref(node))
                {
                    sensitive(node, data, &format!("{head} attributes{ctx}"), &mut out);
                }
            }
        }
    }
    for (name, output) in root.get("outputs").map(Json::members).unwrap_or_default() {
        let Some(value) = output.get("value") else {
            continue;
        };
        let context = format!("output {:?}", name.text);
        walk(value, data, &context, &name.text, &mut out);
        if output.get("sensitive") == Some(&Json::Bool(true)) {
            sensitive(value, data, &context, &mut out);
        }
    }
    out
}

/// Spans for every string under `node`; escaped strings are rescanned unescaped.
fn walk(node: &Json, data: &[u8], context: &str, key: &str, out: &mut Decoded) {
    match node {
        Json::Str(s) => string(s, data, context, key, out),
        Json::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, data, &format!("{context}[{i}]"), key, out);
            }
        }
        Json::Object(members) => {
            for (k, v) in members {
                walk(v, data, &format!("{context}.{}", k.text), &k.text, out);
            }
        }
        Json::Bool(_) | Json::Num(_) | Json::Null => {}
    }
}

fn string(s: &JStr, data: &[u8], context: &str, key: &str, out: &mut Decoded) {
    let inner = s.inner();
    if data[inner.clone()].contains(&b'\\') {
        let m = s.mapped(data);
        let key = if key.is_empty() { "value" } else { key };
        let d = keyed(key, s.start(), &m.text, &Anchor::Map(m.map));
        out.derived.push(
            d.context(clip_label(context.to_string()))
                .replaces(inner.clone()),
        );
    }
    out.spans.push((inner, clip_label(context.to_string())));
}

/// Follow `sensitive_attributes` steps (`get_attr` / `index`) from `attrs`.
fn resolve<'a>(attrs: &'a Json, steps: &[Json]) -> Option<(&'a Json, String)> {
    let mut node = attrs;
    let mut ctx = String::new();
    for step in steps {
        let kind = step.get("type").and_then(Json::as_str)?.text.as_str();
        let value = step.get("value")?;
        match (kind, value) {
            ("get_attr", Json::Str(name)) => {
                node = node.get(&name.text)?;
                ctx.push_str(&format!(".{}", name.text));
            }
            ("index", index) => {
                let key = index.get("value")?;
                node = match key {
                    Json::Str(k) => {
                        ctx.push_str(&format!("[{:?}]", k.text));
                        node.get(&k.text)?
                    }
                    Json::Num(i) if *i >= 0.0 => {
                        ctx.push_str(&format!("[{i}]"));
                        node.as_array().get(*i as usize)?
                    }
                    _ => return None,
                };
            }
            _ => return None,
        }
    }
    Some((node, ctx))
}

/// Every string under a sensitive node becomes a `terraform.sensitive` field.
fn sensitive(node: &Json, data: &[u8], context: &str, out: &mut Decoded) {
    match node {
        Json::Str(s) if !s.text.is_empty() => {
            let m = s.mapped(data);
            let d = Derived::new(m.text, Anchor::Map(m.map));
            out.derived.push(
                d.field("terraform.sensitive")
                    .context(clip_label(context.to_string())),
            );
        }
        Json::Array(items) => items.iter().for_each(|i| sensitive(i, data, context, out)),
        Json::Object(members) => {
            for (k, v) in members {
                sensitive(v, data, &format!("{context}.{}", k.text), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATE: &str = r#"{"version": 4, "resources": [{"mode": "managed", "type": "aws_db_instance", "name": "main",
 "instances": [{"attributes": {"username": "admin", "password": "pw1", "key": "-----BEGIN K-----\nabc\n"},
 "sensitive_attributes": [[{"type": "get_attr", "value": "password"}]]}]}],
 "outputs": {"pw": {"value": "out-secret", "type": "string", "sensitive": true}, "url": {"value": "u", "sensitive": false}}}"#;

    #[test]
    fn sensitive_attributes_outputs_and_escapes() {
        let d = decode(STATE.as_bytes());
        let fields: Vec<_> = d
            .derived
            .iter()
            .filter(|x| x.field.is_some())
            .map(|x| (x.data.as_slice(), x.context.as_deref().unwrap()))
            .collect();
        assert_eq!(
            fields,
            vec![
                (&b"pw1"[..], "aws_db_instance.main attributes.password"),
                (b"out-secret", "output \"pw\""),
            ]
        );
        let escaped: Vec<_> = d.derived.iter().filter(|x| x.field.is_none()).collect();
        assert_eq!(escaped.len(), 1);
        assert_eq!(escaped[0].data, b"key: -----BEGIN K-----\nabc\n");
        assert!(
            d.spans
                .iter()
                .any(|(_, c)| c == "aws_db_instance.main attributes.username")
        );
    }

    #[test]
    fn malformed_state_is_a_problem_not_a_failure() {
        let d = decode(b"{\"version\": 4, ");
        assert_eq!(d.problems.len(), 1);
        assert!(d.derived.is_empty());
    }

    /// `sensitive_attributes: [[], [], ...]` names the whole attributes object once per entry:
    /// every string under it was a field again for each (10,000 x 10,000 derived blobs).
    #[test]
    fn oom_repeated_sensitive_paths() {
        let state = format!(
            "{{\"resources\": [{{\"type\": \"t\", \"name\": \"n\", \"instances\": [{{\"attributes\": {{\"k\": [{}\"x\"]}}, \"sensitive_attributes\": [{}[]]}}]}}]}}",
            "\"x\",".repeat(9_999),
            "[],".repeat(9_999)
        );
        let d = decode(state.as_bytes());
        assert_eq!(d.derived.len(), 10_000);
        assert_eq!(d.spans.len(), 10_000);
        assert_eq!(
            d.derived[0].context.as_deref(),
            Some("t.n attributes.k"),
            "{:?}",
            d.derived[0]
        );
        let long = format!(
            "{{\"resources\": [{{\"instances\": [{{\"attributes\": {{\"{}\": [\"x\", \"y\"]}}}}]}}]}}",
            "k".repeat(50_000)
        );
        let d = decode(long.as_bytes());
        assert_eq!(d.spans.len(), 2);
        assert!(
            d.spans
                .iter()
                .all(|(_, l)| l.len() <= super::super::MAX_LABEL + 3)
        );
    }
}
