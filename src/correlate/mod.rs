//! The correlator: every hit of one credential becomes one [`Finding`].
//!
//! Identity is the secret's exact bytes (its SHA-256 fingerprint), so the same value in many
//! files, or caught by a vendor rule and a generic rule, is one finding. Output order is
//! deterministic (worst first, then by fingerprint), whatever order threads delivered hits in.
//! No I/O here.

pub mod environments;
pub mod owners;

use std::collections::BTreeMap;

use crate::rules::{Confidence, Lifetime, Rule, Severity};
use crate::secret::Secret;
use crate::source::Location;

/// One sighting of a secret, with provenance.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Index of the rule in the detector's rule list.
    pub rule: usize,
    /// The secret's bytes.
    pub secret: Secret,
    /// Where it was seen.
    pub location: Location,
}

/// One credential, with every place it was seen.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The most specific rule that caught it.
    pub rule_id: String,
    /// That rule's name.
    pub rule_name: String,
    /// Severity of that rule.
    pub severity: Severity,
    /// Confidence of that rule.
    pub confidence: Confidence,
    /// Lifetime class of that rule.
    pub lifetime: Lifetime,
    /// Lowercase hex SHA-256 of the secret.
    pub fingerprint: String,
    /// The secret (redacted unless revealed).
    pub secret: Secret,
    /// Every location, sorted, without duplicates.
    pub locations: Vec<Location>,
    /// Other rules that also caught it, sorted.
    pub other_rules: Vec<String>,
    /// How to revoke or rotate it (from the rule).
    pub remediation: String,
}

/// Group `hits` into findings. `rules` is the list `Hit::rule` indexes into.
pub fn correlate(hits: Vec<Hit>, rules: &[Rule]) -> Vec<Finding> {
    let mut groups: BTreeMap<String, (Secret, Vec<usize>, Vec<Location>)> = BTreeMap::new();
    for hit in hits {
        let fp = hit.secret.fingerprint();
        let entry = groups
            .entry(fp)
            .or_insert_with(|| (hit.secret.clone(), Vec::new(), Vec::new()));
        if !entry.1.contains(&hit.rule) {
            entry.1.push(hit.rule);
        }
        entry.2.push(hit.location);
    }
    let mut findings: Vec<Finding> = groups
        .into_iter()
        .map(|(fingerprint, (secret, rule_ids, mut locations))| {
            locations.sort();
            locations.dedup();
            let best = most_specific(&rule_ids, rules);
            let rule = &rules[best];
            let mut other_rules: Vec<String> = rule_ids
                .iter()
                .filter(|&&i| i != best)
                .map(|&i| rules[i].id.clone())
                .collect();
            other_rules.sort();
            other_rules.dedup();
            Finding {
                rule_id: rule.id.clone(),
                rule_name: rule.name.clone(),
                severity: rule.severity,
                confidence: rule.confidence,
                lifetime: crate::detect::verify::lifetime(rule, secret.reveal()),
                fingerprint,
                secret,
                locations,
                other_rules,
                remediation: rule.remediation.clone(),
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| b.locations.len().cmp(&a.locations.len()))
            .then_with(|| a.locations.first().cmp(&b.locations.first()))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
    findings
}

/// The rule that says most about the credential: a vendor rule beats a generic one, then
/// higher confidence, then higher severity, then the id (for determinism).
fn most_specific(candidates: &[usize], rules: &[Rule]) -> usize {
    let mut best = candidates[0];
    for &i in &candidates[1..] {
        let (a, b) = (&rules[i], &rules[best]);
        let key = |r: &Rule| (!r.generic, r.confidence, r.severity);
        if key(a) > key(b) || (key(a) == key(b) && a.id < b.id) {
            best = i;
        }
    }
    best
}
