//! Issue 15: where a credential lives decides how loud it is. Every location has a `class`; a
//! credential only in tests, docs, examples or vendored code is reported at low severity,
//! listed last, and does not fail the run unless `--fail-in` says so.

use crate::util::*;

const A: &str = "tst_iKE9Ii14QitQCsqfNISB";
const B: &str = "tst_mGS4LgIeMdWRDwhduGKZ";
const C: &str = "tst_w8Decxy8diEuqgRm2CTb";

fn tree() -> TestEnv {
    let env = TestEnv::new();
    env.write("config/app.env", format!("TOKEN={A}\n"));
    env.write("tests/test_login.py", format!("TOKEN = \"{B}\"\n"));
    env.write("docs/setup.md", format!("Use `{B}` for the demo.\n"));
    env.write(".env.example", format!("TOKEN={C}\n"));
    env.write("node_modules/lib/index.js", format!("const t = '{C}';\n"));
    env
}

fn summary(doc: &serde_json::Value) -> Vec<(String, String, Option<String>, Vec<String>)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let classes = f["locations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    format!(
                        "{}={}",
                        l["path"].as_str().unwrap(),
                        l["class"].as_str().unwrap()
                    )
                })
                .collect();
            (
                f["fingerprint"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["rule_severity"].as_str().map(str::to_string),
                classes,
            )
        })
        .collect()
}

#[test]
fn classes_lower_severity_and_order() {
    let env = tree();
    let out = env.scan_test_rules(&["."]);
    // Only A lives in configuration: it alone fails the run.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        summary(&doc),
        vec![
            (
                fingerprint_of(A),
                "high".to_string(),
                None,
                vec!["config/app.env=config".to_string()]
            ),
            (
                fingerprint_of(C),
                "low".to_string(),
                Some("high".to_string()),
                vec![
                    ".env.example=example".to_string(),
                    "node_modules/lib/index.js=vendored".to_string()
                ]
            ),
            (
                fingerprint_of(B),
                "low".to_string(),
                Some("high".to_string()),
                vec![
                    "docs/setup.md=docs".to_string(),
                    "tests/test_login.py=test".to_string()
                ]
            ),
        ]
    );
    assert_eq!(doc["findings"][0]["class"], "config");
    assert_eq!(doc["findings"][1]["class"], "vendored");
    assert_eq!(doc["findings"][2]["class"], "test");
}

#[test]
fn the_default_gate_skips_tests_docs_and_examples_and_fail_in_all_restores_it() {
    let env = TestEnv::new();
    env.write(
        "tests/fixtures/creds.json",
        format!("{{\"token\": \"{B}\"}}\n"),
    );
    env.write("README.md", format!("token: {C}\n"));
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 2);
    let out = env.scan_test_rules(&["--fail-in", "all", "."]);
    assert_eq!(out.status.code(), Some(1));
    let out = env.scan_test_rules(&["--fail-in", "docs", "."]);
    assert_eq!(out.status.code(), Some(1));
    let out = env.scan_test_rules(&["--fail-in", "config,source", "."]);
    assert_eq!(out.status.code(), Some(0));
    // The same through the configuration file.
    env.write(".sprawl.toml", "[scan]\nfail_in = [\"all\"]\n");
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(1));
    env.write(".sprawl.toml", "[scan]\nfail_in = [\"tests\"]\n");
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("scan.fail_in: unknown class \"tests\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn human_view_lists_quiet_findings_last_in_one_line_each() {
    let env = tree();
    let rules = test_rules();
    let out = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(&rules)
        .args(["--color", "never", "-q", "."])
        .output()
        .unwrap();
    let text = stdout(&out);
    let heading = text
        .find("Only in tests, docs, examples or vendored code")
        .expect(&text);
    let tail = &text[heading..];
    assert!(text[..heading].contains("config/app.env:1:7"), "{text}");
    let lines: Vec<&str> = tail.lines().skip(1).take(2).collect();
    assert!(
        lines[0].starts_with("  LOW") && lines[0].contains(".env.example:1 (example)"),
        "{tail}"
    );
    assert!(lines[0].contains("+1 more") && lines[0].contains("(rule severity high)"));
    assert!(lines[1].contains("docs/setup.md:1 (docs)"), "{tail}");
}

/// A weak chosen value is reported with `strength: weak`, a random one `strong`; a provider
/// token has no strength.
#[test]
fn chosen_values_carry_their_strength() {
    let env = TestEnv::new();
    env.write(
        "deploy/.env",
        "DB_PASSWORD=Summer2024!\nAPI_TOKEN=Zq8vLm2pXr9tKw4nHs5c\n",
    );
    let out = env
        .cmd()
        .args([
            "scan",
            "--no-config",
            "-f",
            "json",
            "--show-secrets",
            "-q",
            ".",
        ])
        .output()
        .unwrap();
    let doc = json(&out);
    let mut got: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["secret"].as_str().unwrap().to_string(),
                f["strength"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("Summer2024!".to_string(), "weak".to_string()),
            ("Zq8vLm2pXr9tKw4nHs5c".to_string(), "strong".to_string()),
        ]
    );
    let env = TestEnv::new();
    env.write("app.env", format!("TOKEN={A}\n"));
    let doc = json(&env.scan_test_rules(&["."]));
    assert!(doc["findings"][0].get("strength").is_none());
}
