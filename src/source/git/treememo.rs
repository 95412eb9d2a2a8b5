//! The tree memo of the provenance walk: every tree is read once and remembered only as the
//! entries that lead to a hit blob (hit blobs directly in it, subtrees that hold one).
//!
//! Why this shape: a commit's hit blobs are then found by following those few entries from its
//! root, with no object read for trees seen before, and memory is a few bytes per unique tree,
//! with nothing per commit. An earlier version memoised each tree's full list of hit paths,
//! which allocated a new path string per hit for every new version of every directory above it:
//! 836 MB peak on rails/rails (160k commits), mostly those strings.
//!
//! Paths are rebuilt only when needed (the first time a blob is met, or to check the user's
//! exclude globs, whose verdicts are cached per path).

use std::collections::HashMap;

use super::idmap::IdMap;
use std::rc::Rc;

use git2::{ObjectType, Odb, Oid};

use super::Tally;
use super::object::{self, EntryKind};

/// Trees nested deeper than this are not followed (a crafted repository must not overflow the
/// stack); each one cut off is tallied as a bad object.
const MAX_DEPTH: usize = 512;

/// An entry of a tree that leads to a hit blob; names are interned.
#[derive(Debug, Clone, Copy)]
enum Item {
    Blob { hit: u32, name: u32 },
    Tree { oid: Oid, name: u32 },
}

/// Excluded-path test: gets a path inside the repository.
pub type Excluded<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// Memoised hit lookup over the trees of one repository (one per thread: it is not `Send`).
pub struct TreeMemo<'a> {
    odb: &'a Odb<'a>,
    hit: &'a IdMap<u32>,
    excluded: Option<Excluded<'a>>,
    memo: IdMap<Rc<[Item]>>,
    empty: Rc<[Item]>,
    names: Vec<Box<str>>,
    name_ids: HashMap<Box<[u8]>, u32>,
    verdicts: HashMap<String, bool>,
    /// Per hit blob: met in some tree, excluded or not.
    pub seen: Vec<bool>,
    /// Gitlinks met and trees that could not be read.
    pub tally: Tally,
}

impl<'a> TreeMemo<'a> {
    /// A memo finding the blobs of `hit` (blob -> index), skipping paths `excluded` rejects.
    pub fn new(
        odb: &'a Odb<'a>,
        hit: &'a IdMap<u32>,
        excluded: Option<Excluded<'a>>,
    ) -> TreeMemo<'a> {
        TreeMemo {
            odb,
            hit,
            excluded,
            memo: IdMap::default(),
            empty: Rc::from(Vec::new()),
            names: Vec::new(),
            name_ids: HashMap::new(),
            verdicts: HashMap::new(),
            seen: vec![false; hit.len()],
            tally: Tally::default(),
        }
    }

    /// Every place a hit blob occupies below the root tree `root`, at paths not excluded, into
    /// `out` (cleared first): (hit index, path inside the repository when `need_path` says so
    /// for that index).
    pub fn hits(
        &mut self,
        root: Oid,
        need_path: &dyn Fn(u32) -> bool,
        out: &mut Vec<(u32, Option<String>)>,
    ) {
        out.clear();
        let top = self.items(root, 0);
        let mut stack: Vec<(Rc<[Item]>, usize)> = vec![(top, 0)];
        let mut prefix: Vec<u32> = Vec::new(); // names of the subtrees entered
        let mut path = String::new();
        while let Some((items, next)) = stack.last_mut() {
            let Some(&item) = items.get(*next) else {
                stack.pop();
                prefix.pop();
                continue;
            };
            *next += 1;
            match item {
                Item::Tree { oid, name } => {
                    let below = self.items(oid, stack.len());
                    if !below.is_empty() {
                        stack.push((below, 0));
                        prefix.push(name);
                    }
                }
                Item::Blob { hit, name } => {
                    self.seen[hit as usize] = true;
                    let want = need_path(hit);
                    if want || self.excluded.is_some() {
                        self.build_path(&prefix, name, &mut path);
                        if self.is_excluded(&path) {
                            continue;
                        }
                    }
                    out.push((hit, want.then(|| path.clone())));
                }
            }
        }
    }

    fn build_path(&self, prefix: &[u32], name: u32, path: &mut String) {
        path.clear();
        for &dir in prefix {
            path.push_str(&self.names[dir as usize]);
            path.push('/');
        }
        path.push_str(&self.names[name as usize]);
    }

    fn is_excluded(&mut self, path: &str) -> bool {
        let Some(excluded) = self.excluded else {
            return false;
        };
        if let Some(&v) = self.verdicts.get(path) {
            return v;
        }
        let v = excluded(path);
        self.verdicts.insert(path.to_string(), v);
        v
    }

    /// The entries of `tree` that lead to hit blobs, read once and memoised.
    fn items(&mut self, tree: Oid, depth: usize) -> Rc<[Item]> {
        if let Some(p) = self.memo.get(&tree) {
            return p.clone();
        }
        if depth > MAX_DEPTH {
            self.tally
                .bad_object(tree, "trees nested too deep; not followed");
            return self.empty.clone();
        }
        let odb = self.odb;
        let obj = match odb.read(tree) {
            Ok(o) if o.kind() == ObjectType::Tree => o,
            Ok(_) => {
                self.tally.bad_object(tree, "not a tree");
                return self.remember(tree, Vec::new());
            }
            Err(e) => {
                self.tally.bad_object(tree, e.message());
                return self.remember(tree, Vec::new());
            }
        };
        let mut items = Vec::new();
        let mut it = object::entries(obj.data());
        for e in it.by_ref() {
            match e.kind {
                EntryKind::Blob => {
                    if let Some(&hit) = self.hit.get(&e.oid) {
                        let name = self.name(e.name);
                        items.push(Item::Blob { hit, name });
                    }
                }
                EntryKind::Tree => {
                    if !self.items(e.oid, depth + 1).is_empty() {
                        let name = self.name(e.name);
                        items.push(Item::Tree { oid: e.oid, name });
                    }
                }
                EntryKind::Gitlink => self.tally.gitlinks += 1,
            }
        }
        if it.malformed {
            self.tally.bad_object(tree, "malformed tree");
        }
        self.remember(tree, items)
    }

    fn remember(&mut self, tree: Oid, items: Vec<Item>) -> Rc<[Item]> {
        let items = if items.is_empty() {
            self.empty.clone()
        } else {
            Rc::from(items)
        };
        self.memo.insert(tree, items.clone());
        items
    }

    /// Intern a file name (lossy UTF-8: git does not require UTF-8 names).
    fn name(&mut self, raw: &[u8]) -> u32 {
        if let Some(&id) = self.name_ids.get(raw) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names
            .push(String::from_utf8_lossy(raw).into_owned().into_boxed_str());
        self.name_ids.insert(raw.into(), id);
        id
    }
}
