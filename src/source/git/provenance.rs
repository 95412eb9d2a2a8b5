//! Provenance of the blobs that had hits: the commit that first carried each one (oldest first),
//! its path there, how many commits carry it, and whether HEAD's tree holds it.
//!
//! Runs only after the scan, only for blobs with hits, so a clean history costs no tree reads.
//! Commits are visited parents-first; each unique tree is read once (`treememo`), so the cost is
//! one read per unique tree plus a walk of the few entries leading to hits per commit, and
//! memory does not grow with the number of commits beyond the commit list.

use std::collections::HashMap;

use git2::{Oid, Repository};

use super::Tally;
use super::idmap::IdMap;
use super::object;
use super::treememo::{Excluded, TreeMemo};
use crate::source::GitProvenance;

/// Where a hit blob was found, if anywhere.
#[derive(Debug, Clone)]
pub enum Place {
    /// In a selected commit, at a path the user did not exclude.
    Found(Found),
    /// Only at paths the user excluded.
    Excluded,
    /// In no selected commit (an unreachable object).
    Nowhere,
}

/// The first place a hit blob was found.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path inside the repository in the introducing commit.
    pub path: String,
    /// Commit, author and counts.
    pub git: GitProvenance,
}

/// Compute provenance for `blobs` over `commits` (parents first) on up to `threads` threads.
/// `excluded` (if any) gets a path inside the repository and says whether the user excluded
/// it; a blob seen only at excluded paths gets no provenance. The result is parallel to `blobs`.
pub fn find(
    repo: &Repository,
    commits: &[Oid],
    blobs: &[Oid],
    excluded: Option<Excluded>,
    threads: usize,
    tally: &mut Tally,
) -> Result<Vec<Place>, git2::Error> {
    let walked = walk(repo, commits, blobs, excluded, threads, tally);
    places(repo, commits, blobs, walked, excluded, threads)
}

/// What walking the commits learnt about each hit blob (vectors parallel to the blobs): all of
/// provenance that depends on the commits; [`places`] adds HEAD and the authors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walked {
    /// Index (into the commits) and path of the first commit carrying the blob at a path the
    /// user did not exclude.
    pub first: Vec<Option<(usize, String)>>,
    /// How many commits carry it.
    pub count: Vec<u64>,
    /// Met in some tree, excluded or not.
    pub seen: Vec<bool>,
}

/// Walk `commits` (parents first) for `blobs` on up to `threads` threads.
///
/// Each thread takes a contiguous run of commits with its own repository handle and memo:
/// neighbouring commits share almost all trees, so a tree is read again only where it spans
/// two runs (about one snapshot's trees per extra thread).
pub fn walk(
    repo: &Repository,
    commits: &[Oid],
    blobs: &[Oid],
    excluded: Option<Excluded>,
    threads: usize,
    tally: &mut Tally,
) -> Walked {
    let hit: IdMap<u32> = blobs
        .iter()
        .enumerate()
        .map(|(i, b)| (*b, i as u32))
        .collect();
    let run = commits.len().div_ceil(threads.max(1)).max(1);
    let git_dir = repo.path();
    let partials: Vec<Partial> = std::thread::scope(|s| {
        let hit = &hit;
        let handles: Vec<_> = commits
            .chunks(run)
            .enumerate()
            .map(|(k, part)| s.spawn(move || walk_commits(git_dir, part, k * run, hit, excluded)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Partial::failed(hit.len())))
            .collect()
    });
    // Merge, runs in commit order: the first run that met a blob has its first commit; counts
    // add up.
    let mut first: Vec<Option<(usize, String)>> = vec![None; blobs.len()];
    let mut count = vec![0u64; blobs.len()];
    let mut seen = vec![false; blobs.len()];
    for p in partials {
        tally.gitlinks += p.tally.gitlinks;
        tally.bad.extend(p.tally.bad);
        let runs = first
            .iter_mut()
            .zip(p.first)
            .zip(count.iter_mut().zip(p.count));
        for ((first, run_first), (count, run_count)) in runs {
            *count += run_count;
            if first.is_none() {
                *first = run_first;
            }
        }
        seen.iter_mut().zip(p.seen).for_each(|(s, p)| *s |= p);
    }
    Walked { first, count, seen }
}

/// The places of `blobs` from what [`walk`] learnt over `commits`: whether HEAD's tree holds
/// each blob, and the author of each first commit (read on up to `threads` threads).
pub fn places(
    repo: &Repository,
    commits: &[Oid],
    blobs: &[Oid],
    walked: Walked,
    excluded: Option<Excluded>,
    threads: usize,
) -> Result<Vec<Place>, git2::Error> {
    let Walked {
        mut first,
        count,
        seen,
    } = walked;
    let hit: IdMap<u32> = blobs
        .iter()
        .enumerate()
        .map(|(i, b)| (*b, i as u32))
        .collect();
    // HEAD need not be a selected commit: walked apart, after `seen` is settled.
    let mut in_head = vec![false; blobs.len()];
    if let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) {
        let odb = repo.odb()?;
        let mut memo = TreeMemo::new(&odb, &hit, excluded);
        let mut places = Vec::new();
        memo.hits(tree.id(), &|_| false, &mut places);
        for (i, _) in places {
            in_head[i as usize] = true;
        }
    }
    let mut firsts: Vec<usize> = first.iter().flatten().map(|(n, _)| *n).collect();
    firsts.sort_unstable();
    firsts.dedup();
    let authors = authors(repo, commits, &firsts, threads);
    let mut out = Vec::with_capacity(blobs.len());
    for (i, blob) in blobs.iter().enumerate() {
        let Some((n, path)) = first[i].take() else {
            out.push(if seen[i] {
                Place::Excluded
            } else {
                Place::Nowhere
            });
            continue;
        };
        let (author, email, date) = authors.get(&n).cloned().unwrap_or_default();
        out.push(Place::Found(Found {
            path,
            git: GitProvenance {
                commit: commits[n].to_string(),
                author,
                email,
                date,
                blob: blob.to_string(),
                commit_count: count[i],
                in_head: in_head[i],
                unreachable: false,
            },
        }));
    }
    Ok(out)
}

/// What one thread learnt from its run of commits.
struct Partial {
    /// Per hit blob: index (into all commits) and path of the first commit carrying it.
    first: Vec<Option<(usize, String)>>,
    /// Per hit blob: commits of this run carrying it.
    count: Vec<u64>,
    /// Per hit blob: met in some tree, excluded or not.
    seen: Vec<bool>,
    tally: Tally,
}

impl Partial {
    fn failed(n: usize) -> Partial {
        let mut tally = Tally::default();
        tally.bad_object(Oid::ZERO_SHA1, "history walk failed");
        Partial {
            first: vec![None; n],
            count: vec![0; n],
            seen: vec![false; n],
            tally,
        }
    }
}

/// Walk `commits` (which start at index `offset` of the full list) with a fresh handle.
fn walk_commits(
    git_dir: &std::path::Path,
    commits: &[Oid],
    offset: usize,
    hit: &IdMap<u32>,
    excluded: Option<Excluded>,
) -> Partial {
    let n = hit.len();
    let repo = match Repository::open(git_dir) {
        Ok(r) => r,
        Err(_) => return Partial::failed(n),
    };
    let Ok(odb) = repo.odb() else {
        return Partial::failed(n);
    };
    let mut memo = TreeMemo::new(&odb, hit, excluded);
    let mut first: Vec<Option<(usize, String)>> = vec![None; n];
    let mut count = vec![0u64; n];
    let mut last = vec![usize::MAX; n];
    let mut places = Vec::new();
    for (k, &commit) in commits.iter().enumerate() {
        let Some(header) = odb
            .read(commit)
            .ok()
            .and_then(|o| object::commit_header(o.data()))
        else {
            memo.tally.bad_object(commit, "commit unreadable");
            continue;
        };
        memo.hits(header.tree, &|i| first[i as usize].is_none(), &mut places);
        for (i, path) in places.drain(..) {
            let i = i as usize;
            if last[i] == k {
                continue; // the same blob at a second path of this commit
            }
            last[i] = k;
            count[i] += 1;
            if first[i].is_none() {
                first[i] = path.map(|p| (offset + k, p));
            }
        }
    }
    Partial {
        first,
        count,
        seen: memo.seen,
        tally: memo.tally,
    }
}

/// The author of `commits[n]` for each `n` of `wanted`: a commit read each (a rescan of curl
/// reads about 1,900), split over up to `threads` threads with a repository handle each.
fn authors(
    repo: &Repository,
    commits: &[Oid],
    wanted: &[usize],
    threads: usize,
) -> HashMap<usize, (String, String, String)> {
    let share = wanted.len().div_ceil(threads.max(1)).max(1);
    if wanted.len() <= share {
        return wanted
            .iter()
            .map(|&n| (n, author(repo, commits[n])))
            .collect();
    }
    let git_dir = repo.path();
    std::thread::scope(|s| {
        let parts: Vec<_> = wanted
            .chunks(share)
            .map(|part| {
                s.spawn(move || match Repository::open(git_dir) {
                    Ok(own) => part
                        .iter()
                        .map(|&n| (n, author(&own, commits[n])))
                        .collect::<Vec<_>>(),
                    Err(_) => Vec::new(),
                })
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|p| p.join().unwrap_or_default())
            .collect()
    })
}

fn author(repo: &Repository, commit: Oid) -> (String, String, String) {
    match repo.find_commit(commit) {
        Ok(c) => {
            let a = c.author();
            let when = a.when();
            (
                String::from_utf8_lossy(a.name_bytes()).into_owned(),
                String::from_utf8_lossy(a.email_bytes()).into_owned(),
                object::rfc3339(when.seconds(), when.offset_minutes()),
            )
        }
        Err(_) => Default::default(),
    }
}
