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
    /// `revoke`, `notify`, `replace`, `harden`, `purge` or `verify`.
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
        .filter(|l| is_live(l) && l.source != SourceKind::Git && !super::is_machine(l))
        .map(|l| format!("{}:{}", l.display_path(), l.line))
        .collect();
    if !live.is_empty() {
        steps.push(Step {
            action: "replace".into(),
            detail: "Replace the value with a reference to a secret store in each place.".into(),
            targets: live,
        });
    }
    steps.extend(harden(locations));
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
    steps.push(Step {
        action: "verify".into(),
        detail: format!(
            "Rescan to confirm no copy is left: sprawl scan {} (with --baseline, the report lists it as resolved).",
            rescan(locations)
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

/// The arguments of the scan that finds every copy again: the roots, and `--workstation` (with
/// the home that was read) for copies on the machine.
fn rescan(locations: &[Location]) -> String {
    let mut args: BTreeSet<String> = BTreeSet::new();
    let mut machine = None;
    for l in locations {
        match l.source {
            SourceKind::Workstation => machine = Some(format!("--workstation --home {}", l.root)),
            SourceKind::Environment => {
                machine.get_or_insert_with(|| "--workstation".to_string());
            }
            _ => {
                args.insert(l.root.clone());
            }
        }
    }
    machine
        .into_iter()
        .chain(args)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One `harden` step per tool that keeps the credential on the workstation: the safer setup
/// for that tool (see [`super::safer`]), with the machine's copies as targets.
fn harden(locations: &[Location]) -> Vec<Step> {
    let mut by_tool: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for l in locations.iter().filter(|l| super::is_machine(l)) {
        let tool = l.tool.as_deref().unwrap_or("");
        let target = match (&l.source, &l.context) {
            (SourceKind::Environment, Some(var)) => format!("{} {var}", l.display_path()),
            _ => format!("{}:{}", l.display_path(), l.line),
        };
        by_tool.entry(tool).or_default().push(target);
    }
    by_tool
        .into_iter()
        .map(|(tool, targets)| Step {
            action: "harden".into(),
            detail: match tool {
                "" => super::safer::setup(tool).to_string(),
                _ => format!("{tool}: {}", super::safer::setup(tool)),
            },
            targets,
        })
        .collect()
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(root: &str, path: &str, source: SourceKind, tool: Option<&str>) -> Location {
        let mut l = Location::input(root, path, source);
        l.line = 3;
        l.tool = tool.map(str::to_string);
        l
    }

    #[test]
    fn machine_copies_get_a_harden_step_per_tool_and_the_rescan_reads_the_home() {
        let mut env = at(
            "<environment>",
            "",
            SourceKind::Environment,
            Some("environment"),
        );
        env.context = Some("NPM_TOKEN".into());
        let locations = vec![
            at("/home/me", ".npmrc", SourceKind::Workstation, Some("npm")),
            env,
            at("shop", ".npmrc", SourceKind::File, None),
        ];
        let blast = crate::correlate::blast::compute(
            &locations,
            crate::rules::Severity::High,
            Lifetime::Static,
        );
        let plan = build(
            "Revoke it.",
            Lifetime::Static,
            &blast,
            &locations,
            &Identity::default(),
        );
        let actions: Vec<&str> = plan.iter().map(|s| s.action.as_str()).collect();
        assert_eq!(
            actions,
            ["revoke", "notify", "replace", "harden", "harden", "verify"]
        );
        assert_eq!(plan[2].targets, ["shop/.npmrc:3"]);
        assert!(plan[3].detail.starts_with("environment: "));
        assert_eq!(plan[3].targets, ["<environment> NPM_TOKEN"]);
        assert!(
            plan[4]
                .detail
                .starts_with("npm: Use a granular access token")
        );
        assert_eq!(plan[4].targets, ["/home/me/.npmrc:3"]);
        assert!(
            plan[5]
                .detail
                .contains("sprawl scan --workstation --home /home/me shop ")
        );
    }
}
