//! 7z archives, read with `sevenz-rust2` (pure Rust: LZMA, LZMA2, PPMd, bzip2, BCJ, delta and
//! stored coders; no C build). Each block (a solid run of members, or one member) is decoded once
//! through the crate's block API and its members are read one by one in order, each under the
//! byte budget. The crate's own memory limit bounds what its header parser and decoders may
//! allocate from sizes the archive declares. Encrypted archives (an AES header) and encrypted
//! blocks are reported and skipped; an unsupported coder or a corrupt block is reported and the
//! next block is still read.

use std::io::Cursor;

use sevenz_rust2::{Archive, ArchiveEntry, BlockDecoder, EncoderMethod, Error, Password};

use super::{Member, Out, Problem, limit, malformed};
use crate::error::IssueKind;

/// What the crate may allocate for a header buffer or a decoder's dictionary or model (KiB):
/// 128 MiB, the zstd window cap too. 7-Zip's `-mx9` uses a 64 MiB dictionary.
const MEMORY_LIMIT_KB: usize = 128 * 1024;

/// Whether `data` starts with the 7z signature.
pub(super) fn is_7z(data: &[u8]) -> bool {
    data.starts_with(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c])
}

fn encrypted(reason: String) -> Problem {
    Problem {
        kind: IssueKind::Encrypted,
        reason,
    }
}

/// Whether the crate refused an AES coder (built without AES: the method is unsupported).
fn is_aes_error(e: &Error) -> bool {
    match e {
        Error::PasswordRequired | Error::MaybeBadPassword(_) => true,
        Error::UnsupportedCompressionMethod(name) => name.contains("AES"),
        _ => false,
    }
}

/// A member with bytes to read: not a directory, not empty.
fn has_data(entry: &ArchiveEntry) -> bool {
    entry.has_stream && !entry.is_directory() && entry.size > 0
}

pub(super) fn expand(data: &[u8], out: &mut Out) {
    let mut source = Cursor::new(data);
    let password = Password::empty();
    let archive = match Archive::read_with_memory_limit(&mut source, &password, MEMORY_LIMIT_KB) {
        Ok(a) => a,
        Err(e) if is_aes_error(&e) => {
            return out.problem(encrypted(
                "encrypted 7z archive (its file list is encrypted) not scanned".into(),
            ));
        }
        Err(e) => return out.problem(malformed(format!("corrupt 7z archive: {e}"))),
    };
    let total = archive.files.iter().filter(|f| has_data(f)).count();
    let mut members = 0usize;
    for block in 0..archive.blocks.len() {
        if out.budget.spent() {
            return;
        }
        let decoder = BlockDecoder::new_with_memory_limit(
            1,
            MEMORY_LIMIT_KB,
            block,
            &archive,
            &password,
            &mut source,
        );
        let first = decoder
            .entries()
            .iter()
            .find(|f| has_data(f))
            .map_or_else(|| format!("block {}", block + 1), |f| f.name().to_string());
        let streams = decoder.entries().iter().filter(|f| has_data(f)).count();
        if archive.blocks[block]
            .coders
            .iter()
            .any(|c| c.encoder_method_id() == EncoderMethod::ID_AES256_SHA256)
        {
            out.problem(encrypted(if streams == 1 {
                format!("7z:{first}: encrypted member skipped")
            } else {
                format!("7z:{first}: encrypted block of {streams} members skipped")
            }));
            continue;
        }
        // The member being read when the block stopped, for the report.
        let mut current = first;
        let mut capped = false;
        let result = decoder.for_each_entries(&mut |entry, reader| {
            // An empty member (a solid block lists them too) has nothing to scan. A declared
            // size bounds what the block gives a member, so a size of 0 reads nothing anyway.
            if !has_data(entry) {
                return Ok(true);
            }
            if out.full(members) {
                capped = true;
                return Ok(false);
            }
            members += 1;
            let name = entry.name().to_string();
            current.clone_from(&name);
            match out.read(reader) {
                Ok(bytes) => {
                    (out.visit)(Member::new(format!("7z:{name}"), name, bytes));
                    Ok(!out.budget.spent())
                }
                Err(e) => Err(Error::Io(e, "read".into())),
            }
        });
        if capped {
            let max = out.max;
            out.problem(limit(format!(
                "member cap ({max}) reached; {} more members skipped",
                total.saturating_sub(members)
            )));
            return;
        }
        if let Err(e) = result {
            if is_aes_error(&e) {
                out.problem(encrypted(format!("7z:{current}: encrypted member skipped")));
            } else {
                out.problem(malformed(format!("7z:{current}: corrupt block: {e}")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Budget, Kind, expand, sniff};
    use super::*;
    use sevenz_rust2::{ArchiveWriter, EncoderConfiguration, SourceReader};

    fn sevenz_of(files: &[(&str, &[u8])], method: EncoderMethod, solid: bool) -> Vec<u8> {
        let mut w = ArchiveWriter::new(Cursor::new(Vec::new())).unwrap();
        w.set_content_methods(vec![EncoderConfiguration::new(method)]);
        if solid {
            let entries = files
                .iter()
                .map(|(n, _)| ArchiveEntry::new_file(n))
                .collect();
            let readers = files.iter().map(|(_, d)| SourceReader::new(*d)).collect();
            w.push_archive_entries(entries, readers).unwrap();
        } else {
            for (name, data) in files {
                w.push_archive_entry(ArchiveEntry::new_file(name), Some(*data))
                    .unwrap();
            }
            w.push_archive_entry::<&[u8]>(ArchiveEntry::new_directory("empty.d"), None)
                .unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn members(data: &[u8], max: usize, cap: u64) -> (Vec<(String, Vec<u8>)>, Vec<Problem>) {
        let mut got = Vec::new();
        let budget = Budget::new(cap);
        let p = expand(Kind::SevenZip, data, "x.7z", max, &budget, &mut |m| {
            got.push((m.step, m.data))
        });
        (got, p)
    }

    #[test]
    fn every_built_in_coder_round_trips_member_by_member() {
        let big = b"KEY=value\n".repeat(5000);
        let files: [(&str, &[u8]); 3] = [("a.env", b"A=1\n"), ("d/b.txt", &big), ("c", b"")];
        for method in [
            EncoderMethod::LZMA2,
            EncoderMethod::LZMA,
            EncoderMethod::COPY,
            EncoderMethod::PPMD,
            EncoderMethod::BZIP2,
        ] {
            for solid in [true, false] {
                let z = sevenz_of(&files, method, solid);
                assert_eq!(sniff(&z), Some(Kind::SevenZip));
                let (got, p) = members(&z, 10, 1 << 20);
                assert!(p.is_empty(), "{method:?} {p:?}");
                let want: Vec<(String, Vec<u8>)> = files[..2]
                    .iter()
                    .map(|(n, d)| (format!("7z:{n}"), d.to_vec()))
                    .collect();
                let names = |v: &[(String, Vec<u8>)]| -> Vec<(String, usize)> {
                    v.iter().map(|(n, d)| (n.clone(), d.len())).collect()
                };
                assert_eq!(names(&got), names(&want), "{method:?} solid {solid}");
                assert!(got == want, "{method:?} solid {solid}: contents differ");
                // Cut inside the second member: the first whole, one report.
                let (got, p) = members(&z, 10, 100);
                assert_eq!(got.len(), 2, "{method:?}");
                assert_eq!(got[1].1, big[..96].to_vec());
                assert_eq!(p.len(), 1, "{p:?}");
                assert_eq!(p[0].kind, IssueKind::Truncated);
            }
        }
    }

    #[test]
    fn signature_and_aes_errors() {
        assert!(is_7z(b"7z\xbc\xaf\x27\x1c\x00\x04"));
        assert_eq!(sniff(b"7z archive, not one"), None);
        assert_eq!(sniff(b"7zip"), None);
        assert!(is_aes_error(&Error::PasswordRequired));
        // Built without AES, the crate names the method it does not support.
        assert!(is_aes_error(&Error::UnsupportedCompressionMethod(
            "AES256_SHA256".into()
        )));
        assert!(!is_aes_error(&Error::UnsupportedCompressionMethod(
            "DEFLATE".into()
        )));
        let (got, p) = members(b"7z\xbc\xaf\x27\x1c\x00\x04", 10, 1 << 20);
        assert!(got.is_empty());
        assert_eq!(p.len(), 1);
        assert!(p[0].reason.starts_with("corrupt 7z archive: "), "{p:?}");
    }
}
