//! The history scan of one repository: ask `source::git` what to read, scan every blob on
//! worker threads ([`objects`]), ask `source::git` for the provenance of the blobs that had hits,
//! and turn what went wrong (shallow clone, bad revision, unreadable objects, unreachable hits)
//! into issues. It drives the source; the source only enumerates and reads. It never prints.

mod graphcache;
mod objects;
mod packed;
mod provcache;
mod windows;

use std::sync::atomic::Ordering;

use git2::{Oid, Repository};

use super::{Engine, Root};
use crate::error::{IssueKind, ScanIssue};
use crate::hit::Hit;
use crate::source::git::{HistoryOptions, RepoDir, Tally, enumerate, packidx, provenance};
use crate::source::{Location, SourceKind, join_display};
use crate::walk::WalkOptions;

/// How many unreadable objects are named one by one per repository before the rest are counted.
const NAMED_BAD_OBJECTS: usize = 10;

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
    let shown = join_display(&root.given, &repo.rel);
    let mut out = RepoScan::default();
    let issue = |kind, reason: String| ScanIssue {
        kind,
        path: shown.clone(),
        reason,
    };
    let git = match crate::source::git::open(&repo.git_dir) {
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
    // The cached commit headers and the pack indexes are read side by side (each is tens of
    // milliseconds of one core before the blob scan can start).
    let (mut known, index, runs) = std::thread::scope(|s| {
        let headers = s.spawn(|| {
            (
                graphcache::load(engine.cache, repo),
                windows::Runs::load(engine.cache, repo),
            )
        });
        let index = packidx::PackIndex::load(git.path());
        let (known, runs) = headers
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (known, index, runs)
    });
    let ranged = opts.branch.is_some() || opts.since.is_some();
    let mut commits = None;
    let objects = if ranged {
        let list = match enumerate::commits(&git, opts, &mut known) {
            Ok(list) => list,
            Err(reason) => {
                out.issues.push(issue(IssueKind::NotScanned, reason));
                return out;
            }
        };
        let blobs = enumerate::range_blobs(&git, &list, &mut tally);
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
    let origin = Location::input(&root.given, &repo.rel, SourceKind::Git);
    let threads = walk.threads;
    let git_dir = git.path().to_path_buf();
    let scan = || {
        let max = walk.max_file_size;
        let at = objects::Scope {
            engine,
            origin: &origin,
            max_size: max,
            runs: &runs,
        };
        objects::scan_objects(&git_dir, &index, &objects, threads, &at)
    };
    // With the commit headers cached (a rescan), the commits are listed while the blobs are
    // scanned: that listing is one core's work and a rescan leaves cores idle (replaying the
    // cache, parsing pack headers). A first scan lists them afterwards, as reading every commit
    // beside the scan adds its memory to the scan's (+50 MB on curl) and both cores are busy.
    let (scanned, listed) = if !ranged && !known.is_empty() {
        std::thread::scope(|s| {
            let scanning = s.spawn(scan);
            let listed = enumerate::commits(&git, opts, &mut known);
            let scanned = scanning
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (scanned, Some(listed))
        })
    } else {
        let scanned = scan();
        let listed = (!ranged).then(|| enumerate::commits(&git, opts, &mut known));
        (scanned, listed)
    };
    drop((objects, index));
    runs.save(engine.cache);
    if let Some(reason) = scanned.failed {
        out.issues.push(issue(
            IssueKind::Unreadable,
            format!("cannot open repository: {reason}"),
        ));
    }
    if let Some(listed) = listed {
        // The summary counts what refs reach (`git rev-list --all --count`); commit objects
        // nothing reaches (read with the rest of the database) are counted apart.
        match listed {
            Ok(list) => {
                let reachable = list.len() as u64;
                stats.commits.fetch_add(reachable, Ordering::Relaxed);
                stats
                    .unreachable_commits
                    .fetch_add(scanned.commits.saturating_sub(reachable), Ordering::Relaxed);
                commits = Some(list);
            }
            Err(reason) => out.issues.push(issue(IssueKind::Unreadable, reason)),
        }
    }
    tally.bad.extend(scanned.bad);
    if !scanned.hits.is_empty() {
        let commits = match commits {
            Some(c) => Ok(c),
            None => enumerate::commits(&git, opts, &mut known),
        };
        match commits {
            Ok(commits) => {
                let ctx = Ctx {
                    git: &git,
                    repo,
                    shown: &shown,
                    walk,
                    unreachable: opts.unreachable,
                    history: opts,
                    store: engine.cache,
                    walked: &stats.provenance_commits,
                };
                attach(&ctx, &commits, scanned.hits, &mut tally, &mut out);
            }
            Err(reason) => out.issues.push(issue(IssueKind::Unreadable, reason)),
        }
    }
    graphcache::save(engine.cache, repo, &known);
    out.submodules = tally.gitlinks > 0 || head_has_gitmodules(&git);
    if !tally.bad.is_empty() {
        for pack in packidx::damaged_packs(git.path()) {
            out.issues.push(issue(
                IssueKind::Malformed,
                format!(
                    "{}: truncated or damaged (does not end with the checksum its index \
                     records); its {} objects could not be read",
                    pack.path, pack.objects
                ),
            ));
        }
    }
    report_bad(&tally, &shown, &mut out.issues);
    out
}

/// The repository being scanned, for [`attach`].
struct Ctx<'a> {
    git: &'a Repository,
    repo: &'a RepoDir,
    /// The repository as shown in issues.
    shown: &'a str,
    walk: &'a WalkOptions,
    /// `--unreachable`: report hits in blobs no ref reaches.
    unreachable: bool,
    /// The selection of history.
    history: &'a HistoryOptions,
    /// The blob cache, which may hold the walk for provenance.
    store: Option<&'a crate::cache::Store>,
    /// Counts the commits walked for provenance.
    walked: &'a std::sync::atomic::AtomicU64,
}

/// Give each hit its blob's provenance; hits in blobs no commit carries are summed up in one
/// issue, hits in blobs seen only at excluded paths are dropped.
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
        unreachable,
        ..
    } = *ctx;
    let blobs: Vec<Oid> = hits.iter().map(|(b, _)| *b).collect();
    let exclude = |p: &str| walk.exclude.is_match(join_rel(&repo.rel, p));
    let excluded: Option<&(dyn Fn(&str) -> bool + Sync)> =
        (!walk.exclude.is_empty()).then_some(&exclude);
    let scope = provcache::Scope {
        store: ctx.store,
        repo,
        history: ctx.history,
        walk,
        walked: ctx.walked,
    };
    let walked = provcache::walk(&scope, git, commits, &blobs, excluded, tally);
    let threads = walk.threads;
    let places = match provenance::places(git, commits, &blobs, walked, excluded, threads) {
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
            provenance::Place::Nowhere if unreachable => {
                for mut hit in blob_hits {
                    hit.location.path = repo.rel.clone();
                    hit.location.git = Some(unreachable_blob(blob));
                    out.hits.push(hit);
                }
            }
            provenance::Place::Nowhere => nowhere.push(blob),
        }
    }
    if !nowhere.is_empty() {
        nowhere.sort();
        // Said, never acted on: these objects are the repository's own (a rebase's leftovers,
        // objects a clone copied), and removing them is the owner's decision, not sprawl's.
        out.issues.push(ScanIssue {
            kind: IssueKind::Limit,
            path: shown.to_string(),
            reason: format!(
                "{} blob{} with possible secrets that no ref or HEAD reaches (e.g. {}): not \
                 reported; --unreachable reports them",
                nowhere.len(),
                if nowhere.len() == 1 { "" } else { "s" },
                nowhere[0]
            ),
        });
    }
}

/// The provenance of a blob no ref or HEAD reaches: only its id is known.
fn unreachable_blob(blob: Oid) -> crate::source::GitProvenance {
    crate::source::GitProvenance {
        commit: String::new(),
        author: String::new(),
        email: String::new(),
        date: String::new(),
        blob: blob.to_string(),
        commit_count: 0,
        in_head: false,
        unreachable: true,
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
