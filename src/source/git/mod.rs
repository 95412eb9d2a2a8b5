//! Git history as a source: find the repositories under a scan root, list what to read, read
//! objects, and say where a blob lives. It never scans: the scan driver (`scan::history`) owns
//! the loop, the threads and the detector.
//!
//! Per repository: [`enumerate`] lists what to read (the whole object database in pack order,
//! or the blobs a `--branch`/`--since-commit` range adds), [`forest`] decodes a whole pack
//! (each entry once, walking its delta trees; [`packread`] holds the format's pieces), [`read`]
//! reads one object through libgit2 on a worker thread, and [`provenance`], for the few blobs that had hits, walks the commits to find
//! the introducing commit, its path, how many commits carry the blob and whether HEAD holds it.
//! Nothing here prints: problems come back as values ([`Tally`], reasons).

pub mod enumerate;
pub mod forest;
pub mod idmap;
mod object;
mod order;
pub use order::Known;
pub mod packidx;
pub mod packread;
pub mod provenance;
pub mod read;
mod treememo;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use git2::{Oid, Repository};

use crate::walk::{Event, GitEntry, WalkOptions, rel_path};

/// Whether and how history is scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HistoryMode {
    /// Files only.
    Off,
    /// Files and the history of every repository found (the default).
    #[default]
    WithFiles,
    /// History only; work-tree files are not read.
    Only,
}

/// Which history to scan.
#[derive(Debug, Clone, Default)]
pub struct HistoryOptions {
    /// Off, with files, or history only.
    pub mode: HistoryMode,
    /// Only history reachable from this ref (default: all refs and HEAD).
    pub branch: Option<String>,
    /// Only commits not reachable from this revision.
    pub since: Option<String>,
    /// Also report hits in blobs no ref or HEAD reaches (labelled `unreachable`).
    pub unreachable: bool,
}

/// Problems met while reading one repository, turned into issues at the end.
#[derive(Debug, Default)]
pub struct Tally {
    /// Submodule entries met in trees (never followed).
    pub gitlinks: u64,
    /// Objects that could not be read: (id, reason).
    pub bad: Vec<(Oid, String)>,
}

impl Tally {
    /// Record an object that could not be read or parsed.
    pub fn bad_object(&mut self, oid: Oid, reason: &str) {
        self.bad.push((oid, reason.to_string()));
    }
}

/// A repository found under a scan root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoDir {
    /// Its git directory (`.git`, or the bare repository itself).
    pub git_dir: PathBuf,
    /// Its directory relative to the scan root, `/`-separated (empty for the root itself).
    pub rel: String,
}

/// What discovery found under a root.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Repositories, in walk order.
    pub repos: Vec<RepoDir>,
    /// Submodule checkouts (a `.git` file below the root): their files are scanned, their
    /// history is not.
    pub submodules: usize,
}

/// True if `path` is a git directory: a bare repository, a mirror, or a `.git` directory.
pub fn is_git_dir(path: &Path) -> bool {
    crate::walk::looks_like_git_dir(path)
}

impl Discovery {
    /// What `root` itself is: a git directory is its own one repository, with nothing to walk.
    pub fn of_git_dir(root: &Path) -> Option<Discovery> {
        is_git_dir(root).then(|| Discovery {
            repos: vec![RepoDir {
                git_dir: root.to_path_buf(),
                rel: String::new(),
            }],
            submodules: 0,
        })
    }

    /// Take in one sign of a repository the walk of `root` met: a `.git` directory (or a `.git`
    /// file directly in the root: a linked worktree or a submodule scanned on its own) is the
    /// repository of its parent; a `.git` file deeper down is a submodule checkout; a
    /// bare-looking directory is a repository of its own.
    pub fn add(&mut self, root: &Path, entry: &GitEntry) {
        if !entry.dot_git {
            self.repos.push(RepoDir {
                git_dir: entry.path.clone(),
                rel: rel_path(root, &entry.path),
            });
            return;
        }
        let parent = entry.path.parent().unwrap_or(root);
        if entry.is_dir || entry.depth == 1 {
            if let Ok(repo) = Repository::open(parent) {
                self.repos.push(RepoDir {
                    git_dir: repo.path().to_path_buf(),
                    rel: rel_path(root, parent),
                });
            }
        } else {
            self.submodules += 1;
        }
    }

    /// Put the repositories in path order (the walk is parallel, so they arrive in any order).
    pub fn finish(mut self) -> Discovery {
        self.repos
            .sort_by(|a, b| a.rel.cmp(&b.rel).then(a.git_dir.cmp(&b.git_dir)));
        self
    }
}

/// Find the repositories at and under `root`, honouring the same ignore files and exclude
/// globs as the file walk (the same walk, reading no file). A scan that also reads the work
/// tree collects them from its own walk instead ([`Discovery::add`]).
pub fn discover(root: &Path, opts: &WalkOptions) -> Discovery {
    if let Some(found) = Discovery::of_git_dir(root) {
        return found;
    }
    let found = Mutex::new(Discovery::default());
    crate::walk::walk(root, opts, true, || {
        let found = &found;
        Box::new(move |event| {
            if let Event::Git(entry) = event {
                found
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .add(root, &entry);
            }
        })
    });
    found
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .finish()
}

/// Open the repository at `git_dir` for reading (libgit2 settings applied first).
pub fn open(git_dir: &Path) -> Result<Repository, git2::Error> {
    init();
    Repository::open(git_dir)
}

/// Size of one mapped window of a pack file.
const MWINDOW_SIZE: usize = 8 << 20;
/// Pack data mapped at once, over all packs and threads.
const MWINDOW_MAPPED_LIMIT: usize = 128 << 20;

/// Process-wide libgit2 settings for reading history, applied once before any repository is
/// opened here (also used by the staged source).
pub(crate) fn init() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Verifying each object's SHA-1 on read took 45% of the time of reading curl/curl's
        // blobs (21.7 s vs 12.0 s on one thread); git does not verify on read either, and a
        // damaged object still fails to inflate and is reported.
        git2::opts::strict_hash_verification(false);
        // Every tree and commit is read once (memoised by the walks); libgit2's object cache
        // would only hold memory.
        git2::opts::enable_caching(false);
        // A read-only scan of a checkout owned by another user (a CI volume, a container) must
        // not fail with "not owned by current user": sprawl runs no hooks, filters or
        // configured programs, which is what the ownership check protects against.
        // SAFETY: libgit2 options are process-global and not synchronised; this runs once,
        // under `Once`, before this module opens any repository.
        unsafe {
            let _ = git2::opts::set_verify_owner_validation(false);
        }
        // Packs are read front to back (pack order), so a small mapped window that moves along
        // serves as well as mapping whole packs, and the resident memory of a history scan no
        // longer grows with the size of the packs (libgit2's defaults on 64-bit systems: 1 GiB
        // windows, 8 GiB mapped). Measured on curl's history in bench/RESULTS.md.
        // SAFETY: as above (process-global, once, before any repository is opened).
        unsafe {
            let _ = git2::opts::set_mwindow_size(MWINDOW_SIZE);
            let _ = git2::opts::set_mwindow_mapped_limit(MWINDOW_MAPPED_LIMIT);
        }
    });
}
