//! Decoders: config stores, archives and encoded values turned into derived blobs that say where
//! in their parent they came from.
//!
//! Every decoder here is a pure function from a blob's name and bytes to [`Decoded`]: it parses,
//! decodes and locates, but never runs a rule, prints, or touches the file system. The scan
//! driver (`scan::blob`) runs the rules over each derived blob, recurses, and maps every hit back
//! to the outer blob through the derived blob's [`Anchor`]. Limits ([`Limits`]) are enforced by
//! the driver and by [`archive`], which is the only decoder that can inflate its input.
//!
//! What a format decoder reports:
//! - `spans`: byte ranges of values with a context label (YAML key path, notebook cell, netrc
//!   machine), so hits the plain text scan finds inside them are labelled;
//! - `derived`: values to scan again in decoded form (base64 Kubernetes `data:`, docker `auth`,
//!   JSON-escaped notebook cells), optionally as a config-store *field* whose rules (see
//!   `rules/README.md`) know the value is a credential by definition.

pub mod archive;
pub mod credjson;
pub mod credyaml;
pub mod dbeaver;
pub mod docker;
pub mod dotenv;
mod emit;
pub mod eml;
pub mod encoded;
pub mod environ;
mod escape;
mod format;
pub mod gitcred;
pub mod history;
pub mod htpasswd;
pub mod ini;
pub mod json;
pub mod jsoncfg;
pub mod keystore;
pub mod keyword;
pub mod kube;
pub mod linecfg;
pub mod markup;
pub mod netrc;
pub mod notebook;
pub mod npmrc;
pub mod pgpass;
pub mod settings;
mod text;
pub mod tfstate;
pub mod xml;
pub mod xmlcfg;
pub mod yaml;
pub mod yamlcfg;

use std::ops::Range;

pub use crate::codec::base64_decode_wrapped as base64_decode;
pub use format::{Format, base_name, decode, format_of, reads_binary};
pub use text::{MAX_LABEL, clip_label, is_text, keyed, lines, trim};

/// Caps that keep decoding bounded whatever the input. Defaults are documented in `README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest decode chain: every archive member, base64 value or decoded field is one step.
    pub max_depth: usize,
    /// Most archives (zip, tar, ar, rpm, compressed streams) nested inside one another; a
    /// compressed tar (`.tar.gz`, `.tar.xz`) counts once.
    pub max_archive_depth: usize,
    /// Most members read from one archive.
    pub max_members: usize,
    /// Most bytes decompressed from one input, all nested archives together.
    pub max_decompressed: u64,
    /// Shortest base64 run worth decoding.
    pub min_base64_len: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 8,
            max_archive_depth: 4,
            max_members: 10_000,
            max_decompressed: 256 << 20,
            min_base64_len: 24,
        }
    }
}

/// How offsets in a derived blob map back to offsets in its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// Every offset maps to this one: the start of an opaque encoded value (base64).
    At(usize),
    /// Breakpoints `(derived offset, parent offset)`, sorted: an offset maps through the last
    /// breakpoint at or before it. Exact for unescaped strings and dedented block scalars.
    Map(Vec<(usize, usize)>),
    /// The derived blob has its own coordinates (an archive member or decompressed stream).
    Own,
}

impl Anchor {
    /// The parent offset of derived offset `off`, or `None` for [`Anchor::Own`].
    pub fn map(&self, off: usize) -> Option<usize> {
        match self {
            Anchor::At(at) => Some(*at),
            Anchor::Map(points) => {
                let i = points.partition_point(|&(d, _)| d <= off);
                let (d, p) = points.get(i.checked_sub(1)?)?;
                Some(p + (off - d))
            }
            Anchor::Own => None,
        }
    }
}

/// A blob derived from part of another, with its provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    /// The decoded bytes.
    pub data: Vec<u8>,
    /// Name used to pick a decoder for it (a member path, a Secret key); empty when unknown.
    pub name: String,
    /// The decoding step pushed onto `Location::decoded` (`base64`, `zip:a/b.env`), if any.
    pub step: Option<String>,
    /// Where the value sits in its parent (key path, cell), if known.
    pub context: Option<String>,
    /// How the derived blob's offsets map to the parent's.
    pub anchor: Anchor,
    /// Parent range the decoded form replaces: plain-text hits inside it are dropped, because
    /// they see only the encoded form of what this blob shows decoded.
    pub replaces: Option<Range<usize>>,
    /// A config-store field name: the value is a credential by definition, checked by the
    /// rules that declare this `field`.
    pub field: Option<&'static str>,
    /// Append `, line N` (the line within this blob) to the context of each hit (notebook
    /// cells).
    pub line_context: bool,
    /// Do not look for base64 runs inside this blob (it is itself a decoded base64 run).
    pub no_base64: bool,
}

impl Derived {
    /// A derived blob with only data and anchor set.
    pub fn new(data: Vec<u8>, anchor: Anchor) -> Derived {
        Derived {
            data,
            name: String::new(),
            step: None,
            context: None,
            anchor,
            replaces: None,
            field: None,
            line_context: false,
            no_base64: false,
        }
    }

    /// Set the context label.
    pub fn context(mut self, context: impl Into<String>) -> Derived {
        self.context = Some(context.into());
        self
    }

    /// Set the decoding step.
    pub fn step(mut self, step: impl Into<String>) -> Derived {
        self.step = Some(step.into());
        self
    }

    /// Mark the parent range this blob's decoded form replaces.
    pub fn replaces(mut self, range: Range<usize>) -> Derived {
        self.replaces = Some(range);
        self
    }

    /// Mark the value as a config-store field.
    pub fn field(mut self, field: &'static str) -> Derived {
        self.field = Some(field);
        self
    }

    /// Set the name used for decoder dispatch.
    pub fn name(mut self, name: impl Into<String>) -> Derived {
        self.name = name.into();
        self
    }
}

/// Decoded text with a breakpoint map back to where each part came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapped {
    /// The text.
    pub text: Vec<u8>,
    /// Breakpoints `(offset in text, offset in parent)`.
    pub map: Vec<(usize, usize)>,
}

impl Mapped {
    /// Append `bytes` that come from parent offset `at` onwards.
    pub fn push(&mut self, bytes: &[u8], at: usize) {
        self.map.push((self.text.len(), at));
        self.text.extend_from_slice(bytes);
    }

    /// As a derived blob anchored by its map.
    pub fn into_derived(self) -> Derived {
        Derived::new(self.text, Anchor::Map(self.map))
    }
}

/// What a format decoder found in one blob.
#[derive(Debug, Default)]
pub struct Decoded {
    /// Value ranges with a context label, for hits found by the plain text scan.
    pub spans: Vec<(Range<usize>, String)>,
    /// Blobs to scan in decoded form.
    pub derived: Vec<Derived>,
    /// Problems worth a warning (never fatal; the blob is still scanned as text).
    pub problems: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_maps_through_breakpoints() {
        let a = Anchor::Map(vec![(0, 10), (4, 20)]);
        assert_eq!(a.map(0), Some(10));
        assert_eq!(a.map(3), Some(13));
        assert_eq!(a.map(5), Some(21));
        assert_eq!(Anchor::At(7).map(99), Some(7));
        assert_eq!(Anchor::Own.map(1), None);
    }

    #[test]
    fn formats_by_name() {
        assert_eq!(format_of("a/.env.production", b""), Some(Format::Dotenv));
        assert_eq!(format_of("k8s/secret.yaml", b""), Some(Format::Yaml));
        assert_eq!(
            format_of(".docker/config.json", b"{\"auths\":{}}"),
            Some(Format::Docker)
        );
        assert_eq!(format_of("app/config.json", b"{\"port\":1}"), None);
        assert_eq!(format_of("home/.aws/credentials", b""), Some(Format::Aws));
        assert_eq!(format_of(".aws/config", b""), Some(Format::Aws));
        assert_eq!(format_of("x/config", b""), None);
        assert_eq!(format_of("_netrc", b""), Some(Format::Netrc));
        assert_eq!(format_of("prod.tfstate.backup", b""), Some(Format::Tfstate));
        assert_eq!(format_of("nb/Analysis.IPYNB", b""), Some(Format::Notebook));
        assert_eq!(format_of("README.md", b""), Some(Format::Markdown));
        assert_eq!(format_of("README.txt", b""), None);
        assert_eq!(format_of("app/db.py", b""), None);
        assert_eq!(format_of("conf/airflow.cfg", b""), Some(Format::Settings));
        assert_eq!(format_of("config/master.key", b""), Some(Format::RailsKey));
        assert_eq!(format_of("ssl/server.key", b""), None);
    }

    #[test]
    fn formats_by_content_when_unnamed() {
        let k8s = b"# c\napiVersion: v1\nkind: Secret\n";
        assert_eq!(format_of("", k8s), Some(Format::Yaml));
        assert_eq!(format_of("", b"see apiVersion: and kind: here"), None);
        assert_eq!(format_of("", b" {\"auths\": {}}"), Some(Format::Docker));
        assert_eq!(
            format_of("", b"{\"cells\": [], \"nbformat\": 4}"),
            Some(Format::Notebook)
        );
        assert_eq!(
            format_of("", b"{\"version\": 4, \"terraform_version\": \"1.9.0\"}"),
            Some(Format::Tfstate)
        );
        assert_eq!(format_of("", b"{\"a\": 1}"), None);
    }

    #[test]
    fn base64_variants_and_text() {
        assert_eq!(base64_decode(b"dXNlcjpwYXNz").unwrap(), b"user:pass");
        assert_eq!(base64_decode(b"dXNlcjpwYXM").unwrap(), b"user:pas");
        assert_eq!(base64_decode(b"dXNl\ncjpwYXNz\n").unwrap(), b"user:pass");
        assert_eq!(base64_decode(b"-_8").unwrap(), vec![0xfb, 0xff]);
        assert!(base64_decode(b"not base64!").is_none());
        assert!(is_text(b"a=b\n\tc"));
        assert!(!is_text(b"a\x00b"));
        assert!(!is_text(b"\xff\xfe"));
    }

    /// `fuzz/corpus/decode_docker/oom-long-registry-name.json`: a long registry name over many
    /// entries copied the name into every label (a 130 KB config took 545 MB); labels are
    /// clipped.
    #[test]
    fn oom_long_registry_name() {
        assert_eq!(clip_label("a.b".into()), "a.b");
        let long = format!("{}é{}", "x".repeat(127), "y".repeat(300));
        let clipped = clip_label(long);
        assert_eq!(clipped, format!("{}…{}", "x".repeat(127), "y".repeat(128)));
        let json = format!(
            "{{\"auths\": {{\"{}\": {{{}\"auth\":\"dXNlcjpwYXNzd29yZA==\"}}}}}}",
            "r".repeat(50_000),
            "\"a\":\"x\",".repeat(10_000)
        );
        let d = docker::decode(json.as_bytes());
        assert_eq!(d.spans.len(), 10_001);
        assert!(
            d.spans.iter().all(|(_, l)| l.len() <= MAX_LABEL + 3),
            "{:?}",
            d.spans[0]
        );
        assert_eq!(d.derived.len(), 1);
        assert_eq!(d.derived[0].data, b"password");
    }

    #[test]
    fn lines_strip_cr() {
        let d = b"a\r\nbc\n\nd";
        let got: Vec<_> = lines(d).map(|r| &d[r]).collect();
        assert_eq!(got, vec![&b"a"[..], b"bc", b"", b"d"]);
    }
}
