//! The cost of a version-2 fingerprint (Argon2id, `secret::fingerprint`): per derivation on one
//! thread, and for N distinct secrets on all cores as a scan derives them (once per credential).
//!
//! ```sh
//! cargo run --release --example fingerprint_cost -- [N]   # default 10000
//! ```
//!
//! `bench/fingerprint.sh` runs it and an end-to-end scan; results in `bench/RESULTS.md`.

use std::time::Instant;

use sprawl::secret::fingerprint;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let secrets: Vec<Vec<u8>> = (0..n)
        .map(|i| format!("bench-secret-{i:08}-Xq7").into_bytes())
        .collect();
    println!(
        "Argon2id m={} KiB t={} p={}",
        fingerprint::M_COST_KIB,
        fingerprint::T_COST,
        fingerprint::P_COST
    );

    let one = secrets.len().min(200);
    let start = Instant::now();
    for s in &secrets[..one] {
        std::hint::black_box(fingerprint::derive(s, None));
    }
    let per = start.elapsed().as_secs_f64() * 1000.0 / one as f64;
    println!("one thread: {per:.2} ms per fingerprint ({one} derivations)");

    let keyed = Instant::now();
    for s in &secrets[..one] {
        std::hint::black_box(fingerprint::derive(s, Some(b"organisation key")));
    }
    let per_keyed = keyed.elapsed().as_secs_f64() * 1000.0 / one as f64;
    println!("one thread, with an organisation key: {per_keyed:.2} ms per fingerprint");

    let refs: Vec<&[u8]> = secrets.iter().map(Vec::as_slice).collect();
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let start = Instant::now();
    fingerprint::precompute(&refs);
    let all = start.elapsed().as_secs_f64();
    println!(
        "{n} distinct secrets on {cores} cores: {all:.2} s ({:.2} ms per finding)",
        all * 1000.0 / n as f64
    );
}
