//! Config stores, archives and encoded values (#4): one test per format over `fixtures/config/`
//! asserting rule, path, line, column, decode chain, context and the decoded secret's
//! fingerprint; archives and zip bombs are generated here, never committed.
//!
//! Rules: the config-store field rules, the generic-assignment rules and `test.token`, so the
//! results do not move when the provider rule pack changes.

use std::io::{Cursor, Write};
use std::process::Output;

use serde_json::{Value, json};

use crate::repo::Repo;
use crate::util::*;

pub(crate) const T0: &str = "tst_pJ1jI08WKAjszfLh3Y61";
pub(crate) const T1: &str = "tst_ZY5pSp8UQbz2ywLX7zcK";
pub(crate) const T2: &str = "tst_9VRxIUSBsoKHRvgKdznq";
pub(crate) const T3: &str = "tst_yDaC4h4OCirgLuF0xeD6";

/// One location of one finding: rule, fingerprint, `path:line:col`, decoded, context.
pub(crate) type Row = (String, String, String, Value, Value);

/// A temp dir holding copies of the named files from `fixtures/config/`.
fn env_with(files: &[&str]) -> TestEnv {
    let env = TestEnv::new();
    for f in files {
        let data = std::fs::read(repo().join("fixtures/config").join(f)).unwrap();
        env.write(f, data);
    }
    env
}

/// `sprawl scan` with the config-store, generic-assignment and test rules, JSON, no history.
pub(crate) fn scan(env: &TestEnv, args: &[&str]) -> Output {
    let r = |p: &str| repo().join(p).to_string_lossy().into_owned();
    let rules = [
        r("rules/config-stores.toml"),
        r("rules/generic-assignment.toml"),
        r("fixtures/rules/test.toml"),
    ];
    let mut cmd = env.cmd();
    cmd.args([
        "scan",
        "--no-builtin-rules",
        "--no-history",
        "--format",
        "json",
    ]);
    for rule in &rules {
        cmd.args(["--rules", rule]);
    }
    cmd.args(args).output().unwrap()
}

/// Every location of every finding, sorted by place.
pub(crate) fn rows(doc: &Value) -> Vec<Row> {
    let mut out = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        for l in f["locations"].as_array().unwrap() {
            out.push((
                f["rule"]["id"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    l["path"].as_str().unwrap(),
                    l["line"],
                    l["column"]
                ),
                l.get("decoded").cloned().unwrap_or(Value::Null),
                l.get("context").cloned().unwrap_or(Value::Null),
            ));
        }
    }
    out.sort_by(|a, b| a.2.cmp(&b.2));
    out
}

pub(crate) fn row(rule: &str, secret: &str, place: &str, decoded: Value, context: &str) -> Row {
    (
        rule.into(),
        fingerprint_of(secret),
        place.into(),
        decoded,
        json!(context),
    )
}

/// Scan `files` from the fixture directory and return the rows (exit code 1 asserted).
fn scan_rows(files: &[&str]) -> Vec<Row> {
    let env = env_with(files);
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    rows(&json(&out))
}

#[test]
fn dotenv_values_are_located_and_escapes_decoded() {
    // The second token follows a `\n` escape: only the unescaped value shows it as a word.
    assert_eq!(
        scan_rows(&[".env"]),
        vec![
            row("test.token", T0, ".env:2:19", Value::Null, "API_TOKEN"),
            row("test.token", T1, ".env:5:20", Value::Null, "MULTI"),
        ]
    );
}

#[test]
fn kubernetes_secret_data_is_base64_decoded_and_joins_the_raw_copy() {
    let got = scan_rows(&[".env", "k8s.yaml"]);
    assert_eq!(
        got,
        vec![
            row("test.token", T0, ".env:2:19", Value::Null, "API_TOKEN"),
            row("test.token", T1, ".env:5:20", Value::Null, "MULTI"),
            // data.api-token: base64 of T0, located at the base64 text.
            row(
                "test.token",
                T0,
                "k8s.yaml:15:14",
                json!(["base64"]),
                "Secret/app-secrets data.api-token"
            ),
            // data."app.env": a whole dotenv file, base64; its key path, then the dotenv key.
            row(
                "test.token",
                T2,
                "k8s.yaml:16:12",
                json!(["base64"]),
                "Secret/app-secrets data.\"app.env\" > TOKEN"
            ),
            // stringData is plain text.
            row(
                "test.token",
                T3,
                "k8s.yaml:18:13",
                Value::Null,
                "Secret/app-secrets stringData.webhook"
            ),
        ]
    );
    // T0 raw in .env and base64 in the Secret is one credential.
    let env = env_with(&[".env", "k8s.yaml"]);
    let doc = json(&scan(&env, &["-q", "."]));
    assert_eq!(doc["findings"].as_array().unwrap().len(), 4);
}

#[test]
fn helm_values_name_the_key_path_and_templates_are_not_secrets() {
    assert_eq!(
        scan_rows(&["values.yaml"]),
        vec![row(
            "test.token",
            "tst_69Wj5j6Np0F9dZdVKETz",
            "values.yaml:5:13",
            Value::Null,
            "auth.apiToken"
        )]
    );
}

#[test]
fn docker_config_auth_password_and_identity_token() {
    let env = env_with(&["config.json"]);
    let out = scan(&env, &["-q", "--show-secrets", "."]);
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            row(
                "docker.config.auth",
                "FM0GTeKCCmlqSd",
                "config.json:4:16",
                json!(["base64"]),
                "auths.\"ghcr.io\".auth"
            ),
            row(
                "docker.config.identity-token",
                "e5sWFKZIaPAfnsJS043CVFL4F4ei",
                "config.json:7:25",
                Value::Null,
                "auths.\"registry.acme.test\".identitytoken"
            ),
        ]
    );
    // The password, not `user:password`, is the secret.
    let secrets: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["secret"].as_str().unwrap())
        .collect();
    assert!(secrets.contains(&"FM0GTeKCCmlqSd"), "{secrets:?}");
}

#[test]
fn npmrc_token_and_base64_auth() {
    assert_eq!(
        scan_rows(&[".npmrc"]),
        vec![
            row(
                "npm.config.auth-token",
                "2b5f6a1e-8c3d-4e7a-9f10-6d2c4b8a1e37",
                ".npmrc:2:34",
                Value::Null,
                "//registry.acme.test/:_authToken"
            ),
            row(
                "npm.config.auth",
                "D8DpgM6ycTtfjQ",
                ".npmrc:3:27",
                json!(["base64"]),
                "//legacy.acme.test/:_auth"
            ),
        ]
    );
}

#[test]
fn pypirc_password() {
    assert_eq!(
        scan_rows(&[".pypirc"]),
        vec![row(
            "pypi.config.password",
            "ja9fz4j320IdTk",
            ".pypirc:8:12",
            Value::Null,
            "[internal] password"
        )]
    );
}

#[test]
fn netrc_passwords_with_machine_and_login() {
    assert_eq!(
        scan_rows(&[".netrc"]),
        vec![
            row(
                "netrc.config.password",
                "C9J4rtFsWxMC5D",
                ".netrc:4:12",
                Value::Null,
                "machine api.acme.test login robot"
            ),
            row(
                "netrc.config.password",
                "C9J4rtFsWxMC5Dx",
                ".netrc:5:34",
                Value::Null,
                "default login anonymous"
            ),
        ]
    );
}

#[test]
fn git_credentials_password_is_percent_decoded() {
    assert_eq!(
        scan_rows(&[".git-credentials"]),
        vec![row(
            "git.credentials-file",
            "nTIiLX@OxKwkq1o",
            ".git-credentials:1:16",
            json!(["url"]),
            "https://deploy@git.acme.test"
        )]
    );
}

#[test]
fn aws_credentials_file_secret_key_with_profile() {
    // The `${...}` profile is a reference, not a key.
    assert_eq!(
        scan_rows(&[".aws/credentials"]),
        vec![row(
            "aws.credentials-file.secret-access-key",
            "Yq8r2PkV0tNw4Lz6Hc1Xb9Ms3Dj5Fg7Ue0Ai2Ko4",
            ".aws/credentials:3:25",
            Value::Null,
            "[default] aws_secret_access_key"
        )]
    );
}

/// Each htpasswd scheme is reported by the rule of its algorithm, at its severity: apr1
/// (`medium`), unsalted SHA-1 (`high`), DES crypt (the htpasswd field rule, `high`).
#[test]
fn htpasswd_hashes_are_reported_as_hashes() {
    let env = env_with(&[".htpasswd"]);
    let hashes = repo().join("rules/password-hashes.toml");
    let doc = json(&scan(
        &env,
        &["-q", "--rules", hashes.to_str().unwrap(), "."],
    ));
    assert_eq!(
        rows(&doc),
        vec![
            row(
                "password-hash.apr1",
                "$apr1$Xq7uB2zK$Ju3n4sYhd9mJx0qVb1Kf8/",
                ".htpasswd:1:7",
                Value::Null,
                "user admin"
            ),
            row(
                "password-hash.ldap-unsalted",
                "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
                ".htpasswd:2:5",
                Value::Null,
                "user ops"
            ),
            row(
                "htpasswd.hash",
                "q7Sz.ODyDlO/c",
                ".htpasswd:3:8",
                Value::Null,
                "user legacy"
            ),
        ]
    );
    let severity = |rule: &str| {
        let f = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"]["id"] == rule);
        f.unwrap()["severity"].clone()
    };
    assert_eq!(severity("password-hash.apr1"), "medium");
    assert_eq!(severity("password-hash.ldap-unsalted"), "high");
    assert_eq!(severity("htpasswd.hash"), "high");
}

#[test]
fn pgpass_password_with_escaped_colon() {
    assert_eq!(
        scan_rows(&[".pgpass"]),
        vec![row(
            "postgres.pgpass",
            "VZq4H:JymYRbZfe",
            ".pgpass:2:31",
            Value::Null,
            "db.acme.test:5432:billing:app"
        )]
    );
}

#[test]
fn terraform_state_sensitive_values_and_attributes() {
    assert_eq!(
        scan_rows(&["terraform.tfstate"]),
        vec![
            row(
                "terraform.state.sensitive",
                "Sn8snfAPaIZKFWs5e",
                "terraform.tfstate:25:26",
                Value::Null,
                "aws_db_instance.main attributes.password"
            ),
            // Inside a JSON-escaped script: found in the unescaped text, located exactly.
            row(
                "test.token",
                "tst_AY8syL4GEifr0fVooKaM",
                "terraform.tfstate:29:53",
                Value::Null,
                "aws_db_instance.main attributes.init_script"
            ),
            row(
                "terraform.state.sensitive",
                "Rk4dSqlmCCKeTG0MF",
                "terraform.tfstate:8:17",
                Value::Null,
                "output \"admin_password\""
            ),
        ]
    );
}

#[test]
fn notebook_cells_and_outputs_are_named() {
    assert_eq!(
        scan_rows(&["analysis.ipynb"]),
        vec![
            row(
                "test.token",
                "tst_isKHbAPsUcJ5Lz7AfOzA",
                "analysis.ipynb:19:38",
                Value::Null,
                "cell 2, line 3"
            ),
            row(
                "test.token",
                "tst_nbWzCOmRWtWtEAg51VWU",
                "analysis.ipynb:31:22",
                Value::Null,
                "cell 3 output 1, line 1"
            ),
        ]
    );
}

#[test]
fn placeholders_are_never_findings_with_the_builtin_rules() {
    let env = env_with(&["placeholders.env"]);
    let out = env
        .cmd()
        .args(["scan", "--no-history", "--format", "json", "-q", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

// ---- archives, generated here ----

pub(crate) fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in files {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub(crate) fn tgz_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(1_704_067_200);
        b.append_data(&mut h, name, *data).unwrap();
    }
    gz(&b.into_inner().unwrap())
}

pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn archives_are_scanned_recursively_with_the_member_in_the_chain() {
    let env = TestEnv::new();
    let inner = tgz_of(&[("app/.env", format!("# x\nTOKEN={T1}\n").as_bytes())]);
    env.write(
        "dist/app.jar",
        zip_of(&[
            (
                "config/prod.env",
                format!("DEBUG=0\nAPI_TOKEN={T0}\n").as_bytes(),
            ),
            ("vendor/conf.tgz", &inner),
            ("img.bin", &[0u8, 1, 2, 3]),
        ]),
    );
    env.write("backup/creds.env.gz", gz(format!("K={T2}\n").as_bytes()));
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            row(
                "test.token",
                T2,
                "backup/creds.env.gz:1:3",
                json!(["gz:creds.env"]),
                "K"
            ),
            // Line and column are inside the member, which the chain names.
            row(
                "test.token",
                T0,
                "dist/app.jar:2:11",
                json!(["zip:config/prod.env"]),
                "API_TOKEN"
            ),
            row(
                "test.token",
                T1,
                "dist/app.jar:2:7",
                json!(["zip:vendor/conf.tgz", "gz:conf.tar", "tar:app/.env"]),
                "TOKEN"
            ),
        ]
    );
    assert_eq!(doc["issues"], json!([]));
    // Archives are scanned files, not skipped binaries.
    assert_eq!(doc["summary"]["files_scanned"], 2);
    assert_eq!(doc["summary"]["skipped"]["binary"], 0);
}

/// Issue 20: a zip bomb cut off at the cap leaves the members after it unscanned: the scan goes
/// on, and says it is partial (`summary.partial`, issue kind `truncated`, exit 2), unless
/// `--allow-partial` accepts that (#20).
#[test]
fn issue_20_zip_bomb_is_cut_off_at_the_cap_and_the_scan_is_partial() {
    let env = TestEnv::new();
    // 8 MiB of zeros deflate to a few KiB; the cap is 1 MiB. The token sits past the cap.
    let mut bomb = vec![0u8; 8 << 20];
    bomb.extend_from_slice(format!("\nTOKEN={T0}\n").as_bytes());
    env.write(
        "bomb.zip",
        zip_of(&[
            ("a/first.env", format!("X={T1}\n").as_bytes()),
            ("zeros.txt", &bomb),
            ("after.env", format!("Y={T2}\n").as_bytes()),
        ]),
    );
    env.write("next.env", format!("Z={T3}\n"));
    let out = scan(&env, &["--max-decompressed-size", "1MiB", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json(&out);
    let found: Vec<String> = rows(&doc).into_iter().map(|r| r.2).collect();
    // The member before the bomb and the next file are scanned; nothing past the cap is.
    assert_eq!(
        found,
        vec!["bomb.zip:1:3".to_string(), "next.env:1:3".to_string()]
    );
    assert_eq!(
        doc["issues"],
        json!([{
            "kind": "truncated",
            "path": "bomb.zip",
            "reason": "decompressed size cap (1048576 bytes) reached; rest of the archive skipped (raise it with --max-decompressed-size)"
        }])
    );
    assert_eq!(doc["summary"]["partial"], true);
    assert_eq!(doc["summary"]["errors"], 0);
    assert!(
        stderr(&out).contains("warning: bomb.zip: decompressed size cap"),
        "{}",
        stderr(&out)
    );
    // Accepted on request: the findings decide the exit code; the report still says partial.
    let out = scan(
        &env,
        &["--max-decompressed-size", "1MiB", "--allow-partial", "."],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(json(&out)["summary"]["partial"], true);
    // The human view says so before anything else.
    let out = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--max-decompressed-size", "1MiB", "--color", "never", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let last = stdout(&out).lines().last().unwrap_or_default().to_string();
    assert!(last.starts_with("PARTIAL SCAN"), "{last}");
}

#[test]
fn encrypted_and_corrupt_archives_are_skipped_with_the_reason() {
    let env = TestEnv::new();
    let mut enc = zip_of(&[("secret.env", format!("A={T0}\n").as_bytes())]);
    // Set the "encrypted" flag (bit 0 of the general-purpose flags) in the local and central
    // headers: readers then need a password.
    enc[6] |= 1;
    let cd = enc.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    enc[cd + 8] |= 1;
    env.write("locked.zip", enc);
    let good = zip_of(&[("b.env", format!("B={T1}\n").as_bytes())]);
    env.write("broken.zip", &good[..good.len() - 10]);
    env.write("ok.env", format!("C={T2}\n"));
    let out = scan(&env, &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let found: Vec<String> = rows(&doc).into_iter().map(|r| r.2).collect();
    assert_eq!(found, vec!["ok.env:1:3".to_string()]);
    let mut issues: Vec<(String, String, String)> = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().unwrap().into(),
                i["path"].as_str().unwrap().into(),
                i["reason"].as_str().unwrap().into(),
            )
        })
        .collect();
    issues.sort();
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert_eq!(issues[0].0, "encrypted");
    assert_eq!(issues[0].1, "locked.zip");
    assert_eq!(issues[0].2, "zip:secret.env: encrypted member skipped");
    assert_eq!(issues[1].0, "malformed");
    assert_eq!(issues[1].1, "broken.zip");
    assert!(
        issues[1].2.starts_with("corrupt zip archive: "),
        "{issues:?}"
    );
}

#[test]
fn nesting_and_member_caps_are_flags() {
    let env = TestEnv::new();
    let inner = zip_of(&[("deep.env", format!("A={T0}\n").as_bytes())]);
    env.write(
        "outer.zip",
        zip_of(&[
            ("one.env", format!("B={T1}\n").as_bytes()),
            ("inner.zip", &inner),
            ("three.env", format!("C={T2}\n").as_bytes()),
        ]),
    );
    let out = scan(&env, &["--max-archive-depth", "1", "."]);
    let doc = json(&out);
    let found: Vec<Value> = rows(&doc).into_iter().map(|r| r.3).collect();
    assert_eq!(
        found,
        vec![json!(["zip:one.env"]), json!(["zip:three.env"])]
    );
    assert_eq!(
        doc["issues"][0]["reason"],
        "zip:inner.zip: archive nesting cap (1) reached; not opened"
    );
    let out = scan(&env, &["--max-archive-members", "1", "."]);
    let doc = json(&out);
    assert_eq!(rows(&doc).len(), 1);
    assert_eq!(doc["issues"][0]["kind"], "truncated");
    assert_eq!(
        doc["issues"][0]["reason"],
        "member cap (1) reached; 2 more members skipped"
    );
}

#[test]
fn malformed_yaml_json_and_notebooks_fall_back_to_text() {
    let env = TestEnv::new();
    env.write(
        "bad.yaml",
        format!("kind: Secret\ndata: [\n  token: {T0}\n"),
    );
    env.write(
        "bad.ipynb",
        format!("{{\"cells\": [{{\"source\": [\"k = '{T1}'\"]\n"),
    );
    env.write("bad.tfstate", format!("{{\"resources\": [ {T2}"));
    let out = scan(&env, &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let plain = |secret: &str, place: &str| -> Row {
        (
            "test.token".into(),
            fingerprint_of(secret),
            place.into(),
            Value::Null,
            Value::Null,
        )
    };
    assert_eq!(
        rows(&doc),
        vec![
            plain(T1, "bad.ipynb:1:30"),
            plain(T2, "bad.tfstate:1:17"),
            plain(T0, "bad.yaml:3:10"),
        ]
    );
    // Notebooks and state files are machine-written: a broken one is worth a warning. Broken
    // YAML (a Helm template) is normal and silent.
    let mut issues: Vec<&str> = doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    issues.sort();
    assert_eq!(issues, vec!["bad.ipynb", "bad.tfstate"]);
}

#[test]
fn stdin_is_scanned_under_its_name() {
    let env = TestEnv::new();
    let secret = std::fs::read_to_string(repo().join("fixtures/config/k8s.yaml")).unwrap();
    let run = |args: &[&str]| {
        let r = |p: &str| repo().join(p).to_string_lossy().into_owned();
        env.cmd()
            .args([
                "scan",
                "--no-builtin-rules",
                "--rules",
                &r("fixtures/rules/test.toml"),
                "--format",
                "json",
                "-q",
            ])
            .args(args)
            .write_stdin(secret.clone())
            .output()
            .unwrap()
    };
    let doc = json(&run(&["-", "--stdin-name", "deploy/secret.yaml"]));
    let r = rows(&doc);
    assert_eq!(r.len(), 3, "{r:?}");
    assert_eq!(r[0].2, "deploy/secret.yaml:15:14");
    assert_eq!(r[0].3, json!(["base64"]));
    let l = &doc["findings"][0]["locations"][0];
    assert_eq!(
        (l["root"].as_str(), l["source"].as_str()),
        (Some("-"), Some("stdin"))
    );
    // Without a name the path is `-`; the manifest is recognised by its content.
    let doc = json(&run(&["-"]));
    let places: Vec<String> = rows(&doc).into_iter().map(|r| r.2).collect();
    assert_eq!(places, vec!["-:15:14", "-:16:12", "-:18:13"]);
}

#[test]
fn git_history_blobs_are_decoded_too() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let secret =
        std::fs::read_to_string(crate::util::repo().join("fixtures/config/k8s.yaml")).unwrap();
    repo.commit(&[("deploy/secret.yaml", &secret)], &[], "add");
    repo.commit(&[], &["deploy/secret.yaml"], "remove");
    let out = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--format", "json", "-q", "--history-only", "."])
        .output()
        .unwrap();
    let doc = json(&out);
    let r = rows(&doc);
    assert_eq!(
        r.iter()
            .map(|r| (r.2.as_str(), &r.3, &r.4))
            .collect::<Vec<_>>(),
        vec![
            (
                "deploy/secret.yaml:15:14",
                &json!(["base64"]),
                &json!("Secret/app-secrets data.api-token")
            ),
            (
                "deploy/secret.yaml:16:12",
                &json!(["base64"]),
                &json!("Secret/app-secrets data.\"app.env\" > TOKEN")
            ),
            (
                "deploy/secret.yaml:18:13",
                &Value::Null,
                &json!("Secret/app-secrets stringData.webhook")
            ),
        ]
    );
    assert_eq!(doc["findings"][0]["locations"][0]["source"], "git");
}

/// A distinct test token per number (`tst_` + 20 alphanumerics, entropy above the rule's floor).
fn nth_token(n: usize) -> String {
    format!("tst_Nest{n:02}q7Rx2LbVmZk9Wp")
}

#[test]
fn nested_archive_bomb_stops_at_the_default_nesting_cap() {
    // Ten zips inside one another, each with a token of its own next to the next zip.
    let env = TestEnv::new();
    let mut inner = zip_of(&[("l0.env", format!("K={}\n", nth_token(0)).as_bytes())]);
    for k in 1..=10 {
        inner = zip_of(&[
            (
                &format!("l{k}.env"),
                format!("K={}\n", nth_token(k)).as_bytes(),
            ),
            (&format!("n{}.zip", k - 1), &inner),
        ]);
    }
    env.write("bomb.zip", &inner);
    env.write("next.env", format!("Z={T3}\n"));
    let out = scan(&env, &["."]);
    // Partial (issue 20): what lies past the cap was not scanned.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json(&out);
    let chain = |levels: &[usize], last: &str| -> Value {
        let mut c: Vec<String> = levels.iter().map(|k| format!("zip:n{k}.zip")).collect();
        c.push(format!("zip:{last}"));
        json!(c)
    };
    // The default cap is 4 archives deep: levels 10 (the file) to 7 are read, no deeper.
    let mut expected = vec![
        row(
            "test.token",
            &nth_token(10),
            "bomb.zip:1:3",
            chain(&[], "l10.env"),
            "K",
        ),
        row(
            "test.token",
            &nth_token(9),
            "bomb.zip:1:3",
            chain(&[9], "l9.env"),
            "K",
        ),
        row(
            "test.token",
            &nth_token(8),
            "bomb.zip:1:3",
            chain(&[9, 8], "l8.env"),
            "K",
        ),
        row(
            "test.token",
            &nth_token(7),
            "bomb.zip:1:3",
            chain(&[9, 8, 7], "l7.env"),
            "K",
        ),
        row("test.token", T3, "next.env:1:3", Value::Null, "Z"),
    ];
    let mut got = rows(&doc);
    let key = |r: &Row| (r.2.clone(), r.3.to_string());
    got.sort_by_key(key);
    expected.sort_by_key(key);
    assert_eq!(got, expected);
    assert_eq!(
        doc["issues"],
        json!([{"kind": "truncated", "path": "bomb.zip", "reason":
            "zip:n9.zip > zip:n8.zip > zip:n7.zip > zip:n6.zip: archive nesting cap (4) reached; not opened"}])
    );
    assert_eq!(
        stderr(&out),
        "warning: bomb.zip: zip:n9.zip > zip:n8.zip > zip:n7.zip > zip:n6.zip: archive nesting \
         cap (4) reached; not opened\n"
    );
}

#[test]
fn many_members_archive_stops_at_the_default_member_cap() {
    let env = TestEnv::new();
    let first = format!("K={T0}\n");
    let last = format!("K={T1}\n");
    let mut members: Vec<(String, Vec<u8>)> = vec![("m00000.env".into(), first.into_bytes())];
    for i in 1..10_004 {
        members.push((format!("m{i:05}.txt"), b"x\n".to_vec()));
    }
    members.push(("m10004.env".into(), last.into_bytes()));
    let refs: Vec<(&str, &[u8])> = members
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    env.write("many.zip", zip_of(&refs));
    env.write("next.env", format!("Z={T3}\n"));
    let out = scan(&env, &["-q", "."]);
    // Partial (issue 20): the members past the cap were not scanned.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            row(
                "test.token",
                T0,
                "many.zip:1:3",
                json!(["zip:m00000.env"]),
                "K"
            ),
            row("test.token", T3, "next.env:1:3", Value::Null, "Z"),
        ]
    );
    assert_eq!(
        doc["issues"],
        json!([{"kind": "truncated", "path": "many.zip", "reason":
            "member cap (10000) reached; 5 more members skipped"}])
    );
}
