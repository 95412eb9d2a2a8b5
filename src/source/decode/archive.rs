//! Archives: zip (and jar, war, whl, nupkg, which are zips), tar, and gzip streams (so
//! `.tar.gz`/`.tgz` is gzip then tar). Recognised by magic bytes, whatever the file is called.
//!
//! Expansion is bounded: at most `max_members` members per archive, and at most
//! `max_decompressed` bytes inflated per input across every nested archive (a shared
//! [`Budget`]). Hitting a cap stops that input's expansion with one problem report; members
//! already read are still scanned. Encrypted members and corrupt archives are reported and
//! skipped. Nesting depth is the driver's business (it calls [`expand`] again per member).

use std::cell::Cell;
use std::io::{Cursor, Read};

use crate::error::IssueKind;

/// The kinds of archive understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// PKZIP.
    Zip,
    /// POSIX/GNU tar.
    Tar,
    /// One gzip stream (possibly several concatenated members).
    Gzip,
}

/// Identify an archive by its magic bytes.
pub fn sniff(data: &[u8]) -> Option<Kind> {
    if data.starts_with(b"PK\x03\x04") || data.starts_with(b"PK\x05\x06") {
        Some(Kind::Zip)
    } else if data.starts_with(&[0x1f, 0x8b, 0x08]) {
        Some(Kind::Gzip)
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
}

/// One member read from an archive.
#[derive(Debug)]
pub struct Member {
    /// The decode step: `zip:path`, `tar:path`, or `gzip`.
    pub step: String,
    /// The member's name, for choosing its decoder.
    pub name: String,
    /// Its bytes (cut at the budget).
    pub data: Vec<u8>,
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
    match kind {
        Kind::Zip => zip(data, max_members, budget, visit, &mut problems),
        Kind::Tar => tar(data, max_members, budget, visit, &mut problems),
        Kind::Gzip => {
            let inner = gunzipped_name(name);
            let mut reader = flate2::read::MultiGzDecoder::new(data);
            match read_capped(&mut reader, budget, &mut problems) {
                Ok(bytes) => visit(Member {
                    step: format!("gz:{inner}"),
                    name: inner,
                    data: bytes,
                }),
                Err(e) => problems.push(malformed(format!("corrupt gzip stream: {e}"))),
            }
        }
    }
    problems
}

fn zip(
    data: &[u8],
    max: usize,
    budget: &Budget,
    visit: &mut dyn FnMut(Member),
    problems: &mut Vec<Problem>,
) {
    let mut archive = match zip::ZipArchive::new(Cursor::new(data)) {
        Ok(a) => a,
        Err(e) => return problems.push(malformed(format!("corrupt zip archive: {e}"))),
    };
    let mut members = 0;
    let total = archive.len();
    for i in 0..total {
        if budget.spent() {
            return;
        }
        let name = match archive.name_for_index(i) {
            Some(Ok(n)) => n.into_owned(),
            _ => format!("#{}", i + 1),
        };
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(msg))
                if msg == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                problems.push(Problem {
                    kind: IssueKind::Encrypted,
                    reason: format!("zip:{name}: encrypted member skipped"),
                });
                continue;
            }
            Err(e) => {
                problems.push(malformed(format!("zip:{name}: {e}")));
                continue;
            }
        };
        if !file.is_file() {
            continue;
        }
        if members == max {
            problems.push(limit(format!(
                "member cap ({max}) reached; {} more members skipped",
                total - i
            )));
            return;
        }
        members += 1;
        match read_capped(&mut file, budget, problems) {
            Ok(bytes) => visit(Member {
                step: format!("zip:{name}"),
                name,
                data: bytes,
            }),
            Err(e) => problems.push(malformed(format!("zip:{name}: corrupt member: {e}"))),
        }
    }
}

fn tar(
    data: &[u8],
    max: usize,
    budget: &Budget,
    visit: &mut dyn FnMut(Member),
    problems: &mut Vec<Problem>,
) {
    let mut archive = tar::Archive::new(Cursor::new(data));
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return problems.push(malformed(format!("corrupt tar archive: {e}"))),
    };
    let mut members = 0;
    for entry in entries {
        if budget.spent() {
            return;
        }
        let mut entry = match entry {
            Ok(e) => e,
            Err(e) => return problems.push(malformed(format!("corrupt tar archive: {e}"))),
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        if members == max {
            return problems.push(limit(format!(
                "member cap ({max}) reached; rest of the archive skipped"
            )));
        }
        members += 1;
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        match read_capped(&mut entry, budget, problems) {
            Ok(bytes) => visit(Member {
                step: format!("tar:{name}"),
                name,
                data: bytes,
            }),
            Err(e) => return problems.push(malformed(format!("tar:{name}: corrupt member: {e}"))),
        }
    }
}

/// Read to the end or to the budget, whichever is first. Hitting the budget keeps what was
/// read, marks the budget spent and reports it once.
fn read_capped(
    reader: &mut dyn Read,
    budget: &Budget,
    problems: &mut Vec<Problem>,
) -> std::io::Result<Vec<u8>> {
    let left = budget.left.get();
    let mut buf = Vec::new();
    reader.take(left.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > left {
        buf.truncate(left as usize);
        budget.left.set(0);
        budget.spent.set(true);
        problems.push(limit(format!(
            "decompressed size cap ({} bytes) reached; rest of the archive skipped (raise it with --max-decompressed-size)",
            budget.cap
        )));
    } else {
        budget.left.set(left - buf.len() as u64);
    }
    Ok(buf)
}

/// `x.tar.gz` -> `x.tar`, `x.tgz` -> `x.tar`, `x.env.gz` -> `x.env`.
fn gunzipped_name(name: &str) -> String {
    let base = super::base_name(name);
    let lower = base.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".tgz") {
        return format!("{}.tar", &base[..stem.len()]);
    }
    match lower.strip_suffix(".gz") {
        Some(stem) => base[..stem.len()].to_string(),
        None => base.to_string(),
    }
}

fn malformed(reason: String) -> Problem {
    Problem {
        kind: IssueKind::Malformed,
        reason,
    }
}

fn limit(reason: String) -> Problem {
    Problem {
        kind: IssueKind::Limit,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
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
        assert_eq!(p[0].kind, IssueKind::Limit);
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
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
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
        assert_eq!(gunzipped_name("a/b.TGZ"), "b.tar");
        assert_eq!(gunzipped_name("prod.env.gz"), "prod.env");
    }
}
