//! The scan driver: walks each root on worker threads, reads and detects on those threads, then
//! scans the history of the git repositories under the root (`source::git`), and sends hits over
//! a channel to one collector, because correlation needs every hit first.
//!
//! It owns the counters the summary and progress bar read. It prints nothing: problems go to
//! the caller's `on_issue` callback (called from the collector thread only).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::detect::{Detector, Scratch};
use crate::error::{IssueKind, ScanIssue};
use crate::hit::Hit;
use crate::source::decode::{Limits, archive};
use crate::source::fs::{self, Content};
use crate::source::git::{self, HistoryMode, HistoryOptions};
use crate::source::{Location, SourceKind, stdin, utf16};
use crate::walk::{self, Event, WalkOptions};

mod blob;
mod history;
mod ranges;
pub mod staged;

/// A path to scan, as given and as opened.
#[derive(Debug, Clone)]
pub struct Root {
    /// The argument as the user typed it (reported as `root`).
    pub given: String,
    /// The path to open.
    pub path: PathBuf,
    /// `Some(name)`: read standard input instead, reported under `name` (`-` by default).
    pub stdin: Option<String>,
}

/// Live counters, shared with the progress display.
#[derive(Debug, Default)]
pub struct Counters {
    /// Files read and scanned.
    pub files: AtomicU64,
    /// Bytes read and scanned.
    pub bytes: AtomicU64,
    /// Hits so far (before correlation).
    pub hits: AtomicU64,
    /// Files skipped as binary.
    pub binary: AtomicU64,
    /// Files skipped as larger than the cap.
    pub too_large: AtomicU64,
    /// Files or directories that could not be read.
    pub unreadable: AtomicU64,
    /// FIFOs, sockets and devices skipped.
    pub special: AtomicU64,
    /// Git repositories whose history was scanned.
    pub repositories: AtomicU64,
    /// Shallow ones among them.
    pub shallow: AtomicU64,
    /// Commits in the scanned history.
    pub commits: AtomicU64,
    /// Unique blobs read and scanned from history.
    pub blobs: AtomicU64,
    /// Bytes of those blobs.
    pub history_bytes: AtomicU64,
}

/// A frozen copy of [`Counters`] plus elapsed time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Files scanned.
    pub files: u64,
    /// Bytes scanned.
    pub bytes: u64,
    /// Skipped: binary.
    pub binary: u64,
    /// Skipped: above the size cap.
    pub too_large: u64,
    /// Skipped: unreadable.
    pub unreadable: u64,
    /// Skipped: special files.
    pub special: u64,
    /// Repositories whose history was scanned.
    pub repositories: u64,
    /// Shallow repositories among them.
    pub shallow: u64,
    /// Commits in the scanned history.
    pub commits: u64,
    /// Unique blobs scanned from history.
    pub blobs: u64,
    /// Bytes of those blobs.
    pub history_bytes: u64,
}

impl Counters {
    /// Snapshot the counters.
    pub fn totals(&self) -> Totals {
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Totals {
            files: get(&self.files),
            bytes: get(&self.bytes),
            binary: get(&self.binary),
            too_large: get(&self.too_large),
            unreadable: get(&self.unreadable),
            special: get(&self.special),
            repositories: get(&self.repositories),
            shallow: get(&self.shallow),
            commits: get(&self.commits),
            blobs: get(&self.blobs),
            history_bytes: get(&self.history_bytes),
        }
    }
}

/// What a scan produced, before correlation.
#[derive(Debug)]
pub struct ScanResult {
    /// Every hit.
    pub hits: Vec<Hit>,
    /// Every per-input problem, in arrival order.
    pub issues: Vec<ScanIssue>,
    /// Final counters.
    pub totals: Totals,
    /// Wall time of the scan.
    pub elapsed: Duration,
}

enum Msg {
    Hits(Vec<Hit>),
    Issue(ScanIssue),
}

/// Scan every root: its files (per `opts`) and the history of the git repositories at and
/// under it (per `history`). `on_issue` sees each problem as it happens (for a warning line).
pub fn scan_roots(
    roots: &[Root],
    opts: &WalkOptions,
    history: &HistoryOptions,
    limits: Limits,
    detector: &Detector,
    stats: &Counters,
    on_issue: &mut dyn FnMut(&ScanIssue),
) -> ScanResult {
    let start = Instant::now();
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut hits = Vec::new();
    let mut issues = Vec::new();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            scan_all(roots, opts, history, limits, detector, stats, &tx);
            drop(tx);
        });
        for msg in rx {
            match msg {
                Msg::Hits(h) => hits.extend(h),
                Msg::Issue(i) => {
                    on_issue(&i);
                    issues.push(i);
                }
            }
        }
    });
    ScanResult {
        hits,
        issues,
        totals: stats.totals(),
        elapsed: start.elapsed(),
    }
}

fn scan_all(
    roots: &[Root],
    opts: &WalkOptions,
    history: &HistoryOptions,
    limits: Limits,
    detector: &Detector,
    stats: &Counters,
    tx: &mpsc::Sender<Msg>,
) {
    let sink = |issue: ScanIssue| {
        let _ = tx.send(Msg::Issue(issue));
    };
    let engine = Engine::new(detector, stats).limits(limits).on_issue(&sink);
    for root in roots {
        if let Some(name) = &root.stdin {
            scan_stdin(root, name, opts.max_file_size, &engine, tx);
            continue;
        }
        let repos = match history.mode {
            HistoryMode::Off => git::Discovery::default(),
            _ => git::discover(&root.path, opts),
        };
        // A bare repository or a `.git` directory has no work tree to walk.
        if history.mode != HistoryMode::Only && !git::is_git_dir(&root.path) {
            scan_root(root, opts, &engine, tx);
        }
        scan_history(root, &repos, opts, history, &engine, tx);
    }
}

/// Everything a worker needs to turn bytes into hits. Every source (files, git blobs, staged
/// entries, standard input) goes through [`Engine::scan_bytes`], so skips, counters and
/// decoding (archives, config stores, encoded values) mean the same thing everywhere.
pub struct Engine<'a> {
    /// The compiled rules.
    pub detector: &'a Detector,
    /// Shared counters.
    pub stats: &'a Counters,
    /// Decoding caps.
    pub limits: Limits,
    /// Where problems met while decoding go (a zip bomb cut off, a corrupt archive); dropped
    /// when `None`.
    pub on_issue: Option<&'a (dyn Fn(ScanIssue) + Sync)>,
}

impl<'a> Engine<'a> {
    /// An engine with default limits that drops decoding problems.
    pub fn new(detector: &'a Detector, stats: &'a Counters) -> Engine<'a> {
        Engine {
            detector,
            stats,
            limits: Limits::default(),
            on_issue: None,
        }
    }

    /// Set the decoding caps.
    pub fn limits(mut self, limits: Limits) -> Engine<'a> {
        self.limits = limits;
        self
    }

    /// Send decoding problems to `sink`.
    pub fn on_issue(mut self, sink: &'a (dyn Fn(ScanIssue) + Sync)) -> Engine<'a> {
        self.on_issue = Some(sink);
        self
    }

    /// The same engine counting into `stats` (a history worker keeps blob counts apart from
    /// file counts this way).
    pub fn with_stats<'b>(&self, stats: &'b Counters) -> Engine<'b>
    where
        'a: 'b,
    {
        Engine { stats, ..*self }
    }

    /// Scan one blob: skip it if binary (counted) unless it is an archive or UTF-16 text, else
    /// detect, decode what it holds (archive members, config-store fields, encoded values) and
    /// detect again inside, attaching `origin` (extended with the decode chain and context) to
    /// each hit. Totals the blob as scanned. The file name that picks a decoder comes from
    /// `origin` ([`Location::name`]), so every source gets the same decoding.
    pub fn scan_bytes(&self, data: &[u8], origin: &Location, scratch: &mut Scratch) -> Vec<Hit> {
        if archive::sniff(data).is_none() && fs::classify(data) == Content::Binary {
            // One level only: transcoded text that still has NULs is binary.
            let nested = origin.decoded.last().is_some_and(|d| d == "utf16");
            if let Some(order) = utf16::detect(data).filter(|_| !nested) {
                let text = utf16::to_utf8(data, order);
                let mut inner = origin.clone();
                inner.decoded.push("utf16".into());
                return self.scan_bytes(&text, &inner, scratch);
            }
            self.stats.binary.fetch_add(1, Ordering::Relaxed);
            return Vec::new();
        }
        self.stats.files.fetch_add(1, Ordering::Relaxed);
        self.stats
            .bytes
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        let mut walk = blob::Walk::new(self.detector, self.limits, scratch);
        let pending = walk.run(data, origin.name());
        if let Some(sink) = self.on_issue {
            for (kind, reason) in walk.problems {
                sink(ScanIssue {
                    kind,
                    path: origin.display_path(),
                    reason,
                });
            }
        }
        let hits: Vec<Hit> = pending
            .into_iter()
            .map(|p| p.into_hit(origin, self.detector.rules()))
            .collect();
        self.stats
            .hits
            .fetch_add(hits.len() as u64, Ordering::Relaxed);
        hits
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

fn scan_root(root: &Root, opts: &WalkOptions, engine: &Engine, tx: &mpsc::Sender<Msg>) {
    let stats = engine.stats;
    walk::walk(&root.path, opts, || {
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
                    let location = Location::input(&given, &file.rel, SourceKind::File);
                    let hits = engine.scan_bytes(&buf, &location, &mut scratch);
                    if !hits.is_empty() {
                        let _ = tx.send(Msg::Hits(hits));
                    }
                }
                Err(issue) => {
                    stats.unreadable.fetch_add(1, Ordering::Relaxed);
                    let _ = tx.send(Msg::Issue(issue));
                }
            },
            Event::TooLarge(_) => {
                stats.too_large.fetch_add(1, Ordering::Relaxed);
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
