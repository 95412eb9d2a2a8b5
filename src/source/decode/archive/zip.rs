//! Zip archives (and the formats that are zips: jar, war, whl, nupkg, apk, crx, vsix). An
//! OOXML or ODF document is a zip too: its text parts are read as text (`office`), the rest of
//! its members as members.

use std::io::Cursor;

use super::{Member, Out, Problem, malformed, office};
use crate::error::IssueKind;

/// A Chrome extension (`Cr24`) is a header, then a zip.
fn crx_payload(data: &[u8]) -> Option<&[u8]> {
    if !data.starts_with(b"Cr24") {
        return None;
    }
    let word = |at: usize| -> Option<usize> {
        let b = data.get(at..at + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let start = match word(4)? {
        2 => 16usize.checked_add(word(8)?)?.checked_add(word(12)?)?,
        3 => 12usize.checked_add(word(8)?)?,
        _ => return None,
    };
    data.get(start..)
}

/// Whether `data` is a Chrome extension with a zip inside.
pub(super) fn is_crx(data: &[u8]) -> bool {
    crx_payload(data).is_some_and(|z| z.starts_with(b"PK\x03\x04"))
}

pub(super) fn expand(data: &[u8], out: &mut Out) {
    let data = crx_payload(data).unwrap_or(data);
    let mut archive = match zip::ZipArchive::new(Cursor::new(data)) {
        Ok(a) => a,
        Err(e) => return out.problem(malformed(format!("corrupt zip archive: {e}"))),
    };
    let total = archive.len();
    let names: Vec<String> = (0..total)
        .map(|i| match archive.name_for_index(i) {
            Some(Ok(n)) => n.into_owned(),
            _ => format!("#{}", i + 1),
        })
        .collect();
    // The members a document reader took (read as text, not again as XML).
    let taken = office::read(&mut archive, &names, out);
    let mut members = taken.len();
    for (i, name) in names.iter().enumerate() {
        if out.budget.spent() {
            return;
        }
        if taken.contains(&i) {
            continue;
        }
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(msg))
                if msg == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                out.problem(Problem {
                    kind: IssueKind::Encrypted,
                    reason: format!("zip:{name}: encrypted member skipped"),
                });
                continue;
            }
            Err(e) => {
                out.problem(malformed(format!("zip:{name}: {e}")));
                continue;
            }
        };
        if !file.is_file() {
            continue;
        }
        if out.full(members) {
            let max = out.max;
            out.problem(super::limit(format!(
                "member cap ({max}) reached; {} more members skipped",
                total - i
            )));
            return;
        }
        members += 1;
        match out.read(&mut file) {
            Ok(bytes) => (out.visit)(Member::new(format!("zip:{name}"), name.clone(), bytes)),
            Err(e) => out.problem(malformed(format!("zip:{name}: corrupt member: {e}"))),
        }
    }
}

/// Read member `i` whole under the budget; `None` (with the problem recorded) when it cannot be.
pub(super) fn read_member(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    i: usize,
    name: &str,
    out: &mut Out,
) -> Option<Vec<u8>> {
    let mut file = match archive.by_index(i) {
        Ok(f) => f,
        Err(e) => {
            out.problem(malformed(format!("zip:{name}: {e}")));
            return None;
        }
    };
    match out.read(&mut file) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            out.problem(malformed(format!("zip:{name}: corrupt member: {e}")));
            None
        }
    }
}
