//! Fuzz target: INI-style tool configs (s3cmd, MySQL option files, Ventrilo, NetworkManager, gradle.properties): sections, keys, quotes, then the scan path under each file name. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    use sprawl::source::decode::ini::{self, Kind};
    for kind in [Kind::S3cfg, Kind::MyCnf, Kind::Ventrilo, Kind::NetworkManager, Kind::GradleProperties] {
        let _ = ini::decode(data, kind);
    }
    let names = [".s3cfg", ".my.cnf", "ventrilo_srv.ini", "Home.nmconnection", "gradle.properties"];
    scan(data, names[data.first().map_or(0, |b| *b as usize) % names.len()]);
});
