//! The terminal view: one block per credential, then a one-line summary. Colour only when the
//! caller says so (a TTY without `NO_COLOR`); file names have control characters escaped.

use std::io;

use super::{Report, Summary, sanitize, shown_secret};
use crate::correlate::Finding;
use crate::correlate::blast::BlastRadius;
use crate::correlate::plan::Step;
use crate::rules::{Severity, Strength};

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
    fn severity(&self, s: Severity) -> String {
        let label = format!("{:<8}", s.as_str().to_uppercase());
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low | Severity::Info => "36",
        };
        self.wrap(code, &label)
    }
}

/// Render the human view.
pub fn render(report: &Report, color: bool, out: &mut dyn io::Write) -> io::Result<()> {
    let mut view = View::new(Paint { on: color }, report.show_secrets);
    for f in report.findings {
        view.finding(f, out)?;
    }
    writeln!(out, "{}", summary_line(&report.summary))?;
    if let Some(b) = report.baseline {
        baseline_lines(b, out)?;
    }
    Ok(())
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

/// Findings in output order: those in code and configuration as full blocks, then those only in
/// tests, docs, examples or vendored code as one line each under a heading.
pub struct View {
    paint: Paint,
    show: bool,
    quiet_heading: bool,
}

impl View {
    /// A view with colour on or off, secrets shown or redacted.
    pub fn new(paint: Paint, show: bool) -> View {
        View {
            paint,
            show,
            quiet_heading: false,
        }
    }

    /// Write one finding (findings must come in output order).
    pub fn finding(&mut self, f: &Finding, out: &mut dyn io::Write) -> io::Result<()> {
        if f.class.is_live_code() {
            return finding(f, self.show, &self.paint, out);
        }
        if !self.quiet_heading {
            self.quiet_heading = true;
            writeln!(
                out,
                "{}",
                self.paint.wrap(
                    "1",
                    "Only in tests, docs, examples or vendored code (low severity; \
                     `--fail-in all` fails on these):"
                )
            )?;
        }
        compact(f, self.show, &self.paint, out)
    }
}

/// One line for a finding outside code and configuration.
fn compact(f: &Finding, show: bool, paint: &Paint, out: &mut dyn io::Write) -> io::Result<()> {
    let first = f.locations.first();
    let place = first.map_or(String::new(), |l| {
        format!(
            "{}:{} ({})",
            sanitize(&l.display_path()),
            l.line,
            l.class.as_str()
        )
    });
    let more = f.locations.len().saturating_sub(1);
    let mut line = format!(
        "  {}{}  {}  {}",
        paint.severity(f.severity),
        sanitize(&f.rule_name),
        place,
        sanitize(&shown_secret(f, show))
    );
    if more > 0 {
        line.push_str(&format!("  +{more} more"));
    }
    if let Some(s) = f.rule_severity {
        line.push_str(&format!("  (rule severity {s})"));
    }
    if f.strength == Some(Strength::Weak) {
        line.push_str("  weak");
    }
    writeln!(out, "{line}")
}

/// One finding's block.
pub fn finding(f: &Finding, show: bool, paint: &Paint, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(
        out,
        "{}{}  {}  risk {:.1}",
        paint.severity(f.severity),
        paint.wrap("1", &sanitize(&f.rule_name)),
        paint.wrap("2", &f.rule_id),
        f.blast_radius.risk
    )?;
    let n = f.locations.len();
    writeln!(
        out,
        "        secret {}  fingerprint {}  {} location{}{}",
        sanitize(&shown_secret(f, show)),
        &f.fingerprint[..12.min(f.fingerprint.len())],
        n,
        if n == 1 { "" } else { "s" },
        match (f.live, f.strength) {
            (true, Some(Strength::Weak)) => "  weak",
            (true, _) => "",
            (false, Some(Strength::Weak)) => "  history only  weak",
            (false, _) => "  history only",
        }
    )?;
    for loc in &f.locations {
        let mut line = format!(
            "          {}:{}:{}",
            sanitize(&loc.display_path()),
            loc.line,
            loc.column
        );
        if !loc.class.is_live_code() {
            line.push_str(&format!("  ({})", loc.class.as_str()));
        }
        if !loc.decoded.is_empty() {
            line.push_str(&format!("  [{}]", sanitize(&loc.decoded.join(" > "))));
        }
        if let Some(ctx) = &loc.context {
            line.push_str(&format!("  at {}", sanitize(ctx)));
        }
        if let Some(g) = &loc.git {
            let short = &g.commit[..g.commit.len().min(10)];
            line.push_str(&format!(
                "  (commit {short} by {} {}; in {} commit{})",
                sanitize(&g.author),
                sanitize(&g.date),
                g.commit_count,
                plural(g.commit_count)
            ));
        }
        writeln!(out, "{line}")?;
    }
    blast_lines(&f.blast_radius, out)?;
    plan_lines(&f.plan, out)?;
    writeln!(out)
}

/// `blast radius: N applications (a, b) · environments: … · sources: …`, then first seen.
fn blast_lines(b: &BlastRadius, out: &mut dyn io::Write) -> io::Result<()> {
    let apps: Vec<String> = b.applications.iter().map(|a| sanitize(&a.name)).collect();
    let mut parts = vec![format!(
        "{} application{} ({})",
        apps.len(),
        plural(apps.len() as u64),
        apps.join(", ")
    )];
    if !b.environments.is_empty() {
        parts.push(format!("environments: {}", b.environments.join(", ")));
    }
    parts.push(format!("sources: {}", b.sources.join(", ")));
    parts.push(if b.live { "live" } else { "history only" }.to_string());
    writeln!(out, "        blast radius: {}", parts.join(" · "))?;
    if let Some(s) = &b.first_seen {
        writeln!(
            out,
            "        first seen {} in commit {} by {} <{}>",
            sanitize(&s.date),
            &s.commit[..s.commit.len().min(10)],
            sanitize(&s.author),
            sanitize(&s.email)
        )?;
    }
    Ok(())
}

/// The rotation checklist, numbered. Targets already listed as locations are counted, not
/// repeated.
fn plan_lines(plan: &[Step], out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "        plan:")?;
    for (i, step) in plan.iter().enumerate() {
        writeln!(
            out,
            "          {}. {}: {}",
            i + 1,
            step.action,
            sanitize(&step.detail)
        )?;
        match step.action.as_str() {
            "replace" | "purge" => writeln!(
                out,
                "             ({} location{} listed above)",
                step.targets.len(),
                plural(step.targets.len() as u64)
            )?,
            _ => {
                for t in &step.targets {
                    writeln!(out, "             - {}", sanitize(t))?;
                }
            }
        }
    }
    Ok(())
}

/// `N findings (M locations) · F files (B) scanned · history: C commits, K blobs (B) · skipped: …
/// · T s` (the history part only when a repository was scanned).
pub fn summary_line(s: &Summary) -> String {
    let mut parts = Vec::new();
    parts.push(if s.findings == 0 && s.baselined.is_some() {
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
    if let Some(n) = s.baselined {
        parts.push(format!("{n} baselined"));
    }
    parts.push(format!(
        "{} file{} ({}) scanned",
        s.files_scanned,
        plural(s.files_scanned),
        human_bytes(s.bytes_scanned)
    ));
    if s.repositories > 0 {
        let repos = if s.repositories > 1 {
            format!("{} repositories, ", s.repositories)
        } else {
            String::new()
        };
        parts.push(format!(
            "history: {repos}{} commit{}, {} blob{} ({}){}",
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
