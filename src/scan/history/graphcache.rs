//! The commit headers of a repository (id, committer time, parents), kept in a side file of
//! the blob cache so a rescan lists the history's commits without reading them again: on a
//! mirror of curl that is 87,000 object reads on the scan's critical path. Commits never
//! change, so the file is keyed by the repository alone, not by the configuration; it is
//! rewritten only when a scan read commits it did not hold. Commit ids and times only.
//!
//! Format (inside the cache's checksummed side file): `sprawlc1`, then per commit its 20-byte
//! id, time (i64, little-endian), parent count (u16) and the parents' 20-byte ids. A payload
//! that does not parse is ignored (the commits are read from the repository).

use git2::Oid;

use crate::cache::{self, Side, Store};
use crate::source::git::{Known, RepoDir};

const MAGIC: &[u8; 8] = b"sprawlc1";

/// The side file's name for `repo`.
fn name(repo: &RepoDir) -> String {
    let git_dir = std::fs::canonicalize(&repo.git_dir).unwrap_or_else(|_| repo.git_dir.clone());
    cache::side_name(Side::Commits, &[git_dir.as_os_str().as_encoded_bytes()])
}

/// The headers the cache holds for `repo` (none without a cache or a usable file).
pub fn load(store: Option<&Store>, repo: &RepoDir) -> Known {
    store
        .and_then(|s| s.read_side(&name(repo)))
        .and_then(|b| decode(&b))
        .unwrap_or_default()
}

/// Keep `known` for the next scan if this one read commits the cache did not hold. A failure
/// only costs the next scan the reads.
pub fn save(store: Option<&Store>, repo: &RepoDir, known: &Known) {
    if let Some(store) = store
        && known.added > 0
    {
        let _ = store.write_side(&name(repo), &encode(known));
    }
}

fn encode(known: &Known) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + known.len() * 50);
    out.extend_from_slice(MAGIC);
    let mut all: Vec<_> = known.iter().collect();
    all.sort_by_key(|(c, _)| **c);
    for (c, (time, parents)) in all {
        out.extend_from_slice(c.as_bytes());
        out.extend_from_slice(&time.to_le_bytes());
        out.extend_from_slice(&(parents.len().min(usize::from(u16::MAX)) as u16).to_le_bytes());
        for p in parents.iter().take(usize::from(u16::MAX)) {
            out.extend_from_slice(p.as_bytes());
        }
    }
    out
}

fn decode(bytes: &[u8]) -> Option<Known> {
    let body = bytes.strip_prefix(MAGIC)?;
    let mut at = 0;
    let mut take = |n: usize| -> Option<&[u8]> {
        let field = body.get(at..at + n)?;
        at += n;
        Some(field)
    };
    // About one parent per commit: 50 bytes a header.
    let mut known = Known::with_capacity(body.len() / 50);
    let mut left = body.len();
    while left > 0 {
        let c = Oid::from_bytes(take(20)?).ok()?;
        let time = i64::from_le_bytes(take(8)?.try_into().ok()?);
        let n = u16::from_le_bytes(take(2)?.try_into().ok()?);
        let parents = (0..n)
            .map(|_| take(20).and_then(|p| Oid::from_bytes(p).ok()))
            .collect::<Option<Vec<Oid>>>()?;
        left -= 30 + 20 * usize::from(n);
        known.insert(c, time, parents);
    }
    Some(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(n: u8) -> Oid {
        Oid::from_bytes(&[n; 20]).unwrap()
    }

    #[test]
    fn headers_round_trip_and_damage_is_refused() {
        let mut known = Known::default();
        known.insert(oid(1), -5, vec![]);
        known.insert(oid(2), 1_700_000_000, vec![oid(1)]);
        known.insert(oid(3), 7, vec![oid(1), oid(2)]);
        let bytes = encode(&known);
        let back = decode(&bytes).unwrap();
        let mut a: Vec<_> = known.iter().collect();
        let mut b: Vec<_> = back.iter().collect();
        a.sort();
        b.sort();
        assert_eq!(a, b);
        assert_eq!(back.added, 0);
        // Cut anywhere inside a record: refused, never half-read.
        for cut in [9, 20, 30, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        assert!(decode(b"sprawlc0").is_none());
        assert_eq!(decode(MAGIC).unwrap().len(), 0);
    }
}
