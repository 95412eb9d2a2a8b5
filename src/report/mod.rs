//! Reporters: pure renderers from correlated findings to a writer, plus the only code that
//! prints diagnostics ([`diag`]) and the one place report files are created ([`create_private`]:
//! atomically, renamed into place only when the report is complete).

pub mod diag;
pub mod document;
mod file;
pub mod html;
pub mod human;
pub mod json;
pub mod rules;
pub mod sarif;
pub mod stream;
pub mod workstation;

use std::io;

use crate::correlate::Finding;
use crate::error::ScanIssue;
pub use document::{BaselineStatus, SCHEMA_VERSION, Skipped, Summary};
pub use file::{Pending, create_private, remove_pending_on_interrupt};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The terminal view.
    Human,
    /// One JSON document.
    Json,
    /// One finding per line.
    Jsonl,
    /// SARIF 2.1.0 for code-scanning upload.
    Sarif,
    /// One self-contained HTML page (the JSON document and its viewer).
    Html,
}

/// Everything a reporter renders.
#[derive(Debug)]
pub struct Report<'a> {
    /// Correlated findings, already in output order.
    pub findings: &'a [Finding],
    /// Problems met during the scan.
    pub issues: &'a [ScanIssue],
    /// Counters.
    pub summary: Summary,
    /// Print secret values instead of the redacted form.
    pub show_secrets: bool,
    /// What `--baseline` suppressed, still sees and no longer sees (absent without one).
    pub baseline: Option<&'a BaselineStatus>,
    /// Human view: every location and the whole plan.
    pub verbose: bool,
    /// Human view: cut lines to this width.
    pub width: Option<usize>,
}

/// Render `report` in `format` to `out`. `color` applies to the human view only.
pub fn render(
    report: &Report,
    format: Format,
    color: bool,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(
            report,
            human::Style {
                paint: human::Paint { on: color },
                show: report.show_secrets,
                verbose: report.verbose,
                width: report.width,
            },
            out,
        ),
        Format::Json => json::render(report, out),
        Format::Jsonl => json::render_lines(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Html => html::render(report, out),
    }
}

/// The secret as shown in a report: redacted unless the user asked to see it.
pub fn shown_secret(finding: &Finding, show: bool) -> String {
    if show {
        String::from_utf8_lossy(finding.secret.reveal()).into_owned()
    } else {
        finding.secret.redacted()
    }
}

/// Escape control characters so a file name cannot drive the terminal.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
