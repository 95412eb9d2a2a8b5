//! Reporters: pure renderers from correlated findings to a writer, plus the only code that
//! prints diagnostics ([`diag`]) and the one place report files are created ([`create_private`]).

pub mod diag;
pub mod human;
pub mod json;
pub mod rules;
pub mod sarif;
pub mod stream;

use std::fs::File;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::correlate::Finding;
use crate::error::ScanIssue;
use crate::scan::Counts;

/// Version of the JSON output contract (`docs/output.md`). Bumped on any breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The terminal view.
    Human,
    /// One JSON document.
    Json,
    /// One finding per line.
    Jsonl,
    /// SARIF 2.1.0 for code-scanning upload.
    Sarif,
}

/// Files skipped, by reason.
#[derive(Debug, Clone, Copy, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Skipped {
    /// NUL byte in the first 8 KiB.
    pub binary: u64,
    /// Above `--max-file-size`.
    pub too_large: u64,
    /// Could not be read (each also reported as an issue).
    pub unreadable: u64,
    /// FIFOs, sockets, device nodes.
    pub special: u64,
}

/// The summary block of a report.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Summary {
    /// Files scanned.
    pub files_scanned: u64,
    /// Bytes scanned.
    pub bytes_scanned: u64,
    /// Skipped files and history blobs by reason.
    pub skipped: Skipped,
    /// Git repositories whose history was scanned.
    pub repositories: u64,
    /// Shallow ones among them (history before the shallow boundary was not there to scan).
    pub shallow_repositories: u64,
    /// Commits in the scanned history.
    pub commits_scanned: u64,
    /// Unique blobs scanned from history (each read once however many commits carry it).
    pub blobs_scanned: u64,
    /// Bytes of those blobs.
    pub history_bytes: u64,
    /// Findings (credentials).
    pub findings: usize,
    /// Locations across all findings.
    pub locations: usize,
    /// Problems reported as warnings.
    pub issues: usize,
    /// Wall time in milliseconds.
    pub elapsed_ms: u64,
    /// Findings not reported because a `--baseline` accepts them (absent without a baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baselined: Option<usize>,
}

impl Summary {
    /// Build from scan counters and the findings.
    pub fn new(counts: Counts, findings: &[Finding], issues: usize, elapsed_ms: u64) -> Summary {
        Summary {
            files_scanned: counts.files,
            bytes_scanned: counts.bytes,
            skipped: Skipped {
                binary: counts.binary,
                too_large: counts.too_large,
                unreadable: counts.unreadable,
                special: counts.special,
            },
            repositories: counts.repositories,
            shallow_repositories: counts.shallow,
            commits_scanned: counts.commits,
            blobs_scanned: counts.blobs,
            history_bytes: counts.history_bytes,
            findings: findings.len(),
            locations: findings.iter().map(|f| f.locations.len()).sum(),
            issues,
            elapsed_ms,
            baselined: None,
        }
    }
}

/// Everything a reporter renders.
#[derive(Debug)]
pub struct Report<'a> {
    /// Correlated findings, already in output order.
    pub findings: &'a [Finding],
    /// Problems met during the scan.
    pub issues: &'a [ScanIssue],
    /// Counters.
    pub summary: Summary,
    /// Print secret values instead of the redacted form.
    pub show_secrets: bool,
    /// What `--baseline` suppressed, still sees and no longer sees (absent without one).
    pub baseline: Option<&'a crate::baseline::Status>,
}

/// Render `report` in `format` to `out`. `color` applies to the human view only.
pub fn render(
    report: &Report,
    format: Format,
    color: bool,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(report, color, out),
        Format::Json => json::render(report, out),
        Format::Jsonl => json::render_lines(report, out),
        Format::Sarif => sarif::render(report, out),
    }
}

/// Create (or truncate) a report file readable and writable by its owner only (mode 0600).
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        opts.mode(0o600);
        let file = opts.open(path)?;
        // An existing file keeps its old mode through open(); tighten it explicitly.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        opts.open(path)
    }
}

/// The secret as shown in a report: redacted unless the user asked to see it.
pub fn shown_secret(finding: &Finding, show: bool) -> String {
    if show {
        String::from_utf8_lossy(finding.secret.reveal()).into_owned()
    } else {
        finding.secret.redacted()
    }
}

/// Escape control characters so a file name cannot drive the terminal.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}
