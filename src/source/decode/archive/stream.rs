//! Single compressed streams: gzip, xz, lzma, bzip2, zstd. Each gives one member, the
//! decompressed bytes, named after the file without its compression suffix (`x.tar.xz` ->
//! `x.tar`, `x.tbz2` -> `x.tar`), read under the budget.
//!
//! Crates, all pure Rust (no C toolchain, nothing to link): `flate2` (miniz_oxide) for gzip,
//! `lzma-rs` for xz and lzma, `bzip2` with its default `libbz2-rs-sys` backend, `ruzstd` for
//! zstd.

use std::io::{self, Read, Write};

use super::{Kind, Member, Out, malformed};

/// Largest zstd window accepted: what `zstd --long` writes. The decoder reserves the window
/// up front, so a header asking for more is refused rather than trusted.
const MAX_ZSTD_WINDOW: u64 = 128 << 20;

/// `BZh1`..`BZh9` followed by a block or end-of-stream magic.
pub(super) fn is_bzip2(data: &[u8]) -> bool {
    data.len() >= 10
        && data.starts_with(b"BZh")
        && (b'1'..=b'9').contains(&data[3])
        && (data[4..10] == [0x31, 0x41, 0x59, 0x26, 0x53, 0x59]
            || data[4..10] == [0x17, 0x72, 0x45, 0x38, 0x50, 0x90])
}

/// An LZMA-alone header: properties byte `0x5d` (the only one encoders write), a dictionary
/// size of at least 4 KiB and at most 1.5 GiB, and an unpacked size that is unknown (all ones)
/// or below 256 GiB.
pub(super) fn is_lzma(data: &[u8]) -> bool {
    let Some(h) = data.get(..13) else {
        return false;
    };
    let dict = u32::from_le_bytes([h[1], h[2], h[3], h[4]]);
    let size = u64::from_le_bytes([h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12]]);
    h[0] == 0x5d && (4096..=0x6000_0000).contains(&dict) && (size == u64::MAX || size < 1 << 38)
}

pub(super) fn expand(kind: Kind, data: &[u8], name: &str, out: &mut Out) {
    let (prefix, label) = match kind {
        Kind::Xz => ("xz", "xz"),
        Kind::Lzma => ("lzma", "lzma"),
        Kind::Bzip2 => ("bz2", "bzip2"),
        Kind::Zstd => ("zst", "zstd"),
        _ => ("gz", "gzip"),
    };
    let inner = inner_name(name);
    let mut sink = Sink::new(out.budget.left());
    let result = match kind {
        Kind::Xz => lzma_rs::xz_decompress(&mut &data[..], &mut sink).map_err(lzma_error),
        Kind::Lzma => lzma(data, &mut sink),
        Kind::Bzip2 => copy(&mut bzip2::read::MultiBzDecoder::new(data), &mut sink),
        Kind::Zstd => zstd(data, &mut sink),
        _ => copy(&mut flate2::read::MultiGzDecoder::new(data), &mut sink),
    };
    let Sink { buf, full, .. } = sink;
    // What decoded before a cap or a corruption is still scanned.
    if full {
        out.budget.exhaust(out.problems);
    } else {
        out.budget.left.set(out.budget.left() - buf.len() as u64);
        if let Err(e) = &result {
            out.problem(malformed(format!("corrupt {label} stream: {e}")));
        }
    }
    if result.is_ok() || !buf.is_empty() {
        (out.visit)(Member::new(format!("{prefix}:{inner}"), inner, buf));
    }
}

/// A writer that keeps at most `cap` bytes and fails the write that would pass it, which stops
/// a push decoder (lzma-rs) at the cap.
struct Sink {
    buf: Vec<u8>,
    cap: u64,
    full: bool,
}

impl Sink {
    fn new(cap: u64) -> Sink {
        Sink {
            buf: Vec::new(),
            cap,
            full: false,
        }
    }
}

impl Write for Sink {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = (self.cap - self.buf.len() as u64).min(data.len() as u64) as usize;
        self.buf.extend_from_slice(&data[..room]);
        if room < data.len() {
            self.full = true;
            return Err(io::Error::other("decompressed size cap reached"));
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Pull everything from `reader` into `sink`, in chunks, stopping at the sink's cap.
fn copy(reader: &mut dyn Read, sink: &mut Sink) -> io::Result<()> {
    let mut chunk = [0u8; 32 << 10];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        sink.write_all(&chunk[..n])?;
    }
}

fn lzma_error(e: lzma_rs::error::Error) -> io::Error {
    match e {
        lzma_rs::error::Error::IoError(e) => e,
        other => io::Error::other(other.to_string()),
    }
}

/// The dictionary grows as output is written (never to more than the output, which the sink
/// caps), so the header's dictionary size is not trusted for an allocation.
fn lzma(data: &[u8], sink: &mut Sink) -> io::Result<()> {
    lzma_rs::lzma_decompress(&mut &data[..], sink).map_err(lzma_error)
}

/// Every frame in turn (concatenated frames are one stream, as `zstd -d` reads them).
fn zstd(data: &[u8], sink: &mut Sink) -> io::Result<()> {
    let mut rest = data;
    while !rest.is_empty() {
        let mut decoder = ruzstd::decoding::StreamingDecoder::new_with_max_window_size(
            &mut rest,
            MAX_ZSTD_WINDOW,
        )
        .map_err(|e| io::Error::other(e.to_string()))?;
        copy(&mut decoder, sink)?;
    }
    Ok(())
}

/// `x.tar.gz` -> `x.tar`, `x.tgz` -> `x.tar`, `x.env.gz` -> `x.env`, and likewise for `.xz`
/// (`.txz`), `.lzma` (`.tlz`), `.bz2` (`.tbz2`, `.tbz`), `.zst` (`.tzst`).
fn inner_name(name: &str) -> String {
    let base = super::super::base_name(name);
    let lower = base.to_ascii_lowercase();
    for tar in [".tgz", ".txz", ".tlz", ".tbz2", ".tbz", ".tzst"] {
        if let Some(stem) = lower.strip_suffix(tar) {
            return format!("{}.tar", &base[..stem.len()]);
        }
    }
    for ext in [".gz", ".xz", ".lzma", ".bz2", ".zst"] {
        if let Some(stem) = lower.strip_suffix(ext) {
            return base[..stem.len()].to_string();
        }
    }
    base.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_names() {
        assert_eq!(inner_name("a/b.TGZ"), "b.tar");
        assert_eq!(inner_name("prod.env.gz"), "prod.env");
        assert_eq!(inner_name("r.tar.xz"), "r.tar");
        assert_eq!(inner_name("r.tbz2"), "r.tar");
        assert_eq!(inner_name("r.tar.zst"), "r.tar");
        assert_eq!(inner_name("dump.sql.bz2"), "dump.sql");
        assert_eq!(inner_name("data"), "data");
    }
}
