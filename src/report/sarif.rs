//! SARIF 2.1.0 for code-scanning upload (GitHub, GitLab, Azure DevOps).
//!
//! One result per location, so every place a credential lives gets an alert that points at it.
//! Alerts track across commits through `partialFingerprints`: `sprawlCredential/v1` is the
//! credential's fingerprint (the same value in JSON reports) and `sprawlLocation/v1` hashes
//! that fingerprint with the file and the occurrence number in that file — never the line, so
//! an edit above a secret does not open a new alert. URIs are relative to `%SRCROOT%` (the
//! checkout), percent-encoded; columns are Unicode code points (`columnKind`). Secret values
//! appear only with `--show-secrets`. Plain structs, not `serde_json::Value`, so key order never
//! depends on serde_json features.

use std::collections::{BTreeMap, HashMap};
use std::io;

use serde::Serialize;

use super::{Report, shown_secret};
use crate::correlate::Finding;
use crate::rules::{Confidence, Identity, Severity, Strength};
use crate::source::Location;

/// The schema URI written into `$schema`.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id relative artifact URIs are resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<RuleDescriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text,
    help: Text,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 2],
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [ResultLocation; 1],
    partial_fingerprints: Fingerprints<'a>,
    properties: ResultProperties<'a>,
}

fn no_identity(id: &&Identity) -> bool {
    id.is_empty()
}

/// sprawl's own facts about a result, in its property bag.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    /// The location's class (`config`, `source`, `test`, `docs`, `example`, `vendored`).
    class: &'static str,
    /// `weak` or `strong`, for chosen values.
    #[serde(skip_serializing_if = "Option::is_none")]
    strength: Option<&'static str>,
    /// The rule's severity, when the finding's was lowered (tests, docs, examples only).
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_severity: Option<&'static str>,
    /// What the credential unlocks, in clear (an access key id, `user@host`, a key's public
    /// fingerprint).
    #[serde(skip_serializing_if = "no_identity")]
    identity: &'a Identity,
    /// `id` when this location holds only the id part of the credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    part: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultLocation {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

/// A SARIF `artifactLocation`.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactLocation {
    /// Percent-encoded URI reference.
    pub uri: String,
    /// `%SRCROOT%` for relative URIs; absent for absolute `file://` URIs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "sprawlCredential/v1")]
    credential: &'a str,
    #[serde(rename = "sprawlLocation/v1")]
    location: String,
}

/// Render the SARIF log, pretty-printed.
pub fn render(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    // Rules referenced by results, sorted by id; each result points at its index.
    let mut by_id: BTreeMap<&str, &Finding> = BTreeMap::new();
    for f in report.findings {
        by_id.entry(f.rule_id.as_str()).or_insert(f);
    }
    let index: HashMap<&str, usize> = by_id.keys().enumerate().map(|(i, id)| (*id, i)).collect();
    let rules = by_id.values().map(|f| descriptor(f)).collect();

    let mut results = Vec::new();
    for f in report.findings {
        let secret = shown_secret(f, report.show_secrets);
        let mut occurrence: HashMap<String, usize> = HashMap::new();
        for loc in &f.locations {
            let artifact = artifact_location(loc);
            let n = occurrence.entry(artifact.uri.clone()).or_insert(0);
            *n += 1;
            let location_fp = crate::secret::fingerprint(
                format!("{}\0{}\0{}", f.fingerprint, artifact.uri, n).as_bytes(),
            );
            results.push(SarifResult {
                rule_id: &f.rule_id,
                rule_index: index.get(f.rule_id.as_str()).copied().unwrap_or(0),
                level: level(f.severity),
                message: Text {
                    text: message(f, loc, &secret),
                },
                locations: [ResultLocation {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact,
                        region: region(f, loc),
                    },
                }],
                partial_fingerprints: Fingerprints {
                    credential: &f.fingerprint,
                    location: location_fp,
                },
                properties: ResultProperties {
                    class: loc.class.as_str(),
                    strength: f.strength.map(|s| match s {
                        Strength::Weak => "weak",
                        Strength::Strong => "strong",
                    }),
                    rule_severity: f.rule_severity.map(Severity::as_str),
                    identity: &f.identity,
                    part: loc.part.as_deref(),
                },
            });
        }
    }

    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "sprawl",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn descriptor(f: &Finding) -> RuleDescriptor<'_> {
    let help = if f.remediation.is_empty() {
        "Revoke or rotate the credential, then remove it from the file and its history.".into()
    } else {
        f.remediation.clone()
    };
    RuleDescriptor {
        id: &f.rule_id,
        name: &f.rule_name,
        short_description: Text {
            text: f.rule_name.clone(),
        },
        help: Text { text: help },
        default_configuration: Configuration {
            level: level(f.severity),
        },
        properties: RuleProperties {
            tags: ["security", "secret"],
            precision: match f.confidence {
                Confidence::High => "high",
                Confidence::Medium => "medium",
                Confidence::Low => "low",
            },
            security_severity: match f.severity {
                Severity::Critical => "9.5",
                Severity::High => "8.0",
                Severity::Medium => "5.5",
                Severity::Low => "3.0",
                Severity::Info => "1.0",
            },
        },
    }
}

/// critical/high -> error, medium -> warning, low/info -> note.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

fn message(f: &Finding, loc: &Location, secret: &str) -> String {
    let n = f.locations.len();
    let fp = &f.fingerprint[..12.min(f.fingerprint.len())];
    let mut text = format!("{}: secret {secret} (fingerprint {fp})", f.rule_name);
    if n > 1 {
        text.push_str(&format!(", one credential found in {n} places"));
    }
    text.push('.');
    if !loc.decoded.is_empty() {
        text.push_str(&format!(" Decoded from: {}.", loc.decoded.join(" > ")));
    }
    if let Some(ctx) = &loc.context {
        text.push_str(&format!(" At {ctx}."));
    }
    text
}

/// The secret's span. Omitted for decoded locations, whose lines are inside the decoded data,
/// and for the process environment, which has no file (the message names the variable).
fn region(f: &Finding, loc: &Location) -> Option<Region> {
    if !loc.decoded.is_empty()
        || loc.line == 0
        || loc.source == crate::source::SourceKind::Environment
    {
        return None;
    }
    let text = String::from_utf8_lossy(f.secret.reveal());
    let newlines = text.matches('\n').count() as u32;
    let last = text.rsplit('\n').next().unwrap_or("");
    let last_len = last.chars().count() as u32;
    let column = loc.column.max(1);
    Some(Region {
        start_line: loc.line,
        start_column: column,
        end_line: loc.line + newlines,
        end_column: if newlines == 0 {
            column + last_len
        } else {
            last_len + 1
        },
    })
}

/// The artifact location of `loc`: the root joined with the path as in
/// [`Location::display_path`], relative to `%SRCROOT%` unless the root is absolute.
pub fn artifact_location(loc: &Location) -> ArtifactLocation {
    // Backslashes and drive letters are path syntax only on Windows; elsewhere they are
    // ordinary characters in a name and get percent-encoded.
    let shown = if cfg!(windows) {
        loc.display_path().replace('\\', "/")
    } else {
        loc.display_path()
    };
    let b = shown.as_bytes();
    let windows_drive = cfg!(windows)
        && b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && (b.len() == 2 || b[2] == b'/');
    if shown.starts_with('/') || windows_drive {
        let path = if windows_drive {
            format!("/{shown}")
        } else {
            shown
        };
        return ArtifactLocation {
            uri: format!("file://{}", encode_path(&path, true)),
            uri_base_id: None,
        };
    }
    let mut rel = shown.as_str();
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest;
    }
    if rel == "." {
        rel = "";
    }
    ArtifactLocation {
        uri: encode_path(rel, false),
        uri_base_id: Some(SRCROOT),
    }
}

/// Percent-encode a `/`-separated path for a URI: unreserved characters, `/` and the
/// sub-delimiters stay; everything else (space, `%`, `#`, `?`, `:`, non-ASCII as UTF-8) is
/// encoded. `:` is always encoded so a relative path can never read as a scheme; a drive
/// letter's colon is kept when `keep_drive` (absolute `file://` URIs).
pub fn encode_path(path: &str, keep_drive: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~/!$&'()*+,;=@".contains(&b)
            || (keep_drive && b == b':' && i == 2);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceKind;

    fn uri(root: &str, path: &str) -> (String, Option<&'static str>) {
        let a = artifact_location(&Location::input(root, path, SourceKind::File));
        (a.uri, a.uri_base_id)
    }

    #[test]
    fn relative_uris_join_root_and_path() {
        let base = Some(SRCROOT);
        assert_eq!(uri(".", "a/b.txt"), ("a/b.txt".into(), base));
        assert_eq!(uri("./", "a/b.txt"), ("a/b.txt".into(), base));
        assert_eq!(uri("./app", "x.env"), ("app/x.env".into(), base));
        assert_eq!(uri("app/", "x.env"), ("app/x.env".into(), base));
        assert_eq!(uri("cfg/s.yml", ""), ("cfg/s.yml".into(), base));
        assert_eq!(uri("../other", "k"), ("../other/k".into(), base));
    }

    #[test]
    fn uris_are_percent_encoded() {
        let base = Some(SRCROOT);
        assert_eq!(
            uri(".", "my file#1?.txt"),
            ("my%20file%231%3F.txt".into(), base)
        );
        assert_eq!(uri(".", "100%/é.txt"), ("100%25/%C3%A9.txt".into(), base));
        assert_eq!(uri(".", "c:d/e"), ("c%3Ad/e".into(), base));
        assert_eq!(uri(".", "a+b@c=d"), ("a+b@c=d".into(), base));
    }

    #[test]
    fn absolute_roots_become_file_uris() {
        assert_eq!(
            uri("/srv/app", "a b"),
            ("file:///srv/app/a%20b".into(), None)
        );
        if cfg!(windows) {
            assert_eq!(uri("C:\\work", "x"), ("file:///C:/work/x".into(), None));
        } else {
            assert_eq!(uri(".", "a\\b"), ("a%5Cb".into(), Some(SRCROOT)));
        }
    }

    #[test]
    fn levels() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
    }
}
