//! Fuzz target: docker config.json (auths, base64 user:password, identity tokens), then the scan path. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    let _ = sprawl::source::decode::docker::decode(data);
    scan(data, ".docker/config.json");
});
