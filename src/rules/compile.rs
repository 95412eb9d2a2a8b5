//! [`Rule`]: a rule file's `[[rule]]` table compiled and validated (severity names, keywords,
//! placeholders, the `keyword_starts_word` contract). Errors name the file and the rule.

use super::pattern::{Pattern, Regexes};
use super::schema::{ExampleSpec, RuleSpec};
use super::{Checksum, Confidence, Lifetime, Severity};
use crate::error::Error;

/// True if every match of `pattern` starts its secret with one of `keywords`, preceded by the
/// start of input or a non-word byte: the pattern opens (after `(?-u)`) with `\b` or a
/// `(?:^|[^...])` group whose class excludes letters, digits and `_`, then `(?P<secret>` and a
/// keyword. Then a keyword occurrence preceded by a word byte never starts a match, and the
/// occurrence that does start one is never preceded by one.
fn secret_starts_word_with_keyword(pattern: &str, keywords: &[String]) -> bool {
    let p = pattern.strip_prefix("(?-u)").unwrap_or(pattern);
    let Some(at) = p.find("(?P<secret>") else {
        return false;
    };
    let (lead, rest) = (&p[..at], &p[at + "(?P<secret>".len()..]);
    let lead_ok = lead == "\\b"
        || (lead.starts_with("(?:^|[^A-Za-z0-9_")
            && lead.ends_with("])")
            && !lead[17..].contains('('));
    // Every top-level alternative of the secret group must start with a keyword.
    lead_ok
        && top_level_alternatives(rest)
            .iter()
            .all(|alt| keywords.iter().any(|k| alt.starts_with(k.as_str())))
}

/// The top-level `|` alternatives of the group whose body starts `s` (up to its closing `)`),
/// skipping escapes and character classes. Empty if the group does not close.
fn top_level_alternatives(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let (mut depth, mut start, mut i) = (0usize, 0usize, 0usize);
    let mut alts = Vec::new();
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' => {
                // A class: `]` right after `[` or `[^` is a literal.
                i += 1;
                if b.get(i) == Some(&b'^') {
                    i += 1;
                }
                if b.get(i) == Some(&b']') {
                    i += 1;
                }
                while i < b.len() && b[i] != b']' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' => depth += 1,
            b')' if depth == 0 => {
                alts.push(&s[start..i]);
                return alts;
            }
            b')' => depth -= 1,
            b'|' if depth == 0 => {
                alts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    Vec::new()
}

/// Shortest prefilter keyword a rule may have without a `keyword_free` justification.
pub const MIN_KEYWORD_LEN: usize = 3;

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Stable id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Severity.
    pub severity: Severity,
    /// Confidence.
    pub confidence: Confidence,
    /// Lifetime class.
    pub lifetime: Lifetime,
    /// Prefilter literals (empty only for keyword-free and field rules).
    pub keywords: Vec<String>,
    /// The config-store field this rule checks (see `rules/README.md`); `None` for text rules.
    pub field: Option<String>,
    /// The pattern, compiled on first use for built-ins.
    pub pattern: Pattern,
    /// Minimum entropy of the secret, bits per byte.
    pub min_entropy: Option<f64>,
    /// Checksum validator.
    pub checksum: Option<Checksum>,
    /// Generic rules lose to vendor rules on the same secret.
    pub generic: bool,
    /// Placeholder patterns specific to this rule (compiled on first use for built-ins).
    pub placeholders: Regexes,
    /// Patterns run on the whole match; one matching drops the candidate.
    pub deny: Regexes,
    /// Matches on comment lines are dropped (documentation examples live there).
    pub skip_comments: bool,
    /// Only keyword occurrences that start a word select this rule (see the schema).
    pub keyword_starts_word: bool,
    /// Format documentation.
    pub references: Vec<String>,
    /// How to revoke or rotate.
    pub remediation: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Positive examples.
    pub examples: Vec<ExampleSpec>,
    /// Negative examples.
    pub negative_examples: Vec<String>,
    /// Where the rule came from (file name), for messages.
    pub origin: String,
    /// One of the built-in pack's rules (embedded in the executable, compiled lazily).
    pub builtin: bool,
}

impl Rule {
    /// Compile a spec read from `origin`. Errors name the file, the rule id and the reason.
    /// `lazy` defers compiling the pattern to first use (built-in rules only).
    pub fn compile(spec: RuleSpec, origin: &str, lazy: bool) -> Result<Rule, Error> {
        let spec = spec
            .expand_keyed_checked(!lazy)
            .map_err(|why| Error::Rule(format!("{origin}: {why}")))?;
        let fail = |why: String| Error::Rule(format!("{origin}: rule {}: {why}", spec.id));
        if spec.id.trim().is_empty() {
            return Err(Error::Rule(format!("{origin}: a rule has an empty id")));
        }
        let severity = Severity::parse(&spec.severity)
            .ok_or_else(|| fail(format!("unknown severity {:?}", spec.severity)))?;
        let confidence = match spec.confidence.as_deref() {
            None | Some("medium") => Confidence::Medium,
            Some("high") => Confidence::High,
            Some("low") => Confidence::Low,
            Some(other) => return Err(fail(format!("unknown confidence {other:?}"))),
        };
        let lifetime = match spec.lifetime.as_deref() {
            None | Some("unknown") => Lifetime::Unknown,
            Some("static") => Lifetime::Static,
            Some("short-lived") => Lifetime::ShortLived,
            Some(other) => return Err(fail(format!("unknown lifetime {other:?}"))),
        };
        let checksum = match spec.checksum.as_deref() {
            None => None,
            Some(name) => Some(
                Checksum::parse(name).ok_or_else(|| fail(format!("unknown checksum {name:?}")))?,
            ),
        };
        let pattern = if lazy {
            Pattern::lazy(&spec.pattern)
        } else {
            Pattern::eager(&spec.pattern).map_err(fail)?
        };
        let keywords: Vec<String> = spec
            .keywords
            .into_iter()
            .filter(|k| !k.is_empty())
            .collect();
        let field = spec.field.filter(|f| !f.trim().is_empty());
        let justified = !spec.keyword_free.as_deref().unwrap_or("").trim().is_empty();
        if keywords.is_empty() && field.is_none() && !justified {
            return Err(fail(
                "no keywords: add prefilter keywords, or set keyword_free to the reason".into(),
            ));
        }
        // A keyword this short occurs in almost every file, so the prefilter would stop
        // filtering; it needs the same justification as having none.
        if let Some(short) = keywords.iter().find(|k| k.len() < MIN_KEYWORD_LEN)
            && !justified
        {
            return Err(fail(format!(
                "keyword {short:?} is shorter than {MIN_KEYWORD_LEN} bytes: use a longer literal, or set keyword_free to the reason"
            )));
        }
        if spec.keyword_starts_word && !secret_starts_word_with_keyword(&spec.pattern, &keywords) {
            return Err(fail(
                "keyword_starts_word needs a pattern whose secret starts with a keyword right after `\\b` or `(?:^|[^A-Za-z0-9_...])`".into(),
            ));
        }
        let (placeholders, deny) = if lazy {
            (Regexes::lazy(spec.placeholders), Regexes::lazy(spec.deny))
        } else {
            (
                Regexes::eager(spec.placeholders)
                    .map_err(|(p, e)| fail(format!("placeholder {p:?}: {e}")))?,
                Regexes::eager(spec.deny).map_err(|(p, e)| fail(format!("deny {p:?}: {e}")))?,
            )
        };
        Ok(Rule {
            id: spec.id,
            name: spec.name,
            severity,
            confidence,
            lifetime,
            keywords,
            field,
            pattern,
            min_entropy: spec.min_entropy,
            checksum,
            generic: spec.generic,
            placeholders,
            deny,
            skip_comments: spec.skip_comments,
            keyword_starts_word: spec.keyword_starts_word,
            references: spec.references,
            remediation: spec.remediation,
            tags: spec.tags,
            examples: spec.examples,
            negative_examples: spec.negative_examples,
            origin: origin.to_string(),
            builtin: lazy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keyword_starts_word_needs_a_bounded_keyword_prefix() {
        let k = kw(&["ion_"]);
        assert!(secret_starts_word_with_keyword(
            r"(?-u)\b(?P<secret>ion_[A-Za-z0-9]{42})",
            &k
        ));
        assert!(secret_starts_word_with_keyword(
            r"(?-u)(?:^|[^A-Za-z0-9_.-])(?P<secret>ion_[A-Za-z0-9]{42})",
            &k
        ));
        // No boundary, a class that lets word bytes through, text before the secret, or an
        // alternative that does not start with a keyword: refused.
        assert!(!secret_starts_word_with_keyword(
            r"(?P<secret>ion_[a-z]{4})",
            &k
        ));
        assert!(!secret_starts_word_with_keyword(
            r"(?:^|[^.-])(?P<secret>ion_[a-z]{4})",
            &k
        ));
        assert!(!secret_starts_word_with_keyword(
            r"\btoken=(?P<secret>ion_[a-z]{4})",
            &k
        ));
        assert!(!secret_starts_word_with_keyword(
            r"\b(?P<secret>ion_[a-z]{4}|tok_[a-z]{4})",
            &k
        ));
        assert!(secret_starts_word_with_keyword(
            r"\b(?P<secret>ion_[a-z|]{4}|tok_(?:a|b))",
            &kw(&["ion_", "tok_"])
        ));
        assert!(!secret_starts_word_with_keyword(
            r"\b(?P<secret>[a-z]{4}ion_)",
            &k
        ));
    }
}
