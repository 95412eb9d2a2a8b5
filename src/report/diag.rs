//! Diagnostics on stderr: warnings for problems with one input, errors for fatal ones.
//! One line each, control characters escaped. The only place (with the progress bar) that
//! writes to stderr.

use std::io::Write;

use super::sanitize;

/// `warning: <msg>` on stderr.
pub fn warn(msg: &str) {
    let _ = writeln!(std::io::stderr().lock(), "warning: {}", sanitize(msg));
}

/// `error: <msg>` on stderr.
pub fn error(msg: &str) {
    let _ = writeln!(std::io::stderr().lock(), "error: {}", sanitize(msg));
}

/// A plain line on stderr (hints after an error or findings).
pub fn note(msg: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", sanitize(msg));
}
