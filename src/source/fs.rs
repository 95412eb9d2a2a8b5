//! Files on disk: read one file the walker found into a reusable buffer, bounded by the size
//! cap, and classify it (text to scan, binary to skip, or a problem to report).

use std::io::Read;
use std::path::Path;

use crate::error::{IssueKind, ScanIssue, io_reason};

/// How many leading bytes decide whether a file is binary (a NUL among them).
pub const BINARY_PROBE: usize = 8 * 1024;

/// The result of reading a file.
#[derive(Debug, PartialEq, Eq)]
pub enum Content {
    /// The bytes are in the buffer and should be scanned.
    Text,
    /// A NUL byte in the first 8 KiB: skipped.
    Binary,
    /// The file grew past the size cap while being read: skipped.
    TooLarge,
}

/// Read `path` into `buf` (cleared first), reading at most `max + 1` bytes.
pub fn read(path: &Path, max: u64, buf: &mut Vec<u8>) -> Result<Content, ScanIssue> {
    buf.clear();
    let fail = |err: std::io::Error| ScanIssue {
        kind: IssueKind::Unreadable,
        path: path.display().to_string(),
        reason: io_reason(&err),
    };
    let file = std::fs::File::open(path).map_err(fail)?;
    file.take(max.saturating_add(1))
        .read_to_end(buf)
        .map_err(fail)?;
    if buf.len() as u64 > max {
        buf.clear();
        return Ok(Content::TooLarge);
    }
    Ok(classify(buf))
}

/// Binary if a NUL byte occurs in the first [`BINARY_PROBE`] bytes.
pub fn classify(data: &[u8]) -> Content {
    let probe = &data[..data.len().min(BINARY_PROBE)];
    if memchr::memchr(0, probe).is_some() {
        Content::Binary
    } else {
        Content::Text
    }
}
