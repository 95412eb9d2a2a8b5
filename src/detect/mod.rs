//! The detector: bytes in, verified matches out. Pure: no I/O, no printing, no provenance.
//!
//! [`Detector::detect`] asks the [`prefilter`] which rules can match, runs only those rules'
//! regexes ([`matcher`]), drops placeholders, hashes and bad checksums ([`verify`]), and maps
//! offsets to lines and columns.

pub mod matcher;
pub mod prefilter;
pub mod verify;

pub use matcher::Match;

use crate::rules::Rule;
use prefilter::Prefilter;

/// A compiled rule set with its prefilter.
#[derive(Debug, Clone)]
pub struct Detector {
    rules: Vec<Rule>,
    prefilter: Prefilter,
}

/// Per-thread scratch space, so the hot loop does not allocate per blob.
#[derive(Debug, Default)]
pub struct Scratch {
    seen: Vec<bool>,
    lower: Vec<u8>,
    candidates: Vec<usize>,
}

impl Detector {
    /// Build a detector over `rules`.
    pub fn new(rules: Vec<Rule>) -> Detector {
        let prefilter = Prefilter::new(&rules);
        Detector { rules, prefilter }
    }

    /// The rules, indexed as in [`Match::rule`].
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Find every verified match in `data`, sorted by offset, with lines and columns.
    pub fn detect(&self, data: &[u8], scratch: &mut Scratch) -> Vec<Match> {
        let mut out = Vec::new();
        self.prefilter.candidates(
            data,
            &mut scratch.seen,
            &mut scratch.lower,
            &mut scratch.candidates,
        );
        for &i in &scratch.candidates {
            matcher::run_rule(i, &self.rules[i], data, &mut out);
        }
        if !out.is_empty() {
            matcher::assign_positions(data, &mut out);
        }
        out
    }
}
