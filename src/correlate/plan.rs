//! The rotation checklist: an ordered plan for one credential, built from its rule's
//! remediation and its blast radius. Who must rotate, who must be notified, which copies must
//! be replaced, which history must be purged, and how to verify.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::blast::{BlastRadius, is_live};
use crate::rules::Lifetime;
use crate::source::{Location, SourceKind};

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// `revoke`, `notify`, `replace`, `purge` or `verify`.
    pub action: String,
    /// What to do, in a sentence.
    pub detail: String,
    /// What it applies to (owners per application, locations, repositories).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

/// Build the plan for a credential.
pub fn build(
    remediation: &str,
    lifetime: Lifetime,
    blast: &BlastRadius,
    locations: &[Location],
) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut revoke = if remediation.trim().is_empty() {
        "Revoke or rotate the credential at its issuer.".to_string()
    } else {
        remediation.trim().to_string()
    };
    if lifetime == Lifetime::Static {
        revoke.push_str(
            " Prefer short-lived credentials (workload identity, OIDC) over a static key.",
        );
    }
    steps.push(Step {
        action: "revoke".into(),
        detail: revoke,
        targets: Vec::new(),
    });
    steps.push(Step {
        action: "notify".into(),
        detail: "Tell the owners of every application that uses it before rotating.".into(),
        targets: blast
            .applications
            .iter()
            .map(|a| {
                let who = if a.owners.is_empty() {
                    "no owner found".to_string()
                } else {
                    a.owners.join(", ")
                };
                format!("{}: {who}", a.name)
            })
            .collect(),
    });
    let live: Vec<String> = locations
        .iter()
        .filter(|l| is_live(l) && l.source != SourceKind::Git)
        .map(|l| format!("{}:{}", l.display_path(), l.line))
        .collect();
    if !live.is_empty() {
        steps.push(Step {
            action: "replace".into(),
            detail: "Replace the value with a reference to a secret store in each place.".into(),
            targets: live,
        });
    }
    let history: BTreeSet<String> = locations
        .iter()
        .filter(|l| l.source == SourceKind::Git)
        .filter_map(|l| {
            let g = l.git.as_ref()?;
            Some(format!(
                "{} (commit {})",
                l.display_path(),
                short(&g.commit)
            ))
        })
        .collect();
    if !history.is_empty() {
        let detail = if blast.live {
            "Copies also live in git history: once rotated they are harmless; purge them (git filter-repo) only if the old value must not stay readable."
        } else {
            "Only in git history: rotating makes it harmless; purge it (git filter-repo) if the old value must not stay readable."
        };
        steps.push(Step {
            action: "purge".into(),
            detail: detail.into(),
            targets: history.into_iter().collect(),
        });
    }
    let roots: BTreeSet<&str> = locations.iter().map(|l| l.root.as_str()).collect();
    let roots: Vec<&str> = roots.into_iter().collect();
    steps.push(Step {
        action: "verify".into(),
        detail: format!(
            "Rescan to confirm no copy is left: sprawl scan {} (with --baseline, the report lists it as resolved).",
            roots.join(" ")
        ),
        targets: Vec::new(),
    });
    steps
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}
