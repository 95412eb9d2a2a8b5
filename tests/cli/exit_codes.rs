//! One test per exit code, and the precedence rule (error wins over findings).

use crate::util::*;

#[test]
fn clean_is_0() {
    let env = TestEnv::new();
    env.write("a.txt", "nothing here\n");
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn findings_is_1() {
    let env = TestEnv::with_fixture("tree/basic");
    assert_eq!(env.scan_test_rules(&["."]).status.code(), Some(1));
}

#[test]
fn missing_root_is_2_with_one_line_error() {
    let env = TestEnv::new();
    let out = env.scan_test_rules(&["does-not-exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out).trim_end(),
        "error: does-not-exist: no such file or directory"
    );
}

#[test]
fn error_wins_over_findings_and_the_other_root_is_still_scanned() {
    let env = TestEnv::with_fixture("tree/basic");
    let out = env.scan_test_rules(&["missing", "config"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("error: missing: no such file or directory"));
    let doc = json(&out);
    assert_eq!(
        locations(&doc),
        vec![("test.token".into(), "settings.yml:3:12".into())]
    );
}

#[test]
fn bad_flag_and_bad_config_are_2() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["scan", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    env.write(".sprawl.toml", "[scan]\nexclud = []\n");
    let out = env.cmd().args(["scan", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: ") && err.contains(".sprawl.toml") && err.contains("exclud"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    let out = env
        .cmd()
        .args(["scan", "--no-config", "--max-file-size", "lots", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--max-file-size"));
}

#[test]
fn bad_user_rule_is_2_naming_file_and_rule() {
    let env = TestEnv::new();
    env.write(
        "r.toml",
        "[[rule]]\nid = \"x.bad\"\nname = \"x\"\nseverity = \"high\"\nkeywords = [\"x\"]\npattern = '(?P<secret>['\n",
    );
    let out = env
        .cmd()
        .args(["scan", "--rules", "r.toml", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: r.toml: rule x.bad: pattern:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn help_lists_exit_codes() {
    let env = TestEnv::new();
    let out = env.cmd().args(["scan", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(s.contains("0  no findings") && s.contains("1  findings") && s.contains("2  error"));
}
