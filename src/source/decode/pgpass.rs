//! `.pgpass`: `hostname:port:database:username:password` lines, `\:` and `\\` escapes, `#`
//! comments. Each password is field `pgpass.password` with context `host:port:database:user`.

use super::{Anchor, Decoded, Derived, Mapped, lines};

/// Decode a `.pgpass` file.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    for line in lines(data) {
        if line.is_empty() || data[line.start] == b'#' {
            continue;
        }
        // Split on unescaped colons: the password is everything after the fourth.
        let mut colons = Vec::new();
        let mut j = line.start;
        while j < line.end && colons.len() < 4 {
            match data[j] {
                b'\\' => j += 2,
                b':' => {
                    colons.push(j);
                    j += 1;
                }
                _ => j += 1,
            }
        }
        if colons.len() < 4 || colons[3] + 1 >= line.end {
            continue;
        }
        let context = String::from_utf8_lossy(&data[line.start..colons[3]]).into_owned();
        let range = colons[3] + 1..line.end;
        let value = unescape(data, range.clone());
        let d = Derived::new(value.text, Anchor::Map(value.map));
        out.derived
            .push(d.field("pgpass.password").context(context.clone()));
        out.spans.push((range, context));
    }
    out
}

fn unescape(data: &[u8], range: std::ops::Range<usize>) -> Mapped {
    let mut out = Mapped::default();
    let mut run = range.start;
    let mut j = range.start;
    while j < range.end {
        if data[j] == b'\\' && j + 1 < range.end {
            out.push(&data[run..j], run);
            out.push(&data[j + 1..j + 2], j);
            j += 2;
            run = j;
        } else {
            j += 1;
        }
    }
    out.push(&data[run..range.end], run);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_with_escapes() {
        let text = b"# local\ndb.example:5432:app:bob:S3cr\\:et\n*:*:*:alice:pw\nbad:line\n";
        let d = decode(text);
        let got: Vec<_> = d
            .derived
            .iter()
            .map(|x| (x.data.as_slice(), x.context.as_deref().unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![
                (&b"S3cr:et"[..], "db.example:5432:app:bob"),
                (b"pw", "*:*:*:alice")
            ]
        );
        let at = d.derived[0].anchor.map(0).unwrap();
        assert_eq!(&text[at..at + 4], b"S3cr");
    }
}
