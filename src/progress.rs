//! The progress spinner: files, bytes, history blobs and hits so far, on stderr, only when stderr is a
//! terminal, `--quiet` is off, and the scan has run longer than a moment. Never on stdout.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::report::diag;
use crate::report::human::human_bytes;
use crate::scan::Counters;

/// How long a scan runs before the spinner appears.
const DELAY: Duration = Duration::from_millis(300);

/// A running progress display; stop it with [`Progress::finish`].
pub struct Progress {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// Start the display if `enabled` and stderr is a terminal.
    pub fn start(stats: Arc<Counters>, enabled: bool) -> Progress {
        let done = Arc::new(AtomicBool::new(false));
        let thread = (enabled && std::io::stderr().is_terminal()).then(|| {
            let done = done.clone();
            std::thread::spawn(move || run(&stats, &done))
        });
        Progress { done, thread }
    }

    /// Stop and clear the display.
    pub fn finish(mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(stats: &Counters, done: &AtomicBool) {
    let tick = Duration::from_millis(50);
    let mut waited = Duration::ZERO;
    while waited < DELAY {
        if done.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(tick);
        waited += tick;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    // `wide_msg` cuts the line to the terminal's width: a line that wrapped could not be
    // cleared whole.
    if let Ok(style) = ProgressStyle::with_template("{spinner} {wide_msg}") {
        bar.set_style(style);
    }
    diag::hold(Arc::new(Shown(bar.clone())));
    while !done.load(Ordering::Relaxed) {
        let c = stats.totals();
        let history = if c.blobs > 0 {
            format!(
                ", {} history blobs ({})",
                c.blobs,
                human_bytes(c.history_bytes)
            )
        } else {
            String::new()
        };
        bar.set_message(format!(
            "{} files, {} scanned{history}, {} hits",
            c.files,
            human_bytes(c.bytes),
            stats.hits.load(Ordering::Relaxed)
        ));
        bar.tick();
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
    diag::release();
}

/// Diagnostics printed above the spinner, never over it.
struct Shown(ProgressBar);

impl diag::Guard for Shown {
    fn print(&self, line: &str) {
        self.0.suspend(|| eprintln!("{line}"));
    }
}
