//! `.sprawl.toml` (and gitleaks configs, translated on the way in): arbitrary text through the
//! config parser and the allowlist compiler. Errors are fine; panics are not.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in [".sprawl.toml", ".gitleaks.toml"] {
        if let Ok(cfg) = sprawl::config::ConfigFile::parse(text, Path::new(name)) {
            let _ = sprawl::config::Allowlist::compile(&cfg);
            let _ = cfg.fail_on();
        }
    }
});
