//! Regex confirmation of candidate rules, and giving matches their lines and columns.

use std::ops::Range;

use regex_automata::Input;
use regex_automata::util::captures::Captures;

use crate::rules::Rule;
use crate::rules::pattern::Compiled;

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
    /// The match sits on a comment line (`#`, `//`, `*`, `--`): a doc comment in code.
    pub comment: bool,
}

/// Run `rule` over `data`, pushing every verified match (line and column left at 0).
pub fn run_rule(index: usize, rule: &Rule, data: &[u8], out: &mut Vec<Match>) {
    run_rule_in(
        index,
        rule,
        data,
        0..data.len(),
        out,
        &mut CommentCursor::default(),
    );
}

/// Run `rule` over the window `range` of `data` only. The regex sees everything before the
/// window (so `\b` and `^` at its start look at the real preceding byte) but nothing after it;
/// a match ending exactly at a window end short of the blob's end is dropped, because an
/// assertion there (`\b`, `$`) saw a false end of input. Callers size windows so that every
/// match containing a keyword ends strictly inside (see `Detector::detect`). `comments` carries
/// the comment-line state from one window of the rule to the next (windows come in order).
pub fn run_rule_in(
    index: usize,
    rule: &Rule,
    data: &[u8],
    range: Range<usize>,
    out: &mut Vec<Match>,
    comments: &mut CommentCursor,
) {
    let Some(compiled) = rule.pattern.compiled() else {
        return;
    };
    let mut caps = compiled.regex.create_captures();
    run_compiled_in(index, rule, compiled, data, range, out, comments, &mut caps);
}

/// [`run_rule_in`] with the compiled pattern and capture slots from the caller, which runs one
/// rule over many windows of a blob without allocating the slots for each.
#[allow(clippy::too_many_arguments)] // run_rule_in's inputs plus the reused slots
pub fn run_compiled_in(
    index: usize,
    rule: &Rule,
    compiled: &Compiled,
    data: &[u8],
    range: Range<usize>,
    out: &mut Vec<Match>,
    comments: &mut CommentCursor,
    caps: &mut Captures,
) {
    let (regex, secret_group) = (&compiled.regex, compiled.secret_group);
    let end = range.end.min(data.len());
    let hay = &data[..end];
    let cut = end < data.len();
    let mut at = range.start;
    while at <= end {
        regex.search_captures(&Input::new(hay).span(at..end), caps);
        let Some(whole) = caps.get_match() else {
            break;
        };
        if cut && whole.end() == end {
            break;
        }
        // Resume right after the secret, not after the pattern's trailing context: that context
        // (`" d` in `db_password="a" db_password="b"`) may hold the next match's leading
        // boundary and key, and every other assignment on such a line was lost. Step past
        // empty matches so the loop always advances.
        let group = caps.get_group(secret_group).map(|g| (g.start, g.end));
        let next = match group {
            Some((_, e)) if e > whole.start() => e,
            _ => whole.end(),
        };
        at = if next > whole.start() {
            next
        } else {
            whole.end() + 1
        };
        let Some((s, e)) = group else {
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
        let comment = comments.on_comment_line(data, key_start(data, whole.start(), s));
        if rule.skip_comments && comment {
            continue;
        }
        let context = compiled
            .group_names()
            .enumerate()
            .filter_map(|(i, name)| {
                let name = name?;
                if i == secret_group {
                    return None;
                }
                let g = caps.get_group(i)?;
                Some((name.to_string(), g.start..g.end))
            })
            .collect();
        out.push(Match {
            rule: index,
            secret: s..e,
            context,
            line: 0,
            column: 0,
            comment,
        });
    }
}

/// Where a match's own text starts: a pattern's leading boundary (`(?:^|[^A-Za-z0-9_])`) may
/// consume the newline that ends the line before, and that line (a `# Database` comment above
/// `DB_PASSWORD=...`) must not decide whether the match is commented out.
fn key_start(data: &[u8], start: usize, secret: usize) -> usize {
    let skip = data[start..secret]
        .iter()
        .take_while(|b| matches!(b, b'\n' | b'\r'))
        .count();
    start + skip
}

/// True if the line holding byte `pos` starts (after blanks) with a comment marker: `#`, `//`,
/// `*` (inside a block comment) or `--`.
pub fn on_comment_line(data: &[u8], pos: usize) -> bool {
    let start = memchr::memrchr(b'\n', &data[..pos]).map_or(0, |i| i + 1);
    let line = &data[start..pos];
    let first = line.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r'));
    let rest = first.map_or(&[][..], |i| &line[i..]);
    is_comment_marker(rest)
}

/// [`on_comment_line`] for positions asked in increasing order, in time linear in the data: the
/// line start is found by searching back only to the previous position, and the line's first
/// non-blank byte is remembered. So 10^6 matches on one 10 MB line cost one pass over the line,
/// not 10^6 searches back to its start. A position before the previous one is answered the
/// slow way (correct, never seen in practice: matches of one rule come in order).
#[derive(Debug, Default, Clone)]
pub struct CommentCursor {
    /// Every byte before this has been looked at.
    at: usize,
    /// Start of the line holding `at`.
    line_start: usize,
    /// First non-blank byte of that line, once found before `at`.
    first: Option<usize>,
}

impl CommentCursor {
    /// Same answer as [`on_comment_line`]`(data, pos)`.
    pub fn on_comment_line(&mut self, data: &[u8], pos: usize) -> bool {
        if pos < self.at {
            return on_comment_line(data, pos);
        }
        let gap_start = self.at;
        if let Some(nl) = memchr::memrchr(b'\n', &data[gap_start..pos]) {
            self.line_start = gap_start + nl + 1;
            self.first = None;
        }
        if self.first.is_none() {
            let from = gap_start.max(self.line_start);
            self.first = data[from..pos]
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\r'))
                .map(|i| from + i);
        }
        self.at = pos;
        let rest = self.first.map_or(&[][..], |f| &data[f..pos]);
        is_comment_marker(rest)
    }
}

fn is_comment_marker(rest: &[u8]) -> bool {
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
            comment: false,
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

    /// Two assignments on one line separated by a space: the first match's trailing context
    /// (a space and a letter) held the second's leading boundary, so every other one was lost.
    #[test]
    fn adjacent_assignments_on_one_line_are_all_found() {
        let rules = crate::rules::builtin().unwrap();
        let (index, rule) = rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.id == "generic.password")
            .unwrap();
        let values = ["Kx9mPw2qZt", "Lr8nQw3sYu", "Mt7pRx4vXw", "Nb6qSy5wVz"];
        let line: Vec<String> = values
            .iter()
            .map(|v| format!("db_password=\"{v}\""))
            .collect();
        let data = line.join(" ");
        let mut out = Vec::new();
        run_rule(index, rule, data.as_bytes(), &mut out);
        let found: Vec<&str> = out
            .iter()
            .map(|m| std::str::from_utf8(&data.as_bytes()[m.secret.clone()]).unwrap())
            .collect();
        assert_eq!(found, values);
    }

    /// Issue 15: a comment line directly above a secret hid it, in every comment style, for
    /// every rule with `skip_comments`: the pattern's boundary consumed the newline, so the
    /// comment check looked at the line before.
    #[test]
    fn issue_15_a_comment_line_above_does_not_hide_a_secret() {
        let rules = crate::rules::builtin().unwrap();
        let skipping: Vec<&Rule> = rules.iter().filter(|r| r.skip_comments).collect();
        assert!(skipping.len() >= 2, "generic rules skip comments");
        for (above, line) in [
            ("# Database", "DB_PASSWORD=Zq8vLm2pXr9tKw4n"), // sprawl:allow (test value)
            ("# database:", "  password: Zq8vLm2pXr9tKw4n"), // sprawl:allow (test value)
            ("// the key", "const apiKey = \"Zq8vLm2pXr9tKw4nHs5c\";"), // sprawl:allow (test)
            ("-- login", "password = 'Zq8vLm2pXr9tKw4n'"),  // sprawl:allow (test value)
            (" * docs", "secret_token: Zq8vLm2pXr9tKw4nHs5c"), // sprawl:allow (test value)
        ] {
            let alone = found(&skipping, line);
            assert!(!alone.is_empty(), "no rule finds {line:?} at all");
            let text = format!("{above}\n{line}\n");
            assert_eq!(found(&skipping, &text), alone, "{above:?} above {line:?}");
            // A commented-out secret is still skipped.
            let commented = format!("{above}\n# {line}\n");
            assert!(found(&skipping, &commented).is_empty(), "{commented:?}");
        }
    }

    fn found(rules: &[&Rule], text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            run_rule(i, r, text.as_bytes(), &mut out);
        }
        let mut got: Vec<String> = out
            .iter()
            .map(|m| String::from_utf8_lossy(&text.as_bytes()[m.secret.clone()]).into_owned())
            .collect();
        got.sort();
        got.dedup();
        got
    }

    /// The cursor answers like the stateless check, for increasing positions and for the odd
    /// one going back.
    #[test]
    fn comment_cursor_agrees_with_the_definition() {
        let data = b"a = 1\n  # key = x\n// y\n * z\n-- w\nv = 2 # not\n\t\r  #\n   \n/\n";
        let mut seed = 11u64;
        for _ in 0..200 {
            let mut cursor = CommentCursor::default();
            let mut pos = 0;
            while pos <= data.len() {
                assert_eq!(
                    cursor.on_comment_line(data, pos),
                    on_comment_line(data, pos),
                    "at {pos}"
                );
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                let step = (seed >> 60) as usize;
                // Now and then a step back.
                pos = if step == 15 { pos / 2 } else { pos + step };
            }
        }
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
