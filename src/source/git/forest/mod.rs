//! A pack's delta forest: every entry of one packfile linked to the entry it is a delta of, so
//! each object can be decoded exactly once by walking from a whole object down its deltas.
//!
//! Why: libgit2 reads one object at a time and rebuilds its delta chain from the nearest cached
//! base; on curl's pack (497k entries, 374 MB of inflated entry data, 5 GB of blobs) that meant
//! inflating many times more than the pack holds. Walking the forest inflates each entry once and
//! applies each delta once, keeping one decoded object per level of the current path (a chain's
//! last child replaces its parent).
//!
//! It owns reading the pack file (positioned reads, no memory map, so resident memory does not
//! grow with the pack) and knows nothing of scanning: [`Forest::walk`] hands decoded objects to
//! a callback. An entry that cannot be parsed, decoded or resolved (a base outside the pack, a
//! cycle) is simply never handed out, with its subtree; the caller reads what it did not get
//! through libgit2, which reports the reason.

use std::fs::File;
use std::path::Path;

use git2::Oid;

mod saved;
mod walk;

pub use walk::Decoder;

use super::packread::{self, Base, EntryHeader, MAX_HEADER};

const NONE: u32 = u32::MAX;
/// Bytes read at a time while parsing the entry headers front to back.
const CHUNK: usize = 4 << 20;

/// The entries of one pack and their delta links.
pub struct Forest {
    file: File,
    /// Entry ids, by entry (entries are numbered in pack offset order).
    oids: Vec<Oid>,
    /// Pack offset of each entry, ascending; the next entry's offset ends its zlib stream.
    offsets: Vec<u64>,
    /// Where the pack's trailing checksum starts (the last entry's end).
    end: u64,
    /// Entry header length (the zlib stream starts after it).
    header: Vec<u8>,
    /// Inflated entry size (the object's, or the delta's).
    size: Vec<u64>,
    /// Object type (`packread::COMMIT`..`TAG`), 0 for entries no whole object leads to.
    kind: Vec<u8>,
    /// The entry each delta applies to.
    parent: Vec<u32>,
    /// Children of entry `e`: `kids[kids_at[e]..kids_at[e + 1]]`.
    kids_at: Vec<u32>,
    kids: Vec<u32>,
    /// Entries reachable from a whole object, parents before children.
    order: Vec<u32>,
    /// Whole objects.
    roots: Vec<u32>,
    /// Entry number of the `i`-th id of the index (ids ascending).
    by_idx: Vec<u32>,
}

/// One thread's share of the per-entry arrays: header length, size, type, parent.
struct Slices<'a> {
    h: &'a mut [u8],
    z: &'a mut [u64],
    k: &'a mut [u8],
    p: &'a mut [u32],
}

impl Forest {
    /// Read the entry headers of `pack`, whose index lists `idx` (ids ascending, with offsets).
    /// `threads` threads parse the headers.
    pub fn open(pack: &Path, idx: &[(Oid, u64)], threads: usize) -> Result<Forest, String> {
        let mut forest = Forest::frame(pack, idx, None)?;
        forest.link(idx, threads)?;
        Ok(forest)
    }

    /// Open `pack` for reading only: file, end, and the entries' offsets and ids, given
    /// `entry_of` (each entry's position in the index, entries in pack order) or, without it,
    /// by sorting the index's offsets. `Err` when the offsets do not fit the pack or `entry_of`
    /// is not a permutation of the index.
    fn frame(
        pack: &Path,
        idx: &[(Oid, u64)],
        entry_of: Option<Vec<u32>>,
    ) -> Result<Forest, String> {
        let file = File::open(pack).map_err(|e| e.to_string())?;
        let len = file.metadata().map_err(|e| e.to_string())?.len();
        let n = idx.len();
        if len < 32 || u32::try_from(n).is_err() {
            return Err("not a pack".into());
        }
        let end = len - 20;
        let entry_of: Vec<u32> = entry_of.unwrap_or_else(|| {
            let mut by_offset: Vec<(u64, u32)> = (0..n).map(|i| (idx[i].1, i as u32)).collect();
            by_offset.sort_unstable();
            by_offset.into_iter().map(|(_, i)| i).collect()
        });
        // The inverse, checking that every index position is taken exactly once.
        let mut by_idx = vec![NONE; n];
        if entry_of.len() != n {
            return Err("entries do not fit the index".into());
        }
        for (e, &i) in entry_of.iter().enumerate() {
            match by_idx.get_mut(i as usize) {
                Some(slot) if *slot == NONE => *slot = e as u32,
                _ => return Err("entries do not fit the index".into()),
            }
        }
        let offsets: Vec<u64> = entry_of.iter().map(|&i| idx[i as usize].1).collect();
        if offsets.first().is_some_and(|&o| o < 12)
            || offsets.windows(2).any(|w| w[0] >= w[1])
            || offsets.last().is_some_and(|&o| o >= end)
        {
            return Err("index offsets do not fit the pack".into());
        }
        let oids = entry_of.iter().map(|&i| idx[i as usize].0).collect();
        Ok(Forest {
            file,
            oids,
            offsets,
            end,
            header: vec![0; n],
            size: vec![0; n],
            kind: vec![0; n],
            parent: vec![NONE; n],
            kids_at: Vec::new(),
            kids: Vec::new(),
            order: Vec::new(),
            roots: Vec::new(),
            by_idx,
        })
    }

    /// Parse every entry header (each of `threads` threads reads its share of the pack front
    /// to back), link deltas to their bases, type every entry a whole object leads to.
    fn link(&mut self, idx: &[(Oid, u64)], threads: usize) -> Result<(), String> {
        let n = self.offsets.len();
        let share = n.div_ceil(threads.max(1)).max(1);
        let (mut header, mut size, mut kind, mut parent) = (
            std::mem::take(&mut self.header),
            std::mem::take(&mut self.size),
            std::mem::take(&mut self.kind),
            std::mem::take(&mut self.parent),
        );
        let this = &*self;
        let parts: Vec<Result<Vec<u32>, String>> = std::thread::scope(|s| {
            let workers: Vec<_> = header
                .chunks_mut(share)
                .zip(size.chunks_mut(share))
                .zip(kind.chunks_mut(share))
                .zip(parent.chunks_mut(share))
                .enumerate()
                .map(|(i, (((h, z), k), p))| {
                    s.spawn(move || this.parse(idx, i * share, Slices { h, z, k, p }))
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        });
        (self.header, self.size, self.kind, self.parent) = (header, size, kind, parent);
        for roots in parts {
            self.roots.extend(roots?);
        }
        self.finish();
        Ok(())
    }

    /// From `parent` and the whole objects' types (`roots` listed in entry order): the children
    /// lists, the walk order and every other entry's type.
    fn finish(&mut self) {
        let n = self.offsets.len();
        // Children lists (counting sort by parent).
        let mut kids_at = vec![0u32; n + 1];
        for &p in &self.parent {
            if p != NONE {
                kids_at[p as usize + 1] += 1;
            }
        }
        for i in 0..n {
            kids_at[i + 1] += kids_at[i];
        }
        let mut fill = kids_at.clone();
        let mut kids = vec![0u32; kids_at[n] as usize];
        for (e, &p) in self.parent.iter().enumerate() {
            if p != NONE {
                kids[fill[p as usize] as usize] = e as u32;
                fill[p as usize] += 1;
            }
        }
        // Breadth first from the whole objects: each entry has one parent, so this visits every
        // entry a whole object leads to once; cycles and missing bases stay untyped.
        let mut order = self.roots.clone();
        let mut i = 0;
        while i < order.len() {
            let e = order[i] as usize;
            for &k in &kids[kids_at[e] as usize..kids_at[e + 1] as usize] {
                self.kind[k as usize] = self.kind[e];
                order.push(k);
            }
            i += 1;
        }
        self.kids_at = kids_at;
        self.kids = kids;
        self.order = order;
    }

    /// Parse the headers of the entries from `first` on into `out` (one thread's share);
    /// returns the whole objects among them.
    fn parse(&self, idx: &[(Oid, u64)], first: usize, out: Slices) -> Result<Vec<u32>, String> {
        let Slices { h, z, k, p } = out;
        let mut roots = Vec::new();
        let mut window = Vec::new();
        let mut window_at = 0u64;
        for i in 0..h.len() {
            let e = first + i;
            let at = self.offsets[e];
            let want = (self.end - at).min(MAX_HEADER as u64) as usize;
            if window.is_empty()
                || at < window_at
                || at + want as u64 > window_at + window.len() as u64
            {
                let len = (self.end - at).min(CHUNK as u64) as usize;
                packread::read_at(&self.file, at, len, &mut window).map_err(|e| e.to_string())?;
                window_at = at;
            }
            let from = (at - window_at) as usize;
            let Ok(EntryHeader { base, size, len }) =
                packread::entry_header(at, &window[from..from + want])
            else {
                continue; // never typed, never handed out
            };
            h[i] = len as u8;
            z[i] = size;
            p[i] = match base {
                Base::Whole(kind) => {
                    k[i] = kind;
                    roots.push(e as u32);
                    NONE
                }
                Base::Offset(o) => self.offsets.binary_search(&o).map_or(NONE, |b| b as u32),
                Base::Id(id) => idx
                    .binary_search_by(|(oid, _)| oid.as_bytes().cmp(&id[..]))
                    .map_or(NONE, |i| self.by_idx[i]),
            };
        }
        Ok(roots)
    }

    /// Entries in the pack.
    pub fn len(&self) -> usize {
        self.oids.len()
    }

    /// Whether the pack has no entries.
    pub fn is_empty(&self) -> bool {
        self.oids.is_empty()
    }

    /// The entry of the index's `i`-th id.
    pub fn entry_of_idx(&self, i: usize) -> usize {
        self.by_idx[i] as usize
    }

    /// The object id of entry `e`.
    pub fn oid(&self, e: usize) -> Oid {
        self.oids[e]
    }

    /// The object type of entry `e` (`packread::COMMIT`..`TAG`), or 0 when unknown.
    pub fn kind(&self, e: usize) -> u8 {
        self.kind[e]
    }

    /// For each entry, how many `needed` entries its subtree holds (itself included).
    pub fn needed_counts(&self, needed: &[bool]) -> Vec<u32> {
        let mut counts: Vec<u32> = needed.iter().map(|&b| u32::from(b)).collect();
        for &e in self.order.iter().rev() {
            let p = self.parent[e as usize];
            if p != NONE {
                counts[p as usize] += counts[e as usize];
            }
        }
        counts
    }

    /// The whole objects whose subtree holds a needed entry, the most work first (needed
    /// entries times the whole object's size), so the biggest trees start first and the
    /// workers finish together.
    pub fn live_roots(&self, counts: &[u32]) -> Vec<usize> {
        let mut roots: Vec<usize> = self
            .roots
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| counts[r] > 0)
            .collect();
        roots.sort_by_key(|&r| std::cmp::Reverse(u64::from(counts[r]) * self.size[r].max(1)));
        roots
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::git::packread::{BLOB, COMMIT};
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    /// An entry header: type and size, then the base (offset distance or id).
    fn header(kind: u8, size: usize, base: &[u8]) -> Vec<u8> {
        let mut out = vec![(kind << 4) | (size as u8 & 15)];
        let mut rest = size >> 4;
        while rest > 0 {
            *out.last_mut().unwrap() |= 0x80;
            out.push(rest as u8 & 0x7f);
            rest >>= 7;
        }
        out.extend_from_slice(base);
        out
    }

    fn id(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    /// The sample pack's path, its index entries, and blobs X and Y.
    pub(super) type Sample = (std::path::PathBuf, Vec<(Oid, u64)>, Vec<u8>, Vec<u8>);

    /// A pack of: blob X; Y = X with a suffix (offset delta); Z = delta on id 9 (not in the
    /// pack); P and Q deltas on each other by id (a cycle); commit K; W = delta on Y by id.
    /// Written in `dir`; returns its path, its index entries and X and Y.
    pub(super) fn sample_pack(dir: &Path) -> Sample {
        let x = b"hello world, hello pack\n".to_vec();
        let y = [&x[..], b"more\n"].concat();
        // base 24, result 29: copy 24 from 0, insert "more\n"
        let delta_y = [24, 29, 0x90, 24, 5, b'm', b'o', b'r', b'e', b'\n'];
        // base 29, result 4: copy 4 from 6 ("worl")
        let delta_w = [29, 4, 0x91, 6, 4];
        let mut pack = b"PACK\0\0\0\x02\0\0\0\x07".to_vec();
        let mut idx = Vec::new();
        let mut add = |pack: &mut Vec<u8>, n: u8, head: Vec<u8>, body: &[u8]| {
            let at = pack.len() as u64;
            idx.push((id(n), at));
            pack.extend(head);
            pack.extend(zlib(body));
            at
        };
        let at_x = add(&mut pack, 1, header(BLOB, x.len(), &[]), &x);
        let back = pack.len() as u64 - at_x;
        assert!(back < 128);
        add(
            &mut pack,
            2,
            header(6, delta_y.len(), &[back as u8]),
            &delta_y,
        );
        add(&mut pack, 3, header(7, delta_y.len(), &[9; 20]), &delta_y);
        add(&mut pack, 4, header(7, delta_y.len(), &[5; 20]), &delta_y);
        add(&mut pack, 5, header(7, delta_y.len(), &[4; 20]), &delta_y);
        add(&mut pack, 6, header(COMMIT, 3, &[]), b"abc");
        add(&mut pack, 7, header(7, delta_w.len(), &[2; 20]), &delta_w);
        pack.extend([0; 20]);
        idx.sort();
        let path = dir.join("p.pack");
        std::fs::write(&path, &pack).unwrap();
        (path, idx, x, y)
    }

    #[test]
    fn walks_deltas_once_and_leaves_out_what_no_whole_object_leads_to() {
        let dir = tempfile::tempdir().unwrap();
        let (path, idx, x, y) = sample_pack(dir.path());
        let forest = Forest::open(&path, &idx, 2).unwrap();
        check_sample(&forest, &idx, &x, &y);
    }

    /// What the sample pack's forest must give, however it was built.
    pub(super) fn check_sample(forest: &Forest, idx: &[(Oid, u64)], x: &[u8], y: &[u8]) {
        let (x, y) = (x.to_vec(), y.to_vec());
        let entry = |n: u8| forest.entry_of_idx(idx.iter().position(|e| e.0 == id(n)).unwrap());
        let kinds: Vec<u8> = (1..=7).map(|n| forest.kind(entry(n))).collect();
        assert_eq!(kinds, [BLOB, BLOB, 0, 0, 0, COMMIT, BLOB]);

        let mut needed = vec![false; forest.len()];
        for n in [1, 2, 3, 4, 7] {
            needed[entry(n)] = true;
        }
        let counts = forest.needed_counts(&needed);
        let roots = forest.live_roots(&counts);
        assert_eq!(roots, [entry(1)]);
        let mut got = Vec::new();
        let mut dec = Decoder::default();
        forest.walk(
            roots[0],
            &counts,
            &needed,
            1 << 20,
            &mut dec,
            &mut |e, bytes| {
                got.push((forest.oid(e), bytes.map(<[u8]>::to_vec)));
            },
        );
        got.sort();
        let want = vec![
            (id(1), Some(x.clone())),
            (id(2), Some(y.clone())),
            (id(7), Some(b"worl".to_vec())),
        ];
        assert_eq!(got, want);

        // Above the size cap: a needed leaf is announced without its bytes.
        got.clear();
        forest.walk(roots[0], &counts, &needed, 10, &mut dec, &mut |e, bytes| {
            got.push((forest.oid(e), bytes.map(<[u8]>::to_vec)));
        });
        got.sort();
        assert_eq!(
            got,
            vec![
                (id(1), None),
                (id(2), None),
                (id(7), Some(b"worl".to_vec()))
            ]
        );
    }

    #[test]
    fn offsets_that_do_not_fit_the_pack_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.pack");
        std::fs::write(&path, [0u8; 64]).unwrap();
        assert!(
            Forest::open(&path, &[(id(1), 4)], 2).is_err(),
            "inside the pack header"
        );
        assert!(
            Forest::open(&path, &[(id(1), 50)], 2).is_err(),
            "inside the trailer"
        );
        assert!(
            Forest::open(&path, &[(id(1), 12), (id(2), 12)], 2).is_err(),
            "two at one offset"
        );
    }
}
