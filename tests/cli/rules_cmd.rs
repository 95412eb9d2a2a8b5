//! `sprawl rules list` and `sprawl rules check`.

use crate::util::*;

#[test]
fn list_shows_builtin_and_user_rules() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["rules", "list", "--rules"])
        .arg(test_rules())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(
        s.lines().any(|l| l.starts_with("test.token ")
            && l.contains("high")
            && l.ends_with("Test token")),
        "{s}"
    );
    assert!(s.contains("github.pat.classic"), "{s}");
    let out = env
        .cmd()
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.as_array().unwrap().len() >= 40);
}

#[test]
fn check_passes_good_rules_and_fails_bad_examples() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .args(["rules", "check"])
        .arg(test_rules())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("ok: 1 rules checked"));

    env.write(
        "bad.toml",
        r#"[[rule]]
id = "t.wrong"
name = "t"
severity = "low"
keywords = ["zq_"]
pattern = '(?P<secret>zq_[0-9]{4})'
examples = [ { text = "zq_12", secret = "zq_12" }, { text = "no keyword 1234", secret = "1234" } ]
negative_examples = [ "zq_9999" ]
"#,
    );
    let out = env
        .cmd()
        .args(["rules", "check", "bad.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let s = stdout(&out);
    assert!(
        s.contains(
            "FAIL bad.toml: rule t.wrong: example 1: expected the secret of length 5, got no match"
        ),
        "{s}"
    );
    assert!(
        s.contains("example 2: contains none of the keywords"),
        "{s}"
    );
    assert!(s.contains("negative example 1: matched 1 value(s)"), "{s}");
}

#[test]
fn check_builtin_rules_pass() {
    let env = TestEnv::new();
    let out = env.cmd().args(["rules", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn oversized_and_invalid_patterns_are_rejected_at_load_in_one_line() {
    let env = TestEnv::new();
    env.write("a.txt", "tst_iKE9Ii14QitQCsqfNISB\n");
    let rule = |id: &str, pattern: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\nname = \"t\"\nseverity = \"low\"\nkeywords = [\"zzq\"]\n\
             pattern = '{pattern}'\n"
        )
    };
    let cases = [
        (
            "huge.toml",
            rule("t.huge", r"(?P<secret>zzq\w{1000}\w{1000}\w{1000})"),
            "error: huge.toml: rule t.huge: pattern: compiled regex exceeds the size limit of \
             4194304 bytes (use fewer or smaller repetitions; ASCII classes such as `(?-u:\\w)` \
             are far smaller than Unicode ones)",
        ),
        (
            "syntax.toml",
            rule("t.syntax", "(?P<secret>zzq[a-"),
            "error: syntax.toml: rule t.syntax: pattern: unclosed character class at byte 14",
        ),
        (
            "look.toml",
            rule("t.look", r"(?P<secret>zzq(?=a)\w+)"),
            "error: look.toml: rule t.look: pattern: look-around, including look-ahead and \
             look-behind, is not supported at byte 14",
        ),
        (
            "nogroup.toml",
            rule("t.nogroup", r"zzq\w+"),
            "error: nogroup.toml: rule t.nogroup: pattern has no named group `secret`",
        ),
    ];
    for (file, text, line) in cases {
        env.write(file, text);
        for args in [
            &["scan", "--rules", file, "."][..],
            &["rules", "check", file][..],
        ] {
            let out = env.cmd().args(args).output().unwrap();
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            assert_eq!(stderr(&out), format!("{line}\n"), "{args:?}");
            assert_eq!(stdout(&out), "", "{args:?}: nothing scanned");
        }
    }
}

/// Issue 14: a user rule may give `keyed` (provider, value) instead of `pattern`; `rules check`
/// runs its examples and `scan` uses it; a bad part is named in one line.
#[test]
fn keyed_user_rules_are_checked_and_scanned() {
    let env = TestEnv::new();
    env.write(
        "keyed.toml",
        r#"[[rule]]
id = "acme.api-key"
name = "Acme API key"
severity = "high"
keywords = ["acme"]
keyed = { provider = 'acme', value = '[a-f0-9]{32}' }
examples = [
  { text = "ACME_API_KEY=c78a90eb5b759fb8ce534636db9712f9", secret = "c78a90eb5b759fb8ce534636db9712f9" },
  { text = "acme:\n  token: d3c5482f1f4b32ad3faa0abdd410bd1b", secret = "d3c5482f1f4b32ad3faa0abdd410bd1b" },
]
negative_examples = [ "ACME_REGION=c78a90eb5b759fb8ce534636db9712f9" ]
"#,
    );
    let out = env
        .cmd()
        .args(["rules", "check", "keyed.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("ok: 1 rules checked"),
        "{}",
        stdout(&out)
    );
    env.write("app/.env", "ACME_TOKEN=bf62bea8ded50472f58e02cda872a1dc\n");
    let out = env
        .cmd()
        .args([
            "scan",
            "--no-builtin-rules",
            "--rules",
            "keyed.toml",
            "--format",
        ])
        .args(["json", "-q", "app"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(json(&out)["findings"][0]["rule"]["id"], "acme.api-key");
    // An inline `[[rule]]` in the config file takes `keyed` too.
    env.write(
        "inline.toml",
        "[[rule]]\nid = \"acme.inline\"\nname = \"Acme\"\nseverity = \"high\"\n\
         keywords = [\"acme\"]\nkeyed = { provider = 'acme', value = '[a-f0-9]{32}' }\n",
    );
    let out = env
        .cmd()
        .args([
            "scan",
            "--no-builtin-rules",
            "-c",
            "inline.toml",
            "--format",
        ])
        .args(["json", "-q", "app"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(json(&out)["findings"][0]["rule"]["id"], "acme.inline");

    let rule = |id: &str, body: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\nname = \"t\"\nseverity = \"low\"\nkeywords = [\"acme\"]\n{body}\n"
        )
    };
    let cases = [
        (
            "both.toml",
            rule(
                "t.both",
                "pattern = '(?P<secret>x)'\nkeyed = { provider = 'acme', value = 'x' }",
            ),
            "error: both.toml: rule t.both: has both `pattern` and `keyed`; keep one",
        ),
        (
            "neither.toml",
            rule("t.neither", ""),
            "error: neither.toml: rule t.neither: needs `pattern` or `keyed`",
        ),
        (
            "value.toml",
            rule("t.value", "keyed = { provider = 'acme', value = '[a-f' }"),
            "error: value.toml: rule t.value: keyed: value: unclosed character class at byte 0",
        ),
    ];
    for (file, text, line) in cases {
        env.write(file, text);
        let out = env.cmd().args(["rules", "check", file]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert_eq!(stderr(&out), format!("{line}\n"), "{file}");
    }
}
