//! Fuzz target: `docker save` images: tar listing, manifest, layers (compressed or not), whiteouts, then the recursive scan as `fuzz-image.tar`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Tar, "fuzz-image.tar");
    scan(data, "fuzz-image.tar");
});
