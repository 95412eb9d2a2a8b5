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

/// Compute provenance for `blobs` over `commits` (parents first). `excluded` gets a path inside
/// the repository and says whether the user excluded it; a blob seen only at excluded paths gets
/// no provenance. The result is parallel to `blobs`.
pub fn find(
    repo: &Repository,
    commits: &[Oid],
    blobs: &[Oid],
    excluded: &dyn Fn(&str) -> bool,
    tally: &mut Tally,
) -> Result<Vec<Place>, git2::Error> {
    let odb = repo.odb()?;
    let mut walk = Walk {
        odb: &odb,
        hit: blobs
            .iter()
            .enumerate()
            .map(|(i, b)| (*b, i as u32))
            .collect(),
        memo: HashMap::new(),
        roots: HashMap::new(),
        verdicts: HashMap::new(),
        empty: Rc::from(Vec::new()),
        seen: vec![false; blobs.len()],
        excluded,
        tally,
    };
    let mut first: Vec<Option<(Oid, Rc<str>)>> = vec![None; blobs.len()];
    let mut count = vec![0u64; blobs.len()];
    let mut last = vec![usize::MAX; blobs.len()];
    for (n, &commit) in commits.iter().enumerate() {
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
            if last[i] == n {
                continue; // the same blob at a second path of this commit
            }
            last[i] = n;
            count[i] += 1;
            if first[i].is_none() {
                first[i] = Some((commit, path.clone()));
            }
        }
    }
    let seen = walk.seen.clone(); // before HEAD, which need not be a selected commit
    let mut in_head = vec![false; blobs.len()];
    if let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) {
        for (i, _) in walk.root(tree.id()).iter() {
            in_head[*i as usize] = true;
        }
    }
    let mut authors: HashMap<Oid, (String, String, String)> = HashMap::new();
    let mut out = Vec::with_capacity(blobs.len());
    for (i, blob) in blobs.iter().enumerate() {
        let Some((commit, path)) = &first[i] else {
            out.push(if seen[i] {
                Place::Excluded
            } else {
                Place::Nowhere
            });
            continue;
        };
        let (author, email, date) = authors
            .entry(*commit)
            .or_insert_with(|| author(repo, *commit))
            .clone();
        out.push(Place::Found(Found {
            path: path.to_string(),
            git: GitProvenance {
                commit: commit.to_string(),
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
    hit: HashMap<Oid, u32>,
    /// Tree -> hit blobs below it, paths relative to the tree.
    memo: HashMap<Oid, Places>,
    /// Root tree -> hit blobs below it at paths the user did not exclude.
    roots: HashMap<Oid, Places>,
    /// Path -> excluded?
    verdicts: HashMap<Rc<str>, bool>,
    empty: Places,
    /// Per hit blob: met in some selected tree, excluded or not.
    seen: Vec<bool>,
    excluded: &'a dyn Fn(&str) -> bool,
    tally: &'a mut Tally,
}

impl Walk<'_> {
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
