//! Archives and compressed streams, recognised by magic bytes whatever the file is called:
//! zip (and jar, war, whl, nupkg, apk, crx, which are zips; OOXML and ODF documents are read as
//! text, see `office`), tar (and `docker save` images, see `image`), ar (and `.deb` packages),
//! rpm packages and cpio archives, 7z archives (see `sevenz`), SQLite databases (see `sqlite`), and
//! gzip, xz, lzma, bzip2 and zstd streams (so `.tar.xz`, `.tbz2`, `.tar.zst` are a stream, then a
//! tar).
//!
//! Expansion is bounded: at most `max_members` members per archive, and at most
//! `max_decompressed` bytes inflated (or extracted as text) per input across every nested archive
//! (a shared [`Budget`]). Hitting a cap stops that input's expansion with one problem report;
//! members already read are still scanned. Encrypted members and corrupt archives are reported
//! and skipped. No size field read from a header is trusted for an allocation: every read is
//! bounded by the bytes actually present or by the budget. Nesting depth is the driver's business
//! (it calls [`expand`] again per member).

use std::cell::Cell;
use std::io::Read;
use std::ops::Range;

use crate::error::IssueKind;

mod ar;
mod cpio;
mod image;
mod office;
mod sevenz;
mod sqlite;
mod stream;
mod tar;
mod zip;

/// The kinds of archive understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// PKZIP.
    Zip,
    /// POSIX/GNU tar.
    Tar,
    /// One gzip stream (possibly several concatenated members).
    Gzip,
    /// One xz stream.
    Xz,
    /// A legacy `.lzma` (LZMA-alone) stream.
    Lzma,
    /// One bzip2 stream (possibly several concatenated).
    Bzip2,
    /// Zstandard frames.
    Zstd,
    /// Unix `ar` (`.deb` packages, static libraries).
    Ar,
    /// An RPM package: lead, signature and header skipped, the cpio payload read.
    Rpm,
    /// A cpio archive (new ASCII format, as in RPM payloads and initramfs images).
    Cpio,
    /// An SQLite 3 database.
    Sqlite,
    /// A 7z archive (members read block by block).
    SevenZip,
}

impl Kind {
    /// A single compressed stream (one member, the decompressed bytes).
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            Kind::Gzip | Kind::Xz | Kind::Lzma | Kind::Bzip2 | Kind::Zstd
        )
    }
}

/// Identify an archive by its magic bytes. Text never matches: every magic here has a byte
/// that text files do not start with (or a NUL within its first bytes).
pub fn sniff(data: &[u8]) -> Option<Kind> {
    let first = *data.first()?;
    // One comparison rejects almost every text file before any magic is checked.
    if first.is_ascii_alphanumeric() && !matches!(first, b'P' | b'B' | b'C' | b'S' | b'0' | b'7') {
        return (data.get(257..262) == Some(b"ustar")).then_some(Kind::Tar);
    }
    if data.starts_with(b"PK\x03\x04") || data.starts_with(b"PK\x05\x06") || zip::is_crx(data) {
        Some(Kind::Zip)
    } else if data.starts_with(&[0x1f, 0x8b, 0x08]) {
        Some(Kind::Gzip)
    } else if data.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Some(Kind::Xz)
    } else if stream::is_bzip2(data) {
        Some(Kind::Bzip2)
    } else if data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some(Kind::Zstd)
    } else if stream::is_lzma(data) {
        Some(Kind::Lzma)
    } else if data.starts_with(b"!<arch>\n") {
        Some(Kind::Ar)
    } else if data.starts_with(&[0xed, 0xab, 0xee, 0xdb]) {
        Some(Kind::Rpm)
    } else if cpio::is_cpio(data) {
        Some(Kind::Cpio)
    } else if sevenz::is_7z(data) {
        Some(Kind::SevenZip)
    } else if data.starts_with(b"SQLite format 3\0") {
        Some(Kind::Sqlite)
    } else if data.get(257..262) == Some(b"ustar") {
        Some(Kind::Tar)
    } else {
        None
    }
}

/// Bytes left to inflate for one input, shared by every nested archive in it.
#[derive(Debug)]
pub struct Budget {
    left: Cell<u64>,
    cap: u64,
    spent: Cell<bool>,
}

impl Budget {
    /// A budget of `cap` bytes.
    pub fn new(cap: u64) -> Budget {
        Budget {
            left: Cell::new(cap),
            cap,
            spent: Cell::new(false),
        }
    }

    /// True once a read has hit the cap.
    pub fn spent(&self) -> bool {
        self.spent.get()
    }

    /// Bytes left.
    pub fn left(&self) -> u64 {
        self.left.get()
    }

    /// Spend `n` bytes of text extracted from a document or database: `false` (with the one
    /// report) when that passes the cap, which also marks the budget spent.
    pub fn charge(&self, n: usize, problems: &mut Vec<Problem>) -> bool {
        let left = self.left.get();
        if self.spent.get() {
            return false;
        }
        if n as u64 > left {
            self.exhaust(problems);
            return false;
        }
        self.left.set(left - n as u64);
        true
    }

    fn exhaust(&self, problems: &mut Vec<Problem>) {
        self.left.set(0);
        if !self.spent.replace(true) {
            problems.push(limit(format!(
                "decompressed size cap ({} bytes) reached; rest of the archive skipped (raise it with --max-decompressed-size)",
                self.cap
            )));
        }
    }
}

/// One member read from an archive.
#[derive(Debug)]
pub struct Member {
    /// The decode step: `zip:path`, `tar:path`, `gz:name`, `xlsx:Sheet1`, `layer:id/path`.
    pub step: String,
    /// The member's name, for choosing its decoder.
    pub name: String,
    /// Its bytes (cut at the budget).
    pub data: Vec<u8>,
    /// Context labels of ranges of `data` (a spreadsheet cell, a database row and column).
    pub spans: Vec<(Range<usize>, String)>,
    /// Context for every hit in the member (an image layer file a later layer removed).
    pub context: Option<String>,
}

impl Member {
    /// A member with only its step, name and bytes.
    pub fn new(step: String, name: String, data: Vec<u8>) -> Member {
        Member {
            step,
            name,
            data,
            spans: Vec::new(),
            context: None,
        }
    }
}

/// A problem met while expanding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What kind of problem.
    pub kind: IssueKind,
    /// One line, naming the member when there is one.
    pub reason: String,
}

/// Expand one archive level, handing each member to `visit` as it is read.
pub fn expand(
    kind: Kind,
    data: &[u8],
    name: &str,
    max_members: usize,
    budget: &Budget,
    visit: &mut dyn FnMut(Member),
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut out = Out {
        max: max_members,
        budget,
        visit,
        problems: &mut problems,
    };
    match kind {
        Kind::Zip => zip::expand(data, &mut out),
        Kind::Tar => tar::expand(data, &mut out),
        Kind::Ar => ar::expand(data, &mut out),
        Kind::Rpm => cpio::rpm(data, &mut out),
        Kind::Cpio => cpio::expand(data, "cpio", &mut out),
        Kind::Sqlite => sqlite::expand(data, &mut out),
        Kind::SevenZip => sevenz::expand(data, &mut out),
        Kind::Gzip | Kind::Xz | Kind::Lzma | Kind::Bzip2 | Kind::Zstd => {
            stream::expand(kind, data, name, &mut out)
        }
    }
    problems
}

/// Where one level's members and problems go, with its caps.
pub(crate) struct Out<'a, 'b> {
    /// Most members.
    pub max: usize,
    /// The input's byte budget.
    pub budget: &'a Budget,
    /// Receives each member.
    pub visit: &'a mut dyn FnMut(Member),
    /// Problems met.
    pub problems: &'b mut Vec<Problem>,
}

impl Out<'_, '_> {
    /// Record a problem.
    pub fn problem(&mut self, p: Problem) {
        self.problems.push(p);
    }

    /// Read `reader` under the budget (see [`read_capped`]).
    pub fn read(&mut self, reader: &mut dyn Read) -> std::io::Result<Vec<u8>> {
        read_capped(reader, self.budget, self.problems)
    }

    /// True when the member cap is reached after `members` members (reported once by the
    /// caller, which knows what is skipped).
    pub fn full(&self, members: usize) -> bool {
        members >= self.max
    }
}

/// Read to the end or to the budget, whichever is first. Hitting the budget keeps what was
/// read, marks the budget spent and reports it once.
pub(crate) fn read_capped(
    reader: &mut dyn Read,
    budget: &Budget,
    problems: &mut Vec<Problem>,
) -> std::io::Result<Vec<u8>> {
    let left = budget.left.get();
    let mut buf = Vec::new();
    reader.take(left.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > left {
        buf.truncate(left as usize);
        budget.exhaust(problems);
    } else {
        budget.left.set(left - buf.len() as u64);
    }
    Ok(buf)
}

/// A bounded copy of bytes already in memory (a stored member): charged like a read.
pub(crate) fn copy_capped(data: &[u8], budget: &Budget, problems: &mut Vec<Problem>) -> Vec<u8> {
    let mut r = data;
    // Reading from a slice cannot fail.
    read_capped(&mut r, budget, problems).unwrap_or_default()
}

pub(crate) fn malformed(reason: String) -> Problem {
    Problem {
        kind: IssueKind::Malformed,
        reason,
    }
}

pub(crate) fn limit(reason: String) -> Problem {
    Problem {
        kind: IssueKind::Truncated,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    /// `data` compressed as `kind` with the encoders the crates ship.
    pub(crate) fn compress(kind: Kind, data: &[u8]) -> Vec<u8> {
        match kind {
            Kind::Xz => {
                let mut out = Vec::new();
                lzma_rs::xz_compress(&mut &data[..], &mut out).unwrap();
                out
            }
            Kind::Lzma => {
                let mut out = Vec::new();
                lzma_rs::lzma_compress(&mut &data[..], &mut out).unwrap();
                out
            }
            Kind::Bzip2 => {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Kind::Zstd => {
                ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
            }
            _ => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
        }
    }

    const STREAMS: [(Kind, &str, &str); 5] = [
        (Kind::Gzip, "x.tgz", "gz:x.tar"),
        (Kind::Xz, "x.tar.xz", "xz:x.tar"),
        (Kind::Lzma, "x.tlz", "lzma:x.tar"),
        (Kind::Bzip2, "x.tbz2", "bz2:x.tar"),
        (Kind::Zstd, "x.tar.zst", "zst:x.tar"),
    ];

    #[test]
    fn every_stream_round_trips_and_is_cut_at_the_budget() {
        let text = b"TOKEN=abc\n".repeat(1000);
        for (kind, name, step) in STREAMS {
            let packed = compress(kind, &text);
            assert_eq!(sniff(&packed), Some(kind), "{kind:?}");
            let mut got = Vec::new();
            let budget = Budget::new(1 << 20);
            let p = expand(kind, &packed, name, 10, &budget, &mut |m| {
                got.push((m.step, m.data))
            });
            assert!(p.is_empty(), "{kind:?} {p:?}");
            assert_eq!(got, vec![(step.to_string(), text.clone())], "{kind:?}");
            // A bomb: cut at the cap, what came before it kept, one report.
            let mut got = Vec::new();
            let budget = Budget::new(100);
            let p = expand(kind, &packed, name, 10, &budget, &mut |m| got.push(m.data));
            assert_eq!(got, vec![text[..100].to_vec()], "{kind:?}");
            assert_eq!(p.len(), 1, "{kind:?} {p:?}");
            assert_eq!(p[0].kind, IssueKind::Truncated);
            assert!(budget.spent());
            // Truncated: what decoded is kept, one malformed report naming the format.
            let cut = &packed[..packed.len() * 2 / 3];
            let budget = Budget::new(1 << 20);
            let p = expand(kind, cut, name, 10, &budget, &mut |_| {});
            assert_eq!(p.len(), 1, "{kind:?} {p:?}");
            assert_eq!(p[0].kind, IssueKind::Malformed, "{kind:?}");
            assert!(p[0].reason.starts_with("corrupt "), "{p:?}");
        }
    }

    #[test]
    fn text_is_never_an_archive() {
        for t in [
            &b"BZh9 not bzip"[..],
            b"]\x00\x00",
            b"070701",
            b"SQLite format 3",
            b"Cr24",
            b"plain",
        ] {
            assert_eq!(sniff(t), None, "{t:?}");
        }
    }

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ::zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = ::zip::write::SimpleFileOptions::default()
            .compression_method(::zip::CompressionMethod::Deflated);
        for (name, data) in files {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn members(
        kind: Kind,
        data: &[u8],
        max: usize,
        cap: u64,
    ) -> (Vec<(String, Vec<u8>)>, Vec<Problem>) {
        let mut got = Vec::new();
        let budget = Budget::new(cap);
        let problems = expand(kind, data, "x.tgz", max, &budget, &mut |m| {
            got.push((m.step, m.data))
        });
        (got, problems)
    }

    #[test]
    fn zip_members_caps_and_corruption() {
        let z = zip_of(&[("a.env", b"A=1\n"), ("dir/b.txt", b"bb")]);
        assert_eq!(sniff(&z), Some(Kind::Zip));
        let (got, p) = members(Kind::Zip, &z, 10, 1 << 20);
        assert_eq!(
            got,
            vec![
                ("zip:a.env".into(), b"A=1\n".to_vec()),
                ("zip:dir/b.txt".into(), b"bb".to_vec())
            ]
        );
        assert!(p.is_empty());
        let (got, p) = members(Kind::Zip, &z, 1, 1 << 20);
        assert_eq!(got.len(), 1);
        assert_eq!(p[0].kind, IssueKind::Truncated);
        let (got, p) = members(Kind::Zip, &z, 10, 3);
        assert_eq!(got, vec![("zip:a.env".into(), b"A=1".to_vec())]);
        assert!(
            p[0].reason.contains("decompressed size cap (3 bytes)"),
            "{p:?}"
        );
        let (_, p) = members(Kind::Zip, &z[..z.len() - 30], 10, 1 << 20);
        assert_eq!(p[0].kind, IssueKind::Malformed);
    }

    #[test]
    fn tar_and_gzip() {
        let mut b = ::tar::Builder::new(Vec::new());
        let mut h = ::tar::Header::new_gnu();
        h.set_size(3);
        h.set_mode(0o644);
        b.append_data(&mut h, "conf/p.env", &b"K=v"[..]).unwrap();
        let t = b.into_inner().unwrap();
        assert_eq!(sniff(&t), Some(Kind::Tar));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&t).unwrap();
        let gz = gz.finish().unwrap();
        assert_eq!(sniff(&gz), Some(Kind::Gzip));
        let (got, _) = members(Kind::Gzip, &gz, 10, 1 << 20);
        assert_eq!(got[0].0, "gz:x.tar");
        let (got, p) = members(Kind::Tar, &got[0].1, 10, 1 << 20);
        assert_eq!(got, vec![("tar:conf/p.env".into(), b"K=v".to_vec())]);
        assert!(p.is_empty());
    }
}
