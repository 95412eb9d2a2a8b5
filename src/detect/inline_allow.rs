//! Inline allow markers: a match whose secret touches a line containing `sprawl:allow` is
//! dropped, whatever the comment syntax around it (`# sprawl:allow`, `// sprawl:allow`,
//! `<!-- sprawl:allow -->`). Pure, and cheap: the blob is searched for the marker only when it
//! has matches, once, and each match is then a binary search.

use std::ops::Range;

use memchr::{memchr, memmem, memrchr};

use super::Match;

/// The marker text.
pub const MARKER: &[u8] = b"sprawl:allow";

/// Remove the matches that sit on a line carrying [`MARKER`].
pub fn drop_allowed(data: &[u8], matches: &mut Vec<Match>) {
    if matches.is_empty() {
        return;
    }
    let spans = marker_lines(data);
    if !spans.is_empty() {
        matches.retain(|m| !touches(&spans, &m.secret));
    }
}

/// Whether offset `at` of `data` lies on a line carrying [`MARKER`]: for a hit found in text a
/// decoder derived from `data` (an HTML page's text), mapped back to where it came from.
pub fn allowed_at(data: &[u8], at: usize) -> bool {
    let at = at.min(data.len());
    let start = memrchr(b'\n', &data[..at]).map_or(0, |n| n + 1);
    let end = memchr(b'\n', &data[at..]).map_or(data.len(), |n| at + n);
    memmem::find(&data[start..end], MARKER).is_some()
}

/// `[start, end)` of every line holding the marker (end at the newline), sorted, disjoint.
fn marker_lines(data: &[u8]) -> Vec<(usize, usize)> {
    let finder = memmem::Finder::new(MARKER);
    let mut spans = Vec::new();
    let mut pos = 0;
    while pos < data.len() {
        let Some(i) = finder.find(&data[pos..]) else {
            break;
        };
        let at = pos + i;
        let start = memrchr(b'\n', &data[..at]).map_or(0, |n| n + 1);
        let end = memchr(b'\n', &data[at..]).map_or(data.len(), |n| at + n);
        spans.push((start, end));
        pos = end + 1;
    }
    spans
}

fn touches(spans: &[(usize, usize)], secret: &Range<usize>) -> bool {
    let i = spans.partition_point(|&(_, end)| end < secret.start);
    spans
        .get(i)
        .is_some_and(|&(start, _)| start < secret.end.max(secret.start + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize) -> Match {
        Match {
            rule: 0,
            secret: start..end,
            context: vec![],
            line: 0,
            column: 0,
            comment: false,
        }
    }

    fn kept(data: &str, secret: &str) -> Vec<usize> {
        let mut ms: Vec<Match> = data
            .match_indices(secret)
            .map(|(i, s)| m(i, i + s.len()))
            .collect();
        drop_allowed(data.as_bytes(), &mut ms);
        ms.iter().map(|m| m.secret.start).collect()
    }

    #[test]
    fn only_the_marked_line_is_allowed() {
        let data = "a=SEKRET\nb=SEKRET # sprawl:allow\nc=SEKRET\n// sprawl:allow\n";
        assert_eq!(kept(data, "SEKRET"), vec![2, 35]);
    }

    #[test]
    fn any_comment_syntax_and_marker_before_the_secret() {
        for line in [
            "<!-- sprawl:allow --> SEKRET",
            "SEKRET /* sprawl:allow */",
            "x = 'SEKRET'  -- sprawl:allow",
        ] {
            assert!(kept(line, "SEKRET").is_empty(), "{line}");
        }
        assert_eq!(kept("sprawl:allow\nSEKRET", "SEKRET"), vec![13]);
        assert_eq!(kept("SEKRET\nsprawl:allow", "SEKRET"), vec![0]);
    }

    #[test]
    fn multi_line_secret_touching_a_marked_line() {
        let data = "-----BEGIN KEY----- sprawl:allow\nAAAA\n-----END KEY-----\n";
        let mut ms = vec![m(0, data.len() - 1)];
        drop_allowed(data.as_bytes(), &mut ms);
        assert!(ms.is_empty());
    }
}
