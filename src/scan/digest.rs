//! The configuration digest that names the blob cache file (`crate::cache`): everything besides
//! a blob's bytes and name that can change what the detector finds in it.
//!
//! In: sprawl's version and this very build (the executable's size and modification time, so a
//! rebuilt or upgraded binary never trusts verdicts of another build), every rule as loaded
//! (`--rules` files and `.sprawl.toml` inline rules: each rule's whole definition, pattern,
//! keywords, checks and examples; built-in rules by id, their definitions being part of the
//! executable; disabled rules removed), and the decoding caps. Out, because they are applied to hits after the scan and the cache holds only blobs
//! without hits: allowlists (paths, fingerprints, rule scopes), the baseline, `--fail-on`,
//! `--fail-in`, application and environment naming. The size cap is checked against each
//! record's stored size instead, and excludes and ignore files decide what is read, not what
//! is found in it.

use sha2::{Digest, Sha256};

use crate::detect::Detector;
use crate::source::decode::Limits;

/// The digest of the configuration `detector` and `limits` make, or `None` when this build
/// cannot be identified (then the scan runs without the cache).
pub fn cache_digest(detector: &Detector, limits: &Limits) -> Option<[u8; 32]> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let built = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut h = Sha256::new();
    h.update(b"sprawl blob cache\0");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(meta.len().to_le_bytes());
    h.update(built.as_nanos().to_le_bytes());
    h.update(format!("{limits:?}").as_bytes());
    for rule in detector.rules() {
        if rule.builtin {
            // Embedded in the executable, whose identity is above: its id says it is present
            // (not disabled). Formatting and hashing all 720 built-in rules was 42% of the
            // instructions of a `--staged` scan.
            h.update(b"\0builtin\0");
            h.update(rule.id.as_bytes());
        } else {
            h.update(b"\0rule\0");
            h.update(format!("{rule:?}").as_bytes());
        }
    }
    Some(h.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_rule(pattern: &str) -> crate::rules::Rule {
        let toml = format!(
            "[[rule]]\nid = 'u.one'\nname = 'x'\nseverity = 'high'\nkeywords = ['xyz']\n\
             pattern = '''{pattern}'''\n"
        );
        crate::rules::parse_file(&toml, "u.toml").unwrap().remove(0)
    }

    fn digest(rules: Vec<crate::rules::Rule>) -> [u8; 32] {
        cache_digest(&Detector::new(rules), &Limits::default()).unwrap()
    }

    #[test]
    fn what_can_change_a_finding_changes_the_digest() {
        let builtin = crate::rules::builtin().unwrap();
        assert!(builtin.iter().all(|r| r.builtin));
        let mut all = builtin.clone();
        all.push(user_rule("(?P<secret>xyz[0-9]{4})"));
        assert!(!all.last().unwrap().builtin);
        let base = digest(all.clone());
        assert_eq!(digest(all.clone()), base, "same rules, same digest");
        // A built-in rule disabled.
        let mut fewer = all.clone();
        fewer.remove(0);
        assert_ne!(digest(fewer), base);
        // A user rule's pattern edited.
        let mut edited = all.clone();
        *edited.last_mut().unwrap() = user_rule("(?P<secret>xyz[0-9]{5})");
        assert_ne!(digest(edited), base);
        // Other decode caps.
        let limits = Limits {
            max_depth: Limits::default().max_depth + 1,
            ..Limits::default()
        };
        assert_ne!(cache_digest(&Detector::new(all), &limits).unwrap(), base);
    }
}
