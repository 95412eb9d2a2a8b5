//! The `--workstation` driver: lists a home's credential files (`source::workstation`), reads
//! each on worker threads and sends it through the same [`Engine::scan_bytes`] funnel as every
//! other source, with the tool that keeps it on the location; then the process environment, as
//! one blob. A passphrase-protected private key is listed in the inventory, not scanned: it is
//! not usable by whoever copies the file, so it is no leak. Nothing is written anywhere.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Engine;
use crate::detect::Scratch;
use crate::error::ScanIssue;
use crate::hit::Hit;
use crate::source::fs::{self, Content};
use crate::source::workstation::{self, Item, ssh};
use crate::source::{Location, SourceKind};

/// What to scan on the workstation.
#[derive(Debug, Clone)]
pub struct Workstation {
    /// The home to read (`--home`, default `$HOME`).
    pub home: PathBuf,
    /// The home as reported (`root` of every workstation location).
    pub given: String,
    /// The process environment as one blob (`source::workstation::environment`), or `None`.
    pub environment: Option<Vec<u8>>,
}

/// What the workstation scan saw besides hits: the inventory the report summarises.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inventory {
    /// The home as reported.
    pub home: String,
    /// Credential files found and read.
    pub files: u64,
    /// Passphrase-protected private keys: `(path, cipher)`, listed instead of reported.
    pub protected_keys: Vec<(String, String)>,
}

/// Everything the workstation scan produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Hits, every location with `source: workstation` or `environment` and its tool.
    pub hits: Vec<Hit>,
    /// Problems (unreadable files, links out of the home), never fatal.
    pub issues: Vec<ScanIssue>,
    /// The inventory.
    pub inventory: Inventory,
}

/// Scan the home and the environment of `ws`.
pub fn scan(ws: &Workstation, max_file_size: u64, threads: usize, engine: &Engine) -> Outcome {
    let listing = workstation::list(&ws.home);
    engine
        .stats
        .special
        .fetch_add(listing.special, Ordering::Relaxed);
    let mut out = Outcome {
        issues: listing.issues,
        inventory: Inventory {
            home: ws.given.clone(),
            ..Inventory::default()
        },
        ..Outcome::default()
    };
    let shared = Mutex::new(&mut out);
    let next = AtomicUsize::new(0);
    let items = &listing.items;
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                let mut buf = Vec::new();
                let mut scratch = Scratch::default();
                while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let done = one(ws, item, max_file_size, engine, &mut buf, &mut scratch);
                    if let Ok(mut out) = shared.lock() {
                        out.add(done);
                    }
                }
            });
        }
    });
    if let Some(env) = &ws.environment {
        let mut location = Location::input(workstation::ENVIRONMENT, "", SourceKind::Environment);
        location.tool = Some("environment".into());
        out.hits
            .extend(engine.scan_bytes(env, &location, &mut Scratch::default()));
    }
    out.inventory.protected_keys.sort();
    out
}

/// What reading one item gave.
enum Done {
    Hits(Vec<Hit>),
    Protected(String, String),
    Issue(ScanIssue),
    Skipped,
}

impl Outcome {
    fn add(&mut self, done: Done) {
        match done {
            Done::Hits(h) => {
                self.inventory.files += 1;
                self.hits.extend(h);
            }
            Done::Protected(path, cipher) => {
                self.inventory.files += 1;
                self.inventory.protected_keys.push((path, cipher));
            }
            Done::Issue(i) => self.issues.push(i),
            Done::Skipped => {}
        }
    }
}

fn one(
    ws: &Workstation,
    item: &Item,
    max: u64,
    engine: &Engine,
    buf: &mut Vec<u8>,
    scratch: &mut Scratch,
) -> Done {
    let stats = engine.stats;
    match fs::read(&item.path, max, buf) {
        Ok(Content::TooLarge) => {
            stats.too_large.fetch_add(1, Ordering::Relaxed);
            return Done::Skipped;
        }
        Ok(_) => {}
        Err(issue) => {
            stats.unreadable.fetch_add(1, Ordering::Relaxed);
            return Done::Issue(issue);
        }
    }
    let mut location = Location::input(&ws.given, &item.rel, SourceKind::Workstation);
    location.tool = Some(item.tool.to_string());
    if let ssh::Key::Protected(cipher) = ssh::judge(buf) {
        return Done::Protected(location.display_path(), cipher);
    }
    Done::Hits(engine.scan_bytes(buf, &location, scratch))
}
