//! YAML read as a flat list of scalars, each with its document, key path and byte span, using
//! `saphyr-parser`'s event stream (which carries positions; a tree-building loader would drop
//! them). Anything malformed gives `None`: the caller scans the file as text instead, which is
//! the right thing for Helm templates that are not YAML until rendered.
//!
//! Every scalar carries its own copy of its key path, so a hostile file (thousands of nested
//! `- - -` sequences around a long flow list) would cost memory quadratic in its size. Nesting
//! deeper than [`MAX_NESTING`] or key paths totalling more than [`PATH_BYTES_PER_BYTE`] bytes
//! per byte of YAML also give `None`.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index (0-based).
    Index(usize),
}

/// A scalar value (mapping keys are not reported, they are in `path`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// 0-based document number in a multi-document stream.
    pub doc: usize,
    /// Key path from the document root.
    pub path: Vec<Seg>,
    /// The value as YAML reads it.
    pub value: String,
    /// Byte range in the file: the value's text, quotes excluded.
    pub span: Range<usize>,
    /// Plain, quoted, literal or folded.
    pub block: bool,
}

/// Deepest nesting of mappings and sequences accepted (as for JSON).
pub const MAX_NESTING: usize = super::json::MAX_NESTING;

/// Memory the scalars' key paths may take, per byte of YAML (plus a fixed 32 MiB). Real files
/// use well under 20 (a list of one-letter items five keys deep).
pub const PATH_BYTES_PER_BYTE: usize = 32;

enum Frame {
    /// A mapping: the pending key once read.
    Map(Option<String>),
    /// A sequence: the next index.
    Seq(usize),
}

/// Every scalar value in `text`, or `None` if it does not parse as YAML.
pub fn scalars(text: &str) -> Option<Vec<Scalar>> {
    let bytes = ByteIndex::new(text);
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<Seg> = Vec::new();
    let mut doc = 0usize;
    let mut docs_started = 0usize;
    let mut path_budget = text.len().saturating_mul(PATH_BYTES_PER_BYTE) + (32 << 20);
    for event in Parser::new_from_str(text) {
        // The parser keeps yielding errors after the first one; stop there.
        let (event, span) = event.ok()?;
        match event {
            Event::DocumentStart(_) => {
                doc = docs_started;
                docs_started += 1;
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if stack.len() >= MAX_NESTING {
                    return None;
                }
                value_slot(&mut stack, &mut path);
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Map(None)
                } else {
                    Frame::Seq(0)
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                finish_value(&mut stack, &mut path);
            }
            Event::Scalar(value, style, ..) => {
                if let Some(Frame::Map(key @ None)) = stack.last_mut() {
                    *key = Some(value.into_owned());
                    continue;
                }
                value_slot(&mut stack, &mut path);
                path_budget = path_budget.checked_sub(path_bytes(&path))?;
                let quoted = matches!(style, ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted);
                let (mut s, mut e) = (bytes.at(span.start.index()), bytes.at(span.end.index()));
                if quoted && e > s + 1 {
                    s += 1;
                    e -= 1;
                }
                out.push(Scalar {
                    doc,
                    path: path.clone(),
                    value: Cow::into_owned(value),
                    span: s..e,
                    block: matches!(style, ScalarStyle::Literal | ScalarStyle::Folded),
                });
                finish_value(&mut stack, &mut path);
            }
            Event::Alias(_) => {
                value_slot(&mut stack, &mut path);
                finish_value(&mut stack, &mut path);
            }
            _ => {}
        }
    }
    Some(out)
}

/// Heap bytes a copy of `path` takes.
fn path_bytes(path: &[Seg]) -> usize {
    path.iter()
        .map(|s| {
            std::mem::size_of::<Seg>()
                + match s {
                    Seg::Key(k) => k.len(),
                    Seg::Index(_) => 0,
                }
        })
        .sum()
}

/// A value starts: push its path segment.
fn value_slot(stack: &mut [Frame], path: &mut Vec<Seg>) {
    match stack.last_mut() {
        None => {}
        Some(Frame::Map(Some(key))) => path.push(Seg::Key(key.clone())),
        Some(Frame::Map(None)) => {
            // A mapping or sequence used as a key: keep going with a placeholder key.
            path.push(Seg::Key("?".into()));
        }
        Some(Frame::Seq(i)) => path.push(Seg::Index(*i)),
    }
}

/// A value ended: pop its path segment and advance the parent.
fn finish_value(stack: &mut [Frame], path: &mut Vec<Seg>) {
    match stack.last_mut() {
        None => {}
        Some(Frame::Map(key)) => {
            path.pop();
            *key = None;
        }
        Some(Frame::Seq(i)) => {
            path.pop();
            *i += 1;
        }
    }
}

/// `a.b[2]."key.with.dots"`: keys that are not plain identifiers are quoted.
pub fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                let plain = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
                if plain {
                    s.push_str(k);
                } else {
                    let _ = write!(s, "{k:?}");
                }
            }
        }
    }
    s
}

/// Character index -> byte offset (the parser counts characters).
struct ByteIndex {
    offsets: Option<Vec<usize>>,
    len: usize,
}

impl ByteIndex {
    fn new(text: &str) -> ByteIndex {
        let offsets = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        ByteIndex {
            offsets,
            len: text.len(),
        }
    }

    fn at(&self, char_index: usize) -> usize {
        match &self.offsets {
            None => char_index.min(self.len),
            Some(o) => o.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(all: &'a [Scalar], path: &str) -> &'a Scalar {
        all.iter()
            .find(|s| path_string(&s.path) == path)
            .unwrap_or_else(|| panic!("{path} not in {all:?}"))
    }

    #[test]
    fn paths_spans_and_documents() {
        let text = "kind: Secret\ndata:\n  a: \"cXVv\"\n  tls.key: 'eA=='\n  é: v\u{e9}\nlist:\n  - x\n  - {k: y}\n---\nfoo: bar\n";
        let all = scalars(text).unwrap();
        let a = find(&all, "data.a");
        assert_eq!(&text[a.span.clone()], "cXVv");
        assert_eq!(&text[find(&all, "data.\"tls.key\"").span.clone()], "eA==");
        let e = find(&all, "data.é");
        assert_eq!(&text[e.span.clone()], "v\u{e9}");
        assert_eq!(find(&all, "list[1].k").value, "y");
        let foo = find(&all, "foo");
        assert_eq!((foo.doc, foo.value.as_str()), (1, "bar"));
        assert_eq!(find(&all, "kind").doc, 0);
    }

    #[test]
    fn block_scalars_and_errors() {
        let text = "cfg: |\n  a=1\n  b=2\n";
        let all = scalars(text).unwrap();
        assert!(all[0].block);
        assert_eq!(&text[all[0].span.start..all[0].span.start + 3], "a=1");
        assert!(scalars("a: {{ .Values.x }}\nb: [\n").is_none());
        assert!(scalars("a: [1, 2").is_none());
    }

    /// `fuzz/corpus/decode_kube_yaml/oom-deep-nested-sequences.yaml`: 10,000 nested `- `
    /// around a 10,001-item flow list took over 2 GB (every item copied a 10,000-step path).
    #[test]
    fn oom_deep_nested_sequences() {
        let deep = format!("{}[{}a]\n", "- ".repeat(10_000), "a,".repeat(10_000));
        assert!(scalars(&deep).is_none());
        // Within the nesting cap but still quadratic: the path budget stops it.
        let wide = format!("{}[{}a]\n", "- ".repeat(120), "a,".repeat(20_000));
        assert!(scalars(&wide).is_none());
        // Real nesting is untouched.
        let ok = format!("{}[{}a]\n", "- ".repeat(20), "a,".repeat(20_000));
        assert_eq!(scalars(&ok).map(|s| s.len()), Some(20_001));
    }
}
