//! Fuzz target: dotenv files (export, quotes, escapes, comments), then the scan path. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    let _ = sprawl::source::decode::dotenv::decode(data);
    scan(data, ".env");
});
