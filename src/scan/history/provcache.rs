//! The history walk for provenance, through the blob cache: when the selected commits are the
//! same list as last time (same configuration, same repository, same selection and excludes)
//! and every blob with hits was already walked for, the walk's result is taken from a side
//! file of the cache instead of reading every tree of the history again. HEAD and authors are
//! always worked out afresh ([`provenance::places`]).
//!
//! The side file holds, per blob with hits, the index and path of the first commit carrying it,
//! how many commits carry it and whether it was seen: blob and commit ids and paths, nothing
//! about the secrets. A walk that met unreadable objects is not saved.

use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cache::{self, Store};
use crate::source::git::{HistoryOptions, RepoDir, Tally, provenance};
use crate::walk::WalkOptions;

/// What is saved.
#[derive(Serialize, Deserialize)]
struct Saved {
    /// SHA-256 of the commit list, in order.
    commits: String,
    /// Submodule entries met.
    gitlinks: u64,
    /// Per blob: id, first (commit index, path), count, seen.
    blobs: Vec<(String, Option<(usize, String)>, u64, bool)>,
}

/// The excluded-path test of [`provenance::walk`].
type Excluded<'a> = &'a (dyn Fn(&str) -> bool + Sync);

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
    let Some(store) = scope.store else {
        return provenance::walk(git, commits, blobs, excluded, scope.walk.threads, tally);
    };
    let name = side_name(scope, store);
    let list = list_digest(commits);
    if let Some(walked) = store
        .read_side(&name)
        .and_then(|b| serde_json::from_slice::<Saved>(&b).ok())
        .filter(|s| s.commits == list)
        .and_then(|saved| answer(&saved, blobs, commits.len(), tally))
    {
        return walked;
    }
    let mut fresh = Tally::default();
    let walked = provenance::walk(
        git,
        commits,
        blobs,
        excluded,
        scope.walk.threads,
        &mut fresh,
    );
    if fresh.bad.is_empty() {
        let saved = Saved {
            commits: list,
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

/// The saved walk for exactly `blobs`, if it covers every one of them.
fn answer(
    saved: &Saved,
    blobs: &[Oid],
    commits: usize,
    tally: &mut Tally,
) -> Option<provenance::Walked> {
    let known: std::collections::HashMap<&str, usize> = saved
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
    cache::side_name(&[
        b"provenance",
        store.digest(),
        git_dir.as_os_str().as_encoded_bytes(),
        scope.repo.rel.as_bytes(),
        selection.as_bytes(),
    ])
}

fn list_digest(commits: &[Oid]) -> String {
    let mut h = Sha256::new();
    commits.iter().for_each(|c| h.update(c.as_bytes()));
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
