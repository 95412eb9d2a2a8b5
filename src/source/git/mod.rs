//! Git history as a source: find the repositories under a scan root, scan every unique blob of
//! their history once, and give each blob with a hit its provenance.
//!
//! Per repository: [`enumerate`] lists what to read (the whole object database in pack order,
//! or the blobs a `--branch`/`--since-commit` range adds), [`scan`] reads those objects on worker
//! threads and runs every blob through `Engine::scan_bytes`, and only then, for the few blobs
//! that had hits, [`provenance`] walks the commits to find the introducing commit, its path,
//! how many commits carry the blob and whether HEAD holds it. Nothing here prints: problems
//! (shallow clone, unreadable objects, submodules) come back as [`ScanIssue`]s.

mod enumerate;
mod object;
mod packidx;
mod provenance;
mod scan;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Once};

use git2::{Oid, Repository};

use crate::correlate::Hit;
use crate::error::{IssueKind, ScanIssue};
use crate::scan::{Engine, Root};
use crate::source::{Location, SourceKind, join_display};
use crate::walk::{WalkOptions, rel_path};

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

/// How many unreadable objects are named one by one per repository before the rest are counted.
const NAMED_BAD_OBJECTS: usize = 10;

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
    path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir()
}

/// Find the repositories at and under `root`, honouring the same ignore files and exclude
/// globs as the file walk, never descending into a git directory.
pub fn discover(root: &Path, opts: &WalkOptions) -> Discovery {
    if is_git_dir(root) {
        return Discovery {
            repos: vec![RepoDir {
                git_dir: root.to_path_buf(),
                rel: String::new(),
            }],
            submodules: 0,
        };
    }
    let found = Arc::new(Mutex::new(Discovery::default()));
    let mut builder = ignore::WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .parents(opts.respect_ignore)
        .ignore(opts.respect_ignore)
        .git_ignore(opts.respect_ignore)
        .git_global(opts.respect_ignore)
        .git_exclude(opts.respect_ignore);
    if opts.respect_ignore {
        builder.add_custom_ignore_filename(".sprawlignore");
    }
    let (sink, root_buf, exclude) = (found.clone(), root.to_path_buf(), opts.exclude.clone());
    builder.filter_entry(move |entry| {
        let rel = rel_path(&root_buf, entry.path());
        if !exclude.is_empty() && !rel.is_empty() && exclude.is_match(&rel) {
            return false;
        }
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        let mut found = sink.lock().unwrap_or_else(|p| p.into_inner());
        if entry.file_name() == ".git" {
            let parent = entry.path().parent().unwrap_or(&root_buf);
            if is_dir || entry.depth() == 1 {
                // A `.git` file at the root itself (linked worktree, submodule checkout
                // scanned directly) is followed to its git directory.
                if let Ok(repo) = Repository::open(parent) {
                    found.repos.push(RepoDir {
                        git_dir: repo.path().to_path_buf(),
                        rel: rel_path(&root_buf, parent),
                    });
                }
            } else {
                found.submodules += 1;
            }
            return false;
        }
        if is_dir && entry.depth() > 0 && is_git_dir(entry.path()) {
            found.repos.push(RepoDir {
                git_dir: entry.path().to_path_buf(),
                rel,
            });
            return false;
        }
        true
    });
    for _ in builder.build() {}
    let mut found = std::mem::take(&mut *found.lock().unwrap_or_else(|p| p.into_inner()));
    found.repos.sort_by(|a, b| a.rel.cmp(&b.rel));
    found
}

/// What scanning one repository's history produced.
#[derive(Debug, Default)]
pub struct RepoScan {
    /// Hits with provenance.
    pub hits: Vec<Hit>,
    /// Problems, one line each.
    pub issues: Vec<ScanIssue>,
    /// The repository has submodules (not followed).
    pub submodules: bool,
}

/// Scan the history of `repo` (found under `root`) through `engine`.
pub fn scan_repo(
    root: &Root,
    repo: &RepoDir,
    opts: &HistoryOptions,
    walk: &WalkOptions,
    engine: &Engine,
) -> RepoScan {
    init();
    let shown = join_display(&root.given, &repo.rel);
    let mut out = RepoScan::default();
    let issue = |kind, reason: String| ScanIssue {
        kind,
        path: shown.clone(),
        reason,
    };
    let git = match Repository::open(&repo.git_dir) {
        Ok(r) => r,
        Err(e) => {
            out.issues.push(issue(
                IssueKind::Unreadable,
                format!("cannot open repository: {}", e.message()),
            ));
            return out;
        }
    };
    let stats = engine.stats;
    stats.repositories.fetch_add(1, Ordering::Relaxed);
    if git.is_shallow() {
        stats.shallow.fetch_add(1, Ordering::Relaxed);
        out.issues.push(issue(
            IssueKind::Limit,
            "shallow clone: history before the shallow boundary is not in the repository and \
             was not scanned"
                .into(),
        ));
    }
    let mut tally = Tally::default();
    let ranged = opts.branch.is_some() || opts.since.is_some();
    let index = packidx::PackIndex::load(git.path());
    let mut commits = None;
    let objects = if ranged {
        let list = match enumerate::commits(&git, opts) {
            Ok(list) => list,
            Err(reason) => {
                out.issues.push(issue(IssueKind::BadRevision, reason));
                return out;
            }
        };
        let mut blobs = enumerate::range_blobs(&git, &list, &mut tally);
        index.sort(&mut blobs);
        stats
            .commits
            .fetch_add(list.len() as u64, Ordering::Relaxed);
        commits = Some(list);
        blobs
    } else {
        match enumerate::all_objects(&git, &index) {
            Ok(all) => all,
            Err(e) => {
                out.issues
                    .push(issue(IssueKind::Unreadable, e.message().to_string()));
                return out;
            }
        }
    };
    drop(index);
    let origin = Location::input(&root.given, &repo.rel, SourceKind::Git);
    let threads = walk.threads;
    let scanned = scan::scan_objects(
        git.path(),
        &objects,
        threads,
        walk.max_file_size,
        engine,
        &origin,
    );
    drop(objects);
    if let Some(reason) = scanned.failed {
        out.issues.push(issue(
            IssueKind::Unreadable,
            format!("cannot open repository: {reason}"),
        ));
    }
    if !ranged {
        stats.commits.fetch_add(scanned.commits, Ordering::Relaxed);
    }
    tally.bad.extend(scanned.bad);
    if !scanned.hits.is_empty() {
        let commits = match commits {
            Some(c) => Ok(c),
            None => enumerate::commits(&git, opts),
        };
        match commits {
            Ok(commits) => {
                let ctx = Ctx {
                    git: &git,
                    repo,
                    shown: &shown,
                    walk,
                };
                attach(&ctx, &commits, scanned.hits, &mut tally, &mut out);
            }
            Err(reason) => out.issues.push(issue(IssueKind::Unreadable, reason)),
        }
    }
    out.submodules = tally.gitlinks > 0 || head_has_gitmodules(&git);
    report_bad(&tally, &shown, &mut out.issues);
    out
}

/// Give each hit its blob's provenance; hits in blobs no commit carries are summed up in one
/// issue, hits in blobs seen only at excluded paths are dropped.
/// The repository being scanned, for [`attach`].
struct Ctx<'a> {
    git: &'a Repository,
    repo: &'a RepoDir,
    /// The repository as shown in issues.
    shown: &'a str,
    walk: &'a WalkOptions,
}

fn attach(
    ctx: &Ctx,
    commits: &[Oid],
    hits: Vec<(Oid, Vec<Hit>)>,
    tally: &mut Tally,
    out: &mut RepoScan,
) {
    let Ctx {
        git,
        repo,
        shown,
        walk,
    } = *ctx;
    let blobs: Vec<Oid> = hits.iter().map(|(b, _)| *b).collect();
    let excluded =
        |p: &str| !walk.exclude.is_empty() && walk.exclude.is_match(join_rel(&repo.rel, p));
    let places = match provenance::find(git, commits, &blobs, &excluded, tally) {
        Ok(p) => p,
        Err(e) => {
            out.issues.push(ScanIssue {
                kind: IssueKind::Unreadable,
                path: shown.to_string(),
                reason: format!("cannot walk history: {}", e.message()),
            });
            return;
        }
    };
    let mut nowhere = Vec::new();
    for ((blob, blob_hits), place) in hits.into_iter().zip(places) {
        match place {
            provenance::Place::Found(found) => {
                for mut hit in blob_hits {
                    hit.location.path = join_rel(&repo.rel, &found.path);
                    hit.location.git = Some(found.git.clone());
                    out.hits.push(hit);
                }
            }
            provenance::Place::Excluded => {}
            provenance::Place::Nowhere => nowhere.push(blob),
        }
    }
    if !nowhere.is_empty() {
        nowhere.sort();
        out.issues.push(ScanIssue {
            kind: IssueKind::Limit,
            path: shown.to_string(),
            reason: format!(
                "{} blob{} with possible secrets reachable from no ref (e.g. {}): not reported; \
                 `git gc --prune=now` deletes unreachable objects",
                nowhere.len(),
                if nowhere.len() == 1 { "" } else { "s" },
                nowhere[0]
            ),
        });
    }
}

/// Paths inside a repository joined to the repository's place under the scan root.
fn join_rel(rel: &str, path: &str) -> String {
    if rel.is_empty() {
        path.to_string()
    } else {
        format!("{rel}/{path}")
    }
}

fn head_has_gitmodules(git: &Repository) -> bool {
    git.head()
        .and_then(|h| h.peel_to_tree())
        .is_ok_and(|t| t.get_name(".gitmodules").is_some())
}

/// One issue per unreadable object (the first few), then one line for the rest.
fn report_bad(tally: &Tally, shown: &str, issues: &mut Vec<ScanIssue>) {
    let mut bad = tally.bad.clone();
    bad.sort();
    bad.dedup_by_key(|b| b.0);
    for (oid, reason) in bad.iter().take(NAMED_BAD_OBJECTS) {
        issues.push(ScanIssue {
            kind: IssueKind::Malformed,
            path: shown.to_string(),
            reason: format!("object {oid}: {reason}"),
        });
    }
    if bad.len() > NAMED_BAD_OBJECTS {
        issues.push(ScanIssue {
            kind: IssueKind::Malformed,
            path: shown.to_string(),
            reason: format!(
                "{} more objects could not be read",
                bad.len() - NAMED_BAD_OBJECTS
            ),
        });
    }
}

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
    });
}
