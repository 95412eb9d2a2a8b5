//! The report document: the one set of types that `--format json` and `--format jsonl` write
//! and `sprawl merge` reads back, so the contract in `docs/output.md` cannot drift between a
//! writer and a reader. Field order here is the JSON order.
//!
//! A finding is a [`FindingRecord`]: borrowed from a correlated finding when written, owned
//! when read. Derived fields (`blast_radius`, `plan`) are written but never read back: a
//! merge recomputes them from the locations, exactly as one combined scan would.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io;

use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

use super::shown_secret;
use crate::correlate::blast::BlastRadius;
use crate::correlate::merge::Reported;
use crate::correlate::plan::Step;
use crate::correlate::{Finding, RuleInfo};
use crate::error::ScanIssue;
use crate::rules::{Confidence, Identity, Lifetime, Severity, Strength};
use crate::source::{Class, Location};

/// Version of the JSON output contract (`docs/output.md`). Bumped on any breaking change: 2
/// when fingerprints became version 2 (`v2:...`, no longer the SHA-256 of the secret).
pub const SCHEMA_VERSION: u32 = 2;

/// The whole JSON document. `F` is the findings: a `Vec` when read, a lazy sequence when a
/// merge streams them from disk ([`FindingSeq`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct Document<'a, F> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The writer.
    #[serde(default)]
    pub tool: Tool,
    /// Findings in output order.
    pub findings: F,
    /// Problems met during the scan (not read back by a merge).
    #[serde(skip_deserializing)]
    pub issues: Cow<'a, [ScanIssue]>,
    /// Counters.
    #[serde(default)]
    pub summary: Cow<'a, Summary>,
    /// What `--baseline` did (absent without one; not read back by a merge).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Cow<'a, BaselineStatus>>,
}

/// The `tool` block.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    /// `sprawl`.
    pub name: Cow<'static, str>,
    /// The version that wrote the report.
    pub version: Cow<'static, str>,
}

impl Default for Tool {
    fn default() -> Tool {
        Tool {
            name: Cow::Borrowed("sprawl"),
            version: Cow::Borrowed(env!("CARGO_PKG_VERSION")),
        }
    }
}

/// A rule reference in a finding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleRef<'a> {
    /// Rule id.
    pub id: Cow<'a, str>,
    /// Rule name.
    pub name: Cow<'a, str>,
}

/// One finding as written to, and read from, a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingRecord<'a> {
    /// The rule.
    pub rule: RuleRef<'a>,
    /// Severity (the rule's, lowered when the credential is only in tests, docs, examples or
    /// vendored code).
    pub severity: Severity,
    /// The rule's own severity, when `severity` was lowered (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_severity: Option<Severity>,
    /// Confidence.
    #[serde(default = "medium")]
    pub confidence: Confidence,
    /// Lifetime class.
    #[serde(default = "unknown")]
    pub lifetime: Lifetime,
    /// `weak` or `strong`, for values someone chose (passwords, generic secrets); absent for
    /// provider-issued tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
    /// What the credential unlocks, in clear (an access key id, `user@host`, a registry, a
    /// key's public fingerprint); absent when the format holds nothing of the kind.
    #[serde(default, skip_serializing_if = "is_empty_map")]
    pub identity: Cow<'a, Identity>,
    /// The credential's fingerprint (`v2:` and 64 hex digits; `v2k:` with an organisation key).
    pub fingerprint: Cow<'a, str>,
    /// The secret as the report shows it (redacted unless written with `--show-secrets`).
    pub secret: Cow<'a, str>,
    /// Still present now (a file, staged, or HEAD), not only in history.
    #[serde(default)]
    pub live: bool,
    /// The most exposed class among the locations (written; recomputed when read back).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub class: Option<Class>,
    /// Every location.
    pub locations: Cow<'a, [Location]>,
    /// Other rules that caught the same secret.
    #[serde(default, skip_serializing_if = "is_empty")]
    pub other_rules: Cow<'a, [String]>,
    /// How to revoke or rotate.
    #[serde(default)]
    pub remediation: Cow<'a, str>,
    /// Where it lives and who must act (written, never read back).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub blast_radius: Option<&'a BlastRadius>,
    /// The rotation checklist (written, never read back).
    #[serde(skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub plan: Option<&'a [Step]>,
}

#[allow(clippy::ptr_arg)] // serde hands `skip_serializing_if` the field's own type
fn is_empty(v: &Cow<'_, [String]>) -> bool {
    v.is_empty()
}

#[allow(clippy::ptr_arg)] // serde hands `skip_serializing_if` the field's own type
fn is_empty_map(v: &Cow<'_, Identity>) -> bool {
    v.is_empty()
}

fn medium() -> Confidence {
    Confidence::Medium
}

fn unknown() -> Lifetime {
    Lifetime::Unknown
}

impl<'a> FindingRecord<'a> {
    /// A finding read from a report, as the correlator's merge (`sprawl merge`) takes it.
    pub fn into_reported(self) -> Reported {
        Reported {
            rule: RuleInfo {
                id: self.rule.id.into_owned(),
                name: self.rule.name.into_owned(),
                // A merge rebuilds the effective severity from the locations, like a scan.
                severity: self.rule_severity.unwrap_or(self.severity),
                confidence: self.confidence,
                lifetime: self.lifetime,
                strength: self.strength,
                identity: self.identity.into_owned(),
                remediation: self.remediation.into_owned(),
            },
            fingerprint: self.fingerprint.into_owned(),
            secret: self.secret.into_owned(),
            locations: self.locations.into_owned(),
            other_rules: self.other_rules.into_owned(),
        }
    }

    /// The record of `f`, its secret shown only if `show_secrets`.
    pub fn of(f: &'a Finding, show_secrets: bool) -> FindingRecord<'a> {
        FindingRecord {
            rule: RuleRef {
                id: Cow::Borrowed(&f.rule_id),
                name: Cow::Borrowed(&f.rule_name),
            },
            severity: f.severity,
            rule_severity: f.rule_severity,
            confidence: f.confidence,
            lifetime: f.lifetime,
            strength: f.strength,
            identity: Cow::Borrowed(&f.identity),
            fingerprint: Cow::Borrowed(&f.fingerprint),
            secret: Cow::Owned(shown_secret(f, show_secrets)),
            live: f.live,
            class: Some(f.class),
            locations: Cow::Borrowed(&f.locations),
            other_rules: Cow::Borrowed(&f.other_rules),
            remediation: Cow::Borrowed(&f.remediation),
            blast_radius: Some(&f.blast_radius),
            plan: Some(&f.plan),
        }
    }
}

/// Findings serialised one at a time as an iterator yields them, so a merge writes a document
/// of any size without holding it. Serialising it twice yields nothing the second time.
pub struct FindingSeq<I>(pub RefCell<I>);

impl<I> Serialize for FindingSeq<I>
where
    I: Iterator<Item = io::Result<(Finding, bool)>>,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for item in &mut *self.0.borrow_mut() {
            let (f, show) = item.map_err(S::Error::custom)?;
            seq.serialize_element(&FindingRecord::of(&f, show))?;
        }
        seq.end()
    }
}

/// Files skipped, by reason.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Skipped {
    /// NUL byte in the first 8 KiB.
    pub binary: u64,
    /// Above `--max-file-size`.
    pub too_large: u64,
    /// Could not be read (each also reported as an issue).
    pub unreadable: u64,
    /// FIFOs, sockets, device nodes.
    pub special: u64,
}

/// The summary block of a report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Summary {
    /// Files scanned.
    pub files_scanned: u64,
    /// Bytes scanned.
    pub bytes_scanned: u64,
    /// Skipped files and history blobs by reason.
    pub skipped: Skipped,
    /// Git repositories whose history was scanned.
    pub repositories: u64,
    /// Shallow ones among them (history before the shallow boundary was not there to scan).
    pub shallow_repositories: u64,
    /// Commits in the scanned history: reachable from a ref or HEAD (`git rev-list --all
    /// --count`), or in the `--branch`/`--since-commit` range.
    pub commits_scanned: u64,
    /// Commit objects in the repositories that no ref or HEAD reaches (leftovers of rebases,
    /// objects copied from another clone): their blobs are read, and reported only with
    /// `--unreachable`.
    pub unreachable_commits: u64,
    /// Unique blobs scanned from history (each read once however many commits carry it).
    pub blobs_scanned: u64,
    /// Bytes of those blobs.
    pub history_bytes: u64,
    /// Findings (credentials).
    pub findings: usize,
    /// Locations across all findings.
    pub locations: usize,
    /// Problems reported as warnings (the `issues` that are not errors).
    pub issues: usize,
    /// Errors: a path or revision named on the command line that could not be scanned (issues
    /// of kind `not_scanned`). The exit code is then 2.
    pub errors: usize,
    /// The scan is not complete: an error, or an input cut off at a decode cap (issues of kind
    /// `truncated`). A partial scan exits 2 unless `--allow-partial`.
    pub partial: bool,
    /// Merged JSON Lines reports, which carry no counters: the file, byte, history and skip
    /// counts above leave them out (absent when there were none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports_without_counters: Option<usize>,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
    /// Findings not reported because a `--baseline` accepts them (absent without a baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
    /// What `--workstation` found on this machine (absent without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workstation: Option<super::workstation::WorkstationSummary>,
}

/// Adds the scan counters of another report (a merge); findings, locations and the baseline
/// count are the merge's own and are left alone.
impl std::ops::AddAssign<&Summary> for Summary {
    fn add_assign(&mut self, s: &Summary) {
        self.files_scanned += s.files_scanned;
        self.bytes_scanned += s.bytes_scanned;
        self.skipped.binary += s.skipped.binary;
        self.skipped.too_large += s.skipped.too_large;
        self.skipped.unreadable += s.skipped.unreadable;
        self.skipped.special += s.skipped.special;
        self.repositories += s.repositories;
        self.shallow_repositories += s.shallow_repositories;
        self.commits_scanned += s.commits_scanned;
        self.unreachable_commits += s.unreachable_commits;
        self.blobs_scanned += s.blobs_scanned;
        self.history_bytes += s.history_bytes;
        self.issues += s.issues;
        self.errors += s.errors;
        self.partial |= s.partial;
        self.elapsed_ms += s.elapsed_ms;
    }
}

/// One accepted credential in one application: a baseline file's entry, and how a report names
/// a baselined credential.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The rule that reported it.
    pub rule: String,
    /// Where it lives: the application the correlator names (the repository's directory name,
    /// and the service's directory inside it), whatever spelling of the root was scanned.
    pub application: String,
    /// `sha256("sprawl-baseline-v2" NUL rule NUL fingerprint)`, lowercase hex.
    pub key: String,
}

/// A baselined credential seen again in this scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaselinePresent {
    /// The baseline entry.
    #[serde(flatten)]
    pub entry: BaselineEntry,
    /// The finding's fingerprint, to find it in other reports.
    pub fingerprint: String,
}

/// What applying a baseline found, for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BaselineStatus {
    /// The baseline file as given.
    pub file: String,
    /// Findings not reported because every place they live is baselined.
    pub suppressed: usize,
    /// Baselined credentials still present (in suppressed or in new findings).
    pub still_present: Vec<BaselinePresent>,
    /// Baselined credentials no longer found: cleaned up (or outside this scan).
    pub resolved: Vec<BaselineEntry>,
}
