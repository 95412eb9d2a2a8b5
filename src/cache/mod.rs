//! The persistent blob cache: what a scan learnt about each object or file it read, kept under
//! the user's cache directory so the next scan can skip what it already knows to be clean.
//!
//! Its records hold only verdicts that need no re-reading: "text, no hit, no problem, N bytes",
//! "binary", "a commit", "a tree or tag". Blobs that had hits (or a decoding problem) have no
//! record and are read and scanned again every time, so hits, decode chains and warnings come
//! from the same code as in an uncached scan; no secret is ever written. Two side files help
//! with history blobs that had hits: the regex runs that found them (rule and window positions
//! only, `scan::history::windows`), and their fingerprints, keyed by a hash of their place
//! (`scan::fpmemo`). On curl's history 0.9% of the text blobs have hits.
//!
//! Keys ([`Key`]) are 128-bit truncated SHA-256 hashes of the git object id or of the file's
//! bytes, with the name the detector sees (it picks decoders by name); a history blob, read
//! without a name, is keyed by the first 128 bits of its id (already a hash of its content).
//! Two files per configuration digest (sprawl's version and build, the rules, the decoding
//! caps: see `scan::cache_digest`): git objects, and work-tree or staged files, each read on
//! first use. A change of any input of the digest starts from an empty cache and never reuses a
//! stale verdict.
//!
//! Side files ([`Store::read_side`], [`Store::write_side`]) hold larger results keyed by a
//! name, checked by SHA-256: each repository's history walk for provenance (`prov-*.bin`,
//! `scan::history::provcache`), its commit headers (`graph-*.bin`,
//! `scan::history::graphcache`), each pack's parsed entry headers (`forest-*.bin`,
//! `scan::history::packed`), and the two above ([`Side`]).
//!
//! Never wrong, never stuck: a damaged or foreign file is ignored with one warning and replaced;
//! writers take a lock file, merge with what is on disk, write a temporary file and rename it,
//! so concurrent scans never corrupt it; an unusable directory means a scan without the cache.
//! Size: at most [`MAX_RECORDS`] records (128 MiB) per file, least recently used (by day)
//! evicted first; files of other configurations are deleted, oldest first, once the directory
//! holds more than [`MAX_BYTES`] (256 MiB); at most [`MAX_SIDE_FILES`] side files, the least
//! recently written going first.

pub mod file;
mod table;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

pub use file::{Entry, Kind};
use file::{KEY, RECORD};
use table::Table;

/// Most records in one cache file (32 bytes each: 128 MiB; two files per configuration).
pub const MAX_RECORDS: usize = 4 << 20;
/// Most bytes of cache files in one directory; files of other configurations go first.
pub const MAX_BYTES: u64 = (2 * MAX_RECORDS * RECORD) as u64;

/// A cache key: what identifies the content and everything else the verdict depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// Git objects and files live in separate files, so a `--staged` or tree scan never reads
    /// the (much larger) history records.
    object: bool,
    hash: [u8; KEY],
}

impl Key {
    /// The key of a git object (`id`: its raw id) read under `name` (empty for history blobs:
    /// then the id's first 128 bits).
    pub fn object(id: &[u8], name: &str) -> Key {
        if name.is_empty() && id.len() >= KEY {
            // A history blob: its id is already a uniform hash of its content, so its first
            // 128 bits are the key (no hashing for each of half a million lookups).
            let mut hash = [0u8; KEY];
            hash.copy_from_slice(&id[..KEY]);
            return Key { object: true, hash };
        }
        Key::hash(true, &[b"object\0", id, b"\0", name.as_bytes()])
    }

    /// The key of a file's bytes read under `name`.
    pub fn content(name: &str, data: &[u8]) -> Key {
        Key::hash(false, &[b"content\0", name.as_bytes(), b"\0", data])
    }

    fn hash(object: bool, parts: &[&[u8]]) -> Key {
        let mut h = Sha256::new();
        parts.iter().for_each(|p| h.update(p));
        let full = h.finalize();
        let mut hash = [0u8; KEY];
        hash.copy_from_slice(&full[..KEY]);
        Key { object, hash }
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

/// The cache of one configuration; shared by all scan threads. Each file is read on first
/// use.
pub struct Store {
    dir: PathBuf,
    digest: [u8; 32],
    objects: Table,
    files: Table,
    /// Side files found damaged (said once each).
    damaged: Mutex<Vec<String>>,
    /// Records learnt, for `-v`.
    learnt: Mutex<u64>,
}

impl Store {
    /// Open (creating the directory) the cache of configuration `digest` in `dir`. `None` with
    /// the reason when the directory cannot be used.
    pub fn open(dir: &Path, digest: [u8; 32]) -> Result<Store, String> {
        let stem = stem(&digest);
        prepare(dir, &dir.join(format!("files-{stem}.lock"))).map_err(|e| {
            format!(
                "cache directory {} cannot be used ({}): scanning without the cache",
                dir.display(),
                reason(&e)
            )
        })?;
        let today = today();
        Ok(Store {
            dir: dir.to_path_buf(),
            digest,
            damaged: Mutex::new(Vec::new()),
            objects: Table::new(dir, &format!("objects-{stem}"), digest, today),
            files: Table::new(dir, &format!("files-{stem}"), digest, today),
            learnt: Mutex::new(0),
        })
    }

    fn table(&self, key: &Key) -> &Table {
        if key.object {
            &self.objects
        } else {
            &self.files
        }
    }

    /// What the cache knows about `key`.
    pub fn get(&self, key: &Key) -> Option<Entry> {
        self.table(key).get(&key.hash)
    }

    /// Remember `entry` for `key` (written by [`Store::save`]).
    pub fn put(&self, key: &Key, entry: Entry) {
        self.put_batch(&mut vec![(*key, entry)]);
    }

    /// Remember many records at once (one lock per batch); empties `batch`.
    pub fn put_batch(&self, batch: &mut Vec<(Key, Entry)>) {
        if let Ok(mut n) = self.learnt.lock() {
            *n += batch.len() as u64;
        }
        let (objects, files): (Vec<_>, Vec<_>) = batch.drain(..).partition(|(k, _)| k.object);
        self.objects.put(objects.iter().map(|(k, e)| (&k.hash, *e)));
        self.files.put(files.iter().map(|(k, e)| (&k.hash, *e)));
    }

    /// Records this scan learnt.
    pub fn learnt(&self) -> u64 {
        self.learnt.lock().map_or(0, |n| *n)
    }

    /// Why a cache file on disk was ignored (damaged, truncated, foreign), once per file.
    pub fn warnings(&self) -> Vec<String> {
        let mut out: Vec<String> = [&self.objects, &self.files]
            .iter()
            .filter_map(|t| t.warning.get().cloned())
            .collect();
        out.extend(self.damaged.lock().map(|d| d.clone()).unwrap_or_default());
        out
    }

    /// The configuration digest this cache was opened for.
    pub fn digest(&self) -> &[u8; 32] {
        &self.digest
    }

    /// The payload of side file `name` (see [`side_name`]), or `None` when it is absent or
    /// damaged (a damaged file is named in [`Store::warnings`]).
    pub fn read_side(&self, name: &str) -> Option<Vec<u8>> {
        let path = self.dir.join(name);
        let bytes = std::fs::read(&path).ok()?;
        let payload = bytes
            .get(SIDE_HEAD..)
            .filter(|_| bytes.starts_with(SIDE_MAGIC));
        match payload {
            Some(p) if Sha256::digest(p)[..] == bytes[SIDE_MAGIC.len()..SIDE_HEAD] => {
                Some(p.to_vec())
            }
            _ => {
                if let Ok(mut d) = self.damaged.lock() {
                    d.push(format!(
                        "cache file {}: damaged (checksum mismatch); ignored, it is rebuilt by \
                         this scan",
                        path.display()
                    ));
                }
                None
            }
        }
    }

    /// Write side file `name` atomically, then keep only the [`MAX_SIDE_FILES`] most recently
    /// written side files.
    pub fn write_side(&self, name: &str, payload: &[u8]) -> Result<(), String> {
        let path = self.dir.join(name);
        let mut bytes = Vec::with_capacity(SIDE_HEAD + payload.len());
        bytes.extend_from_slice(SIDE_MAGIC);
        bytes.extend_from_slice(&Sha256::digest(payload));
        bytes.extend_from_slice(payload);
        file::write_atomic(&path, &bytes)
            .map_err(|e| format!("{}: {}", path.display(), reason(&e)))?;
        let mut sides: Vec<_> = file::list(&self.dir)
            .into_iter()
            .filter(|f| is_side(&f.0))
            .collect();
        sides.sort_by_key(|f| std::cmp::Reverse(f.2));
        for (old, _, _) in sides.into_iter().skip(MAX_SIDE_FILES) {
            let _ = std::fs::remove_file(old);
        }
        Ok(())
    }

    /// Write what this scan learnt (and the last-used day of what it used), merged with what
    /// other scans wrote meanwhile. Nothing is written when nothing changed. The error is a
    /// one-line reason (the cache is then left as it was).
    pub fn save(&self) -> Result<(), String> {
        self.objects.save()?;
        self.files.save()
    }
}

/// Most side files (a repository's provenance, commit headers, regex runs or fingerprints, a
/// pack's entry headers) kept in one directory.
pub const MAX_SIDE_FILES: usize = 64;
const SIDE_MAGIC: &[u8; 8] = b"sprawlsf";
const SIDE_HEAD: usize = 8 + 32;

/// What a side file holds, which names it.
#[derive(Debug, Clone, Copy)]
pub enum Side {
    /// A repository's history walk for the provenance of its hit blobs (`prov-*.bin`).
    Provenance,
    /// A repository's commit headers (`graph-*.bin`).
    Commits,
    /// Fingerprints of history hits by place (`fps-*.bin`, `scan::fpmemo`).
    Fingerprints,
    /// A pack's parsed entry headers (`forest-*.bin`, `scan::history::packed`).
    Forest,
    /// The productive regex runs of history blobs with hits (`windows-*.bin`,
    /// `scan::history::windows`).
    Windows,
}

/// How side files' names start (one per [`Side`]).
pub(crate) const SIDE_PREFIXES: &[&str] = &["prov-", "graph-", "fps-", "forest-", "windows-"];

/// The file name of the side file for `parts` (hashed).
pub fn side_name(side: Side, parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let prefix = match side {
        Side::Provenance => "prov",
        Side::Commits => "graph",
        Side::Fingerprints => "fps",
        Side::Forest => "forest",
        Side::Windows => "windows",
    };
    format!("{prefix}-{}.bin", stem(&h.finalize().into()))
}

fn is_side(path: &Path) -> bool {
    path.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        SIDE_PREFIXES.iter().any(|p| n.starts_with(p))
    })
}

/// The part of a cache file's name that names its configuration.
/// The first 16 bytes of `digest` in hex (names side files and keys of remembered values).
pub fn stem(digest: &[u8; 32]) -> String {
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Create the directory (private, with a `CACHEDIR.TAG` so backups skip it) and check that a
/// file can be created in it.
fn prepare(dir: &Path, probe: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(probe)?;
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
            _ if is_side(path) && path.to_string_lossy().contains("graph-") => {
                ("commit headers of one repository", "-".into())
            }
            _ if is_side(path) && path.to_string_lossy().contains("fps-") => {
                ("fingerprints of history hits, by place", "-".into())
            }
            _ if is_side(path) && path.to_string_lossy().contains("forest-") => {
                ("entry headers of one pack", "-".into())
            }
            _ if is_side(path) && path.to_string_lossy().contains("windows-") => {
                ("regex runs that found hits in history blobs", "-".into())
            }
            _ if is_side(path) => ("provenance of one repository's hit blobs", "-".into()),
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

pub(crate) fn reason(e: &std::io::Error) -> String {
    crate::error::io_reason(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(k: u8, day: u32) -> file::Record {
        let e = Entry {
            kind: Kind::Binary,
            size: 1,
        };
        file::record(&[k; KEY], e, day)
    }

    #[test]
    fn merge_keeps_latest() {
        let merged = table::merge(vec![rec(2, 5), rec(1, 3), rec(2, 9)]);
        assert_eq!(merged.len(), 2);
        assert_eq!(file::day_of(&merged[1]), 9);
    }

    #[test]
    fn store_round_trip_and_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let d = [3u8; 32];
        let s = Store::open(dir.path(), d).unwrap();
        let k = Key::content("a.txt", b"hello");
        let o = Key::object(&[9; 20], "");
        assert_eq!(s.get(&k), None);
        let e = Entry {
            kind: Kind::Text,
            size: 5,
        };
        s.put(&k, e);
        s.put(&o, e);
        s.save().unwrap();
        assert!(s.warnings().is_empty());
        let s2 = Store::open(dir.path(), d).unwrap();
        assert_eq!(s2.get(&k), Some(e));
        assert_eq!(s2.get(&o), Some(e));
        assert_eq!(s2.get(&Key::content("b.txt", b"hello")), None);
        let files = file::list(dir.path());
        assert_eq!(files.len(), 2);
        for (path, _, _) in &files {
            let bytes = std::fs::read(path).unwrap();
            std::fs::write(path, &bytes[..bytes.len() - 1]).unwrap();
        }
        let s3 = Store::open(dir.path(), d).unwrap();
        assert_eq!(s3.get(&k), None);
        assert_eq!(s3.warnings().len(), 1, "only the file read warns");
        assert!(s3.warnings()[0].contains("truncated"));
        assert_eq!(clear(dir.path()).unwrap(), 2);
        assert!(file::list(dir.path()).is_empty());
    }
}
