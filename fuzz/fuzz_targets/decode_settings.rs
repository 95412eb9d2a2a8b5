//! Fuzz target: settings files read as key/value entries (YAML line by line, INI/properties/TOML/.conf), then the scan path as a YAML and as an INI file. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    let _ = sprawl::source::decode::settings::yaml(data);
    let _ = sprawl::source::decode::settings::ini(data);
    scan(data, "config/app.yml");
    scan(data, "settings.ini");
});
