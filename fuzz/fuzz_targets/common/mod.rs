//! What the decoder targets share: the built-in detector, the whole scan path with small caps,
//! and one archive level expanded directly. Included by each target as `mod common;`.
#![allow(dead_code)]

use std::sync::OnceLock;

use sprawl::detect::{Detector, Scratch};
use sprawl::scan::{Counters, Engine};
use sprawl::source::decode::Limits;
use sprawl::source::decode::archive::{self, Budget, Kind};
use sprawl::source::{Location, SourceKind};

/// Every built-in rule, compiled once per process.
pub fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| Detector::new(sprawl::rules::builtin().expect("built-in rules load")))
}

/// The whole path: format chosen by `name`, decoders, recursion, caps, position mapping.
pub fn scan(data: &[u8], name: &str) {
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

/// One archive level directly, with small caps so the limits are reached often.
pub fn expand(data: &[u8], kind: Kind, name: &str) {
    let budget = Budget::new(1 << 20);
    let mut members = 0usize;
    let _ = archive::expand(kind, data, name, 64, &budget, &mut |m| {
        members += 1;
        assert!(m.data.len() <= 1 << 20);
    });
    assert!(members <= 64 || kind.is_stream());
}
