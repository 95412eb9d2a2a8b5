//! The correlator: every hit of one credential becomes one [`Finding`].
//!
//! Identity is the secret's exact bytes (reported as its fingerprint), so the same value in many
//! files, or caught by a vendor rule and a generic rule, is one finding, with its blast radius
//! ([`blast`]) and rotation plan ([`plan`]). Output order is deterministic (highest risk first,
//! then severity, spread, first location, fingerprint), whatever order threads delivered hits in.
//! No I/O here.

pub mod apps;
pub mod blast;
pub mod class;
pub mod environments;
pub mod merge;
pub mod owners;
pub mod plan;
pub mod safer;

use std::collections::{BTreeMap, BTreeSet};

use crate::hit::Hit;
use crate::rules::{Confidence, Identity, Lifetime, Rule, Severity, Strength};
use crate::secret::Secret;
use crate::source::{Class, Location, SourceKind};

/// One credential, with every place it was seen.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The most specific rule that caught it.
    pub rule_id: String,
    /// That rule's name.
    pub rule_name: String,
    /// Severity: the rule's, lowered to `low` when every location is a test, doc, example or
    /// vendored file (see [`class`]).
    pub severity: Severity,
    /// The rule's own severity, when `severity` was lowered.
    pub rule_severity: Option<Severity>,
    /// Confidence of that rule.
    pub confidence: Confidence,
    /// Lifetime class of that rule.
    pub lifetime: Lifetime,
    /// How guessable the value is (chosen values only; see `detect::verify::strength`).
    pub strength: Option<Strength>,
    /// The most exposed class among the locations (config first, docs last).
    pub class: Class,
    /// What the credential unlocks, in clear: every field any sighting showed (values that
    /// differ between sightings joined, sorted, with `, `).
    pub identity: Identity,
    /// The secret's fingerprint (`v2:` + hex; see `secret::fingerprint`).
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
    // Per secret (its exact bytes: a fast in-memory key; the slow fingerprint is derived once
    // per credential below): each rule that caught it (with what detection decided about the
    // value), every location, classified, and the identity fields.
    type Group = (
        Vec<(usize, Lifetime, Option<Strength>)>,
        Vec<Location>,
        BTreeMap<String, BTreeSet<String>>,
    );
    let mut groups: BTreeMap<Secret, Group> = BTreeMap::new();
    for mut hit in hits {
        let entry = groups
            .entry(std::mem::replace(&mut hit.secret, Secret::new(Vec::new())))
            .or_insert_with(|| (Vec::new(), Vec::new(), BTreeMap::new()));
        if !entry.0.iter().any(|&(r, ..)| r == hit.rule) {
            entry.0.push((hit.rule, hit.lifetime, hit.strength));
        }
        for (k, v) in std::mem::take(&mut hit.identity) {
            entry.2.entry(k).or_default().insert(v);
        }
        let loc = &mut hit.location;
        let path = if loc.path.is_empty() {
            &loc.root
        } else {
            &loc.path
        };
        // A credential on a machine (a tool's file, a history line, a variable) is live
        // configuration wherever it sits: never quietened as a test, doc or example.
        loc.class = if is_machine(loc) {
            Class::Config
        } else {
            class::classify(path, hit.comment)
        };
        entry.1.push(hit.location);
    }
    let secrets: Vec<&[u8]> = groups.keys().map(Secret::reveal).collect();
    crate::secret::fingerprint::precompute(&secrets);
    let mut findings: Vec<Finding> = groups
        .into_iter()
        .map(|(secret, (rule_ids, mut locations, identity))| {
            let fingerprint = secret.fingerprint();
            locations.sort();
            locations.dedup();
            one_context_per_place(&mut locations);
            let ids: Vec<usize> = rule_ids.iter().map(|&(r, ..)| r).collect();
            let best = most_specific(&ids, rules);
            let rule = &rules[best];
            // What detection decided for the best rule's sighting of this secret.
            let (mut lifetime, strength) = rule_ids
                .iter()
                .find(|&&(r, ..)| r == best)
                .map_or((rule.lifetime, None), |&(_, l, s)| (l, s));
            // A config-store field that holds temporary credentials by definition (a cache
            // of role or SSO credentials) knows the lifetime better than a vendor pattern
            // that recognised the same value.
            if rule_ids
                .iter()
                .any(|&(r, l, _)| rules[r].field.is_some() && l == Lifetime::ShortLived)
            {
                lifetime = Lifetime::ShortLived;
            }
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
                    strength,
                    identity: identity
                        .into_iter()
                        .map(|(k, v)| (k, v.into_iter().collect::<Vec<_>>().join(", ")))
                        .collect(),
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

/// One place read twice, by the settings reader (`password`, the entry's key) and by the
/// structured reader (`spring.datasource.password`, `services.api.environment[0]`), is one
/// location: everything but the context is equal, and the longest context is kept (the key
/// path). `locations` is sorted and deduplicated; it stays so. n log n.
fn one_context_per_place(locations: &mut Vec<Location>) {
    // Sorted by root, path, line and column first: two readings of one place are neighbours.
    let twice = locations.windows(2).any(|w| {
        (&w[0].root, &w[0].path, w[0].line, w[0].column)
            == (&w[1].root, &w[1].path, w[1].line, w[1].column)
            && w[0].context != w[1].context
    });
    if !twice {
        return;
    }
    let without_context = |l: &Location| Location {
        context: None,
        ..l.clone()
    };
    // Places together, the longest context first within a place (then the smallest, so the
    // choice does not depend on the order hits arrived in).
    locations.sort_by_cached_key(|l| {
        let len = l.context.as_ref().map_or(0, String::len);
        (
            without_context(l),
            std::cmp::Reverse(len),
            l.context.clone(),
        )
    });
    locations.dedup_by(|later, kept| {
        let mut same = later.clone();
        same.context.clone_from(&kept.context);
        same == *kept
    });
    locations.sort();
}

/// True for a location on the scanning machine (`--workstation`): a file in the home or the
/// process environment.
pub fn is_machine(l: &Location) -> bool {
    matches!(l.source, SourceKind::Workstation | SourceKind::Environment)
}

/// What a finding takes from its rule, and what detection decided about the value.
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
    /// Strength of the value, for chosen values.
    pub strength: Option<Strength>,
    /// What the credential unlocks, in clear.
    pub identity: Identity,
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
        let class = locations.iter().map(|l| l.class).min().unwrap_or_default();
        // Where it lives decides how loud it is: a credential only in tests, docs, examples or
        // third-party code is still reported, at `low` at most.
        let severity = if class.is_live_code() {
            rule.severity
        } else {
            rule.severity.min(Severity::Low)
        };
        let rule_severity = (severity != rule.severity).then_some(rule.severity);
        let blast_radius = blast::compute(&locations, severity, rule.lifetime);
        let plan = plan::build(
            &rule.remediation,
            rule.lifetime,
            &blast_radius,
            &locations,
            &rule.identity,
        );
        Finding {
            live: blast_radius.live,
            blast_radius,
            plan,
            rule_id: rule.id,
            rule_name: rule.name,
            severity,
            rule_severity,
            confidence: rule.confidence,
            lifetime: rule.lifetime,
            strength: rule.strength,
            identity: rule.identity,
            class,
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
    /// Found in code or configuration (not only in tests, docs, examples, vendored code):
    /// these come first.
    pub live_code: bool,
    /// Present now (not only in history).
    pub live: bool,
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
            live_code: f.class.is_live_code(),
            live: f.live,
            risk: f.blast_radius.risk,
            severity: f.severity,
            locations: f.blast_radius.locations,
            first: f.locations.first().cloned(),
            fingerprint: f.fingerprint.clone(),
        }
    }

    /// Output order (`docs/correlation.md`): code and configuration before tests, docs and
    /// examples; then severity, then live before history-only; within those, the risk score
    /// (applications, production, lifetime), and only then the number of copies; then the
    /// first location and the fingerprint, so the order never depends on threads.
    pub fn order(&self, other: &SortKey) -> std::cmp::Ordering {
        other
            .live_code
            .cmp(&self.live_code)
            .then_with(|| other.severity.cmp(&self.severity))
            .then_with(|| other.live.cmp(&self.live))
            .then_with(|| other.risk.total_cmp(&self.risk))
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
