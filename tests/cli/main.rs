//! The one integration-test binary: drives the real `sprawl` binary against `fixtures/`.
//! Set `SPRAWL_TEST_BIN` to run the suite against another build (e.g. a release binary).

mod util;

mod exit_codes;
mod one_per_line;
mod report;
mod rules_cmd;
mod safety;
mod scan_fs;
