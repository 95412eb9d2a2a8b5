//! `sprawl merge` input: arbitrary JSON lines read as report findings (the one report document
//! type, `report::document::FindingRecord`), then the merge itself (grouping, blast radius,
//! plan). Errors are fine; panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sprawl::correlate::merge::merge;
use sprawl::report::document::FindingRecord;

fuzz_target!(|data: &[u8]| {
    let items: Vec<_> = data
        .split(|&b| b == b'\n')
        .filter_map(|line| serde_json::from_slice::<FindingRecord>(line).ok())
        .map(FindingRecord::into_reported)
        .collect();
    let _ = merge(items);
});
