//! JSON and JSON Lines: the machine contract documented in `docs/output.md`.

use std::io;

use serde::Serialize;

use super::{Report, SCHEMA_VERSION, Summary, shown_secret};
use crate::correlate::Finding;
use crate::error::ScanIssue;
use crate::rules::{Confidence, Lifetime, Severity};
use crate::source::Location;

/// A rule reference in a finding.
#[derive(Debug, Serialize)]
pub struct RuleRef<'a> {
    /// Rule id.
    pub id: &'a str,
    /// Rule name.
    pub name: &'a str,
}

/// A finding as serialised.
#[derive(Debug, Serialize)]
pub struct FindingView<'a> {
    /// The rule.
    pub rule: RuleRef<'a>,
    /// Severity.
    pub severity: Severity,
    /// Confidence.
    pub confidence: Confidence,
    /// Lifetime class.
    pub lifetime: Lifetime,
    /// SHA-256 of the secret, lowercase hex.
    pub fingerprint: &'a str,
    /// Redacted (or revealed) secret.
    pub secret: String,
    /// Still present now (a file, staged, or HEAD), not only in history.
    pub live: bool,
    /// Every location.
    pub locations: &'a [Location],
    /// Other rules that caught the same secret.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub other_rules: &'a [String],
    /// How to revoke or rotate.
    pub remediation: &'a str,
    /// Where it lives and who must act.
    pub blast_radius: &'a crate::correlate::blast::BlastRadius,
    /// The rotation checklist.
    pub plan: &'a [crate::correlate::plan::Step],
}

impl<'a> FindingView<'a> {
    /// The serialisable view of `f`.
    pub fn new(f: &'a Finding, show_secrets: bool) -> FindingView<'a> {
        FindingView {
            rule: RuleRef {
                id: &f.rule_id,
                name: &f.rule_name,
            },
            severity: f.severity,
            confidence: f.confidence,
            lifetime: f.lifetime,
            fingerprint: &f.fingerprint,
            secret: shown_secret(f, show_secrets),
            live: f.live,
            locations: &f.locations,
            other_rules: &f.other_rules,
            remediation: &f.remediation,
            blast_radius: &f.blast_radius,
            plan: &f.plan,
        }
    }
}

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    tool: Tool,
    findings: Vec<FindingView<'a>>,
    issues: &'a [ScanIssue],
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'a crate::baseline::Status>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// One pretty-printed JSON document.
pub fn render(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "sprawl",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: report
            .findings
            .iter()
            .map(|f| FindingView::new(f, report.show_secrets))
            .collect(),
        issues: report.issues,
        summary: &report.summary,
        baseline: report.baseline,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// One finding per line, each a complete JSON object.
pub fn render_lines(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    for f in report.findings {
        serde_json::to_writer(&mut *out, &FindingView::new(f, report.show_secrets))?;
        writeln!(out)?;
    }
    Ok(())
}
