//! Fuzz target: gzip streams (and tar.gz): decompression under the byte budget, then the recursive scan. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sprawl::detect::{Detector, Scratch};
use sprawl::scan::{Counters, Engine};
use sprawl::source::decode::Limits;
use sprawl::source::{Location, SourceKind};

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| Detector::new(sprawl::rules::builtin().expect("built-in rules load")))
}

/// The whole path: format chosen by `name`, decoders, recursion, caps, position mapping.
fn scan(data: &[u8], name: &str) {
    let stats = Counters::default();
    let mut engine = Engine::new(detector(), &stats);
    // Small caps keep each run fast; the caps themselves are what is being exercised.
    engine.limits = Limits {
        max_decompressed: 8 << 20,
        max_members: 256,
        ..Limits::default()
    };
    let origin = Location::input("fuzz", name, SourceKind::File);
    let mut scratch = Scratch::default();
    for hit in engine.scan_bytes(data, &origin, &mut scratch) {
        assert!(hit.location.line >= 1 && hit.location.column >= 1);
    }
}

use sprawl::source::decode::archive::{self, Budget, Kind};

/// One archive level directly, with small caps so the limits are reached often.
fn expand(data: &[u8], kind: Kind, name: &str) {
    let budget = Budget::new(1 << 20);
    let mut members = 0usize;
    let _ = archive::expand(kind, data, name, 64, &budget, &mut |m| {
        members += 1;
        assert!(m.data.len() <= 1 << 20);
    });
    assert!(members <= 64 || kind == Kind::Gzip);
}

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Gzip, "fuzz.tar.gz");
    scan(data, "fuzz.tar.gz");
});
