//! `.sprawl.toml`: the on-disk configuration, parsed strictly (unknown keys and invalid values
//! are errors naming the file, the line and the key). Resolving it against command-line flags
//! happens in `cli`; globs and allowlists are compiled here, once, when the file is parsed ([`Compiled`], [`allow`]).
//!
//! ```toml
//! [scan]
//! exclude = ["fixtures/**", "*.min.js"]   # globs relative to the scan root
//! max_file_size = "64MiB"
//! fail_on = "high"                        # exit 1 only for findings at or above this
//! cache = false                           # scan without the blob cache
//!
//! [rules]
//! files = ["ci/extra-rules.toml"]         # relative to the config file's directory
//! disable = ["generic.password"]
//! builtin = true                          # false: only the rules named here
//!
//! [[rules.scope]]                         # these rules report only in matching paths
//! ids = ["acme.internal-token"]
//! paths = ['''^services/''']              # regexes
//!
//! [[rule]]                                # inline rules, same schema as rules/*.toml
//! id = "acme.internal-token"
//! # ...
//!
//! [allow]                                 # hits matching any of these are not reported
//! values = ["tst_..."]                    # exact secret values (prefer fingerprints)
//! fingerprints = ["v2:<hex>"]                # as shown in reports
//! regexes = ['''^AKIA.*EXAMPLE$''']       # matched against the secret
//! stopwords = ["example"]                 # case-insensitive substrings of the secret
//! paths = ['''(^|/)testdata/''']          # regexes matched against the path
//! commits = ["0123abcd..."]               # git commit ids (history scans)
//!
//! [[allow.scoped]]                        # an allowlist for some rules, or with AND
//! rules = ["generic.password"]
//! condition = "and"
//! paths = ['''\.md$''']
//! stopwords = ["hunter2"]
//!
//! [[applications]]                        # read and validated; consumed by the correlator
//! name = "billing"
//! paths = ["services/billing/**"]
//!
//! [[environments]]
//! name = "production"
//! paths = ["deploy/prod/**"]
//! ```
//!
//! A file recognised as a gitleaks configuration (by name or content) is translated by
//! [`gitleaks`] into this format first.

pub mod allow;
mod compile;
pub mod gitleaks;
mod text;

use std::path::{Path, PathBuf};

use globset::GlobSet;
use serde::Deserialize;

pub use allow::Allowlist;
pub use text::parse_size;
pub(crate) use text::toml_error;

use crate::error::Error;
use crate::rules::schema::RuleSpec;

/// The name looked for at the scan root.
pub const FILE_NAME: &str = ".sprawl.toml";

/// A parsed config file.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `[scan]`.
    #[serde(default)]
    pub scan: ScanSection,
    /// `[rules]`.
    #[serde(default)]
    pub rules: RulesSection,
    /// `[[rule]]`: inline rules, same schema as a rule file.
    #[serde(default, rename = "rule")]
    pub inline_rules: Vec<RuleSpec>,
    /// `[allow]`.
    #[serde(default)]
    pub allow: AllowList,
    /// `[[applications]]`: path-to-application overrides (consumed by the correlator).
    #[serde(default)]
    pub applications: Vec<AreaOverride>,
    /// `[[environments]]`: path-to-environment overrides (consumed by the correlator).
    #[serde(default)]
    pub environments: Vec<AreaOverride>,
    /// Where it was read from (set after parsing).
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// Remarks from translating a foreign format (gitleaks), shown as warnings.
    #[serde(skip)]
    pub notes: Vec<String>,
    /// The globs and allowlists above, compiled once when the file is parsed (parsing fails
    /// when one does not compile).
    #[serde(skip)]
    pub compiled: Compiled,
}

/// What a config file compiles to.
#[derive(Debug, Default, Clone)]
pub struct Compiled {
    /// `scan.exclude` (a `dir/**` glob also matches `dir` itself, so the walk never enters it).
    pub exclude: GlobSet,
    /// `[allow]`, `[[allow.scoped]]` and `[[rules.scope]]`.
    pub allow: Allowlist,
    /// `[[applications]]`: name and paths.
    pub applications: Vec<(String, GlobSet)>,
    /// `[[environments]]`: name and paths.
    pub environments: Vec<(String, GlobSet)>,
}

/// `[scan]` section.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanSection {
    /// Globs of paths not to scan.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Size cap, e.g. `"64MiB"` or a number of bytes.
    #[serde(default)]
    pub max_file_size: Option<SizeValue>,
    /// Lowest severity that makes the exit code 1.
    #[serde(default)]
    pub fail_on: Option<String>,
    /// Location classes whose findings make the exit code 1 (`all` for every class).
    #[serde(default)]
    pub fail_in: Option<Vec<String>>,
    /// Accept a partial scan (an input cut off at a decode cap) without exit code 2.
    #[serde(default)]
    pub allow_partial: Option<bool>,
    /// `false`: scan without the blob cache (as `--no-cache`).
    #[serde(default)]
    pub cache: Option<bool>,
}

/// A size written as a number of bytes or a string with a unit.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SizeValue {
    /// Bytes.
    Bytes(u64),
    /// With a unit, e.g. `"10MiB"`.
    Text(String),
}

/// `[rules]` section.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesSection {
    /// Extra rule files or directories.
    #[serde(default)]
    pub files: Vec<PathBuf>,
    /// Rule ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Whether the built-in rules are used (default true; `--no-builtin-rules` wins).
    #[serde(default)]
    pub builtin: Option<bool>,
    /// `[[rules.scope]]`: rules that report only in some paths.
    #[serde(default)]
    pub scope: Vec<RuleScope>,
}

/// `[[rules.scope]]`: hits of these rules outside these paths are dropped.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleScope {
    /// Rule ids.
    pub ids: Vec<String>,
    /// Regexes matched against the path.
    pub paths: Vec<String>,
}

/// `[allow]` and each `[[allow.scoped]]`: one allowlist. A hit matching its criteria (any of
/// them, or with `condition = "and"` all it sets) is not reported.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowList {
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Rule ids it applies to (empty: every rule).
    #[serde(default)]
    pub rules: Vec<String>,
    /// How the criteria combine.
    #[serde(default)]
    pub condition: Condition,
    /// Exact secret values.
    #[serde(default)]
    pub values: Vec<String>,
    /// Secret fingerprints, as shown in reports (`v2:` and 64 hex digits).
    #[serde(default)]
    pub fingerprints: Vec<String>,
    /// Regexes matched against the secret.
    #[serde(default)]
    pub regexes: Vec<String>,
    /// Case-insensitive substrings of the secret.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Regexes matched against the path.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Git commit ids (or prefixes of at least 7 hex digits).
    #[serde(default)]
    pub commits: Vec<String>,
    /// `[[allow.scoped]]` (in `[allow]` only): allowlists limited to some rules or combined
    /// with AND.
    #[serde(default)]
    pub scoped: Vec<AllowList>,
}

/// How an allowlist's criteria combine.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Condition {
    /// Any criterion that matches allows the hit.
    #[default]
    Or,
    /// Every criterion the list sets must match.
    And,
}

/// `[[applications]]` / `[[environments]]`: paths that belong to a named application or
/// environment. Parsed and validated here; the correlator consumes them.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaOverride {
    /// The application or environment name.
    pub name: String,
    /// Globs relative to the scan root.
    pub paths: Vec<String>,
}

impl ConfigFile {
    /// Read and parse `path`; a gitleaks configuration is translated first.
    pub fn load(path: &Path) -> Result<ConfigFile, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if gitleaks::is_gitleaks(path, &text) {
            let translated = gitleaks::translate(&text, &path.display().to_string())?;
            let mut cfg = ConfigFile::parse(&translated.toml, path)?;
            cfg.notes = translated.notes;
            return Ok(cfg);
        }
        ConfigFile::parse(&text, path)
    }

    /// Parse `text` as if read from `path`, and check values the types cannot.
    pub fn parse(text: &str, path: &Path) -> Result<ConfigFile, Error> {
        let mut cfg: ConfigFile =
            toml::from_str(text).map_err(|e| toml_error(&path.display().to_string(), text, &e))?;
        cfg.path = Some(path.to_path_buf());
        cfg.compiled = cfg.compile()?;
        Ok(cfg)
    }

    /// The directory relative paths in the file are resolved against.
    pub fn base_dir(&self) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The directory holding the file, resolved (`None` without a file): `scan.exclude` globs
    /// are relative to it for scan roots inside it.
    pub fn base_dir_canonical(&self) -> Option<PathBuf> {
        self.path.as_ref()?;
        let dir = self.base_dir();
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        std::fs::canonicalize(dir).ok()
    }

    /// The file name for messages.
    pub fn name(&self) -> String {
        self.path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| FILE_NAME.to_string())
    }

    /// A config error naming this file and `key`.
    pub fn error(&self, key: &str, why: impl std::fmt::Display) -> Error {
        Error::Config(format!("{}: {key}: {why}", self.name()))
    }

    /// The `scan.fail_on` severity, if set.
    pub fn fail_on(&self) -> Result<Option<crate::rules::Severity>, Error> {
        match &self.scan.fail_on {
            None => Ok(None),
            Some(s) => crate::rules::Severity::parse(s).map(Some).ok_or_else(|| {
                self.error(
                    "scan.fail_on",
                    format!("unknown severity {s:?} (critical, high, medium, low, info)"),
                )
            }),
        }
    }

    /// The `scan.fail_in` classes, if set (`all` expands to every class).
    pub fn fail_in(&self) -> Result<Option<Vec<crate::source::Class>>, Error> {
        let Some(list) = &self.scan.fail_in else {
            return Ok(None);
        };
        let mut out = Vec::new();
        for name in list {
            if name == "all" {
                out.extend(crate::source::Class::ALL);
                continue;
            }
            out.push(crate::source::Class::parse(name).ok_or_else(|| {
                self.error(
                    "scan.fail_in",
                    format!(
                        "unknown class {name:?} (all, config, source, vendored, example, test, docs)"
                    ),
                )
            })?);
        }
        Ok(Some(out))
    }

    /// The size cap, if set.
    pub fn max_file_size(&self) -> Result<Option<u64>, Error> {
        match &self.scan.max_file_size {
            None => Ok(None),
            Some(SizeValue::Bytes(n)) => Ok(Some(*n)),
            Some(SizeValue::Text(s)) => parse_size(s)
                .map(Some)
                .map_err(|e| self.error("scan.max_file_size", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConfigFile, String> {
        ConfigFile::parse(text, Path::new("x/.sprawl.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("64MiB"), Ok(64 << 20));
        assert_eq!(parse_size("10"), Ok(10));
        assert_eq!(parse_size("2k"), Ok(2048));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err = toml::from_str::<ConfigFile>("[scan]\nexclud = []\n").unwrap_err();
        assert!(err.message().contains("exclud"), "{}", err.message());
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let cases = [
            (
                "[scan]\nexclud = []\n",
                "x/.sprawl.toml:2: scan.exclud: unknown field `exclud`",
            ),
            (
                "[scan]\nmax_file_size = true\n",
                "x/.sprawl.toml:2: scan.max_file_size: ",
            ),
            (
                "[scan]\nmax_file_size = \"9 parsecs\"\n",
                "x/.sprawl.toml: scan.max_file_size: invalid size",
            ),
            (
                "[scan]\nfail_on = \"dire\"\n",
                "x/.sprawl.toml: scan.fail_on: unknown severity \"dire\"",
            ),
            (
                "[allow]\nregexes = ['(']\n",
                "x/.sprawl.toml: allow.regexes[0]: ",
            ),
            (
                "[[allow.scoped]]\ncondition = \"xor\"\n",
                "x/.sprawl.toml:2: allow.scoped.condition: unknown variant `xor`",
            ),
            (
                "[[applications]]\nname = \"a\"\npaths = [\"a/[\"]\n",
                "x/.sprawl.toml: applications[0].paths: \"a/[\"",
            ),
            (
                "[[environments]]\nname = \" \"\npaths = []\n",
                "x/.sprawl.toml: environments[0].name: must not be empty",
            ),
            ("[frob]\n", "x/.sprawl.toml:1: frob: unknown field `frob`"),
            (
                "[rules]\nscope = [{ ids = [\"a\"], paths = [\"(\"] }]\n",
                "x/.sprawl.toml: rules.scope[0].paths[0]: ",
            ),
        ];
        for (text, want) in cases {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with(want), "{text:?}\n got: {err}\nwant: {want}");
            assert!(!err.contains('\n'), "{err}");
        }
    }

    #[test]
    fn full_example_parses() {
        let cfg = parse(
            r#"
[scan]
exclude = ["fixtures/**"]
max_file_size = "1MiB"
fail_on = "high"
[rules]
builtin = false
disable = []
[[rules.scope]]
ids = ["x.y"]
paths = ['^src/']
[[rule]]
id = "x.y"
name = "X"
severity = "low"
keywords = ["xy_"]
pattern = '(?P<secret>xy_[a-z]{8})'
[allow]
values = ["v"]
stopwords = ["example"]
[[allow.scoped]]
rules = ["x.y"]
condition = "and"
paths = ['\.md$']
[[applications]]
name = "billing"
paths = ["billing/**"]
[[environments]]
name = "prod"
paths = ["deploy/prod/**"]
"#,
        )
        .unwrap();
        assert_eq!(cfg.rules.builtin, Some(false));
        assert_eq!(cfg.inline_rules.len(), 1);
        assert_eq!(cfg.allow.scoped[0].condition, Condition::And);
        assert_eq!(cfg.applications[0].name, "billing");
        assert_eq!(cfg.environments[0].paths, vec!["deploy/prod/**"]);
        assert_eq!(cfg.fail_on().unwrap(), Some(crate::rules::Severity::High));
    }
}
