//! `.netrc` / `_netrc`: whitespace-separated tokens `machine NAME`, `default`, `login USER`,
//! `password PASS`, `account ACCT`, `macdef NAME` (a macro body up to the next blank line).
//!
//! Each `password` value is field `netrc.password`, located exactly, with context
//! `machine NAME login USER` (whichever of those the entry has).

use std::ops::Range;

use super::{Anchor, Decoded, Derived};

/// Decode a netrc file.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let tokens = tokens(data);
    let mut machine: Option<String> = None;
    let mut login: Option<String> = None;
    let mut pending: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let word = &data[tokens[i].clone()];
        let arg = tokens.get(i + 1).cloned();
        let text = |r: &Range<usize>| String::from_utf8_lossy(&data[r.clone()]).into_owned();
        match word {
            b"machine" | b"default" => {
                flush(data, &machine, &login, &mut pending, &mut out);
                login = None;
                if word == b"machine" {
                    machine = arg.as_ref().map(text);
                    i += 1;
                } else {
                    machine = None;
                }
            }
            b"login" => {
                login = arg.as_ref().map(text);
                i += 1;
            }
            b"password" => {
                pending.extend(arg);
                i += 1;
            }
            b"account" => i += 1,
            b"macdef" => {
                // The macro body runs to the next blank line; skip its tokens.
                let body_from = arg.as_ref().map_or(tokens[i].end, |r| r.end);
                let end = memchr::memmem::find(&data[body_from..], b"\n\n")
                    .map_or(data.len(), |n| body_from + n);
                while i + 1 < tokens.len() && tokens[i + 1].start < end {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    flush(data, &machine, &login, &mut pending, &mut out);
    out
}

/// Report the passwords of the entry that just ended.
fn flush(
    data: &[u8],
    machine: &Option<String>,
    login: &Option<String>,
    pending: &mut Vec<Range<usize>>,
    out: &mut Decoded,
) {
    let mut context = match machine {
        Some(m) => format!("machine {m}"),
        None => "default".to_string(),
    };
    if let Some(l) = login {
        context.push_str(&format!(" login {l}"));
    }
    for range in pending.drain(..) {
        let d = Derived::new(
            data[range.clone()].to_vec(),
            Anchor::Map(vec![(0, range.start)]),
        );
        out.derived
            .push(d.field("netrc.password").context(context.clone()));
        out.spans.push((range, context.clone()));
    }
}

/// Whitespace-separated tokens; a token starting with `"` runs to the closing quote.
fn tokens(data: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() {
        if data[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if data[i] == b'#' && (i == 0 || data[i - 1] == b'\n') {
            i = memchr::memchr(b'\n', &data[i..]).map_or(data.len(), |n| i + n);
            continue;
        }
        if data[i] == b'"' {
            let end = memchr::memchr(b'"', &data[i + 1..]).map_or(data.len(), |n| i + 1 + n);
            out.push(i + 1..end);
            i = end + 1;
            continue;
        }
        let start = i;
        while i < data.len() && !data[i].is_ascii_whitespace() {
            i += 1;
        }
        out.push(start..i);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_on_one_or_many_lines() {
        let text = b"# creds\nmachine a.example login bob password Pw1\nmachine b.example\n  password \"two words\"\n  login carol\nmacdef init\npassword nope\n\ndefault login anon password Pw3\n";
        let d = decode(text);
        let got: Vec<_> = d
            .derived
            .iter()
            .map(|x| (x.data.as_slice(), x.context.as_deref().unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                (&b"Pw1"[..], "machine a.example login bob"),
                (b"two words", "machine b.example login carol"),
                (b"Pw3", "default login anon"),
            ]
        );
        let at = d.derived[0].anchor.map(0).unwrap();
        assert_eq!(&text[at..at + 3], b"Pw1");
    }
}
