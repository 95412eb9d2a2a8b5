//! Serde structs mirroring `rules/*.toml`, exactly as written on disk.
//!
//! Nothing here compiles or validates a rule; [`super::Rule::compile`] does that, after
//! [`RuleSpec::expand_keyed`] has turned a `keyed` table into the rule's `pattern`.

use serde::Deserialize;

/// One rule file: a list of `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The rules in file order.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

/// One `[[rule]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable dotted id, e.g. `github.pat.classic`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// `critical`, `high`, `medium`, `low` or `info`.
    pub severity: String,
    /// `high`, `medium` or `low`.
    #[serde(default)]
    pub confidence: Option<String>,
    /// `static`, `short-lived` or `unknown`.
    #[serde(default)]
    pub lifetime: Option<String>,
    /// Prefilter literals.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Why the rule may have no keywords (it then runs on every blob).
    #[serde(default)]
    pub keyword_free: Option<String>,
    /// Only keyword occurrences that start a word (not preceded by a letter, digit or `_`)
    /// count: for a prefix such as `ion_` that also occurs inside words (`action_`). Allowed
    /// only when the pattern's secret starts with a keyword right after `\b` or a class that
    /// excludes word characters.
    #[serde(default)]
    pub keyword_starts_word: bool,
    /// A config-store field this rule checks instead of text (e.g. `netrc.password`): the rule
    /// runs only on values a decoder reports under that name, never on whole blobs.
    #[serde(default)]
    pub field: Option<String>,
    /// The regex, with a named group `secret`. Empty when the rule gives `keyed` instead.
    #[serde(default)]
    pub pattern: String,
    /// A keyed pattern (provider name, bounded gap, value), expanded into `pattern` at load.
    #[serde(default)]
    pub keyed: Option<KeyedSpec>,
    /// Minimum Shannon entropy of the secret, bits per byte.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// Named checksum validator.
    #[serde(default)]
    pub checksum: Option<String>,
    /// A generic rule loses to any vendor rule catching the same secret.
    #[serde(default)]
    pub generic: bool,
    /// Regexes; a secret matching one is a placeholder, not a finding.
    #[serde(default)]
    pub placeholders: Vec<String>,
    /// Skip matches on lines that start with a comment marker (`#`, `//`, `*`, `--`).
    #[serde(default)]
    pub skip_comments: bool,
    /// Regexes run on the whole match (key and value); a match of one drops the candidate.
    /// For context the secret alone cannot show, such as a `csrf_token` key.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Documentation of the format.
    #[serde(default)]
    pub references: Vec<String>,
    /// How to revoke or rotate.
    #[serde(default)]
    pub remediation: String,
    /// Free tags, e.g. `nhi-03`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Texts that must match, with the secret each must capture.
    #[serde(default)]
    pub examples: Vec<ExampleSpec>,
    /// Texts that must not match.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// `keyed = { provider = '...', value = '...' }`: the parts of a keyed pattern, a vendor's name
/// followed within a bounded gap by a value of the vendor's shape. The gap between them is the
/// same for every keyed rule; [`super::pattern::keyed`] documents it and builds the pattern.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyedSpec {
    /// Regex of the provider's name as it appears in key names, matched ASCII-case-insensitively
    /// (`buddyns`, `cloud[_-]?convert`).
    pub provider: String,
    /// Regex of the secret value (`[a-f0-9]{40}`); becomes the `secret` group.
    pub value: String,
    /// Credential words (regexes, case-insensitive), one of which the key name must hold after the
    /// provider's name. Absent: [`super::pattern::KEYED_WORDS`]; empty: the name alone is enough,
    /// for names distinctive enough to mark a credential on their own.
    #[serde(default)]
    pub words: Option<Vec<String>>,
    /// What must follow the value; default [`super::pattern::KEYED_AFTER`] (a byte that cannot
    /// continue the token, or the end of the input).
    #[serde(default)]
    pub after: Option<String>,
    /// The provider's API URL taking the value as a query parameter, an alternative to the name
    /// and gap (`https://api.acme.com/v1/x?lang=en&key=VALUE`).
    #[serde(default)]
    pub url: Option<KeyedUrl>,
}

/// `url = { host = '...', param = '...' }` in a `keyed` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyedUrl {
    /// Regex of the API host (`api\.acme\.com`), matched in any case.
    pub host: String,
    /// Regex of the query parameter's name (`key`, `api_?key`), matched in any case.
    pub param: String,
}

impl RuleSpec {
    /// The spec with `pattern` built from `keyed`, if it has one. A rule needs exactly one of
    /// the two; the error names the rule and the part at fault.
    pub fn expand_keyed(self) -> Result<RuleSpec, String> {
        self.expand_keyed_checked(true)
    }

    /// [`RuleSpec::expand_keyed`], checking each part of a `keyed` table on its own only if
    /// `check` (built-in rules skip it: their patterns are compiled whole by the test suite, and
    /// parsing ~1,000 parts costs milliseconds of every start-up).
    pub fn expand_keyed_checked(mut self, check: bool) -> Result<RuleSpec, String> {
        match (self.keyed.take(), self.pattern.is_empty()) {
            (None, false) => Ok(self),
            (None, true) => Err(format!("rule {}: needs `pattern` or `keyed`", self.id)),
            (Some(_), false) => Err(format!(
                "rule {}: has both `pattern` and `keyed`; keep one",
                self.id
            )),
            (Some(keyed), true) => {
                self.pattern = super::pattern::keyed_checked(&keyed, check)
                    .map_err(|why| format!("rule {}: keyed: {why}", self.id))?;
                self.keyed = Some(keyed);
                Ok(self)
            }
        }
    }
}

/// A positive example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// The input text.
    pub text: String,
    /// The secret the rule must capture from it.
    pub secret: String,
}
