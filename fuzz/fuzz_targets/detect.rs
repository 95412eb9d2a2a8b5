//! The full scan path over arbitrary bytes with every built-in rule: prefilter, regexes,
//! verification, line/column mapping. Must never panic, whatever the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sprawl::detect::{Detector, Scratch};
use sprawl::scan::{Counters, Engine};
use sprawl::source::{Location, SourceKind};

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| Detector::new(sprawl::rules::builtin().expect("built-in rules load")))
}

fuzz_target!(|data: &[u8]| {
    let stats = Counters::default();
    let engine = Engine::new(detector(), &stats);
    let origin = Location::input("fuzz", "input.txt", SourceKind::File);
    let mut scratch = Scratch::default();
    for hit in engine.scan_bytes(data, &origin, &mut scratch) {
        // Every reported position lies inside the input.
        assert!(hit.location.line >= 1 && hit.location.column >= 1);
        assert!(hit.secret.len() <= data.len());
    }
});
