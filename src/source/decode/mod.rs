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
pub mod docker;
pub mod dotenv;
pub mod encoded;
pub mod gitcred;
pub mod htpasswd;
pub mod ini;
pub mod json;
pub mod kube;
pub mod netrc;
pub mod notebook;
pub mod npmrc;
pub mod pgpass;
pub mod tfstate;
pub mod yaml;

use std::ops::Range;

/// Caps that keep decoding bounded whatever the input. Defaults are documented in `README.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest decode chain: every archive member, base64 value or decoded field is one step.
    pub max_depth: usize,
    /// Most archives (zip, tar, gzip) nested inside one another.
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

/// A config-store format recognised by name (and, for ambiguous names, a peek at the bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.env`, `.env.*`, `*.env`.
    Dotenv,
    /// `*.yaml`, `*.yml` (Kubernetes manifests, Helm values, anything YAML).
    Yaml,
    /// docker `config.json` with `auths`, `.dockercfg`, `.dockerconfigjson`.
    Docker,
    /// `.npmrc`.
    Npmrc,
    /// `.pypirc`.
    Pypirc,
    /// AWS `credentials` / `config` files.
    Aws,
    /// `.netrc`, `_netrc`.
    Netrc,
    /// `.git-credentials`.
    GitCredentials,
    /// `.htpasswd`.
    Htpasswd,
    /// `.pgpass`.
    Pgpass,
    /// `*.tfstate`, `*.tfstate.backup`.
    Tfstate,
    /// `*.ipynb`.
    Notebook,
}

/// The last `/`-separated component of `path`.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The format of a blob: by its name (`data` breaks ties for generic names such as
/// `config.json`). A blob without a name (empty or `-`: git history objects, which are scanned
/// before any path is known, and unnamed standard input) is recognised by its content when that
/// is unmistakable: Kubernetes manifests, docker configs, notebooks, Terraform state. Named
/// files are never sniffed, which keeps the common path to a few string comparisons.
pub fn format_of(path: &str, data: &[u8]) -> Option<Format> {
    if path.is_empty() || path == "-" {
        sniff(data)
    } else {
        by_name(path, data)
    }
}

/// Recognise a format from the first bytes of its content.
fn sniff(data: &[u8]) -> Option<Format> {
    let head = &data[..data.len().min(8 << 10)];
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    let first = head.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first == b'{' {
        return if has(b"\"nbformat\"") && has(b"\"cells\"") {
            Some(Format::Notebook)
        } else if has(b"\"terraform_version\"") {
            Some(Format::Tfstate)
        } else if has(b"\"auths\"") {
            Some(Format::Docker)
        } else {
            None
        };
    }
    let at_line_start = |needle: &[u8]| {
        memchr::memmem::find_iter(head, needle).any(|i| i == 0 || head[i - 1] == b'\n')
    };
    (at_line_start(b"apiVersion:") && at_line_start(b"kind:")).then_some(Format::Yaml)
}

fn by_name(path: &str, data: &[u8]) -> Option<Format> {
    let base = base_name(path).to_ascii_lowercase();
    let has = |needle: &[u8]| memchr::memmem::find(data, needle).is_some();
    let parent = path.rsplit('/').nth(1).unwrap_or("").to_ascii_lowercase();
    Some(match base.as_str() {
        ".env" | "env" => Format::Dotenv,
        b if b.starts_with(".env.") || b.ends_with(".env") => Format::Dotenv,
        b if b.ends_with(".yaml") || b.ends_with(".yml") => Format::Yaml,
        ".dockercfg" | ".dockerconfigjson" => Format::Docker,
        "config.json" if has(b"\"auths\"") => Format::Docker,
        ".npmrc" | "npmrc" => Format::Npmrc,
        ".pypirc" | "pypirc" => Format::Pypirc,
        ".netrc" | "_netrc" | "netrc" => Format::Netrc,
        ".git-credentials" | "git-credentials" => Format::GitCredentials,
        "credentials" if parent == "git" => Format::GitCredentials,
        "credentials" | "config" if parent == ".aws" || has(b"aws_secret_access_key") => {
            Format::Aws
        }
        ".htpasswd" | "htpasswd" => Format::Htpasswd,
        b if b.ends_with(".htpasswd") => Format::Htpasswd,
        ".pgpass" | "pgpass" | "pgpass.conf" => Format::Pgpass,
        b if b.ends_with(".tfstate") || b.ends_with(".tfstate.backup") => Format::Tfstate,
        b if b.ends_with(".ipynb") => Format::Notebook,
        _ => return None,
    })
}

/// Run the decoder for `format` over `data`. `want_spans` asks for context labels (only worth
/// computing when the plain scan found something).
pub fn decode(format: Format, data: &[u8], want_spans: bool) -> Decoded {
    match format {
        Format::Dotenv => dotenv::decode(data),
        Format::Yaml => kube::decode(data, want_spans),
        Format::Docker => docker::decode(data),
        Format::Npmrc => npmrc::decode(data),
        Format::Pypirc => ini::decode(data, ini::Kind::Pypirc),
        Format::Aws => ini::decode(data, ini::Kind::Aws),
        Format::Netrc => netrc::decode(data),
        Format::GitCredentials => gitcred::decode(data),
        Format::Htpasswd => htpasswd::decode(data),
        Format::Pgpass => pgpass::decode(data),
        Format::Tfstate => tfstate::decode(data),
        Format::Notebook => notebook::decode(data),
    }
}

/// Lines of `data` as byte ranges, without their `\n` (or `\r\n`).
pub fn lines(data: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |i| start + i);
        let line = start..end;
        start = end + 1;
        let trimmed = if data[..line.end].ends_with(b"\r") {
            line.start..line.end - 1
        } else {
            line
        };
        Some(trimmed)
    })
}

/// Trim ASCII whitespace from both ends of `range` within `data`.
pub fn trim(data: &[u8], range: Range<usize>) -> Range<usize> {
    let (mut s, mut e) = (range.start, range.end);
    while s < e && data[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && data[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    s..e
}

/// Decode base64 leniently: standard or URL-safe alphabet, padding optional, ASCII whitespace
/// ignored. `None` when it is not base64.
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    let cfg = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let url_safe = compact.iter().any(|&b| b == b'-' || b == b'_');
    let alphabet = if url_safe {
        &base64::alphabet::URL_SAFE
    } else {
        &base64::alphabet::STANDARD
    };
    GeneralPurpose::new(alphabet, cfg).decode(&compact).ok()
}

/// Longest context label kept whole: a label names a key path for a person, and a hostile file
/// (a 50 KB registry name over 10,000 entries) must not cost that much per value.
pub const MAX_LABEL: usize = 256;

/// `label`, or its first and last ~[`MAX_LABEL`]/2 bytes around `…` when it is longer.
pub fn clip_label(label: String) -> String {
    if label.len() <= MAX_LABEL {
        return label;
    }
    let mut head = MAX_LABEL / 2;
    while !label.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = label.len() - MAX_LABEL / 2;
    while !label.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{}…{}", &label[..head], &label[tail..])
}

/// True if `data` reads as text worth scanning: valid UTF-8 with no control characters other
/// than tab, CR and LF.
pub fn is_text(data: &[u8]) -> bool {
    std::str::from_utf8(data).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
    })
}

/// `key: value` text for a decoded single-line value, so assignment rules see the key that
/// says what the value is. Offsets of the value part map to `value_at`, the key to `key_at`.
pub fn keyed(key: &str, key_at: usize, value: &[u8], value_anchor: &Anchor) -> Derived {
    let mut text = Vec::with_capacity(key.len() + 2 + value.len());
    text.extend_from_slice(key.as_bytes());
    text.extend_from_slice(b": ");
    let prefix = text.len();
    text.extend_from_slice(value);
    let mut map = vec![(0, key_at)];
    match value_anchor {
        Anchor::Map(points) => map.extend(points.iter().map(|&(d, p)| (d + prefix, p))),
        Anchor::At(at) => map.push((prefix, *at)),
        Anchor::Own => {}
    }
    let anchor = match value_anchor {
        // An opaque value: every hit in it points at the encoded value's start.
        Anchor::At(at) => Anchor::At(*at),
        _ => Anchor::Map(map),
    };
    Derived::new(text, anchor)
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
        assert_eq!(format_of("README.md", b""), None);
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
