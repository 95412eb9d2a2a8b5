//! What `sprawl scan` does with its findings before reporting them: inline config rules and
//! allowlists (from `.sprawl.toml`), `--baseline` / `--write-baseline`, and `--fail-on`, ending
//! in the exit status. Precedence: flags > config file > defaults.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::ExitStatus;
use super::args::{ScanArgs, SeverityArg};
use crate::allow::Allowlist;
use crate::baseline::{Baseline, Status};
use crate::config::ConfigFile;
use crate::correlate::Finding;
use crate::report::diag;
use crate::rules::{Rule, Severity};

/// The `[[rule]]` tables of the config, compiled (errors name the config file).
pub(super) fn inline_rules(cfg: &ConfigFile) -> Result<Vec<Rule>> {
    let origin = cfg.name();
    let mut out = Vec::new();
    for spec in &cfg.inline_rules {
        out.push(Rule::compile(spec.clone(), &origin, false)?);
    }
    Ok(out)
}

/// The config's allowlists, checked against the loaded rule ids.
pub(super) fn allowlist(cfg: &ConfigFile, rules: &[Rule]) -> Result<Allowlist> {
    let allow = Allowlist::compile(cfg)?;
    for id in allow.named_rules() {
        if !rules.iter().any(|r| r.id == id) {
            return Err(cfg
                .error("allow/rules.scope", format!("unknown rule id {id:?}"))
                .into());
        }
    }
    Ok(allow)
}

/// Baseline and failure threshold for one scan.
pub(super) struct Policy {
    fail_on: Severity,
    baseline: Option<(Baseline, String)>,
    write_baseline: Option<PathBuf>,
    quiet: bool,
}

/// Findings to report, what the baseline did, and the exit status they give.
pub(super) struct Outcome {
    pub findings: Vec<Finding>,
    pub baseline: Option<Status>,
    pub status: ExitStatus,
}

impl Policy {
    /// Resolve flags and config; reads the baseline now, so a bad file fails before scanning.
    pub fn resolve(a: &ScanArgs, cfg: &ConfigFile) -> Result<Policy> {
        let fail_on = match a.fail_on {
            Some(s) => severity(s),
            None => cfg.fail_on()?.unwrap_or(Severity::Info),
        };
        let baseline = match &a.baseline {
            Some(path) => Some((Baseline::load(path)?, path.display().to_string())),
            None => None,
        };
        Ok(Policy {
            fail_on,
            baseline,
            write_baseline: a.write_baseline.clone(),
            quiet: a.quiet,
        })
    }

    /// Write the new baseline if asked, apply the old one, and decide the exit status.
    pub fn apply(&self, findings: Vec<Finding>) -> Result<Outcome> {
        if let Some(path) = &self.write_baseline {
            let new = Baseline::from_findings(&findings);
            new.write(path)
                .with_context(|| format!("{}: cannot write baseline", path.display()))?;
            if !self.quiet {
                let n = new.len();
                let s = if n == 1 { "" } else { "s" };
                diag::note(&format!(
                    "wrote baseline {}: {n} credential{s}",
                    path.display()
                ));
            }
        }
        let (findings, baseline) = match &self.baseline {
            Some((b, file)) => {
                let (kept, status) = b.apply(findings, file);
                (kept, Some(status))
            }
            None => (findings, None),
        };
        // Findings just written to a baseline are accepted by it.
        let fails =
            self.write_baseline.is_none() && findings.iter().any(|f| f.severity >= self.fail_on);
        let status = if fails {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        };
        Ok(Outcome {
            findings,
            baseline,
            status,
        })
    }
}

fn severity(s: SeverityArg) -> Severity {
    match s {
        SeverityArg::Info => Severity::Info,
        SeverityArg::Low => Severity::Low,
        SeverityArg::Medium => Severity::Medium,
        SeverityArg::High => Severity::High,
        SeverityArg::Critical => Severity::Critical,
    }
}
