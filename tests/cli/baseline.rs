//! `--write-baseline` / `--baseline`: keyed by credential, never by line; hashes only; byte-stable;
//! resolved and still-present credentials reported.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::*;

const A: &str = "tst_iKE9Ii14QitQCsqfNISB";
const B: &str = "tst_mGS4LgIeMdWRDwhduGKZ";
const C: &str = "tst_w8Decxy8diEuqgRm2CTb";

fn key(secret: &str) -> String {
    sprawl::secret::sha256_hex(
        format!("sprawl-baseline-v2\0test.token\0{}", fingerprint_of(secret)).as_bytes(),
    )
}

/// The application a baseline names for the tree at `dir`: its directory name, whatever
/// spelling of the root was scanned.
fn app(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// A tree with A in `app.env` line 2 and B in `config.yml` line 1, plus a separate directory
/// for the baseline file (nothing written into the scanned tree).
fn setup() -> (TestEnv, TestEnv, PathBuf) {
    let env = TestEnv::new();
    env.write("app.env", format!("DEBUG=1\nTOKEN={A}\n"));
    env.write("config.yml", format!("token: {B}\n"));
    let store = TestEnv::new();
    let file = store.path().join("sprawl-baseline.json");
    (env, store, file)
}

fn scan(env: &TestEnv, args: &[&str]) -> (Option<i32>, Value) {
    let out = env.scan_test_rules(args);
    (out.status.code(), json(&out))
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn round_trip() {
    let (env, _store, file) = setup();
    // Write: the recorded findings do not fail this run.
    let (code, doc) = scan(&env, &["--write-baseline", p(&file), "."]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["summary"]["findings"], 2, "the report still lists them");
    let bytes = std::fs::read(&file).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let written: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        written,
        serde_json::json!({
            "sprawl_baseline": 2,
            "credentials": [
                { "rule": "test.token", "application": app(env.path()), "key": key(std::cmp::min_by_key(A, B, |s| key(s))) },
                { "rule": "test.token", "application": app(env.path()), "key": key(std::cmp::max_by_key(A, B, |s| key(s))) },
            ]
        })
    );
    for leak in [A, B, &fingerprint_of(A), &fingerprint_of(B)] {
        assert!(!text.contains(leak), "baseline holds {leak}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    // Rewriting an unchanged baseline gives identical bytes.
    scan(&env, &["--write-baseline", p(&file), "."]);
    assert_eq!(std::fs::read(&file).unwrap(), bytes);

    // Rescan unchanged: exit 0, known findings only counted.
    let (code, doc) = scan(&env, &["--baseline", p(&file), "."]);
    assert_eq!(code, Some(0));
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(doc["summary"]["baselined"], 2);
    assert_eq!(doc["summary"]["findings"], 0);
    assert_eq!(doc["baseline"]["suppressed"], 2);
    assert_eq!(
        doc["baseline"]["still_present"].as_array().unwrap().len(),
        2
    );
    assert_eq!(doc["baseline"]["resolved"], serde_json::json!([]));

    // Move and reformat the line: still exit 0.
    env.write(
        "app.env",
        format!("# moved\n\nDEBUG=1\n\nexport   TOKEN=\"{A}\"\n"),
    );
    let (code, doc) = scan(&env, &["--baseline", p(&file), "."]);
    assert_eq!(code, Some(0), "{doc}");
    assert_eq!(doc["summary"]["baselined"], 2);

    // A NEW secret on a baselined line: exit 1, and only the new one is reported.
    env.write("config.yml", format!("token: {B} {C}\n"));
    let (code, doc) = scan(&env, &["--baseline", p(&file), "."]);
    assert_eq!(code, Some(1));
    assert_eq!(
        locations(&doc),
        vec![("test.token".into(), "config.yml:1:33".into())]
    );
    assert_eq!(doc["findings"][0]["fingerprint"], fingerprint_of(C));
    assert_eq!(doc["summary"]["baselined"], 2);

    // Remove a secret: reported as resolved; the other is still present.
    env.write("config.yml", "token: rotated\n");
    let (code, doc) = scan(&env, &["--baseline", p(&file), "."]);
    assert_eq!(code, Some(0));
    assert_eq!(
        doc["baseline"]["resolved"],
        serde_json::json!([{ "rule": "test.token", "application": app(env.path()), "key": key(B) }])
    );
    assert_eq!(
        doc["baseline"]["still_present"],
        serde_json::json!([{
            "rule": "test.token", "application": app(env.path()), "key": key(A), "fingerprint": fingerprint_of(A)
        }])
    );
}

#[test]
fn human_view_says_what_is_resolved() {
    let (env, _store, file) = setup();
    scan(&env, &["--write-baseline", p(&file), "."]);
    env.write("config.yml", "token: rotated\n");
    let out = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["-q", "--color", "never", "--baseline", p(&file), "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("no new secrets found · 1 baselined · 2 files"),
        "{text}"
    );
    assert_eq!(
        lines[1],
        format!(
            "baseline {}: 1 known finding not shown · 1 still present · 1 resolved",
            p(&file)
        )
    );
    assert_eq!(
        lines[2],
        format!(
            "  resolved: test.token in {} (baseline key {})",
            app(env.path()),
            &key(B)[..12]
        )
    );
    assert_eq!(lines.len(), 3, "{text}");
}

#[test]
fn a_credential_spreading_to_a_new_application_is_new() {
    let (env, _store, file) = setup();
    env.write("other/x.env", "nothing\n");
    let out = env.scan_test_rules(&["--write-baseline", p(&file), ".", "other"]);
    assert_eq!(out.status.code(), Some(0));
    env.write("other/x.env", format!("T={A}\n"));
    let (code, doc) = scan(&env, &["--baseline", p(&file), ".", "other"]);
    assert_eq!(code, Some(1));
    assert_eq!(doc["findings"][0]["fingerprint"], fingerprint_of(A));
    assert_eq!(doc["summary"]["baselined"], 1);
}

#[test]
fn bad_or_missing_baseline_is_an_error() {
    let (env, store, _file) = setup();
    let missing = store.path().join("nope.json");
    let out = env.scan_test_rules(&["--baseline", p(&missing), "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nope.json: no such file"),
        "{}",
        stderr(&out)
    );
    let bad = store.write(
        "bad.json",
        "{\"sprawl_baseline\": 2, \"credentials\": [{\"rule\": \"x\"}]}",
    );
    let out = env.scan_test_rules(&["--baseline", p(&bad), "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: ") && err.contains("bad.json: not a sprawl baseline"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty(), "failed before scanning");
}

#[test]
fn fail_on_applies_to_new_findings_only() {
    let (env, _store, file) = setup();
    scan(&env, &["--write-baseline", p(&file), "."]);
    env.write("new.txt", format!("{C}\n"));
    // test.token is high: --fail-on critical lets it pass, --fail-on high does not.
    let (code, doc) = scan(
        &env,
        &["--baseline", p(&file), "--fail-on", "critical", "."],
    );
    assert_eq!(code, Some(0));
    assert_eq!(doc["summary"]["findings"], 1, "still reported");
    let (code, _) = scan(&env, &["--baseline", p(&file), "--fail-on", "high", "."]);
    assert_eq!(code, Some(1));
}
