//! The process environment as `source::workstation` writes it: `NAME=value` lines, a value
//! that spans lines (a PEM key) continuing until the next line that starts a variable. Each
//! value is a context span named by its variable, so a hit says which variable holds it; the
//! rules themselves see `NAME=value`, the way they see a dotenv line.

use super::{Decoded, lines};

/// Decode an environment blob.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let mut current: Option<(String, usize, usize)> = None;
    for line in lines(data) {
        let text = &data[line.clone()];
        let name_len = text
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
            .filter(|&n| n > 0 && text[n] == b'=' && !text[0].is_ascii_digit());
        match name_len {
            Some(n) => {
                if let Some((name, start, end)) = current.take() {
                    out.spans.push((start..end, name));
                }
                let name = String::from_utf8_lossy(&text[..n]).into_owned();
                current = Some((name, line.start + n + 1, line.end));
            }
            None => {
                if let Some(c) = current.as_mut() {
                    c.2 = line.end;
                }
            }
        }
    }
    if let Some((name, start, end)) = current {
        out.spans.push((start..end, name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_and_multiline_values() {
        let data = "A_TOKEN=abc\nKEY=-----BEGIN X-----\nAAAA\n-----END X-----\nZ=1\n";
        let d = decode(data.as_bytes());
        let got: Vec<_> = d
            .spans
            .iter()
            .map(|(r, n)| (&data[r.clone()], n.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("abc", "A_TOKEN"),
                ("-----BEGIN X-----\nAAAA\n-----END X-----", "KEY"),
                ("1", "Z")
            ]
        );
    }
}
