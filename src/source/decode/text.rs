//! Small text helpers the decoders share: lines, trimming, labels, the text test, and
//! `key: value` derived blobs.

use std::ops::Range;

use super::{Anchor, Derived};

/// Lines of `data` as byte ranges, without their `\n` (or `\r\n`).
pub fn lines(data: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |i| start + i);
        let line = start..end;
        start = end + 1;
        let trimmed = if data[..line.end].ends_with(b"\r") {
            line.start..line.end - 1
        } else {
            line
        };
        Some(trimmed)
    })
}

/// Trim ASCII whitespace from both ends of `range` within `data`.
pub fn trim(data: &[u8], range: Range<usize>) -> Range<usize> {
    let (mut s, mut e) = (range.start, range.end);
    while s < e && data[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && data[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    s..e
}

/// Longest context label kept whole: a label names a key path for a person, and a hostile file
/// (a 50 KB registry name over 10,000 entries) must not cost that much per value.
pub const MAX_LABEL: usize = 256;

/// `label`, or its first and last ~[`MAX_LABEL`]/2 bytes around `…` when it is longer.
pub fn clip_label(label: String) -> String {
    if label.len() <= MAX_LABEL {
        return label;
    }
    let mut head = MAX_LABEL / 2;
    while !label.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = label.len() - MAX_LABEL / 2;
    while !label.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{}…{}", &label[..head], &label[tail..])
}

/// True if `data` reads as text worth scanning: valid UTF-8 with no control characters other
/// than tab, CR and LF.
pub fn is_text(data: &[u8]) -> bool {
    std::str::from_utf8(data).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
    })
}

/// `key: value` text for a decoded single-line value, so assignment rules see the key that
/// says what the value is. Offsets of the value part map to `value_at`, the key to `key_at`.
pub fn keyed(key: &str, key_at: usize, value: &[u8], value_anchor: &Anchor) -> Derived {
    let mut text = Vec::with_capacity(key.len() + 2 + value.len());
    text.extend_from_slice(key.as_bytes());
    text.extend_from_slice(b": ");
    let prefix = text.len();
    text.extend_from_slice(value);
    let mut map = vec![(0, key_at)];
    match value_anchor {
        Anchor::Map(points) => map.extend(points.iter().map(|&(d, p)| (d + prefix, p))),
        Anchor::At(at) => map.push((prefix, *at)),
        Anchor::Own => {}
    }
    let anchor = match value_anchor {
        // An opaque value: every hit in it points at the encoded value's start.
        Anchor::At(at) => Anchor::At(*at),
        _ => Anchor::Map(map),
    };
    Derived::new(text, anchor)
}
