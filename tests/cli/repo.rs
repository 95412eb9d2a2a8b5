//! `Repo`: git repositories built inside a test with the git CLI, isolated from the user's and
//! system's git configuration, with fixed names and dates so ids and provenance are stable.

#![allow(dead_code)]

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Author of every commit.
pub const AUTHOR: &str = "Ada Lovelace";
/// Author email of every commit.
pub const EMAIL: &str = "ada@example.com";
/// Commit `n` (from 1) is dated `BASE + n` minutes, UTC.
const BASE: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z

/// A repository in a test directory.
pub struct Repo {
    pub dir: PathBuf,
    commits: Cell<i64>,
}

/// `git <args>` in `dir` with an isolated configuration; panics with stderr on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_dated(dir, args, BASE)
}

fn git_dated(dir: &Path, args: &[&str], when: i64) -> String {
    let date = format!("{when} +0000");
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", AUTHOR)
        .env("GIT_AUTHOR_EMAIL", EMAIL)
        .env("GIT_COMMITTER_NAME", AUTHOR)
        .env("GIT_COMMITTER_EMAIL", EMAIL)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// RFC 3339 date of commit number `n` (from 1), as sprawl reports it.
pub fn date_of(n: i64) -> String {
    format!("2024-01-01T{:02}:{:02}:00+00:00", n / 60, n % 60)
}

impl Repo {
    /// `git init` a new repository at `dir` (created).
    pub fn init(dir: &Path) -> Repo {
        std::fs::create_dir_all(dir).unwrap();
        git(dir, &["init", "-q"]);
        Repo {
            dir: dir.to_path_buf(),
            commits: Cell::new(0),
        }
    }

    /// Feed `stream` to `git fast-import` in this repository (isolated configuration); panics
    /// when it fails.
    pub fn fast_import(&self, stream: &str) {
        use std::io::Write;
        let mut child = Command::new("git")
            .current_dir(&self.dir)
            .args(["fast-import", "--quiet"])
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("git runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stream.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "git fast-import failed");
    }

    /// `git <args>` in this repository.
    pub fn git(&self, args: &[&str]) -> String {
        git(&self.dir, args)
    }

    /// Write `contents` at `rel` (parents created) without staging it.
    pub fn write(&self, rel: &str, contents: &str) {
        let p = self.dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }

    /// Write each `(path, contents)`, remove each path in `remove`, stage everything and commit.
    /// Returns the commit id.
    pub fn commit(&self, files: &[(&str, &str)], remove: &[&str], msg: &str) -> String {
        for (rel, contents) in files {
            self.write(rel, contents);
        }
        for rel in remove {
            std::fs::remove_file(self.dir.join(rel)).unwrap();
        }
        self.git(&["add", "-A"]);
        let n = self.commits.get() + 1;
        self.commits.set(n);
        git_dated(&self.dir, &["commit", "-q", "-m", msg], BASE + n * 60);
        self.git(&["rev-parse", "HEAD"])
    }

    /// The blob id of `contents`.
    pub fn blob_id(&self, contents: &str) -> String {
        let p = self.dir.join(".git").join("blob-id-tmp");
        std::fs::write(&p, contents).unwrap();
        let id = self.git(&["hash-object", p.to_str().unwrap()]);
        std::fs::remove_file(p).unwrap();
        id
    }
}
