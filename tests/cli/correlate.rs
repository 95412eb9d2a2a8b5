//! The correlator end to end: three applications (two repositories, one a monorepo with
//! services) and a config folder share credentials; one finding per credential with its
//! applications, environments, owners, live/history flags, plan and order.

use serde_json::{Value, json};

use crate::repo::Repo;
use crate::util::*;

const A: &str = "tst_Q7mKp2ZxR9vLc4TnW8yB";
const B: &str = "tst_H3jDs6FgY1uPo5XeN0aM";
const C: &str = "tst_V9bLq4KtZ2wRn7CyJ6sE";

/// `org/shop` (repo), `org/mono` (repo with two services), `org/infra` (plain folder).
fn build(env: &TestEnv) {
    let shop = Repo::init(&env.path().join("org/shop"));
    shop.commit(
        &[
            ("package.json", "{}\n"),
            ("CODEOWNERS", "* @shop-team\n"),
            ("config/prod.env", &format!("TOKEN={A}\n")),
        ],
        &[],
        "shop",
    );
    let mono = Repo::init(&env.path().join("org/mono"));
    mono.commit(
        &[
            (
                "CODEOWNERS",
                "/services/billing/ @billing-team\n/services/search/ @search-team\n",
            ),
            ("services/billing/Cargo.toml", "[package]\n"),
            (
                "services/billing/.env.production",
                &format!("API_TOKEN={A}\n"),
            ),
            ("services/search/package.json", "{}\n"),
            ("services/search/config.yml", &format!("token: {B}\n")),
            ("old.txt", &format!("{C}\n")),
        ],
        &[],
        "mono 1",
    );
    mono.commit(&[], &["old.txt"], "mono 2: remove old token");
    env.write(
        "org/infra/k8s/overlays/staging/app.env",
        format!("TOKEN={A}\n"),
    );
}

fn scan(env: &TestEnv) -> Value {
    let rules = test_rules();
    let out = env
        .cmd()
        .current_dir(env.path().join("org"))
        .args([
            "scan",
            "--no-builtin-rules",
            "--rules",
            rules.to_str().unwrap(),
        ])
        .args(["--format", "json", "-q", "shop", "mono", "infra"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    json(&out)
}

fn by_fp<'a>(doc: &'a Value, secret: &str) -> &'a Value {
    let fp = fingerprint_of(secret);
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fingerprint"] == fp.as_str())
        .unwrap_or_else(|| panic!("no finding for {secret}"))
}

#[test]
fn one_finding_per_credential_with_its_blast_radius() {
    let env = TestEnv::new();
    build(&env);
    let doc = scan(&env);
    let order: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    // A: three applications, live, production -> highest risk; B: one app, live; C: history only.
    assert_eq!(
        order,
        vec![fingerprint_of(A), fingerprint_of(B), fingerprint_of(C)]
    );

    let a = by_fp(&doc, A);
    let places: Vec<(String, String, String)> = a["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["source"].as_str().unwrap().to_string(),
                format!(
                    "{}/{}",
                    l["root"].as_str().unwrap(),
                    l["path"].as_str().unwrap()
                ),
                l["application"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let p = |s: &str, path: &str, app: &str| (s.to_string(), path.to_string(), app.to_string());
    assert_eq!(
        places,
        vec![
            p("file", "infra/k8s/overlays/staging/app.env", "infra"),
            p(
                "file",
                "mono/services/billing/.env.production",
                "mono/services/billing"
            ),
            p(
                "git",
                "mono/services/billing/.env.production",
                "mono/services/billing"
            ),
            p("file", "shop/config/prod.env", "shop"),
            p("git", "shop/config/prod.env", "shop"),
        ]
    );
    let b = &a["blast_radius"];
    assert_eq!(b["locations"], 5);
    assert_eq!(b["live"], true);
    assert_eq!(b["environments"], json!(["production", "staging"]));
    // `.env` files are config stores: their hits name the key (`context`).
    assert_eq!(b["sources"], json!(["config-store", "file", "git-history"]));
    let apps: Vec<(&str, &Value, &Value)> = b["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap(),
                &x["owners"],
                &x["environments"],
            )
        })
        .collect();
    let ada = "Ada Lovelace <ada@example.com>";
    assert_eq!(
        apps,
        vec![
            (
                "mono/services/billing",
                &json!(["@billing-team", ada]),
                &json!(["production"])
            ),
            ("shop", &json!(["@shop-team", ada]), &json!(["production"])),
            ("infra", &json!([]), &json!(["staging"])),
        ]
    );
    assert_eq!(b["first_seen"]["author"], "Ada Lovelace");
    // risk: high (7) x (1 + log2 3) x live 2 x production 2 = 72.4
    assert_eq!(b["risk"], 72.4);
    let plan: Vec<&str> = a["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(plan, vec!["revoke", "notify", "replace", "purge", "verify"]);
    assert_eq!(a["plan"][2]["targets"].as_array().unwrap().len(), 3);

    let bb = by_fp(&doc, B);
    assert_eq!(
        bb["blast_radius"]["applications"][0]["name"],
        "mono/services/search"
    );
    assert_eq!(
        bb["blast_radius"]["applications"][0]["owners"],
        json!(["@search-team", ada])
    );

    let c = by_fp(&doc, C);
    assert_eq!(c["live"], false);
    assert_eq!(c["blast_radius"]["live"], false);
    assert_eq!(c["blast_radius"]["applications"][0]["name"], "mono");
    let plan: Vec<&str> = c["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(plan, vec!["revoke", "notify", "purge", "verify"]);
}

#[test]
fn output_is_deterministic() {
    let env = TestEnv::new();
    build(&env);
    let strip = |mut v: Value| {
        v["summary"]["elapsed_ms"] = json!(0);
        v
    };
    let first = strip(scan(&env));
    for _ in 0..3 {
        assert_eq!(first, strip(scan(&env)));
    }
}

#[test]
fn one_credential_raw_base64_and_percent_encoded_is_one_finding() {
    // The same token raw in an app config, base64 in a Kubernetes Secret, percent-encoded in a
    // URL: identity is the decoded value, so it is one finding with three locations.
    let env = TestEnv::new();
    env.write("app/config.env", format!("TOKEN={A}\n"));
    let b64 = "dHN0X1E3bUtwMlp4Ujl2TGM0VG5XOHlC"; // base64 of A
    env.write(
        "k8s/secret.yaml",
        format!("apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  TOKEN: {b64}\n"),
    );
    env.write(
        "ci/deploy.sh",
        format!("curl \"https://h/x?t={}\"\n", A.replace('_', "%5F")),
    );
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1);
    let f = &doc["findings"][0];
    assert_eq!(f["fingerprint"], fingerprint_of(A));
    let locs: Vec<(String, u64, u64, Value)> = f["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["path"].as_str().unwrap().to_string(),
                l["line"].as_u64().unwrap(),
                l["column"].as_u64().unwrap(),
                l.get("decoded").cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    assert_eq!(
        locs,
        vec![
            ("app/config.env".to_string(), 1, 7, Value::Null),
            ("ci/deploy.sh".to_string(), 1, 7, json!(["url"])),
            ("k8s/secret.yaml".to_string(), 6, 10, json!(["base64"])),
        ]
    );
    assert_eq!(
        f["blast_radius"]["sources"],
        json!(["config-store", "file"])
    );
}

#[test]
fn application_and_environment_overrides_from_config() {
    let env = TestEnv::new();
    env.write(
        ".sprawl.toml",
        "[[applications]]\nname = \"payments\"\npaths = [\"svc/**\"]\n\n[[environments]]\nname = \"production\"\npaths = [\"deploy/**\"]\n",
    );
    env.write("svc/billing/app.env", format!("TOKEN={A}\n"));
    env.write("deploy/values.yaml", format!("token: {A}\n"));
    let doc = json(&env.scan_test_rules(&["."]));
    let b = &doc["findings"][0]["blast_radius"];
    let apps: Vec<&str> = b["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(apps.len(), 2);
    assert!(apps.contains(&"payments"), "{apps:?}");
    assert_eq!(b["environments"], json!(["production"]));
    let envs: Vec<Value> = doc["findings"][0]["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.get("environment").cloned().unwrap_or(Value::Null))
        .collect();
    assert_eq!(envs, vec![json!("production"), Value::Null]);
}

#[test]
fn one_place_read_by_two_readers_is_one_location() {
    // A YAML settings value is read as an entry (context: its key) and through the YAML
    // structure (context: its key path); a compose list item likewise. Each place is listed
    // once, with the key path.
    let env = TestEnv::new();
    let pw = "Wq9Zr3Lm7Xk2vB4n"; // fake
    let jwt = "CzOCUvP1U5ygkAW2oS1zQ"; // fake
    env.write(
        "svc/application.yml",
        format!("spring:\n  datasource:\n    password: {pw}\n"),
    );
    env.write(
        "svc/docker-compose.yml",
        format!(
            "services:\n  api:\n    environment:\n      - DB_PASSWORD={pw}\n      - JWT_SECRET=${{JWT_SECRET:-{jwt}}}\n"
        ),
    );
    let out = env
        .cmd()
        .args([
            "scan",
            "--no-config",
            "--no-cache",
            "--format",
            "json",
            "-q",
            "svc",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let places = |secret: &str| -> Vec<(String, u64, String)> {
        let f = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["fingerprint"] == fingerprint_of(secret))
            .unwrap_or_else(|| panic!("no finding for {secret}: {doc}"));
        f["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["path"].as_str().unwrap().to_string(),
                    l["line"].as_u64().unwrap(),
                    l["context"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        places(pw),
        [
            (
                "application.yml".to_string(),
                3,
                "spring.datasource.password".to_string()
            ),
            (
                "docker-compose.yml".to_string(),
                4,
                "services.api.environment[0]".to_string()
            ),
        ]
    );
    assert_eq!(
        places(jwt),
        [(
            "docker-compose.yml".to_string(),
            5,
            "services.api.environment[1]".to_string()
        )]
    );
}
