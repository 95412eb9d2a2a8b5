//! Issue 18: every per-line and per-hit step is linear (or n log n) in the number of hits. A
//! CloudTrail-like export holds hundreds of thousands of AWS key ids on one line; one of 500,000
//! ids did not finish in five minutes when columns and comment checks went back to the line's
//! start for every hit.
//!
//! Each test scans 10^5 and 10^6 hits (see [`sizes`]) on one line or in one file and checks
//! what was found (the counts). There is no timing assertion: quadratic work shows as a test that does not finish
//! (10^12 steps), linear work takes seconds. The whole-process figures, against Kingfisher, are
//! `bench/pathological.sh`'s (recorded in `bench/RESULTS.md`).

use sprawl::correlate;
use sprawl::detect::{Detector, Scratch, verify};
use sprawl::hit::Hit;
use sprawl::rules::{self, Rule};
use sprawl::scan::{Counters, Engine};
use sprawl::source::{Location, SourceKind};

/// The built-in rules whose ids start with one of `prefixes` (enough for these inputs, and far
/// quicker to compile in a debug build than the whole pack).
fn rules_named(prefixes: &[&str]) -> Vec<Rule> {
    rules::builtin()
        .unwrap()
        .into_iter()
        .filter(|r| prefixes.iter().any(|p| r.id.starts_with(p)))
        .collect()
}

/// Deterministic AWS-shaped key ids: `AKIA` and 16 characters of base32.
fn key_ids(n: usize, distinct: usize) -> Vec<String> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut seed = 18u64;
    let pool: Vec<String> = (0..distinct)
        .map(|_| {
            let mut k = String::from("AKIA");
            for _ in 0..16 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                k.push(A[(seed >> 59) as usize] as char);
            }
            k
        })
        .collect();
    (0..n).map(|i| pool[i % distinct].clone()).collect()
}

/// Deterministic random-looking passwords: 24 characters of base62.
fn passwords(n: usize) -> Vec<String> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut seed = 15u64;
    (0..n)
        .map(|_| {
            (0..24)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    A[((seed >> 33) % 62) as usize] as char
                })
                .collect()
        })
        .collect()
}

/// How many of `values` rule `id` reports when it sees them one at a time: the values it does
/// not drop as placeholders or typed-in dummies (a random value now and then looks like one).
fn reportable(detector: &Detector, id: &str, values: &[String]) -> usize {
    let rule = detector.rules().iter().find(|r| r.id == id).unwrap();
    values
        .iter()
        .filter(|v| verify::check(rule, v.as_bytes()).is_ok())
        .count()
}

/// Scan `text` as one file: its hits.
fn hits(detector: &Detector, text: &[u8]) -> Vec<Hit> {
    let counters = Counters::default();
    let engine = Engine::new(detector, &counters);
    let origin = Location::input("root", "keys.txt", SourceKind::File);
    engine.scan_bytes(text, &origin, &mut Scratch::default())
}

/// Hits and findings (hits correlated). Only for inputs with few distinct secrets, or ones whose
/// fingerprint is a plain hash (public identifiers): a secret's fingerprint is an Argon2id
/// derivation (milliseconds by design, more in a debug build), a cost per finding rather than
/// per hit.
fn scan(detector: &Detector, text: &[u8]) -> (usize, usize) {
    let hits = hits(detector, text);
    let n = hits.len();
    (n, correlate::correlate(hits, detector.rules()).len())
}

/// The sizes tried: 10^5 and 10^6 hits optimised (`cargo test --release --test pathological`),
/// 10^5 in a debug build (10^6 takes minutes there, most of it in unoptimised regex code; work
/// quadratic in the hits would take hours at 10^5 too).
fn sizes() -> &'static [usize] {
    if cfg!(debug_assertions) {
        &[100_000]
    } else {
        &[100_000, 1_000_000]
    }
}

#[test]
fn key_ids_on_one_line() {
    let detector = Detector::new(rules_named(&["aws."]));
    for &n in sizes() {
        // A CloudTrail export: a few keys, many events.
        let text = key_ids(n, 20).join(" ");
        assert_eq!(
            scan(&detector, text.as_bytes()),
            (n, 20),
            "{n} repeated ids"
        );
        let ids = key_ids(n, n);
        let want = reportable(&detector, "aws.access-key-id", &ids);
        assert!(want > n - n / 1000, "{want} of {n}");
        let found = hits(&detector, ids.join(" ").as_bytes());
        assert_eq!(found.len(), want, "{n} distinct ids");
        // Columns count from the line's start: the last id starts 21 (n - 1) bytes in.
        let last = found
            .iter()
            .map(|h| (h.location.line, h.location.column))
            .max();
        assert_eq!(last, Some((1, 21 * (n as u32 - 1) + 1)));
        // Each distinct id is a finding of its own. An id is printed in clear, so its
        // fingerprint is a plain hash, not a millisecond Argon2id each (which made 10^5
        // distinct ids cost minutes).
        let findings = correlate::correlate(found, detector.rules());
        assert_eq!(findings.len(), want, "{n} distinct ids correlated");
    }
}

#[test]
fn key_ids_one_per_line() {
    let detector = Detector::new(rules_named(&["aws."]));
    for &n in sizes() {
        let ids = key_ids(n, n);
        let want = reportable(&detector, "aws.access-key-id", &ids);
        let found = hits(&detector, ids.join("\n").as_bytes());
        assert_eq!(found.len(), want, "{n} ids");
        // The last one is on the last line, at column 1.
        let last = found
            .iter()
            .map(|h| (h.location.line, h.location.column))
            .max();
        assert_eq!(last, Some((n as u32, 1)));
    }
}

/// `generic.password` skips comment lines, so each match asks whether its line is a comment:
/// on one long line that question must not go back to the line's start every time.
#[test]
fn passwords_on_one_line() {
    let detector = Detector::new(rules_named(&["generic.password"]));
    for &n in sizes() {
        let values = passwords(n);
        let want = reportable(&detector, "generic.password", &values);
        // A few random values look typed-in (an ascending run) and are not reported.
        assert!(want > n * 95 / 100, "{want} of {n}");
        let line: Vec<String> = values
            .iter()
            .map(|p| format!("db_password=\"{p}\""))
            .collect();
        let line = line.join(" ");
        assert_eq!(
            hits(&detector, line.as_bytes()).len(),
            want,
            "{n} passwords"
        );
        let commented = format!("# {line}");
        assert_eq!(
            hits(&detector, commented.as_bytes()).len(),
            0,
            "{n} passwords on a comment line"
        );
    }
}
