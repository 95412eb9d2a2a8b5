//! Fuzz target: ar archives and .deb packages: hand-read headers under the caps, then the recursive scan as `fuzz.deb`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Ar, "fuzz.deb");
    scan(data, "fuzz.deb");
});
