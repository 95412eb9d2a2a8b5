//! `sprawl merge` input: arbitrary JSON lines as report findings, then the merge itself
//! (grouping, blast radius, plan). Errors are fine; panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sprawl::correlate::merge::{ReportFinding, merge};

fuzz_target!(|data: &[u8]| {
    let items: Vec<ReportFinding> = data
        .split(|&b| b == b'\n')
        .filter_map(|line| serde_json::from_slice(line).ok())
        .collect();
    let _ = merge(items);
});
