//! The deliberate misses: peer examples sprawl does not report on purpose, read from
//! `deliberate.toml` (data a reader can judge, kept apart from the harness's code).

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rule: Vec<RuleEntry>,
    example: Vec<ExampleEntry>,
}

/// Every `match` example of peer rules whose id starts with `peer`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    peer: String,
    why: String,
}

/// Single `match` examples of `peer` whose text contains `text`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleEntry {
    peer: String,
    text: String,
    why: String,
}

/// The tables of `deliberate.toml`.
pub struct Deliberate {
    file: File,
}

impl Deliberate {
    /// Parse the embedded `deliberate.toml`.
    pub fn load() -> Result<Deliberate, String> {
        toml::from_str(include_str!("deliberate.toml"))
            .map(|file| Deliberate { file })
            .map_err(|e| format!("deliberate.toml: {e}"))
    }

    /// Why a `match` example of `peer_rule` with `text` is deliberately not reported, if it is.
    pub fn reason(&self, peer_rule: &str, text: &str) -> Option<&str> {
        let rule = self
            .file
            .rule
            .iter()
            .find(|r| peer_rule.starts_with(&r.peer))
            .map(|r| r.why.as_str());
        rule.or_else(|| {
            self.file
                .example
                .iter()
                .find(|e| peer_rule.starts_with(&e.peer) && text.contains(&e.text))
                .map(|e| e.why.as_str())
        })
    }
}
