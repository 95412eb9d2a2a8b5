//! The rotation checklist: an ordered plan for one credential, built from its rule's
//! remediation and its blast radius. Who must rotate, who must be notified, which copies must
//! be replaced, which history must be purged, and how to verify.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::blast::{BlastRadius, is_live};
use crate::rules::{Identity, Lifetime};
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
    identity: &Identity,
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
    let (how, commands) = concrete(identity);
    revoke.push(' ');
    revoke.push_str(&how);
    steps.push(Step {
        action: "revoke".into(),
        detail: revoke,
        targets: commands,
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

/// What the identity lets the plan say concretely: a sentence, and copy-paste commands where the
/// provider documents them. Where nothing is known, it says so.
fn concrete(id: &Identity) -> (String, Vec<String>) {
    let get = |k: &str| id.get(k).map(String::as_str);
    if let Some(key) = get("access_key_id") {
        let account = get("account_id").map_or(String::new(), |a| format!(" in account {a}"));
        return (
            format!(
                "Access key {key}{account}: deactivate it, check CloudTrail for its use, then delete it."
            ),
            vec![
                format!("aws sts get-access-key-info --access-key-id {key}"),
                format!("aws iam update-access-key --access-key-id {key} --status Inactive"),
                format!("aws iam delete-access-key --access-key-id {key}"),
            ],
        );
    }
    if let Some(fp) = get("public_key_fingerprint") {
        return (
            format!(
                "Private key {fp}: remove its public key wherever it is authorised (each server's \
                 authorized_keys, deploy keys, CI and cloud key lists; compare with `ssh-keygen -lf`), \
                 then generate a new key pair."
            ),
            vec![format!(
                "ssh-keygen -lf ~/.ssh/authorized_keys | grep '{fp}'"
            )],
        );
    }
    if let (Some(user), Some(host)) = (get("user").or(get("login")), get("host").or(get("machine")))
    {
        let port = get("port").unwrap_or("");
        let at = if port.is_empty() {
            host.to_string()
        } else {
            format!("{host}:{port}")
        };
        let commands = match port {
            "5432" => vec![format!(
                "psql -h {host} -p {port} -c \"ALTER USER \\\"{user}\\\" WITH PASSWORD '<new>'\""
            )],
            "3306" => vec![format!(
                "mysql -h {host} -P {port} -e \"ALTER USER '{user}'@'%' IDENTIFIED BY '<new>'\""
            )],
            _ => Vec::new(),
        };
        return (
            format!(
                "Account {user} on {at}: change its password there (for a database: ALTER USER ... on that server), then update every place below."
            ),
            commands,
        );
    }
    if let Some(registry) = get("registry") {
        return (
            format!(
                "A credential for the registry {registry}: revoke it there and issue a new, scoped one."
            ),
            Vec::new(),
        );
    }
    if let Some(iss) = get("jwt_iss") {
        let exp = get("jwt_exp").map_or(String::new(), |e| format!(" (it expires {e})"));
        return (
            format!(
                "A token issued by {iss}{exp}: revoke it, or rotate the issuer's signing key if it cannot be revoked."
            ),
            Vec::new(),
        );
    }
    if id.is_empty() {
        (
            "The format names no account: find its owner from the locations below.".into(),
            Vec::new(),
        )
    } else {
        let facts: Vec<String> = id.iter().map(|(k, v)| format!("{k} {v}")).collect();
        (format!("It identifies: {}.", facts.join(", ")), Vec::new())
    }
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}
