//! What to read from one repository: the commits of the selected history (oldest first) and the
//! objects to scan, in pack order.
//!
//! Two ways, chosen by the selection:
//! - all refs (the default): every object in the object database, in pack order. Listing the
//!   packs costs almost nothing and needs no tree reads; workers skip non-blobs by header. Blobs
//!   no ref reaches (leftovers of a rebase) are scanned too, and later reported as unreachable
//!   rather than as locations, because no commit or path can be given for them.
//! - a range (`--branch`, `--since-commit`): commits reachable from the tips and not from the
//!   base, and the blobs their trees hold that the base's trees do not (each tree read once).
//!
//! It reads objects but never scans them.

use std::collections::HashSet;
use std::path::Path;

use git2::{ObjectType, Oid, Repository, Sort};

use super::object::{self, EntryKind};
use super::packidx::{PackIndex, UNPACKED};
use super::{HistoryOptions, Tally};

/// The commits of the selection, parents before children. `Err` names a revision that does not
/// resolve. An empty repository has no commits and is not an error.
pub fn commits(repo: &Repository, sel: &HistoryOptions) -> Result<Vec<Oid>, String> {
    let err = |e: git2::Error| e.message().to_string();
    let mut walk = repo.revwalk().map_err(err)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)
        .map_err(err)?;
    let tips = match &sel.branch {
        Some(spec) => vec![resolve(repo, spec, "--branch")?],
        None => ref_tips(repo),
    };
    for &oid in &tips {
        // A tip whose commit is missing is skipped; the other tips are still walked.
        let _ = walk.push(oid);
    }
    let hide = match &sel.since {
        Some(spec) => Some(resolve(repo, spec, "--since-commit")?),
        None => None,
    };
    if let Some(base) = hide {
        walk.hide(base).map_err(err)?;
    }
    let mut list = Vec::new();
    for oid in walk {
        match oid {
            Ok(oid) => list.push(oid),
            // libgit2's sorted walk gives up entirely at a commit it cannot read (a corrupt
            // object, a truncated pack): walk what can be read instead.
            Err(_) => return Ok(readable_commits(repo, &tips, hide)),
        }
    }
    Ok(list)
}

/// Parents-first commits reachable from `tips` and not from `hide`, read straight from the
/// object database: the fallback for a damaged repository. An unreadable commit ends its line
/// of history and is left out (the blob scan names it); everything else is kept. The order is
/// topological only (no date order among unrelated branches).
fn readable_commits(repo: &Repository, tips: &[Oid], hide: Option<Oid>) -> Vec<Oid> {
    let Ok(odb) = repo.odb() else {
        return Vec::new();
    };
    let parents = |c: Oid| {
        odb.read(c)
            .ok()
            .and_then(|o| object::commit_header(o.data()))
            .map(|h| h.parents)
    };
    let mut visited = HashSet::new();
    let mut stack: Vec<Oid> = hide.into_iter().collect();
    while let Some(c) = stack.pop() {
        if visited.insert(c) {
            stack.extend(parents(c).unwrap_or_default());
        }
    }
    // Iterative post-order: a commit is listed once all its parents are.
    let mut out = Vec::new();
    for &tip in tips {
        let Some(first) = visited.insert(tip).then(|| parents(tip)).flatten() else {
            continue;
        };
        let mut path: Vec<(Oid, Vec<Oid>, usize)> = vec![(tip, first, 0)];
        while let Some(top) = path.last_mut() {
            let Some(&p) = top.1.get(top.2) else {
                out.push(top.0);
                path.pop();
                continue;
            };
            top.2 += 1;
            if visited.insert(p)
                && let Some(pp) = parents(p)
            {
                path.push((p, pp, 0));
            }
        }
    }
    out
}

/// Every commit a ref (branch, tag, remote-tracking ref, stash, notes) or HEAD points at, tags
/// peeled. Refs to trees or blobs are not commits and are left out.
fn ref_tips(repo: &Repository) -> Vec<Oid> {
    let mut tips = Vec::new();
    if let Ok(refs) = repo.references() {
        for r in refs.flatten() {
            if let Ok(c) = r.peel(ObjectType::Commit) {
                tips.push(c.id());
            }
        }
    }
    // A detached HEAD is on no ref; an unborn branch has no commit (ignored).
    if let Ok(head) = repo.head().and_then(|h| h.peel(ObjectType::Commit)) {
        tips.push(head.id());
    }
    tips.sort();
    tips.dedup();
    tips
}

fn resolve(repo: &Repository, spec: &str, flag: &str) -> Result<Oid, String> {
    repo.revparse_single(spec)
        .and_then(|o| o.peel(ObjectType::Commit))
        .map(|c| c.id())
        .map_err(|_| format!("{flag} {spec}: no such commit in this repository"))
}

/// Every object in the object database, in pack order (loose objects and alternates last).
pub fn all_objects(repo: &Repository, index: &PackIndex) -> Result<Vec<Oid>, git2::Error> {
    let mut oids = index.in_pack_order();
    if !has_unpacked(repo.path()) {
        return Ok(oids); // a fresh clone or mirror: the indexes list everything
    }
    let mut rest = Vec::new();
    repo.odb()?.foreach(|oid| {
        if index.position(oid) == UNPACKED {
            rest.push(*oid);
        }
        true
    })?;
    rest.sort_unstable();
    rest.dedup();
    oids.extend(rest);
    Ok(oids)
}

/// Whether the object database may hold objects no pack index lists: loose objects (in the
/// two-hex-digit fan-out directories) or alternates. Listing them costs a full database walk.
fn has_unpacked(git_dir: &Path) -> bool {
    let objects = git_dir.join("objects");
    if objects.join("info").join("alternates").exists() {
        return true;
    }
    let Ok(dir) = std::fs::read_dir(&objects) else {
        return true; // cannot tell: ask the database
    };
    dir.flatten().any(|e| {
        let name = e.file_name();
        let name = name.as_encoded_bytes();
        name.len() == 2
            && name.iter().all(u8::is_ascii_hexdigit)
            && std::fs::read_dir(e.path()).is_ok_and(|mut d| d.next().is_some())
    })
}

/// The blobs the trees of `commits` hold and the trees of their parents outside the range
/// (`boundary`) do not: what a range adds. Missing or malformed trees are tallied.
pub fn range_blobs(repo: &Repository, commits: &[Oid], tally: &mut Tally) -> Vec<Oid> {
    let Ok(odb) = repo.odb() else {
        return Vec::new();
    };
    let in_range: HashSet<Oid> = commits.iter().copied().collect();
    let mut roots = Vec::with_capacity(commits.len());
    let mut boundary = Vec::new();
    for &c in commits {
        match odb
            .read(c)
            .ok()
            .and_then(|o| object::commit_header(o.data()))
        {
            Some(h) => {
                roots.push(h.tree);
                boundary.extend(h.parents.into_iter().filter(|p| !in_range.contains(p)));
            }
            None => tally.bad_object(c, "commit unreadable"),
        }
    }
    boundary.sort();
    boundary.dedup();
    let mut seen_trees = HashSet::new();
    let mut old_blobs = HashSet::new();
    for b in boundary {
        // A shallow clone's boundary parents are absent: nothing to subtract.
        if let Some(tree) = odb
            .read(b)
            .ok()
            .and_then(|o| object::commit_header(o.data()))
        {
            collect(&odb, tree.tree, &mut seen_trees, &mut old_blobs, tally);
        }
    }
    let mut new_blobs = HashSet::new();
    for tree in roots {
        collect(&odb, tree, &mut seen_trees, &mut new_blobs, tally);
    }
    new_blobs.retain(|b| !old_blobs.contains(b));
    new_blobs.into_iter().collect()
}

/// Add every blob under `root` to `blobs`, reading each tree not yet in `seen` once.
fn collect(
    odb: &git2::Odb,
    root: Oid,
    seen: &mut HashSet<Oid>,
    blobs: &mut HashSet<Oid>,
    tally: &mut Tally,
) {
    if !seen.insert(root) {
        return;
    }
    let mut stack = vec![root];
    while let Some(tree) = stack.pop() {
        let obj = match odb.read(tree) {
            Ok(o) if o.kind() == ObjectType::Tree => o,
            Ok(_) => {
                tally.bad_object(tree, "not a tree");
                continue;
            }
            Err(e) => {
                tally.bad_object(tree, e.message());
                continue;
            }
        };
        let mut it = object::entries(obj.data());
        for e in it.by_ref() {
            match e.kind {
                EntryKind::Tree if seen.insert(e.oid) => stack.push(e.oid),
                EntryKind::Tree => {}
                EntryKind::Blob => {
                    blobs.insert(e.oid);
                }
                EntryKind::Gitlink => tally.gitlinks += 1,
            }
        }
        if it.malformed {
            tally.bad_object(tree, "malformed tree");
        }
    }
}
