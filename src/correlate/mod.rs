//! The correlator: every hit of one credential becomes one [`Finding`].
//!
//! Identity is the secret's exact bytes (its SHA-256 fingerprint), so the same value in many
//! files, or caught by a vendor rule and a generic rule, is one finding, with its blast radius
//! ([`blast`]) and rotation plan ([`plan`]). Output order is deterministic (highest risk first,
//! then severity, spread, first location, fingerprint), whatever order threads delivered hits in.
//! No I/O here.

pub mod apps;
pub mod blast;
pub mod environments;
pub mod merge;
pub mod owners;
pub mod plan;

use std::collections::BTreeMap;

use crate::hit::Hit;
use crate::rules::{Confidence, Lifetime, Rule, Severity};
use crate::secret::Secret;
use crate::source::Location;

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
    /// Still present now: in a file, staged, or in a blob HEAD's tree holds. False when the
    /// secret is only in history (rotating it is not enough; history must be purged too).
    pub live: bool,
    /// Other rules that also caught it, sorted.
    pub other_rules: Vec<String>,
    /// How to revoke or rotate it (from the rule).
    pub remediation: String,
    /// Where it lives and who must act (static; see [`blast`]).
    pub blast_radius: blast::BlastRadius,
    /// The ordered rotation checklist.
    pub plan: Vec<plan::Step>,
}

/// Group `hits` into findings. `rules` is the list `Hit::rule` indexes into.
pub fn correlate(hits: Vec<Hit>, rules: &[Rule]) -> Vec<Finding> {
    // Per fingerprint: the secret, each rule that caught it (with the lifetime detection
    // decided), and every location.
    type Group = (Secret, Vec<(usize, Lifetime)>, Vec<Location>);
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for hit in hits {
        let fp = hit.secret.fingerprint();
        let entry = groups
            .entry(fp)
            .or_insert_with(|| (hit.secret.clone(), Vec::new(), Vec::new()));
        if !entry.1.iter().any(|&(r, _)| r == hit.rule) {
            entry.1.push((hit.rule, hit.lifetime));
        }
        entry.2.push(hit.location);
    }
    let mut findings: Vec<Finding> = groups
        .into_iter()
        .map(|(fingerprint, (secret, rule_ids, mut locations))| {
            locations.sort();
            locations.dedup();
            let ids: Vec<usize> = rule_ids.iter().map(|&(r, _)| r).collect();
            let best = most_specific(&ids, rules);
            let rule = &rules[best];
            // The lifetime detection decided for the best rule's sighting of this secret.
            let lifetime = rule_ids
                .iter()
                .find(|&&(r, _)| r == best)
                .map_or(rule.lifetime, |&(_, l)| l);
            let mut other_rules: Vec<String> = ids
                .iter()
                .filter(|&&i| i != best)
                .map(|&i| rules[i].id.clone())
                .collect();
            other_rules.sort();
            other_rules.dedup();
            Finding::new(
                RuleInfo {
                    id: rule.id.clone(),
                    name: rule.name.clone(),
                    severity: rule.severity,
                    confidence: rule.confidence,
                    lifetime,
                    remediation: rule.remediation.clone(),
                },
                fingerprint,
                secret,
                locations,
                other_rules,
            )
        })
        .collect();
    sort_findings(&mut findings);
    findings
}

/// What a finding takes from its rule.
#[derive(Debug, Clone)]
pub struct RuleInfo {
    /// Rule id.
    pub id: String,
    /// Rule name.
    pub name: String,
    /// Severity.
    pub severity: Severity,
    /// Confidence.
    pub confidence: Confidence,
    /// Lifetime class.
    pub lifetime: Lifetime,
    /// Remediation text.
    pub remediation: String,
}

impl Finding {
    /// Build a finding from sorted, deduplicated locations, computing its blast radius and plan.
    pub fn new(
        rule: RuleInfo,
        fingerprint: String,
        secret: Secret,
        locations: Vec<Location>,
        other_rules: Vec<String>,
    ) -> Finding {
        let blast_radius = blast::compute(&locations, rule.severity, rule.lifetime);
        let plan = plan::build(&rule.remediation, rule.lifetime, &blast_radius, &locations);
        Finding {
            live: blast_radius.live,
            blast_radius,
            plan,
            rule_id: rule.id,
            rule_name: rule.name,
            severity: rule.severity,
            confidence: rule.confidence,
            lifetime: rule.lifetime,
            fingerprint,
            secret,
            locations,
            other_rules,
            remediation: rule.remediation,
        }
    }
}

/// What output order is decided by, kept apart from the finding so `sprawl merge` can sort
/// many credentials without holding their locations.
#[derive(Debug, Clone)]
pub struct SortKey {
    /// Risk score.
    pub risk: f64,
    /// Severity.
    pub severity: Severity,
    /// Number of locations.
    pub locations: usize,
    /// First location.
    pub first: Option<Location>,
    /// Fingerprint.
    pub fingerprint: String,
}

impl SortKey {
    /// The key of `f`.
    pub fn of(f: &Finding) -> SortKey {
        SortKey {
            risk: f.blast_radius.risk,
            severity: f.severity,
            locations: f.blast_radius.locations,
            first: f.locations.first().cloned(),
            fingerprint: f.fingerprint.clone(),
        }
    }

    /// Output order: highest risk first, then severity, spread, first location, fingerprint.
    pub fn order(&self, other: &SortKey) -> std::cmp::Ordering {
        other
            .risk
            .total_cmp(&self.risk)
            .then_with(|| other.severity.cmp(&self.severity))
            .then_with(|| other.locations.cmp(&self.locations))
            .then_with(|| self.first.cmp(&other.first))
            .then_with(|| self.fingerprint.cmp(&other.fingerprint))
    }
}

/// Sort findings into output order (see [`SortKey::order`]).
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_cached_key(|f| OrdKey(SortKey::of(f)));
}

/// [`SortKey`] with its order as `Ord`.
struct OrdKey(SortKey);

impl PartialEq for OrdKey {
    fn eq(&self, other: &Self) -> bool {
        self.0.order(&other.0).is_eq()
    }
}
impl Eq for OrdKey {}
impl PartialOrd for OrdKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for OrdKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.order(&other.0)
    }
}

/// The rule that says most about the credential: a vendor rule beats a config-store field rule
/// (which knows only "this field is a password"), which beats a generic one; then higher
/// confidence, then higher severity, then the id (for determinism).
fn most_specific(candidates: &[usize], rules: &[Rule]) -> usize {
    let mut best = candidates[0];
    for &i in &candidates[1..] {
        let (a, b) = (&rules[i], &rules[best]);
        let key = |r: &Rule| (!r.generic, r.field.is_none(), r.confidence, r.severity);
        if key(a) > key(b) || (key(a) == key(b) && a.id < b.id) {
            best = i;
        }
    }
    best
}
