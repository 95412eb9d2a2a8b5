//! How the client-config decoders hand a credential over: one helper for a value read as it is
//! written (located character by character) and one for a value decoded from its written form
//! (base64, an obfuscation), which points at the start of the encoded text and replaces it.

use std::ops::Range;

use super::{Anchor, Decoded, Derived, Mapped, clip_label};

/// Report `value` (mapped back to the file) as config-store field `field`, and `span` as its
/// context span. Empty values are skipped: an empty password is not a credential.
pub fn plain(
    out: &mut Decoded,
    value: Mapped,
    span: Range<usize>,
    field: &'static str,
    context: String,
) {
    if value.text.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let context = clip_label(context);
    let d = Derived::new(value.text, Anchor::Map(value.map));
    out.derived.push(d.field(field).context(context.clone()));
    out.spans.push((span, context));
}

/// Report the raw bytes at `span` of `data` as field `field` (no unescaping).
pub fn raw(
    out: &mut Decoded,
    data: &[u8],
    span: Range<usize>,
    field: &'static str,
    context: String,
) {
    let mut m = Mapped::default();
    m.push(&data[span.clone()], span.start);
    plain(out, m, span, field, context);
}

/// Report `decoded`, decoded by `step` from the text at `span`, as field `field`: hits point at
/// the start of the encoded text, which the decoded form replaces.
pub fn decoded(
    out: &mut Decoded,
    decoded: Vec<u8>,
    span: Range<usize>,
    step: &str,
    field: &'static str,
    context: String,
) {
    if decoded.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let context = clip_label(context);
    let d = Derived::new(decoded, Anchor::At(span.start))
        .step(step)
        .replaces(span.clone())
        .field(field)
        .context(context.clone());
    out.derived.push(d);
    out.spans.push((span, context));
}

/// The part `range` of a mapped text, with its own breakpoints (a connection string's password
/// inside the unescaped attribute).
pub fn slice(m: &Mapped, range: Range<usize>) -> Mapped {
    let mut out = Mapped::default();
    let first = m
        .map
        .partition_point(|&(d, _)| d <= range.start)
        .saturating_sub(1);
    for (k, &(d, p)) in m.map.iter().enumerate().skip(first) {
        let seg_end = m.map.get(k + 1).map_or(m.text.len(), |n| n.0);
        let (s, e) = (d.max(range.start), seg_end.min(range.end));
        if s >= range.end {
            break;
        }
        if s < e {
            out.push(&m.text[s..e], p + (s - d));
        }
    }
    out
}

/// `k1 v1 k2 v2` from the pairs whose value is known and not empty.
pub fn label(pairs: &[(&str, Option<&str>)]) -> String {
    let mut s = String::new();
    for (k, v) in pairs {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(k);
            s.push(' ');
            s.push_str(v);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_empty_and_labels() {
        let mut out = Decoded::default();
        raw(&mut out, b"pw=  ", 3..5, "f", "c".into());
        assert!(out.derived.is_empty());
        raw(&mut out, b"pw=ab", 3..5, "f", "c".into());
        assert_eq!(out.derived[0].data, b"ab");
        assert_eq!(out.derived[0].anchor.map(1), Some(4));
        decoded(&mut out, b"x".to_vec(), 0..4, "base64", "f", "c".into());
        assert_eq!(out.derived[1].replaces, Some(0..4));
        let mut m = Mapped::default();
        m.push(b"ab", 10);
        m.push(b"&", 20);
        m.push(b"cd", 25);
        let s = slice(&m, 1..4);
        assert_eq!(s.text, b"b&c");
        assert_eq!(s.map, [(0, 11), (1, 20), (2, 25)]);
        assert_eq!(
            label(&[("host", Some("h")), ("user", None), ("x", Some(""))]),
            "host h"
        );
    }
}
