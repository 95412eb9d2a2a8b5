//! Issue 18: every per-line and per-hit step is linear (or n log n) in the number of hits. A
//! CloudTrail-like export holds hundreds of thousands of AWS key ids on one line; one of 500,000
//! ids did not finish in five minutes when columns and comment checks went back to the line's
//! start for every hit.
//!
//! Each test times the same work at n and 10n hits, in one process, and asserts the second takes
//! less than 30 times the first: linear work takes about 10 times as long, quadratic work 100
//! times. A ratio, not a wall-clock limit, so a debug build and a loaded machine still pass; the
//! absolute figures for 10^5 and 10^6 hits with a release build are in `bench/pathological.sh`
//! and `bench/RESULTS.md`.

use std::time::{Duration, Instant};

use sprawl::correlate;
use sprawl::detect::{Detector, Scratch};
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

/// Scan `text` as one file and correlate its hits; the number of hits and the time taken.
fn scan(detector: &Detector, text: &[u8]) -> (usize, usize, Duration) {
    let counters = Counters::default();
    let engine = Engine::new(detector, &counters);
    let origin = Location::input("root", "keys.txt", SourceKind::File);
    let start = Instant::now();
    let hits = engine.scan_bytes(text, &origin, &mut Scratch::default());
    let n = hits.len();
    let findings = correlate::correlate(hits, detector.rules());
    (n, findings.len(), start.elapsed())
}

/// Input of `n` values and the range of hits expected in it.
type Make<'a> = &'a dyn Fn(usize) -> (Vec<u8>, std::ops::RangeInclusive<usize>);

/// Times at `n` and `10 n` (after one warm-up run at `n`), with the hit counts checked.
fn assert_linear(what: &str, n: usize, make: Make, rules: &Detector) {
    let (text, want) = make(n);
    let got = scan(rules, &text).0;
    assert!(want.contains(&got), "{what}: {got} hits at n = {n}");
    let mut times = Vec::new();
    for size in [n, 10 * n] {
        let (text, want) = make(size);
        let (hits, _, t) = scan(rules, &text);
        assert!(want.contains(&hits), "{what}: {hits} hits at n = {size}");
        times.push(t);
    }
    let ratio = times[1].as_secs_f64() / times[0].as_secs_f64().max(1e-6);
    eprintln!(
        "{what}: {n} hits {:?}, {} hits {:?}, ratio {ratio:.1}",
        times[0],
        10 * n,
        times[1]
    );
    assert!(
        ratio < 30.0,
        "{what}: 10x the hits took {ratio:.1}x the time"
    );
}

/// Hits at the smaller size: 2,000 -> 20,000 in a debug build (what `cargo test` runs, about
/// 100 us per hit there); 10^5 -> 10^6 optimised (`cargo test --release`).
fn n() -> usize {
    if cfg!(debug_assertions) {
        2_000
    } else {
        100_000
    }
}

#[test]
fn slow_key_ids_on_one_line_are_linear() {
    let detector = Detector::new(rules_named(&["aws."]));
    assert_linear(
        "one line of distinct key ids",
        n(),
        &|size| (key_ids(size, size).join(" ").into_bytes(), size..=size),
        &detector,
    );
    assert_linear(
        "one line, 100 key ids repeated",
        n(),
        &|size| (key_ids(size, 100).join(" ").into_bytes(), size..=size),
        &detector,
    );
}

#[test]
fn slow_key_ids_one_per_line_are_linear() {
    let detector = Detector::new(rules_named(&["aws."]));
    assert_linear(
        "one key id per line",
        n(),
        &|size| (key_ids(size, size).join("\n").into_bytes(), size..=size),
        &detector,
    );
}

/// `generic.password` skips comment lines: its comment check went back to the line's start for
/// every match (quadratic on one long line). Blanks between the values keep each match in a
/// window of its own, and make the line long for the number of matches, so a check that goes
/// back to the line's start would dominate the time.
#[test]
fn slow_passwords_on_one_line_are_linear() {
    let detector = Detector::new(rules_named(&["generic.password"]));
    let values = |size: usize, prefix: &str| {
        let gap = " ".repeat(400);
        let body: Vec<String> = passwords(size)
            .iter()
            .map(|p| format!("db_password=\"{p}\""))
            .collect();
        format!("{prefix}{}", body.join(&gap)).into_bytes()
    };
    assert_linear(
        "one line of passwords",
        n() / 2,
        // A few random values look typed-in (an ascending run) and are not reported.
        &|size| (values(size, ""), size * 95 / 100..=size),
        &detector,
    );
    assert_linear(
        "one commented-out line of passwords",
        n(),
        &|size| (values(size, "# "), 0..=0),
        &detector,
    );
}
