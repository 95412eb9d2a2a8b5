//! Allowlists from the configuration, compiled once when the file is parsed: decide, per hit, whether a match is a known non-secret
//! (`[allow]`, `[[allow.scoped]]`) or outside its rule's paths (`[[rules.scope]]`).
//!
//! Compiled once from a [`ConfigFile`]; applied to hits before correlation, so an allowed
//! value never becomes a finding, a baseline entry or a report line. Pure: no I/O.
//! (Inline `sprawl:allow` markers are handled by the detector, which has the line.)

use std::collections::HashSet;

use regex::Regex;

use super::{AllowList, Condition, ConfigFile};
use crate::error::Error;
use crate::secret::fingerprint;
use crate::source::Location;

/// One compiled allowlist.
#[derive(Debug, Clone, Default)]
struct List {
    /// Rule ids it applies to; empty means every rule.
    rules: Vec<String>,
    condition: Condition,
    values: HashSet<Vec<u8>>,
    fingerprints: HashSet<String>,
    /// Version-1 fingerprints (bare SHA-256): rejected at resolution, read by `sprawl migrate`.
    legacy: Vec<String>,
    regexes: Vec<Regex>,
    /// Lowercased.
    stopwords: Vec<String>,
    paths: Vec<Regex>,
    commits: Vec<String>,
}

/// `[[rules.scope]]`, compiled.
#[derive(Debug, Clone)]
struct Scope {
    ids: Vec<String>,
    paths: Vec<Regex>,
}

/// Every allowlist and rule scope of a configuration.
#[derive(Debug, Clone, Default)]
pub struct Allowlist {
    lists: Vec<List>,
    scopes: Vec<Scope>,
}

impl Allowlist {
    /// Compile the allowlists and scopes of `cfg`; errors name the file and the key.
    pub fn compile(cfg: &ConfigFile) -> Result<Allowlist, Error> {
        let a = &cfg.allow;
        let mut raws = vec![("allow".to_string(), a)];
        raws.extend(
            a.scoped
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("allow.scoped[{i}]"), s)),
        );
        let mut lists = Vec::new();
        for (key, raw) in raws {
            let list = compile_list(cfg, &key, raw)?;
            if !list.is_empty() {
                lists.push(list);
            }
        }
        let mut scopes = Vec::new();
        for (i, s) in cfg.rules.scope.iter().enumerate() {
            let key = format!("rules.scope[{i}]");
            if s.ids.is_empty() {
                return Err(cfg.error(&format!("{key}.ids"), "must name at least one rule"));
            }
            scopes.push(Scope {
                ids: s.ids.clone(),
                paths: regexes(cfg, &format!("{key}.paths"), &s.paths)?,
            });
        }
        Ok(Allowlist { lists, scopes })
    }

    /// True when nothing is configured (the filter is a no-op).
    pub fn is_empty(&self) -> bool {
        self.lists.is_empty() && self.scopes.is_empty()
    }

    /// Rule ids the allowlists and scopes name, for validation against the loaded rules.
    pub fn named_rules(&self) -> impl Iterator<Item = &str> {
        let lists = self.lists.iter().flat_map(|l| l.rules.iter());
        let scopes = self.scopes.iter().flat_map(|s| s.ids.iter());
        lists.chain(scopes).map(String::as_str)
    }

    /// Version-1 fingerprints (bare SHA-256 of the secret) the allowlists still hold, with the
    /// key naming each (`allow.fingerprints[2]`): no longer matched; `sprawl migrate` rewrites
    /// them.
    pub fn legacy_fingerprints(&self) -> Vec<(String, String)> {
        self.lists.iter().flat_map(|l| l.legacy_named()).collect()
    }

    /// True if any allowlist matches by fingerprint (each hit's secret then needs one derived).
    pub fn uses_fingerprints(&self) -> bool {
        self.lists.iter().any(|l| !l.fingerprints.is_empty())
    }

    /// True if a hit of `rule_id` with `secret` at `loc` is not to be reported.
    pub fn allows(&self, rule_id: &str, secret: &[u8], loc: &Location) -> bool {
        let out_of_scope = self.scopes.iter().any(|s| {
            s.ids.iter().any(|id| id == rule_id) && !s.paths.iter().any(|p| path_matches(p, loc))
        });
        out_of_scope || self.lists.iter().any(|l| l.allows(rule_id, secret, loc))
    }
}

impl List {
    fn legacy_named(&self) -> Vec<(String, String)> {
        self.legacy
            .iter()
            .map(|l| match l.split_once('=') {
                Some((k, v)) => (k.to_string(), v.to_string()),
                None => (String::new(), l.clone()),
            })
            .collect()
    }

    fn is_empty(&self) -> bool {
        self.values.is_empty()
            && self.fingerprints.is_empty()
            && self.legacy.is_empty()
            && self.regexes.is_empty()
            && self.stopwords.is_empty()
            && self.paths.is_empty()
            && self.commits.is_empty()
    }

    fn allows(&self, rule_id: &str, secret: &[u8], loc: &Location) -> bool {
        if !self.rules.is_empty() && !self.rules.iter().any(|r| r == rule_id) {
            return false;
        }
        let text = String::from_utf8_lossy(secret);
        let lower = text.to_lowercase();
        // Each criterion the list sets: Some(matched); None when the list does not set it.
        let checks = [
            (!self.values.is_empty()).then(|| self.values.contains(secret)),
            (!self.fingerprints.is_empty()).then(|| {
                self.fingerprints
                    .contains(&fingerprint::fingerprint(secret))
            }),
            (!self.regexes.is_empty()).then(|| self.regexes.iter().any(|r| r.is_match(&text))),
            (!self.stopwords.is_empty())
                .then(|| self.stopwords.iter().any(|w| lower.contains(w.as_str()))),
            (!self.paths.is_empty()).then(|| self.paths.iter().any(|p| path_matches(p, loc))),
            (!self.commits.is_empty()).then(|| {
                loc.git.as_ref().is_some_and(|g| {
                    self.commits
                        .iter()
                        .any(|c| g.commit.starts_with(c.as_str()))
                })
            }),
        ];
        let mut set = checks.iter().flatten();
        match self.condition {
            Condition::Or => set.any(|&m| m),
            Condition::And => {
                let all: Vec<bool> = set.copied().collect();
                !all.is_empty() && all.iter().all(|&m| m)
            }
        }
    }
}

/// A path regex matches the path relative to the scan root or the path as shown (root joined).
fn path_matches(re: &Regex, loc: &Location) -> bool {
    let rel = if loc.path.is_empty() {
        loc.root.as_str()
    } else {
        loc.path.as_str()
    };
    re.is_match(rel) || re.is_match(&loc.display_path())
}

fn compile_list(cfg: &ConfigFile, key: &str, raw: &AllowList) -> Result<List, Error> {
    let mut fingerprints = HashSet::new();
    let mut legacy = Vec::new();
    for (i, f) in raw.fingerprints.iter().enumerate() {
        let f = f.trim().to_ascii_lowercase();
        if fingerprint::is_legacy(&f) {
            legacy.push(format!("{key}.fingerprints[{i}]={f}"));
        } else if fingerprint::is_current(&f) {
            fingerprints.insert(f);
        } else {
            return Err(cfg.error(
                &format!("{key}.fingerprints[{i}]"),
                "expected a fingerprint as shown in reports (`v2:` and 64 hex digits)",
            ));
        }
    }
    for (i, c) in raw.commits.iter().enumerate() {
        if c.len() < 7 || !c.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(cfg.error(
                &format!("{key}.commits[{i}]"),
                "expected a commit id (at least 7 hex digits)",
            ));
        }
    }
    for (i, w) in raw.stopwords.iter().enumerate() {
        if w.is_empty() {
            return Err(cfg.error(&format!("{key}.stopwords[{i}]"), "must not be empty"));
        }
    }
    Ok(List {
        rules: raw.rules.clone(),
        condition: raw.condition,
        values: raw.values.iter().map(|v| v.as_bytes().to_vec()).collect(),
        fingerprints,
        legacy,
        regexes: regexes(cfg, &format!("{key}.regexes"), &raw.regexes)?,
        stopwords: raw.stopwords.iter().map(|w| w.to_lowercase()).collect(),
        paths: regexes(cfg, &format!("{key}.paths"), &raw.paths)?,
        commits: raw.commits.iter().map(|c| c.to_ascii_lowercase()).collect(),
    })
}

fn regexes(cfg: &ConfigFile, key: &str, patterns: &[String]) -> Result<Vec<Regex>, Error> {
    patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            regex::RegexBuilder::new(p)
                .size_limit(crate::rules::pattern::REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| {
                    cfg.error(
                        &format!("{key}[{i}]"),
                        crate::rules::one_line(&e.to_string()),
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{GitProvenance, SourceKind};
    use std::path::Path;

    fn allowlist(text: &str) -> Allowlist {
        let cfg = ConfigFile::parse(text, Path::new(".sprawl.toml")).unwrap();
        cfg.compiled.allow
    }

    fn loc(root: &str, path: &str) -> Location {
        Location::input(root, path, SourceKind::File)
    }

    #[test]
    fn global_criteria_are_or() {
        let fp = crate::secret::fingerprint(b"fp_secret_value");
        let a = allowlist(&format!(
            "[allow]\nvalues = [\"exact_value\"]\nfingerprints = [\"{fp}\"]\nregexes = ['^re_']\n\
             stopwords = [\"DUMMY\"]\npaths = ['(^|/)testdata/']\n"
        ));
        let l = loc(".", "src/a.rs");
        assert!(a.allows("r", b"exact_value", &l));
        assert!(a.allows("r", b"fp_secret_value", &l));
        assert!(a.allows("r", b"re_123", &l));
        assert!(a.allows("r", b"xxdummyxx", &l));
        assert!(a.allows("r", b"real", &loc(".", "pkg/testdata/x")));
        assert!(
            a.allows("r", b"real", &loc("testdata", "x")),
            "matches root/path"
        );
        assert!(!a.allows("r", b"real", &l));
        assert!(!a.allows("r", b"exact_value2", &l));
    }

    #[test]
    fn scoped_and_condition_and_rules() {
        let a = allowlist(
            "[[allow.scoped]]\nrules = [\"r1\"]\ncondition = \"and\"\npaths = ['\\.md$']\nstopwords = [\"abc\"]\n",
        );
        let md = loc(".", "README.md");
        assert!(a.allows("r1", b"xabcx", &md));
        assert!(
            !a.allows("r1", b"xabcx", &loc(".", "a.rs")),
            "AND needs the path"
        );
        assert!(!a.allows("r1", b"zzz", &md), "AND needs the stopword");
        assert!(
            !a.allows("r2", b"xabcx", &md),
            "other rules are not covered"
        );
    }

    #[test]
    fn commits_match_prefixes_of_git_provenance() {
        let a = allowlist("[allow]\ncommits = [\"abcdef1\"]\n");
        let mut l = loc(".", "a");
        assert!(!a.allows("r", b"s", &l));
        l.git = Some(GitProvenance {
            commit: "abcdef1234".into(),
            author: String::new(),
            email: String::new(),
            date: String::new(),
            blob: String::new(),
            commit_count: 1,
            in_head: false,
            unreachable: false,
        });
        assert!(a.allows("r", b"s", &l));
    }

    #[test]
    fn rule_scope_drops_hits_outside_paths() {
        let a = allowlist("[[rules.scope]]\nids = [\"r1\"]\npaths = ['^config/']\n");
        assert!(!a.allows("r1", b"s", &loc(".", "config/a.yml")));
        assert!(a.allows("r1", b"s", &loc(".", "src/a.rs")));
        assert!(!a.allows("r2", b"s", &loc(".", "src/a.rs")));
    }

    #[test]
    fn version_1_fingerprints_are_kept_apart_and_never_match() {
        let v1 = crate::secret::fingerprint::legacy_v1(b"admin123");
        let a = allowlist(&format!("[allow]\nfingerprints = [\"{v1}\"]\n"));
        assert!(!a.allows("r", b"admin123", &loc(".", "a")));
        assert_eq!(
            a.legacy_fingerprints(),
            vec![("allow.fingerprints[0]".to_string(), v1)]
        );
        assert!(!a.uses_fingerprints());
    }

    #[test]
    fn bad_values_name_the_key() {
        for (text, key) in [
            (
                "[allow]\nfingerprints = [\"abc\"]\n",
                "allow.fingerprints[0]",
            ),
            ("[allow]\ncommits = [\"xyz\"]\n", "allow.commits[0]"),
            (
                "[[allow.scoped]]\npaths = ['[']\n",
                "allow.scoped[0].paths[0]",
            ),
            (
                "[[rules.scope]]\nids = []\npaths = []\n",
                "rules.scope[0].ids",
            ),
        ] {
            let err = ConfigFile::parse(text, Path::new("c.toml"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(&format!("c.toml: {key}: ")), "{err}");
        }
    }
}
