//! The configuration digest that names the blob cache file (`crate::cache`): everything besides
//! a blob's bytes and name that can change what the detector finds in it.
//!
//! In: sprawl's version and this very build (the executable's size and modification time, so a
//! rebuilt or upgraded binary never trusts verdicts of another build), every rule as loaded
//! (built-in pack, `--rules` files, `.sprawl.toml` inline rules, disabled rules removed: each
//! rule's whole definition, pattern, keywords, checks and examples included), and the decoding
//! caps. Out, because they are applied to hits after the scan and the cache holds only blobs
//! without hits: allowlists (paths, fingerprints, rule scopes), the baseline, `--fail-on`,
//! `--fail-in`, application and environment naming. The size cap is checked against each
//! record's stored size instead, and excludes and ignore files decide what is read, not what
//! is found in it.

use sha2::{Digest, Sha256};

use crate::detect::Detector;
use crate::source::decode::Limits;

/// The digest of the configuration `detector` and `limits` make, or `None` when this build
/// cannot be identified (then the scan runs without the cache).
pub fn cache_digest(detector: &Detector, limits: &Limits) -> Option<[u8; 32]> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let built = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let mut h = Sha256::new();
    h.update(b"sprawl blob cache\0");
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(meta.len().to_le_bytes());
    h.update(built.as_nanos().to_le_bytes());
    h.update(format!("{limits:?}").as_bytes());
    for rule in detector.rules() {
        h.update(b"\0rule\0");
        h.update(format!("{rule:?}").as_bytes());
    }
    Some(h.finalize().into())
}
