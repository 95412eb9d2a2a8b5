//! The terminal view, read at a glance: a summary of the credentials first, then one short
//! block per credential in code and configuration (identity, where it is live, its history
//! copies, applications and owners, the first step of its plan), then one line per credential
//! found only in tests, docs, examples or vendored code, then the scan's counters.
//!
//! `--verbose` adds every location and the whole plan to each block (JSON and HTML always have
//! them). Lines are cut to the terminal width (`COLUMNS` when not a terminal); nothing is glued
//! or wrapped. Colour only when the caller says so; file names have control characters escaped.

mod block;
mod fit;

use std::io;

use super::{Report, Summary, sanitize};
use crate::correlate::Finding;
use crate::rules::Severity;

pub use block::{block, compact, short_fingerprint};
pub use fit::{fit, terminal_width};

/// Colour on or off for the human view.
pub struct Paint {
    /// Colour on.
    pub on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// The severity label, padded so the name after it never touches it.
    fn severity(&self, s: Severity) -> String {
        let label = format!("{:<10}", s.as_str().to_uppercase());
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low | Severity::Info => "36",
        };
        self.wrap(code, &label)
    }
}

/// How the view is laid out.
pub struct Style {
    /// Colour.
    pub paint: Paint,
    /// Show secret values.
    pub show: bool,
    /// Every location and the whole plan.
    pub verbose: bool,
    /// Cut lines to this many columns.
    pub width: Option<usize>,
}

/// Render the human view.
pub fn render(report: &Report, style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    overview(report.findings, &style, out)?;
    let mut view = View::new(style);
    for f in report.findings {
        view.finding(f, out)?;
    }
    view.finish(&report.summary, out)?;
    if let Some(w) = &report.summary.workstation {
        for line in super::workstation::lines(w) {
            writeln!(out, "{line}")?;
        }
    }
    if let Some(b) = report.baseline {
        baseline_lines(b, out)?;
    }
    Ok(())
}

/// `N credentials: 1 critical, 2 high · 2 live, 1 history only · 3 applications`, and how many
/// sit only in tests, docs and examples.
fn overview(findings: &[Finding], style: &Style, out: &mut dyn io::Write) -> io::Result<()> {
    if findings.is_empty() {
        return Ok(());
    }
    let (loud, quiet): (Vec<&Finding>, Vec<&Finding>) =
        findings.iter().partition(|f| f.class.is_live_code());
    let mut parts = vec![format!(
        "{} credential{}",
        loud.len(),
        plural(loud.len() as u64)
    )];
    let by_severity: Vec<String> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ]
    .iter()
    .filter_map(|s| {
        let n = loud.iter().filter(|f| f.severity == *s).count();
        (n > 0).then(|| format!("{n} {s}"))
    })
    .collect();
    if !by_severity.is_empty() {
        parts[0].push_str(&format!(": {}", by_severity.join(", ")));
    }
    let live = loud.iter().filter(|f| f.live).count();
    if !loud.is_empty() {
        parts.push(format!("{live} live, {} history only", loud.len() - live));
        let apps: std::collections::BTreeSet<&str> = loud
            .iter()
            .flat_map(|f| f.blast_radius.applications.iter().map(|a| a.name.as_str()))
            .collect();
        parts.push(format!(
            "{} application{}",
            apps.len(),
            plural(apps.len() as u64)
        ));
    }
    if !quiet.is_empty() {
        parts.push(format!("{} more in tests, docs, examples", quiet.len()));
    }
    let line = style.paint.wrap("1", &parts.join(" · "));
    writeln!(out, "{}", fit(&line, style.width))?;
    writeln!(out)
}

/// Findings in output order: those in code and configuration as blocks, then those only in
/// tests, docs, examples or vendored code as one line each under a heading.
pub struct View {
    style: Style,
    quiet_heading: bool,
    blocks: usize,
}

impl View {
    /// A view in `style`.
    pub fn new(style: Style) -> View {
        View {
            style,
            quiet_heading: false,
            blocks: 0,
        }
    }

    /// Write one finding (findings must come in output order).
    pub fn finding(&mut self, f: &Finding, out: &mut dyn io::Write) -> io::Result<()> {
        if f.class.is_live_code() {
            self.blocks += 1;
            return block(f, &self.style, out);
        }
        if !self.quiet_heading {
            self.quiet_heading = true;
            let heading = self.style.paint.wrap(
                "1",
                "Only in tests, docs, examples or vendored code (low; --fail-in all fails on them):",
            );
            writeln!(out, "{}", fit(&heading, self.style.width))?;
        }
        compact(f, &self.style, out)
    }

    /// End the list with the scan's counters.
    pub fn finish(self, summary: &Summary, out: &mut dyn io::Write) -> io::Result<()> {
        if self.quiet_heading {
            writeln!(out)?;
        }
        if self.blocks > 0 && !self.style.verbose {
            writeln!(
                out,
                "{}",
                fit(
                    "--verbose: every place and the whole plan (all of it in --format json or html)",
                    self.style.width
                )
            )?;
        }
        writeln!(out, "{}", fit(&summary_line(summary), self.style.width))
    }
}

/// `baseline FILE: N known not shown · P still present · R resolved`, then one line per
/// resolved credential: the evidence that a rotation and cleanup were completed.
fn baseline_lines(b: &super::BaselineStatus, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(
        out,
        "baseline {}: {} known finding{} not shown · {} still present · {} resolved",
        sanitize(&b.file),
        b.suppressed,
        plural(b.suppressed as u64),
        b.still_present.len(),
        b.resolved.len()
    )?;
    for e in &b.resolved {
        writeln!(
            out,
            "  resolved: {} in {} (baseline key {})",
            sanitize(&e.rule),
            sanitize(&e.application),
            &e.key[..12.min(e.key.len())]
        )?;
    }
    Ok(())
}

/// `N findings (M locations) · F files (B) scanned · history: C commits, K blobs (B) · skipped: …
/// · T s` (the history part only when a repository was scanned).
pub fn summary_line(s: &Summary) -> String {
    let mut parts = Vec::new();
    // A scan that failed or was cut short says so first: "no secrets found" would read as a
    // clean result.
    let verdict = if s.errors > 0 {
        format!(
            "SCAN FAILED ({} error{}, above): ",
            s.errors,
            plural(s.errors as u64)
        )
    } else if s.partial {
        "PARTIAL SCAN (inputs cut off at a decode cap, above): ".to_string()
    } else {
        String::new()
    };
    let incomplete = s.errors > 0 || s.partial;
    parts.push(if s.findings == 0 && incomplete {
        "no secrets found in what was scanned".to_string()
    } else if s.findings == 0 && s.baselined.is_some() {
        "no new secrets found".to_string()
    } else if s.findings == 0 {
        "no secrets found".to_string()
    } else {
        format!(
            "{} finding{} ({} location{})",
            s.findings,
            plural(s.findings as u64),
            s.locations,
            plural(s.locations as u64)
        )
    });
    parts[0].insert_str(0, &verdict);
    if let Some(n) = s.baselined {
        parts.push(format!("{n} baselined"));
    }
    match s.reports_without_counters {
        // Every merged report was JSON Lines: no counter is known.
        Some(n) if s.files_scanned == 0 && s.repositories == 0 => parts.push(format!(
            "files scanned: not known ({n} JSON Lines report{} carry no counters)",
            plural(n as u64)
        )),
        _ => parts.push(format!(
            "{} file{} ({}) scanned{}",
            s.files_scanned,
            plural(s.files_scanned),
            human_bytes(s.bytes_scanned),
            match s.reports_without_counters {
                Some(n) => format!(
                    " (and {n} JSON Lines report{} not counted)",
                    plural(n as u64)
                ),
                None => String::new(),
            }
        )),
    }
    if s.repositories > 0 {
        let repos = if s.repositories > 1 {
            format!("{} repositories, ", s.repositories)
        } else {
            String::new()
        };
        let unreachable = match s.unreachable_commits {
            0 => String::new(),
            n => format!(" + {n} unreachable"),
        };
        parts.push(format!(
            "history: {repos}{} commit{}{unreachable}, {} blob{} ({}){}",
            s.commits_scanned,
            plural(s.commits_scanned),
            s.blobs_scanned,
            plural(s.blobs_scanned),
            human_bytes(s.history_bytes),
            match (s.repositories, s.shallow_repositories) {
                (_, 0) => String::new(),
                (1, _) => " (shallow)".to_string(),
                (_, n) => format!(" ({n} shallow)"),
            }
        ));
    }
    let k = &s.skipped;
    let skipped: Vec<String> = [
        (k.binary, "binary"),
        (k.too_large, "too large"),
        (k.unreadable, "unreadable"),
        (k.special, "special"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, why)| format!("{n} {why}"))
    .collect();
    if !skipped.is_empty() {
        parts.push(format!("skipped: {}", skipped.join(", ")));
    }
    if s.issues > 0 {
        parts.push(format!("{} warning{}", s.issues, plural(s.issues as u64)));
    }
    if s.errors > 0 {
        parts.push(format!("{} error{}", s.errors, plural(s.errors as u64)));
    }
    parts.push(format!("{:.2} s", s.elapsed_ms as f64 / 1000.0));
    parts.join(" · ")
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Bytes in B, KiB, MiB or GiB with one decimal.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
