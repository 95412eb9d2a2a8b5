//! Provenance of the blobs that had hits: the commit that first carried each one (oldest first),
//! its path there, how many commits carry it, and whether HEAD's tree holds it.
//!
//! Runs only after the scan, only for blobs with hits, so a clean history costs no tree reads.
//! Commits are visited parents-first; each unique tree is read once and memoised as the list of
//! hit blobs below it (with their paths), so the cost is one read per unique tree and a few
//! operations per commit, and memory is bounded by the number of unique trees that hold a hit
//! blob, never by the number of commits.

use std::collections::HashMap;
use std::rc::Rc;

use git2::{ObjectType, Odb, Oid, Repository};

use super::Tally;
use super::object::{self, EntryKind};
use crate::source::GitProvenance;

/// Trees nested deeper than this are not followed (a crafted repository must not overflow the
/// stack); each one cut off is tallied as a bad object.
const MAX_DEPTH: usize = 512;

/// At most this many places of one blob are remembered per tree: enough to pick a path the
/// exclude globs allow, without letting one blob copied everywhere grow the memo.
const MAX_PLACES: usize = 16;

/// Hit blobs below a tree: (index into the hit list, path relative to that tree).
type Places = Rc<[(u32, Rc<str>)]>;

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
/// `excluded` gets a path inside the repository and says whether the user excluded it; a blob
/// seen only at excluded paths gets no provenance. The result is parallel to `blobs`.
///
/// Each thread takes a contiguous run of commits with its own repository handle and memo:
/// neighbouring commits share almost all trees, so a tree is read again only where it spans
/// two runs (about one snapshot's trees per extra thread).
pub fn find(
    repo: &Repository,
    commits: &[Oid],
    blobs: &[Oid],
    excluded: &(dyn Fn(&str) -> bool + Sync),
    threads: usize,
    tally: &mut Tally,
) -> Result<Vec<Place>, git2::Error> {
    let hit: HashMap<Oid, u32> = blobs
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
    // HEAD need not be a selected commit: walked apart, after `seen` is settled.
    let mut in_head = vec![false; blobs.len()];
    if let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) {
        let odb = repo.odb()?;
        let mut head_tally = Tally::default();
        let mut walk = Walk::new(&odb, &hit, excluded, &mut head_tally);
        for (i, _) in walk.root(tree.id()).iter() {
            in_head[*i as usize] = true;
        }
    }
    let mut authors: HashMap<usize, (String, String, String)> = HashMap::new();
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
        let (author, email, date) = authors
            .entry(n)
            .or_insert_with(|| author(repo, commits[n]))
            .clone();
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
    hit: &HashMap<Oid, u32>,
    excluded: &(dyn Fn(&str) -> bool + Sync),
) -> Partial {
    let n = hit.len();
    let repo = match Repository::open(git_dir) {
        Ok(r) => r,
        Err(_) => return Partial::failed(n),
    };
    let Ok(odb) = repo.odb() else {
        return Partial::failed(n);
    };
    let mut tally = Tally::default();
    let mut first: Vec<Option<(usize, String)>> = vec![None; n];
    let mut count = vec![0u64; n];
    let mut last = vec![usize::MAX; n];
    let seen = {
        let mut walk = Walk::new(&odb, hit, excluded, &mut tally);
        for (k, &commit) in commits.iter().enumerate() {
            let Some(header) = odb
                .read(commit)
                .ok()
                .and_then(|o| object::commit_header(o.data()))
            else {
                walk.tally.bad_object(commit, "commit unreadable");
                continue;
            };
            for (i, path) in walk.root(header.tree).iter() {
                let i = *i as usize;
                if last[i] == k {
                    continue; // the same blob at a second path of this commit
                }
                last[i] = k;
                count[i] += 1;
                if first[i].is_none() {
                    first[i] = Some((offset + k, path.to_string()));
                }
            }
        }
        walk.seen
    };
    Partial {
        first,
        count,
        seen,
        tally,
    }
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

struct Walk<'a> {
    odb: &'a Odb<'a>,
    hit: &'a HashMap<Oid, u32>,
    /// Tree -> hit blobs below it, paths relative to the tree.
    memo: HashMap<Oid, Places>,
    /// Root tree -> hit blobs below it at paths the user did not exclude.
    roots: HashMap<Oid, Places>,
    /// Path -> excluded?
    verdicts: HashMap<Rc<str>, bool>,
    empty: Places,
    /// Per hit blob: met in some selected tree, excluded or not.
    seen: Vec<bool>,
    excluded: &'a (dyn Fn(&str) -> bool + Sync),
    tally: &'a mut Tally,
}

impl<'a> Walk<'a> {
    fn new(
        odb: &'a Odb<'a>,
        hit: &'a HashMap<Oid, u32>,
        excluded: &'a (dyn Fn(&str) -> bool + Sync),
        tally: &'a mut Tally,
    ) -> Walk<'a> {
        Walk {
            odb,
            hit,
            memo: HashMap::new(),
            roots: HashMap::new(),
            verdicts: HashMap::new(),
            empty: Rc::from(Vec::new()),
            seen: vec![false; hit.len()],
            excluded,
            tally,
        }
    }

    /// Hit blobs in the commit tree `tree`, excluded paths dropped.
    fn root(&mut self, tree: Oid) -> Places {
        if let Some(p) = self.roots.get(&tree) {
            return p.clone();
        }
        let all = self.below(tree, 0);
        let kept: Places = if all.is_empty() {
            all
        } else {
            let mut kept = Vec::with_capacity(all.len());
            for (i, path) in all.iter() {
                self.seen[*i as usize] = true;
                let excluded = self.excluded;
                let verdict = *self
                    .verdicts
                    .entry(path.clone())
                    .or_insert_with(|| excluded(path));
                if !verdict {
                    kept.push((*i, path.clone()));
                }
            }
            if kept.len() == all.len() {
                all
            } else {
                Rc::from(kept)
            }
        };
        self.roots.insert(tree, kept.clone());
        kept
    }

    /// Hit blobs below `tree`, read once and memoised.
    fn below(&mut self, tree: Oid, depth: usize) -> Places {
        if let Some(p) = self.memo.get(&tree) {
            return p.clone();
        }
        if depth > MAX_DEPTH {
            self.tally
                .bad_object(tree, "trees nested too deep; not followed");
            return self.empty.clone();
        }
        let obj = match self.odb.read(tree) {
            Ok(o) if o.kind() == ObjectType::Tree => o,
            Ok(_) => {
                self.tally.bad_object(tree, "not a tree");
                return self.cache(tree, Vec::new());
            }
            Err(e) => {
                self.tally.bad_object(tree, e.message());
                return self.cache(tree, Vec::new());
            }
        };
        let mut places: Vec<(u32, Rc<str>)> = Vec::new();
        let mut it = object::entries(obj.data());
        for e in it.by_ref() {
            match e.kind {
                EntryKind::Blob => {
                    if let Some(&i) = self.hit.get(&e.oid) {
                        places.push((i, Rc::from(String::from_utf8_lossy(e.name))));
                    }
                }
                EntryKind::Tree => {
                    let sub = self.below(e.oid, depth + 1);
                    if !sub.is_empty() {
                        let dir = String::from_utf8_lossy(e.name);
                        for (i, path) in sub.iter() {
                            places.push((*i, Rc::from(format!("{dir}/{path}"))));
                        }
                    }
                }
                EntryKind::Gitlink => self.tally.gitlinks += 1,
            }
        }
        if it.malformed {
            self.tally.bad_object(tree, "malformed tree");
        }
        self.cache(tree, places)
    }

    fn cache(&mut self, tree: Oid, mut places: Vec<(u32, Rc<str>)>) -> Places {
        let list = if places.is_empty() {
            self.empty.clone()
        } else {
            cap_places(&mut places);
            Rc::from(places)
        };
        self.memo.insert(tree, list.clone());
        list
    }
}

/// Keep at most [`MAX_PLACES`] places per blob, first ones first.
fn cap_places(places: &mut Vec<(u32, Rc<str>)>) {
    if places.len() <= MAX_PLACES {
        return;
    }
    let mut seen: HashMap<u32, usize> = HashMap::new();
    places.retain(|(i, _)| {
        let n = seen.entry(*i).or_insert(0);
        *n += 1;
        *n <= MAX_PLACES
    });
}
