//! Staged changes as a source, for a pre-commit hook: the index entries that differ from HEAD,
//! their staged bytes, and the lines each change adds or modifies.
//!
//! It must feel instant, so it reads nothing but the index, HEAD's trees and the blobs of the
//! changed entries: no work-tree walk, no history. It enumerates and reads; the scan driver
//! (`scan::staged`) decides what to scan and which hits to keep. An exact rename carries no new
//! lines, so [`Changes::added_lines`] is empty for it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use git2::{
    Delta, Diff, DiffFindOptions, DiffOptions, FileMode, Odb, OdbObject, Patch, Repository,
};

/// A repository whose index is compared with HEAD.
pub struct StagedRepo {
    repo: Repository,
}

/// The staged changes of a [`StagedRepo`]: entries added, modified, renamed, copied or retyped,
/// as regular files.
pub struct Changes<'r> {
    diff: Diff<'r>,
    odb: Odb<'r>,
    /// The changes, in index order.
    pub entries: Vec<Change>,
}

/// One staged file.
#[derive(Debug, Clone)]
pub struct Change {
    /// Its position in the diff (for [`Changes::added_lines`]).
    index: usize,
    /// Path relative to the work tree, `/`-separated.
    pub path: String,
    /// The staged blob.
    pub blob: git2::Oid,
    /// Its size in bytes.
    pub size: u64,
    /// A new file: every line is added.
    pub new_file: bool,
}

impl StagedRepo {
    /// The repository containing `path`; `Err` says why there is nothing to compare (not in a
    /// repository, a bare repository).
    pub fn discover(path: &Path) -> Result<StagedRepo, String> {
        super::git::init();
        let repo = Repository::discover(path)
            .map_err(|e| format!("not in a git repository ({})", e.message()))?;
        if repo.workdir().is_none() {
            return Err("a bare repository has nothing staged".into());
        }
        Ok(StagedRepo { repo })
    }

    /// The work tree's directory.
    pub fn workdir(&self) -> PathBuf {
        self.repo
            .workdir()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The staged changes; `Err` names what could not be read (the index, the object database).
    pub fn changes(&self) -> Result<Changes<'_>, String> {
        let repo = &self.repo;
        let head = repo.head().and_then(|h| h.peel_to_tree()).ok();
        let index = repo
            .index()
            .map_err(|e| format!("cannot read the index: {}", e.message()))?;
        let mut opts = DiffOptions::new();
        opts.context_lines(0)
            .force_text(true)
            .ignore_submodules(true);
        let mut diff = repo
            .diff_tree_to_index(head.as_ref(), Some(&index), Some(&mut opts))
            .map_err(|e| format!("cannot compare the index with HEAD: {}", e.message()))?;
        diff.find_similar(Some(
            DiffFindOptions::new().renames(true).exact_match_only(true),
        ))
        .map_err(|e| e.message().to_string())?;
        let odb = repo
            .odb()
            .map_err(|e| format!("cannot open the object database: {}", e.message()))?;
        let mut entries = Vec::new();
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
            entries.push(Change {
                index: i,
                path,
                blob: new.id(),
                size: new.size(),
                new_file: status == Delta::Added,
            });
        }
        Ok(Changes { diff, odb, entries })
    }
}

impl Changes<'_> {
    /// The staged bytes of `change`; `Err` names the object and the reason.
    pub fn read(&self, change: &Change) -> Result<OdbObject<'_>, String> {
        self.odb
            .read(change.blob)
            .map_err(|e| format!("staged object {}: {}", change.blob, e.message()))
    }

    /// Line numbers (in the staged version) that `change` adds or modifies.
    pub fn added_lines(&self, change: &Change) -> Result<HashSet<u32>, String> {
        let fail = |e: git2::Error| format!("cannot diff: {}", e.message());
        let mut lines = HashSet::new();
        let Some(patch) = Patch::from_diff(&self.diff, change.index).map_err(fail)? else {
            return Ok(lines);
        };
        for h in 0..patch.num_hunks() {
            for l in 0..patch.num_lines_in_hunk(h).map_err(fail)? {
                let line = patch.line_in_hunk(h, l).map_err(fail)?;
                if let (Some(n), '+') = (line.new_lineno(), line.origin()) {
                    lines.insert(n);
                }
            }
        }
        Ok(lines)
    }
}
