//! The on-disk form of one cache file: a 64-byte header, then fixed 32-byte records sorted by
//! key, so a lookup is a binary search in the bytes as read (no parsing, no allocation per
//! record).
//!
//! Header: magic `sprawlbc`, format version (u32), reserved (u32), the configuration digest the
//! file was written for (32 bytes), record count (u64), CRC-32 of the records, CRC-32 of the
//! header's first 60 bytes. Record: key (16 bytes), size (u64), last-used day (u32), kind (u8),
//! three zero bytes. All integers little-endian.
//!
//! A file that fails any check (length, magic, version, digest, CRCs, order, kinds) is rejected
//! whole with a reason; the CRCs catch truncation and torn or flipped bytes, not tampering (the
//! cache directory is the user's own).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Bytes in the header.
pub const HEADER: usize = 64;
/// Bytes in a record.
pub const RECORD: usize = 32;
/// Bytes of a record's key.
pub const KEY: usize = 16;

const MAGIC: &[u8; 8] = b"sprawlbc";
const VERSION: u32 = 1;

/// One record, as stored.
pub type Record = [u8; RECORD];

/// What the object or file was, as far as the scan needs to know to skip it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text scanned with no hit and no problem; `size` bytes were counted.
    Text = 1,
    /// Skipped as binary.
    Binary = 2,
    /// A git commit object (counted, never scanned).
    Commit = 3,
    /// A git tree or tag object (never scanned).
    Other = 4,
}

impl Kind {
    fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            1 => Kind::Text,
            2 => Kind::Binary,
            3 => Kind::Commit,
            4 => Kind::Other,
            _ => return None,
        })
    }
}

/// A record's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// What it was.
    pub kind: Kind,
    /// Its size in bytes (objects: as stored, before any decoding).
    pub size: u64,
}

/// Build a record.
pub fn record(key: &[u8; KEY], entry: Entry, day: u32) -> Record {
    let mut r = [0u8; RECORD];
    r[..KEY].copy_from_slice(key);
    r[16..24].copy_from_slice(&entry.size.to_le_bytes());
    r[24..28].copy_from_slice(&day.to_le_bytes());
    r[28] = entry.kind as u8;
    r
}

/// The key of a record.
pub fn key_of(r: &[u8]) -> &[u8] {
    &r[..KEY]
}

/// The entry of a valid record.
pub fn entry_of(r: &[u8]) -> Entry {
    Entry {
        kind: Kind::from_byte(r[28]).unwrap_or(Kind::Other),
        size: u64::from_le_bytes(r[16..24].try_into().unwrap_or_default()),
    }
}

/// The last-used day of a record.
pub fn day_of(r: &[u8]) -> u32 {
    u32::from_le_bytes(r[24..28].try_into().unwrap_or_default())
}

/// Set the last-used day of a record.
pub fn set_day(r: &mut [u8], day: u32) {
    r[24..28].copy_from_slice(&day.to_le_bytes());
}

/// Check `bytes` as a whole cache file written for `digest`; on success, return the records'
/// bytes (sorted by key). The error is a short reason.
pub fn parse(mut bytes: Vec<u8>, digest: &[u8; 32]) -> Result<Vec<u8>, String> {
    if bytes.len() < HEADER {
        return Err("truncated (shorter than its header)".into());
    }
    if &bytes[..8] != MAGIC {
        return Err("not a sprawl cache file".into());
    }
    let u32_at =
        |b: &[u8], i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap_or_default());
    if crc32fast::hash(&bytes[..60]) != u32_at(&bytes, 60) {
        return Err("damaged header (checksum mismatch)".into());
    }
    if u32_at(&bytes, 8) != VERSION {
        return Err(format!(
            "format version {} not supported",
            u32_at(&bytes, 8)
        ));
    }
    if &bytes[16..48] != digest {
        return Err("written for other rules or settings".into());
    }
    let count = u64::from_le_bytes(bytes[48..56].try_into().unwrap_or_default());
    let want = count
        .checked_mul(RECORD as u64)
        .and_then(|n| n.checked_add(HEADER as u64));
    if want != Some(bytes.len() as u64) {
        return Err(format!(
            "truncated or padded ({} bytes for {count} records)",
            bytes.len()
        ));
    }
    let records = bytes.split_off(HEADER);
    if crc32fast::hash(&records) != u32_at(&bytes, 56) {
        return Err("damaged records (checksum mismatch)".into());
    }
    let mut prev: Option<&[u8]> = None;
    for r in records.chunks_exact(RECORD) {
        if Kind::from_byte(r[28]).is_none() {
            return Err("damaged records (unknown kind)".into());
        }
        if prev.is_some_and(|p| p >= key_of(r)) {
            return Err("damaged records (not in key order)".into());
        }
        prev = Some(key_of(r));
    }
    Ok(records)
}

/// The whole file for `records` (sorted by key, unique).
pub fn encode(records: &[Record], digest: &[u8; 32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER + records.len() * RECORD);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(digest);
    out.extend_from_slice(&(records.len() as u64).to_le_bytes());
    let mut crc = crc32fast::Hasher::new();
    records.iter().for_each(|r| crc.update(r));
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    let head = crc32fast::hash(&out[..60]);
    out.extend_from_slice(&head.to_le_bytes());
    records.iter().for_each(|r| out.extend_from_slice(r));
    out
}

/// The digest a file says it was written for and its record count, if its header is intact (for
/// `sprawl cache info`; the records are not checked).
pub fn peek(path: &Path) -> Option<([u8; 32], u64)> {
    use std::io::Read;
    let mut head = [0u8; HEADER];
    std::fs::File::open(path).ok()?.read_exact(&mut head).ok()?;
    let ok = &head[..8] == MAGIC
        && crc32fast::hash(&head[..60]) == u32::from_le_bytes(head[60..64].try_into().ok()?);
    ok.then(|| {
        let digest = head[16..48].try_into().unwrap_or_default();
        (
            digest,
            u64::from_le_bytes(head[48..56].try_into().unwrap_or_default()),
        )
    })
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, flushed to disk,
/// then renamed over `path`. A reader sees the old file or the new one, never a mix; on failure
/// the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("cache");
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The cache files (`objects-*.bin`, `files-*.bin`, `prov-*.bin`, `graph-*.bin`) in `dir`, with size and
/// modification time.
pub fn list(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<_> = entries
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            ["objects-", "files-"]
                .iter()
                .chain(super::SIDE_PREFIXES)
                .any(|p| n.starts_with(p))
                && n.ends_with(".bin")
        })
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            m.is_file().then(|| {
                (
                    e.path(),
                    m.len(),
                    m.modified().unwrap_or(std::time::UNIX_EPOCH),
                )
            })
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<Record>, [u8; 32]) {
        let digest = [7u8; 32];
        let text = Entry {
            kind: Kind::Text,
            size: 42,
        };
        let recs = vec![record(&[1; KEY], text, 9), record(&[2; KEY], text, 10)];
        (recs, digest)
    }

    #[test]
    fn round_trip() {
        let (recs, digest) = sample();
        let parsed = parse(encode(&recs, &digest), &digest).unwrap();
        assert_eq!(parsed.len(), 2 * RECORD);
        assert_eq!(entry_of(&parsed[RECORD..]).size, 42);
        assert_eq!(day_of(&parsed[RECORD..]), 10);
    }

    #[test]
    fn rejects_damage() {
        let (recs, digest) = sample();
        let good = encode(&recs, &digest);
        let mut flipped = good.clone();
        flipped[HEADER + 20] ^= 1;
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (good[..good.len() - 5].to_vec(), "truncated"),
            (good[..10].to_vec(), "truncated"),
            (
                b"hello world, this is not a cache file at all....................".to_vec(),
                "not a sprawl",
            ),
            (flipped, "checksum"),
        ];
        for (bytes, want) in cases {
            let err = parse(bytes, &digest).unwrap_err();
            assert!(err.contains(want), "{err}");
        }
        assert!(parse(good, &[8; 32]).unwrap_err().contains("other rules"));
    }

    #[test]
    fn rejects_unsorted() {
        let (mut recs, digest) = sample();
        recs.swap(0, 1);
        assert!(
            parse(encode(&recs, &digest), &digest)
                .unwrap_err()
                .contains("order")
        );
    }
}
