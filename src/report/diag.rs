//! Diagnostics on stderr: warnings for problems with one input, errors for fatal ones.
//! One line each, control characters escaped. The only place (with the progress display) that
//! writes to stderr.
//!
//! While a progress line is drawn, a diagnostic must not land on it: the display registers a
//! [`Guard`] here, and every line is printed through it (it clears its line, prints, redraws),
//! so no progress text is left frozen above the output and no wrapped warning is erased.

use std::io::Write;
use std::sync::{Arc, Mutex};

use super::sanitize;

/// Something that can put a line on stderr around a live display.
pub trait Guard: Send + Sync {
    /// Print `line` (without its newline) on stderr, keeping the display intact.
    fn print(&self, line: &str);
}

static GUARD: Mutex<Option<Arc<dyn Guard>>> = Mutex::new(None);

/// Route diagnostics through `guard` (a progress display) until [`release`].
pub fn hold(guard: Arc<dyn Guard>) {
    *GUARD.lock().unwrap_or_else(|p| p.into_inner()) = Some(guard);
}

/// Stop routing diagnostics through the guard.
pub fn release() {
    *GUARD.lock().unwrap_or_else(|p| p.into_inner()) = None;
}

fn line(text: String) {
    let guard = GUARD.lock().unwrap_or_else(|p| p.into_inner()).clone();
    match guard {
        Some(g) => g.print(&text),
        None => {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        }
    }
}

/// `warning: <msg>` on stderr.
pub fn warn(msg: &str) {
    line(format!("warning: {}", sanitize(msg)));
}

/// `error: <msg>` on stderr.
pub fn error(msg: &str) {
    line(format!("error: {}", sanitize(msg)));
}

/// A plain line on stderr (hints after an error or findings).
pub fn note(msg: &str) {
    line(sanitize(msg));
}
