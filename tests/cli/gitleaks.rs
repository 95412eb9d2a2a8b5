//! gitleaks configuration import: `--config .gitleaks.toml` and
//! `sprawl config import-gitleaks`, on a realistic team config with custom rules and
//! allowlists; untranslatable constructs are one-line errors naming rule and construct.

use crate::util::*;

/// The tree the fixture config is meant for. Every value is fake.
fn tree() -> TestEnv {
    let env = TestEnv::with_fixture("gitleaks");
    env.write(
        "app/settings.py",
        "ACME_TOKEN = \"acme_live_Zq3x9TrV8bLm2NcKq7Wd4Rx0\"\n",
    );
    env.write(
        "fixtures/tokens.txt",
        "acme_test_Pp4Rr5Ss6Tt7Uu8Vv9Ww0Xx1\nacme_live_Hh3Jj4Kk5Ll6Mm7Nn8Pp9Qq0\n",
    );
    env.write(
        "config/db.env",
        "DATABASE_URL=postgres://billing:S3cr3tPassw0rdXy@db.internal:5432/billing\n\
         LOCAL_URL=postgres://dev:localdev123@localhost/dev\n",
    );
    env.write("deploy/prod.yml", "key: ACMEDEPLOY-Q7W3K9D4E5F6G7H8J9K0\n");
    env.write("src/notes.txt", "ACMEDEPLOY-Z9Y8X7W6V5U4T3S2R1Q0\n");
    env.write(
        "docs/deploy/README.md",
        "Use ACMEDEPLOY-SAMPLE00000000000000 here.\n",
    );
    env.write(
        "vendor/lib/x.py",
        "T = 'acme_live_Vv8Ww7Xx6Yy5Zz4Aa3Bb2Cc1'\n",
    );
    env
}

fn scan(env: &TestEnv, config: &str) -> std::process::Output {
    env.cmd()
        .args([
            "scan",
            "--config",
            config,
            "--no-builtin-rules",
            "--format",
            "json",
            ".",
        ])
        .output()
        .unwrap()
}

const EXPECTED: [(&str, &str); 4] = [
    ("acme-service-token", "app/settings.py:1:15"),
    ("acme-db-url-password", "config/db.env:1:33"),
    ("acme-deploy-key", "deploy/prod.yml:1:6"),
    ("acme-service-token", "fixtures/tokens.txt:2:1"),
];

fn expected() -> Vec<(String, String)> {
    EXPECTED
        .iter()
        .map(|(r, l)| (r.to_string(), l.to_string()))
        .collect()
}

#[test]
fn scan_with_a_gitleaks_config() {
    let env = tree();
    let out = scan(&env, ".gitleaks.toml");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let mut got = locations(&doc);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(got, expected());
    // The secret group is the password, not the whole URL.
    let db = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["id"] == "acme-db-url-password")
        .unwrap();
    assert_eq!(db["fingerprint"], fingerprint_of("S3cr3tPassw0rdXy"));
    assert_eq!(db["severity"], "high");
    // The dropped disabledRules is said once, as a warning.
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("warning: .gitleaks.toml: extend.disabledRules (generic-api-key)"),
        "{err}"
    );
}

#[test]
fn import_gives_the_same_findings_and_a_reviewable_file() {
    let env = tree();
    let out = env
        .cmd()
        .args([
            "config",
            "import-gitleaks",
            ".gitleaks.toml",
            "-o",
            "imported.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(env.path().join("imported.toml")).unwrap();
    insta::assert_snapshot!(text);

    let via_gitleaks = json(&scan(&env, ".gitleaks.toml"));
    let via_import = json(&scan(&env, "imported.toml"));
    assert_eq!(via_import["findings"], via_gitleaks["findings"]);

    // Stdout without -o is the same text; an existing OUT is not overwritten without --force.
    let out = env
        .cmd()
        .args(["config", "import-gitleaks", ".gitleaks.toml"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), text);
    let out = env
        .cmd()
        .args([
            "config",
            "import-gitleaks",
            ".gitleaks.toml",
            "-o",
            "imported.toml",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("imported.toml: already exists (use --force"),
        "{}",
        stderr(&out)
    );
    let out = env
        .cmd()
        .args([
            "config",
            "import-gitleaks",
            ".gitleaks.toml",
            "-o",
            "imported.toml",
            "--force",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn detected_by_content_under_any_name() {
    let env = tree();
    std::fs::rename(
        env.path().join(".gitleaks.toml"),
        env.path().join("secrets-policy.toml"),
    )
    .unwrap();
    let mut got = locations(&json(&scan(&env, "secrets-policy.toml")));
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(got, expected());
}

#[test]
fn without_use_default_only_the_imported_rules_run() {
    let env = TestEnv::new();
    env.write(
        "gl.toml",
        "[[rules]]\nid = \"x-token\"\nregex = '''xtok_[a-z0-9]{16}'''\nkeywords = [\"xtok_\"]\n",
    );
    env.write("a.txt", "xtok_q7w3k9d4e5f6g7h8\n");
    let out = env
        .cmd()
        .args(["scan", "--config", "gl.toml", "--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        locations(&json(&out)),
        vec![("x-token".to_string(), "a.txt:1:1".to_string())]
    );
    assert!(stderr(&out).contains("no [extend] useDefault: only the imported rules run"));
    let imported = env
        .cmd()
        .args(["config", "import-gitleaks", "gl.toml"])
        .output()
        .unwrap();
    let text = stdout(&imported);
    assert!(text.contains("[rules]\nbuiltin = false\n"), "{text}");
    assert!(
        !text.contains("keyword_free")
            && text.contains("pattern = \"(?P<secret>xtok_[a-z0-9]{16})\""),
        "{text}"
    );
}

#[test]
fn untranslatable_constructs_are_named() {
    let env = TestEnv::new();
    env.write(
        ".gitleaks.toml",
        r#"[extend]
useDefault = true

[[rules]]
id = "lookahead-rule"
regex = '''token(?=[0-9]{4})'''

[[rules]]
id = "pem-files"
path = '''\.pem$'''

[[rules]]
id = "line-target"
regex = '''x_[a-z]{8}'''
  [[rules.allowlists]]
  regexTarget = "line"
  regexes = ['''nosec''']

[[rules]]
id = "composite"
regex = '''y_[a-z]{8}'''
  [[rules.required]]
  id = "line-target"

[[rules]]
id = "bad-group"
regex = '''(a)(b)'''
secretGroup = 3
"#,
    );
    env.write("a.txt", "x\n");
    for args in [
        vec!["scan", "--config", ".gitleaks.toml", "."],
        vec!["config", "import-gitleaks", ".gitleaks.toml"],
    ] {
        let out = env.cmd().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        for want in [
            "error: .gitleaks.toml: cannot translate from gitleaks: ",
            "rule \"lookahead-rule\": regex: look-around, including look-ahead and look-behind, is not supported",
            "rule \"pem-files\": path-only rule (no regex) cannot be translated",
            "rule \"line-target\": allowlist 1: regexTarget = \"line\" cannot be translated",
            "rule \"composite\": composite rules ([[rules.required]], skipReport) cannot be translated",
            "rule \"bad-group\": regex: secretGroup = 3 but the regex has 2 groups",
        ] {
            assert!(err.contains(want), "missing {want:?} in\n{err}");
        }
    }
}

#[test]
fn unknown_gitleaks_keys_are_named() {
    let env = TestEnv::new();
    env.write(
        ".gitleaks.toml",
        "[[rules]]\nid = \"a\"\nregex = 'a'\nseverity = \"high\"\n",
    );
    let out = env
        .cmd()
        .args(["config", "import-gitleaks", ".gitleaks.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: .gitleaks.toml:4: rules.severity: unknown field `severity`"),
        "{err}"
    );
    assert!(err.trim_end().ends_with("(gitleaks config)"), "{err}");
}
