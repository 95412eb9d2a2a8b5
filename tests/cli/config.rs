//! Inline `sprawl:allow`, `.sprawl.toml` allowlists, scopes, inline rules, `--fail-on`,
//! precedence (flags > config file > defaults) and config errors naming the file and key.

use crate::util::*;

const A: &str = "tst_iKE9Ii14QitQCsqfNISB";
const B: &str = "tst_mGS4LgIeMdWRDwhduGKZ";
const C: &str = "tst_w8Decxy8diEuqgRm2CTb";

fn locs(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let out = env.scan_test_rules(args);
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    locations(&json(&out)).into_iter().map(|(_, l)| l).collect()
}

#[test]
fn inline_allow_marker_in_any_comment_syntax() {
    let env = TestEnv::new();
    env.write("a.py", format!("x = '{A}'  # sprawl:allow\ny = '{B}'\n"));
    env.write(
        "b.js",
        format!("const t = \"{C}\"; // sprawl:allow (test fixture)\n"),
    );
    env.write(
        "c.html",
        format!("<!-- sprawl:allow --> <p>{A}</p>\n<p>{A}</p>\n"),
    );
    env.write("d.sql", format!("-- sprawl:allow\nSELECT '{C}';\n"));
    assert_eq!(
        locs(&env, &["."]),
        vec!["a.py:2:6", "c.html:2:4", "d.sql:2:9"]
    );
}

#[test]
fn allowlists_values_fingerprints_regexes_stopwords_paths() {
    let env = TestEnv::new();
    env.write("src/a.txt", format!("{A}\n{B}\n{C}\n"));
    env.write("src/testdata/x.txt", "tst_Zq3x9TrV8bLm2NcKa1b2\n");
    env.write("src/d.txt", "tst_NOTREALq3x9TrV8bLm2N\n");
    let all = locs(&env, &["."]);
    assert_eq!(all.len(), 5, "{all:?}");
    env.write(
        ".sprawl.toml",
        format!(
            "[allow]\nvalues = [\"{A}\"]\nfingerprints = [\"{}\"]\nregexes = ['^tst_w8D']\n\
             stopwords = [\"notreal\"]\npaths = ['(^|/)testdata/']\n",
            fingerprint_of(B)
        ),
    );
    assert_eq!(locs(&env, &["."]), Vec::<String>::new());
    // Each criterion alone allows exactly its hit.
    env.write(".sprawl.toml", "[allow]\nstopwords = [\"notreal\"]\n");
    assert_eq!(locs(&env, &["."]).len(), 4);
    assert!(!locs(&env, &["."]).contains(&"src/d.txt:1:1".to_string()));
}

#[test]
fn scoped_allowlists_and_rule_scopes() {
    let env = TestEnv::new();
    env.write("docs/a.md", format!("{A}\n{B}\n"));
    env.write("src/a.rs", format!("{A}\n"));
    env.write(
        ".sprawl.toml",
        "[[allow.scoped]]\nrules = [\"test.token\"]\ncondition = \"and\"\npaths = ['\\.md$']\n\
         regexes = ['^tst_iKE']\n",
    );
    // AND: only A in the markdown file is allowed. (Findings only in docs come last.)
    assert_eq!(locs(&env, &["."]), vec!["src/a.rs:1:1", "docs/a.md:2:1"]);
    env.write(
        ".sprawl.toml",
        "[[rules.scope]]\nids = [\"test.token\"]\npaths = ['^src/']\n",
    );
    assert_eq!(locs(&env, &["."]), vec!["src/a.rs:1:1"]);
    env.write(
        ".sprawl.toml",
        "[[allow.scoped]]\nrules = [\"test.tokn\"]\nstopwords = [\"x\"]\n",
    );
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown rule id \"test.tokn\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn inline_rules_and_builtin_switch() {
    let env = TestEnv::new();
    env.write("a.txt", "key = acme_Zq3x9TrV8bLm2NcK\n");
    env.write(
        ".sprawl.toml",
        "[rules]\nbuiltin = false\n\n[[rule]]\nid = \"acme.key\"\nname = \"Acme key\"\n\
         severity = \"medium\"\nkeywords = [\"acme_\"]\npattern = '(?P<secret>acme_[A-Za-z0-9]{16})'\n",
    );
    let out = env
        .cmd()
        .args(["scan", "--format", "json", "-q", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        locations(&doc),
        vec![("acme.key".to_string(), "a.txt:1:7".to_string())]
    );
    let rules = env.cmd().args(["rules", "list"]).output().unwrap();
    assert!(
        !stdout(&rules).contains("acme.key"),
        "rules list ignores scan config"
    );
}

#[test]
fn fail_on_precedence_flag_over_config_over_default() {
    let env = TestEnv::new();
    env.write("a.txt", format!("{A}\n"));
    // Default: any finding fails.
    assert_eq!(env.scan_test_rules(&["."]).status.code(), Some(1));
    // Config: only critical fails; test.token is high.
    env.write(".sprawl.toml", "[scan]\nfail_on = \"critical\"\n");
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["summary"]["findings"], 1, "still reported");
    // Flag beats config.
    assert_eq!(
        env.scan_test_rules(&["--fail-on", "high", "."])
            .status
            .code(),
        Some(1)
    );
    assert_eq!(
        env.scan_test_rules(&["--fail-on", "critical", "--no-config", "."])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn max_file_size_precedence() {
    let env = TestEnv::new();
    env.write("big.txt", format!("{}{A}\n", "x ".repeat(1000)));
    env.write(".sprawl.toml", "[scan]\nmax_file_size = \"1k\"\n");
    let doc = json(&env.scan_test_rules(&["."]));
    assert_eq!(doc["summary"]["skipped"]["too_large"], 1);
    let doc = json(&env.scan_test_rules(&["--max-file-size", "1M", "."]));
    assert_eq!(doc["summary"]["skipped"]["too_large"], 0);
    assert_eq!(doc["summary"]["findings"], 1);
}

#[test]
fn config_errors_name_file_and_key() {
    let env = TestEnv::new();
    env.write("a.txt", "x\n");
    for (text, want) in [
        (
            "[allow]\nvalue = []\n",
            ".sprawl.toml:2: allow.value: unknown field `value`",
        ),
        (
            "[scan]\nfail_on = \"dire\"\n",
            ".sprawl.toml: scan.fail_on: unknown severity \"dire\"",
        ),
        (
            "[allow]\nregexes = ['(']\n",
            ".sprawl.toml: allow.regexes[0]: regex parse error",
        ),
        (
            "[[applications]]\nname = \"x\"\npaths = [\"[\"]\n",
            ".sprawl.toml: applications[0].paths: \"[\"",
        ),
        (
            "[[environments]]\nname = \"prod\"\nhost = \"x\"\n",
            ".sprawl.toml:3: environments.host: unknown field `host`",
        ),
        (
            "[rules]\nbuiltin = \"yes\"\n",
            ".sprawl.toml:2: rules.builtin: invalid type",
        ),
    ] {
        env.write(".sprawl.toml", text);
        let out = env.cmd().args(["scan", "-q", "."]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}");
        let err = stderr(&out);
        let line = err.trim_end();
        assert!(
            line.starts_with(&format!("error: ./{want}"))
                || line.starts_with(&format!("error: {want}")),
            "{text:?}\n{err}"
        );
        assert_eq!(line.lines().count(), 1, "{err}");
    }
}

#[test]
fn applications_and_environments_are_accepted() {
    let env = TestEnv::new();
    env.write("a.txt", format!("{A}\n"));
    env.write(
        ".sprawl.toml",
        "[[applications]]\nname = \"billing\"\npaths = [\"billing/**\"]\n\n\
         [[environments]]\nname = \"production\"\npaths = [\"deploy/prod/**\"]\n",
    );
    assert_eq!(locs(&env, &["."]), vec!["a.txt:1:1"]);
}
