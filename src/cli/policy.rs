//! What `sprawl scan` does with its findings before reporting them: `--write-baseline`,
//! `--baseline` and `--fail-on`, ending in the exit status.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::ExitStatus;
use crate::baseline::Baseline;
use crate::correlate::Finding;
use crate::report::{BaselineStatus, diag};
use crate::rules::Severity;
use crate::source::Class;

/// Baseline and failure threshold for one scan (resolved by `cli::config`).
pub(super) struct Policy {
    pub fail_on: Severity,
    pub fail_in: Vec<Class>,
    pub baseline: Option<(Baseline, String)>,
    pub write_baseline: Option<PathBuf>,
    pub quiet: bool,
}

/// Findings to report, what the baseline did, and the exit status they give.
pub(super) struct Verdict {
    pub findings: Vec<Finding>,
    pub baseline: Option<BaselineStatus>,
    pub status: ExitStatus,
}

impl Policy {
    /// Write the new baseline if asked, apply the old one, and decide the exit status.
    pub fn apply(&self, findings: Vec<Finding>) -> Result<Verdict> {
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
        // Findings just written to a baseline are accepted by it. A finding fails the run when
        // it is severe enough and lives in a class that gates (code and config by default).
        let gates = |f: &Finding| f.locations.iter().any(|l| self.fail_in.contains(&l.class));
        let fails = self.write_baseline.is_none()
            && findings
                .iter()
                .any(|f| f.severity >= self.fail_on && gates(f));
        let status = if fails {
            ExitStatus::Findings
        } else {
            ExitStatus::Clean
        };
        Ok(Verdict {
            findings,
            baseline,
            status,
        })
    }
}
