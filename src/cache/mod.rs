//! The persistent blob cache: what a scan learnt about each object or file it read, kept under
//! the user's cache directory so the next scan can skip what it already knows to be clean.
//!
//! It remembers only verdicts that need no re-reading: "text, no hit, no problem, N bytes",
//! "binary", "a commit", "a tree or tag". Blobs that had hits (or a decoding problem) are not
//! recorded and are scanned again every time, so hits, positions, decode chains and warnings
//! come from the same code as in an uncached scan and no secret, hash of a secret or position
//! is ever written. On curl's history 1.2% of the blobs have hits.
//!
//! Keys ([`Key`]) are 128-bit truncated SHA-256 hashes of the git object id or of the file's
//! bytes, with the name the detector sees (it picks decoders by name). One file per
//! configuration digest (sprawl's version and build, the rules, the decoding caps: see
//! `scan::cache_digest`), so a change of any of them starts from an empty cache and never reuses
//! a stale verdict.
//!
//! Never wrong, never stuck: a damaged or foreign file is ignored with one warning and replaced;
//! writers take a lock file, merge with what is on disk, write a temporary file and rename it,
//! so concurrent scans never corrupt it; an unusable directory means a scan without the cache.
//! Size: at most [`MAX_RECORDS`] records (256 MiB) per file, least recently used (by day)
//! evicted first; files of other configurations are deleted, oldest first, once the directory
//! holds more than [`MAX_BYTES`].

pub mod file;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use sha2::{Digest, Sha256};

pub use file::{Entry, Kind};
use file::{KEY, RECORD, Record};

/// Most records in one cache file (32 bytes each: 256 MiB).
pub const MAX_RECORDS: usize = 8 << 20;
/// Most bytes of cache files in one directory; files of other configurations go first.
pub const MAX_BYTES: u64 = (MAX_RECORDS * RECORD) as u64;
/// How long a writer waits for another writer's lock before giving up on saving.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// A cache key: what identifies the content and everything else the verdict depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key([u8; KEY]);

impl Key {
    /// The key of a git object (`id`: its raw id) read under `name` (empty for history blobs).
    pub fn object(id: &[u8], name: &str) -> Key {
        Key::hash(&[b"object\0", id, b"\0", name.as_bytes()])
    }

    /// The key of a file's bytes read under `name`.
    pub fn content(name: &str, data: &[u8]) -> Key {
        Key::hash(&[b"content\0", name.as_bytes(), b"\0", data])
    }

    fn hash(parts: &[&[u8]]) -> Key {
        let mut h = Sha256::new();
        parts.iter().for_each(|p| h.update(p));
        let full = h.finalize();
        let mut k = [0u8; KEY];
        k.copy_from_slice(&full[..KEY]);
        Key(k)
    }
}

/// The cache directory: `$XDG_CACHE_HOME/sprawl`, else `~/Library/Caches/sprawl` (macOS),
/// `%LOCALAPPDATA%\sprawl` (Windows) or `~/.cache/sprawl`. `None` without a home.
pub fn default_dir() -> Option<PathBuf> {
    let env = |k: &str| {
        std::env::var_os(k)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(x) = env("XDG_CACHE_HOME") {
        return Some(x.join("sprawl"));
    }
    if cfg!(windows) {
        return env("LOCALAPPDATA").map(|p| p.join("sprawl"));
    }
    let home = env("HOME")?;
    Some(if cfg!(target_os = "macos") {
        home.join("Library/Caches/sprawl")
    } else {
        home.join(".cache/sprawl")
    })
}

/// The cache for one configuration, loaded; shared by all scan threads.
pub struct Store {
    path: PathBuf,
    lock: PathBuf,
    digest: [u8; 32],
    /// Records as read, sorted by key.
    records: Vec<u8>,
    /// Which of them this scan used (their day is refreshed on save).
    used: Vec<AtomicBool>,
    /// Records learnt by this scan.
    added: Mutex<Vec<Record>>,
    today: u32,
}

impl Store {
    /// Open (creating the directory) the cache of configuration `digest` in `dir`. Returns the
    /// store, or `None` when the directory cannot be used, and the warnings to show (at most
    /// one).
    pub fn open(dir: &Path, digest: [u8; 32]) -> (Option<Store>, Option<String>) {
        let name = format!("blobs-{}", hex(&digest[..16]));
        let path = dir.join(format!("{name}.bin"));
        let lock = dir.join(format!("{name}.lock"));
        if let Err(e) = prepare(dir, &lock) {
            let warning = format!(
                "cache directory {} cannot be used ({}): scanning without the cache",
                dir.display(),
                reason(&e)
            );
            return (None, Some(warning));
        }
        let mut warning = None;
        let records = match std::fs::read(&path) {
            Ok(bytes) => file::parse(bytes, &digest).unwrap_or_else(|why| {
                warning = Some(format!(
                    "cache file {}: {why}; ignored, it is rebuilt by this scan",
                    path.display()
                ));
                Vec::new()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => {
                warning = Some(format!(
                    "cache file {}: {}; ignored, it is rebuilt by this scan",
                    path.display(),
                    reason(&e)
                ));
                Vec::new()
            }
        };
        let used = (0..records.len() / RECORD)
            .map(|_| AtomicBool::new(false))
            .collect();
        let store = Store {
            path,
            lock,
            digest,
            records,
            used,
            added: Mutex::new(Vec::new()),
            today: today(),
        };
        (Some(store), warning)
    }

    /// What the cache knows about `key`.
    pub fn get(&self, key: &Key) -> Option<Entry> {
        let n = self.records.len() / RECORD;
        let at = |i: usize| &self.records[i * RECORD..(i + 1) * RECORD];
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match file::key_of(at(mid)).cmp(&key.0[..]) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    self.used[mid].store(true, Ordering::Relaxed);
                    return Some(file::entry_of(at(mid)));
                }
            }
        }
        None
    }

    /// Remember `entry` for `key` (written by [`Store::save`]).
    pub fn put(&self, key: &Key, entry: Entry) {
        self.put_all(&mut vec![file::record(&key.0, entry, self.today)]);
    }

    /// Remember many records at once (one lock per batch); empties `batch`.
    pub fn put_batch(&self, batch: &mut Vec<(Key, Entry)>) {
        let mut recs = batch
            .drain(..)
            .map(|(k, e)| file::record(&k.0, e, self.today))
            .collect();
        self.put_all(&mut recs);
    }

    fn put_all(&self, recs: &mut Vec<Record>) {
        if let Ok(mut added) = self.added.lock() {
            added.append(recs);
        }
    }

    /// Records this scan learnt so far.
    pub fn learnt(&self) -> usize {
        self.added.lock().map_or(0, |a| a.len())
    }

    /// Write what this scan learnt (and the last-used day of what it used), merged with what
    /// other scans wrote meanwhile. Nothing is written when nothing changed. The error is a
    /// one-line reason (the cache is then left as it was).
    pub fn save(&self) -> Result<(), String> {
        let added = std::mem::take(&mut *self.added.lock().map_err(|_| "poisoned")?);
        let stale = |i: usize| {
            self.used[i].load(Ordering::Relaxed)
                && file::day_of(&self.records[i * RECORD..]) < self.today
        };
        if added.is_empty() && !(0..self.used.len()).any(stale) {
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
        let mut all: Vec<Record> =
            Vec::with_capacity(on_disk.len() / RECORD + self.records.len() / RECORD + added.len());
        let chunks = |b: &[u8]| -> Vec<Record> {
            b.chunks_exact(RECORD)
                .map(|c| c.try_into().unwrap_or([0; RECORD]))
                .collect()
        };
        all.extend(chunks(&on_disk));
        for (i, mut r) in chunks(&self.records).into_iter().enumerate() {
            if self.used[i].load(Ordering::Relaxed) {
                file::set_day(&mut r, self.today);
            }
            all.push(r);
        }
        all.extend(added);
        let all = merge(all);
        let bytes = file::encode(&all, &self.digest);
        file::write_atomic(&self.path, &bytes)
            .map_err(|e| format!("{}: {}", self.path.display(), reason(&e)))?;
        drop(lock);
        evict_others(&self.path);
        Ok(())
    }
}

/// Sort by key, keep one record per key (the most recently used), and keep at most
/// [`MAX_RECORDS`], dropping the least recently used.
fn merge(mut all: Vec<Record>) -> Vec<Record> {
    all.sort_unstable_by(|a, b| {
        file::key_of(a)
            .cmp(file::key_of(b))
            .then(file::day_of(b).cmp(&file::day_of(a)))
    });
    all.dedup_by(|b, a| file::key_of(a) == file::key_of(b));
    if all.len() > MAX_RECORDS {
        all.sort_by(|a, b| file::day_of(b).cmp(&file::day_of(a)));
        all.truncate(MAX_RECORDS);
        all.sort_unstable_by(|a, b| file::key_of(a).cmp(file::key_of(b)));
    }
    all
}

/// Delete cache files of other configurations, least recently written first, while the
/// directory holds more than [`MAX_BYTES`].
fn evict_others(keep: &Path) {
    let dir = keep.parent().unwrap_or(Path::new("."));
    let mut files = file::list(dir);
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    files.sort_by_key(|f| f.2);
    for (path, size, _) in files {
        if total <= MAX_BYTES {
            break;
        }
        if path != keep && std::fs::remove_file(&path).is_ok() {
            let _ = std::fs::remove_file(path.with_extension("lock"));
            total -= size;
        }
    }
}

/// Create the directory (private, with a `CACHEDIR.TAG` so backups skip it) and check that a
/// file can be created in it.
fn prepare(dir: &Path, lock: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock)?;
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        let _ = file::write_atomic(
            &tag,
            b"Signature: 8a477f597d28d172789f06886806bc55\n\
              # This file is a cache directory tag created by sprawl.\n",
        );
    }
    Ok(())
}

/// What `sprawl cache info` shows about `dir`: one line per cache file, then a total.
pub fn info(dir: &Path, current: Option<&[u8; 32]>) -> String {
    let files = file::list(dir);
    let mut out = format!("cache directory: {}\n", dir.display());
    let mut total = 0;
    for (path, size, modified) in &files {
        total += size;
        let age = SystemTime::now()
            .duration_since(*modified)
            .map_or(0, |d| d.as_secs() / 86_400);
        let (what, records) = match file::peek(path) {
            Some((d, n)) if Some(&d) == current => ("current rules and settings", n.to_string()),
            Some((_, n)) => ("other rules, settings or version", n.to_string()),
            None => ("damaged or foreign", "?".into()),
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        out.push_str(&format!(
            "  {name}: {records} records, {size} bytes, written {age} days ago ({what})\n"
        ));
    }
    out.push_str(&format!(
        "{} file{}, {total} bytes (bound: {MAX_BYTES} bytes)\n",
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    ));
    out
}

/// Delete every cache file (and its lock) in `dir`; nothing else is touched. Returns how many
/// files were removed; the error names the file that could not be.
pub fn clear(dir: &Path) -> Result<usize, String> {
    let mut n = 0;
    for (path, _, _) in file::list(dir) {
        std::fs::remove_file(&path).map_err(|e| format!("{}: {}", path.display(), reason(&e)))?;
        let _ = std::fs::remove_file(path.with_extension("lock"));
        n += 1;
    }
    Ok(n)
}

fn today() -> u32 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| (d.as_secs() / 86_400) as u32)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn reason(e: &std::io::Error) -> String {
    crate::error::io_reason(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(k: u8, day: u32) -> Record {
        let e = Entry {
            kind: Kind::Binary,
            size: 1,
        };
        file::record(&[k; KEY], e, day)
    }

    #[test]
    fn merge_keeps_latest_and_bounds() {
        let merged = merge(vec![rec(2, 5), rec(1, 3), rec(2, 9)]);
        assert_eq!(merged.len(), 2);
        assert_eq!(file::day_of(&merged[1]), 9);
    }

    #[test]
    fn store_round_trip_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let d = [3u8; 32];
        let (s, w) = Store::open(dir.path(), d);
        assert!(w.is_none());
        let s = s.unwrap();
        let k = Key::content("a.txt", b"hello");
        assert_eq!(s.get(&k), None);
        let e = Entry {
            kind: Kind::Text,
            size: 5,
        };
        s.put(&k, e);
        s.save().unwrap();
        let (s2, w) = Store::open(dir.path(), d);
        assert!(w.is_none());
        assert_eq!(s2.unwrap().get(&k), Some(e));
        let path = &file::list(dir.path())[0].0;
        let bytes = std::fs::read(path).unwrap();
        std::fs::write(path, &bytes[..bytes.len() - 1]).unwrap();
        let (s3, w) = Store::open(dir.path(), d);
        assert!(w.unwrap().contains("truncated"));
        assert_eq!(s3.unwrap().get(&k), None);
        assert_eq!(clear(dir.path()).unwrap(), 1);
        assert!(file::list(dir.path()).is_empty());
    }
}
