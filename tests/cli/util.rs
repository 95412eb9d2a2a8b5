//! `TestEnv`: a fresh temporary directory per test, fixture copying, and a command for the
//! binary under test.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The repository root (where `fixtures/` lives).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The test rule file (`test.token`).
pub fn test_rules() -> PathBuf {
    repo().join("fixtures/rules/test.toml")
}

/// A temporary directory that is removed when dropped, and a blob cache directory of its own
/// beside it (so no test reads or writes the user's cache).
pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub cache: tempfile::TempDir,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            dir: tempfile::tempdir().expect("tempdir"),
            cache: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// A TestEnv holding a copy of `fixtures/<name>`.
    pub fn with_fixture(name: &str) -> TestEnv {
        let env = TestEnv::new();
        copy_dir(&repo().join("fixtures").join(name), env.path());
        env
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write `contents` at `rel`, creating parent directories.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// A command for the binary under test, run in this directory.
    pub fn cmd(&self) -> Command {
        let mut cmd = match std::env::var_os("SPRAWL_TEST_BIN") {
            Some(bin) => Command::new(bin),
            None => Command::cargo_bin("sprawl").expect("binary"),
        };
        cmd.current_dir(self.path());
        cmd.env_remove("NO_COLOR");
        cmd.env("XDG_CACHE_HOME", self.cache.path());
        cmd
    }

    /// `sprawl scan --no-builtin-rules --rules <test rules> --format json -q <args>`.
    pub fn scan_test_rules(&self, args: &[&str]) -> Output {
        let rules = test_rules();
        let mut full = vec![
            "scan",
            "--no-builtin-rules",
            "--rules",
            rules.to_str().unwrap(),
            "--format",
            "json",
            "-q",
        ];
        full.extend_from_slice(args);
        self.cmd().args(full).output().unwrap()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Parse stdout as JSON, with the stderr in the panic message if it is not.
pub fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `(rule id, path:line:col)` for every location of every finding, in output order.
pub fn locations(doc: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        for l in f["locations"].as_array().unwrap() {
            out.push((
                f["rule"]["id"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}:{}",
                    l["path"].as_str().unwrap(),
                    l["line"],
                    l["column"]
                ),
            ));
        }
    }
    out
}

/// The fingerprint sprawl gives the secret `s` (version 2, no organisation key).
pub fn fingerprint_of(s: &str) -> String {
    sprawl::secret::fingerprint::derive(s.as_bytes(), None)
}

/// The old name of [`fingerprint_of`] (fingerprints were the bare SHA-256 before issue 20), kept
/// so tests written against it still read the same.
pub fn sha256(s: &str) -> String {
    fingerprint_of(s)
}
