//! The parallel blob scan: read each object of the list once and feed every blob through
//! [`Engine::scan_bytes`].
//!
//! Packed objects go first through sprawl's own pack reader ([`super::packed`]), which decodes
//! each pack entry once; what it did not hand out (loose objects, alternates, packs it cannot
//! use, entries it could not decode, packs with few objects left to scan) is read here through
//! libgit2, one object at a time. Both paths count and cache through one [`Sink`].
//!
//! The libgit2 workers are plain scoped threads, each with its own `git2::Repository` opened once, taking
//! chunks of the (pack-ordered) list from one atomic cursor. So all workers move forward through
//! the pack together and libgit2's per-pack delta base cache (shared between handles) stays
//! warm; a rayon split would start one worker in the middle of the pack with a cold cache and
//! re-open repositories per split. Per-object problems (missing, corrupt) are returned as
//! messages naming the object; they never stop the scan.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use git2::Oid;

use super::packed;
use super::windows::Runs;
use crate::cache::{Entry, Key, Kind};
use crate::detect::{Scratch, Windows};
use crate::hit::Hit;
use crate::scan::{Counters, Engine};
use crate::source::Location;
use crate::source::git::packidx::PackIndex;
use crate::source::git::read::{self, Object, ObjectReader};

/// Objects to read through libgit2 below which their order does not matter (loose objects of a
/// few new commits): more are sorted into pack order first.
const IN_ANY_ORDER: usize = 4096;
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
/// skipped by type (commits counted); blobs above `max_size` are counted as too large.
pub fn scan_objects(
    git_dir: &Path,
    index: &PackIndex,
    objects: &[Oid],
    threads: usize,
    at: &Scope,
) -> BlobScan {
    let result = Mutex::new(BlobScan::default());
    let handled = packed::scan(index, objects, threads, at, &result);
    let mut rest: Vec<Oid> = objects
        .iter()
        .zip(&handled)
        .filter(|(_, done)| !**done)
        .map(|(oid, _)| *oid)
        .collect();
    drop(handled);
    if rest.len() >= IN_ANY_ORDER {
        // Read in pack order, so delta bases stay in libgit2's cache (21 s instead of 36 s for
        // curl's blobs on one thread, when nothing went through the pack reader).
        index.sort(&mut rest);
    }
    let cursor = AtomicUsize::new(0);
    let threads = threads.clamp(1, rest.len().div_ceil(CHUNK).max(1));
    if !rest.is_empty() {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    let local = worker(git_dir, &rest, &cursor, at);
                    merge(&result, local);
                });
            }
        });
    }
    let mut out = result.into_inner().unwrap_or_else(|p| p.into_inner());
    out.bad.sort();
    out
}

/// What every worker of one repository's scan shares.
pub(super) struct Scope<'a, 'e> {
    pub engine: &'a Engine<'e>,
    pub origin: &'a Location,
    /// Blobs above this many bytes are counted as too large, not read.
    pub max_size: u64,
    /// The regex runs remembered for blobs with hits, and those noted by this scan.
    pub runs: &'a Runs,
}

/// Add one worker's results to the shared ones.
pub(super) fn merge(result: &Mutex<BlobScan>, local: BlobScan) {
    // A poisoned lock means another worker panicked; keep what we can.
    let mut all = result.lock().unwrap_or_else(|p| p.into_inner());
    all.hits.extend(local.hits);
    all.bad.extend(local.bad);
    all.commits += local.commits;
    if all.failed.is_none() {
        all.failed = local.failed;
    }
}

/// One worker's view of the scan: the engine counting into the worker's own counters, its
/// scratch space, the verdicts learnt since the last flush and its results.
pub(super) struct Sink<'a> {
    engine: Engine<'a>,
    shared: &'a Counters,
    origin: &'a Location,
    runs: &'a Runs,
    pub max_size: u64,
    scratch: Scratch,
    learnt: Vec<(Key, Entry)>,
    pub out: BlobScan,
}

impl<'a> Sink<'a> {
    /// A sink for `at`'s scan counting into `local` until [`Sink::flush`].
    pub fn new(at: &'a Scope<'a, 'a>, local: &'a Counters) -> Sink<'a> {
        Sink {
            engine: at.engine.with_stats(local),
            shared: at.engine.stats,
            origin: at.origin,
            runs: at.runs,
            max_size: at.max_size,
            scratch: Scratch::default(),
            learnt: Vec::new(),
            out: BlobScan::default(),
        }
    }

    /// The cache key of object `oid` (`None` without a cache). History blobs are read without a
    /// name, so the id alone says what the detector would see.
    pub fn key(&self, oid: Oid) -> Option<Key> {
        self.engine.cache.map(|_| Key::object(oid.as_bytes(), ""))
    }

    /// Replay what the cache knows about `key`, exactly as reading the object would count it.
    /// False when it knows nothing.
    pub fn replay(&mut self, key: Option<&Key>) -> bool {
        let Some(entry) = key.and_then(|k| self.engine.cached(k)) else {
            return false;
        };
        match entry.kind {
            Kind::Commit => self.out.commits += 1,
            Kind::Other => {}
            _ if entry.size > self.max_size => self.too_large(),
            _ => self.engine.replay(entry),
        }
        true
    }

    /// Scan blob `oid`'s bytes; a clean verdict is learnt under `key`. A blob with hits runs
    /// only the regex runs remembered for it, when there are any, and its runs are noted.
    pub fn blob(&mut self, oid: Oid, key: Option<Key>, data: &[u8]) {
        let known = self.runs.get(&oid);
        let top = match known {
            Some(runs) => Windows::Replay(runs),
            None if self.runs.enabled() => Windows::Record(Vec::new()),
            None => Windows::Off,
        };
        let (hits, kind, noted) =
            self.engine
                .scan_windows(data, self.origin, &mut self.scratch, top);
        if !hits.is_empty() {
            match (known, noted) {
                (Some(runs), _) => self.runs.note(oid, runs.to_vec(), false),
                (None, Some(runs)) => self.runs.note(oid, runs, true),
                (None, None) => {}
            }
            self.out.hits.push((oid, hits));
        } else if let (Some(kind), Some(key)) = (kind, key) {
            let size = data.len() as u64;
            self.learnt.push((key, Entry { kind, size }));
        }
    }

    /// A commit object (counted, learnt).
    pub fn commit(&mut self, key: Option<Key>) {
        self.out.commits += 1;
        self.learn(key, Kind::Commit);
    }

    /// A tree or tag (learnt).
    pub fn other(&mut self, key: Option<Key>) {
        self.learn(key, Kind::Other);
    }

    fn learn(&mut self, key: Option<Key>, kind: Kind) {
        if let Some(key) = key {
            self.learnt.push((key, Entry { kind, size: 0 }));
        }
    }

    /// A blob above the size cap.
    pub fn too_large(&self) {
        self.engine.stats.too_large.fetch_add(1, Ordering::Relaxed);
    }

    /// Move the counters into the shared ones and the learnt verdicts into the cache.
    pub fn flush(&mut self) {
        flush(self.engine.stats, self.shared);
        if let Some(cache) = self.engine.cache {
            cache.put_batch(&mut self.learnt);
        }
    }
}

fn worker(git_dir: &Path, objects: &[Oid], cursor: &AtomicUsize, at: &Scope) -> BlobScan {
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
    let mut sink = Sink::new(at, &local);
    loop {
        let start = cursor.fetch_add(CHUNK, Ordering::Relaxed);
        if start >= objects.len() {
            break;
        }
        for &oid in &objects[start..(start + CHUNK).min(objects.len())] {
            let key = sink.key(oid);
            if sink.replay(key.as_ref()) {
                continue;
            }
            match read::read(&odb, oid, sink.max_size) {
                Object::Blob(obj) => sink.blob(oid, key, obj.data()),
                Object::Commit => sink.commit(key),
                Object::Other => sink.other(key),
                Object::TooLarge => sink.too_large(),
                Object::Bad(reason) => sink.out.bad.push((oid, reason)),
            }
        }
        sink.flush();
    }
    sink.flush();
    sink.out
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
