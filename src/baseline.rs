//! Baselines: the credentials a team has already accepted (or is rotating), so CI fails only
//! on new ones.
//!
//! An entry is keyed by **credential**, never by position: the rule id, a hash of the secret's
//! fingerprint salted with that rule id, and the application it lives in. Moving or reformatting
//! a line changes nothing; a new secret on an old line has a new key. No secret value and no
//! bare fingerprint is stored. The file is byte-stable: entries sorted, no timestamps, so
//! rewriting an unchanged baseline gives identical bytes and baselines merge cleanly in review.
//!
//! The `application` slot holds the application the correlator names (the repository's
//! directory name, and a service's directory inside it), never the root as typed: `.`, its
//! absolute path and `../repo` from another folder are one scan. A credential that spreads to a
//! new application is new. Version 1 files (keyed by the bare SHA-256 and the root as typed) are
//! rejected with the command that rewrites them (`sprawl migrate --baseline FILE`).
//!
//! This module reads and writes the baseline file; it prints nothing. The entry and status
//! types are part of the report document (`report::document`).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::correlate::Finding;
use crate::error::Error;
use crate::report::document::{
    BaselineEntry as Entry, BaselinePresent as Present, BaselineStatus as Status,
};
use crate::source::Location;

/// Version of the baseline file format.
pub const VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    sprawl_baseline: u32,
    credentials: Vec<Entry>,
}

/// A set of accepted credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    entries: BTreeSet<Entry>,
}

/// The baseline key of a credential: its fingerprint hashed with the rule id, so the file
/// cannot be matched against reports or secret lists without knowing both.
pub fn key(rule: &str, fingerprint: &str) -> String {
    let salted = format!("sprawl-baseline-v2\0{rule}\0{fingerprint}");
    crate::secret::sha256_hex(salted.as_bytes())
}

/// The version-1 key: the bare SHA-256 fingerprint salted with the rule (for migration only).
fn key_v1(rule: &str, secret: &[u8]) -> String {
    let fp = crate::secret::fingerprint::legacy_v1(secret);
    crate::secret::sha256_hex(format!("sprawl-baseline-v1\0{rule}\0{fp}").as_bytes())
}

/// The application slot of a location: the application the correlator named, else (a
/// location without one, from an old report) its root without `./` or a trailing `/`.
pub fn application(loc: &Location) -> String {
    match &loc.application {
        Some(app) if !app.is_empty() => app.clone(),
        _ => root_slot(loc),
    }
}

/// The version-1 application slot: the scan root as typed, without `./` or a trailing `/`.
fn root_slot(loc: &Location) -> String {
    let mut root = loc.root.as_str();
    while let Some(rest) = root.strip_prefix("./") {
        root = rest;
    }
    let root = root.trim_end_matches('/');
    if root.is_empty() {
        if loc.root.starts_with('/') {
            "/".into()
        } else {
            ".".into()
        }
    } else {
        root.to_string()
    }
}

/// The entries of one finding: one per application it lives in.
pub fn entries_of(f: &Finding) -> BTreeSet<Entry> {
    let key = key(&f.rule_id, &f.fingerprint);
    f.locations
        .iter()
        .map(|l| Entry {
            rule: f.rule_id.clone(),
            application: application(l),
            key: key.clone(),
        })
        .collect()
}

impl Baseline {
    /// The baseline accepting every credential in `findings`.
    pub fn from_findings(findings: &[Finding]) -> Baseline {
        Baseline {
            entries: findings.iter().flat_map(entries_of).collect(),
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Read a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let bad = |why: String| {
            Error::Config(format!("{}: not a sprawl baseline: {why}", path.display()))
        };
        let file: BaselineFile = serde_json::from_slice(&bytes)
            .map_err(|e| bad(crate::rules::one_line(&e.to_string())))?;
        if file.sprawl_baseline == 1 {
            return Err(Error::Config(format!(
                "{}: a version-1 baseline (keyed by the bare SHA-256 of each secret and by the \
                 scan root as typed) is no longer read; run `sprawl migrate --baseline {}` \
                 where the secrets live to rewrite it as version 2",
                path.display(),
                path.display()
            )));
        }
        if file.sprawl_baseline != VERSION {
            return Err(bad(format!(
                "version {} (this sprawl reads version {VERSION})",
                file.sprawl_baseline
            )));
        }
        for e in &file.credentials {
            if e.key.len() != 64 || !e.key.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad(format!("rule {}: key is not 64 hex digits", e.rule)));
            }
        }
        Ok(Baseline {
            entries: file.credentials.into_iter().collect(),
        })
    }

    /// The file's bytes: pretty JSON, entries sorted, trailing newline. Deterministic.
    pub fn to_bytes(&self) -> Vec<u8> {
        let file = BaselineFile {
            sprawl_baseline: VERSION,
            credentials: self.entries.iter().cloned().collect(),
        };
        // Serialising plain strings and integers into a Vec cannot fail.
        let mut out = serde_json::to_vec_pretty(&file).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Write the baseline to `path`, owner-only (0600), atomically.
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = crate::report::create_private(path).map_err(io)?;
        file.write_all(&self.to_bytes()).map_err(io)?;
        file.commit().map_err(io)
    }

    /// Read the version-1 baseline at `path` and rewrite the entries whose credential is among
    /// `findings` (a scan of where the secrets live) as version 2. Returns the new baseline and
    /// the number of old entries migrated and not found (dropped: resolved credentials).
    pub fn migrate_v1(
        path: &Path,
        findings: &[Finding],
    ) -> Result<(Baseline, usize, usize), Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let bad = |why: String| {
            Error::Config(format!("{}: not a sprawl baseline: {why}", path.display()))
        };
        let file: BaselineFile = serde_json::from_slice(&bytes)
            .map_err(|e| bad(crate::rules::one_line(&e.to_string())))?;
        if file.sprawl_baseline != 1 {
            return Err(bad(format!(
                "version {} (migrate reads version 1)",
                file.sprawl_baseline
            )));
        }
        let old: BTreeSet<Entry> = file.credentials.into_iter().collect();
        let mut found = BTreeSet::new();
        let mut entries = BTreeSet::new();
        for f in findings {
            let k1 = key_v1(&f.rule_id, f.secret.reveal());
            let k2 = key(&f.rule_id, &f.fingerprint);
            for l in &f.locations {
                let e1 = Entry {
                    rule: f.rule_id.clone(),
                    application: root_slot(l),
                    key: k1.clone(),
                };
                if old.contains(&e1) {
                    entries.insert(Entry {
                        rule: f.rule_id.clone(),
                        application: application(l),
                        key: k2.clone(),
                    });
                    found.insert(e1);
                }
            }
        }
        let migrated = found.len();
        Ok((Baseline { entries }, migrated, old.len() - migrated))
    }

    /// Split `findings` into those to report (not fully baselined) and a [`Status`].
    pub fn apply(&self, findings: Vec<Finding>, file: &str) -> (Vec<Finding>, Status) {
        let mut seen: BTreeSet<Entry> = BTreeSet::new();
        let mut present = Vec::new();
        let mut kept = Vec::new();
        let mut suppressed = 0;
        for f in findings {
            let entries = entries_of(&f);
            let mut all_known = true;
            for e in entries {
                if self.entries.contains(&e) {
                    if seen.insert(e.clone()) {
                        present.push(Present {
                            entry: e,
                            fingerprint: f.fingerprint.clone(),
                        });
                    }
                } else {
                    all_known = false;
                }
            }
            if all_known {
                suppressed += 1;
            } else {
                kept.push(f);
            }
        }
        present.sort_by(|a, b| a.entry.cmp(&b.entry));
        let resolved = self
            .entries
            .iter()
            .filter(|e| !seen.contains(*e))
            .cloned()
            .collect();
        let status = Status {
            file: file.to_string(),
            suppressed,
            still_present: present,
            resolved,
        };
        (kept, status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Confidence, Lifetime, Severity};
    use crate::secret::Secret;
    use crate::source::SourceKind;

    fn finding(secret: &str, roots: &[&str]) -> Finding {
        let s = Secret::new(secret.as_bytes().to_vec());
        Finding {
            rule_id: "test.token".into(),
            rule_name: "Test".into(),
            severity: Severity::High,
            rule_severity: None,
            confidence: Confidence::High,
            lifetime: Lifetime::Static,
            strength: None,
            class: crate::source::Class::Source,
            identity: Default::default(),
            fingerprint: s.fingerprint(),
            secret: s,
            live: true,
            blast_radius: crate::correlate::blast::compute(&[], Severity::High, Lifetime::Static),
            plan: Vec::new(),
            locations: roots
                .iter()
                .map(|r| {
                    let mut l = Location::input(r, "a.txt", SourceKind::File);
                    l.line = 3;
                    l.column = 1;
                    l
                })
                .collect(),
            other_rules: vec![],
            remediation: String::new(),
        }
    }

    #[test]
    fn bytes_are_stable_sorted_and_hold_no_secret() {
        let a = Baseline::from_findings(&[finding("s_two", &["b"]), finding("s_one", &["./a/"])]);
        let b = Baseline::from_findings(&[finding("s_one", &["a"]), finding("s_two", &["b/"])]);
        assert_eq!(a.to_bytes(), b.to_bytes());
        let text = String::from_utf8(a.to_bytes()).unwrap();
        assert!(!text.contains("s_one") && !text.contains(&finding("s_one", &[]).fingerprint));
        assert!(text.starts_with("{\n  \"sprawl_baseline\": 2,\n  \"credentials\": ["));
        assert!(text.ends_with("}\n"));
        let apps: Vec<_> = a.entries.iter().map(|e| e.application.as_str()).collect();
        assert_eq!(apps.len(), 2);
        assert!(apps.contains(&"a") && apps.contains(&"b"));
    }

    #[test]
    fn apply_splits_new_known_and_resolved() {
        let base = Baseline::from_findings(&[finding("old", &["."]), finding("gone", &["."])]);
        let (kept, st) = base.apply(
            vec![
                finding("old", &["."]),
                finding("new", &["."]),
                finding("gone", &[".", "other"]),
            ],
            "b.json",
        );
        // "gone" spread to a new application: reported again, but its known entry is present.
        let kept: Vec<_> = kept.iter().map(|f| f.secret.reveal().to_vec()).collect();
        assert_eq!(kept, vec![b"new".to_vec(), b"gone".to_vec()]);
        assert_eq!(st.suppressed, 1);
        assert_eq!(st.still_present.len(), 2);
        assert!(st.resolved.is_empty());
        let (_, st) = base.apply(vec![finding("old", &["."])], "b.json");
        assert_eq!(st.resolved.len(), 1);
        assert_eq!(
            st.resolved[0].key,
            key("test.token", &finding("gone", &[]).fingerprint)
        );
    }

    #[test]
    fn application_normalises_the_root() {
        let app = |r: &str| application(&Location::input(r, "x", SourceKind::File));
        assert_eq!(app("."), ".");
        assert_eq!(app("./"), ".");
        assert_eq!(app(""), ".");
        assert_eq!(app("./app/"), "app");
        assert_eq!(app("/abs/dir/"), "/abs/dir");
        assert_eq!(app("/"), "/");
    }
}
