//! Fuzz target: base64 runs and percent-encoded strings: the finder and decoder directly, then the scan path. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    for d in sprawl::source::decode::encoded::find(data) {
        // Every span lies inside the input and decodes to something.
        assert!(d.span.start < d.span.end && d.span.end <= data.len());
        assert!(!d.bytes.is_empty());
    }
    scan(data, "input.txt");
});
