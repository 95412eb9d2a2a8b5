//! Standard input as one blob (`sprawl scan -`), read up to the size cap.

use std::io::Read;

use super::fs::{Content, classify};
use crate::error::{IssueKind, ScanIssue, io_reason};

/// Read standard input into `buf` (cleared first), at most `max + 1` bytes.
pub fn read(max: u64, buf: &mut Vec<u8>) -> Result<Content, ScanIssue> {
    buf.clear();
    std::io::stdin()
        .lock()
        .take(max.saturating_add(1))
        .read_to_end(buf)
        .map_err(|err| ScanIssue {
            kind: IssueKind::Unreadable,
            path: "-".into(),
            reason: io_reason(&err),
        })?;
    if buf.len() as u64 > max {
        buf.clear();
        return Ok(Content::TooLarge);
    }
    Ok(classify(buf))
}
