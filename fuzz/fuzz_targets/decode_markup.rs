//! Fuzz target: HTML and Markdown read as text (tags dropped, entities decoded, table cells under a password header handed to the field rules), then the scan path as a page and as a Markdown file. Must never panic, hang or exceed the caps, whatever the input.
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

fuzz_target!(|data: &[u8]| {
    let _ = sprawl::source::decode::markup::html(data);
    let _ = sprawl::source::decode::markup::markdown(data);
    scan(data, "page.html");
    scan(data, "README.md");
});
