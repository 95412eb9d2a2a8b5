//! Merging findings read back from reports (`sprawl merge`): group by fingerprint, union the
//! locations, pick the most specific rule, and rebuild blast radius and plan exactly as one
//! combined scan would. Pure; reading and spilling reports is the CLI's job.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{Finding, RuleInfo};
use crate::rules::{Confidence, Lifetime, Severity};
use crate::secret::{Secret, fingerprint};
use crate::source::Location;

/// The rule reference of a finding in a report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleRef {
    /// Rule id.
    pub id: String,
    /// Rule name.
    pub name: String,
}

/// A finding as it appears in a JSON or JSONL report (only what merging needs; derived
/// fields such as `blast_radius` are recomputed).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportFinding {
    /// The rule.
    pub rule: RuleRef,
    /// Severity.
    pub severity: Severity,
    /// Confidence.
    #[serde(default = "medium")]
    pub confidence: Confidence,
    /// Lifetime.
    #[serde(default = "unknown")]
    pub lifetime: Lifetime,
    /// SHA-256 of the secret.
    pub fingerprint: String,
    /// The secret as the report shows it (redacted unless written with `--show-secrets`).
    pub secret: String,
    /// Locations.
    pub locations: Vec<Location>,
    /// Other rules.
    #[serde(default)]
    pub other_rules: Vec<String>,
    /// Remediation.
    #[serde(default)]
    pub remediation: String,
}

fn medium() -> Confidence {
    Confidence::Medium
}

fn unknown() -> Lifetime {
    Lifetime::Unknown
}

/// Merge report findings (in any order) into correlated findings, one per fingerprint.
pub fn merge(items: impl IntoIterator<Item = ReportFinding>) -> Vec<Finding> {
    let mut groups: BTreeMap<String, Vec<ReportFinding>> = BTreeMap::new();
    for item in items {
        groups
            .entry(item.fingerprint.clone())
            .or_default()
            .push(item);
    }
    groups.into_values().filter_map(merge_one).collect()
}

/// A rule id that is generic loses to a vendor rule; then higher severity and confidence win.
fn rank(f: &ReportFinding) -> (bool, Severity, Confidence) {
    (!f.rule.id.starts_with("generic."), f.severity, f.confidence)
}

fn merge_one(mut group: Vec<ReportFinding>) -> Option<Finding> {
    group.sort_by(|a, b| {
        rank(b)
            .cmp(&rank(a))
            .then_with(|| a.rule.id.cmp(&b.rule.id))
    });
    let mut locations = Vec::new();
    let mut rules = BTreeSet::new();
    for f in &mut group {
        locations.append(&mut f.locations);
        rules.insert(f.rule.id.clone());
        rules.extend(f.other_rules.drain(..));
    }
    locations.sort();
    locations.dedup();
    let mut group = group.into_iter();
    let best = group.next()?;
    let known = group
        .chain(std::iter::once(best.clone()))
        .find(|f| fingerprint(f.secret.as_bytes()) == f.fingerprint);
    let secret = match known {
        Some(f) => Secret::new(f.secret.into_bytes()),
        None => Secret::redacted_only(best.secret.clone()),
    };
    rules.remove(&best.rule.id);
    Some(Finding::new(
        RuleInfo {
            id: best.rule.id,
            name: best.rule.name,
            severity: best.severity,
            confidence: best.confidence,
            lifetime: best.lifetime,
            remediation: best.remediation,
        },
        best.fingerprint,
        secret,
        locations,
        rules.into_iter().collect(),
    ))
}
