//! What to read from one repository: the commits of the selected history (oldest first) and the
//! objects to scan, in pack order.
//!
//! Two ways, chosen by the selection:
//! - all refs (the default): every object in the object database. Listing the packs costs
//!   almost nothing and needs no tree reads; non-blobs are skipped by their type. Blobs
//!   no ref reaches (leftovers of a rebase) are scanned too, and later reported as unreachable
//!   rather than as locations, because no commit or path can be given for them.
//! - a range (`--branch`, `--since-commit`): commits reachable from the tips and not from the
//!   base, and the blobs their trees hold that the base's trees do not (each tree read once).
//!
//! It reads objects but never scans them.

use std::path::Path;

use git2::{ObjectType, Oid, Repository};

use super::idmap::IdSet;
use super::object::{self, EntryKind};
use super::order::{self, Known};
use super::packidx::{PackIndex, UNPACKED};
use super::{HistoryOptions, Tally};

/// The commits of the selection, parents before children, oldest listable first (a stable
/// order: new commits never reorder old ones). `Err` names a revision that does not resolve.
/// An empty repository has no commits and is not an error; a commit that cannot be read is
/// left out and ends its line of history. Commit headers in `known` ([`Known`]) are not read
/// again; the ones read are added.
pub fn commits(
    repo: &Repository,
    sel: &HistoryOptions,
    known: &mut Known,
) -> Result<Vec<Oid>, String> {
    let odb = repo.odb().map_err(|e| e.message().to_string())?;
    let tips = match &sel.branch {
        Some(spec) => vec![resolve(repo, spec, "--branch")?],
        None => ref_tips(repo, &odb, known),
    };
    let hide = match &sel.since {
        Some(spec) => Some(resolve(repo, spec, "--since-commit")?),
        None => None,
    };
    Ok(order::parents_first(&odb, &tips, hide, known))
}

/// Every commit a ref (branch, tag, remote-tracking ref, stash, notes) or HEAD points at, tags
/// peeled. Refs to trees or blobs are not commits and are left out. A ref naming a known commit
/// costs no object read (a mirror holds tens of thousands of pull-request refs).
fn ref_tips(repo: &Repository, odb: &git2::Odb, known: &mut Known) -> Vec<Oid> {
    let mut tips = Vec::new();
    let mut peel = |r: &git2::Reference| {
        // A direct ref holds its target; only a symbolic one needs resolving (which looks the
        // name up again: a file test per ref, tens of thousands on a mirror).
        let direct = r
            .target()
            .or_else(|| r.resolve().ok().and_then(|r| r.target()));
        match direct {
            Some(oid) if known.is_commit(odb, oid) => tips.push(oid),
            // An annotated tag (or a damaged object): let libgit2 peel it.
            _ => {
                if let Ok(c) = r.peel(ObjectType::Commit) {
                    tips.push(c.id());
                }
            }
        }
    };
    if let Ok(refs) = repo.references() {
        for r in refs.flatten() {
            peel(&r);
        }
    }
    // A detached HEAD is on no ref; an unborn branch has no commit (ignored).
    if let Ok(head) = repo.head() {
        peel(&head);
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

/// Every object in the object database: packed ones in id order, then loose ones and
/// alternates. (Whoever reads them one by one puts them in pack order first, see
/// `PackIndex::sort`; sprawl's pack reader needs no order.)
pub fn all_objects(repo: &Repository, index: &PackIndex) -> Result<Vec<Oid>, git2::Error> {
    let mut oids = index.ids();
    let objects = repo.path().join("objects");
    let mut rest = if objects.join("info").join("alternates").exists() {
        // Another database's objects: only libgit2 knows them all (a full database walk).
        let mut rest = Vec::new();
        repo.odb()?.foreach(|oid| {
            rest.push(*oid);
            true
        })?;
        rest
    } else {
        loose(&objects)
    };
    rest.retain(|oid| index.position(oid) == UNPACKED);
    rest.sort_unstable();
    rest.dedup();
    oids.extend(rest);
    Ok(oids)
}

/// The loose objects: files named by the last 38 hex digits of their id in the two-hex-digit
/// fan-out directories (a few new commits' worth after a fetch or commit). Anything else there
/// (temporary files, a directory that cannot be read) is not an object and is skipped.
fn loose(objects: &Path) -> Vec<Oid> {
    let hex = |b: &[u8]| b.iter().all(u8::is_ascii_hexdigit);
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(objects) else {
        return out;
    };
    for dir in dirs.flatten() {
        let name = dir.file_name();
        let fan = name.as_encoded_bytes();
        if fan.len() != 2 || !hex(fan) {
            continue;
        }
        let Ok(files) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for file in files.flatten() {
            let rest = file.file_name();
            let rest = rest.as_encoded_bytes();
            if rest.len() == 38 && hex(rest) {
                let id = [fan, rest].concat();
                if let Ok(oid) = std::str::from_utf8(&id)
                    .map_err(drop)
                    .and_then(|s| Oid::from_str(s).map_err(drop))
                {
                    out.push(oid);
                }
            }
        }
    }
    out
}

/// The blobs the trees of `commits` hold and the trees of their parents outside the range
/// (`boundary`) do not: what a range adds. Missing or malformed trees are tallied.
pub fn range_blobs(repo: &Repository, commits: &[Oid], tally: &mut Tally) -> Vec<Oid> {
    let Ok(odb) = repo.odb() else {
        return Vec::new();
    };
    let in_range: IdSet = commits.iter().copied().collect();
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
    let mut seen_trees = IdSet::default();
    let mut old_blobs = IdSet::default();
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
    let mut new_blobs = IdSet::default();
    for tree in roots {
        collect(&odb, tree, &mut seen_trees, &mut new_blobs, tally);
    }
    new_blobs.retain(|b| !old_blobs.contains(b));
    new_blobs.into_iter().collect()
}

/// Add every blob under `root` to `blobs`, reading each tree not yet in `seen` once.
fn collect(odb: &git2::Odb, root: Oid, seen: &mut IdSet, blobs: &mut IdSet, tally: &mut Tally) {
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
