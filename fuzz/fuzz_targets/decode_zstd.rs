//! Fuzz target: zstd frames: decompression under the byte budget (ruzstd, window capped), then the recursive scan as `fuzz.tar.zst`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Zstd, "fuzz.tar.zst");
    scan(data, "fuzz.tar.zst");
});
