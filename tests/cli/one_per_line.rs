//! The built-in rule pack end to end, through the real binary and its keyword prefilter.
//!
//! `fixtures/one_per_line/<stem>.txt` (one per `rules/<stem>.toml`) holds N lines, each with one
//! fake secret in a realistic context; the scan must report exactly one location on each line and
//! nowhere else, by the rule named on the same line of `<stem>.expected`. `fixtures/negative/`
//! (placeholders, documentation examples, hashes, UUIDs, lockfiles, public keys) gives nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::util::*;

fn stems(dir: &str, ext: &str) -> BTreeSet<String> {
    std::fs::read_dir(repo().join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(ext).map(str::to_string))
        .collect()
}

/// Rule files whose rules all have a `field`: they run only on values that config-store decoders
/// hand them (a `.netrc` password, a docker `auth`), never on lines of text, so a line fixture
/// cannot reach them. `tests/cli/decode.rs` covers each of them through its file format
/// (`tests/cli/workstation.rs` the tool files of `workstation.toml`, `tests/cli/client_configs.rs`
/// those of `client-configs.toml`).
const FIELD_ONLY: &[&str] = &[
    "client-configs",
    "config-stores",
    "generic-config",
    "workstation",
];

#[test]
fn every_rule_file_has_a_one_per_line_fixture() {
    let mut rules = stems("rules", ".toml");
    for stem in FIELD_ONLY {
        let text = std::fs::read_to_string(repo().join(format!("rules/{stem}.toml"))).unwrap();
        assert_eq!(
            text.matches("[[rule]]").count(),
            text.matches("\nfield = ").count(),
            "{stem}: every rule has a field"
        );
        rules.remove(*stem);
    }
    assert_eq!(stems("fixtures/one_per_line", ".txt"), rules);
    assert_eq!(stems("fixtures/one_per_line", ".expected"), rules);
}

#[test]
fn one_per_line_fixtures_give_exactly_one_finding_per_line() {
    let env = TestEnv::new();
    let dir = repo().join("fixtures/one_per_line");
    let mut expected: BTreeMap<(String, u64), String> = BTreeMap::new();
    for stem in stems("fixtures/one_per_line", ".txt") {
        let text = std::fs::read_to_string(dir.join(format!("{stem}.txt"))).unwrap();
        let ids = std::fs::read_to_string(dir.join(format!("{stem}.expected"))).unwrap();
        let ids: Vec<&str> = ids.lines().collect();
        assert_eq!(
            text.lines().count(),
            ids.len(),
            "{stem}: one rule id per line"
        );
        assert!(!ids.is_empty(), "{stem}: empty fixture");
        for (n, id) in ids.iter().enumerate() {
            expected.insert((format!("{stem}.txt"), n as u64 + 1), id.to_string());
        }
        env.write(&format!("{stem}.txt"), text);
    }
    let out = env
        .cmd()
        .args(["scan", "--no-config", "--format", "json", "-q", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let mut got: BTreeMap<(String, u64), Vec<String>> = BTreeMap::new();
    for f in doc["findings"].as_array().unwrap() {
        let id = f["rule"]["id"].as_str().unwrap().to_string();
        let key_of = |l: &serde_json::Value| {
            (
                l["path"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap(),
            )
        };
        let locs = f["locations"].as_array().unwrap();
        // The id part of a multi-part credential (issue 16) is listed beside its secret: it
        // must sit on the line of one of the finding's own secret locations.
        let (parts, secrets): (Vec<&serde_json::Value>, Vec<&serde_json::Value>) =
            locs.iter().partition(|l| l.get("part").is_some());
        for p in parts {
            assert!(
                secrets.iter().any(|s| key_of(s) == key_of(p)),
                "{id}: id part at {:?} away from its secret",
                key_of(p)
            );
        }
        for l in secrets {
            got.entry(key_of(l)).or_default().push(id.clone());
        }
    }
    let mut problems = Vec::new();
    for (key, id) in &expected {
        match got.get(key).map(Vec::as_slice) {
            Some([one]) if one == id => {}
            other => problems.push(format!(
                "{}:{} expected [{id}], got {other:?}",
                key.0, key.1
            )),
        }
    }
    for (key, ids) in &got {
        if !expected.contains_key(key) {
            problems.push(format!("{}:{} unexpected {ids:?}", key.0, key.1));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every line holds a distinct secret, so findings and lines are one to one.
    assert_eq!(
        doc["findings"].as_array().unwrap().len(),
        expected.len(),
        "findings"
    );
}

#[test]
fn negative_fixtures_give_no_findings() {
    let env = TestEnv::with_fixture("negative");
    let out = env
        .cmd()
        .args(["scan", "--no-config", "--format", "json", "-q", "."])
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(doc["findings"], serde_json::json!([]), "{}", stdout(&out));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(doc["summary"]["files_scanned"], 10);
}
