//! Rule validation shared by `sprawl rules check` and the test suite: every example matches and
//! captures exactly its secret (through the engine, as a scan runs it), no negative example
//! matches, every example contains a keyword. It lives with the engine because it runs it; the
//! rules themselves stay data.

use super::matcher;
use crate::rules::{Problem, Rule};

/// Secrets `rule` reports in `text` (after all verification), as strings.
pub fn secrets_in(rule: &Rule, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    matcher::run_rule(0, rule, text.as_bytes(), &mut out);
    out.into_iter()
        .map(|m| String::from_utf8_lossy(&text.as_bytes()[m.secret]).into_owned())
        .collect()
}

/// Secrets a real scan reports in `text` with `rule` alone: through the keyword prefilter and
/// windowed matching, exactly as `sprawl scan` runs it.
pub fn secrets_scanned(rule: &Rule, text: &str) -> Vec<String> {
    let detector = super::Detector::new(vec![rule.clone()]);
    let mut scratch = super::Scratch::default();
    // A field rule sees only the values decoders hand it: its examples are such values.
    let found = match &rule.field {
        Some(field) => detector.detect_field(field, text.as_bytes()),
        None => detector.detect(text.as_bytes(), &mut scratch),
    };
    found
        .into_iter()
        .map(|m| String::from_utf8_lossy(&text.as_bytes()[m.secret]).into_owned())
        .collect()
}

/// True if the prefilter would select `rule` for `text`.
pub fn has_keyword(rule: &Rule, text: &str) -> bool {
    if rule.keywords.is_empty() {
        return true;
    }
    let lower = text.to_ascii_lowercase();
    rule.keywords
        .iter()
        .any(|k| lower.contains(&k.to_ascii_lowercase()))
}

/// Check one rule's examples; an empty result means it passes.
pub fn check_rule(rule: &Rule) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut fail = |message: String| {
        problems.push(Problem {
            rule: rule.id.clone(),
            origin: rule.origin.clone(),
            message,
        })
    };
    if let Err(why) = crate::rules::pattern::compile(rule.pattern.source()) {
        fail(why);
        return problems;
    }
    if rule.examples.is_empty() {
        fail("no examples".into());
    }
    if rule.negative_examples.is_empty() {
        fail("no negative_examples".into());
    }
    for (n, ex) in rule.examples.iter().enumerate() {
        if !has_keyword(rule, &ex.text) {
            fail(format!(
                "example {}: contains none of the keywords, so the prefilter would hide it",
                n + 1
            ));
        }
        let got = secrets_in(rule, &ex.text);
        if got.iter().any(|s| s == &ex.secret)
            && !secrets_scanned(rule, &ex.text).contains(&ex.secret)
        {
            fail(format!(
                "example {}: the regex matches but a scan does not report it (prefilter or window)",
                n + 1
            ));
        }
        if !got.iter().any(|s| s == &ex.secret) {
            let what = if let Some(why) = why_dropped(rule, &ex.text, &ex.secret) {
                format!("no match: the pattern captures it but {why}")
            } else if got.is_empty() {
                "no match".to_string()
            } else {
                format!(
                    "captured {} other value(s) of length {:?}",
                    got.len(),
                    lens(&got)
                )
            };
            fail(format!(
                "example {}: expected the secret of length {}, got {what}",
                n + 1,
                ex.secret.len()
            ));
        }
    }
    for (n, text) in rule.negative_examples.iter().enumerate() {
        let got = secrets_in(rule, text);
        if !got.is_empty() {
            fail(format!(
                "negative example {}: matched {} value(s)",
                n + 1,
                got.len()
            ));
        }
    }
    problems
}

/// When the regex alone captures `secret` in `text` but a check drops it: which check.
fn why_dropped(rule: &Rule, text: &str, secret: &str) -> Option<String> {
    use super::verify::Reject;
    let compiled = rule.pattern.compiled()?;
    let captured = compiled
        .secrets(text.as_bytes())
        .any(|m| m == secret.as_bytes());
    if !captured {
        return None;
    }
    let why = match super::verify::check(rule, secret.as_bytes()) {
        Err(Reject::Entropy) => format!(
            "its entropy is below the rule's min_entropy ({})",
            rule.min_entropy.unwrap_or_default()
        ),
        Err(Reject::Checksum) => "its checksum does not verify".to_string(),
        Err(Reject::Placeholder) => {
            "the placeholder check drops it (a template, documented example or typed-in \
             stand-in; see the rule's `placeholder` patterns and detect::verify::placeholder)"
                .to_string()
        }
        Err(Reject::Hash) => "the hash/identifier check of generic rules drops it".to_string(),
        Ok(()) if rule.deny.iter().any(|d| d.is_match(text.as_bytes())) => {
            "a `deny` pattern matches the text".to_string()
        }
        Ok(()) => "a comment-line or window check drops it".to_string(),
    };
    Some(why)
}

fn lens(v: &[String]) -> Vec<usize> {
    v.iter().map(String::len).collect()
}

/// Check every rule; problems in rule order.
pub fn check_all(rules: &[Rule]) -> Vec<Problem> {
    rules.iter().flat_map(check_rule).collect()
}
