//! The detector: bytes in, verified matches out. Pure: no I/O, no printing, no provenance.
//!
//! [`Detector::detect`] asks the [`prefilter`] which rules can match, runs only those rules'
//! regexes ([`matcher`]), drops placeholders, hashes and bad checksums ([`verify`]) and matches
//! on lines marked `sprawl:allow` ([`inline_allow`]), and maps offsets to lines and columns.

pub mod check;
pub mod identity;
pub mod inline_allow;
pub mod kwdfa;
pub mod matcher;
pub mod position;
pub mod prefilter;
pub mod verify;

pub use matcher::Match;

use std::collections::HashMap;

use crate::rules::Rule;
use prefilter::Prefilter;

/// A compiled rule set with its prefilter.
#[derive(Debug, Clone)]
pub struct Detector {
    rules: Vec<Rule>,
    prefilter: Prefilter,
    /// Field name -> indices of the rules that check values of that field.
    fields: HashMap<String, Vec<usize>>,
}

/// Per-thread scratch space, so the hot loop does not allocate per blob.
#[derive(Debug, Default)]
pub struct Scratch {
    seen: Vec<bool>,
    lower: Vec<u8>,
    candidates: Vec<usize>,
    spans: Vec<(usize, usize, usize)>,
}

/// Windows wider than this are not worth it: the rule runs over the whole blob instead.
const MAX_WINDOW_REACH: usize = 8192;

impl Detector {
    /// Build a detector over `rules`.
    pub fn new(rules: Vec<Rule>) -> Detector {
        let prefilter = Prefilter::new(&rules);
        let mut fields: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            if let Some(f) = &r.field {
                fields.entry(f.clone()).or_default().push(i);
            }
        }
        Detector {
            rules,
            prefilter,
            fields,
        }
    }

    /// The rules, indexed as in [`Match::rule`].
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Find every verified match in `data`, sorted by offset, with lines and columns.
    pub fn detect(&self, data: &[u8], scratch: &mut Scratch) -> Vec<Match> {
        let mut out = Vec::new();
        self.prefilter.candidates_with_spans(
            data,
            &mut scratch.seen,
            &mut scratch.lower,
            &mut scratch.candidates,
            &mut scratch.spans,
        );
        scratch.spans.sort_unstable();
        for &i in &scratch.candidates {
            let rule = &self.rules[i];
            let Some(compiled) = rule.pattern.compiled() else {
                continue;
            };
            let Some(reach) = compiled.max_len.filter(|&l| l <= MAX_WINDOW_REACH) else {
                matcher::run_rule(i, rule, data, &mut out);
                continue;
            };
            let mut caps = compiled.regex.create_captures();
            let mut run = |range: std::ops::Range<usize>,
                           out: &mut Vec<Match>,
                           comments: &mut _| {
                matcher::run_compiled_in(i, rule, compiled, data, range, out, comments, &mut caps)
            };
            // A match containing a keyword at [s, e) and at most `reach` long lies inside
            // [s - reach, e + reach) and ends strictly before its end: the regex only runs
            // there. Overlapping windows merge, so no match is found twice.
            let mut comments = matcher::CommentCursor::default();
            let lo = scratch.spans.partition_point(|&(r, _, _)| r < i);
            let hi = scratch.spans.partition_point(|&(r, _, _)| r <= i);
            let mut window: Option<(usize, usize)> = None;
            for &(_, s, e) in &scratch.spans[lo..hi] {
                let (ws, we) = (s.saturating_sub(reach), (e + reach).min(data.len()));
                window = match window {
                    Some((a, b)) if ws <= b => Some((a, b.max(we))),
                    Some((a, b)) => {
                        run(a..b, &mut out, &mut comments);
                        Some((ws, we))
                    }
                    None => Some((ws, we)),
                };
            }
            match window {
                Some((a, b)) => run(a..b, &mut out, &mut comments),
                // A keyword-free rule: no spans, the whole blob.
                None => matcher::run_rule(i, rule, data, &mut out),
            }
        }
        inline_allow::drop_allowed(data, &mut out);
        if !out.is_empty() {
            matcher::assign_positions(data, &mut out);
        }
        out
    }

    /// Run the rules of config-store field `field` (e.g. `netrc.password`) over one value a
    /// decoder extracted. Offsets, lines and columns are relative to `value`.
    pub fn detect_field(&self, field: &str, value: &[u8]) -> Vec<Match> {
        let mut out = Vec::new();
        for &i in self.fields.get(field).map_or(&[][..], Vec::as_slice) {
            matcher::run_rule(i, &self.rules[i], value, &mut out);
        }
        if !out.is_empty() {
            matcher::assign_positions(value, &mut out);
        }
        out
    }
}
