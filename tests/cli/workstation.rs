//! `sprawl scan --workstation`: a fake home built by each test in a temporary directory, with
//! fake values only (random `tst_` tokens for the test rule, structurally valid keys built at
//! run time). The environment of each run is cleared and set explicitly, so nothing from the
//! machine running the tests can appear in a report.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::repo::Repo;
use crate::safety::snapshot;
use crate::util::*;

/// Every row of the documented table (`source::workstation::TABLE`): the pattern, a file it
/// matches, the tool reported, and the file's contents holding one fake token.
const HOME: &[(&str, &str, &str, &str)] = &[
    (
        ".aws/credentials",
        ".aws/credentials",
        "aws-cli",
        "[default]\naws_session_token = tst_cINuQzCSkx40vseZ5bKY\n",
    ),
    (
        ".aws/config",
        ".aws/config",
        "aws-cli",
        "[profile ci]\naws_secret_access_key = tst_8WSSAHBLK7ytVhv57mzv\n",
    ),
    (
        ".aws/sso/cache/*.json",
        ".aws/sso/cache/5f1e.json",
        "aws-cli",
        "{\"accessToken\": \"tst_TzfNXlqHeIURPZCOwoCk\", \"expiresAt\": \"2030-01-01T00:00:00Z\"}",
    ),
    (
        ".aws/cli/cache/*.json",
        ".aws/cli/cache/9a2b.json",
        "aws-cli",
        "{\"Credentials\": {\"SessionToken\": \"tst_qpiTlzcvWtupRUcAEKtE\"}}",
    ),
    (
        ".azure/msal_token_cache.json",
        ".azure/msal_token_cache.json",
        "azure-cli",
        "{\"RefreshToken\": {\"k\": {\"secret\": \"tst_pghDHULwodF1RG9YaQBI\"}}}",
    ),
    (
        ".azure/accessTokens.json",
        ".azure/accessTokens.json",
        "azure-cli",
        "[{\"accessToken\": \"tst_jLNCie4VMQC3YRSgjTZI\"}]",
    ),
    (
        ".azure/service_principal_entries.json",
        ".azure/service_principal_entries.json",
        "azure-cli",
        "[{\"client_secret\": \"tst_r1ZbqCURhMmKxp0sP0r7\"}]",
    ),
    (
        ".config/gcloud/application_default_credentials.json",
        ".config/gcloud/application_default_credentials.json",
        "gcloud",
        "{\"refresh_token\": \"tst_ZI8oSh4al3hD7TUrcjpz\", \"type\": \"authorized_user\"}",
    ),
    (
        ".config/gcloud/legacy_credentials/*/adc.json",
        ".config/gcloud/legacy_credentials/dev@acme.test/adc.json",
        "gcloud",
        "{\"refresh_token\": \"tst_8RPzBkhwSlUvwTx5cIIS\"}",
    ),
    (
        ".config/gcloud/legacy_credentials/*/.boto",
        ".config/gcloud/legacy_credentials/dev@acme.test/.boto",
        "gcloud",
        "[Credentials]\ngs_oauth2_refresh_token = tst_Anhj2uEK4cuRGtjJ9ZDe\n",
    ),
    (
        ".config/gcloud/*.db",
        ".config/gcloud/access_tokens.db",
        "gcloud",
        "tst_cuGzU7Q8jfZcoTEhJNNs",
    ),
    (
        ".config/gcloud/*.json",
        ".config/gcloud/sa-key.json",
        "gcloud",
        "{\"type\": \"service_account\", \"token\": \"tst_dgZaqzjNluJh4FyV2mIH\"}",
    ),
    (
        ".config/gcloud/*/*.json",
        ".config/gcloud/keys/ci.json",
        "gcloud",
        "{\"token\": \"tst_eULtyB87X2uLjnRuR1wL\"}",
    ),
    (
        ".kube/config",
        ".kube/config",
        "kubectl",
        "apiVersion: v1\nkind: Config\nusers:\n- name: dev\n  user:\n    token: tst_wKchWBWeK3AE91RqPpv7\n",
    ),
    (
        ".kube/*.yaml",
        ".kube/prod.yaml",
        "kubectl",
        "apiVersion: v1\nkind: Config\nusers:\n- name: ops\n  user:\n    password: tst_8bbd4aRSxk8Lg5dpvixj\n",
    ),
    (
        ".kube/*.yml",
        ".kube/stage.yml",
        "kubectl",
        "kind: Config\nusers:\n- name: ops\n  user:\n    token: tst_fDK98w8SCVlPlKaoYlVK\n",
    ),
    (
        ".kube/*.kubeconfig",
        ".kube/eks.kubeconfig",
        "kubectl",
        "kind: Config\nusers:\n- name: ops\n  user:\n    token: tst_fmLcZGGaC5QHs4H8q0ut\n",
    ),
    (
        ".docker/config.json",
        ".docker/config.json",
        "docker",
        "{\"auths\": {\"ghcr.io\": {\"identitytoken\": \"tst_qDMRre102cxlAzj4XYPH\"}}}",
    ),
    (
        ".terraform.d/credentials.tfrc.json",
        ".terraform.d/credentials.tfrc.json",
        "terraform",
        "{\"credentials\": {\"app.terraform.io\": {\"token\": \"tst_HglY69Ldev3d3GG8ATiP\"}}}",
    ),
    (
        ".config/doctl/config.yaml",
        ".config/doctl/config.yaml",
        "doctl",
        "access-token: tst_Pq1nPzi2CavtjV3CxGKI\n",
    ),
    (
        "Library/Application Support/doctl/config.yaml",
        "Library/Application Support/doctl/config.yaml",
        "doctl",
        "access-token: tst_OQjbHWQQlKRfoyuAfrfs\n",
    ),
    (
        ".config/hcloud/cli.toml",
        ".config/hcloud/cli.toml",
        "hcloud",
        "[[contexts]]\nname = \"dev\"\ntoken = \"tst_fsQHdRqC6qixI4DDFSG9\"\n",
    ),
    (
        ".oci/config",
        ".oci/config",
        "oci-cli",
        "[DEFAULT]\npass_phrase = tst_eWeNQbaAdeHB3ijXb8mM\n",
    ),
    (
        ".oci/*.pem",
        ".oci/oci_api_key.pem",
        "oci-cli",
        "# key for tst_LKa0S1czj87jst5KgVEt\n",
    ),
    (
        ".npmrc",
        ".npmrc",
        "npm",
        "//registry.npmjs.org/:_authToken=tst_BM4WKZ6KOumbNALPTDtp\n",
    ),
    (
        ".yarnrc.yml",
        ".yarnrc.yml",
        "yarn",
        "npmAuthToken: tst_94Bh8i3CjTJqK2JsLhI6\n",
    ),
    (
        ".pypirc",
        ".pypirc",
        "pypi",
        "[pypi]\nusername = __token__\npassword = tst_NPHTCpTlQtRBhd33gB5D\n",
    ),
    (
        ".config/pip/pip.conf",
        ".config/pip/pip.conf",
        "pip",
        "[global]\nindex-url = https://ci:tst_f3kfaT5uVgeBdiS5x6kS@pypi.acme.test/simple\n",
    ),
    (
        ".pip/pip.conf",
        ".pip/pip.conf",
        "pip",
        "[global]\nextra-index-url = https://ci:tst_zsaZFXnzXgWZJsN42y23@pypi.acme.test/simple\n",
    ),
    (
        "Library/Application Support/pip/pip.conf",
        "Library/Application Support/pip/pip.conf",
        "pip",
        "[global]\nindex-url = https://ci:tst_8DWSGjjoaAyjHunz0P1J@pypi.acme.test/simple\n",
    ),
    (
        ".cargo/credentials.toml",
        ".cargo/credentials.toml",
        "cargo",
        "[registry]\ntoken = \"tst_80MbunVif9mrzuWWdesX\"\n",
    ),
    (
        ".cargo/credentials",
        ".cargo/credentials",
        "cargo",
        "[registries.acme]\ntoken = \"tst_1Y1mSIMeg0VN1Xfl1FcC\"\n",
    ),
    (
        ".gem/credentials",
        ".gem/credentials",
        "gem",
        "---\n:rubygems_api_key: tst_og898Mu5QNQzYHQOs6BY\n",
    ),
    (
        ".m2/settings.xml",
        ".m2/settings.xml",
        "maven",
        "<settings><servers><server><id>acme</id><password>tst_9i2t91WMS2Etz6ekchcG</password></server></servers></settings>\n",
    ),
    (
        ".gradle/gradle.properties",
        ".gradle/gradle.properties",
        "gradle",
        "acmeRepoPassword=tst_Uk2qv00JcINGX5z2JtlY\n",
    ),
    (
        ".nuget/NuGet/NuGet.Config",
        ".nuget/NuGet/NuGet.Config",
        "nuget",
        "<configuration><packageSourceCredentials><acme><add key=\"ClearTextPassword\" value=\"tst_3HgDreg9t6jm3KEOVVS6\" /></acme></packageSourceCredentials></configuration>\n",
    ),
    (
        ".config/NuGet/NuGet.Config",
        ".config/NuGet/NuGet.Config",
        "nuget",
        "<configuration><add key=\"ClearTextPassword\" value=\"tst_MzIvsNaTY4XdHwHrd6R7\" /></configuration>\n",
    ),
    (
        ".netrc",
        ".netrc",
        "netrc",
        "machine api.acme.test login ci password tst_2vDvbcp95LtURgdTHvZn\n",
    ),
    (
        "_netrc",
        "_netrc",
        "netrc",
        "machine git.acme.test login ci password tst_ruLaTDMKjlTw2bZs6O8t\n",
    ),
    (
        ".git-credentials",
        ".git-credentials",
        "git",
        "https://ci:tst_uVrAWFlm65ViWZF7X1QM@git.acme.test\n",
    ),
    (
        ".config/git/credentials",
        ".config/git/credentials",
        "git",
        "https://ops:tst_UBM164H1GP3gaJIE0Kir@git.acme.test\n",
    ),
    (
        ".config/gh/hosts.yml",
        ".config/gh/hosts.yml",
        "gh",
        "github.com:\n    oauth_token: tst_bk4xDA1mkmf5XUVRfhHA\n    user: dev\n",
    ),
    (
        ".config/glab-cli/config.yml",
        ".config/glab-cli/config.yml",
        "glab",
        "hosts:\n  gitlab.com:\n    token: tst_Tw4oKhot3rz25QIrhv15\n",
    ),
    (
        "Library/Application Support/glab-cli/config.yml",
        "Library/Application Support/glab-cli/config.yml",
        "glab",
        "hosts:\n  gitlab.acme.test:\n    token: tst_DzKukrPCpoiEKzBi458N\n",
    ),
    (
        ".pgpass",
        ".pgpass",
        "psql",
        "db.acme.test:5432:app:app:tst_5hDrVBCGOsGSRV2bxjxF\n",
    ),
    (
        ".my.cnf",
        ".my.cnf",
        "mysql",
        "[client]\npassword=tst_gMy0ftb6lhy0Iwm4zbDP\n",
    ),
    (
        ".ssh/*",
        ".ssh/deploy_notes",
        "ssh",
        "# rotate tst_2pqBNPP3HLMXyuQYI4gW\n",
    ),
    (
        ".bash_history",
        ".bash_history",
        "shell-history",
        "#1700000000\nexport API_TOKEN=tst_CYeELzPtsJvYIQcX5Jdh\n",
    ),
    (
        ".zsh_history",
        ".zsh_history",
        "shell-history",
        ": 1700000000:0;curl -H 'Authorization: Bearer tst_Kpu4Qsto7M4yQOtwZPrl' https://api.acme.test\n",
    ),
    (
        ".histfile",
        ".histfile",
        "shell-history",
        "export API_TOKEN=tst_P3eRFkcOVt69ABifsp9Y\n",
    ),
    (
        ".sh_history",
        ".sh_history",
        "shell-history",
        "export API_TOKEN=tst_7FCNJl6JxXHEgpM73tO3\n",
    ),
    (
        ".local/share/fish/fish_history",
        ".local/share/fish/fish_history",
        "shell-history",
        "- cmd: set -x API_TOKEN tst_3lzhRAwGhm9CBMsOUKoY\n  when: 1700000000\n",
    ),
    (
        ".python_history",
        ".python_history",
        "shell-history",
        "token = 'tst_DRrBvjPVhF96cDP0Y0ww'\n",
    ),
    (
        ".node_repl_history",
        ".node_repl_history",
        "shell-history",
        "const t = 'tst_zJGpCam0ETwZaCPICd6t'\n",
    ),
    (
        ".mysql_history",
        ".mysql_history",
        "shell-history",
        "SET PASSWORD = 'tst_SmhNmatMCOiU7SHLKzdd';\n",
    ),
    (
        ".psql_history",
        ".psql_history",
        "shell-history",
        "ALTER USER app PASSWORD 'tst_mM62H13qANSi5FQPUt3A';\n",
    ),
    (
        ".bashrc",
        ".bashrc",
        "shell-profile",
        "export API_TOKEN=tst_g6HYs4oElbtI0YZht7RR\n",
    ),
    (
        ".bash_profile",
        ".bash_profile",
        "shell-profile",
        "export API_TOKEN=tst_cZ8HI3zL14YjjJApVM6U\n",
    ),
    (
        ".profile",
        ".profile",
        "shell-profile",
        "export API_TOKEN=tst_zCUXr8HkkGgWCNT8CG1k\n",
    ),
    (
        ".zshrc",
        ".zshrc",
        "shell-profile",
        "export API_TOKEN=tst_OGX84AbF0pAtiDP4D0zV\n",
    ),
    (
        ".zshenv",
        ".zshenv",
        "shell-profile",
        "export API_TOKEN=tst_Pwl1tbH2wFpLbfacKC3Z\n",
    ),
    (
        ".zprofile",
        ".zprofile",
        "shell-profile",
        "export API_TOKEN=tst_geqER8aJN9c3y8AJFQRH\n",
    ),
    (
        ".config/fish/config.fish",
        ".config/fish/config.fish",
        "shell-profile",
        "set -gx API_TOKEN tst_Q78IldPwbzk6TAxOFeEP\n",
    ),
    (
        ".env",
        ".env",
        "dotenv",
        "API_TOKEN=tst_SvRWOoTHglUHYJxgDefT\n",
    ),
    (
        ".env.*",
        ".env.local",
        "dotenv",
        "API_TOKEN=tst_QGcueAFsLPuUxPZciDoV\n",
    ),
    (
        "*.env",
        "billing.env",
        "dotenv",
        "API_TOKEN=tst_n5TUur7sC8LrNKvSHiBQ\n",
    ),
];

/// A home under a fresh test directory.
fn home_env() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let home = env.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    (env, home)
}

/// Write a row of [`HOME`]: gcloud's `*.db` token caches are SQLite databases, built here with
/// the token in an `access_tokens` table.
fn put_row(home: &Path, rel: &str, contents: &str) {
    if !rel.ends_with(".db") {
        return put(home, rel, contents);
    }
    let path = home.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE access_tokens (account_id TEXT PRIMARY KEY, access_token TEXT, token_expiry TIMESTAMP);",
    )
    .unwrap();
    conn.execute(
        "INSERT INTO access_tokens VALUES ('dev@acme.test', ?1, '2030-01-01 00:00:00')",
        [contents],
    )
    .unwrap();
}

fn put(home: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let p = home.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, contents).unwrap();
}

/// `sprawl scan --workstation --home HOME <args>` with only `vars` in the environment.
fn scan(env: &TestEnv, home: &Path, builtin: bool, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut cmd = env.cmd();
    cmd.env_clear().envs(vars.iter().copied());
    cmd.args(["scan", "--format", "json", "-q", "--workstation", "--home"]);
    cmd.arg(home);
    if !builtin {
        cmd.args(["--no-builtin-rules", "--rules"])
            .arg(test_rules());
    }
    cmd.args(args).output().unwrap()
}

/// `(path or <environment>, tool, source)` of every location, one finding each expected.
fn places(doc: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        for l in f["locations"].as_array().unwrap() {
            out.push((
                l["path"].as_str().unwrap().to_string(),
                l["tool"].as_str().unwrap_or("").to_string(),
                l["source"].as_str().unwrap().to_string(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn every_documented_file_is_read_with_its_tool() {
    let patterns: Vec<&str> = sprawl::source::workstation::TABLE
        .iter()
        .map(|e| e.pattern)
        .collect();
    let covered: Vec<&str> = HOME.iter().map(|r| r.0).collect();
    assert_eq!(patterns, covered, "HOME must cover the table, in its order");
    let (env, home) = home_env();
    for (_, rel, _, contents) in HOME {
        put_row(&home, rel, contents);
    }
    let out = scan(
        &env,
        &home,
        false,
        &[],
        &[("X_TOKEN", "tst_IWSMr8EUaQamDff7gvF6")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let mut want: Vec<(String, String, String)> = HOME
        .iter()
        .map(|(_, rel, tool, _)| (rel.to_string(), tool.to_string(), "workstation".into()))
        .collect();
    want.push((String::new(), "environment".into(), "environment".into()));
    want.sort();
    assert_eq!(places(&doc), want);
    assert_eq!(doc["findings"].as_array().unwrap().len(), HOME.len() + 1);
    let ws = &doc["summary"]["workstation"];
    assert_eq!(ws["credentials"], HOME.len() + 1);
    assert_eq!(ws["files_read"], HOME.len());
    assert_eq!(ws["in_repositories"], 0);
    assert_eq!(stderr(&out), "");
}

#[test]
fn the_environment_is_read_by_name_and_never_printed() {
    let (env, home) = home_env();
    let out = scan(
        &env,
        &home,
        false,
        &[],
        &[
            ("X_TOKEN", "tst_dXo3xrMsuKodbBOiAKAw"),
            ("PATH", "/usr/bin"),
        ],
    );
    let doc = json(&out);
    let f = &doc["findings"][0];
    assert_eq!(f["locations"][0]["root"], "<environment>");
    assert_eq!(f["locations"][0]["context"], "X_TOKEN");
    assert_eq!(f["locations"][0]["class"], "config");
    assert!(!stdout(&out).contains("tst_dXo3xrMsuKodbBOiAKAw"));
    let plan = f["plan"].to_string();
    assert!(plan.contains("<environment> X_TOKEN"), "{plan}");
    // Human view too: the variable by name, the value redacted.
    let human = env
        .cmd()
        .env_clear()
        .env("X_TOKEN", "tst_dXo3xrMsuKodbBOiAKAw")
        .args([
            "scan",
            "--workstation",
            "--color",
            "never",
            "--no-builtin-rules",
            "--rules",
        ])
        .arg(test_rules())
        .arg("--home")
        .arg(&home)
        .output()
        .unwrap();
    let text = stdout(&human);
    assert!(
        text.contains("  live      <environment> X_TOKEN (environment)\n"),
        "{text}"
    );
    assert!(!text.contains("tst_dXo3xrMsuKodbBOiAKAw"));
    assert!(text.contains(
        "1 credential on this machine, 1 static, 0 also found in repositories · 0 credential files read"
    ), "{text}");
}

/// A structurally valid OpenSSH private key file (`openssh-key-v1`) with `cipher`, filled with
/// pseudo-random bytes from `seed`.
fn openssh_key(cipher: &str, seed: u64) -> String {
    use base64::Engine as _;
    let string = |out: &mut Vec<u8>, s: &[u8]| {
        out.extend_from_slice(&(s.len() as u32).to_be_bytes());
        out.extend_from_slice(s);
    };
    let mut x = seed;
    let mut random = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    };
    let mut raw = b"openssh-key-v1\0".to_vec();
    string(&mut raw, cipher.as_bytes());
    let kdf: &[u8] = if cipher == "none" { b"none" } else { b"bcrypt" };
    string(&mut raw, kdf);
    string(&mut raw, &random(if cipher == "none" { 0 } else { 24 }));
    raw.extend_from_slice(&1u32.to_be_bytes());
    let mut public = Vec::new();
    string(&mut public, b"ssh-ed25519");
    string(&mut public, &random(32));
    string(&mut raw, &public);
    string(&mut raw, &random(160));
    let b64 = base64::engine::general_purpose::STANDARD.encode(raw);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(70)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n{}\n-----END OPENSSH PRIVATE KEY-----\n",
        lines.join("\n")
    )
}

/// A traditional PEM RSA key protected by a passphrase (`Proc-Type: 4,ENCRYPTED`).
fn encrypted_pem() -> String {
    use base64::Engine as _;
    let body: Vec<u8> = (0u32..600)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,E179CC45AD34416D0A1B2C3D4E5F6071\n\n{}\n-----END RSA PRIVATE KEY-----\n",
        lines.join("\n")
    )
}

/// The built-in rules on tool files: the field rules name what each value is and whether it
/// expires by itself; an unprotected key is a finding, protected ones are only listed.
#[test]
fn tool_fields_lifetimes_and_protected_keys() {
    let (env, home) = home_env();
    put(&home, ".ssh/id_ed25519", openssh_key("none", 7));
    put(
        &home,
        ".ssh/id_ed25519.pub",
        "ssh-ed25519 AAAA dev@laptop\n",
    );
    put(&home, ".ssh/id_work", openssh_key("aes256-ctr", 11));
    put(&home, ".ssh/id_rsa", encrypted_pem());
    put(
        &home,
        ".aws/sso/cache/0f3c.json",
        r#"{"startUrl": "https://acme.awsapps.com/start", "accessToken": "aoaqoYqy0LazdjPeCbGZohvS9kVA69qAIlZXq0RFHRczIdsqpde3Rq9zFuLj7nS", "expiresAt": "2030-01-01T00:00:00Z"}"#,
    );
    put(
        &home,
        ".aws/cli/cache/77aa.json",
        r#"{"Credentials": {"SecretAccessKey": "6CuGtB5roF5oWE1yZ+GIywSqspbXLha4CapZMW3j", "Expiration": "2030-01-01T01:00:00+00:00"}}"#,
    );
    put(
        &home,
        ".config/hcloud/cli.toml",
        "active_context = \"dev\"\n[[contexts]]\nname = \"dev\"\ntoken = \"5QoqDgA2ZEFGH73zig0wRFE9ycvPjvbzqz0JtIXCyzCVfgQfgGuovqd8lKxYjZMr\"\n",
    );
    put(
        &home,
        ".config/gcloud/application_default_credentials.json",
        r#"{"type": "authorized_user", "refresh_token": "1//0gRTPBbjGNbQDgsuN0yKH3C_R_pEpV4bnpZ-QEyr8Q2EjZPnyzjEiFZPB59Jh44CzSK5JNX4"}"#,
    );
    let out = scan(&env, &home, true, &["--no-config"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let mut got: Vec<(String, String, String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let l = &f["locations"][0];
            (
                l["path"].as_str().unwrap().to_string(),
                f["rule"]["id"].as_str().unwrap().to_string(),
                f["lifetime"].as_str().unwrap().to_string(),
                l["context"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    let row = |p: &str, r: &str, l: &str, c: &str| (p.into(), r.into(), l.into(), c.into());
    assert_eq!(
        got,
        vec![
            row(
                ".aws/cli/cache/77aa.json",
                "aws.secret-access-key",
                "short-lived",
                "Credentials.SecretAccessKey, expires 2030-01-01T01:00:00+00:00"
            ),
            row(
                ".aws/sso/cache/0f3c.json",
                "aws.sso-cache.token",
                "short-lived",
                "accessToken, expires 2030-01-01T00:00:00Z"
            ),
            row(
                ".config/gcloud/application_default_credentials.json",
                "oauth.refresh-token.cached",
                "static",
                "refresh_token"
            ),
            row(
                ".config/hcloud/cli.toml",
                "workstation.cli-token",
                "static",
                "[[contexts]] token"
            ),
            row(".ssh/id_ed25519", "private-key.openssh", "static", ""),
        ]
    );
    let ws = &doc["summary"]["workstation"];
    assert_eq!(ws["credentials"], 5);
    assert_eq!(ws["static_credentials"], 3);
    let at = |rel: &str| home.join(rel).display().to_string();
    assert_eq!(
        ws["protected_keys"],
        serde_json::json!([
            { "path": at(".ssh/id_rsa"), "cipher": "AES-128-CBC" },
            { "path": at(".ssh/id_work"), "cipher": "aes256-ctr" },
        ])
    );
    // The plan names the safer setup for each tool.
    let plan = doc["findings"].to_string();
    assert!(plan.contains("aws configure sso"), "{plan}");
    assert!(plan.contains("ssh-keygen -p"), "{plan}");
}

/// A token in `~/.npmrc` that a repository also holds in its history is one finding whose
/// blast radius names the workstation file (with its tool) and the repository.
#[test]
fn a_token_on_the_machine_and_in_a_repository_is_one_finding() {
    let (env, home) = home_env();
    let token = "tst_Lvh0aFdxABwQFvLoIw5h";
    put(
        &home,
        ".npmrc",
        format!("//registry.npmjs.org/:_authToken={token}\n"),
    );
    let repo = Repo::init(&env.path().join("src/shop"));
    let npmrc = format!("//registry.npmjs.org/:_authToken={token}\n");
    repo.commit(
        &[(".npmrc", &npmrc), ("README", "shop\n")],
        &[],
        "add npmrc",
    );
    repo.commit(&[], &[".npmrc"], "remove npmrc");
    let out = scan(&env, &home, false, &["src"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{doc:#}");
    let f = &findings[0];
    assert_eq!(f["fingerprint"], sha256(token));
    assert_eq!(
        places(&doc),
        vec![
            (".npmrc".into(), "npm".into(), "workstation".into()),
            ("shop/.npmrc".into(), "".into(), "git".into()),
        ]
    );
    let apps: Vec<&str> = f["blast_radius"]["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    let machine = format!("workstation:{}", home.display());
    assert_eq!(apps, vec![machine.as_str(), "shop"]);
    let sources = f["blast_radius"]["sources"].to_string();
    assert!(
        sources.contains("workstation") && sources.contains("git-history"),
        "{sources}"
    );
    let ws = &doc["summary"]["workstation"];
    assert_eq!(
        (ws["credentials"].as_u64(), ws["in_repositories"].as_u64()),
        (Some(1), Some(1))
    );
}

/// Unreadable files are warnings; the exit code is what the findings make it.
#[cfg(unix)]
#[test]
fn unreadable_files_are_warnings_and_do_not_change_the_exit_code() {
    use std::os::unix::fs::PermissionsExt;
    let (env, home) = home_env();
    std::os::unix::fs::symlink(home.join("gone"), home.join(".git-credentials")).unwrap();
    put(
        &home,
        ".pypirc",
        "[pypi]\npassword = tst_M2zomKVBwZoc92qFfkpF\n",
    );
    std::fs::set_permissions(home.join(".pypirc"), std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads a mode-000 file anyway; then only the dangling link is unreadable.
    let root = std::fs::read(home.join(".pypirc")).is_ok();
    let out = env
        .cmd()
        .env_clear()
        .args(["scan", "--workstation", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .arg("--home")
        .arg(&home)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert!(
        err.contains(".git-credentials: no such file or directory"),
        "{err}"
    );
    if root {
        assert_eq!(out.status.code(), Some(1), "{err}");
    } else {
        assert!(err.contains(".pypirc: permission denied"), "{err}");
        assert_eq!(out.status.code(), Some(0), "{err}");
    }
    std::fs::set_permissions(home.join(".pypirc"), std::fs::Permissions::from_mode(0o600)).unwrap();
    // Nothing but the warning: a home with only a dangling link is clean.
    std::fs::remove_file(home.join(".pypirc")).unwrap();
    let out = scan(&env, &home, false, &[], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn nothing_is_written_to_the_home_and_the_report_is_private() {
    let (env, home) = home_env();
    for (_, rel, _, contents) in HOME {
        put_row(&home, rel, contents);
    }
    let before = snapshot(&home);
    for format in ["human", "json", "jsonl", "sarif"] {
        let out = env
            .cmd()
            .env_clear()
            .args([
                "scan",
                "--workstation",
                "-q",
                "--no-builtin-rules",
                "--format",
                format,
            ])
            .arg("--rules")
            .arg(test_rules())
            .arg("--home")
            .arg(&home)
            .args(["-o", "report.out"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(env.path().join("report.out"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
    assert_eq!(before, snapshot(&home));
}

#[test]
fn a_home_that_is_not_there_is_an_error() {
    let env = TestEnv::new();
    let out = env
        .cmd()
        .env_clear()
        .args(["scan", "--workstation", "--home", "no-such-home"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no-such-home: no such file or directory"),
        "{}",
        stderr(&out)
    );
    let out = env
        .cmd()
        .env_clear()
        .args(["scan", "--workstation"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no home folder"), "{}", stderr(&out));
}
