//! [`Engine`]: the one funnel from bytes to hits. Every source (files, git blobs, staged
//! entries, standard input) goes through [`Engine::scan_bytes`], so skips, counters and decoding
//! mean the same thing everywhere.

use std::sync::atomic::Ordering;

use super::Counters;
use super::unfold::Unfold;
use crate::detect::{Detector, Scratch};
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
                return self.scan_bytes(&text, &inner, scratch);
            }
            self.stats.binary.fetch_add(1, Ordering::Relaxed);
            return Vec::new();
        }
        self.stats.files.fetch_add(1, Ordering::Relaxed);
        self.stats
            .bytes
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        let mut walk = Unfold::new(self.detector, self.limits, scratch);
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
