//! A rule's regex, compiled on first use.
//!
//! Built-in rules are compiled lazily: a scan of one file (a pre-commit hook) should not pay
//! for compiling hundreds of regexes whose keywords never occur. Their patterns are known to
//! compile because `tests/rules.rs` compiles every one. User rules are compiled eagerly at load,
//! so a bad pattern is an error naming the rule before any scanning starts.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};
use regex_automata::meta;
use regex_automata::{MatchKind, PatternID};

use super::schema::KeyedSpec;
#[cfg(test)]
use super::schema::KeyedUrl;

/// Cap on a compiled rule regex, so a user rule cannot exhaust memory. The `regex` crate runs in
/// time linear in the input for every pattern (no backtracking), so a pattern cannot hang a scan;
/// this size limit bounds the other resource.
pub const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// A compiled pattern and the index of its `secret` group.
///
/// The regex is `regex-automata`'s meta regex (the engine behind `regex::bytes::Regex`, same
/// leftmost-first semantics) built from the one parse that also gives `max_len`, with the parts
/// that pay off only on long haystacks left out: the detector runs most rules only in short
/// windows around keyword occurrences, and with 720 rules their compilation was a third of the
/// instructions of a one-tag tree scan. Measured in bench/RESULTS.md.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The regex.
    pub regex: meta::Regex,
    /// Index of the named group `secret`.
    pub secret_group: usize,
    /// The longest match in bytes, if the pattern bounds it; the detector then runs the regex
    /// only in windows this wide around keyword occurrences.
    pub max_len: Option<usize>,
}

impl Compiled {
    /// The `secret` group of every match in `hay`, left to right (examples and diagnostics;
    /// the detector's loop is `detect::matcher`).
    pub fn secrets<'a>(&'a self, hay: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.regex
            .captures_iter(hay)
            .filter_map(move |c| c.get_group(self.secret_group).map(|m| &hay[m.range()]))
    }

    /// Capture group names by index (`None` for unnamed groups and the whole match).
    pub fn group_names(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.regex.group_info().pattern_names(PatternID::ZERO)
    }
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

/// A rule's list of extra regexes (placeholders, deny patterns), compiled on first use for
/// built-in rules like [`Pattern`]: a pre-commit scan of ten files should not compile the ~400
/// placeholder patterns of rules whose keywords never occur (19 ms of a 30 ms budget). User
/// rules compile them at load ([`Regexes::eager`]), so a bad one is an error naming the rule.
#[derive(Debug, Clone, Default)]
pub struct Regexes {
    sources: Vec<String>,
    compiled: OnceLock<Vec<Regex>>,
}

impl Regexes {
    /// Compile every source now; the error names the first that does not compile.
    pub fn eager(sources: Vec<String>) -> Result<Regexes, (String, regex::Error)> {
        let compiled = sources
            .iter()
            .map(|p| compile_regex(p).map_err(|e| (p.clone(), e)))
            .collect::<Result<Vec<_>, _>>()?;
        let cell = OnceLock::new();
        let _ = cell.set(compiled);
        Ok(Regexes {
            sources,
            compiled: cell,
        })
    }

    /// Compile on first use (built-in rules; `tests/rules.rs` compiles every one).
    pub fn lazy(sources: Vec<String>) -> Regexes {
        Regexes {
            sources,
            compiled: OnceLock::new(),
        }
    }

    /// The sources, as written.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// True if there are none (nothing to compile or run).
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The compiled regexes (a lazy source that does not compile is left out).
    pub fn iter(&self) -> std::slice::Iter<'_, Regex> {
        if self.sources.is_empty() {
            return [].iter();
        }
        self.compiled
            .get_or_init(|| {
                self.sources
                    .iter()
                    .filter_map(|p| compile_regex(p).ok())
                    .collect()
            })
            .iter()
    }
}

/// Compile `source` with the size limits and find its `secret` group.
pub fn compile(source: &str) -> Result<Compiled, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(source)
        .map_err(|e| format!("pattern: {}", explain_syntax(&e)))?;
    let max_len = hir.properties().maximum_len();
    let regex = meta::Builder::new()
        .configure(rule_config())
        .build_from_hir(&hir)
        .map_err(|e| format!("pattern: {}", explain_build(&e)))?;
    let secret_group = regex
        .group_info()
        .pattern_names(PatternID::ZERO)
        .position(|n| n == Some("secret"))
        .ok_or_else(|| "pattern has no named group `secret`".to_string())?;
    Ok(Compiled {
        regex,
        secret_group,
        max_len,
    })
}

/// The meta regex settings of a rule pattern: `regex::bytes::RegexBuilder`'s (leftmost-first,
/// empty matches anywhere, the size limits) without a literal prefilter or a one-pass DFA. A
/// window of a few hundred bytes is searched as fast by the lazy DFA alone, and building those
/// two was ~25% of the compilation (literal extraction, Teddy, the one-pass DFA).
fn rule_config() -> meta::Config {
    meta::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(false)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(REGEX_SIZE_LIMIT)
        .onepass(false)
}

/// A syntax error on one line: "`<message>` at byte N".
fn explain_syntax(err: &regex_syntax::Error) -> String {
    match err {
        regex_syntax::Error::Parse(e) => format!("{} at byte {}", e.kind(), e.span().start.offset),
        regex_syntax::Error::Translate(e) => {
            format!("{} at byte {}", e.kind(), e.span().start.offset)
        }
        _ => err.to_string().replace('\n', " "),
    }
}

/// A build error (the size limit) on one line.
fn explain_build(err: &meta::BuildError) -> String {
    match err.size_limit() {
        Some(limit) => too_big(limit),
        None => err.to_string().replace('\n', " "),
    }
}

fn too_big(limit: usize) -> String {
    format!(
        "compiled regex exceeds the size limit of {limit} bytes (use fewer or smaller \
         repetitions; ASCII classes such as `(?-u:\\w)` are far smaller than Unicode ones)"
    )
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
            Err(e) => explain_syntax(&e),
            Ok(_) => err.to_string().replace('\n', " "),
        },
        regex::Error::CompiledTooBig(limit) => too_big(*limit),
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

/// Credential words a keyed rule's key name must hold unless the rule sets `words`
/// (`ACME_API_KEY`, `acme.secret`, `acmePassword`, `ACME_PAT`), matched in any case.
pub const KEYED_WORDS: &[&str] = &[
    "key",
    "token",
    "secret",
    "pass(?:word|wd)?",
    "pwd",
    "auth",
    "credential",
    "sid",
    "access",
    "private",
    "pat",
    "api",
];

/// What must follow a keyed rule's value unless the rule sets `after`: a byte that cannot
/// continue the token, or the end of the input, so a value is never the prefix of a longer one.
pub const KEYED_AFTER: &str = r"(?:[^A-Za-z0-9_-]|$)";

/// The pattern of a keyed rule: the provider's name, a bounded gap, then the value.
///
/// Most providers' keys carry no prefix, so what marks a credential is the key it is assigned
/// to: `ACME_API_KEY=...`, `acme: {token: "..."}`, `--acme-secret ...`. Every keyed rule uses
/// the same gap between name and value, built here in bytes mode (`(?-u)`, ASCII classes):
///
/// 1. `(?:\b|[_.-]|\\[nrt])`: the name starts a word, or follows `_`, `.` or `-` inside a longer
///    key (`MY_ACME_KEY`, `app.acme.token`) or an escaped line break or tab inside a string
///    (`"A=1\nACME_KEY=..."`); `acme` inside another word does not count.
/// 2. `(?i:PROVIDER)`: the provider's name, in any case.
/// 3. `(?:["'`]?:[ \t]{0,4}\r?\n[ \t]{1,16})?`: optionally, the name is a parent key and the
///    credential key sits indented on the next line (YAML `acme:` then `  api_key: ...`).
/// 4. The rest of the key name, lazily (the shortest wins): up to 24 bytes of key-name characters
///    and nesting punctuation (`_API_`, `: {"`, `(`), then one of the credential `words`, then
///    up to 16 more key-name bytes (`_ID`, `s`, `_V2`). With `words = []` the name alone is
///    enough, and the key name is up to 40 such bytes.
/// 5. `["'`]?[ \t]{0,16}`: the quote closing the key, spaces.
/// 6. The assignment: `=`, `:=`, `?=`, `+=`, `.=`, `=>`, `:`, `,` (call arguments), `(`, `>` (an
///    XML element's end), whitespace (command-line flags, `NAME value`, a value on the next
///    line), `.` or `-`.
/// 7. `\s{0,16}["'`]?`: spaces or a line break (YAML `key:` then the value indented below), the
///    quote opening the value.
/// 8. `(?P<secret>VALUE)` then `AFTER` ([`KEYED_AFTER`] by default).
///
/// With `url`, parts 1-7 have an alternative: the API host, a path of up to 100 bytes, `?`, up to
/// 200 bytes of other query parameters ending in `&`, then `PARAM=`.
///
/// Every repetition is bounded, and that matters twice. The detector runs a rule whose match
/// has a maximum length only in a window that wide around each keyword occurrence (the keyword
/// of a keyed rule is the provider's name), instead of over the whole blob; and a bounded gap
/// keeps a name from being joined to an unrelated value further down the file. The gap itself
/// spans at most 150 bytes (with the default words), so a keyed rule is bounded whenever its
/// provider and value are.
pub fn keyed(spec: &KeyedSpec) -> Result<String, String> {
    keyed_checked(spec, true)
}

/// [`keyed`], checking each part on its own only if `check`.
pub fn keyed_checked(spec: &KeyedSpec, check: bool) -> Result<String, String> {
    let part_ok = |part: &str, source: &str| {
        if check {
            check_part(part, source)
        } else {
            Ok(())
        }
    };
    part_ok("provider", &spec.provider)?;
    part_ok("value", &spec.value)?;
    let after = spec.after.as_deref().unwrap_or(KEYED_AFTER);
    part_ok("after", after)?;
    let key_name = match spec.words.as_deref() {
        Some([]) => format!("{KEY_CHARS}{{0,40}}?"),
        words => {
            let words = match words {
                Some(words) => {
                    for w in words {
                        part_ok("words", w)?;
                    }
                    words.join("|")
                }
                None => KEYED_WORDS.join("|"),
            };
            format!("{KEY_CHARS}{{0,24}}?(?i:(?:{words}))[A-Za-z0-9_.-]{{0,16}}?")
        }
    };
    let name_and_gap = [
        r"(?:\b|[_.-]|\\[nrt])",
        &format!("(?i:{})", spec.provider),
        r#"(?:["'`]?[ \t]{0,4}(?::[ \t]{0,4}\r?\n[ \t]{1,16}|[:=][ \t]{0,4}\{\s{0,16})["'`]?)?"#,
        &key_name,
        r#"["'`]?[ \t]{0,16}"#,
        r"(?:[:?.+]{0,3}=>?|:|,|\(|>|\s|[.-])",
        r#"\s{0,16}["'`]?"#,
    ]
    .concat();
    let lead = match &spec.url {
        None => name_and_gap,
        Some(url) => {
            part_ok("url.host", &url.host)?;
            part_ok("url.param", &url.param)?;
            format!(
                r"(?:{name_and_gap}|(?i:{})/[A-Za-z0-9/_.,-]{{0,100}}\?(?:[A-Za-z0-9_.,%+=-]{{0,200}}&)?(?i:{})=)",
                url.host, url.param
            )
        }
    };
    Ok(format!("(?-u){lead}(?P<secret>{}){after}", spec.value))
}

/// Key-name characters and the punctuation of nested keys, in a keyed rule's gap.
const KEY_CHARS: &str = r"(?:[A-Za-z0-9_. \t(>{|-]|::)";

/// A part of a keyed pattern must be a regex on its own, and must not name the `secret` group
/// the expansion adds around the value.
fn check_part(part: &str, source: &str) -> Result<(), String> {
    if source.is_empty() {
        return Err(format!("{part} is empty"));
    }
    regex_syntax::ParserBuilder::new()
        .utf8(false)
        .build()
        .parse(&format!("(?-u){source}"))
        .map_err(|e| {
            let (kind, at) = match &e {
                regex_syntax::Error::Parse(e) => (e.kind().to_string(), e.span().start.offset),
                regex_syntax::Error::Translate(e) => (e.kind().to_string(), e.span().start.offset),
                _ => (e.to_string(), 5),
            };
            format!("{part}: {kind} at byte {}", at.saturating_sub(5))
        })?;
    if source.contains("<secret>") {
        return Err(format!(
            "{part}: the expansion adds the `secret` group itself"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(provider: &str, value: &str, words: Option<&[&str]>) -> KeyedSpec {
        KeyedSpec {
            provider: provider.into(),
            value: value.into(),
            words: words.map(|w| w.iter().map(|s| s.to_string()).collect()),
            after: None,
            url: None,
        }
    }

    /// The secret `spec` captures in `text`, if any.
    fn capture(spec: &KeyedSpec, text: &str) -> Option<String> {
        let c = compile(&keyed(spec).unwrap()).unwrap();
        c.secrets(text.as_bytes())
            .next()
            .map(|m| String::from_utf8_lossy(m).into_owned())
    }

    const V: &str = "a049aa412989f87dfeb948fcb5bf5440";

    #[test]
    fn keyed_reads_the_usual_assignments() {
        let s = spec("acme", "[a-f0-9]{32}", None);
        for text in [
            format!("ACME_API_KEY={V}"),
            format!("export MY_ACME_TOKEN=\"{V}\""),
            format!("acme.secret: '{V}'"),
            format!("\"acmeApiKey\": \"{V}\","),
            format!("$acme_key = \"{V}\";"),
            format!("acme-token := {V}"),
            format!("<acmeKey>{V}</acmeKey>"),
            format!("--acme-token {V}"),
            format!("acme:\n  api_key: {V}"),
            format!("\"acme\": {{\"token\": \"{V}\"}}"),
            format!("client = Acme::Client.new(api_key: '{V}')"),
            format!("setup(\"acme_secret\", \"{V}\")"),
            format!("\"A=1\\nACME_KEY={V}\""),
            format!("acme api key:\n{V}"),
        ] {
            assert_eq!(capture(&s, &text).as_deref(), Some(V), "{text}");
        }
    }

    #[test]
    fn keyed_needs_the_name_a_word_and_the_whole_value() {
        let s = spec("acme", "[a-f0-9]{32}", None);
        for text in [
            format!("ACME_REGION={V}"),
            format!("KACME_KEY={V}"),
            format!("ACME_KEY={V}ab"),
            format!("ACME_KEY=zz-{V}"),
            format!("acme_key = os.environ[\"X\"] or \"{V}\""),
            format!("acme = 1\n\n\n{V}"),
        ] {
            assert_eq!(capture(&s, &text), None, "{text}");
        }
        // `words = []`: the name alone marks the credential.
        let s = spec("acme", "[a-f0-9]{32}", Some(&[]));
        assert_eq!(capture(&s, &format!("ACME={V}")).as_deref(), Some(V));
        assert_eq!(capture(&s, &format!("ACME_REGION={V}")).as_deref(), Some(V));
        // Own words replace the default list.
        let s = spec("acme", "[a-f0-9]{32}", Some(&["login"]));
        assert_eq!(capture(&s, &format!("ACME_LOGIN={V}")).as_deref(), Some(V));
        assert_eq!(capture(&s, &format!("ACME_TOKEN={V}")), None);
    }

    #[test]
    fn keyed_url_is_an_alternative_to_the_name() {
        let mut s = spec("acme", "[a-f0-9]{32}", None);
        s.url = Some(KeyedUrl {
            host: r"api\.acme\.io".into(),
            param: "key".into(),
        });
        let text = format!("GET https://API.acme.io/v2/games?page=2&key={V}&x=1");
        assert_eq!(capture(&s, &text).as_deref(), Some(V));
        assert_eq!(capture(&s, &format!("ACME_KEY={V}")).as_deref(), Some(V));
    }

    #[test]
    fn keyed_gap_is_bounded() {
        // The detector's windows depend on it; the doc comment states the figure.
        let len = |s: &KeyedSpec| compile(&keyed(s).unwrap()).unwrap().max_len;
        let gap = |s: &KeyedSpec| len(s).map(|l| l - 1 - 32 - 1);
        assert_eq!(gap(&spec("a", "[a-f0-9]{32}", Some(&[]))), Some(150));
        assert_eq!(gap(&spec("a", "[a-f0-9]{32}", None)), Some(144));
        assert_eq!(len(&spec("a+", "[a-f0-9]{32}", None)), None);
    }

    #[test]
    fn keyed_parts_are_checked_on_their_own() {
        let err = keyed(&spec("acme", "[a-f", None)).unwrap_err();
        assert_eq!(err, "value: unclosed character class at byte 0");
        let err = keyed(&spec("acme", "(?P<secret>x)", None)).unwrap_err();
        assert!(err.contains("adds the `secret` group itself"), "{err}");
        let err = keyed(&spec("", "x", None)).unwrap_err();
        assert_eq!(err, "provider is empty");
    }
}
