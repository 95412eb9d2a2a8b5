//! JSON and JSON Lines: the machine contract documented in `docs/output.md`, written with the
//! types of [`super::document`].

use std::borrow::Cow;
use std::io;

use super::Report;
use super::document::{Document, FindingRecord, SCHEMA_VERSION, Tool};

/// One pretty-printed JSON document.
pub fn render(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool::default(),
        findings: report
            .findings
            .iter()
            .map(|f| FindingRecord::of(f, report.show_secrets))
            .collect::<Vec<_>>(),
        issues: Cow::Borrowed(report.issues),
        summary: Cow::Borrowed(&report.summary),
        baseline: report.baseline.map(Cow::Borrowed),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

/// One finding per line, each a complete JSON object.
pub fn render_lines(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    for f in report.findings {
        serde_json::to_writer(&mut *out, &FindingRecord::of(f, report.show_secrets))?;
        writeln!(out)?;
    }
    Ok(())
}
