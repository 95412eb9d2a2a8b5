//! The parallel blob scan: read each object of the list once and feed every blob through
//! [`Engine::scan_bytes`].
//!
//! Workers are plain scoped threads, each with its own `git2::Repository` opened once, taking
//! chunks of the (pack-ordered) list from one atomic cursor. So all workers move forward through
//! the pack together and libgit2's per-pack delta base cache (shared between handles) stays
//! warm; a rayon split would start one worker in the middle of the pack with a cold cache and
//! re-open repositories per split. Per-object problems (missing, corrupt) are returned as
//! messages naming the object; they never stop the scan.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use git2::Oid;

use crate::cache::{Entry, Key, Kind};
use crate::detect::Scratch;
use crate::hit::Hit;
use crate::scan::{Counters, Engine};
use crate::source::Location;
use crate::source::git::read::{self, Object, ObjectReader};

/// Objects per chunk a worker takes from the cursor.
const CHUNK: usize = 256;

/// What the scan of one object list produced.
#[derive(Debug, Default)]
pub struct BlobScan {
    /// Blobs that had hits, with their hits (locations still to be given provenance).
    pub hits: Vec<(Oid, Vec<Hit>)>,
    /// Objects that could not be read: (object id, reason).
    pub bad: Vec<(Oid, String)>,
    /// Commit objects met in the list (when the list is the whole object database).
    pub commits: u64,
    /// The repository could not be opened by a worker (reason).
    pub failed: Option<String>,
}

/// Scan `objects` of the repository at `git_dir` on `threads` workers. Non-blob objects are
/// skipped by header (commits counted); blobs above `max_size` are counted as too large.
pub fn scan_objects(
    git_dir: &Path,
    objects: &[Oid],
    threads: usize,
    max_size: u64,
    engine: &Engine,
    origin: &Location,
) -> BlobScan {
    let cursor = AtomicUsize::new(0);
    let result = Mutex::new(BlobScan::default());
    let threads = threads.clamp(1, objects.len().div_ceil(CHUNK).max(1));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let local = worker(git_dir, objects, &cursor, max_size, engine, origin);
                // A poisoned lock means another worker panicked; keep what we can.
                let mut all = result.lock().unwrap_or_else(|p| p.into_inner());
                all.hits.extend(local.hits);
                all.bad.extend(local.bad);
                all.commits += local.commits;
                if all.failed.is_none() {
                    all.failed = local.failed;
                }
            });
        }
    });
    let mut out = result.into_inner().unwrap_or_else(|p| p.into_inner());
    out.bad.sort();
    out
}

fn worker(
    git_dir: &Path,
    objects: &[Oid],
    cursor: &AtomicUsize,
    max_size: u64,
    engine: &Engine,
    origin: &Location,
) -> BlobScan {
    let mut out = BlobScan::default();
    let reader = match ObjectReader::open(git_dir) {
        Ok(r) => r,
        Err(e) => {
            out.failed = Some(e);
            return out;
        }
    };
    let odb = match reader.odb() {
        Ok(o) => o,
        Err(e) => {
            out.failed = Some(e);
            return out;
        }
    };
    // Counters of this worker's blobs; moved into the shared history counters per chunk, so the
    // file counters never include blobs and workers do not contend on every object.
    let local = Counters::default();
    let shared = engine.stats;
    let engine = engine.with_stats(&local);
    let mut scratch = Scratch::default();
    let mut learnt = Vec::new();
    loop {
        let start = cursor.fetch_add(CHUNK, Ordering::Relaxed);
        if start >= objects.len() {
            break;
        }
        for &oid in &objects[start..(start + CHUNK).min(objects.len())] {
            // History blobs are read without a name, so the id alone says what the detector
            // would see.
            let key = engine.cache.map(|_| Key::object(oid.as_bytes(), ""));
            if let Some(entry) = key.as_ref().and_then(|k| engine.cached(k)) {
                match entry.kind {
                    Kind::Commit => out.commits += 1,
                    Kind::Other => {}
                    _ if entry.size > max_size => {
                        local.too_large.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => engine.replay(entry),
                }
                continue;
            }
            let learn = |kind, size| key.map(|k| (k, Entry { kind, size }));
            match read::read(&odb, oid, max_size) {
                Object::Blob(obj) => {
                    let (hits, kind) = engine.scan_checked(obj.data(), origin, &mut scratch);
                    if !hits.is_empty() {
                        out.hits.push((oid, hits));
                    } else if let Some(kind) = kind {
                        learnt.extend(learn(kind, obj.len() as u64));
                    }
                }
                Object::Commit => {
                    out.commits += 1;
                    learnt.extend(learn(Kind::Commit, 0));
                }
                Object::Other => learnt.extend(learn(Kind::Other, 0)),
                Object::TooLarge => {
                    local.too_large.fetch_add(1, Ordering::Relaxed);
                }
                Object::Bad(reason) => out.bad.push((oid, reason)),
            }
        }
        flush(&local, shared);
        if let Some(cache) = engine.cache {
            cache.put_batch(&mut learnt);
        }
    }
    out
}

/// Move a worker's blob counters into the shared history counters.
fn flush(local: &Counters, shared: &Counters) {
    let take = |a: &std::sync::atomic::AtomicU64| a.swap(0, Ordering::Relaxed);
    shared
        .blobs
        .fetch_add(take(&local.files), Ordering::Relaxed);
    shared
        .history_bytes
        .fetch_add(take(&local.bytes), Ordering::Relaxed);
    shared.hits.fetch_add(take(&local.hits), Ordering::Relaxed);
    shared
        .binary
        .fetch_add(take(&local.binary), Ordering::Relaxed);
    shared
        .too_large
        .fetch_add(take(&local.too_large), Ordering::Relaxed);
    shared
        .cached
        .fetch_add(take(&local.cached), Ordering::Relaxed);
}
