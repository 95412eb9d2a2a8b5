//! Rule files: arbitrary text through the TOML parser, rule compilation (eager, size-limited
//! regexes) and `rules check`. Errors are fine; panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rules) = sprawl::rules::parse_file(text, "fuzz.toml") {
        let _ = sprawl::detect::check::check_all(&rules);
    }
});
