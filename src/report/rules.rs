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

/// `id  severity  name` per rule, or a JSON array.
pub fn list(rules: &[Rule], json: bool, out: &mut dyn io::Write) -> io::Result<()> {
    if json {
        let views: Vec<_> = rules
            .iter()
            .map(|r| RuleView {
                id: &r.id,
                name: &r.name,
                severity: r.severity,
                confidence: r.confidence,
                lifetime: r.lifetime,
                keywords: &r.keywords,
                references: &r.references,
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &views)?;
        return writeln!(out);
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
