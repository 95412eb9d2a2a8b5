//! Standard input as one blob (`sprawl scan -`), and a FIFO or pipe named on the command line
//! (`sprawl scan <(...)`), read up to the size cap.

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

/// Read the FIFO or pipe at `path` to its end into `buf` (cleared first), at most `max + 1`
/// bytes. Opening blocks until a writer opens it, as `cat` does: the user named it to be read.
pub fn read_stream(
    path: &std::path::Path,
    max: u64,
    buf: &mut Vec<u8>,
) -> Result<Content, ScanIssue> {
    buf.clear();
    let fail = |err: std::io::Error| ScanIssue {
        kind: IssueKind::Unreadable,
        path: path.display().to_string(),
        reason: io_reason(&err),
    };
    std::fs::File::open(path)
        .map_err(fail)?
        .take(max.saturating_add(1))
        .read_to_end(buf)
        .map_err(fail)?;
    if buf.len() as u64 > max {
        buf.clear();
        return Ok(Content::TooLarge);
    }
    Ok(classify(buf))
}
