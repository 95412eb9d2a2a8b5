//! Packed objects through sprawl's own pack reader: for each pack that still holds enough
//! objects to scan, its delta forest ([`Forest`]) is walked on the worker threads, each taking
//! whole delta trees (the largest first) from one cursor, so every entry is inflated once and
//! every delta applied once instead of rebuilding delta chains object by object.
//!
//! Commits, trees and tags are typed by the forest's entry headers without being read or looked
//! up in the cache; blobs' cached verdicts are replayed before anything is decoded; then only
//! the subtrees that hold a blob to scan are decoded. What this path does not hand out (objects outside usable packs, entries that do
//! not decode) is left to the libgit2 path of [`super::objects`], which also names whatever
//! cannot be read, so a damaged pack is reported exactly as before.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use std::path::Path;

use git2::Oid;

use super::objects::{BlobScan, Scope, Sink, merge};
use crate::cache::{self, Side, Store};
use crate::scan::Counters;
use crate::source::git::forest::{Decoder, Forest};
use crate::source::git::packidx::{self, PackIndex};
use crate::source::git::packread::{BLOB, COMMIT, TAG, TREE};

/// Listed objects in a pack below which reading them one by one through libgit2 is cheaper
/// than parsing every entry header of the pack (a small pack of a few new commits).
const MIN_FOREST: usize = 1024;
/// Blobs a walker scans between two flushes of its counters and learnt verdicts.
const FLUSH_EVERY: usize = 256;
const NONE: u32 = u32::MAX;

/// A blob of the list found in a pack and not known to the cache: its position in the pack's
/// index and in the list.
struct Pending {
    idx: u32,
    pos: u32,
}

/// Scan the objects of `objects` that sit in usable packs; returns, per object of the list,
/// whether it was dealt with (scanned, replayed from the cache, counted or typed).
pub fn scan(
    index: &PackIndex,
    objects: &[Oid],
    threads: usize,
    at: &Scope,
    result: &Mutex<BlobScan>,
) -> Vec<bool> {
    let mut handled = vec![false; objects.len()];
    if u32::try_from(objects.len()).is_err() {
        return handled; // positions are 32-bit: leave such a list to libgit2
    }
    let sorted = packidx::order_by_id(objects);
    for (n, idx_path) in index.idx_paths().enumerate() {
        let Some(idx) = index.usable_pack(n) else {
            continue;
        };
        // Merge the two id-sorted lists: (index position, list position).
        let mut found = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < idx.len() && j < sorted.len() {
            let listed = objects[sorted[j] as usize];
            match packidx::sort_key(&idx[i].0).cmp(&packidx::sort_key(&listed)) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if !handled[sorted[j] as usize] {
                        found.push((i as u32, sorted[j]));
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        if found.len() < MIN_FOREST {
            continue;
        }
        let saved = (at.engine.cache, index.pack_checksum(n));
        let Ok(forest) = open_forest(&idx_path.with_extension("pack"), &idx, threads, saved) else {
            continue;
        };
        drop(idx);
        let pending = classify(&forest, &found, objects, threads, at, result, &mut handled);
        drop(found);
        walk(&forest, &pending, threads, at, result, &mut handled);
    }
    handled
}

/// The forest of `pack`: rebuilt from the headers the cache saved for the pack with this
/// checksum when they fit it, else parsed from the pack (and saved for the next scan). The
/// headers depend on the pack alone, so the side file is keyed by its checksum and length, not
/// by the configuration.
fn open_forest(
    pack: &Path,
    idx: &[(Oid, u64)],
    threads: usize,
    (store, checksum): (Option<&Store>, Option<[u8; 20]>),
) -> Result<Forest, String> {
    let name = match (store, checksum, std::fs::metadata(pack)) {
        (Some(_), Some(sum), Ok(meta)) => Some(cache::side_name(
            Side::Forest,
            &[b"forest", &sum, &meta.len().to_le_bytes()],
        )),
        _ => None,
    };
    let (Some(store), Some(name)) = (store, name) else {
        return Forest::open(pack, idx, threads);
    };
    if let Some(forest) = store
        .read_side(&name)
        .and_then(|b| Forest::open_saved(pack, idx, &b).ok())
    {
        return Ok(forest);
    }
    let forest = Forest::open(pack, idx, threads)?;
    // A failure only costs the next scan the parse.
    let _ = store.write_side(&name, &forest.saved());
    Ok(forest)
}

/// Type the objects of `found` by the forest (commits are counted, trees and tags need nothing)
/// and replay the cache's verdicts for blobs, on `threads` threads; returns the blobs to decode
/// and scan. Objects the forest cannot type are left to libgit2.
fn classify(
    forest: &Forest,
    found: &[(u32, u32)],
    objects: &[Oid],
    threads: usize,
    at: &Scope,
    result: &Mutex<BlobScan>,
    handled: &mut [bool],
) -> Vec<Pending> {
    let share = found.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<(Vec<Pending>, Vec<u32>)> = std::thread::scope(|s| {
        let workers: Vec<_> = found
            .chunks(share)
            .map(|part| {
                s.spawn(move || {
                    let local = Counters::default();
                    let mut sink = Sink::new(at, &local);
                    let (mut pending, mut done) = (Vec::new(), Vec::new());
                    for &(idx, pos) in part {
                        let e = forest.entry_of_idx(idx as usize);
                        match forest.kind(e) {
                            BLOB => {
                                let key = sink.key(objects[pos as usize]);
                                if sink.replay(key.as_ref()) {
                                    done.push(pos);
                                } else {
                                    pending.push(Pending { idx, pos });
                                }
                            }
                            COMMIT => {
                                sink.out.commits += 1;
                                done.push(pos);
                            }
                            TREE | TAG => done.push(pos),
                            _ => {} // untyped: left to libgit2
                        }
                    }
                    sink.flush();
                    merge(result, std::mem::take(&mut sink.out));
                    (pending, done)
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    let mut pending = Vec::new();
    for (p, done) in parts {
        pending.extend(p);
        for pos in done {
            handled[pos as usize] = true;
        }
    }
    pending
}

/// Decode and scan the pending blobs on `threads` walkers.
fn walk(
    forest: &Forest,
    pending: &[Pending],
    threads: usize,
    at: &Scope,
    result: &Mutex<BlobScan>,
    handled: &mut [bool],
) {
    let mut needed = vec![false; forest.len()];
    let mut pos_of = vec![NONE; forest.len()];
    for p in pending {
        let e = forest.entry_of_idx(p.idx as usize);
        needed[e] = true;
        pos_of[e] = p.pos;
    }
    let counts = forest.needed_counts(&needed);
    let roots = forest.live_roots(&counts);
    let cursor = AtomicUsize::new(0);
    let delivered: Vec<Vec<u32>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads.clamp(1, roots.len().max(1)))
            .map(|_| {
                let (roots, counts, needed, cursor) = (&roots, &counts, &needed, &cursor);
                s.spawn(move || {
                    let local = Counters::default();
                    let mut sink = Sink::new(at, &local);
                    let mut dec = Decoder::default();
                    let mut mine = Vec::new();
                    let mut since_flush = 0;
                    loop {
                        let r = cursor.fetch_add(1, Ordering::Relaxed);
                        let Some(&root) = roots.get(r) else { break };
                        let max_size = sink.max_size;
                        forest.walk(root, counts, needed, max_size, &mut dec, &mut |e, bytes| {
                            mine.push(e as u32);
                            since_flush += 1;
                            match bytes {
                                Some(data) => {
                                    let oid = forest.oid(e);
                                    let key = sink.key(oid);
                                    sink.blob(oid, key, data);
                                }
                                None => sink.too_large(),
                            }
                        });
                        if since_flush >= FLUSH_EVERY {
                            sink.flush();
                            since_flush = 0;
                        }
                    }
                    sink.flush();
                    merge(result, std::mem::take(&mut sink.out));
                    mine
                })
            })
            .collect();
        workers.into_iter().filter_map(|w| w.join().ok()).collect()
    });
    let mut decoded = 0;
    for e in delivered.into_iter().flatten() {
        handled[pos_of[e as usize] as usize] = true;
        decoded += 1;
    }
    let stats = at.engine.stats;
    stats.pack_blobs.fetch_add(decoded, Ordering::Relaxed);
}
