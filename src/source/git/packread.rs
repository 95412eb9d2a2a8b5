//! The pieces of a packfile sprawl decodes itself, from the documented format
//! (gitformat-pack(5)): entry headers, zlib streams and delta instructions.
//!
//! Used by [`super::forest`], which decodes every object of a pack exactly once by walking each
//! delta tree from its base. Pure functions over byte slices, plus one positioned file read.
//! Malformed input is an error value (a short reason), never a panic and never an allocation
//! larger than the bytes at hand allow: a declared size is checked against deflate's largest
//! ratio before inflating, and a delta's output is measured before it is allocated.

use std::fs::File;

use flate2::{Decompress, FlushDecompress, Status};

/// Object types as a pack entry header names them.
pub const COMMIT: u8 = 1;
/// A tree.
pub const TREE: u8 = 2;
/// A blob.
pub const BLOB: u8 = 3;
/// An annotated tag.
pub const TAG: u8 = 4;
const OFS_DELTA: u8 = 6;
const REF_DELTA: u8 = 7;

/// Longest entry header: a 64-bit size (10 bytes) and a base id (20 bytes).
pub const MAX_HEADER: usize = 32;

/// deflate never expands more than 1032:1 (a 258-byte match per bit pair).
const MAX_RATIO: u64 = 1032;

/// What an entry is stored against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    /// A whole object of this type (`COMMIT`..`TAG`).
    Whole(u8),
    /// A delta against the entry at this pack offset.
    Offset(u64),
    /// A delta against the object with this id.
    Id([u8; 20]),
}

/// A parsed entry header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryHeader {
    /// Whole object or delta, and against what.
    pub base: Base,
    /// Inflated size: the object's for a whole object, the delta's for a delta.
    pub size: u64,
    /// Bytes of header before the zlib stream.
    pub len: usize,
}

/// Parse the header of the entry at pack offset `at`; `bytes` starts there.
pub fn entry_header(at: u64, bytes: &[u8]) -> Result<EntryHeader, &'static str> {
    let mut it = bytes.iter().copied();
    let mut c = it.next().ok_or("truncated entry header")?;
    let kind = (c >> 4) & 7;
    let mut size = u64::from(c & 15);
    let mut shift = 4;
    let mut len = 1;
    while c & 0x80 != 0 {
        c = it.next().ok_or("truncated entry header")?;
        len += 1;
        if shift > 57 {
            return Err("entry size overflows");
        }
        size |= u64::from(c & 0x7f) << shift;
        shift += 7;
    }
    let base = match kind {
        COMMIT..=TAG => Base::Whole(kind),
        OFS_DELTA => {
            c = it.next().ok_or("truncated delta offset")?;
            len += 1;
            let mut back = u64::from(c & 0x7f);
            while c & 0x80 != 0 {
                c = it.next().ok_or("truncated delta offset")?;
                len += 1;
                back = back
                    .checked_add(1)
                    .and_then(|b| b.checked_mul(128))
                    .ok_or("delta offset overflows")?
                    | u64::from(c & 0x7f);
            }
            if back == 0 || back > at {
                return Err("delta base offset outside the pack");
            }
            Base::Offset(at - back)
        }
        REF_DELTA => {
            let id = bytes.get(len..len + 20).ok_or("truncated delta base id")?;
            len += 20;
            Base::Id(id.try_into().map_err(|_| "truncated delta base id")?)
        }
        _ => return Err("unknown entry type"),
    };
    Ok(EntryHeader { base, size, len })
}

/// One zlib inflater, reset for every stream.
pub struct Inflater {
    z: Decompress,
}

impl Default for Inflater {
    fn default() -> Self {
        Inflater {
            z: Decompress::new(true),
        }
    }
}

impl Inflater {
    /// Inflate the zlib stream at the start of `input` into `out` (replacing its contents); it
    /// must inflate to exactly `size` bytes.
    pub fn inflate(
        &mut self,
        input: &[u8],
        size: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), &'static str> {
        if size > (input.len() as u64).saturating_mul(MAX_RATIO) + 64 {
            return Err("entry size larger than its compressed bytes can hold");
        }
        out.clear();
        // One byte more than declared, so a stream that inflates to more is caught.
        out.reserve_exact(size as usize + 1);
        self.z.reset(true);
        let status = self
            .z
            .decompress_vec(input, out, FlushDecompress::Finish)
            .map_err(|_| "corrupt zlib stream")?;
        if status != Status::StreamEnd || out.len() as u64 != size {
            return Err("inflated size differs from the entry header");
        }
        Ok(())
    }
}

/// Read `len` bytes at `offset` of `file` into `buf` (replacing its contents).
pub fn read_at(file: &File, offset: u64, len: usize, buf: &mut Vec<u8>) -> std::io::Result<()> {
    buf.clear();
    buf.resize(len, 0);
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < len {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, offset);
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// The two sizes a delta starts with: (base size, result size, bytes they took).
pub fn delta_sizes(delta: &[u8]) -> Option<(u64, u64, usize)> {
    let (base, a) = varint(delta)?;
    let (result, b) = varint(&delta[a..])?;
    Some((base, result, a + b))
}

/// Apply `delta` to `base`, writing the result into `out` (replacing its contents).
pub fn apply_delta(base: &[u8], delta: &[u8], out: &mut Vec<u8>) -> Result<(), &'static str> {
    let (base_len, result_len, at) = delta_sizes(delta).ok_or("truncated delta header")?;
    if base_len != base.len() as u64 {
        return Err("delta base has the wrong size");
    }
    let ops = &delta[at..];
    // Measure (and bound-check) first, so a lying header never decides an allocation.
    let total = instructions(ops, base.len(), |_| {})?;
    if total != result_len {
        return Err("delta result has the wrong size");
    }
    out.clear();
    out.reserve_exact(total as usize);
    instructions(ops, base.len(), |op| match op {
        Op::Copy(from, len) => out.extend_from_slice(&base[from..from + len]),
        Op::Insert(from, len) => out.extend_from_slice(&ops[from..from + len]),
    })?;
    Ok(())
}

/// One delta instruction: copy a range of the base, or insert a range of the delta itself.
enum Op {
    Copy(usize, usize),
    Insert(usize, usize),
}

/// Walk the instructions `ops`, checking every range, and return the result's length.
fn instructions(ops: &[u8], base_len: usize, mut f: impl FnMut(Op)) -> Result<u64, &'static str> {
    let mut total = 0u64;
    let mut i = 0;
    while i < ops.len() {
        let cmd = ops[i];
        i += 1;
        if cmd & 0x80 != 0 {
            let mut arg = |bits: u8, count: usize| -> Result<usize, &'static str> {
                let mut v = 0usize;
                for k in 0..count {
                    if bits & (1 << k) != 0 {
                        let b = *ops.get(i).ok_or("truncated delta copy")?;
                        i += 1;
                        v |= usize::from(b) << (8 * k);
                    }
                }
                Ok(v)
            };
            let from = arg(cmd, 4)?;
            let len = match arg(cmd >> 4, 3)? {
                0 => 0x10000,
                n => n,
            };
            if from.checked_add(len).is_none_or(|end| end > base_len) {
                return Err("delta copies outside its base");
            }
            f(Op::Copy(from, len));
            total += len as u64;
        } else if cmd != 0 {
            let len = usize::from(cmd);
            if i + len > ops.len() {
                return Err("truncated delta insert");
            }
            f(Op::Insert(i, len));
            i += len;
            total += len as u64;
        } else {
            return Err("reserved delta instruction");
        }
    }
    Ok(total)
}

/// A little-endian base-128 number: (value, bytes used).
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_each_kind() {
        // blob of 300 bytes: 0x80 | 3<<4 | (300 & 15), then 300 >> 4 = 18
        let h = entry_header(100, &[0xbc, 18, 0x78]).unwrap();
        assert_eq!((h.base, h.size, h.len), (Base::Whole(BLOB), 300, 2));
        // ofs-delta of 5 bytes, base 130 + 1 ... : back = ((1 + 1) << 7) | 2 = 258
        let h = entry_header(1000, &[0x65, 0x81, 0x02]).unwrap();
        assert_eq!((h.base, h.size, h.len), (Base::Offset(1000 - 258), 5, 3));
        let mut refd = vec![0x75];
        refd.extend_from_slice(&[7; 20]);
        let h = entry_header(50, &refd).unwrap();
        assert_eq!((h.base, h.len), (Base::Id([7; 20]), 21));
        assert!(
            entry_header(10, &[0x65, 0x20]).is_err(),
            "base before the pack"
        );
        assert!(entry_header(10, &[0x50]).is_err(), "type 5 is reserved");
        assert!(entry_header(10, &[0xbc]).is_err(), "truncated");
        assert!(entry_header(10, &[0xff; 12]).is_err(), "overflowing size");
    }

    #[test]
    fn deltas_copy_and_insert() {
        let base = b"0123456789abcdef";
        // base 16, result 9: copy 4 bytes from offset 10, insert "xyz", copy 2 from 0
        let delta = [16, 9, 0x91, 10, 4, 3, b'x', b'y', b'z', 0x90, 2];
        let mut out = Vec::new();
        apply_delta(base, &delta, &mut out).unwrap();
        assert_eq!(out, b"abcdxyz01");
        let lying = [16, 200, 0x91, 10, 4];
        assert!(apply_delta(base, &lying, &mut out).is_err());
        let outside = [16, 4, 0x91, 14, 4];
        assert!(apply_delta(base, &outside, &mut out).is_err());
        assert!(apply_delta(b"short", &delta, &mut out).is_err());
        assert!(apply_delta(base, &[16, 1, 0], &mut out).is_err());
        assert!(apply_delta(base, &[16, 5, 5, b'a'], &mut out).is_err());
        // size 0 means 0x10000
        let big = vec![0u8; 0x10000];
        let delta = [0x80, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80];
        apply_delta(&big, &delta, &mut out).unwrap();
        assert_eq!(out.len(), 0x10000);
    }

    #[test]
    fn inflate_checks_sizes() {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"hello hello hello").unwrap();
        let stream = z.finish().unwrap();
        let mut inf = Inflater::default();
        let mut out = Vec::new();
        inf.inflate(&stream, 17, &mut out).unwrap();
        assert_eq!(out, b"hello hello hello");
        assert!(
            inf.inflate(&stream, 16, &mut out).is_err(),
            "longer than declared"
        );
        assert!(
            inf.inflate(&stream, 18, &mut out).is_err(),
            "shorter than declared"
        );
        assert!(
            inf.inflate(&stream[..5], 17, &mut out).is_err(),
            "truncated"
        );
        assert!(
            inf.inflate(&stream, 1 << 40, &mut out).is_err(),
            "implausible size"
        );
        inf.inflate(&stream, 17, &mut out).unwrap();
        let mut empty = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        empty.write_all(b"").unwrap();
        inf.inflate(&empty.finish().unwrap(), 0, &mut out).unwrap();
        assert!(out.is_empty());
    }
}
