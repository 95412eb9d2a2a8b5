//! Fingerprints of history hits remembered by where they were found, so a cached rescan does
//! not derive them again (Argon2id, a few milliseconds each: a sixth of a rescan of curl).
//!
//! A remembered fingerprint is keyed by a hash of its place: the configuration digest, the
//! fingerprint scheme (organisation key or none), the rule, the blob id (content-addressed:
//! the same blob always holds the same bytes), line, column, decode chain and part. The key is
//! never derived from the secret, so the file offers no way to test a guessed value; what it
//! holds besides keys are fingerprints, which every report prints. Only blobs of git history
//! are remembered (work-tree files change in place). The side file (`fps-*.bin`) holds the
//! entries of the last scan of the same roots and configuration, so it is bounded by that
//! scan's hits; it is rewritten only when something new was derived.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::cache::{self, Side, Store};
use crate::hit::Hit;
use crate::rules::Rule;
use crate::secret::fingerprint;

/// The history hits of one scan and what the cache remembered for them.
pub struct Memo {
    name: String,
    /// (place key, secret) of every history hit.
    places: Vec<(String, Vec<u8>)>,
    /// Fingerprints read from the cache.
    known: HashMap<String, String>,
}

impl Memo {
    /// Read the remembered fingerprints for `hits` and hand them to the fingerprint module, so
    /// deriving them is a lookup. `roots` names what was scanned (the file is per roots).
    pub fn load(store: &Store, hits: &[Hit], rules: &[Rule], roots: &[String]) -> Memo {
        let cwd = std::env::current_dir().unwrap_or_default();
        let mut parts: Vec<&[u8]> = vec![b"fingerprints", store.digest()];
        parts.push(cwd.as_os_str().as_encoded_bytes());
        parts.extend(roots.iter().map(|r| r.as_bytes()));
        let name = cache::side_name(Side::Fingerprints, &parts);
        let scheme = fingerprint::scheme();
        let places: Vec<(String, Vec<u8>)> = hits
            .iter()
            .filter_map(|h| {
                let git = h.location.git.as_ref().filter(|g| !g.blob.is_empty())?;
                let loc = &h.location;
                let mut k = Sha256::new();
                for p in [
                    &scheme[..],
                    store.digest(),
                    rules[h.rule].id.as_bytes(),
                    git.blob.as_bytes(),
                    &loc.line.to_le_bytes(),
                    &loc.column.to_le_bytes(),
                    loc.decoded.join("\0").as_bytes(),
                    loc.part.as_deref().unwrap_or("").as_bytes(),
                ] {
                    k.update((p.len() as u64).to_le_bytes());
                    k.update(p);
                }
                let key = cache::stem(&k.finalize().into());
                Some((key, h.secret.reveal().to_vec()))
            })
            .collect();
        let mut known: HashMap<String, String> = store
            .read_side(&name)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let wanted: std::collections::HashSet<&str> = places.iter().map(|p| p.0.as_str()).collect();
        known.retain(|k, _| wanted.contains(k.as_str()));
        for (key, secret) in &places {
            if let Some(fp) = known.get(key) {
                fingerprint::seed(secret, fp.clone());
            }
        }
        Memo {
            name,
            places,
            known,
        }
    }

    /// Remember the fingerprints of this scan's history hits (after the report derived them),
    /// when any was not remembered yet.
    pub fn save(self, store: &Store) {
        if self.places.iter().all(|p| self.known.contains_key(&p.0)) {
            return;
        }
        let all: HashMap<&str, String> = self
            .places
            .iter()
            .map(|(key, secret)| (key.as_str(), fingerprint::fingerprint(secret)))
            .collect();
        if let Ok(bytes) = serde_json::to_vec(&all) {
            // A failure only costs the next scan the derivations.
            let _ = store.write_side(&self.name, &bytes);
        }
    }
}
