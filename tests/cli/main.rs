//! The one integration-test binary: drives the real `sprawl` binary against `fixtures/`.
//! Set `SPRAWL_TEST_BIN` to run the suite against another build (e.g. a release binary).

mod repo;
mod util;

mod adversarial;
mod baseline;
mod cache;
mod classes;
mod client_configs;
mod compressed;
mod config;
mod correlate;
mod decode;
mod documents;
mod escaped;
mod exit_codes;
mod gitleaks;
mod html;
mod human;
mod issue_20;
mod labeled;
mod leak;
mod merge;
mod one_per_line;
mod packages;
mod packed;
mod report;
mod rules_cmd;
mod safety;
mod sarif;
mod scan_fs;
mod scan_git;
mod sevenz;
mod staged;
mod workstation;
