//! Fuzz target: zip archives (and jar/war/whl): member expansion under the caps, then the recursive scan. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Zip, "fuzz.zip");
    scan(data, "fuzz.zip");
});
