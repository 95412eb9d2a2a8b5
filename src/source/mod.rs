//! Sources turn inputs into blobs: bytes plus where they came from ([`Location`]).
//!
//! Every source (files on disk, git history, staged changes, standard input, and the blobs
//! [`decode`] derives from config stores, archives and encoded values) produces the same thing,
//! so the detector and correlator never know which one they are looking at. Sources enumerate
//! and read; they never run the detector or drive the scan (`scan` does).

pub mod decode;
pub mod fs;
pub mod git;
pub mod layout;
pub mod staged;
pub mod stdin;
pub mod utf16;
pub mod workstation;

use serde::{Deserialize, Serialize};

/// The kind of place a blob came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// A file in a directory tree.
    File,
    /// A blob in git history.
    Git,
    /// A blob staged in the git index.
    Staged,
    /// Standard input.
    Stdin,
    /// A credential file, shell history or `.env` in a workstation's home (`--workstation`).
    Workstation,
    /// The process environment of the scan (`--workstation`): `root` is `<environment>`,
    /// `context` the variable's name.
    Environment,
}

/// What kind of place a location is, which decides how loud a credential found there is (not
/// whether it is reported). The rules are in `correlate::class` and `docs/output.md`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Class {
    /// Configuration: config stores, app and framework config, IaC, CI and container files.
    Config,
    /// Source code (the default when nothing else applies).
    #[default]
    Source,
    /// Third-party code checked in: `vendor/`, `node_modules/`, `third_party/`.
    Vendored,
    /// Templates and samples: `*.example`, `*.sample`, `*.dist`, `*.template`, `examples/`.
    Example,
    /// Tests: `test/`, `spec/`, `fixtures/`, `testdata/`, `*_test.*`, `test_*.py`, `*.spec.*`.
    Test,
    /// Documentation: markdown, rst, adoc, man pages, `docs/`, doc comments in code.
    Docs,
}

impl Class {
    /// The lowercase name used in reports and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Config => "config",
            Class::Source => "source",
            Class::Vendored => "vendored",
            Class::Example => "example",
            Class::Test => "test",
            Class::Docs => "docs",
        }
    }

    /// Parse the lowercase name.
    pub fn parse(s: &str) -> Option<Class> {
        Some(match s {
            "config" => Class::Config,
            "source" => Class::Source,
            "vendored" => Class::Vendored,
            "example" => Class::Example,
            "test" => Class::Test,
            "docs" => Class::Docs,
            _ => return None,
        })
    }

    /// Every class, most exposed first.
    pub const ALL: [Class; 6] = [
        Class::Config,
        Class::Source,
        Class::Vendored,
        Class::Example,
        Class::Test,
        Class::Docs,
    ];

    /// Code and configuration a deployment runs with (the places that fail the build by
    /// default), as opposed to tests, docs, examples and third-party code.
    pub fn is_live_code(self) -> bool {
        matches!(self, Class::Config | Class::Source)
    }
}

/// Git provenance of a blob: the commit that first introduced it, and where else it lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GitProvenance {
    /// Full commit id.
    pub commit: String,
    /// Author name.
    pub author: String,
    /// Author email.
    pub email: String,
    /// Author date, RFC 3339.
    pub date: String,
    /// The blob's object id (`git log --all --find-object=<blob>` lists every commit with it).
    pub blob: String,
    /// How many of the scanned commits carry the blob.
    pub commit_count: u64,
    /// HEAD's tree holds the blob (the secret is still live at HEAD).
    pub in_head: bool,
    /// No ref or HEAD reaches the blob (reported only with `--unreachable`): there is no
    /// commit, author, date or path to give, so those are empty and `commit_count` is 0.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unreachable: bool,
}

/// Where a secret was seen. Field order is the JSON order (see `docs/output.md`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The scan argument as given.
    pub root: String,
    /// Path relative to `root`, with `/` separators.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in Unicode code points.
    pub column: u32,
    /// The kind of place.
    pub source: SourceKind,
    /// What kind of place (config, source, test, docs, example, vendored): how loud a finding
    /// here is. Reports written before this field read as `source`.
    #[serde(default)]
    pub class: Class,
    /// Decode chain, outermost first (e.g. `["zip:config/prod.env", "base64"]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decoded: Vec<String>,
    /// `id` when this place holds only the id part of a multi-part credential (an AWS access
    /// key id beside its secret key); absent for the secret itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Context inside a structured file (key path, notebook cell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The application this location belongs to (see `docs/correlation.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// Environment named by an `[[environments]]` override (otherwise inferred from the path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// Owners of this path from its repository's CODEOWNERS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// The tool that keeps this file (`aws-cli`, `npm`, `kubectl`, `shell-history`,
    /// `environment`, ...), for `source: workstation` and `environment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// Git provenance, for `source: git`.
    #[serde(default, skip_serializing_if = "Option::is_none", flatten)]
    pub git: Option<GitProvenance>,
}

impl Location {
    /// A location for a whole input, before a hit gives it a line and column.
    pub fn input(root: &str, path: &str, source: SourceKind) -> Location {
        Location {
            root: root.to_string(),
            path: path.to_string(),
            line: 0,
            column: 0,
            source,
            class: Class::Source,
            decoded: Vec::new(),
            part: None,
            context: None,
            application: None,
            environment: None,
            owners: Vec::new(),
            tool: None,
            git: None,
        }
    }

    /// The path a user can open: the root joined with the relative path (for standard input,
    /// the name it was given, or `-`).
    pub fn display_path(&self) -> String {
        if self.source == SourceKind::Stdin {
            return self.path.clone();
        }
        if self.source == SourceKind::Environment {
            return workstation::ENVIRONMENT.to_string();
        }
        join_display(&self.root, &self.path)
    }

    /// The file name decoders dispatch on: `path`, or `root` when the root is the file itself;
    /// empty for a git blob, which is scanned before its path is known (its `path` is then
    /// the repository's directory).
    pub fn name(&self) -> &str {
        match self.source {
            SourceKind::Git => "",
            _ if self.path.is_empty() => &self.root,
            _ => &self.path,
        }
    }
}

/// A file given as a scan root, split into the directory shown as `root` and the file name
/// shown as `path`: `t.env` is `(".", "t.env")`, `config/app.env` is `("config", "app.env")`.
pub fn split_file_root(given: &str) -> (String, String) {
    let trimmed = given.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) => ("/".to_string(), trimmed[1..].to_string()),
        Some(i) => (trimmed[..i].to_string(), trimmed[i + 1..].to_string()),
        None => (".".to_string(), trimmed.to_string()),
    }
}

/// Join a root as given and a relative path for display.
pub fn join_display(root: &str, path: &str) -> String {
    if path.is_empty() {
        return root.to_string();
    }
    if root == "." || root.is_empty() {
        return path.to_string();
    }
    if root.ends_with('/') {
        format!("{root}{path}")
    } else {
        format!("{root}/{path}")
    }
}
