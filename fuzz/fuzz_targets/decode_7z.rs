//! Fuzz target: 7z archives: `archive::expand` as 7z (sevenz-rust2 under its memory limit, blocks read member by member under the byte budget, 64 members), then the scan as `fuzz.7z`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::SevenZip, "fuzz.7z");
    scan(data, "fuzz.7z");
});
