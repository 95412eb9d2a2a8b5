//! `--format html` (#16): one self-contained page holding the `--format json` document,
//! written 0600, redacted unless `--show-secrets`, safe against file names that hold markup.
//! What the page does with the data is tested in a real browser by `tests/browser/`.

use serde_json::Value;

use crate::util::*;

/// The three `tst_` tokens of `fixtures/tree/basic` (fake, see fixtures/README.md).
const TOKENS: [&str; 3] = [
    "tst_iKE9Ii14QitQCsqfNISB",
    "tst_mGS4LgIeMdWRDwhduGKZ",
    "tst_w8Decxy8diEuqgRm2CTb",
];

/// The JSON document embedded in a page.
fn embedded(html: &str) -> Value {
    let open = r#"<script type="application/json" id="sprawl-data">"#;
    let start = html.find(open).expect("data element") + open.len();
    let end = start
        + html[start..]
            .find("</script>")
            .expect("data element closed");
    serde_json::from_str(&html[start..end]).expect("embedded JSON")
}

fn scan_html(env: &TestEnv, extra: &[&str]) -> String {
    let out = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["-q", "--format", "html", "--output", "report.html"])
        .args(extra)
        .arg(".")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    std::fs::read_to_string(env.path().join("report.html")).unwrap()
}

#[test]
fn html_report_is_private_embeds_the_json_document_and_is_redacted() {
    let env = TestEnv::with_fixture("tree/basic");
    let html = scan_html(&env, &[]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(env.path().join("report.html")).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none';"#)
    );
    let doc = embedded(&html);
    let json = json(&env.scan_test_rules(&["."]));
    assert_eq!(doc["findings"], json["findings"]);
    assert_eq!(doc["schema_version"], json["schema_version"]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 3);
    for token in TOKENS {
        assert!(!html.contains(token), "the page holds {token}");
        assert!(
            !html.contains(&token[4..]),
            "the page holds part of {token}"
        );
    }

    // With --show-secrets the values are there: the check above can fail.
    let shown = scan_html(&env, &["--show-secrets"]);
    for token in TOKENS {
        assert!(shown.contains(token), "--show-secrets hides {token}");
    }
}

#[test]
fn a_path_holding_a_script_end_tag_stays_data() {
    let env = TestEnv::new();
    // Directories `x<` and `script>`: the path reads `x</script>/.env`.
    env.write(
        "x</script>/<!--a&b-->.env",
        format!("TOKEN={}\n", TOKENS[0]),
    );
    let html = scan_html(&env, &[]);
    // Only the two real elements close; the value is escaped inside the data.
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(html.contains(r"x\u003c/script\u003e/\u003c!--a\u0026b--\u003e.env"));
    let doc = embedded(&html);
    assert_eq!(
        doc["findings"][0]["locations"][0]["path"],
        "x</script>/<!--a&b-->.env"
    );
}

#[test]
fn merge_writes_html_from_reports() {
    let env = TestEnv::with_fixture("tree/basic");
    let out = env.scan_test_rules(&["--output", "r.json", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let out = env
        .cmd()
        .args(["merge", "r.json", "--format", "html", "--output", "m.html"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let html = std::fs::read_to_string(env.path().join("m.html")).unwrap();
    let doc = embedded(&html);
    let scanned: Value =
        serde_json::from_slice(&std::fs::read(env.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(doc["findings"], scanned["findings"]);
    for token in TOKENS {
        assert!(!html.contains(token), "the merged page holds {token}");
    }
}
