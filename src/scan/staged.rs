//! The `--staged` scan, for a pre-commit hook: every staged change (from `source::staged`) is
//! scanned whole through [`Engine::scan_bytes`], and only hits on lines the change adds or
//! modifies are kept. Line numbers are those of the staged version.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::{Counters, Engine, Root, ScanResult};
use crate::detect::Scratch;
use crate::error::{Error, IssueKind, ScanIssue};
use crate::source::staged::StagedRepo;
use crate::source::{Location, SourceKind};
use crate::walk::WalkOptions;

/// Scan what is staged in the repository containing `root`. Uses `opts.max_file_size` and
/// `opts.exclude` (globs relative to the repository's work tree). Fails if `root` is not in a
/// repository with a work tree.
pub fn scan_staged(
    root: &Root,
    opts: &WalkOptions,
    engine: &Engine,
    stats: &Counters,
) -> Result<ScanResult, Error> {
    let start = Instant::now();
    let fail = |reason: String| Error::Root {
        path: root.path.clone(),
        reason,
    };
    let repo = StagedRepo::discover(&root.path).map_err(fail)?;
    let workdir = repo.workdir();
    // Locations are relative to the work tree; keep the argument as given when it is the work
    // tree itself (the usual `sprawl scan --staged` at the top of the repository).
    let shown_root = if same_dir(&root.path, &workdir) {
        root.given.clone()
    } else {
        workdir.display().to_string()
    };
    let changes = repo.changes().map_err(fail)?;
    let mut hits = Vec::new();
    let mut issues = Vec::new();
    let mut scratch = Scratch::default();
    for change in &changes.entries {
        let path = &change.path;
        if !opts.exclude.is_empty() && opts.exclude.is_match(path) {
            continue;
        }
        if change.size > opts.max_file_size {
            stats.too_large.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let issue = |reason: String| ScanIssue {
            kind: IssueKind::Unreadable,
            path: path.clone(),
            reason,
        };
        let blob = match changes.read(change) {
            Ok(b) => b,
            Err(reason) => {
                issues.push(issue(reason));
                continue;
            }
        };
        let origin = Location::input(&shown_root, path, SourceKind::Staged);
        let found = engine.scan_cached(blob.data(), &origin, &mut scratch);
        if found.is_empty() {
            continue;
        }
        let added = if change.new_file {
            None // every line is new
        } else {
            match changes.added_lines(change) {
                Ok(lines) => Some(lines),
                Err(reason) => {
                    issues.push(issue(reason));
                    None
                }
            }
        };
        hits.extend(
            found
                .into_iter()
                .filter(|h| added.as_ref().is_none_or(|a| a.contains(&h.location.line))),
        );
    }
    Ok(ScanResult {
        hits,
        issues,
        totals: stats.totals(),
        elapsed: start.elapsed(),
        workstation: None,
    })
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
