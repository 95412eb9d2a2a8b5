//! Fuzz target: bzip2 streams: decompression under the byte budget, then the recursive scan as `fuzz.tbz2`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Bzip2, "fuzz.tbz2");
    scan(data, "fuzz.tbz2");
});
