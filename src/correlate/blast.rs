//! The blast radius of one credential: where it lives, which applications and environments
//! depend on it, whether it is live or history-only, when it first and last appeared, and a
//! risk score to sort by. Static and offline: computed from the finding's locations alone, so
//! `sprawl merge` rebuilds exactly what one combined scan would have. (Not Kingfisher's
//! "blast radius", which queries a key's permissions at its provider over the network.)

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::environments;
use crate::rules::{Lifetime, Severity};
use crate::source::{Location, SourceKind};

/// One application holding the credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    /// Application name (see `docs/correlation.md`).
    pub name: String,
    /// Locations in this application.
    pub locations: usize,
    /// Environments its locations serve.
    pub environments: Vec<String>,
    /// Owners: CODEOWNERS entries of its locations, then authors of introducing commits.
    pub owners: Vec<String>,
    /// Present now in this application (not only in its history).
    pub live: bool,
}

/// A commit that introduced a copy of the credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Commit id.
    pub commit: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub email: String,
    /// Author date, RFC 3339.
    pub date: String,
}

/// The blast radius, as serialised under `blast_radius`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlastRadius {
    /// Number of locations.
    pub locations: usize,
    /// Applications holding it, most exposed first.
    pub applications: Vec<Application>,
    /// Environments across all locations, most critical first.
    pub environments: Vec<String>,
    /// Kinds of place: `file`, `git-history`, `staged`, `stdin`, `workstation`, `environment`,
    /// `config-store`, `archive`, `ci`.
    pub sources: Vec<String>,
    /// Present now somewhere (a file, staged, or HEAD); false means history-only.
    pub live: bool,
    /// Earliest introducing commit among history locations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<Seen>,
    /// Latest introducing commit among history locations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<Seen>,
    /// Risk score used to sort findings (see [`risk`]).
    pub risk: f64,
}

/// True if the location exists now: anything but a history blob HEAD does not hold.
pub fn is_live(l: &Location) -> bool {
    match l.source {
        SourceKind::Git => l.git.as_ref().is_some_and(|g| g.in_head),
        SourceKind::File
        | SourceKind::Staged
        | SourceKind::Stdin
        | SourceKind::Workstation
        | SourceKind::Environment => true,
    }
}

/// Kinds of place a location represents (several can apply).
pub fn source_kinds(l: &Location) -> Vec<&'static str> {
    let mut kinds = vec![match l.source {
        SourceKind::File => "file",
        SourceKind::Git => "git-history",
        SourceKind::Staged => "staged",
        SourceKind::Stdin => "stdin",
        SourceKind::Workstation => "workstation",
        SourceKind::Environment => "environment",
    }];
    let archive = |d: &String| {
        ["zip:", "tar:", "gz:", "gzip:"]
            .iter()
            .any(|p| d.starts_with(p))
    };
    if l.decoded.iter().any(archive) {
        kinds.push("archive");
    }
    if l.decoded.iter().any(|d| !archive(d)) || l.context.is_some() {
        kinds.push("config-store");
    }
    if l.source != SourceKind::Environment && environments::is_ci(&l.path) {
        kinds.push("ci");
    }
    kinds
}

/// Per-application accumulator: locations, environments, owners, live.
type AppAcc<'a> = (usize, BTreeSet<&'a str>, BTreeSet<String>, bool);

/// Compute the blast radius of a credential from its locations.
pub fn compute(locations: &[Location], severity: Severity, lifetime: Lifetime) -> BlastRadius {
    let mut apps: BTreeMap<String, AppAcc> = BTreeMap::new();
    let mut envs = BTreeSet::new();
    let mut sources = BTreeSet::new();
    let mut seen: Vec<Seen> = Vec::new();
    for l in locations {
        let name = l.application.clone().unwrap_or_else(|| l.root.clone());
        let app = apps.entry(name).or_default();
        app.0 += 1;
        let e = match &l.environment {
            Some(name) => vec![name.as_str()],
            None => environments::infer(&l.path),
        };
        app.1.extend(e.iter().copied());
        envs.extend(e);
        app.2.extend(l.owners.iter().cloned());
        let live = is_live(l);
        app.3 |= live;
        sources.extend(source_kinds(l));
        if let Some(g) = &l.git {
            app.2.insert(format!("{} <{}>", g.author, g.email));
            seen.push(Seen {
                commit: g.commit.clone(),
                author: g.author.clone(),
                email: g.email.clone(),
                date: g.date.clone(),
            });
        }
    }
    seen.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.commit.cmp(&b.commit)));
    let live = locations.iter().any(is_live);
    let mut applications: Vec<Application> = apps
        .into_iter()
        .map(|(name, (n, e, owners, live))| Application {
            name,
            locations: n,
            environments: order_envs(e.into_iter()),
            owners: owners.into_iter().collect(),
            live,
        })
        .collect();
    applications.sort_by(|a, b| {
        b.live
            .cmp(&a.live)
            .then_with(|| b.locations.cmp(&a.locations))
            .then_with(|| a.name.cmp(&b.name))
    });
    let environments = order_envs(envs.into_iter());
    let production = environments.iter().any(|e| e == "production");
    BlastRadius {
        locations: locations.len(),
        risk: risk(severity, lifetime, applications.len(), live, production),
        applications,
        environments,
        sources: sources.into_iter().map(str::to_string).collect(),
        live,
        first_seen: seen.first().cloned(),
        last_seen: seen.last().cloned(),
    }
}

fn order_envs<'a>(e: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut v: Vec<&str> = e.collect();
    v.sort_by_key(|x| environments::ALL.iter().position(|a| a == x));
    v.dedup();
    v.into_iter().map(str::to_string).collect()
}

/// The risk score: `severity weight x (1 + log2(applications)) x live factor x production
/// factor x lifetime factor`, rounded to one decimal. Weights: critical 10, high 7, medium 4,
/// low 2, info 1. Live (present now) x2, history-only x1. A production location x2. A
/// short-lived credential x0.5 (it expires by itself). One application, live, not production,
/// high severity: 14.0.
pub fn risk(
    severity: Severity,
    lifetime: Lifetime,
    applications: usize,
    live: bool,
    production: bool,
) -> f64 {
    let weight = match severity {
        Severity::Critical => 10.0,
        Severity::High => 7.0,
        Severity::Medium => 4.0,
        Severity::Low => 2.0,
        Severity::Info => 1.0,
    };
    let spread = 1.0 + (applications.max(1) as f64).log2();
    let live = if live { 2.0 } else { 1.0 };
    let prod = if production { 2.0 } else { 1.0 };
    let life = if lifetime == Lifetime::ShortLived {
        0.5
    } else {
        1.0
    };
    (weight * spread * live * prod * life * 10.0).round() / 10.0
}
