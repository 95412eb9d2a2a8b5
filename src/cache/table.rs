//! One cache file: read on first use (a `--staged` scan never reads the history's records),
//! looked up by binary search, saved by merging under a lock file and renaming a temporary file
//! into place.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::file::{self, Entry, KEY, RECORD, Record};
use super::{MAX_BYTES, MAX_RECORDS, reason};

/// How long a writer waits for another writer's lock before giving up on saving.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// The records of one file, as read.
struct Loaded {
    /// Sorted by key.
    records: Vec<u8>,
    /// Which of them this scan used (their day is refreshed on save).
    used: Vec<AtomicBool>,
    /// `index[p]`: the first record whose key starts with a 16-bit prefix of at least `p`
    /// (65,537 entries). Keys are uniform hashes, so a lookup searches a handful of records.
    index: Vec<u32>,
}

/// The 16-bit prefix of a key.
fn prefix(key: &[u8]) -> usize {
    usize::from(key[0]) << 8 | usize::from(key[1])
}

/// A key as one integer, ordered like its bytes.
fn key_int(key: &[u8]) -> u128 {
    u128::from_be_bytes(key[..KEY].try_into().unwrap_or_default())
}

/// One cache file of one configuration.
pub(super) struct Table {
    path: PathBuf,
    lock: PathBuf,
    digest: [u8; 32],
    loaded: OnceLock<Loaded>,
    added: Mutex<Vec<Record>>,
    today: u32,
    /// Why the file on disk was not used (said once).
    pub(super) warning: OnceLock<String>,
}

impl Table {
    /// The table stored at `dir/<stem>.bin`, not read yet.
    pub(super) fn new(dir: &Path, stem: &str, digest: [u8; 32], today: u32) -> Table {
        Table {
            path: dir.join(format!("{stem}.bin")),
            lock: dir.join(format!("{stem}.lock")),
            digest,
            loaded: OnceLock::new(),
            added: Mutex::new(Vec::new()),
            today,
            warning: OnceLock::new(),
        }
    }

    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| {
            let records = match std::fs::read(&self.path) {
                Ok(bytes) => file::parse(bytes, &self.digest).unwrap_or_else(|why| {
                    self.warn(why);
                    Vec::new()
                }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(e) => {
                    self.warn(reason(&e));
                    Vec::new()
                }
            };
            let n = records.len() / RECORD;
            let used = (0..n).map(|_| AtomicBool::new(false)).collect();
            let mut index = Vec::with_capacity(1 << 16 | 1);
            for (i, r) in records.chunks_exact(RECORD).enumerate() {
                while index.len() <= prefix(r) {
                    index.push(i as u32);
                }
            }
            index.resize(1 << 16 | 1, n as u32);
            Loaded {
                records,
                used,
                index,
            }
        })
    }

    fn warn(&self, why: String) {
        let _ = self.warning.set(format!(
            "cache file {}: {why}; ignored, it is rebuilt by this scan",
            self.path.display()
        ));
    }

    /// What the table knows about `key`.
    pub(super) fn get(&self, key: &[u8; KEY]) -> Option<Entry> {
        let t = self.loaded();
        let at = |i: usize| key_int(&t.records[i * RECORD..]);
        let want = key_int(key);
        let p = prefix(key);
        let (mut lo, mut hi) = (t.index[p] as usize, t.index[p + 1] as usize);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match at(mid).cmp(&want) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    t.used[mid].store(true, Ordering::Relaxed);
                    return Some(file::entry_of(&t.records[mid * RECORD..]));
                }
            }
        }
        None
    }

    /// Remember `recs` (written by [`Table::save`]).
    pub(super) fn put<'k>(&self, recs: impl Iterator<Item = (&'k [u8; KEY], Entry)>) {
        let recs: Vec<Record> = recs.map(|(k, e)| file::record(k, e, self.today)).collect();
        if !recs.is_empty()
            && let Ok(mut added) = self.added.lock()
        {
            added.extend(recs);
        }
    }

    /// Write what this scan learnt and the last-used day of what it used, merged with what
    /// other scans wrote meanwhile; nothing when nothing changed (or the file was never read).
    pub(super) fn save(&self) -> Result<(), String> {
        let added = std::mem::take(&mut *self.added.lock().map_err(|_| "poisoned")?);
        if added.is_empty() && self.loaded.get().is_none() {
            return Ok(());
        }
        let t = self.loaded();
        let stale = |i: usize| {
            t.used[i].load(Ordering::Relaxed) && file::day_of(&t.records[i * RECORD..]) < self.today
        };
        if added.is_empty() && !(0..t.used.len()).any(stale) {
            return Ok(());
        }
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock)
            .map_err(|e| format!("{}: {}", self.lock.display(), reason(&e)))?;
        let start = Instant::now();
        while let Err(e) = lock.try_lock() {
            if matches!(e, std::fs::TryLockError::Error(_)) || start.elapsed() > LOCK_WAIT {
                return Err(format!("{}: busy or not lockable", self.lock.display()));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Under the lock: what other scans saved since this one read the file is kept.
        let on_disk = std::fs::read(&self.path)
            .ok()
            .and_then(|b| file::parse(b, &self.digest).ok())
            .unwrap_or_default();
        let chunks = |b: &[u8]| -> Vec<Record> {
            b.chunks_exact(RECORD)
                .map(|c| c.try_into().unwrap_or([0; RECORD]))
                .collect()
        };
        let mut all = chunks(&on_disk);
        for (i, mut r) in chunks(&t.records).into_iter().enumerate() {
            if t.used[i].load(Ordering::Relaxed) {
                file::set_day(&mut r, self.today);
            }
            all.push(r);
        }
        all.extend(added);
        let all = merge(all);
        file::write_atomic(&self.path, &file::encode(&all, &self.digest))
            .map_err(|e| format!("{}: {}", self.path.display(), reason(&e)))?;
        drop(lock);
        evict_others(&self.path, &self.digest);
        Ok(())
    }
}

/// Sort by key, keep one record per key (the most recently used), and keep at most
/// [`MAX_RECORDS`], dropping the least recently used.
pub(super) fn merge(mut all: Vec<Record>) -> Vec<Record> {
    all.sort_unstable_by(|a, b| {
        file::key_of(a)
            .cmp(file::key_of(b))
            .then(file::day_of(b).cmp(&file::day_of(a)))
    });
    all.dedup_by(|b, a| file::key_of(a) == file::key_of(b));
    if all.len() > MAX_RECORDS {
        all.sort_by_key(|r| std::cmp::Reverse(file::day_of(r)));
        all.truncate(MAX_RECORDS);
        all.sort_unstable_by(|a, b| file::key_of(a).cmp(file::key_of(b)));
    }
    all
}

/// Delete cache files of other configurations (not `digest`'s), least recently written first,
/// while the directory holds more than [`MAX_BYTES`].
fn evict_others(path: &Path, digest: &[u8; 32]) {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mine = format!("-{}.bin", super::stem(digest));
    let mut files = file::list(dir);
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    files.sort_by_key(|f| f.2);
    for (path, size, _) in files {
        if total <= MAX_BYTES {
            break;
        }
        let other = !path.to_string_lossy().ends_with(&mine);
        if other && std::fs::remove_file(&path).is_ok() {
            let _ = std::fs::remove_file(path.with_extension("lock"));
            total -= size;
        }
    }
}
