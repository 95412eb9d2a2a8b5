//! What a scan counts while it runs ([`Counters`], shared with the progress display), the
//! frozen [`Totals`] at the end, and the [`ScanResult`] handed on to correlation.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::error::ScanIssue;
use crate::hit::Hit;

/// Live counters, shared with the progress display.
#[derive(Debug, Default)]
pub struct Counters {
    /// Files read and scanned.
    pub files: AtomicU64,
    /// Bytes read and scanned.
    pub bytes: AtomicU64,
    /// Hits so far (before correlation).
    pub hits: AtomicU64,
    /// Files skipped as binary.
    pub binary: AtomicU64,
    /// Files skipped as larger than the cap.
    pub too_large: AtomicU64,
    /// Files or directories that could not be read.
    pub unreadable: AtomicU64,
    /// FIFOs, sockets and devices skipped.
    pub special: AtomicU64,
    /// Git repositories whose history was scanned.
    pub repositories: AtomicU64,
    /// Shallow ones among them.
    pub shallow: AtomicU64,
    /// Commits in the scanned history (reachable from a ref or HEAD, or in the range).
    pub commits: AtomicU64,
    /// Commit objects no ref or HEAD reaches.
    pub unreachable_commits: AtomicU64,
    /// Unique blobs read and scanned from history.
    pub blobs: AtomicU64,
    /// Bytes of those blobs.
    pub history_bytes: AtomicU64,
    /// Files and blobs the blob cache knew to be clean (counted above, not read again).
    pub cached: AtomicU64,
    /// Commits walked to find where hit blobs came from (the blob cache spares the ones its
    /// last walk covered).
    pub provenance_commits: AtomicU64,
    /// History blobs decoded by sprawl's own pack reader (the rest went through libgit2).
    pub pack_blobs: AtomicU64,
}

/// A frozen copy of [`Counters`] plus elapsed time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Files scanned.
    pub files: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Skipped: binary.
    pub binary: u64,
    /// Skipped: above the size cap.
    pub too_large: u64,
    /// Skipped: unreadable.
    pub unreadable: u64,
    /// Skipped: special files.
    pub special: u64,
    /// Repositories whose history was scanned.
    pub repositories: u64,
    /// Shallow repositories among them.
    pub shallow: u64,
    /// Commits in the scanned history (reachable from a ref or HEAD, or in the range).
    pub commits: u64,
    /// Commit objects no ref or HEAD reaches.
    pub unreachable_commits: u64,
    /// Unique blobs scanned from history.
    pub blobs: u64,
    /// Bytes of those blobs.
    pub history_bytes: u64,
}

impl Counters {
    /// Snapshot the counters.
    pub fn totals(&self) -> Totals {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Totals {
            files: get(&self.files),
            bytes: get(&self.bytes),
            binary: get(&self.binary),
            too_large: get(&self.too_large),
            unreadable: get(&self.unreadable),
            special: get(&self.special),
            repositories: get(&self.repositories),
            shallow: get(&self.shallow),
            commits: get(&self.commits),
            unreachable_commits: get(&self.unreachable_commits),
            blobs: get(&self.blobs),
            history_bytes: get(&self.history_bytes),
        }
    }
}

/// What a scan produced, before correlation.
#[derive(Debug)]
pub struct ScanResult {
    /// Every hit.
    pub hits: Vec<Hit>,
    /// Every per-input problem, in arrival order.
    pub issues: Vec<ScanIssue>,
    /// Final counters.
    pub totals: Totals,
    /// Wall time of the scan.
    pub elapsed: Duration,
    /// What `--workstation` found besides hits (absent without it).
    pub workstation: Option<super::workstation::Inventory>,
}
