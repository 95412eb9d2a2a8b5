//! A rule's regex, compiled on first use.
//!
//! Built-in rules are compiled lazily: a scan of one file (a pre-commit hook) should not pay
//! for compiling hundreds of regexes whose keywords never occur. Their patterns are known to
//! compile because `tests/rules.rs` compiles every one. User rules are compiled eagerly at load,
//! so a bad pattern is an error naming the rule before any scanning starts.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

/// Cap on a compiled rule regex, so a user rule cannot exhaust memory. The `regex` crate runs in
/// time linear in the input for every pattern (no backtracking), so a pattern cannot hang a scan;
/// this size limit bounds the other resource.
pub const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// A compiled pattern and the index of its `secret` group.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The regex.
    pub regex: Regex,
    /// Index of the named group `secret`.
    pub secret_group: usize,
    /// The longest match in bytes, if the pattern bounds it; the detector then runs the regex
    /// only in windows this wide around keyword occurrences.
    pub max_len: Option<usize>,
}

/// A pattern source with its compiled form, built on first use.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    compiled: OnceLock<Option<Compiled>>,
}

impl Pattern {
    /// Compile now; the error says why the pattern is unusable.
    pub fn eager(source: &str) -> Result<Pattern, String> {
        let compiled = compile(source)?;
        let cell = OnceLock::new();
        let _ = cell.set(Some(compiled));
        Ok(Pattern {
            source: source.to_string(),
            compiled: cell,
        })
    }

    /// Compile on first use (built-in rules, validated by the test suite).
    pub fn lazy(source: &str) -> Pattern {
        Pattern {
            source: source.to_string(),
            compiled: OnceLock::new(),
        }
    }

    /// The pattern text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The compiled form, or `None` if the pattern does not compile (impossible for eager
    /// patterns; for lazy ones `tests/rules.rs` proves every built-in compiles).
    pub fn compiled(&self) -> Option<&Compiled> {
        self.compiled
            .get_or_init(|| compile(&self.source).ok())
            .as_ref()
    }
}

/// Compile `source` with the size limits and find its `secret` group.
pub fn compile(source: &str) -> Result<Compiled, String> {
    let regex = compile_regex(source).map_err(|e| format!("pattern: {}", explain(source, &e)))?;
    let secret_group = regex
        .capture_names()
        .position(|n| n == Some("secret"))
        .ok_or_else(|| "pattern has no named group `secret`".to_string())?;
    let max_len = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(source)
        .ok()
        .and_then(|hir| hir.properties().maximum_len());
    Ok(Compiled {
        regex,
        secret_group,
        max_len,
    })
}

/// Why `source` does not compile, on one line. The `regex` crate's syntax errors are a
/// multi-line drawing (pattern, caret, message); this says the same as "`<message>` at byte N".
pub fn explain(source: &str, err: &regex::Error) -> String {
    match err {
        regex::Error::Syntax(_) => match regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(source)
        {
            Err(regex_syntax::Error::Parse(e)) => {
                format!("{} at byte {}", e.kind(), e.span().start.offset)
            }
            Err(regex_syntax::Error::Translate(e)) => {
                format!("{} at byte {}", e.kind(), e.span().start.offset)
            }
            _ => err.to_string().replace('\n', " "),
        },
        regex::Error::CompiledTooBig(limit) => format!(
            "compiled regex exceeds the size limit of {limit} bytes (use fewer or smaller \
             repetitions; ASCII classes such as `(?-u:\\w)` are far smaller than Unicode ones)"
        ),
        _ => err.to_string(),
    }
}

/// Build a bytes regex under [`REGEX_SIZE_LIMIT`].
pub fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
}
