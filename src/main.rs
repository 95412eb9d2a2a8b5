//! The `sprawl` binary: parse arguments, run, map the outcome to a process exit code.
//! Everything else lives in the library so it can be tested without a process.

use std::process::ExitCode;

fn main() -> ExitCode {
    match sprawl::cli::run(std::env::args_os()) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => {
            sprawl::report::diag::error(&format!("{err:#}"));
            ExitCode::from(sprawl::cli::ExitStatus::Error as u8)
        }
    }
}
