//! A forest's parsed entry headers as bytes, so a later scan of the same pack rebuilds the
//! forest without reading the pack front to back (on curl's 198 MB pack that read and parse was
//! a tenth of a cached rescan). The bytes hold, per entry, its place in the index, header
//! length, size, base and (for whole objects) type: nothing of any object's content.
//!
//! Whoever keeps the bytes names them by the pack (its checksum); [`Forest::open_saved`] still
//! checks that they fit the pack and its index (a permutation of the index, offsets inside the
//! pack, bases and types in range) and refuses them otherwise. Entry data is read and checked
//! when decoded exactly as after a fresh parse.
//!
//! Format: `sprawlf1`, entry count (u32), pack length (u64), then columns in entry (pack offset)
//! order: index position (u32), header length (u8), whole object type or 0 (u8), base entry or
//! `u32::MAX` (u32), all little-endian, then each entry's inflated size as a LEB128 varint.

use std::path::Path;

use git2::Oid;

use super::{Forest, NONE};
use crate::source::git::packread::{MAX_HEADER, TAG};

const MAGIC: &[u8; 8] = b"sprawlf1";

impl Forest {
    /// The parsed headers, for [`Forest::open_saved`].
    pub fn saved(&self) -> Vec<u8> {
        let n = self.len();
        let mut out = Vec::with_capacity(20 + n * 14);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(n as u32).to_le_bytes());
        out.extend_from_slice(&(self.end + 20).to_le_bytes());
        let mut entry_idx = vec![0u32; n];
        for (i, &e) in self.by_idx.iter().enumerate() {
            entry_idx[e as usize] = i as u32;
        }
        entry_idx
            .iter()
            .for_each(|i| out.extend_from_slice(&i.to_le_bytes()));
        out.extend_from_slice(&self.header);
        for e in 0..n {
            // Only whole objects' types are kept: the rest follow from the links.
            out.push(if self.parent[e] == NONE {
                self.kind[e]
            } else {
                0
            });
        }
        self.parent
            .iter()
            .for_each(|p| out.extend_from_slice(&p.to_le_bytes()));
        for &size in &self.size {
            let mut v = size;
            while v >= 0x80 {
                out.push(v as u8 | 0x80);
                v >>= 7;
            }
            out.push(v as u8);
        }
        out
    }

    /// The forest of `pack` (whose index lists `idx`) from what [`Forest::saved`] returned for
    /// it. `Err` when the bytes do not fit this pack and index.
    pub fn open_saved(pack: &Path, idx: &[(Oid, u64)], saved: &[u8]) -> Result<Forest, String> {
        let bad = || "saved headers do not fit the pack".to_string();
        let n = idx.len();
        let body = saved.strip_prefix(MAGIC).ok_or_else(bad)?;
        let mut at = 0usize;
        let mut take = |len: usize| -> Result<&[u8], String> {
            let field = body
                .get(at..at.checked_add(len).ok_or_else(bad)?)
                .ok_or_else(bad)?;
            at += len;
            Ok(field)
        };
        let le32 = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        if le32(take(4)?) as usize != n {
            return Err(bad());
        }
        let pack_len = u64::from_le_bytes(take(8)?.try_into().map_err(|_| bad())?);
        let by_entry: Vec<u32> = take(n * 4)?.chunks_exact(4).map(le32).collect();
        let header = take(n)?.to_vec();
        let kind = take(n)?.to_vec();
        let parent: Vec<u32> = take(n * 4)?.chunks_exact(4).map(le32).collect();
        // The fixed-width columns end here; the sizes fill the rest.
        let mut sizes = body.get(12 + n * 10..).ok_or_else(bad)?;
        let mut forest = Forest::frame(pack, idx, Some(by_entry))?;
        if forest.end + 20 != pack_len {
            return Err(bad());
        }
        for e in 0..n {
            let p = parent[e];
            if usize::from(header[e]) > MAX_HEADER
                || kind[e] > TAG
                || (p != NONE && (p as usize >= n || p as usize == e))
                || (p != NONE && kind[e] != 0)
            {
                return Err(bad());
            }
            let mut size = 0u64;
            let mut shift = 0;
            loop {
                let (&b, rest) = sizes.split_first().ok_or_else(bad)?;
                sizes = rest;
                if shift > 63 {
                    return Err(bad());
                }
                size |= u64::from(b & 0x7f) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            forest.size[e] = size;
            if p == NONE && kind[e] != 0 {
                forest.roots.push(e as u32);
            }
        }
        if !sizes.is_empty() {
            return Err(bad());
        }
        (forest.header, forest.kind, forest.parent) = (header, kind, parent);
        forest.finish();
        Ok(forest)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{check_sample, sample_pack};
    use super::*;

    #[test]
    fn saved_headers_rebuild_the_same_forest() {
        let dir = tempfile::tempdir().unwrap();
        let (path, idx, x, y) = sample_pack(dir.path());
        let fresh = Forest::open(&path, &idx, 2).unwrap();
        let saved = fresh.saved();
        let back = Forest::open_saved(&path, &idx, &saved).unwrap();
        assert_eq!(
            (
                &back.offsets,
                &back.header,
                &back.size,
                &back.kind,
                &back.parent
            ),
            (
                &fresh.offsets,
                &fresh.header,
                &fresh.size,
                &fresh.kind,
                &fresh.parent
            )
        );
        assert_eq!(
            (&back.roots, &back.order, &back.kids, &back.by_idx),
            (&fresh.roots, &fresh.order, &fresh.kids, &fresh.by_idx)
        );
        check_sample(&back, &idx, &x, &y);
        assert_eq!(back.saved(), saved);
    }

    #[test]
    fn saved_headers_that_do_not_fit_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (path, idx, _, _) = sample_pack(dir.path());
        let saved = Forest::open(&path, &idx, 2).unwrap().saved();
        let n = idx.len();
        let refused = |bytes: &[u8], why: &str| {
            assert!(Forest::open_saved(&path, &idx, bytes).is_err(), "{why}");
        };
        refused(&saved[..saved.len() - 1], "a size cut short");
        refused(&[&saved[..], &[0]].concat(), "a byte too many");
        refused(&saved[..20 + n * 4], "cut inside the columns");
        refused(b"sprawlf0", "another format");
        // Fields at: magic 8, count 4, length 8, index positions 4n, headers n, types n,
        // bases 4n, sizes.
        let (positions, headers, types, bases) = (20, 20 + 4 * n, 20 + 5 * n, 20 + 6 * n);
        let with = |at: usize, value: &[u8]| {
            let mut b = saved.clone();
            b[at..at + value.len()].copy_from_slice(value);
            b
        };
        refused(
            &with(8, &(n as u32 + 1).to_le_bytes()),
            "another entry count",
        );
        refused(&with(12, &1u64.to_le_bytes()), "another pack length");
        // Two entries at one index position: not a permutation.
        refused(
            &with(positions, &saved[positions + 4..positions + 8]),
            "not a permutation",
        );
        refused(
            &with(positions, &(n as u32).to_le_bytes()),
            "a position past the index",
        );
        refused(&with(headers, &[MAX_HEADER as u8 + 1]), "a header too long");
        refused(&with(types, &[TAG + 1]), "an unknown type");
        refused(
            &with(bases, &(n as u32).to_le_bytes()),
            "a base past the pack",
        );
        refused(&with(bases, &0u32.to_le_bytes()), "an entry its own base");
        // Another pack's index (one entry fewer): refused, never misread.
        refused_for_index(&path, &idx[1..], &saved);
    }

    fn refused_for_index(path: &Path, idx: &[(Oid, u64)], saved: &[u8]) {
        assert!(Forest::open_saved(path, idx, saved).is_err());
    }
}
