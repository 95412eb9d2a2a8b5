//! [`Engine`]: the one funnel from bytes to hits. Every source (files, git blobs, staged
//! entries, standard input) goes through [`Engine::scan_bytes`], so skips, counters and decoding
//! mean the same thing everywhere.

use std::sync::atomic::Ordering;

use super::Counters;
use super::unfold::Unfold;
use crate::cache::{Entry, Key, Kind, Store};
use crate::detect::{Detector, Scratch, Window, Windows};
use crate::error::ScanIssue;
use crate::hit::Hit;
use crate::source::decode::{self, Limits, archive};
use crate::source::fs::{self, Content};
use crate::source::{Location, utf16};

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
    /// The blob cache: clean verdicts of earlier scans (see `crate::cache`); `None` to scan
    /// everything.
    pub cache: Option<&'a Store>,
}

impl<'a> Engine<'a> {
    /// An engine with default limits that drops decoding problems.
    pub fn new(detector: &'a Detector, stats: &'a Counters) -> Engine<'a> {
        Engine {
            detector,
            stats,
            limits: Limits::default(),
            on_issue: None,
            cache: None,
        }
    }

    /// Skip what `cache` knows to be clean and remember what this scan finds clean.
    pub fn cache(mut self, cache: Option<&'a Store>) -> Engine<'a> {
        self.cache = cache;
        self
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
        self.scan_checked(data, origin, scratch).0
    }

    /// [`Engine::scan_bytes`] through the cache, keyed by the bytes and the name the detector
    /// sees: a file known to be clean is only counted; a file found clean is remembered.
    pub fn scan_cached(&self, data: &[u8], origin: &Location, scratch: &mut Scratch) -> Vec<Hit> {
        let Some(cache) = self.cache else {
            return self.scan_bytes(data, origin, scratch);
        };
        let key = Key::content(origin.name(), data);
        if let Some(entry) = cache.get(&key) {
            self.replay(entry);
            return Vec::new();
        }
        let (hits, kind) = self.scan_checked(data, origin, scratch);
        self.remember(&key, kind, data.len(), &hits);
        hits
    }

    /// What the cache knows about `key`.
    pub fn cached(&self, key: &Key) -> Option<Entry> {
        self.cache.and_then(|c| c.get(key))
    }

    /// Count a blob the cache knows to be clean exactly as scanning it would.
    pub fn replay(&self, entry: Entry) {
        self.stats.cached.fetch_add(1, Ordering::Relaxed);
        match entry.kind {
            Kind::Binary => {
                self.stats.binary.fetch_add(1, Ordering::Relaxed);
            }
            Kind::Text => {
                self.stats.files.fetch_add(1, Ordering::Relaxed);
                self.stats.bytes.fetch_add(entry.size, Ordering::Relaxed);
            }
            Kind::Commit | Kind::Other => {}
        }
    }

    /// Remember a scan's verdict when it can be replayed: no hit, no problem.
    pub fn remember(&self, key: &Key, kind: Option<Kind>, size: usize, hits: &[Hit]) {
        if let (Some(cache), Some(kind), true) = (self.cache, kind, hits.is_empty()) {
            let size = size as u64;
            cache.put(key, Entry { kind, size });
        }
    }

    /// Scan and say whether the outcome may be cached: `Some(kind)` when the bytes were skipped
    /// as binary or scanned as they are with no decoding problem; `None` otherwise (transcoded
    /// UTF-16, a problem reported), so that a replay counts and reports exactly the same.
    pub fn scan_checked(
        &self,
        data: &[u8],
        origin: &Location,
        scratch: &mut Scratch,
    ) -> (Vec<Hit>, Option<Kind>) {
        let (hits, kind, _) = self.scan_windows(data, origin, scratch, Windows::Off);
        (hits, kind)
    }

    /// [`Engine::scan_checked`] with the blob's top-level detection noting or replaying its
    /// regex runs (see [`Detector::detect_windows`]); returns what it noted (`Some` only when
    /// asked to record and the bytes were detected as they are, not transcoded).
    pub fn scan_windows(
        &self,
        data: &[u8],
        origin: &Location,
        scratch: &mut Scratch,
        top: Windows,
    ) -> (Vec<Hit>, Option<Kind>, Option<Vec<Window>>) {
        if archive::sniff(data).is_none()
            && fs::classify(data) == Content::Binary
            && !decode::reads_binary(origin.name(), data)
        {
            // One level only: transcoded text that still has NULs is binary.
            let nested = origin.decoded.last().is_some_and(|d| d == "utf16");
            if let Some(order) = utf16::detect(data).filter(|_| !nested) {
                let text = utf16::to_utf8(data, order);
                let mut inner = origin.clone();
                inner.decoded.push("utf16".into());
                return (self.scan_bytes(&text, &inner, scratch), None, None);
            }
            self.stats.binary.fetch_add(1, Ordering::Relaxed);
            return (Vec::new(), Some(Kind::Binary), None);
        }
        self.stats.files.fetch_add(1, Ordering::Relaxed);
        self.stats
            .bytes
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        let mut walk = Unfold::new(self.detector, self.limits, scratch);
        walk.top = top;
        let pending = walk.run(data, origin.name());
        let noted = match std::mem::take(&mut walk.top) {
            Windows::Record(runs) => Some(runs),
            _ => None,
        };
        let clean = walk.problems.is_empty();
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
        (hits, clean.then_some(Kind::Text), noted)
    }
}
