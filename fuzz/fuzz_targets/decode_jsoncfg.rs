//! Fuzz target: JSON client configs (editor SFTP plugins, DBeaver data sources, Robo 3T): comment stripping, the JSON walk and labels, then the scan path under each file name. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    use sprawl::source::decode::jsoncfg::{self, Kind};
    for kind in [Kind::EditorSftp, Kind::Dbeaver, Kind::Robomongo] {
        let _ = jsoncfg::decode(data, kind);
    }
    let names = ["sftp-config.json", ".dbeaver/data-sources.json", "robo3t.json"];
    scan(data, names[data.first().map_or(0, |b| *b as usize) % names.len()]);
});
