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
    /// The secret's fingerprint.
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
    // A report written with `--show-secrets` holds the value: it is real when it derives the
    // fingerprint. Redacted forms are not worth a derivation each.
    let known = group
        .chain(std::iter::once(best.clone()))
        .find(|f| !looks_redacted(&f.secret) && fingerprint(f.secret.as_bytes()) == f.fingerprint);
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

/// The redacted form `Secret::redacted` writes: at most 4 characters, `…(`, a number, ` chars)`.
fn looks_redacted(s: &str) -> bool {
    let Some((head, tail)) = s.split_once("…(") else {
        return false;
    };
    head.chars().count() <= 4
        && tail
            .strip_suffix(" chars)")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacted_forms_are_recognised() {
        assert!(super::looks_redacted("ghp_…(40 chars)"));
        assert!(super::looks_redacted("…(3 chars)"));
        assert!(!super::looks_redacted("ghp_realvalue"));
        assert!(!super::looks_redacted("abcdef…(3 chars)"));
    }
}
