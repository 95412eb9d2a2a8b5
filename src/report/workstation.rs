//! The workstation summary (`--workstation`): how many credentials this machine holds, how many
//! are static, how many also sit in a repository scanned in the same run, and which private
//! keys were listed as passphrase-protected instead of reported. Computed here, from the
//! findings, so every format tells the same numbers.

use serde::{Deserialize, Serialize};

use super::sanitize;
use crate::correlate::{Finding, is_machine};
use crate::rules::Lifetime;

/// A passphrase-protected private key found on the machine (listed, not a finding).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectedKey {
    /// Where it is.
    pub path: String,
    /// The cipher or scheme protecting it (`aes256-ctr`, `pkcs8`, `AES-128-CBC`).
    pub cipher: String,
}

/// `summary.workstation` in JSON; one line in the human view.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkstationSummary {
    /// The home that was read.
    pub home: String,
    /// Credential files found and read in it.
    pub files_read: u64,
    /// Findings with at least one location on this machine (a home file or the environment).
    pub credentials: usize,
    /// Those whose lifetime is `static` (they live until someone revokes them).
    pub static_credentials: usize,
    /// Those also found outside the machine: in a file, history or staged entry of a PATH
    /// scanned in the same run.
    pub in_repositories: usize,
    /// Passphrase-protected private keys, listed instead of reported.
    pub protected_keys: Vec<ProtectedKey>,
}

/// Count the machine's credentials among `findings`.
pub fn summarize(
    findings: &[Finding],
    home: &str,
    files_read: u64,
    protected_keys: Vec<ProtectedKey>,
) -> WorkstationSummary {
    let mut s = WorkstationSummary {
        home: home.to_string(),
        files_read,
        protected_keys,
        ..WorkstationSummary::default()
    };
    for f in findings {
        if !f.locations.iter().any(is_machine) {
            continue;
        }
        s.credentials += 1;
        if f.lifetime == Lifetime::Static {
            s.static_credentials += 1;
        }
        if f.locations.iter().any(|l| !is_machine(l)) {
            s.in_repositories += 1;
        }
    }
    s
}

/// `workstation HOME: N credentials on this machine, M static, K also found in repositories ·
/// F credential files read`, then one line per protected key.
pub fn lines(s: &WorkstationSummary) -> Vec<String> {
    let plural = |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
    let mut out = vec![format!(
        "workstation {}: {} credential{} on this machine, {} static, {} also found in repositories · {} credential file{} read",
        sanitize(&s.home),
        s.credentials,
        plural(s.credentials, "", "s"),
        s.static_credentials,
        s.in_repositories,
        s.files_read,
        plural(s.files_read as usize, "", "s"),
    )];
    for k in &s.protected_keys {
        out.push(format!(
            "  protected key (passphrase, {}), not a leak: {}",
            sanitize(&k.cipher),
            sanitize(&k.path)
        ));
    }
    out
}
