//! Fuzz target: gzip streams (and tar.gz): decompression under the byte budget, then the recursive scan. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Gzip, "fuzz.tar.gz");
    scan(data, "fuzz.tar.gz");
});
