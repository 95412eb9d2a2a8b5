//! The table, the listing of a home, the environment blob.

use super::*;
use crate::source::decode::{Format, credjson, credyaml, format_of, ini, xmlcfg};

#[test]
fn table_patterns_compile() {
    assert!(Matcher::new().is_some());
}

/// The decoder each row names is the one its file name picks (`format_of`).
#[test]
fn every_row_gets_the_decoder_it_documents() {
    for e in TABLE {
        let path = e
            .pattern
            .replace("*/", "x/")
            .replace(".*", ".local")
            .replace('*', "x");
        let want = match e.reader {
            "aws" => Some(Format::Aws),
            "aws-sso-cache" => Some(Format::CredJson(credjson::Kind::AwsSsoCache)),
            "aws-cli-cache" => Some(Format::CredJson(credjson::Kind::AwsCliCache)),
            "azure-tokens" => Some(Format::CredJson(credjson::Kind::Azure)),
            "gcloud-json" => Some(Format::CredJson(credjson::Kind::Gcloud)),
            "terraform-credentials" => Some(Format::CredJson(credjson::Kind::Terraform)),
            "boto" => Some(Format::Ini(ini::Kind::Boto)),
            "kubeconfig" => Some(Format::Yaml),
            "docker" => Some(Format::Docker),
            "doctl" => Some(Format::CredYaml(credyaml::Kind::Doctl)),
            "hcloud" | "cargo-credentials" => Some(Format::Ini(ini::Kind::TomlToken)),
            "oci" => Some(Format::Ini(ini::Kind::Oci)),
            "npmrc" => Some(Format::Npmrc),
            "yarnrc" => Some(Format::CredYaml(credyaml::Kind::Yarnrc)),
            "pypirc" => Some(Format::Pypirc),
            "pip-conf" => Some(Format::Ini(ini::Kind::Plain)),
            "gem-credentials" => Some(Format::CredYaml(credyaml::Kind::Gem)),
            "dotenv" => Some(Format::Dotenv),
            "gradle-properties" => Some(Format::Ini(ini::Kind::GradleProperties)),
            "maven-settings" => Some(Format::Xml(xmlcfg::Kind::Maven)),
            "nuget-config" => Some(Format::Xml(xmlcfg::Kind::NuGet)),
            "mysql-option-file" => Some(Format::Ini(ini::Kind::MyCnf)),
            "netrc" => Some(Format::Netrc),
            "git-credentials" => Some(Format::GitCredentials),
            "gh-hosts" => Some(Format::CredYaml(credyaml::Kind::GhHosts)),
            "glab" => Some(Format::CredYaml(credyaml::Kind::Glab)),
            "pgpass" => Some(Format::Pgpass),
            "history" => Some(Format::History),
            "text" | "private-key" | "sqlite" => None,
            other => panic!("{}: unknown reader {other}", e.pattern),
        };
        let data: &[u8] = match e.reader {
            "docker" => b"{\"auths\": {}}",
            "maven-settings" => b"<settings><servers></servers></settings>",
            _ => b"",
        };
        assert_eq!(format_of(&path, data), want, "{} ({path})", e.pattern);
    }
    assert_eq!(format_of(ENVIRONMENT, b""), Some(Format::Environment));
}

#[test]
fn places_are_the_folders_patterns_point_into() {
    let (folders, exact) = places();
    assert_eq!(folders.get(""), Some(&1)); // `.env.*`, `*.env` at the top
    assert_eq!(folders.get(".ssh"), Some(&1));
    assert_eq!(folders.get(".config/gcloud"), Some(&2));
    assert_eq!(folders.get(".config/gcloud/legacy_credentials"), Some(&2));
    assert!(exact.contains(&".aws/credentials"));
    assert!(!folders.contains_key(".cache") && !folders.contains_key(".cargo"));
}

fn write(home: &Path, rel: &str, text: &str) {
    let p = home.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn rels(l: &Listing) -> Vec<(&str, &str)> {
    l.items.iter().map(|i| (i.rel.as_str(), i.tool)).collect()
}

#[test]
fn listing_reads_only_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path();
    for rel in [
        ".aws/credentials",
        ".aws/sso/cache/a.json",
        ".aws/sso/cache/notes.txt",
        ".ssh/id_ed25519",
        ".ssh/id_ed25519.pub",
        ".ssh/known_hosts",
        ".kube/config",
        ".kube/cache/discovery/x.json",
        ".config/gcloud/legacy_credentials/me@x.com/adc.json",
        ".config/gcloud/logs/2024.01.01/x.json",
        ".cargo/credentials.toml",
        ".cargo/registry/cache/x/.env",
        ".cache/x/.env",
        "src/app/.env",
        ".env",
        "prod.env",
        ".bash_history",
        "Documents/notes.txt",
    ] {
        write(home, rel, "x");
    }
    let l = list(home);
    assert_eq!(
        rels(&l),
        vec![
            (".aws/credentials", "aws-cli"),
            (".aws/sso/cache/a.json", "aws-cli"),
            (".bash_history", "shell-history"),
            (".cargo/credentials.toml", "cargo"),
            (
                ".config/gcloud/legacy_credentials/me@x.com/adc.json",
                "gcloud"
            ),
            (".env", "dotenv"),
            (".kube/config", "kubectl"),
            (".ssh/id_ed25519", "ssh"),
            ("prod.env", "dotenv"),
        ]
    );
    assert!(l.issues.is_empty(), "{:?}", l.issues);
}

#[cfg(unix)]
#[test]
fn links_inside_the_home_are_followed_and_others_named() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let outside = dir.path().join("outside");
    write(&home, "dotfiles/npmrc", "x");
    write(&outside, "netrc", "x");
    std::fs::create_dir_all(&home).unwrap();
    std::os::unix::fs::symlink(home.join("dotfiles/npmrc"), home.join(".npmrc")).unwrap();
    std::os::unix::fs::symlink(outside.join("netrc"), home.join(".netrc")).unwrap();
    std::os::unix::fs::symlink(home.join("gone"), home.join(".git-credentials")).unwrap();
    let fifo = std::ffi::CString::new(home.join(".pypirc").as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: `fifo` is a valid NUL-terminated path for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    let l = list(&home);
    assert_eq!(rels(&l), vec![(".npmrc", "npm")]);
    assert_eq!(l.special, 1);
    let issues: Vec<String> = l.issues.iter().map(|i| i.to_string()).collect();
    let at = |rel: &str| home.join(rel).display().to_string();
    assert_eq!(
        issues,
        vec![
            format!("{}: no such file or directory", at(".git-credentials")),
            format!(
                "{}: symbolic link out of the home, not followed",
                at(".netrc")
            ),
        ]
    );
}

#[test]
fn environment_is_sorted_name_value_lines() {
    let vars = [("B", "2"), ("A_TOKEN", "x\ny"), ("EMPTY", ""), ("", "z")]
        .map(|(k, v)| (OsString::from(k), OsString::from(v)));
    assert_eq!(environment(vars), b"A_TOKEN=x\ny\nB=2\n");
}
