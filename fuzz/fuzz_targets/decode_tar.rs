//! Fuzz target: tar archives: member expansion under the caps, then the recursive scan. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Tar, "fuzz.tar");
    scan(data, "fuzz.tar");
});
