//! Error types at the library boundary.
//!
//! [`Error`] is for failures a caller branches on (a bad rule, a bad config, a root that cannot
//! be read). [`ScanIssue`] is a problem with one input inside a scan: it is reported and counted,
//! and it never aborts the scan of everything else.

use std::fmt;
use std::path::PathBuf;

/// A failure that stops an operation.
#[derive(Debug)]
pub enum Error {
    /// A rule file or rule is invalid; the message names the file, the rule id and the reason.
    Rule(String),
    /// A configuration file is invalid; the message names the file and the key.
    Config(String),
    /// A path given on the command line cannot be scanned.
    Root {
        /// The path as given.
        path: PathBuf,
        /// Why it cannot be scanned.
        reason: String,
    },
    /// Any other I/O failure, with the path involved.
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Rule(msg) | Error::Config(msg) => f.write_str(msg),
            Error::Root { path, reason } => write!(f, "{}: {reason}", path.display()),
            Error::Io { path, source } => write!(f, "{}: {}", path.display(), io_reason(source)),
        }
    }
}

impl std::error::Error for Error {}

/// The kind of problem a [`ScanIssue`] reports, for counting in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// The file or directory could not be read.
    Unreadable,
    /// Something was left out by design and said once: a shallow clone's missing history,
    /// submodules (not followed), blobs no ref reaches (without `--unreachable`).
    Limit,
    /// An input cut off at a decode cap (`--max-archive-members`, `--max-decompressed-size`,
    /// `--max-archive-depth`, `--max-decode-depth`): what lies past the cap was not scanned, so
    /// the scan is partial (exit 2 unless `--allow-partial`).
    Truncated,
    /// The input is malformed (corrupt archive, bad object) and was skipped in part or whole.
    Malformed,
    /// Something the command line asked for could not be scanned at all: a `--branch` or
    /// `--since-commit` revision that does not resolve, or no repository under a root scanned
    /// with `--history-only`, `--branch` or `--since-commit`. The scan exits with an error, so
    /// a CI step pointed at the wrong place never passes as clean.
    NotScanned,
    /// An encrypted archive member, skipped.
    Encrypted,
}

/// A problem with one input: reported as one line, counted, never fatal.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScanIssue {
    /// What kind of problem this is.
    pub kind: IssueKind,
    /// The input's path as shown to the user.
    pub path: String,
    /// Why, in a few words.
    pub reason: String,
}

impl ScanIssue {
    /// An error: something the command line named was not scanned.
    pub fn is_error(&self) -> bool {
        self.kind == IssueKind::NotScanned
    }

    /// Makes the scan partial: an error, or an input cut off at a cap.
    pub fn is_partial(&self) -> bool {
        matches!(self.kind, IssueKind::NotScanned | IssueKind::Truncated)
    }
}

impl fmt::Display for ScanIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// A short, lowercase reason for an I/O error, without the "(os error N)" tail.
pub fn io_reason(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match err.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        _ => {
            let s = err.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}
