//! Output of `sprawl rules list` and `sprawl rules check`.

use std::io;

use serde::Serialize;

use crate::rules::Problem;
use crate::rules::{Confidence, Lifetime, Rule, Severity};

#[derive(Serialize)]
struct RuleView<'a> {
    id: &'a str,
    name: &'a str,
    severity: Severity,
    confidence: Confidence,
    lifetime: Lifetime,
    keywords: &'a [String],
    references: &'a [String],
}

/// How `rules list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListForm {
    /// `id  severity  name` per rule.
    Human,
    /// One JSON array.
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// `id  severity  name` per rule, a JSON array, or one JSON rule per line.
pub fn list(rules: &[Rule], form: ListForm, out: &mut dyn io::Write) -> io::Result<()> {
    match form {
        ListForm::Json => {
            let views: Vec<_> = rules.iter().map(view).collect();
            serde_json::to_writer_pretty(&mut *out, &views)?;
            return writeln!(out);
        }
        ListForm::Jsonl => {
            for r in rules {
                serde_json::to_writer(&mut *out, &view(r))?;
                writeln!(out)?;
            }
            return Ok(());
        }
        ListForm::Human => {}
    }
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in rules {
        writeln!(
            out,
            "{:<width$}  {:<8}  {}",
            r.id,
            r.severity.as_str(),
            r.name
        )?;
    }
    writeln!(out, "{} rules", rules.len())
}

fn view(r: &Rule) -> RuleView<'_> {
    RuleView {
        id: &r.id,
        name: &r.name,
        severity: r.severity,
        confidence: r.confidence,
        lifetime: r.lifetime,
        keywords: &r.keywords,
        references: &r.references,
    }
}

/// One line per problem, then a verdict line.
pub fn check(rules: usize, problems: &[Problem], out: &mut dyn io::Write) -> io::Result<()> {
    for p in problems {
        writeln!(out, "FAIL {p}")?;
    }
    if problems.is_empty() {
        writeln!(out, "ok: {rules} rules checked, all examples pass")
    } else {
        writeln!(
            out,
            "{} problem(s) in {rules} rules checked",
            problems.len()
        )
    }
}
