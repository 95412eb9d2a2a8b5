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

/// One regex run of a detection: rule `rule` over `start..end` of the bytes, or over all of
/// them when `end` is [`WHOLE`]. Positions only: what a blob's matches came from, never what
/// they hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Index of the rule in the detector's rule list.
    pub rule: u32,
    /// First byte of the window.
    pub start: u64,
    /// End of the window (exclusive), or [`WHOLE`].
    pub end: u64,
}

/// [`Window::end`] of a run over the whole blob.
pub const WHOLE: u64 = u64::MAX;

/// How [`Detector::detect_windows`] treats the productive runs of a detection.
#[derive(Debug, Default)]
pub enum Windows<'w> {
    /// A plain detection.
    #[default]
    Off,
    /// Detect and note the runs that produced matches.
    Record(Vec<Window>),
    /// Run only these (noted by an earlier detection of the same bytes and rules).
    Replay(&'w [Window]),
}

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
        self.detect_recording(data, scratch, None)
    }

    /// [`Detector::detect`] per `windows`: `Record` also notes every regex run (rule and
    /// window) that produced a match; `Replay` runs only the runs such a record lists, which
    /// gives the same matches, as a run that found nothing on these bytes finds nothing again.
    /// A record that does not fit `data` is ignored (a full detection).
    pub fn detect_windows(
        &self,
        data: &[u8],
        scratch: &mut Scratch,
        windows: &mut Windows,
    ) -> Vec<Match> {
        match windows {
            Windows::Off => self.detect(data, scratch),
            Windows::Record(runs) => self.detect_recording(data, scratch, Some(runs)),
            Windows::Replay(runs) => self
                .replay(data, runs)
                .unwrap_or_else(|| self.detect(data, scratch)),
        }
    }

    /// The runs of `runs` only; `None` when one does not fit this rule set or `data`.
    fn replay(&self, data: &[u8], runs: &[Window]) -> Option<Vec<Match>> {
        let fits = |w: &Window| {
            (w.rule as usize) < self.rules.len()
                && (w.end == WHOLE || (w.start <= w.end && w.end <= data.len() as u64))
        };
        if !runs.iter().all(fits) {
            return None;
        }
        let mut out = Vec::new();
        // One rule's runs come together, in order: one comment cursor and one set of capture
        // slots each, as in a detection.
        for group in runs.chunk_by(|a, b| a.rule == b.rule) {
            let i = group[0].rule as usize;
            let rule = &self.rules[i];
            let compiled = rule.pattern.compiled();
            let mut caps = compiled.map(|c| c.regex.create_captures());
            let mut comments = matcher::CommentCursor::default();
            for w in group {
                match (w.end, compiled, caps.as_mut()) {
                    (WHOLE, _, _) => matcher::run_rule(i, rule, data, &mut out),
                    (end, Some(compiled), Some(caps)) => matcher::run_compiled_in(
                        i,
                        rule,
                        compiled,
                        data,
                        w.start as usize..end as usize,
                        &mut out,
                        &mut comments,
                        caps,
                    ),
                    _ => {}
                }
            }
        }
        Some(finish(data, out))
    }

    fn detect_recording(
        &self,
        data: &[u8],
        scratch: &mut Scratch,
        mut record: Option<&mut Vec<Window>>,
    ) -> Vec<Match> {
        let mut out = Vec::new();
        // Note run (`rule`, window) when it added matches.
        let mut note = |rule: usize, start: usize, end: u64, before: usize, after: usize| {
            if after > before
                && let Some(r) = record.as_deref_mut()
            {
                r.push(Window {
                    rule: rule as u32,
                    start: start as u64,
                    end,
                });
            }
        };
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
                let before = out.len();
                matcher::run_rule(i, rule, data, &mut out);
                note(i, 0, WHOLE, before, out.len());
                continue;
            };
            let mut caps = compiled.regex.create_captures();
            let mut run = |range: std::ops::Range<usize>,
                           out: &mut Vec<Match>,
                           comments: &mut _| {
                let (start, end, before) = (range.start, range.end as u64, out.len());
                matcher::run_compiled_in(i, rule, compiled, data, range, out, comments, &mut caps);
                note(i, start, end, before, out.len());
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
                None => {
                    let before = out.len();
                    matcher::run_rule(i, rule, data, &mut out);
                    note(i, 0, WHOLE, before, out.len());
                }
            }
        }
        finish(data, out)
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

/// The steps after the regex runs: matches on `sprawl:allow` lines dropped, lines and columns.
fn finish(data: &[u8], mut out: Vec<Match>) -> Vec<Match> {
    inline_allow::drop_allowed(data, &mut out);
    if !out.is_empty() {
        matcher::assign_positions(data, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text with several kinds of credential lines and look-alikes, repeated so windows merge
    /// and split.
    fn sample() -> Vec<u8> {
        let mut text = String::new();
        for n in 0..40 {
            text.push_str(&format!(
                "# revision {n}: nothing here, password policy unchanged\n"
            ));
            text.push_str(&format!("DB_PASSWORD=Wq{n}x7Lm2pRt9\n"));
            text.push_str("aws_access_key_id = AKIAQYLPMN5HHHFPZAM2\n"); // sprawl:allow (fake)
            text.push_str(&"filler text without keywords ".repeat(400));
            text.push('\n');
        }
        text.into_bytes()
    }

    #[test]
    fn replaying_the_noted_runs_finds_the_same_matches() {
        let detector = Detector::new(crate::rules::builtin().unwrap());
        let data = sample();
        let mut scratch = Scratch::default();
        let full = detector.detect(&data, &mut scratch);
        assert!(full.len() >= 40, "{}", full.len());
        let mut record = Windows::Record(Vec::new());
        let recorded = detector.detect_windows(&data, &mut scratch, &mut record);
        let Windows::Record(runs) = record else {
            panic!("still recording")
        };
        assert_eq!(format!("{recorded:?}"), format!("{full:?}"));
        // Only runs that found something are noted: fewer than the keyword windows.
        assert!(!runs.is_empty() && runs.len() < 200, "{}", runs.len());
        let replayed = detector.detect_windows(&data, &mut scratch, &mut Windows::Replay(&runs));
        assert_eq!(format!("{replayed:?}"), format!("{full:?}"));
        // The runs decide what is found: none noted, nothing found.
        let none = detector.detect_windows(&data, &mut scratch, &mut Windows::Replay(&[]));
        assert!(none.is_empty());
        // Runs that do not fit the bytes or the rules are not trusted: a full detection.
        for bad in [
            Window {
                rule: u32::MAX,
                start: 0,
                end: 10,
            },
            Window {
                rule: 0,
                start: 0,
                end: data.len() as u64 + 1,
            },
            Window {
                rule: 0,
                start: 9,
                end: 3,
            },
        ] {
            let got = detector.detect_windows(&data, &mut scratch, &mut Windows::Replay(&[bad]));
            assert_eq!(format!("{got:?}"), format!("{full:?}"));
        }
    }
}
