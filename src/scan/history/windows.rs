//! The regex runs that found something in each history blob with hits, kept in a side file of
//! the blob cache so a rescan of such a blob runs only those (`detect::Windows`) instead of the
//! keyword prefilter and every rule's windows: blobs with hits are never answered from the
//! cache's records, and on curl they were two thirds of a cached rescan.
//!
//! What is kept is positions only: per blob id, (rule index, window start, window end) of each
//! productive run of its top-level detection. No byte of any blob. The file is named by the
//! configuration digest (the rule list the indices refer to) and the repository, and keeps the
//! entries of the last scan's hit blobs (bounded by them). A blob's bytes never change under its
//! id, and a run that found nothing in them finds nothing again, so replaying the noted runs
//! gives the same matches; the decoders and deeper levels still run in full.
//!
//! Format (inside the cache's checksummed side file): `sprawlw1`, then per blob its 20-byte
//! id, run count (u32) and each run's rule (u32), start and end (u64), little-endian.

use std::collections::HashMap;
use std::sync::Mutex;

use git2::Oid;

use crate::cache::{self, Side, Store};
use crate::detect::Window;
use crate::source::git::RepoDir;

const MAGIC: &[u8; 8] = b"sprawlw1";

/// The runs remembered for one repository, and those noted by this scan.
#[derive(Debug, Default)]
pub struct Runs {
    name: Option<String>,
    known: HashMap<Oid, Vec<Window>>,
    /// Every hit blob of this scan with its runs; whether any was not known before.
    noted: Mutex<(Vec<Entry>, bool)>,
}

/// A blob and its runs.
type Entry = (Oid, Vec<Window>);

impl Runs {
    /// The runs the cache holds for `repo` (none without a cache or a usable file).
    pub fn load(store: Option<&Store>, repo: &RepoDir) -> Runs {
        let Some(store) = store else {
            return Runs::default();
        };
        let git_dir = std::fs::canonicalize(&repo.git_dir).unwrap_or_else(|_| repo.git_dir.clone());
        let name = cache::side_name(
            Side::Windows,
            &[
                b"windows",
                store.digest(),
                git_dir.as_os_str().as_encoded_bytes(),
            ],
        );
        let known = store
            .read_side(&name)
            .and_then(|b| decode(&b))
            .unwrap_or_default();
        Runs {
            name: Some(name),
            known,
            noted: Mutex::default(),
        }
    }

    /// Whether runs are kept at all (a cache is in use).
    pub fn enabled(&self) -> bool {
        self.name.is_some()
    }

    /// The runs remembered for blob `oid`.
    pub fn get(&self, oid: &Oid) -> Option<&[Window]> {
        self.known.get(oid).map(Vec::as_slice)
    }

    /// Note the runs of hit blob `oid` (`fresh`: not remembered before).
    pub fn note(&self, oid: Oid, runs: Vec<Window>, fresh: bool) {
        let mut noted = self.noted.lock().unwrap_or_else(|p| p.into_inner());
        noted.0.push((oid, runs));
        noted.1 |= fresh;
    }

    /// Keep this scan's hit blobs' runs for the next scan, when any was new. A failure only
    /// costs the next scan the full detection of those blobs.
    pub fn save(self, store: Option<&Store>) {
        let (Some(store), Some(name)) = (store, self.name) else {
            return;
        };
        let (mut noted, fresh) = self.noted.into_inner().unwrap_or_else(|p| p.into_inner());
        if fresh {
            noted.sort_by_key(|e| e.0);
            let _ = store.write_side(&name, &encode(&noted));
        }
    }
}

fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for (oid, runs) in entries {
        out.extend_from_slice(oid.as_bytes());
        out.extend_from_slice(&(runs.len() as u32).to_le_bytes());
        for w in runs {
            out.extend_from_slice(&w.rule.to_le_bytes());
            out.extend_from_slice(&w.start.to_le_bytes());
            out.extend_from_slice(&w.end.to_le_bytes());
        }
    }
    out
}

fn decode(bytes: &[u8]) -> Option<HashMap<Oid, Vec<Window>>> {
    let mut body = bytes.strip_prefix(MAGIC)?;
    let mut left = body.len();
    let mut take = |n: usize| -> Option<&[u8]> {
        let (field, rest) = body.split_at_checked(n)?;
        body = rest;
        Some(field)
    };
    let mut out = HashMap::new();
    while left > 0 {
        let oid = Oid::from_bytes(take(20)?).ok()?;
        let n = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
        let mut runs = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            let rule = u32::from_le_bytes(take(4)?.try_into().ok()?);
            let start = u64::from_le_bytes(take(8)?.try_into().ok()?);
            let end = u64::from_le_bytes(take(8)?.try_into().ok()?);
            runs.push(Window { rule, start, end });
        }
        left -= 24 + 20 * n;
        out.insert(oid, runs);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_round_trip_and_damage_is_refused() {
        let w = |rule, start, end| Window { rule, start, end };
        let entries = vec![
            (
                Oid::from_bytes(&[1; 20]).unwrap(),
                vec![w(3, 0, 90), w(7, 5, u64::MAX)],
            ),
            (Oid::from_bytes(&[2; 20]).unwrap(), vec![]),
        ];
        let bytes = encode(&entries);
        let back = decode(&bytes).unwrap();
        assert_eq!(back.len(), 2);
        for (oid, runs) in &entries {
            assert_eq!(&back[oid], runs);
        }
        // Cut inside an entry: refused, never half-read.
        for cut in [9, 28, 30, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        assert!(decode(b"sprawlw0").is_none());
        assert_eq!(decode(MAGIC).unwrap().len(), 0);
    }
}
