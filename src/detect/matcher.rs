//! Regex confirmation of candidate rules, and giving matches their lines and columns.

use std::ops::Range;

use crate::rules::Rule;

use super::verify;

/// One confirmed match in a blob, before any provenance is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index of the rule in the detector's rule list.
    pub rule: usize,
    /// Byte range of the secret in the blob.
    pub secret: Range<usize>,
    /// Other named groups (e.g. `user`, `host`) with their byte ranges.
    pub context: Vec<(String, Range<usize>)>,
    /// 1-based line of the secret's first byte.
    pub line: u32,
    /// 1-based column of the secret's first byte, counted in Unicode code points.
    pub column: u32,
}

/// Run `rule` over `data`, pushing every verified match (line and column left at 0).
pub fn run_rule(index: usize, rule: &Rule, data: &[u8], out: &mut Vec<Match>) {
    run_rule_in(index, rule, data, 0..data.len(), out);
}

/// Run `rule` over the window `range` of `data` only. The regex sees everything before the
/// window (so `\b` and `^` at its start look at the real preceding byte) but nothing after it;
/// a match ending exactly at a window end short of the blob's end is dropped, because an
/// assertion there (`\b`, `$`) saw a false end of input. Callers size windows so that every
/// match containing a keyword ends strictly inside (see `Detector::detect`).
pub fn run_rule_in(
    index: usize,
    rule: &Rule,
    data: &[u8],
    range: Range<usize>,
    out: &mut Vec<Match>,
) {
    let Some(compiled) = rule.pattern.compiled() else {
        return;
    };
    let (regex, secret_group) = (&compiled.regex, compiled.secret_group);
    let end = range.end.min(data.len());
    let hay = &data[..end];
    let cut = end < data.len();
    let mut locs = regex.capture_locations();
    let mut at = range.start;
    while at <= end {
        let Some(whole) = regex.captures_read_at(&mut locs, hay, at) else {
            break;
        };
        if cut && whole.end() == end {
            break;
        }
        // Step past empty matches so the loop always advances.
        at = if whole.end() > whole.start() {
            whole.end()
        } else {
            whole.end() + 1
        };
        let Some((s, e)) = locs.get(secret_group) else {
            continue;
        };
        if verify::check(rule, &data[s..e]).is_err() {
            continue;
        }
        if rule
            .deny
            .iter()
            .any(|d| d.is_match(&data[whole.start()..whole.end()]))
        {
            continue;
        }
        if rule.skip_comments && on_comment_line(data, whole.start()) {
            continue;
        }
        let context = regex
            .capture_names()
            .enumerate()
            .filter_map(|(i, name)| {
                let name = name?;
                if i == secret_group {
                    return None;
                }
                let (cs, ce) = locs.get(i)?;
                Some((name.to_string(), cs..ce))
            })
            .collect();
        out.push(Match {
            rule: index,
            secret: s..e,
            context,
            line: 0,
            column: 0,
        });
    }
}

/// True if the line holding byte `pos` starts (after blanks) with a comment marker: `#`, `//`,
/// `*` (inside a block comment) or `--`.
pub fn on_comment_line(data: &[u8], pos: usize) -> bool {
    let start = memchr::memrchr(b'\n', &data[..pos]).map_or(0, |i| i + 1);
    let line = &data[start..pos];
    let first = line.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r'));
    let rest = first.map_or(&[][..], |i| &line[i..]);
    rest.starts_with(b"#")
        || rest.starts_with(b"//")
        || rest.starts_with(b"*")
        || rest.starts_with(b"--")
}

/// Fill in `line` and `column` for matches, sorted by offset (then rule).
pub fn assign_positions(data: &[u8], matches: &mut [Match]) {
    matches.sort_by_key(|m| (m.secret.start, m.rule));
    let offsets: Vec<usize> = matches.iter().map(|m| m.secret.start).collect();
    for (m, (line, column)) in matches
        .iter_mut()
        .zip(super::position::positions(data, &offsets))
    {
        m.line = line;
        m.column = column;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: usize) -> Match {
        Match {
            rule: 0,
            secret: start..start + 1,
            context: vec![],
            line: 0,
            column: 0,
        }
    }

    #[test]
    fn comment_lines() {
        let data = b"a = 1\n  # key = x\n// y\n * z\n-- w\nv = 2 # not\n";
        let at = |needle: &[u8]| {
            data.windows(needle.len())
                .position(|w| w == needle)
                .unwrap()
        };
        assert!(!on_comment_line(data, at(b"1")));
        assert!(on_comment_line(data, at(b"x")));
        assert!(on_comment_line(data, at(b"y")));
        assert!(on_comment_line(data, at(b"z")));
        assert!(on_comment_line(data, at(b"w")));
        assert!(!on_comment_line(data, at(b"2")));
        assert!(!on_comment_line(data, 0));
    }

    #[test]
    fn positions_are_one_based_and_count_code_points() {
        let data = "ab\nc\u{e9}X\n\nY".as_bytes();
        let x = data.iter().position(|&b| b == b'X').unwrap();
        let y = data.iter().position(|&b| b == b'Y').unwrap();
        let mut ms = vec![at(y), at(0), at(x)];
        assign_positions(data, &mut ms);
        let got: Vec<_> = ms.iter().map(|m| (m.line, m.column)).collect();
        assert_eq!(got, vec![(1, 1), (2, 3), (4, 1)]);
    }
}
