//! Fuzz target: YAML client configs (tugboat, database.yml, mongoid.yml): key paths and exact or folded value mapping, then the scan path under each file name. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    use sprawl::source::decode::yamlcfg::{self, Kind};
    for kind in [Kind::Tugboat, Kind::RailsDatabase] {
        let _ = yamlcfg::decode(data, kind);
    }
    let names = [".tugboat", "config/database.yml"];
    scan(data, names[data.first().map_or(0, |b| *b as usize) % names.len()]);
});
