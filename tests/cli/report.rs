//! Reporters: the JSON contract, JSON Lines, the human view (snapshot), redaction and files.

use crate::util::*;

const A: &str = "tst_iKE9Ii14QitQCsqfNISB";

fn scan(env: &TestEnv, format: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["scan", "--no-builtin-rules", "--rules"];
    let rules = test_rules();
    args.push(rules.to_str().unwrap());
    args.extend_from_slice(&["--format", format, "-q", "--color", "never"]);
    args.extend_from_slice(extra);
    args.push(".");
    env.cmd().args(args).output().unwrap()
}

#[test]
fn json_contract() {
    let env = TestEnv::with_fixture("tree/basic");
    let doc = json(&scan(&env, "json", &[]));
    assert_eq!(doc["schema_version"], 2);
    assert_eq!(doc["tool"]["name"], "sprawl");
    let f = &doc["findings"][0];
    let keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "rule",
            "severity",
            "confidence",
            "lifetime",
            "fingerprint",
            "secret",
            "live",
            "class",
            "locations",
            "remediation",
            "blast_radius",
            "plan"
        ]
    );
    assert_eq!(f["live"], true);
    assert_eq!(f["rule"]["id"], "test.token");
    assert_eq!(f["rule"]["name"], "Test token");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["fingerprint"], fingerprint_of(A));
    assert_eq!(f["secret"], "tst_…(24 chars)");
    let l = &f["locations"][0];
    let keys: Vec<&str> = l.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "root",
            "path",
            "line",
            "column",
            "source",
            "class",
            "context",
            "application"
        ]
    );
    // A hit in a YAML file names its key path (#4).
    assert_eq!(l["path"], "config/settings.yml");
    assert_eq!(l["context"], "api_token");
    let b = f["blast_radius"].as_object().unwrap();
    let keys: Vec<&str> = b.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        vec![
            "locations",
            "applications",
            "environments",
            "sources",
            "live",
            "risk"
        ]
    );
    let plan: Vec<&str> = f["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(plan, vec!["revoke", "notify", "replace", "verify"]);
    let s = doc["summary"].as_object().unwrap();
    for k in [
        "files_scanned",
        "bytes_scanned",
        "skipped",
        "findings",
        "repositories",
        "shallow_repositories",
        "commits_scanned",
        "blobs_scanned",
        "history_bytes",
        "locations",
        "issues",
        "elapsed_ms",
    ] {
        assert!(s.contains_key(k), "summary lacks {k}");
    }
}

#[test]
fn jsonl_is_one_finding_per_line() {
    let env = TestEnv::with_fixture("tree/basic");
    let out = scan(&env, "jsonl", &[]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let fp = v["fingerprint"].as_str().unwrap();
        assert!(fp.starts_with("v2:") && fp.len() == 67, "{fp}");
    }
}

#[test]
fn human_view_snapshot() {
    let env = TestEnv::with_fixture("tree/basic");
    let out = scan(&env, "human", &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    insta::with_settings!({filters => vec![(r"(?m)\d+\.\d\d s$", "[elapsed] s"), (r"\.tmp[A-Za-z0-9]{6}", "[tmpdir]")]}, {
        insta::assert_snapshot!(text);
    });
}

#[test]
fn secrets_are_redacted_unless_asked() {
    let env = TestEnv::with_fixture("tree/basic");
    for format in ["human", "json", "jsonl", "sarif"] {
        let out = scan(&env, format, &[]);
        let all = stdout(&out) + &stderr(&out);
        for secret in [A, "tst_mGS4LgIeMdWRDwhduGKZ", "tst_w8Decxy8diEuqgRm2CTb"] {
            assert!(!all.contains(secret), "{format} leaks a secret");
        }
        let out = scan(&env, format, &["--show-secrets"]);
        assert!(stdout(&out).contains(A), "{format} --show-secrets hides it");
    }
}

#[test]
fn output_file_is_owner_only_and_stdout_is_empty() {
    let env = TestEnv::with_fixture("tree/basic");
    let report_dir = TestEnv::new();
    let path = report_dir.path().join("report.json");
    let out = scan(&env, "json", &["--output", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(doc["summary"]["findings"], 3);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_escaped() {
    let env = TestEnv::new();
    env.write("evil\x1b[31mname.txt", format!("{A}\n"));
    let out = scan(&env, "human", &[]);
    let text = stdout(&out);
    assert!(
        !text.contains('\x1b'),
        "raw escape reached the terminal: {text:?}"
    );
    assert!(text.contains("evil\\u{1b}[31mname.txt:1:1"), "{text}");
}

#[test]
fn broken_pipe_exits_quietly() {
    let env = TestEnv::new();
    for i in 0..2000 {
        env.write(
            &format!("f{i}.txt"),
            format!("tst_{:0>20}\n", format!("Zq{i}x9TrV8bLm")),
        );
    }
    let rules = test_rules();
    let script = format!(
        "{} scan --no-builtin-rules --rules {} -q . | head -n 1 >/dev/null; echo ${{PIPESTATUS[0]}}",
        assert_cmd::cargo::cargo_bin("sprawl").display(),
        rules.display()
    );
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(env.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{err}"
    );
    assert_eq!(stdout(&out).trim(), "1");
}
