//! The credential fingerprint: the identity a finding carries into reports, SARIF
//! `partialFingerprints`, baselines and `[allow] fingerprints`, derived so that it does not give
//! the secret back.
//!
//! Version 1 was the bare SHA-256 of the secret: for `admin123` anyone could recompute it with
//! `sha256sum`, and with the redacted prefix and length a weak password fell to a dictionary in
//! seconds. Version 2 is **Argon2id** (memory-hard, so each guess costs memory as well as time)
//! over the secret with a fixed, versioned application salt, so that the same credential still
//! gives the same value on every machine, in every file and in merged reports:
//!
//! ```text
//! v2:<hex>   = Argon2id(secret, salt = "sprawl-fingerprint-v2", m = 4 MiB, t = 1, p = 1, 32 bytes)
//! v2k:<hex>  = the same with an organisation key as Argon2's secret input (SPRAWL_FINGERPRINT_KEY)
//! ```
//!
//! Without a key, a guess costs an attacker one Argon2id evaluation, no more (the salt is public,
//! because matching across machines needs it): it slows a dictionary attack, it cannot save a
//! top-1000 password. With a key the values are a private namespace: without the key they cannot
//! be tested at all. The threat model is in `docs/output.md`.
//!
//! One exception: a value that is a public identifier by its format, whose report prints it in
//! clear anyway (an AWS access key id, `AKIA`/`ASIA` and 16 base32 characters: the identity
//! shows it whole, and AWS treats it as a name, not a secret). Hiding it behind Argon2id
//! protects nothing and costs milliseconds per value, so a CloudTrail export of 500,000
//! distinct ids would take minutes; its fingerprint is a domain-separated SHA-256 instead:
//!
//! ```text
//! v2:<hex>   = SHA-256("sprawl-fingerprint-v2/public-id" 0x00 secret)
//! v2k:<hex>  = SHA-256("sprawl-fingerprint-v2/public-id" 0x00 len(key) as u64 LE, key, secret)
//! ```
//!
//! The choice depends on the bytes alone, so a value has one fingerprint whichever rule found it.
//!
//! The derivation costs milliseconds, so it runs once per distinct secret: results are cached for
//! the process, [`Warmer`] derives them on a low-priority thread while a scan is still running,
//! and [`precompute`] derives the rest on all cores. Nothing here prints.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::thread::JoinHandle;

use argon2::{Algorithm, Argon2, Block, Params, Version};
use sha2::{Digest, Sha256};

/// The prefix of an unkeyed version-2 fingerprint.
pub const PREFIX: &str = "v2:";
/// The prefix of a version-2 fingerprint derived with an organisation key.
pub const KEYED_PREFIX: &str = "v2k:";
/// The environment variable holding the optional organisation key.
pub const KEY_ENV: &str = "SPRAWL_FINGERPRINT_KEY";

/// The fixed application salt (public; versioned with the derivation).
const SALT: &[u8] = b"sprawl-fingerprint-v2";
/// Argon2id memory cost in KiB (4 MiB).
pub const M_COST_KIB: u32 = 4096;
/// Argon2id passes.
pub const T_COST: u32 = 1;
/// Argon2id lanes.
pub const P_COST: u32 = 1;
/// Output bytes.
const OUT_LEN: usize = 32;

static KEY: OnceLock<Option<Vec<u8>>> = OnceLock::new();
static CACHE: Mutex<Option<HashMap<Vec<u8>, String>>> = Mutex::new(None);

/// Set the organisation key for this process (once, before any fingerprint is derived). `None`
/// or an empty key means unkeyed. Returns false when a key was already set.
pub fn set_key(key: Option<Vec<u8>>) -> bool {
    KEY.set(key.filter(|k| !k.is_empty())).is_ok()
}

fn key() -> Option<&'static [u8]> {
    KEY.get_or_init(|| None).as_deref()
}

/// The version-2 fingerprint of `bytes` with the process's key (cached).
pub fn fingerprint(bytes: &[u8]) -> String {
    if let Some(fp) = cached(bytes) {
        return fp;
    }
    let fp = derive(bytes, key());
    CACHE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .insert(bytes.to_vec(), fp.clone());
    fp
}

/// Make `fp` the fingerprint of `bytes` for this process: a value the blob cache remembered
/// for the place `bytes` was found (`scan::fpmemo`), so it is not derived again.
pub fn seed(bytes: &[u8], fp: String) {
    CACHE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get_or_insert_with(HashMap::new)
        .entry(bytes.to_vec())
        .or_insert(fp);
}

/// Identifies how this process derives fingerprints (which organisation key, or none) without
/// revealing the key: part of the keys under which fingerprints are remembered.
pub fn scheme() -> [u8; 32] {
    let mut h = sha2::Sha256::new();
    sha2::Digest::update(&mut h, b"sprawl-fingerprint-scheme-v2\0");
    if let Some(k) = key() {
        sha2::Digest::update(&mut h, (k.len() as u64).to_le_bytes());
        sha2::Digest::update(&mut h, k);
    }
    sha2::Digest::finalize(h).into()
}

fn cached(bytes: &[u8]) -> Option<String> {
    CACHE
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .and_then(|c| c.get(bytes).cloned())
}

/// Derive the fingerprints of every value in `secrets` not yet cached, on all cores, so the
/// calls to [`fingerprint`] that follow are lookups.
pub fn precompute(secrets: &[&[u8]]) {
    let mut todo: Vec<&[u8]> = secrets
        .iter()
        .copied()
        .filter(|s| cached(s).is_none())
        .collect();
    todo.sort_unstable();
    todo.dedup();
    if todo.is_empty() {
        return;
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = todo.len().div_ceil(threads).max(1);
    let k = key();
    let derived: Vec<(Vec<u8>, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = todo
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    // One 4 MiB work area per thread, reused: a fresh one per secret cost as
                    // much again in page faults and zeroing as the hashing itself.
                    let mut blocks = work_area();
                    part.iter()
                        .map(|b| (b.to_vec(), derive_in(b, k, &mut blocks)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    cache.get_or_insert_with(HashMap::new).extend(derived);
}

/// Derives the fingerprints of secrets as a scan finds them, on one thread at low priority, so
/// that the derivations use the CPU the scan leaves idle (waiting on the disk, the last worker
/// finishing) instead of all running after it. [`Warmer::finish`] stops after the derivation in
/// progress; whatever was not reached is left to [`precompute`]. The process's key must be set
/// before the warmer starts (the CLI sets it before any scan).
#[derive(Debug)]
pub struct Warmer {
    tx: Option<mpsc::Sender<Vec<u8>>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    offered: HashSet<Vec<u8>>,
}

impl Warmer {
    /// Start the background thread (none if the system refuses a thread: then
    /// [`precompute`] does all the work, as before).
    pub fn start() -> Warmer {
        let (tx, rx) = mpsc::channel::<Vec<u8>>();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::Builder::new()
            .name("fingerprints".into())
            .spawn(move || {
                lower_priority();
                let k = key();
                // Allocated with the first secret: most pre-commit scans find none.
                let mut blocks = Vec::new();
                for secret in rx {
                    if flag.load(Ordering::Relaxed) {
                        break;
                    }
                    if cached(&secret).is_none() {
                        if blocks.is_empty() {
                            blocks = work_area();
                        }
                        let fp = derive_in(&secret, k, &mut blocks);
                        CACHE
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .get_or_insert_with(HashMap::new)
                            .insert(secret, fp);
                    }
                }
            })
            .ok();
        Warmer {
            tx: handle.as_ref().map(|_| tx),
            stop,
            handle,
            offered: HashSet::new(),
        }
    }

    /// Queue `secret` for derivation (each distinct value once).
    pub fn offer(&mut self, secret: &[u8]) {
        let Some(tx) = &self.tx else {
            return;
        };
        if !self.offered.contains(secret) {
            self.offered.insert(secret.to_vec());
            let _ = tx.send(secret.to_vec());
        }
    }

    /// Stop after the derivation in progress and wait for it.
    pub fn finish(mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.tx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Run the calling thread at a lower scheduling priority (Linux: per-thread nice 10), so a
/// background derivation yields to the scan's workers. Best effort: a refusal changes nothing
/// but timing.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority has no memory-safety preconditions; `who = 0` is the calling thread
    // on Linux, and a failure is only a return value.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS as _, 0, 10);
    }
}

/// The version-2 fingerprint of `bytes` with `key` (pure; no cache).
pub fn derive(bytes: &[u8], key: Option<&[u8]>) -> String {
    derive_in(bytes, key, &mut work_area())
}

/// Argon2's work area for the parameters above.
fn work_area() -> Vec<Block> {
    vec![Block::default(); M_COST_KIB as usize]
}

/// Domain of the fingerprint of a public identifier.
const PUBLIC_DOMAIN: &[u8] = b"sprawl-fingerprint-v2/public-id\0";

/// True for a value that is a public identifier by its format (see the module doc): an AWS
/// access key id, `AKIA` (long-term) or `ASIA` (temporary) and 16 characters of A-Z and 2-7.
pub fn is_public_identifier(bytes: &[u8]) -> bool {
    bytes.len() == 20
        && (bytes.starts_with(b"AKIA") || bytes.starts_with(b"ASIA"))
        && bytes[4..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(b))
}

/// [`derive`] in a caller's work area (Argon2 overwrites every block before reading it, so one
/// area serves any number of derivations).
fn derive_in(bytes: &[u8], key: Option<&[u8]>, blocks: &mut [Block]) -> String {
    let mut out = [0u8; OUT_LEN];
    if is_public_identifier(bytes) {
        let mut h = Sha256::new().chain_update(PUBLIC_DOMAIN);
        if let Some(k) = key {
            h.update((k.len() as u64).to_le_bytes());
            h.update(k);
        }
        out.copy_from_slice(&h.chain_update(bytes).finalize());
        return with_prefix(&out, key.is_some());
    }
    let hashed = Params::new(M_COST_KIB, T_COST, P_COST, Some(OUT_LEN)).and_then(|params| {
        let argon = match key {
            Some(k) => Argon2::new_with_secret(k, Algorithm::Argon2id, Version::V0x13, params)?,
            None => Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
        };
        argon.hash_password_into_with_memory(bytes, SALT, &mut out, &mut *blocks)
    });
    if hashed.is_err() {
        // The parameters are constants within Argon2's limits and the salt is long enough; the
        // only input-dependent limit is a password over 4 GiB, which no scan reads. Fall back to
        // a salted SHA-256 rather than panic.
        out.copy_from_slice(
            &Sha256::new()
                .chain_update(SALT)
                .chain_update(bytes)
                .finalize(),
        );
    }
    with_prefix(&out, key.is_some())
}

fn with_prefix(out: &[u8; OUT_LEN], keyed: bool) -> String {
    let prefix = if keyed { KEYED_PREFIX } else { PREFIX };
    let mut s = String::with_capacity(prefix.len() + 2 * OUT_LEN);
    s.push_str(prefix);
    s.push_str(&hex(out));
    s
}

/// The version-1 fingerprint (bare SHA-256, lowercase hex): only to recognise and migrate old
/// baselines and allowlists.
pub fn legacy_v1(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}

/// True for a version-1 fingerprint: exactly 64 hex digits, no version prefix.
pub fn is_legacy(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// True for a well-formed version-2 fingerprint (`v2:` or `v2k:` and 64 lowercase hex digits).
pub fn is_current(s: &str) -> bool {
    let hex = s
        .strip_prefix(PREFIX)
        .or_else(|| s.strip_prefix(KEYED_PREFIX));
    hex.is_some_and(|h| {
        h.len() == 64
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The hex digits of a fingerprint without its version prefix (for short displays and buckets).
pub fn digits(fp: &str) -> &str {
    fp.split_once(':').map_or(fp, |(_, h)| h)
}

/// Lowercase hex SHA-256 of `bytes`: a plain hash for derived keys (baseline keys, SARIF
/// location fingerprints), never applied to a secret directly.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_is_not_the_sha256_of_the_secret() {
        let fp = derive(b"admin123", None);
        assert!(fp.starts_with("v2:") && is_current(&fp), "{fp}");
        // `printf admin123 | sha256sum`
        let plain = "240be518fabd2724ddb6f04eeb1da5967448d7e831c08c8fa822809f74c720a9";
        assert_eq!(legacy_v1(b"admin123"), plain);
        assert!(!fp.contains(plain));
        assert!(is_legacy(plain) && !is_current(plain) && !is_legacy(&fp));
    }

    #[test]
    fn stable_and_distinct() {
        assert_eq!(derive(b"s3cret-value", None), derive(b"s3cret-value", None));
        assert_ne!(derive(b"s3cret-value", None), derive(b"s3cret-valuf", None));
        // Pinned: the same credential must give the same value on every machine and version.
        assert_eq!(
            derive(b"admin123", None),
            "v2:7fd42fe4fc3811003a1b8a89e74c98f419f9e42d0b422fe2d24f180ccd9f78c8"
        );
    }

    #[test]
    fn public_identifiers_get_a_plain_domain_separated_hash() {
        let id = b"AKIAHABYVQDSVDGSBMCR";
        assert!(is_public_identifier(id) && is_public_identifier(b"ASIA5TWY6M7YCAICGFHS"));
        for not in [
            &b"AKIAHABYVQDSVDGSBMC"[..],
            b"AKIAHABYVQDSVDGSBMC1",
            b"AKIAhabyvqdsvdgsbmcr",
            b"AGPAHABYVQDSVDGSBMCR",
            b"admin123",
        ] {
            assert!(!is_public_identifier(not), "{not:?}");
        }
        // `printf 'sprawl-fingerprint-v2/public-id\0AKIAHABYVQDSVDGSBMCR' | sha256sum`
        let mut input = PUBLIC_DOMAIN.to_vec();
        input.extend_from_slice(id);
        assert_eq!(derive(id, None), format!("v2:{}", sha256_hex(&input)));
        assert_eq!(
            derive(id, None),
            "v2:5ce3db6d5b13cd8ad758dc89e91f19bd771188f6b346cf6e6c235c486ad55b36"
        );
        let keyed = derive(id, Some(b"org key"));
        assert!(keyed.starts_with("v2k:") && is_current(&keyed));
        assert_ne!(digits(&keyed), digits(&derive(id, None)));
        assert_ne!(keyed, derive(id, Some(b"other key")));
        // Not the bare SHA-256 of the id.
        assert_ne!(digits(&derive(id, None)), legacy_v1(id));
    }

    #[test]
    fn a_key_is_a_private_namespace() {
        let keyed = derive(b"admin123", Some(b"org key"));
        assert!(keyed.starts_with("v2k:") && is_current(&keyed));
        assert_ne!(digits(&keyed), digits(&derive(b"admin123", None)));
        assert_ne!(keyed, derive(b"admin123", Some(b"other key")));
    }

    #[test]
    fn the_warmer_fills_the_cache_with_what_derive_gives() {
        let mut w = Warmer::start();
        w.offer(b"warm-a");
        w.offer(b"warm-a");
        w.offer(b"warm-b");
        // Wait for both (not `finish`, which may stop before the second).
        for _ in 0..2000 {
            if cached(b"warm-a").is_some() && cached(b"warm-b").is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        w.finish();
        assert_eq!(cached(b"warm-a"), Some(derive(b"warm-a", None)));
        assert_eq!(cached(b"warm-b"), Some(derive(b"warm-b", None)));
    }

    #[test]
    fn cache_and_precompute_agree_with_derive() {
        precompute(&[b"pre-a", b"pre-b", b"pre-a"]);
        assert_eq!(fingerprint(b"pre-a"), derive(b"pre-a", None));
        assert_eq!(fingerprint(b"pre-c"), derive(b"pre-c", None));
        assert_eq!(digits("v2:abc"), "abc");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
