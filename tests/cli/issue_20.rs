//! Issue 20: a scanner CI can trust (#20). No clean-looking
//! report after an error, no partial scan that passes, no recoverable secret in a fingerprint,
//! baselines and merges that survive real use. One test (or a few) per item of the issue.

use std::path::Path;
use std::process::{Command as StdCommand, Output, Stdio};

use serde_json::Value;

use crate::repo::{Repo, git};
use crate::util::*;

const A: &str = "tst_pJ1jI08WKAjszfLh3Y61";
const B: &str = "tst_ZY5pSp8UQbz2ywLX7zcK";

fn rules() -> String {
    test_rules().to_string_lossy().into_owned()
}

/// `sprawl scan --no-builtin-rules --rules test.toml -q <args>` in `dir`.
fn scan_in(env: &TestEnv, dir: &Path, args: &[&str]) -> Output {
    let mut cmd = env.cmd();
    cmd.current_dir(dir)
        .args(["scan", "--no-builtin-rules", "--rules", &rules(), "-q"]);
    cmd.args(args).output().unwrap()
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".sprawl-") && n.ends_with(".tmp"))
        .collect()
}

// ---- A failed or partial scan must never look clean ----

#[test]
fn issue_20_an_error_never_leaves_a_clean_looking_report() {
    let env = TestEnv::new();
    env.write("app/.env", format!("TOKEN={A}\n"));
    let old = env.write("report.sarif", "previous report");
    // A config typo: nothing is scanned, and the previous report is untouched.
    env.write("app/.sprawl.toml", "[scan]\nexclud = []\n");
    let out = scan_in(
        &env,
        env.path(),
        &["-f", "sarif", "-o", "report.sarif", "app"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "previous report");
    assert_eq!(leftovers(env.path()), Vec::<String>::new());
    // A root that does not exist: the scan runs, and its report says plainly that it failed.
    let out = scan_in(
        &env,
        env.path(),
        &["-f", "sarif", "-o", "report.sarif", "/nope"],
    );
    assert_eq!(out.status.code(), Some(2));
    let sarif: Value = serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false, "{inv}");
    assert_eq!(
        inv["toolExecutionNotifications"][0]["message"]["text"],
        "/nope: no such file or directory"
    );
    assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
    // The JSON says so too, and a completed scan says it succeeded.
    std::fs::remove_file(env.path().join("app/.sprawl.toml")).unwrap();
    let out = scan_in(&env, env.path(), &["-f", "json", "/nope", "app"]);
    assert_eq!(out.status.code(), Some(2));
    let doc = json(&out);
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["partial"], true);
    assert_eq!(doc["issues"][0]["kind"], "not_scanned");
    assert_eq!(
        doc["summary"]["findings"], 1,
        "what could be scanned is reported"
    );
    let out = scan_in(
        &env,
        env.path(),
        &["-f", "sarif", "-o", "report.sarif", "app"],
    );
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&std::fs::read(&old).unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&old).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(leftovers(env.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn issue_20_ctrl_c_leaves_the_previous_report_and_no_temporary_file() {
    let env = TestEnv::new();
    let old = env.write("report.json", "previous report");
    // A FIFO nobody writes to: the scan blocks opening it, with the report file pending.
    let fifo = env.path().join("pipe");
    mkfifo(&fifo);
    let bin = env.cmd().get_program().to_owned();
    let mut child = StdCommand::new(bin)
        .current_dir(env.path())
        .args(["scan", "-q", "-f", "json", "-o", "report.json", "pipe"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while leftovers(env.path()).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        leftovers(env.path()).len(),
        1,
        "the temporary report exists"
    );
    // SAFETY: sending a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGINT) }, 0);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "previous report");
    assert_eq!(leftovers(env.path()), Vec::<String>::new());
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// The action's scan step, run as a workflow would, with sprawl's exit code forced.
#[test]
fn issue_20_the_action_never_hands_a_failed_scans_report_to_upload() {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let start = action
        .find("      run: |\n        set +e")
        .expect("scan step");
    let script: String = action[start + "      run: |\n".len()..]
        .lines()
        .take_while(|l| l.starts_with("        ") || l.is_empty())
        .map(|l| l.strip_prefix("        ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    for code in [0, 1, 2] {
        let env = TestEnv::new();
        let bin = env.path().join("runner/sprawl/bin");
        std::fs::create_dir_all(&bin).unwrap();
        // A stand-in sprawl that writes the report and exits with `code`.
        let fake = bin.join("sprawl");
        std::fs::write(
            &fake,
            format!("#!/bin/sh\necho '{{}}' > sprawl.sarif\nexit {code}\n"),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let out = StdCommand::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(env.path())
            .env("RUNNER_TEMP", env.path().join("runner"))
            .env("GITHUB_OUTPUT", env.path().join("out"))
            .env("GITHUB_STEP_SUMMARY", env.path().join("summary"))
            .env("INPUT_PATHS", ".")
            .env("INPUT_ARGS", "")
            .env("INPUT_SARIF", "sprawl.sarif")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code));
        let outputs = std::fs::read_to_string(env.path().join("out")).unwrap();
        assert!(outputs.contains(&format!("exit-code={code}")));
        assert_eq!(
            outputs.contains("sarif-file=sprawl.sarif"),
            code <= 1,
            "exit {code}: {outputs}"
        );
    }
}

#[test]
fn issue_20_devices_are_errors_and_pipes_are_read_as_streams() {
    let env = TestEnv::new();
    let out = scan_in(&env, env.path(), &["-f", "json", "/dev/null"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: /dev/null: a device, not a file, directory or pipe"),
        "{}",
        stderr(&out)
    );
    // `<(...)` is a request to read it: the pipe is read to its end.
    let bin = env.cmd().get_program().to_owned();
    let out = StdCommand::new("bash")
        .arg("-c")
        .arg(format!(
            "\"$0\" scan --no-builtin-rules --rules '{}' -q -f json <(printf 'TOKEN={A}\\n')",
            rules()
        ))
        .arg(bin)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["findings"][0]["fingerprint"], fingerprint_of(A));
    assert_eq!(doc["summary"]["files_scanned"], 1);
    // A named FIFO with a writer, likewise.
    #[cfg(unix)]
    {
        let fifo = env.path().join("pipe");
        mkfifo(&fifo);
        let writer = std::thread::spawn(move || std::fs::write(fifo, format!("T={B}\n")));
        let out = scan_in(&env, env.path(), &["-f", "json", "pipe"]);
        writer.join().unwrap().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(json(&out)["findings"][0]["fingerprint"], fingerprint_of(B));
    }
}

/// Mode 000 is readable by root, so this runs the binary as `nobody` (with `setpriv`) when the
/// tests run as root, and as the current user otherwise.
#[cfg(unix)]
#[test]
fn issue_20_unreadable_paths_on_the_command_line_are_errors_for_a_non_root_user() {
    use std::os::unix::fs::PermissionsExt;
    let root = unsafe { libc::geteuid() } == 0;
    let setpriv = Path::new("/usr/bin/setpriv");
    if root && !setpriv.exists() {
        eprintln!("skipped: running as root and no setpriv to drop to nobody");
        return;
    }
    // Under /tmp with open modes so `nobody` can reach the binary's parent and this directory.
    let env = TestEnv::new();
    std::fs::set_permissions(env.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::create_dir(env.path().join("locked")).unwrap();
    env.write("locked/.env", format!("T={A}\n"));
    let secret = env.write("secret.env", format!("T={B}\n"));
    env.write("open.env", format!("T={A}\n"));
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(
        env.path().join("locked"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let bin = env.cmd().get_program().to_owned();
    let rules_copy = env.write("rules.toml", std::fs::read(test_rules()).unwrap());
    std::fs::set_permissions(&rules_copy, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = |path: &str| {
        let mut cmd = if root {
            let mut c = StdCommand::new(setpriv);
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&bin);
            c
        } else {
            StdCommand::new(&bin)
        };
        cmd.current_dir(env.path())
            .args(["scan", "--no-builtin-rules", "--rules", "rules.toml", "-q"])
            .args(["-f", "json", path])
            .output()
            .unwrap()
    };
    for path in ["locked", "secret.env"] {
        let out = run(path);
        assert_eq!(out.status.code(), Some(2), "{path}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("error: {path}: permission denied")),
            "{}",
            stderr(&out)
        );
        assert_eq!(json(&out)["summary"]["errors"], 1);
    }
    // A readable file still scans as that user (the binary and rules are reachable).
    assert_eq!(run("open.env").status.code(), Some(1));
    std::fs::set_permissions(
        env.path().join("locked"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
}

#[test]
fn issue_20_errors_read_as_errors() {
    let env = TestEnv::new();
    env.write("a.env", "nothing here\n");
    let out = env
        .cmd()
        .args(["scan", "--history-only", "--color", "never", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let last = stdout(&out).lines().last().unwrap_or_default().to_string();
    assert!(last.starts_with("SCAN FAILED (1 error, above)"), "{last}");
    assert!(!last.contains(" warning"), "{last}");
    assert!(!stdout(&out).contains("· no secrets found"), "{last}");
    let doc = json(&scan_in(
        &env,
        env.path(),
        &["-f", "json", "--history-only", "."],
    ));
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["issues"], 0);
}

// ---- The fingerprint must not leak the secret ----

#[test]
fn issue_20_the_fingerprint_is_not_the_sha256_of_the_secret() {
    let env = TestEnv::new();
    env.write(".env", "DB_PASSWORD=admin123\n");
    let out = env
        .cmd()
        .args(["scan", "-q", "-f", "json", "."])
        .output()
        .unwrap();
    let doc = json(&out);
    let fp = doc["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    // `printf admin123 | sha256sum`
    let plain = "240be518fabd2724ddb6f04eeb1da5967448d7e831c08c8fa822809f74c720a9";
    assert!(fp.starts_with("v2:") && fp.len() == 67, "{fp}");
    assert!(!fp.contains(plain));
    assert_eq!(fp, fingerprint_of("admin123"));
    let sarif = env
        .cmd()
        .args(["scan", "-q", "-f", "sarif", "."])
        .output()
        .unwrap();
    assert!(!stdout(&sarif).contains(plain));
    assert!(stdout(&sarif).contains(&format!("\"sprawlCredential/v2\": \"{fp}\"")));
    // An organisation key gives a private namespace.
    let out = env
        .cmd()
        .env("SPRAWL_FINGERPRINT_KEY", "org secret")
        .args(["scan", "-q", "-f", "json", "."])
        .output()
        .unwrap();
    let keyed = json(&out)["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(keyed.starts_with("v2k:"), "{keyed}");
    assert_ne!(&keyed[4..], &fp[3..]);
}

#[test]
fn issue_20_version_1_allowlists_and_baselines_are_rejected_then_migrated() {
    let env = TestEnv::new();
    env.write("app/.env", format!("T={A}\nU={B}\n"));
    let v1 = sprawl::secret::fingerprint::legacy_v1(A.as_bytes());
    env.write(
        ".sprawl.toml",
        format!("# keep this comment\n[allow]\nfingerprints = [\n  \"{v1}\",  # fake\n]\n"),
    );
    let out = scan_in(&env, env.path(), &["-f", "json", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("allow.fingerprints[0]: a version-1 fingerprint")
            && stderr(&out).contains("run `sprawl migrate`"),
        "{}",
        stderr(&out)
    );
    // A version-1 baseline: the same, naming the command.
    let key = |fp: &str| {
        sprawl::secret::sha256_hex(format!("sprawl-baseline-v1\0test.token\0{fp}").as_bytes())
    };
    let legacy_b = sprawl::secret::fingerprint::legacy_v1(B.as_bytes());
    env.write(
        "base.json",
        format!(
            "{{\"sprawl_baseline\": 1, \"credentials\": [\n  {{\"rule\": \"test.token\", \
             \"application\": \".\", \"key\": \"{}\"}},\n  {{\"rule\": \"test.token\", \
             \"application\": \".\", \"key\": \"{}\"}}\n]}}\n",
            key(&legacy_b),
            key(&"0".repeat(64))
        ),
    );
    let out = scan_in(
        &env,
        env.path(),
        &["--no-config", "--baseline", "base.json", "."],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("run `sprawl migrate --baseline base.json`"),
        "{}",
        stderr(&out)
    );
    // Migrate both, then the scan accepts A (allowlist) and B (baseline).
    let out = env
        .cmd()
        .args(["migrate", "--no-builtin-rules", "--rules", &rules()])
        .args(["--baseline", "base.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 of 1 fingerprints rewritten as version 2"));
    assert!(stderr(&out).contains("1 entries rewritten as version 2; 1 not found"));
    let config = std::fs::read_to_string(env.path().join(".sprawl.toml")).unwrap();
    assert!(config.contains(&format!("\"{}\",  # fake", fingerprint_of(A))));
    assert!(config.starts_with("# keep this comment\n"));
    let out = scan_in(
        &env,
        env.path(),
        &["-f", "json", "--baseline", "base.json", "."],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["summary"]["findings"], 0);
    assert_eq!(doc["summary"]["baselined"], 1);
}

// ---- Baselines, merge, config discovery ----

#[test]
fn issue_20_a_baseline_matches_every_spelling_of_the_same_tree() {
    let env = TestEnv::new();
    let shop = env.path().join("shop");
    std::fs::create_dir_all(shop.join("sub")).unwrap();
    env.write("shop/app.env", format!("T={A}\n"));
    env.write("elsewhere/.keep", "");
    let base = env.path().join("base.json");
    let out = scan_in(
        &env,
        &shop,
        &["--write-baseline", base.to_str().unwrap(), "."],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let abs = shop.to_string_lossy().into_owned();
    for (dir, root) in [
        (shop.clone(), "."),
        (shop.clone(), "./"),
        (shop.clone(), abs.as_str()),
        (env.path().join("elsewhere"), "../shop"),
        (env.path().to_path_buf(), "shop/"),
        (shop.join("sub"), ".."),
    ] {
        let out = scan_in(
            &env,
            &dir,
            &["-f", "json", "--baseline", base.to_str().unwrap(), root],
        );
        assert_eq!(out.status.code(), Some(0), "{root}: {}", stderr(&out));
        let doc = json(&out);
        assert_eq!(
            doc["baseline"]["still_present"].as_array().unwrap().len(),
            1,
            "{root}"
        );
        assert_eq!(doc["baseline"]["resolved"], serde_json::json!([]), "{root}");
    }
}

#[test]
fn issue_20_merge_reads_empty_jsonl_counts_once_and_says_what_it_cannot_count() {
    let env = TestEnv::new();
    env.write("clean/a.txt", "nothing\n");
    env.write("dirty/a.env", format!("T={A}\n"));
    let out = scan_in(&env, env.path(), &["-f", "jsonl", "-o", "c.jsonl", "clean"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(env.path().join("c.jsonl")).unwrap().len(), 0);
    scan_in(&env, env.path(), &["-f", "jsonl", "-o", "d.jsonl", "dirty"]);
    scan_in(&env, env.path(), &["-f", "json", "-o", "d.json", "dirty"]);
    let merge = |args: &[&str]| env.cmd().arg("merge").args(args).output().unwrap();
    let out = merge(&["c.jsonl", "d.jsonl", "-f", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["summary"]["findings"], 1);
    assert_eq!(doc["summary"]["reports_without_counters"], 2);
    // JSON Lines only: the human view does not claim "0 files scanned".
    let out = merge(&["c.jsonl", "d.jsonl", "--color", "never"]);
    let last = stdout(&out).lines().last().unwrap_or_default().to_string();
    assert!(
        last.contains("files scanned: not known (2 JSON Lines reports"),
        "{last}"
    );
    assert!(!last.contains("0 files"), "{last}");
    // The same report twice (or a copy) counts once.
    std::fs::copy(env.path().join("d.json"), env.path().join("copy.json")).unwrap();
    let once = json(&merge(&["d.json", "-f", "json"]));
    let out = merge(&["d.json", "./d.json", "copy.json", "-f", "json"]);
    assert!(stderr(&out).contains("the same report as d.json; merged once"));
    assert_eq!(
        json(&out)["summary"]["files_scanned"],
        once["summary"]["files_scanned"]
    );
    // And the same root twice is scanned once.
    let one = json(&scan_in(&env, env.path(), &["-f", "json", "dirty"]));
    let two = json(&scan_in(
        &env,
        env.path(),
        &["-f", "json", "dirty", "./dirty/"],
    ));
    assert_eq!(
        two["summary"]["files_scanned"],
        one["summary"]["files_scanned"]
    );
    assert_eq!(two["findings"][0]["locations"].as_array().unwrap().len(), 1);
}

#[test]
fn issue_20_the_config_is_found_from_a_subdirectory_up_to_the_repository_top() {
    let env = TestEnv::new();
    let r = Repo::init(env.path());
    r.commit(&[("README", "x\n")], &[], "init");
    env.write(
        ".sprawl.toml",
        format!("[scan]\nexclude = [\"src/fixtures/**\"]\n[allow]\nvalues = [\"{A}\"]\n"),
    );
    env.write("src/app.env", format!("T={A}\n"));
    env.write("src/fixtures/f.env", format!("T={B}\n"));
    let src = env.path().join("src");
    let out = scan_in(&env, &src, &["-f", "json", "--no-history"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(json(&out)["summary"]["findings"], 0);
    // An explicit --config wins; --no-config reads none.
    let out = scan_in(&env, &src, &["-f", "json", "--no-history", "--no-config"]);
    assert_eq!(json(&out)["summary"]["findings"], 2);
    // Outside a repository, only the scanned directory itself is looked at.
    let outside = TestEnv::new();
    outside.write(".sprawl.toml", format!("[allow]\nvalues = [\"{A}\"]\n"));
    outside.write("sub/app.env", format!("T={A}\n"));
    let out = scan_in(&outside, &outside.path().join("sub"), &["-f", "json"]);
    assert_eq!(json(&out)["summary"]["findings"], 1);
}

#[test]
fn issue_20_history_counts_what_refs_reach_and_never_suggests_destroying_it() {
    let env = TestEnv::new();
    let r = Repo::init(env.path());
    r.commit(&[("a.txt", "one\n")], &[], "one");
    r.commit(&[("b.env", &format!("T={A}\n"))], &[], "two");
    // Drop the commit from every ref: its objects stay, unreachable.
    r.git(&["reset", "--hard", "HEAD~1"]);
    r.git(&["reflog", "expire", "--expire-unreachable=now", "--all"]);
    let reachable: u64 = git(env.path(), &["rev-list", "--all", "--count"])
        .parse()
        .unwrap();
    let out = scan_in(&env, env.path(), &["-f", "json", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["summary"]["commits_scanned"], reachable);
    assert_eq!(doc["summary"]["unreachable_commits"], 1);
    assert_eq!(doc["summary"]["findings"], 0);
    let said = doc["issues"].to_string();
    assert!(said.contains("--unreachable reports them"), "{said}");
    for destructive in ["gc", "prune", "reflog expire"] {
        assert!(!said.contains(destructive), "{said}");
    }
    // Opt in: reported, labelled.
    let out = scan_in(&env, env.path(), &["-f", "json", "--unreachable", "."]);
    assert_eq!(out.status.code(), Some(1));
    let loc = &json(&out)["findings"][0]["locations"][0];
    assert_eq!(loc["unreachable"], true, "{loc}");
    assert_eq!(loc["commit"], "");
}

#[test]
fn issue_20_sarif_never_puts_a_history_copy_on_todays_lines() {
    let env = TestEnv::new();
    let r = Repo::init(env.path());
    let mut env_file = String::new();
    for i in 1..9 {
        env_file.push_str(&format!("K{i}=v\n"));
    }
    r.commit(
        &[
            (".env", &format!("{env_file}T={A}\n")),
            ("c.env", &format!("T={B}\n")),
        ],
        &[],
        "one",
    );
    // Today line 9 of .env is a comment; c.env still holds B (its history copy is the same file).
    r.commit(
        &[(".env", &format!("{env_file}# Informative\n"))],
        &[],
        "two",
    );
    let out = scan_in(&env, env.path(), &["-f", "sarif", "."]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let of = |uri: &str| -> Vec<&Value> {
        results
            .iter()
            .filter(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
            .collect()
    };
    // .env: one history-only result, no region, the commit and old line in its properties.
    let env_results = of(".env");
    assert_eq!(env_results.len(), 1, "{results:#?}");
    let e = env_results[0];
    assert!(
        e["locations"][0]["physicalLocation"]
            .get("region")
            .is_none()
    );
    assert_eq!(e["properties"]["historyOnly"], true);
    assert_eq!(e["properties"]["history"][0]["line"], 9);
    assert_eq!(e["properties"]["history"][0]["path"], ".env");
    assert!(
        e["properties"]["history"][0]["commit"]
            .as_str()
            .unwrap()
            .len()
            == 40
    );
    // c.env: the file copy is the one result, its history copy a property of it.
    let c = of("c.env");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(
        c[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    assert_eq!(c[0]["properties"]["history"].as_array().unwrap().len(), 1);
    assert!(c[0]["properties"].get("historyOnly").is_none());
}

// ---- Smaller ----

#[test]
fn issue_20_help_offers_only_what_each_command_does() {
    let env = TestEnv::new();
    let help = stdout(&env.cmd().args(["merge", "--help"]).output().unwrap());
    assert!(!help.contains("sarif") && help.contains("html"), "{help}");
    for absent in ["--fail-on", "--baseline", "--since-commit", "--branch"] {
        assert!(
            !help.contains(absent),
            "merge --help names {absent}: {help}"
        );
    }
    let out = env
        .cmd()
        .args(["merge", "-f", "sarif", "x.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .cmd()
        .args(["rules", "list", "-f", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = env
        .cmd()
        .args(["rules", "list", "-f", "jsonl"])
        .output()
        .unwrap();
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert!(lines.len() > 40);
    for l in lines {
        let v: Value = serde_json::from_str(l).unwrap();
        assert!(v["id"].is_string());
    }
    let help = stdout(&env.cmd().args(["scan", "--help"]).output().unwrap());
    assert!(help.contains("(default, and 0: all cores)"), "{help}");
    env.write("a.env", format!("T={A}\n"));
    let out = scan_in(&env, env.path(), &["-j", "0", "-f", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn issue_20_rules_check_names_the_check_and_rules_dirs_load_once() {
    let env = TestEnv::new();
    env.write(
        "r/placeholder.toml",
        r#"[[rule]]
id = "t.ph"
name = "t"
severity = "low"
keywords = ["zq_"]
pattern = '(?P<secret>zq_[a-z0-9]{16})'
examples = [ { text = "zq_abcdefghijklmnop", secret = "zq_abcdefghijklmnop" } ]
negative_examples = [ "zq_" ]
"#,
    );
    let out = env.cmd().args(["rules", "check", "r"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("no match: the pattern captures it but the placeholder check"),
        "{}",
        stdout(&out)
    );
    let out = env
        .cmd()
        .args(["rules", "list", "--rules", "r", "--rules", "./r/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn issue_20_the_staged_hint_suggests_sprawl_allow_and_claims_no_commit() {
    let env = TestEnv::new();
    let r = Repo::init(env.path());
    r.commit(&[("README", "x\n")], &[], "init");
    env.write("a.env", format!("T={A}\n"));
    r.git(&["add", "a.env"]);
    let out = scan_in(&env, env.path(), &["--staged"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("sprawl:allow"), "{err}");
    assert!(!err.contains("the commit was stopped"), "{err}");
}
