//! The history walk for provenance, through the blob cache. The walk's result of the last scan
//! (same configuration, repository, selection and excludes) is kept in a side file of the
//! cache with the commit list it walked:
//! - the same commit list and every blob with hits already walked for: the result is reused;
//! - the whole history (no `--branch`/`--since-commit`), every old commit still selected and in
//!   the same relative order: only the new commits are walked and the results merged (the first
//!   commit is the earlier of the two; counts add up). A blob with hits not walked for last
//!   time cannot be in an old commit: that scan read every object of the repository with the
//!   same rules and size cap, so it would have had hits then;
//! - anything else: the whole history is walked.
//!
//! HEAD and authors are always worked out afresh ([`provenance::places`]).
//!
//! The side file holds, per blob with hits, the index and path of the first commit carrying it,
//! how many commits carry it and whether it was seen: blob and commit ids and paths, nothing
//! about the secrets. A walk that met unreadable objects is not saved.

use std::collections::HashMap;

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cache::{self, Store};
use crate::source::git::idmap::IdMap;
use crate::source::git::{HistoryOptions, RepoDir, Tally, provenance};
use crate::walk::WalkOptions;

/// What is saved.
#[derive(Serialize, Deserialize)]
struct Saved {
    /// SHA-256 of the commit list, in order.
    commits: String,
    /// The commit list, hex ids concatenated.
    list: String,
    /// Submodule entries met.
    gitlinks: u64,
    /// Per blob: id, first (commit index, path), count, seen.
    blobs: Vec<SavedBlob>,
}

/// The excluded-path test of [`provenance::walk`].
type Excluded<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// One blob's walk: id, first (commit index, path), count, seen.
type SavedBlob = (String, Option<(usize, String)>, u64, bool);

/// Everything besides the commits and blobs the walk depends on.
pub struct Scope<'a> {
    /// The cache (none: always walk).
    pub store: Option<&'a Store>,
    /// The repository.
    pub repo: &'a RepoDir,
    /// The selection of history.
    pub history: &'a HistoryOptions,
    /// Threads, size cap and excludes.
    pub walk: &'a WalkOptions,
    /// Counts the commits actually walked.
    pub walked: &'a std::sync::atomic::AtomicU64,
}

/// [`provenance::walk`] for `blobs` over `commits`, answered from the cache when it can be.
pub fn walk(
    scope: &Scope,
    git: &Repository,
    commits: &[Oid],
    blobs: &[Oid],
    excluded: Option<Excluded>,
    tally: &mut Tally,
) -> provenance::Walked {
    let count = |n: usize| {
        scope
            .walked
            .fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed)
    };
    let Some(store) = scope.store else {
        count(commits.len());
        return provenance::walk(git, commits, blobs, excluded, scope.walk.threads, tally);
    };
    let name = side_name(scope, store);
    let digest = list_digest(commits);
    let saved = store
        .read_side(&name)
        .and_then(|b| serde_json::from_slice::<Saved>(&b).ok());
    let whole = scope.history.branch.is_none() && scope.history.since.is_none();
    let mut fresh = Tally::default();
    let reused = saved.as_ref().and_then(|saved| {
        if saved.commits == digest
            && let Some(w) = answer(saved, blobs, commits.len(), &mut fresh)
        {
            Some((w, false))
        } else if whole && tally.bad.is_empty() {
            extend(saved, scope, git, commits, blobs, excluded, &mut fresh).map(|w| (w, true))
        } else {
            None
        }
    });
    let (walked, changed) = match reused {
        Some(w) => w,
        None => {
            fresh = Tally::default();
            count(commits.len());
            let w = provenance::walk(
                git,
                commits,
                blobs,
                excluded,
                scope.walk.threads,
                &mut fresh,
            );
            (w, true)
        }
    };
    // Objects that could not be read make the walk incomplete: not saved.
    if changed && fresh.bad.is_empty() && tally.bad.is_empty() {
        let saved = Saved {
            commits: digest,
            list: commits.iter().map(|c| c.to_string()).collect(),
            gitlinks: fresh.gitlinks,
            blobs: blobs
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let first = walked.first[i].clone();
                    (b.to_string(), first, walked.count[i], walked.seen[i])
                })
                .collect(),
        };
        if let Ok(bytes) = serde_json::to_vec(&saved) {
            // A failure only costs the next scan a walk.
            let _ = store.write_side(&name, &bytes);
        }
    }
    tally.gitlinks += fresh.gitlinks;
    tally.bad.extend(fresh.bad);
    walked
}

/// Walk only the commits added since `saved` and merge; `None` when an old commit is gone or
/// the old commits changed order.
fn extend(
    saved: &Saved,
    scope: &Scope,
    git: &Repository,
    commits: &[Oid],
    blobs: &[Oid],
    excluded: Option<Excluded>,
    tally: &mut Tally,
) -> Option<provenance::Walked> {
    let pos: IdMap<usize> = commits.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut old_pos = Vec::with_capacity(saved.list.len() / 40);
    for hex in saved.list.as_bytes().chunks(40) {
        let oid = Oid::from_str(std::str::from_utf8(hex).ok()?).ok()?;
        let p = *pos.get(&oid)?;
        if old_pos.last().is_some_and(|&last| last >= p) {
            return None;
        }
        old_pos.push(p);
    }
    let mut is_old = vec![false; commits.len()];
    old_pos.iter().for_each(|&p| is_old[p] = true);
    let new_pos: Vec<usize> = (0..commits.len()).filter(|&p| !is_old[p]).collect();
    let added: Vec<Oid> = new_pos.iter().map(|&p| commits[p]).collect();
    scope
        .walked
        .fetch_add(added.len() as u64, std::sync::atomic::Ordering::Relaxed);
    let new = provenance::walk(git, &added, blobs, excluded, scope.walk.threads, tally);
    let known: HashMap<&str, usize> = saved
        .blobs
        .iter()
        .enumerate()
        .map(|(i, b)| (b.0.as_str(), i))
        .collect();
    let mut out = provenance::Walked::default();
    for (i, blob) in blobs.iter().enumerate() {
        let old = known
            .get(blob.to_string().as_str())
            .map(|&k| &saved.blobs[k]);
        let old_first = match old.and_then(|o| o.1.as_ref()) {
            Some((n, path)) => Some((*old_pos.get(*n)?, path.clone())),
            None => None,
        };
        let new_first = new.first[i].clone().map(|(n, path)| (new_pos[n], path));
        let first = match (old_first, new_first) {
            (Some(a), Some(b)) => Some(if a.0 < b.0 { a } else { b }),
            (a, b) => a.or(b),
        };
        out.first.push(first);
        out.count.push(old.map_or(0, |o| o.2) + new.count[i]);
        out.seen.push(old.is_some_and(|o| o.3) || new.seen[i]);
    }
    tally.gitlinks += saved.gitlinks;
    Some(out)
}

/// The saved walk for exactly `blobs`, if it covers every one of them.
fn answer(
    saved: &Saved,
    blobs: &[Oid],
    commits: usize,
    tally: &mut Tally,
) -> Option<provenance::Walked> {
    let known: HashMap<&str, usize> = saved
        .blobs
        .iter()
        .enumerate()
        .map(|(i, b)| (b.0.as_str(), i))
        .collect();
    let mut out = provenance::Walked::default();
    for blob in blobs {
        let (_, first, count, seen) = &saved.blobs[*known.get(blob.to_string().as_str())?];
        if first.as_ref().is_some_and(|(n, _)| *n >= commits) {
            return None;
        }
        out.first.push(first.clone());
        out.count.push(*count);
        out.seen.push(*seen);
    }
    tally.gitlinks += saved.gitlinks;
    Some(out)
}

/// The side file of this repository, selection and configuration.
fn side_name(scope: &Scope, store: &Store) -> String {
    let git_dir =
        std::fs::canonicalize(&scope.repo.git_dir).unwrap_or_else(|_| scope.repo.git_dir.clone());
    let h = scope.history;
    let selection = format!(
        "{:?} {:?} {} {:?} {:?}",
        h.branch, h.since, scope.walk.max_file_size, scope.walk.exclude, scope.walk.exclude_base
    );
    cache::side_name(
        cache::Side::Provenance,
        &[
            b"provenance",
            store.digest(),
            git_dir.as_os_str().as_encoded_bytes(),
            scope.repo.rel.as_bytes(),
            selection.as_bytes(),
        ],
    )
}

fn list_digest(commits: &[Oid]) -> String {
    let mut h = Sha256::new();
    commits.iter().for_each(|c| h.update(c.as_bytes()));
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
