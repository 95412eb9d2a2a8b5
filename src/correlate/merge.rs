//! Merging findings read back from reports (`sprawl merge`): group by fingerprint, union the
//! locations, pick the most specific rule, and rebuild blast radius and plan exactly as one
//! combined scan would. Pure; reading reports (in the report's own types) is the CLI's job, and
//! it hands findings in as [`Reported`].

use std::collections::{BTreeMap, BTreeSet};

use super::{Finding, RuleInfo};
use crate::rules::{Confidence, Severity};
use crate::secret::{Secret, fingerprint};
use crate::source::Location;

/// A finding as one report holds it: what merging needs, derived fields left out.
#[derive(Debug, Clone)]
pub struct Reported {
    /// The rule and what the finding took from it.
    pub rule: RuleInfo,
    /// SHA-256 of the secret.
    pub fingerprint: String,
    /// The secret as the report shows it (redacted unless written with `--show-secrets`).
    pub secret: String,
    /// Locations.
    pub locations: Vec<Location>,
    /// Other rules.
    pub other_rules: Vec<String>,
}

/// Merge report findings (in any order) into correlated findings, one per fingerprint.
pub fn merge(items: impl IntoIterator<Item = Reported>) -> Vec<Finding> {
    let mut groups: BTreeMap<String, Vec<Reported>> = BTreeMap::new();
    for item in items {
        groups
            .entry(item.fingerprint.clone())
            .or_default()
            .push(item);
    }
    groups.into_values().filter_map(merge_one).collect()
}

/// A rule id that is generic loses to a vendor rule; then higher severity and confidence win.
fn rank(f: &Reported) -> (bool, Severity, Confidence) {
    (
        !f.rule.id.starts_with("generic."),
        f.rule.severity,
        f.rule.confidence,
    )
}

fn merge_one(mut group: Vec<Reported>) -> Option<Finding> {
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
        best.rule,
        best.fingerprint,
        secret,
        locations,
        rules.into_iter().collect(),
    ))
}
