//! Fuzz target: xz and lzma streams: decompression under the byte budget (lzma-rs), then the recursive scan as `fuzz.tar.xz`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Xz, "fuzz.tar.xz");
    expand(data, Kind::Lzma, "fuzz.tlz");
    scan(data, "fuzz.tar.xz");
});
