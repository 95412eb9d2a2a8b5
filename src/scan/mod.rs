//! The scan driver: walks each root on worker threads, reads and detects on those threads, then
//! scans the history of the git repositories under the root (`source::git`), and sends hits over
//! a channel to one collector, because correlation needs every hit first.
//!
//! It owns the counters the summary and progress bar read. It prints nothing: problems go to
//! the caller's `on_issue` callback (called from the collector thread only).

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, mpsc};
use std::time::Instant;

use crate::cache::Store;
use crate::detect::{Detector, Scratch};
use crate::error::{IssueKind, ScanIssue};
use crate::hit::Hit;
use crate::secret::fingerprint;
use crate::source::decode::Limits;
use crate::source::fs::{self, Content};
use crate::source::git::{self, HistoryMode, HistoryOptions};
use crate::source::{self, Location, SourceKind, stdin};
use crate::walk::{self, Event, WalkOptions};

mod counters;
mod digest;
mod engine;
pub mod fpmemo;
mod history;
mod ranges;
pub mod staged;
mod unfold;
pub mod workstation;

pub use counters::{Counters, ScanResult, Totals};
pub use digest::cache_digest;
pub use engine::Engine;

/// A path to scan, as given and as opened.
#[derive(Debug, Clone)]
pub struct Root {
    /// The argument as the user typed it (reported as `root`).
    pub given: String,
    /// The path to open.
    pub path: PathBuf,
    /// `Some(name)`: read standard input instead, reported under `name` (`-` by default).
    pub stdin: Option<String>,
    /// A FIFO or pipe named on the command line (`<(...)`): read to its end as one stream.
    pub stream: bool,
}

enum Msg {
    Hits(Vec<Hit>),
    Issue(ScanIssue),
}

/// Scan the workstation (when asked), then every root: its files (per `opts`) and the history
/// of the git repositories at and under it (per `history`). `on_issue` sees each problem as it
/// happens (for a warning line). `cache` (when given) skips files and blobs known to be clean
/// and learns the ones found clean; the caller saves it.
#[allow(clippy::too_many_arguments)] // the scan's inputs, each resolved once by the CLI
pub fn scan_roots(
    workstation: Option<&workstation::Workstation>,
    roots: &[Root],
    opts: &WalkOptions,
    history: &HistoryOptions,
    limits: Limits,
    cache: Option<&Store>,
    detector: &Detector,
    stats: &Counters,
    on_issue: &mut dyn FnMut(&ScanIssue),
) -> ScanResult {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut hits = Vec::new();
    let mut issues = Vec::new();
    let mut inventory = None;
    let inv = &mut inventory;
    // Fingerprints are derived while the scan runs, on CPU it leaves idle.
    let mut warmer = fingerprint::Warmer::start();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Some(ws) = workstation {
                *inv = Some(scan_workstation(ws, opts, limits, detector, stats, &tx));
            }
            scan_all(roots, opts, history, limits, cache, detector, stats, &tx);
            drop(tx);
        });
        for msg in rx {
            match msg {
                Msg::Hits(h) => {
                    for hit in &h {
                        warmer.offer(hit.secret.reveal());
                    }
                    hits.extend(h);
                }
                Msg::Issue(i) => {
                    on_issue(&i);
                    issues.push(i);
                }
            }
        }
    });
    warmer.finish();
    ScanResult {
        hits,
        issues,
        totals: stats.totals(),
        elapsed: start.elapsed(),
        workstation: inventory,
    }
}

fn scan_workstation(
    ws: &workstation::Workstation,
    opts: &WalkOptions,
    limits: Limits,
    detector: &Detector,
    stats: &Counters,
    tx: &mpsc::Sender<Msg>,
) -> workstation::Inventory {
    let sink = |issue: ScanIssue| {
        let _ = tx.send(Msg::Issue(issue));
    };
    let engine = Engine::new(detector, stats).limits(limits).on_issue(&sink);
    let out = workstation::scan(ws, opts.max_file_size, opts.threads, &engine);
    for issue in out.issues {
        let _ = tx.send(Msg::Issue(issue));
    }
    if !out.hits.is_empty() {
        let _ = tx.send(Msg::Hits(out.hits));
    }
    out.inventory
}

#[allow(clippy::too_many_arguments)] // scan_roots' inputs, passed on
fn scan_all(
    roots: &[Root],
    opts: &WalkOptions,
    history: &HistoryOptions,
    limits: Limits,
    cache: Option<&Store>,
    detector: &Detector,
    stats: &Counters,
    tx: &mpsc::Sender<Msg>,
) {
    let sink = |issue: ScanIssue| {
        let _ = tx.send(Msg::Issue(issue));
    };
    let engine = Engine::new(detector, stats)
        .limits(limits)
        .on_issue(&sink)
        .cache(cache);
    for root in roots {
        if let Some(name) = &root.stdin {
            scan_stdin(root, name, opts.max_file_size, &engine, tx);
            continue;
        }
        if root.stream {
            scan_stream(root, opts.max_file_size, &engine, tx);
            continue;
        }
        // A bare repository or a `.git` directory has no work tree to walk. Otherwise the
        // file walk also collects the repositories whose history is read next (one walk).
        let repos = match (history.mode, git::Discovery::of_git_dir(&root.path)) {
            (HistoryMode::Off, Some(_)) => git::Discovery::default(),
            (HistoryMode::Off, None) => {
                scan_root(root, opts, &engine, tx, None);
                git::Discovery::default()
            }
            (_, Some(found)) => found,
            (HistoryMode::Only, None) => git::discover(&root.path, opts),
            (HistoryMode::WithFiles, None) => {
                let found = Mutex::new(git::Discovery::default());
                scan_root(root, opts, &engine, tx, Some(&found));
                found
                    .into_inner()
                    .unwrap_or_else(|p| p.into_inner())
                    .finish()
            }
        };
        scan_history(root, &repos, opts, history, &engine, tx);
    }
}

fn scan_stdin(root: &Root, name: &str, max: u64, engine: &Engine, tx: &mpsc::Sender<Msg>) {
    let mut buf = Vec::new();
    match stdin::read(max, &mut buf) {
        Ok(Content::TooLarge) => {
            engine.stats.too_large.fetch_add(1, Ordering::Relaxed);
        }
        Ok(_) => {
            let location = Location::input(&root.given, name, SourceKind::Stdin);
            let hits = engine.scan_bytes(&buf, &location, &mut Scratch::default());
            if !hits.is_empty() {
                let _ = tx.send(Msg::Hits(hits));
            }
        }
        Err(issue) => {
            engine.stats.unreadable.fetch_add(1, Ordering::Relaxed);
            let _ = tx.send(Msg::Issue(issue));
        }
    }
}

/// A FIFO or pipe named on the command line, read to its end (up to the size cap) and scanned
/// as one file.
fn scan_stream(root: &Root, max: u64, engine: &Engine, tx: &mpsc::Sender<Msg>) {
    let mut buf = Vec::new();
    match stdin::read_stream(&root.path, max, &mut buf) {
        Ok(Content::TooLarge) => {
            engine.stats.too_large.fetch_add(1, Ordering::Relaxed);
        }
        Ok(_) => {
            let location = Location::input(&root.given, "", SourceKind::File);
            let hits = engine.scan_bytes(&buf, &location, &mut Scratch::default());
            if !hits.is_empty() {
                let _ = tx.send(Msg::Hits(hits));
            }
        }
        Err(issue) => {
            let _ = tx.send(Msg::Issue(ScanIssue {
                kind: IssueKind::NotScanned,
                ..issue
            }));
        }
    }
}

/// Walk `root` and scan its files; with `repos`, also collect the repositories met.
fn scan_root(
    root: &Root,
    opts: &WalkOptions,
    engine: &Engine,
    tx: &mpsc::Sender<Msg>,
    repos: Option<&Mutex<git::Discovery>>,
) {
    let stats = engine.stats;
    walk::walk(&root.path, opts, repos.is_some(), || {
        let tx = tx.clone();
        let given = root.given.clone();
        let max = opts.max_file_size;
        let mut buf = Vec::new();
        let mut scratch = Scratch::default();
        Box::new(move |event| match event {
            Event::File(file) => match fs::read(&file.path, max, &mut buf) {
                Ok(Content::TooLarge) => {
                    stats.too_large.fetch_add(1, Ordering::Relaxed);
                }
                Ok(_) => {
                    // A file given as the root is reported as its name under its directory,
                    // never with an empty path.
                    let location = if file.rel.is_empty() {
                        let (dir, name) = source::split_file_root(&given);
                        Location::input(&dir, &name, SourceKind::File)
                    } else {
                        Location::input(&given, &file.rel, SourceKind::File)
                    };
                    let hits = engine.scan_cached(&buf, &location, &mut scratch);
                    if !hits.is_empty() {
                        let _ = tx.send(Msg::Hits(hits));
                    }
                }
                Err(issue) => {
                    stats.unreadable.fetch_add(1, Ordering::Relaxed);
                    let _ = tx.send(Msg::Issue(issue));
                }
            },
            Event::Git(entry) => {
                if let Some(repos) = repos {
                    repos
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .add(&root.path, &entry);
                }
            }
            Event::Special(_) => {
                stats.special.fetch_add(1, Ordering::Relaxed);
            }
            Event::Issue(issue) => {
                stats.unreadable.fetch_add(1, Ordering::Relaxed);
                let _ = tx.send(Msg::Issue(issue));
            }
        })
    });
}

fn scan_history(
    root: &Root,
    found: &git::Discovery,
    opts: &WalkOptions,
    history: &HistoryOptions,
    engine: &Engine,
    tx: &mpsc::Sender<Msg>,
) {
    let selective = history.branch.is_some() || history.since.is_some();
    if found.repos.is_empty() && (history.mode == HistoryMode::Only || selective) {
        let _ = tx.send(Msg::Issue(ScanIssue {
            kind: IssueKind::NotScanned,
            path: root.given.clone(),
            reason: "no git repository here (--history-only, --branch and --since-commit need one)"
                .into(),
        }));
    }
    let mut with_submodules = found.submodules > 0;
    for repo in &found.repos {
        let result = history::scan_repo(root, repo, history, opts, engine);
        with_submodules |= result.submodules;
        for issue in result.issues {
            let _ = tx.send(Msg::Issue(issue));
        }
        if !result.hits.is_empty() {
            let _ = tx.send(Msg::Hits(result.hits));
        }
    }
    if with_submodules {
        let _ = tx.send(Msg::Issue(ScanIssue {
            kind: IssueKind::Limit,
            path: root.given.clone(),
            reason: "submodules are not followed: scan each submodule's repository on its own"
                .into(),
        }));
    }
}
