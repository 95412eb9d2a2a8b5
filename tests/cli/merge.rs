//! `sprawl merge`: reports from separate scans correlate exactly as one combined scan.

use serde_json::Value;

use crate::util::*;

fn scan_to(env: &TestEnv, args: &[&str], out: &str) {
    let rules = test_rules();
    let o = env
        .cmd()
        .args([
            "scan",
            "--no-builtin-rules",
            "--rules",
            rules.to_str().unwrap(),
            "-q",
        ])
        .args(args)
        .args(["--output", out])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

fn findings(path: &std::path::Path) -> Value {
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    doc["findings"].clone()
}

#[test]
fn merge_of_two_partial_reports_equals_one_combined_scan() {
    let env = TestEnv::new();
    let basic = repo().join("fixtures/tree/basic");
    copy_dir(&basic, &env.path().join("app-a"));
    copy_dir(&basic, &env.path().join("app-b"));
    env.write("app-b/extra.txt", "tst_R5nWq8ZkT2yLp7VcX3mB\n");
    scan_to(&env, &["--format", "json", "app-a"], "a.json");
    scan_to(&env, &["--format", "jsonl", "app-b"], "b.jsonl");
    scan_to(&env, &["--format", "json", "app-a", "app-b"], "all.json");
    let out = env
        .cmd()
        .args([
            "merge",
            "a.json",
            "b.jsonl",
            "--format",
            "json",
            "-o",
            "merged.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let merged = findings(&env.path().join("merged.json"));
    assert_eq!(merged, findings(&env.path().join("all.json")));
    assert_eq!(merged.as_array().unwrap().len(), 4);
    // The shared credential lives in both applications.
    assert_eq!(merged[0]["locations"].as_array().unwrap().len(), 6);
    let doc: Value =
        serde_json::from_slice(&std::fs::read(env.path().join("merged.json")).unwrap()).unwrap();
    assert_eq!(doc["summary"]["findings"], 4);
    assert_eq!(doc["summary"]["locations"], 11);
}

#[test]
fn bad_report_is_an_error_naming_it_and_the_rest_is_merged() {
    let env = TestEnv::new();
    copy_dir(&repo().join("fixtures/tree/basic"), &env.path().join("app"));
    scan_to(&env, &["--format", "jsonl", "app"], "good.jsonl");
    env.write("bad.json", "{\"schema_version\": 9, \"findings\": []}\n");
    let out = env
        .cmd()
        .args([
            "merge",
            "good.jsonl",
            "bad.json",
            "missing.json",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("error: bad.json: schema_version 9 is not supported"),
        "{err}"
    );
    assert!(
        err.contains("error: missing.json: no such file or directory"),
        "{err}"
    );
    assert_eq!(stdout(&out).lines().count(), 3);
}
