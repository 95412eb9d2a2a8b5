//! Fuzz target: RPM packages and cpio archives: hand-read lead, headers and cpio entries, then the recursive scan as `fuzz.rpm`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Rpm, "fuzz.rpm");
    expand(data, Kind::Cpio, "fuzz.cpio");
    scan(data, "fuzz.rpm");
});
