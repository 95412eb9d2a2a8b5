//! SARIF 2.1.0 for code-scanning upload (GitHub, GitLab, Azure DevOps).
//!
//! One result per place a credential lives *today* (a work-tree file, a staged entry, standard
//! input), with a region on today's lines. Copies found only in git history never point at
//! today's lines: they go into the `history` property (commit, path, line, blob) of the result
//! for the same file, or, for a file that holds no copy today, into one result per file with no
//! region and `historyOnly: true`. Alerts track across commits through `partialFingerprints`:
//! `sprawlCredential/v2` is the credential's fingerprint (the same value in JSON reports) and
//! `sprawlLocation/v2` hashes that fingerprint with the file and the occurrence number in that
//! file — never the line, so an edit above a secret does not open a new alert. `invocations`
//! says whether the scan completed (`executionSuccessful`), with its errors and warnings as
//! notifications. URIs are relative to `%SRCROOT%` (the
//! checkout), percent-encoded; columns are Unicode code points (`columnKind`). Secret values
//! appear only with `--show-secrets`. Plain structs, not `serde_json::Value`, so key order never
//! depends on serde_json features.

use std::collections::{BTreeMap, HashMap};
use std::io;

use serde::Serialize;

mod history;
mod uri;

use history::{HistoryCopy, Invocation, history_copy, history_message, invocation};
pub use uri::{ArtifactLocation, artifact_location, encode_path};

use super::{Report, shown_secret};
use crate::correlate::Finding;
use crate::rules::{Confidence, Identity, Severity, Strength};
use crate::source::{Location, SourceKind};

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
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

/// Whether the scan completed, and what went wrong.
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
    /// The file holds no copy today: every copy named is in git history.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    history_only: bool,
    /// Copies of the credential in this file's git history.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    history: Vec<HistoryCopy<'a>>,
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
    #[serde(rename = "sprawlCredential/v2")]
    credential: &'a str,
    #[serde(rename = "sprawlLocation/v2")]
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
        let (today, past): (Vec<&Location>, Vec<&Location>) = f
            .locations
            .iter()
            .partition(|l| l.source != SourceKind::Git);
        // History copies by file; each goes to the first result for its file, or to one
        // history-only result when the file holds no copy today.
        let mut history: BTreeMap<String, Vec<&Location>> = BTreeMap::new();
        for loc in past {
            history
                .entry(artifact_location(loc).uri)
                .or_default()
                .push(loc);
        }
        let mut occurrence: HashMap<String, usize> = HashMap::new();
        let mut pending = Vec::new();
        for loc in today {
            let artifact = artifact_location(loc);
            let n = occurrence.entry(artifact.uri.clone()).or_insert(0);
            *n += 1;
            let copies = if *n == 1 {
                history.remove(&artifact.uri).unwrap_or_default()
            } else {
                Vec::new()
            };
            let location_fp = crate::secret::sha256_hex(
                format!("{}\0{}\0{}", f.fingerprint, artifact.uri, n).as_bytes(),
            );
            let text = message(f, loc, &secret);
            pending.push((
                loc,
                artifact,
                region(f, loc),
                location_fp,
                text,
                copies,
                false,
            ));
        }
        for (uri, copies) in history {
            let first = copies[0];
            let location_fp = crate::secret::sha256_hex(
                format!("{}\0{}\0history", f.fingerprint, uri).as_bytes(),
            );
            let text = history_message(f, &copies, &secret);
            let artifact = artifact_location(first);
            pending.push((first, artifact, None, location_fp, text, copies, true));
        }
        for (loc, artifact, region, location_fp, text, copies, history_only) in pending {
            results.push(SarifResult {
                rule_id: &f.rule_id,
                rule_index: index.get(f.rule_id.as_str()).copied().unwrap_or(0),
                level: level(f.severity),
                message: Text { text },
                locations: [ResultLocation {
                    physical_location: PhysicalLocation {
                        artifact_location: artifact,
                        region,
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
                    history_only,
                    history: copies.into_iter().map(history_copy).collect(),
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
            invocations: [invocation(report.issues)],
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
    let fp = super::human::short_fingerprint(&f.fingerprint);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
        assert_eq!(level(Severity::Info), "note");
    }
}
