//! Tar archives. A tar that is a `docker save` image is read layer by layer (`image`).

use std::io::Cursor;
use std::ops::Range;

use super::{Member, Out, copy_capped, image, limit, malformed};

/// A regular file in a tar: its path and where its bytes sit in the archive.
pub(super) struct File {
    /// The path as stored (GNU long names and PAX paths resolved).
    pub path: String,
    /// Its bytes in the archive.
    pub range: Range<usize>,
}

/// Every regular file in `data`, with the reason the listing stopped early, if it did. The
/// ranges are checked against `data`: a size field pointing past the end ends the listing.
pub(super) fn list(data: &[u8]) -> (Vec<File>, Option<String>) {
    let mut files = Vec::new();
    let mut archive = tar::Archive::new(Cursor::new(data));
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => return (files, Some(format!("corrupt tar archive: {e}"))),
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => return (files, Some(format!("corrupt tar archive: {e}"))),
        };
        let kind = entry.header().entry_type();
        // Sparse files store holes apart from their data; their raw bytes are not the file.
        if !kind.is_file() || kind.is_gnu_sparse() {
            continue;
        }
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let start = entry.raw_file_position();
        let end = start.checked_add(entry.size());
        match end.filter(|&e| e <= data.len() as u64) {
            Some(end) => files.push(File {
                path,
                range: start as usize..end as usize,
            }),
            None => {
                return (
                    files,
                    Some(format!("tar:{path}: corrupt member: truncated")),
                );
            }
        }
    }
    (files, None)
}

pub(super) fn expand(data: &[u8], out: &mut Out) {
    let (files, error) = list(data);
    if image::expand(data, &files, out) {
        return;
    }
    members(data, &files, "tar", out);
    if let Some(e) = error {
        out.problem(malformed(e));
    }
}

/// Hand `files` on as members stepped `<prefix>:<path>`, under the member cap and the budget.
pub(super) fn members(data: &[u8], files: &[File], prefix: &str, out: &mut Out) {
    for (n, f) in files.iter().enumerate() {
        if out.budget.spent() {
            return;
        }
        if out.full(n) {
            let max = out.max;
            return out.problem(limit(format!(
                "member cap ({max}) reached; rest of the archive skipped"
            )));
        }
        let bytes = copy_capped(&data[f.range.clone()], out.budget, out.problems);
        (out.visit)(Member::new(
            format!("{prefix}:{}", f.path),
            f.path.clone(),
            bytes,
        ));
    }
}
