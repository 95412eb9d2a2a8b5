//! Directory-tree scanning: exact findings, ignore files, hidden files, skips and bad input.

use crate::util::*;

const A: &str = "tst_iKE9Ii14QitQCsqfNISB";
const B: &str = "tst_mGS4LgIeMdWRDwhduGKZ";
const C: &str = "tst_w8Decxy8diEuqgRm2CTb";

#[test]
fn basic_tree_exact_findings() {
    let env = TestEnv::with_fixture("tree/basic");
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let fps: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(
        fps,
        vec![fingerprint_of(A), fingerprint_of(C), fingerprint_of(B)]
    );
    let t = "test.token".to_string();
    assert_eq!(
        locations(&doc),
        vec![
            (t.clone(), "config/settings.yml:3:12".into()),
            (t.clone(), "deep/a/b/c/unicode.py:1:9".into()),
            (t.clone(), "scripts/deploy.sh:4:14".into()),
            (t.clone(), ".env:2:7".into()),
            (t.clone(), "scripts/deploy.sh:5:13".into()),
        ]
    );
    let s = &doc["summary"];
    assert_eq!(s["files_scanned"], 6, "{s}");
    assert_eq!(s["findings"], 3);
    assert_eq!(s["locations"], 5);
    for f in doc["findings"].as_array().unwrap() {
        for l in f["locations"].as_array().unwrap() {
            assert_eq!(l["root"], ".");
            assert_eq!(l["source"], "file");
        }
    }
}

#[test]
fn gitignored_files_are_skipped_unless_no_ignore() {
    let env = TestEnv::with_fixture("tree/basic");
    // Written here rather than committed: the fixture's own .gitignore keeps git from
    // committing it, which is the point of the fixture.
    env.write("ignored/local.txt", "tst_AAAAbbbbCCCCddddEE12\n");
    let doc = json(&env.scan_test_rules(&["."]));
    assert!(
        !locations(&doc)
            .iter()
            .any(|(_, l)| l.starts_with("ignored/"))
    );
    let doc = json(&env.scan_test_rules(&["--no-ignore", "."]));
    assert!(
        locations(&doc).contains(&("test.token".into(), "ignored/local.txt:1:1".into())),
        "{:?}",
        locations(&doc)
    );
    assert_eq!(doc["summary"]["files_scanned"], 7);
}

#[test]
fn sprawlignore_is_honoured() {
    let env = TestEnv::with_fixture("tree/basic");
    env.write(".sprawlignore", "scripts/\n");
    let doc = json(&env.scan_test_rules(&["."]));
    assert!(
        !locations(&doc)
            .iter()
            .any(|(_, l)| l.starts_with("scripts/"))
    );
}

#[test]
fn binary_and_oversized_files_are_skipped_and_counted() {
    let env = TestEnv::new();
    env.write("bin/blob.bin", format!("\0\x01{A}\n").as_bytes());
    env.write("big.txt", format!("{}{B}\n", "x".repeat(5000)));
    env.write("small.txt", format!("{C}\n"));
    let out = env.scan_test_rules(&["--max-file-size", "1k", "."]);
    let doc = json(&out);
    assert_eq!(
        locations(&doc),
        vec![("test.token".into(), "small.txt:1:1".into())]
    );
    let s = &doc["summary"];
    assert_eq!(s["skipped"]["binary"], 1, "{s}");
    assert_eq!(s["skipped"]["too_large"], 1, "{s}");
    assert_eq!(s["files_scanned"], 1, "{s}");
}

#[test]
fn git_directory_internals_are_never_scanned() {
    let env = TestEnv::new();
    env.write(".git/config", format!("[remote]\n token = {A}\n"));
    env.write("sub/.git/packed-refs", format!("{B}\n"));
    env.write("app.txt", format!("{C}\n"));
    let doc = json(&env.scan_test_rules(&["."]));
    assert_eq!(
        locations(&doc),
        vec![("test.token".into(), "app.txt:1:1".into())]
    );
}

/// Issue 16: a file given as the path reports its file name as `path` (never empty) and its
/// directory as `root`, so the place reads the same as in a tree scan.
#[test]
fn a_file_root_reports_its_name_under_its_directory() {
    let env = TestEnv::with_fixture("tree/basic");
    let doc = json(&env.scan_test_rules(&["scripts/deploy.sh"]));
    let f = &doc["findings"][0];
    assert_eq!(f["locations"][0]["root"], "scripts");
    assert_eq!(f["locations"][0]["path"], "deploy.sh");
    assert_eq!(f["locations"][0]["class"], "source");
    assert_eq!(doc["summary"]["files_scanned"], 1);
    let doc = json(&env.scan_test_rules(&[".env"]));
    let l = &doc["findings"][0]["locations"][0];
    assert_eq!(
        (l["root"].as_str(), l["path"].as_str()),
        (Some("."), Some(".env"))
    );
    assert_eq!(l["class"], "config");
}

#[test]
fn several_roots_one_finding_per_secret() {
    let env = TestEnv::new();
    env.write("app-a/config.yml", format!("token: {A}\n"));
    env.write("app-b/.env", format!("TOKEN={A}\n"));
    let doc = json(&env.scan_test_rules(&["app-a", "app-b/"]));
    let f = doc["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1);
    let locs: Vec<(String, String)> = f[0]["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["root"].as_str().unwrap().to_string(),
                l["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        locs,
        vec![
            ("app-a".to_string(), "config.yml".to_string()),
            ("app-b/".to_string(), ".env".to_string())
        ]
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_warning_and_the_scan_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    let locked = env.write("locked.txt", format!("{A}\n"));
    env.write("open.txt", format!("{B}\n"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("skipped: running as a user who can read mode-000 files (root)");
        return;
    }
    let rules = test_rules();
    let out = env
        .cmd()
        .args([
            "scan",
            "--no-builtin-rules",
            "--rules",
            rules.to_str().unwrap(),
        ])
        .args(["--format", "json", "."])
        .output()
        .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("warning: ")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("locked.txt: permission denied"), "{err}");
    let doc = json(&out);
    assert_eq!(
        locations(&doc),
        vec![("test.token".into(), "open.txt:1:1".into())]
    );
    assert_eq!(doc["summary"]["skipped"]["unreadable"], 1);
    assert_eq!(doc["issues"][0]["kind"], "unreadable");
}

#[cfg(unix)]
#[test]
fn fifo_in_tree_does_not_block() {
    let env = TestEnv::new();
    env.write("a.txt", format!("{A}\n"));
    let fifo = env.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo unavailable");
        return;
    }
    let out = env
        .cmd()
        .timeout(std::time::Duration::from_secs(30))
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--format", "json", "-q", "."])
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(doc["summary"]["skipped"]["special"], 1);
    assert_eq!(
        locations(&doc),
        vec![("test.token".into(), "a.txt:1:1".into())]
    );
}

#[test]
fn invalid_utf8_content_is_scanned_without_panic() {
    let env = TestEnv::new();
    let mut data = b"\xff\xfe\xc3(garbage\n".to_vec();
    data.extend_from_slice(format!("k={A}\n").as_bytes());
    env.write("bad.txt", data);
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        locations(&json(&out)),
        vec![("test.token".into(), "bad.txt:2:3".into())]
    );
}

#[test]
fn config_exclude_and_disable() {
    let env = TestEnv::with_fixture("tree/basic");
    env.write(
        ".sprawl.toml",
        "[scan]\nexclude = [\"scripts/**\", \"deep/**\"]\n",
    );
    let doc = json(&env.scan_test_rules(&["."]));
    assert_eq!(
        locations(&doc),
        vec![
            ("test.token".into(), ".env:2:7".into()),
            ("test.token".into(), "config/settings.yml:3:12".into()),
        ]
    );
    env.write(".sprawl.toml", "[rules]\ndisable = [\"test.token\"]\n");
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // --no-config ignores the file.
    let out = env.scan_test_rules(&["--no-config", "."]);
    assert_eq!(out.status.code(), Some(1));
}

/// An AWS key id with its secret key nearby is ONE credential (the pair), not a key-id finding
/// beside a pair finding; a key id alone is still reported. Since issue 16 the pair also lists
/// the place of its key id, marked `"part": "id"`, and names it in its identity.
#[test]
fn aws_key_id_and_secret_key_are_one_credential() {
    let env = TestEnv::new();
    env.write(
        "deploy.py",
        "s3 = boto3.client('s3', 'AKIARCZMJUTIEG2LJ7DN', 'sJBqrf/CaSrkQbPi24aJSzr6GEGmjWi1j5z+MWRw')\n",
    );
    env.write("alone.txt", "key id AKIARCZMJUTIEG2LJ7DN\n");
    let out = env
        .cmd()
        .args(["scan", "--no-config", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let mut got = locations(&doc);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("aws.access-key-id".to_string(), "alone.txt:1:8".to_string()),
            (
                "aws.access-key-pair".to_string(),
                "deploy.py:1:26".to_string()
            ),
            (
                "aws.access-key-pair".to_string(),
                "deploy.py:1:50".to_string()
            ),
        ]
    );
    let pair = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["id"] == "aws.access-key-pair")
        .unwrap();
    let parts: Vec<&serde_json::Value> = pair["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["part"])
        .collect();
    assert_eq!(parts, [&serde_json::json!("id"), &serde_json::Value::Null]);
    assert_eq!(pair["identity"]["access_key_id"], "AKIARCZMJUTIEG2LJ7DN");
}

/// `--threads` beyond the machine (issue 18) is capped, said once on stderr, and scans the same.
#[test]
fn threads_beyond_the_machine_are_capped() {
    let env = TestEnv::with_fixture("tree/basic");
    let usual = json(&env.scan_test_rules(&["."]));
    let rules = test_rules();
    let out = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(&rules)
        .args(["--format", "json", "--threads", "100000", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(locations(&json(&out)), locations(&usual));
    let err = stderr(&out);
    assert!(
        err.contains("--threads 100000: capped at ") && err.contains(" per core"),
        "{err}"
    );
    let help = env.cmd().args(["scan", "--help"]).output().unwrap();
    assert!(stdout(&help).contains("capped"), "{}", stdout(&help));
}
