//! The keyword prefilter: one automaton over every rule's keywords.
//!
//! A rule's regex runs on a blob only if one of its keywords occurs in it (ASCII
//! case-insensitively). That is sound only if every match of the rule contains a keyword, which
//! `rules::check` enforces on every example. The automaton is [`KeywordDfa`] (several parts of
//! the blob walked at once, see `kwdfa`); a keyword set too large for its table falls back to
//! the `aho-corasick` crate's automaton over a lower-cased copy.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::kwdfa::KeywordDfa;
use crate::rules::Rule;

/// The compiled keyword set.
#[derive(Debug, Clone)]
enum Automaton {
    Dfa(Box<KeywordDfa>),
    /// For keyword sets too large for the DFA's table (lower-cased keywords and copy).
    Fallback(AhoCorasick),
}

/// Selects the rules that can match a blob.
#[derive(Debug, Clone)]
pub struct Prefilter {
    automaton: Option<Automaton>,
    /// For each automaton pattern, the rules that own that keyword.
    owners: Vec<Vec<usize>>,
    /// Rules without keywords: always candidates.
    always: Vec<usize>,
    /// Per rule: only keyword occurrences that start a word count.
    starts_word: Vec<bool>,
    rule_count: usize,
}

impl Prefilter {
    /// Build the automaton for `rules`.
    pub fn new(rules: &[Rule]) -> Prefilter {
        let mut keywords: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut always = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            // Field rules never run on whole blobs: decoders hand them values directly.
            if rule.field.is_some() {
                continue;
            }
            if rule.keywords.is_empty() {
                always.push(i);
            }
            for kw in &rule.keywords {
                let key = kw.to_ascii_lowercase();
                let slot = *index.entry(key.clone()).or_insert_with(|| {
                    keywords.push(key);
                    owners.push(Vec::new());
                    owners.len() - 1
                });
                if owners[slot].last() != Some(&i) {
                    owners[slot].push(i);
                }
            }
        }
        // A build failure here can only come from automaton size limits; with no automaton every
        // rule becomes a candidate, which is slower but never misses a secret.
        let automaton = if keywords.is_empty() {
            None
        } else {
            let bytes: Vec<Vec<u8>> = keywords.iter().map(|k| k.as_bytes().to_vec()).collect();
            match KeywordDfa::new(&bytes) {
                Some(dfa) => Some(Automaton::Dfa(Box::new(dfa))),
                None => AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&keywords)
                    .or_else(|_| {
                        AhoCorasick::builder()
                            .match_kind(MatchKind::Standard)
                            .build(&keywords)
                    })
                    .ok()
                    .map(Automaton::Fallback),
            }
        };
        if automaton.is_none() && !keywords.is_empty() {
            always = (0..rules.len())
                .filter(|&i| rules[i].field.is_none())
                .collect();
        }
        Prefilter {
            automaton,
            owners,
            always,
            starts_word: rules.iter().map(|r| r.keyword_starts_word).collect(),
            rule_count: rules.len(),
        }
    }

    /// Call `f(rule, start, end)` for every keyword occurrence that selects `rule` (occurrences
    /// inside a word are skipped for rules with `keyword_starts_word`), until `f` returns false.
    /// `lower` is scratch space for the fallback automaton's lower-cased copy.
    fn occurrences(
        &self,
        data: &[u8],
        lower: &mut Vec<u8>,
        mut f: impl FnMut(usize, usize, usize) -> bool,
    ) {
        let mut each = |pattern: usize, start: usize, end: usize| {
            let inside_word = start > 0 && is_word(data[start - 1]);
            for &rule in &self.owners[pattern] {
                if inside_word && self.starts_word[rule] {
                    continue;
                }
                if !f(rule, start, end) {
                    return false;
                }
            }
            true
        };
        match &self.automaton {
            None => {}
            Some(Automaton::Dfa(dfa)) => dfa.for_each(data, each),
            Some(Automaton::Fallback(ac)) => {
                lower.clear();
                lower.extend(data.iter().map(u8::to_ascii_lowercase));
                for m in ac.find_overlapping_iter(lower.as_slice()) {
                    if !each(m.pattern().as_usize(), m.start(), m.end()) {
                        return;
                    }
                }
            }
        }
    }

    /// Like [`Prefilter::candidates`], and also record every keyword occurrence as
    /// `(rule, start, end)` in `spans` (all of them: no early exit), for windowed matching.
    /// Offsets are the same in `data` and its lower-cased copy (ASCII case folding keeps lengths).
    pub fn candidates_with_spans(
        &self,
        data: &[u8],
        seen: &mut Vec<bool>,
        lower: &mut Vec<u8>,
        out: &mut Vec<usize>,
        spans: &mut Vec<(usize, usize, usize)>,
    ) {
        out.clear();
        spans.clear();
        seen.clear();
        seen.resize(self.rule_count, false);
        for &i in &self.always {
            seen[i] = true;
            out.push(i);
        }
        self.occurrences(data, lower, |rule, start, end| {
            if !seen[rule] {
                seen[rule] = true;
                out.push(rule);
            }
            spans.push((rule, start, end));
            true
        });
        // A handful of rules per blob: sorting them beats scanning every rule's flag.
        out.sort_unstable();
    }

    /// Write the indices of candidate rules for `data` into `out` (sorted, unique).
    /// `seen` and `lower` are scratch space reused across calls.
    pub fn candidates(
        &self,
        data: &[u8],
        seen: &mut Vec<bool>,
        lower: &mut Vec<u8>,
        out: &mut Vec<usize>,
    ) {
        out.clear();
        seen.clear();
        seen.resize(self.rule_count, false);
        for &i in &self.always {
            seen[i] = true;
        }
        let mut remaining = self.rule_count - self.always.len();
        self.occurrences(data, lower, |rule, _, _| {
            if !seen[rule] {
                seen[rule] = true;
                remaining -= 1;
            }
            remaining > 0
        });
        out.extend(seen.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| i));
    }
}

/// A byte that continues a word for `keyword_starts_word` (ASCII letter, digit or `_`).
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(starts_word: bool) -> Vec<Rule> {
        let toml = format!(
            r#"[[rule]]
id = "t.ion"
name = "t"
severity = "high"
confidence = "high"
lifetime = "static"
keywords = ["ion_"]
keyword_starts_word = {starts_word}
pattern = '''(?-u)\b(?P<secret>ion_[A-Za-z0-9]{{8}})'''
"#
        );
        crate::rules::parse_file(&toml, "t.toml").unwrap()
    }

    #[test]
    fn keyword_inside_a_word_does_not_count_when_the_rule_says_so() {
        let text = b"action_taken = 1; token = ion_Ab3dEf9h; ION_ again";
        let (mut seen, mut lower, mut out, mut spans) = (vec![], vec![], vec![], vec![]);
        Prefilter::new(&rules(true))
            .candidates_with_spans(text, &mut seen, &mut lower, &mut out, &mut spans);
        assert_eq!(out, vec![0]);
        assert_eq!(spans, vec![(0, 26, 30), (0, 40, 44)]);
        Prefilter::new(&rules(false))
            .candidates_with_spans(text, &mut seen, &mut lower, &mut out, &mut spans);
        assert_eq!(spans, vec![(0, 3, 7), (0, 26, 30), (0, 40, 44)]);
        // Only inside words: not a candidate at all.
        Prefilter::new(&rules(true)).candidates(b"action_x", &mut seen, &mut lower, &mut out);
        assert!(out.is_empty());
        Prefilter::new(&rules(false)).candidates(b"action_x", &mut seen, &mut lower, &mut out);
        assert_eq!(out, vec![0]);
    }
}
