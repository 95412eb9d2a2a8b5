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

/// Read `path` into `buf` (cleared first), reading at most `max + 1` bytes. A file whose size
/// (from the open file) is over `max` is [`Content::TooLarge`] without being read.
///
/// The walker saw a regular file, but the tree may change before the read: a file that is gone
/// is an `unreadable` issue ("no such file or directory"); one that shrank is read as it now
/// is; one that grew past the cap is [`Content::TooLarge`]; one replaced by a FIFO or device is
/// opened without blocking (`O_NONBLOCK`, which regular files ignore) and refused as "not a
/// regular file" instead of hanging the worker.
pub fn read(path: &Path, max: u64, buf: &mut Vec<u8>) -> Result<Content, ScanIssue> {
    buf.clear();
    let issue = |reason: String| ScanIssue {
        kind: IssueKind::Unreadable,
        path: path.display().to_string(),
        reason,
    };
    let fail = |err: std::io::Error| issue(io_reason(&err));
    let file = open(path).map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    if !meta.is_file() {
        return Err(issue("not a regular file (replaced while scanning)".into()));
    }
    if meta.len() > max {
        return Ok(Content::TooLarge);
    }
    let len = meta.len();
    if len == 0 {
        // Size unknown (procfs and the like report 0): read to the end, up to the cap.
        file.take(max.saturating_add(1))
            .read_to_end(buf)
            .map_err(fail)?;
    } else {
        // The size the open file has now: one read, no second one to see the end. A file
        // that shrank meanwhile is read as it is; bytes appended after this point are not.
        buf.reserve(usize::try_from(len).unwrap_or(0));
        file.take(len).read_to_end(buf).map_err(fail)?;
    }
    if buf.len() as u64 > max {
        buf.clear();
        return Ok(Content::TooLarge);
    }
    Ok(classify(buf))
}

/// Open for reading without blocking on a FIFO that took the place of a regular file.
#[cfg(unix)]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
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

#[cfg(test)]
mod tests {
    //! The tree changing between the walk and the read. The walker's metadata is never used to
    //! read, so "after the walk" is simply "before this call": these are deterministic.

    use super::*;

    /// The result with an issue as its kind and the one line printed for it.
    fn read_line(path: &Path, max: u64, buf: &mut Vec<u8>) -> Result<Content, (IssueKind, String)> {
        read(path, max, buf).map_err(|i| (i.kind, i.to_string()))
    }

    fn issue(path: &Path, reason: &str) -> (IssueKind, String) {
        (
            IssueKind::Unreadable,
            format!("{}: {reason}", path.display()),
        )
    }

    #[test]
    fn a_file_gone_since_the_walk_is_one_unreadable_issue() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone.txt");
        std::fs::write(&path, "x").unwrap();
        std::fs::remove_file(&path).unwrap();
        let mut buf = b"stale".to_vec();
        assert_eq!(
            read_line(&path, 100, &mut buf),
            Err(issue(&path, "no such file or directory"))
        );
        assert!(buf.is_empty());
    }

    #[test]
    fn a_file_that_shrank_or_grew_is_read_as_it_is_now() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        std::fs::write(&path, vec![b'a'; 100]).unwrap();
        let walked = std::fs::metadata(&path).unwrap().len();
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(10)
            .unwrap();
        let mut buf = Vec::new();
        assert_eq!(read_line(&path, walked, &mut buf), Ok(Content::Text));
        assert_eq!(buf, vec![b'a'; 10]);
        // Grown past the cap the walker checked against: skipped, not read whole.
        std::fs::write(&path, vec![b'a'; 101]).unwrap();
        assert_eq!(read_line(&path, walked, &mut buf), Ok(Content::TooLarge));
        assert!(buf.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_file_replaced_by_a_fifo_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let mut buf = Vec::new();
        // With a plain open(2) this call would wait for a writer forever.
        assert_eq!(
            read_line(&path, 100, &mut buf),
            Err(issue(&path, "not a regular file (replaced while scanning)"))
        );
    }
}
