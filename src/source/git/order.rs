//! The order commits are listed in: parents before children, and among the commits whose parents
//! are all listed, the oldest (committer time, then id) first.
//!
//! The order is a function of the commit graph alone, so adding commits never changes the
//! relative order of the commits already there: a commit becomes listable only once its parents
//! are listed, new commits are never parents of old ones, and the choice among listable old
//! commits does not depend on the new ones. The blob cache relies on this to walk only the
//! commits added since the last scan (libgit2's sorted walk breaks ties from the tips down, so a
//! new commit could reorder old ones).
//!
//! Reads commit headers only, and only those the caller's [`Known`] does not hold already (a
//! commit never changes, so a rescan can answer from the last scan's headers); an unreadable
//! commit is left out and ends its line of history (the blob scan names it). Linear in commits
//! plus parent links, with a heap: n log n.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use git2::{Odb, Oid};

use super::idmap::{self, IdMap, IdSet};
use super::object;

/// Commit headers already read: id to committer time and parents.
#[derive(Debug, Default)]
pub struct Known {
    map: IdMap<(i64, Vec<Oid>)>,
    /// Headers read from the repository (not known before) since this was made.
    pub added: usize,
}

impl Known {
    /// An empty set with room for `n` headers.
    pub fn with_capacity(n: usize) -> Known {
        Known {
            map: idmap::map_with_capacity(n),
            added: 0,
        }
    }

    /// Remember one commit's header.
    pub fn insert(&mut self, commit: Oid, time: i64, parents: Vec<Oid>) {
        self.map.insert(commit, (time, parents));
    }

    /// Every known commit with its time and parents, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&Oid, &(i64, Vec<Oid>))> {
        self.map.iter()
    }

    /// How many commits are known.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether no commit is known.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Time and parents of `c`, read from `odb` unless known; `None` if it is not a readable
    /// commit.
    fn header(&mut self, odb: &Odb, c: Oid) -> Option<(i64, &[Oid])> {
        if !self.map.contains_key(&c) {
            let obj = odb.read(c).ok()?;
            if obj.kind() != git2::ObjectType::Commit {
                return None;
            }
            let h = object::commit_header(obj.data())?;
            self.added += 1;
            self.map.insert(c, (h.time, h.parents));
        }
        self.map.get(&c).map(|(t, p)| (*t, p.as_slice()))
    }

    /// Whether `c` names a commit: known, or read as one.
    pub fn is_commit(&mut self, odb: &Odb, c: Oid) -> bool {
        self.header(odb, c).is_some()
    }
}

/// The commits reachable from `tips` and not from `hide`, parents first (see the module doc).
/// Headers not in `known` are read and added to it.
pub fn parents_first(odb: &Odb, tips: &[Oid], hide: Option<Oid>, known: &mut Known) -> Vec<Oid> {
    let mut hidden = IdSet::default();
    let mut stack: Vec<Oid> = hide.into_iter().collect();
    while let Some(c) = stack.pop() {
        if hidden.insert(c)
            && let Some((_, parents)) = known.header(odb, c)
        {
            stack.extend_from_slice(parents);
        }
    }
    // Every readable commit of the selection, with its time and parents. `index` also marks
    // the commits visited (an unreadable one maps to no node).
    let mut index: IdMap<u32> = idmap::map_with_capacity(known.len());
    let mut nodes: Vec<(Oid, i64, Vec<Oid>)> = Vec::with_capacity(known.len());
    let mut stack: Vec<Oid> = tips.iter().rev().copied().collect();
    while let Some(c) = stack.pop() {
        if hidden.contains(&c) || index.contains_key(&c) {
            continue;
        }
        let Some((time, parents)) = known.header(odb, c) else {
            index.insert(c, NO_NODE);
            continue;
        };
        stack.extend(parents.iter().rev().copied());
        index.insert(c, nodes.len() as u32);
        nodes.push((c, time, parents.to_vec()));
    }
    order(&nodes, &index)
}

/// In `parents_first`'s index: a commit visited that could not be read.
const NO_NODE: u32 = u32::MAX;

/// Kahn's algorithm over `nodes` (id, time, parents), oldest listable first.
fn order(nodes: &[(Oid, i64, Vec<Oid>)], index: &IdMap<u32>) -> Vec<Oid> {
    let mut waiting = vec![0u32; nodes.len()];
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); nodes.len()];
    for (i, (_, _, parents)) in nodes.iter().enumerate() {
        for p in parents {
            // A parent outside the selection (hidden, unreadable, absent in a shallow clone)
            // is not waited for.
            if let Some(&pi) = index.get(p).filter(|&&pi| pi != NO_NODE) {
                waiting[i] += 1;
                children[pi as usize].push(i as u32);
            }
        }
    }
    let key = |i: u32| Reverse((nodes[i as usize].1, nodes[i as usize].0, i));
    let mut ready: BinaryHeap<_> = (0..nodes.len() as u32)
        .filter(|&i| waiting[i as usize] == 0)
        .map(key)
        .collect();
    let mut out = Vec::with_capacity(nodes.len());
    while let Some(Reverse((_, oid, i))) = ready.pop() {
        out.push(oid);
        for &c in &children[i as usize] {
            waiting[c as usize] -= 1;
            if waiting[c as usize] == 0 {
                ready.push(key(c));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    /// `(id, time, parents)` to the listed order, as ids.
    fn run(graph: &[(u8, i64, &[u8])]) -> Vec<u8> {
        let nodes: Vec<(Oid, i64, Vec<Oid>)> = graph
            .iter()
            .map(|(c, t, ps)| (oid(*c), *t, ps.iter().map(|&p| oid(p)).collect()))
            .collect();
        let index = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.0, i as u32))
            .collect();
        order(&nodes, &index)
            .iter()
            .map(|o| o.as_bytes()[0])
            .collect()
    }

    #[test]
    fn parents_come_first_even_when_younger() {
        // 2's clock is behind its parent's: still listed after it.
        assert_eq!(run(&[(2, 5, &[1]), (1, 10, &[])]), vec![1, 2]);
    }

    #[test]
    fn oldest_listable_first_then_id() {
        let g: &[(u8, i64, &[u8])] = &[(1, 0, &[]), (3, 20, &[1]), (2, 10, &[1]), (4, 10, &[1])];
        assert_eq!(run(g), vec![1, 2, 4, 3]);
    }

    #[test]
    fn adding_commits_keeps_the_old_order() {
        // Two branches off a root, merged; then new commits on both sides and a new root.
        let old: &[(u8, i64, &[u8])] = &[
            (1, 0, &[]),
            (2, 30, &[1]),
            (3, 10, &[1]),
            (4, 40, &[3]),
            (5, 50, &[2, 4]),
        ];
        let mut new = old.to_vec();
        new.extend_from_slice(&[(6, 5, &[3]), (7, 1, &[]), (8, 60, &[5, 6]), (9, 2, &[7])]);
        let before = run(old);
        let after: Vec<u8> = run(&new).into_iter().filter(|c| *c <= 5).collect();
        assert_eq!(before, after);
        assert_eq!(run(&new).len(), 9);
    }

    #[test]
    fn missing_parents_are_not_waited_for() {
        assert_eq!(run(&[(2, 0, &[9]), (3, 1, &[2])]), vec![2, 3]);
    }
}
