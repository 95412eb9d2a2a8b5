//! `--format sarif`: valid against the official SARIF 2.1.0 schema (with format checks), one
//! result per location, levels from severities, stable fingerprints, encoded URIs, snapshot.

use serde_json::Value;

use crate::util::*;

const A: &str = "tst_iKE9Ii14QitQCsqfNISB";
const B: &str = "tst_mGS4LgIeMdWRDwhduGKZ";

/// The official schema, validated twice: as it declares itself (draft-04), and in draft-07
/// mode, because it uses the `uri-reference` format, which only draft-06 and later define, so
/// only then are artifact URIs checked. The schema has no keyword whose meaning differs
/// between the two drafts (no `exclusiveMinimum`/`exclusiveMaximum`, only local `$ref`s).
fn validators() -> [jsonschema::Validator; 2] {
    let text = std::fs::read_to_string(repo().join("tests/data/sarif-2.1.0.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    [
        jsonschema::draft4::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap(),
        jsonschema::draft7::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap(),
    ]
}

fn schema_errors(doc: &Value) -> Vec<String> {
    let mut errors: Vec<String> = validators()
        .iter()
        .flat_map(|v| {
            v.iter_errors(doc)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect::<Vec<_>>()
        })
        .collect();
    errors.sort();
    errors.dedup();
    errors
}

fn sarif(env: &TestEnv, args: &[&str]) -> (Value, std::process::Output) {
    let out = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--format", "sarif", "-q"])
        .args(args)
        .output()
        .unwrap();
    (json(&out), out)
}

fn results(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn the_schema_check_can_fail() {
    // Proof the validator is live: a result without a message and a URI with a raw space.
    let bad = serde_json::json!({
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "x" } },
                   "results": [{ "ruleId": "r" }] }]
    });
    assert_eq!(schema_errors(&bad).len(), 1, "{:?}", schema_errors(&bad));
    let bad_uri = serde_json::json!({
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "x" } },
                   "results": [{ "message": { "text": "m" }, "locations": [{
                       "physicalLocation": { "artifactLocation": { "uri": "a b%zz" } } }] }] }]
    });
    assert!(!schema_errors(&bad_uri).is_empty());
}

#[test]
fn basic_tree_validates_against_the_official_schema() {
    let env = TestEnv::with_fixture("tree/basic");
    let (doc, out) = sarif(&env, &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(schema_errors(&doc), Vec::<String>::new());
    assert_eq!(results(&doc).len(), 5, "one result per location");
}

#[test]
fn awkward_names_and_roots_validate_and_are_encoded() {
    let env = TestEnv::new();
    env.write("app/my file #1?.env", format!("T={A}\n"));
    env.write("app/100%/é.txt", format!("{B}\n"));
    env.write("app/c:d", format!("{A}\n"));
    let abs = env.path().join("app");
    let abs = abs.to_str().unwrap();
    for roots in [
        vec!["."],
        vec!["./"],
        vec!["app"],
        vec!["./app/"],
        vec![abs],
    ] {
        let (doc, _) = sarif(&env, &roots);
        assert_eq!(schema_errors(&doc), Vec::<String>::new(), "roots {roots:?}");
        let mut uris: Vec<String> = results(&doc)
            .iter()
            .map(|r| {
                let a = &r["locations"][0]["physicalLocation"]["artifactLocation"];
                format!("{} {}", a["uriBaseId"], a["uri"].as_str().unwrap())
            })
            .collect();
        uris.sort();
        if roots[0] == abs {
            let enc = abs.replace(' ', "%20");
            assert_eq!(
                uris,
                vec![
                    format!("null file://{enc}/100%25/%C3%A9.txt"),
                    format!("null file://{enc}/c%3Ad"),
                    format!("null file://{enc}/my%20file%20%231%3F.env"),
                ]
            );
        } else {
            assert_eq!(
                uris,
                vec![
                    "\"%SRCROOT%\" app/100%25/%C3%A9.txt",
                    "\"%SRCROOT%\" app/c%3Ad",
                    "\"%SRCROOT%\" app/my%20file%20%231%3F.env",
                ],
                "roots {roots:?}"
            );
        }
    }
    // A file given as the root is its own URI.
    let (doc, _) = sarif(&env, &["app/c:d"]);
    assert_eq!(
        results(&doc)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "app/c%3Ad"
    );
}

#[test]
fn results_rules_levels_regions_and_fingerprints() {
    let env = TestEnv::with_fixture("tree/basic");
    let (doc, _) = sarif(&env, &["."]);
    let run = &doc["runs"][0];
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["id"], "test.token");
    assert_eq!(rules[0]["name"], "Test token");
    assert_eq!(rules[0]["help"]["text"], "Revoke the test token.");
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    let r = results(&doc);
    let got: Vec<(String, String, String)> = r
        .iter()
        .map(|r| {
            let p = &r["locations"][0]["physicalLocation"];
            let g = &p["region"];
            (
                r["partialFingerprints"]["sprawlCredential/v2"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                format!(
                    "{}:{}:{}-{}:{}",
                    p["artifactLocation"]["uri"].as_str().unwrap(),
                    g["startLine"],
                    g["startColumn"],
                    g["endLine"],
                    g["endColumn"]
                ),
                format!("{} {} {}", r["ruleId"], r["ruleIndex"], r["level"]),
            )
        })
        .collect();
    let hit = |fp: &str, at: &str| {
        (
            fingerprint_of(fp),
            at.to_string(),
            "\"test.token\" 0 \"error\"".to_string(),
        )
    };
    assert_eq!(
        got,
        vec![
            hit(A, "config/settings.yml:3:12-3:36"),
            hit(A, "deep/a/b/c/unicode.py:1:9-1:33"),
            hit(A, "scripts/deploy.sh:4:14-4:38"),
            hit("tst_w8Decxy8diEuqgRm2CTb", ".env:2:7-2:31"),
            hit(B, "scripts/deploy.sh:5:13-5:37"),
        ]
    );
    let mut loc_fps: Vec<&str> = r
        .iter()
        .map(|r| {
            r["partialFingerprints"]["sprawlLocation/v2"]
                .as_str()
                .unwrap()
        })
        .collect();
    loc_fps.sort();
    loc_fps.dedup();
    assert_eq!(loc_fps.len(), 5, "each location has its own fingerprint");
}

#[test]
fn fingerprints_survive_moving_the_line() {
    let env = TestEnv::new();
    env.write("a.env", format!("X=1\nT={A}\n"));
    let (before, _) = sarif(&env, &["."]);
    env.write("a.env", format!("# new header\n\nX=1\n\n  T = {A}\n"));
    let (after, _) = sarif(&env, &["."]);
    let fps = |d: &Value| results(d)[0]["partialFingerprints"].clone();
    assert_eq!(fps(&before), fps(&after));
    let line = |d: &Value| {
        results(d)[0]["locations"][0]["physicalLocation"]["region"]["startLine"].clone()
    };
    assert_eq!((line(&before), line(&after)), (2.into(), 5.into()));
}

#[test]
fn severities_map_to_levels() {
    let env = TestEnv::new();
    let mut rules = String::new();
    for (sev, prefix) in [
        ("critical", "crt_"),
        ("medium", "med_"),
        ("low", "low_"),
        ("info", "inf_"),
    ] {
        rules.push_str(&format!(
            "[[rule]]\nid = \"t.{sev}\"\nname = \"{sev}\"\nseverity = \"{sev}\"\nkeywords = [\"{prefix}\"]\n\
             pattern = '(?P<secret>{prefix}[A-Za-z0-9]{{12}})'\n\n"
        ));
    }
    env.write("r.toml", rules);
    env.write(
        "src/a.txt",
        "crt_Zq3x9TrV8bLm\nmed_Zq3x9TrV8bLm\nlow_Zq3x9TrV8bLm\ninf_Zq3x9TrV8bLm\n",
    );
    let out = env
        .cmd()
        .args([
            "scan",
            "--no-builtin-rules",
            "--rules",
            "r.toml",
            "--format",
            "sarif",
            "-q",
            "src",
        ])
        .output()
        .unwrap();
    let doc = json(&out);
    assert_eq!(schema_errors(&doc), Vec::<String>::new());
    let mut levels: Vec<String> = results(&doc)
        .iter()
        .map(|r| {
            format!(
                "{}={}",
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap()
            )
        })
        .collect();
    levels.sort();
    assert_eq!(
        levels,
        vec![
            "t.critical=error",
            "t.info=note",
            "t.low=note",
            "t.medium=warning"
        ]
    );
}

#[test]
fn no_findings_is_a_valid_empty_run() {
    let env = TestEnv::new();
    env.write("a.txt", "nothing\n");
    let (doc, out) = sarif(&env, &["."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(schema_errors(&doc), Vec::<String>::new());
    assert_eq!(results(&doc).len(), 0);
    assert_eq!(
        doc["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
}

#[test]
fn sarif_snapshot_basic_tree() {
    let env = TestEnv::with_fixture("tree/basic");
    let (_, out) = sarif(&env, &["."]);
    let version = format!("\"{}\"", env!("CARGO_PKG_VERSION").replace('.', "\\."));
    insta::with_settings!({filters => vec![(version.as_str(), "\"[version]\"")]}, {
        insta::assert_snapshot!(stdout(&out));
    });
}
