//! Fuzz target: SQLite databases: opened from memory read-only with the defensive settings, every table read, then the recursive scan as `fuzz.sqlite`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

fuzz_target!(|data: &[u8]| {
    expand(data, Kind::Sqlite, "fuzz.sqlite");
    scan(data, "fuzz.sqlite");
});
