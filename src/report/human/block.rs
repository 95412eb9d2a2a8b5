//! One credential in the terminal view: a full block for code and configuration, one line for
//! tests, docs, examples and vendored code.

use std::io;

use super::{Style, fit, plural};
use crate::correlate::Finding;
use crate::correlate::plan::Step;
use crate::report::{sanitize, shown_secret};
use crate::rules::Strength;
use crate::source::{Location, SourceKind};

/// Owners shown per block before `+N more`.
const OWNERS_SHOWN: usize = 3;
/// Live places shown per block before `+N more`.
const PLACES_SHOWN: usize = 2;

/// A finding's block: heading, then a few labelled lines.
pub fn block(f: &Finding, style: &Style, out: &mut dyn io::Write) -> io::Result<()> {
    let p = &style.paint;
    let mut lines = vec![format!(
        "{}{}  {}",
        p.severity(f.severity),
        p.wrap("1", &sanitize(&f.rule_name)),
        p.wrap("2", &f.rule_id)
    )];
    let mut facts = vec![
        sanitize(&shown_secret(f, style.show)),
        format!("fingerprint {}", short_fingerprint(&f.fingerprint)),
    ];
    if f.strength == Some(Strength::Weak) {
        facts.push("weak".into());
    }
    if let Some(s) = f.rule_severity {
        facts.push(format!("rule severity {s}"));
    }
    lines.push(labelled("secret", &facts.join(" · ")));
    if !f.identity.is_empty() {
        let id: Vec<String> = f
            .identity
            .iter()
            .map(|(k, v)| format!("{k} {}", sanitize(v)))
            .collect();
        lines.push(labelled("identity", &id.join(", ")));
    }
    // Where it is live now: files, staged entries, standard input; a history blob HEAD holds
    // only when no file shows it.
    let mut live: Vec<&Location> = f
        .locations
        .iter()
        .filter(|l| l.source != SourceKind::Git)
        .collect();
    if live.is_empty() {
        live = f
            .locations
            .iter()
            .filter(|l| l.git.as_ref().is_some_and(|g| g.in_head))
            .collect();
    }
    if !live.is_empty() {
        lines.push(labelled("live", &places(&live, style.verbose)));
    }
    let history: Vec<&Location> = f
        .locations
        .iter()
        .filter(|l| l.source == SourceKind::Git)
        .collect();
    if !history.is_empty() {
        lines.push(labelled("history", &history_line(f, &history)));
    }
    lines.push(labelled("apps", &apps_line(f)));
    for line in lines {
        writeln!(out, "{}", fit(&line, style.width))?;
    }
    // Sentences are wrapped and commands left whole (the terminal folds them): never cut,
    // so both stay readable and a command stays copyable.
    let mut wrapped: Vec<(&str, String, bool)> = Vec::new();
    if style.verbose {
        for (i, loc) in f.locations.iter().enumerate() {
            let label = if i == 0 { "places" } else { "" };
            wrapped.push((label, location_line(loc), false));
        }
        for (i, step) in f.plan.iter().enumerate() {
            let label = if i == 0 { "plan" } else { "" };
            let text = format!("{}. {}: {}", i + 1, step.action, sanitize(&step.detail));
            wrapped.push((label, text, false));
            for t in step_targets(step) {
                wrapped.push(("", format!("   {}", sanitize(&t)), step.action == "revoke"));
            }
        }
    } else if let Some((next, command)) = next_step(&f.plan) {
        wrapped.push(("next", next, command));
    }
    for (label, text, command) in wrapped {
        let width = if command { None } else { style.width };
        for line in wrap(label, &text, width) {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(out)
}

/// `text` after `label`, wrapped at spaces to `width` with the label column as indent; a word
/// longer than a line is kept whole.
fn wrap(label: &str, text: &str, width: Option<usize>) -> Vec<String> {
    let first = labelled(label, "");
    let indent = " ".repeat(first.chars().count());
    let Some(width) = width.filter(|&w| w > indent.len() + 20) else {
        return vec![format!("{first}{text}")];
    };
    let mut lines = Vec::new();
    let mut line = first;
    let mut empty = true;
    for word in text.split(' ') {
        let len = line.chars().count() + usize::from(!empty) + word.chars().count();
        if !empty && len > width {
            lines.push(std::mem::replace(&mut line, indent.clone()));
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    lines.push(line);
    lines
}

/// One line for a finding outside code and configuration.
pub fn compact(f: &Finding, style: &Style, out: &mut dyn io::Write) -> io::Result<()> {
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
        style.paint.severity(f.severity),
        sanitize(&f.rule_name),
        place,
        sanitize(&shown_secret(f, style.show))
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
    writeln!(out, "{}", fit(&line, style.width))
}

/// `  label     text`, the label column 10 wide.
fn labelled(label: &str, text: &str) -> String {
    format!("  {label:<10}{text}")
}

/// `a.env:3:7, b.yml:1:12 (+4 more)`, every place when verbose.
fn places(locs: &[&Location], verbose: bool) -> String {
    let shown = if verbose { locs.len() } else { PLACES_SHOWN };
    let parts: Vec<String> = locs.iter().take(shown).map(|l| short_place(l)).collect();
    let mut s = parts.join(", ");
    if locs.len() > shown {
        s.push_str(&format!(" (+{} more)", locs.len() - shown));
    }
    s
}

fn short_place(l: &Location) -> String {
    let mut s = match (l.source, &l.context) {
        // A variable has no line a person could open: its name says where it is.
        (SourceKind::Environment, Some(var)) => {
            format!("{} {}", sanitize(&l.display_path()), sanitize(var))
        }
        _ => format!("{}:{}:{}", sanitize(&l.display_path()), l.line, l.column),
    };
    if let Some(tool) = &l.tool {
        s.push_str(&format!(" ({})", sanitize(tool)));
    }
    if l.part.is_some() {
        s.push_str(" (key id)");
    }
    if !l.class.is_live_code() {
        s.push_str(&format!(" ({})", l.class.as_str()));
    }
    s
}

/// `5 copies in 12 commits, first 2024-01-01 by Ada (a1b2c3d4e5)`.
fn history_line(f: &Finding, history: &[&Location]) -> String {
    let commits: u64 = history
        .iter()
        .filter_map(|l| l.git.as_ref().map(|g| g.commit_count))
        .sum();
    let only = history
        .iter()
        .filter(|l| l.git.as_ref().is_some_and(|g| !g.in_head))
        .count();
    let mut s = format!(
        "{} cop{} in {} commit{}",
        history.len(),
        if history.len() == 1 { "y" } else { "ies" },
        commits,
        plural(commits)
    );
    if only > 0 && only < history.len() {
        s.push_str(&format!(" ({only} only in history)"));
    } else if only == history.len() && !f.live {
        s.push_str(" (history only)");
    }
    if let Some(first) = &f.blast_radius.first_seen {
        s.push_str(&format!(
            ", first {} by {} ({})",
            sanitize(first.date.get(..10).unwrap_or(&first.date)),
            sanitize(&first.author),
            &first.commit[..first.commit.len().min(10)]
        ));
    }
    s
}

/// `billing [production], shop · owners @a, @b (+2 more)`.
fn apps_line(f: &Finding) -> String {
    let apps: Vec<String> = f
        .blast_radius
        .applications
        .iter()
        .map(|a| {
            if a.environments.is_empty() {
                sanitize(&a.name)
            } else {
                format!("{} [{}]", sanitize(&a.name), a.environments.join(", "))
            }
        })
        .collect();
    let mut owners: Vec<&str> = f
        .blast_radius
        .applications
        .iter()
        .flat_map(|a| a.owners.iter().map(String::as_str))
        .collect();
    owners.sort_unstable();
    owners.dedup();
    let mut s = apps.join(", ");
    if owners.is_empty() {
        s.push_str(" · no owner found");
    } else {
        let shown: Vec<String> = owners
            .iter()
            .take(OWNERS_SHOWN)
            .map(|o| sanitize(o))
            .collect();
        s.push_str(&format!(" · owners {}", shown.join(", ")));
        if owners.len() > OWNERS_SHOWN {
            s.push_str(&format!(" (+{} more)", owners.len() - OWNERS_SHOWN));
        }
    }
    s
}

/// The first thing to do: the first copy-paste command of the revoke step (and `true`), else
/// its sentence.
fn next_step(plan: &[Step]) -> Option<(String, bool)> {
    let revoke = plan.first()?;
    Some(match revoke.targets.iter().find(|t| !t.is_empty()) {
        Some(cmd) if revoke.action == "revoke" => (sanitize(cmd), true),
        _ => (sanitize(first_sentence(&revoke.detail)), false),
    })
}

/// Up to the first `. ` (a URL's dots do not end a sentence: they have no space after them).
fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

/// Targets worth printing under a step (locations are listed already).
fn step_targets(step: &Step) -> Vec<String> {
    match step.action.as_str() {
        "replace" | "purge" => vec![format!(
            "{} location{} listed above",
            step.targets.len(),
            plural(step.targets.len() as u64)
        )],
        _ => step.targets.clone(),
    }
}

/// A full location line (verbose): place, decode chain, context, commit.
fn location_line(loc: &Location) -> String {
    let mut line = short_place(loc);
    if !loc.decoded.is_empty() {
        line.push_str(&format!("  [{}]", sanitize(&loc.decoded.join(" > "))));
    }
    if let Some(ctx) = loc
        .context
        .as_ref()
        .filter(|_| loc.source != SourceKind::Environment)
    {
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
    line
}

/// The first 12 hex digits of a fingerprint, after its version prefix (`v2:1a2b3c4d5e6f`).
pub fn short_fingerprint(fp: &str) -> String {
    let digits = crate::secret::fingerprint::digits(fp);
    let cut = digits.get(..12).unwrap_or(digits);
    match fp.split_once(':') {
        Some((v, _)) => format!("{v}:{cut}"),
        None => cut.to_string(),
    }
}
