//! Rules as data: loading `rules/*.toml` (built in or user-supplied) into compiled [`Rule`]s.
//!
//! This module owns the rule model and its validation. It knows nothing of the engine: the
//! detector takes the compiled rules and runs them, and checking a rule's examples against the
//! engine lives there (`detect::check`).

pub mod builtin;
mod compile;
pub mod pattern;
pub mod schema;
mod types;

use std::collections::HashMap;
use std::path::Path;

use crate::error::Error;
use schema::RuleFile;

pub use compile::{MIN_KEYWORD_LEN, Rule};
pub use types::{Checksum, Confidence, Identity, Lifetime, Problem, Severity, Strength};

/// Parse one rule file's text, compiling every pattern. `origin` names it in errors.
pub fn parse_file(text: &str, origin: &str) -> Result<Vec<Rule>, Error> {
    parse_file_with(text, origin, false)
}

fn parse_file_with(text: &str, origin: &str, lazy: bool) -> Result<Vec<Rule>, Error> {
    let file: RuleFile = toml::from_str(text)
        .map_err(|e| Error::Rule(format!("{origin}: {}", one_line(&e.to_string()))))?;
    file.rules
        .into_iter()
        .map(|spec| Rule::compile(spec, origin, lazy))
        .collect()
}

/// Load the built-in rules, from the JSON form of the pack that `build.rs` made of `rules/`
/// (four times quicker to parse than the TOML), file by file in [`builtin::FILES`] order. A
/// file missing from it (impossible short of a broken build) is read from its TOML.
pub fn builtin() -> Result<Vec<Rule>, Error> {
    let mut pack: HashMap<String, RuleFile> =
        serde_json::from_str(builtin::PACK_JSON).unwrap_or_default();
    let mut rules = Vec::new();
    for (name, text) in builtin::FILES {
        let origin = format!("rules/{name}");
        match pack.remove(*name) {
            Some(file) => {
                for spec in file.rules {
                    rules.push(Rule::compile(spec, &origin, true)?);
                }
            }
            None => rules.extend(parse_file_with(text, &origin, true)?),
        }
    }
    Ok(rules)
}

/// The built-in rules parsed from their TOML text, for tests comparing it with [`builtin()`].
pub fn builtin_from_toml() -> Result<Vec<Rule>, Error> {
    let mut rules = Vec::new();
    for (name, text) in builtin::FILES {
        rules.extend(parse_file_with(text, &format!("rules/{name}"), true)?);
    }
    Ok(rules)
}

/// Load user rules from a `.toml` file, or every `.toml` file in a directory (sorted).
pub fn load_path(path: &Path) -> Result<Vec<Rule>, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let files = if meta.is_dir() {
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut rules = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|source| Error::Io {
            path: file.clone(),
            source,
        })?;
        rules.extend(parse_file(&text, &file.display().to_string())?);
    }
    Ok(rules)
}

/// Check that ids are unique across a set of rules.
pub fn check_unique_ids(rules: &[Rule]) -> Result<(), Error> {
    let mut seen = std::collections::HashMap::new();
    for r in rules {
        if let Some(prev) = seen.insert(r.id.as_str(), r.origin.as_str()) {
            return Err(Error::Rule(format!(
                "{}: rule {}: duplicate id (also in {prev})",
                r.origin, r.id
            )));
        }
    }
    Ok(())
}

/// Fold a multi-line parser message onto one line.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
