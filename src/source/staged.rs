//! Staged changes, for a pre-commit hook: the index entries that differ from HEAD, scanned as
//! they are staged, keeping only hits on lines the staged change adds or modifies.
//!
//! It must feel instant, so it reads nothing but the index, HEAD's trees and the blobs of the
//! changed entries: no work-tree walk, no history. Line numbers are those of the staged version
//! (the blob is scanned whole through `Engine::scan_bytes`, then hits are kept by line). An
//! exact rename carries no new lines, so it reports nothing.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use git2::{Delta, DiffFindOptions, DiffOptions, FileMode, Patch, Repository};

use crate::correlate::Hit;
use crate::detect::Scratch;
use crate::error::{Error, IssueKind, ScanIssue};
use crate::scan::{Engine, Outcome, Root, Stats};
use crate::source::{Location, SourceKind};
use crate::walk::WalkOptions;

/// Scan what is staged in the repository containing `root`. Uses `opts.max_file_size` and
/// `opts.exclude` (globs relative to the repository's work tree). Fails if `root` is not in a
/// repository with a work tree.
pub fn scan_staged(
    root: &Root,
    opts: &WalkOptions,
    engine: &Engine,
    stats: &Stats,
) -> Result<Outcome, Error> {
    let start = Instant::now();
    super::git::init();
    let fail = |reason: String| Error::Root {
        path: root.path.clone(),
        reason,
    };
    let repo = Repository::discover(&root.path)
        .map_err(|e| fail(format!("not in a git repository ({})", e.message())))?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| fail("a bare repository has nothing staged".into()))?;
    // Locations are relative to the work tree; keep the argument as given when it is the work
    // tree itself (the usual `sprawl scan --staged` at the top of the repository).
    let shown_root = if same_dir(&root.path, workdir) {
        root.given.clone()
    } else {
        workdir.display().to_string()
    };
    let head = repo.head().and_then(|h| h.peel_to_tree()).ok();
    let index = repo
        .index()
        .map_err(|e| fail(format!("cannot read the index: {}", e.message())))?;
    let mut diff_opts = DiffOptions::new();
    diff_opts
        .context_lines(0)
        .force_text(true)
        .ignore_submodules(true);
    let mut diff = repo
        .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut diff_opts))
        .map_err(|e| {
            fail(format!(
                "cannot compare the index with HEAD: {}",
                e.message()
            ))
        })?;
    diff.find_similar(Some(
        DiffFindOptions::new().renames(true).exact_match_only(true),
    ))
    .map_err(|e| fail(e.message().to_string()))?;

    let odb = repo
        .odb()
        .map_err(|e| fail(format!("cannot open the object database: {}", e.message())))?;
    let mut hits = Vec::new();
    let mut issues = Vec::new();
    let mut scratch = Scratch::default();
    for (i, delta) in diff.deltas().enumerate() {
        let status = delta.status();
        if !matches!(
            status,
            Delta::Added | Delta::Modified | Delta::Renamed | Delta::Copied | Delta::Typechange
        ) {
            continue;
        }
        let new = delta.new_file();
        if !matches!(
            new.mode(),
            FileMode::Blob | FileMode::BlobExecutable | FileMode::BlobGroupWritable
        ) {
            continue; // symlinks, submodules
        }
        let path = new
            .path_bytes()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .unwrap_or_default();
        if !opts.exclude.is_empty() && opts.exclude.is_match(&path) {
            continue;
        }
        if new.size() > opts.max_file_size {
            stats.too_large.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        let issue = |reason: String| ScanIssue {
            kind: IssueKind::Unreadable,
            path: path.clone(),
            reason,
        };
        let blob = match odb.read(new.id()) {
            Ok(b) => b,
            Err(e) => {
                issues.push(issue(format!(
                    "staged object {}: {}",
                    new.id(),
                    e.message()
                )));
                continue;
            }
        };
        let origin = Location::input(&shown_root, &path, SourceKind::Staged);
        let found = engine.scan_bytes(blob.data(), &origin, &mut scratch);
        if found.is_empty() {
            continue;
        }
        let added = if status == Delta::Added {
            None // every line is new
        } else {
            match added_lines(&diff, i) {
                Ok(lines) => Some(lines),
                Err(e) => {
                    issues.push(issue(format!("cannot diff: {}", e.message())));
                    None
                }
            }
        };
        hits.extend(
            found
                .into_iter()
                .filter(|h: &Hit| added.as_ref().is_none_or(|a| a.contains(&h.location.line))),
        );
    }
    Ok(Outcome {
        hits,
        issues,
        counts: stats.counts(),
        elapsed: start.elapsed(),
    })
}

/// Line numbers (in the staged version) that delta `i` adds or modifies.
fn added_lines(diff: &git2::Diff, i: usize) -> Result<HashSet<u32>, git2::Error> {
    let mut lines = HashSet::new();
    let Some(patch) = Patch::from_diff(diff, i)? else {
        return Ok(lines);
    };
    for h in 0..patch.num_hunks() {
        for l in 0..patch.num_lines_in_hunk(h)? {
            let line = patch.line_in_hunk(h, l)?;
            if let (Some(n), '+') = (line.new_lineno(), line.origin()) {
                lines.insert(n);
            }
        }
    }
    Ok(lines)
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
