//! A small JSON reader that keeps the byte span of every string, so values decoded from JSON
//! config stores (docker, Terraform state, notebooks) can be located exactly in the file.
//!
//! It only reads; it never fails loudly: malformed input (or nesting deeper than
//! [`MAX_NESTING`]) gives `None` and the caller falls back to scanning the text as it is.

use std::ops::Range;

use super::Mapped;

/// Deepest nesting accepted (no real config store comes close; a hostile file cannot overflow
/// the stack).
pub const MAX_NESTING: usize = 128;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// An object, members in file order.
    Object(Vec<(JStr, Json)>),
    /// An array.
    Array(Vec<Json>),
    /// A string.
    Str(JStr),
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Num(f64),
    /// `null`.
    Null,
}

/// A string with where it sits in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct JStr {
    /// The unescaped value (lossy for invalid escapes).
    pub text: String,
    /// The literal's byte range in the file, quotes included.
    pub span: Range<usize>,
}

impl JStr {
    /// Byte offset of the first character inside the quotes.
    pub fn start(&self) -> usize {
        self.span.start + 1
    }

    /// The range inside the quotes.
    pub fn inner(&self) -> Range<usize> {
        self.span.start + 1..self.span.end.saturating_sub(1).max(self.span.start + 1)
    }

    /// The unescaped value with a map back to file offsets (exact around each escape).
    pub fn mapped(&self, file: &[u8]) -> Mapped {
        unescape(file, self.inner())
    }
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k.text == key).map(|m| &m.1),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&JStr> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> &[Json] {
        match self {
            Json::Array(items) => items,
            _ => &[],
        }
    }

    /// The members, if this is an object.
    pub fn members(&self) -> &[(JStr, Json)] {
        match self {
            Json::Object(members) => members,
            _ => &[],
        }
    }
}

/// Parse a whole document (a UTF-8 byte-order mark is allowed).
pub fn parse(data: &[u8]) -> Option<Json> {
    let mut p = Parser { data, pos: 0 };
    if data.starts_with(b"\xEF\xBB\xBF") {
        p.pos = 3;
    }
    let value = p.value(0)?;
    p.ws();
    (p.pos == data.len()).then_some(value)
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.pos < self.data.len()
            && matches!(self.data[self.pos], b' ' | b'\t' | b'\n' | b'\r')
        {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        if self.data.get(self.pos) == Some(&b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_NESTING {
            return None;
        }
        self.ws();
        match *self.data.get(self.pos)? {
            b'{' => {
                self.pos += 1;
                let mut members = Vec::new();
                if self.eat(b'}') {
                    return Some(Json::Object(members));
                }
                loop {
                    self.ws();
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    members.push((key, self.value(depth + 1)?));
                    if self.eat(b'}') {
                        return Some(Json::Object(members));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b']') {
                        return Some(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'"' => self.string().map(Json::Str),
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let start = self.pos;
                while self.pos < self.data.len()
                    && matches!(self.data[self.pos], b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'E')
                {
                    self.pos += 1;
                }
                match &self.data[start..self.pos] {
                    b"true" => Some(Json::Bool(true)),
                    b"false" => Some(Json::Bool(false)),
                    b"null" => Some(Json::Null),
                    word => std::str::from_utf8(word)
                        .ok()
                        .and_then(|w| w.parse::<f64>().ok())
                        .map(Json::Num),
                }
            }
            _ => None,
        }
    }

    fn string(&mut self) -> Option<JStr> {
        if self.data.get(self.pos) != Some(&b'"') {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let mut escaped = false;
        loop {
            let i = memchr::memchr2(b'"', b'\\', &self.data[self.pos..])?;
            self.pos += i;
            if self.data[self.pos] == b'\\' {
                escaped = true;
                self.pos += 2;
                if self.pos > self.data.len() {
                    return None;
                }
            } else {
                self.pos += 1;
                break;
            }
        }
        let span = start..self.pos;
        let inner = &self.data[start + 1..self.pos - 1];
        let text = if escaped {
            String::from_utf8_lossy(&unescape(self.data, start + 1..self.pos - 1).text).into_owned()
        } else {
            String::from_utf8_lossy(inner).into_owned()
        };
        Some(JStr { text, span })
    }
}

/// Unescape the JSON string content at `range` of `file`, keeping a breakpoint before and after
/// every escape so offsets map back exactly.
pub fn unescape(file: &[u8], range: Range<usize>) -> Mapped {
    let raw = &file[range.clone()];
    let mut out = Mapped::default();
    let mut run = 0;
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push(&raw[run..i], range.start + run);
        let (bytes, len) = escape(&raw[i..]);
        out.push(&bytes, range.start + i);
        i += len;
        run = i;
    }
    out.push(&raw[run..], range.start + run);
    out
}

/// Decode one escape at the start of `s` (which begins with `\`): the bytes and the length used.
fn escape(s: &[u8]) -> (Vec<u8>, usize) {
    let simple = |b: u8| (vec![b], 2);
    match s.get(1) {
        Some(b'n') => simple(b'\n'),
        Some(b't') => simple(b'\t'),
        Some(b'r') => simple(b'\r'),
        Some(b'b') => simple(8),
        Some(b'f') => simple(12),
        Some(b'u') => {
            let hex = |at: usize| {
                s.get(at..at + 4)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            };
            let Some(hi) = hex(2) else {
                return (vec![b'\\'], 1);
            };
            let (c, len) = if (0xD800..0xDC00).contains(&hi) && s.get(6..8) == Some(b"\\u") {
                match hex(8) {
                    Some(lo) if (0xDC00..0xE000).contains(&lo) => {
                        (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), 12)
                    }
                    _ => (0xFFFD, 6),
                }
            } else {
                (hi, 6)
            };
            let ch = char::from_u32(c).unwrap_or('\u{FFFD}');
            (ch.to_string().into_bytes(), len)
        }
        Some(&b) => simple(b),
        None => (vec![b'\\'], 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decode::Anchor;

    #[test]
    fn spans_and_lookups() {
        let doc = br#"{"auths": {"r.io": {"auth": "dXM="}}, "n": [1, true, null, -2.5e3]}"#;
        let j = parse(doc).unwrap();
        let auth = j
            .get("auths")
            .unwrap()
            .get("r.io")
            .unwrap()
            .get("auth")
            .unwrap();
        let s = auth.as_str().unwrap();
        assert_eq!(s.text, "dXM=");
        assert_eq!(&doc[s.inner()], b"dXM=");
        assert_eq!(j.get("n").unwrap().as_array().len(), 4);
    }

    #[test]
    fn escapes_map_back_exactly() {
        let doc = br#"["a\"b\nTOKEN \u00e9x"]"#;
        let j = parse(doc).unwrap();
        let s = j.as_array()[0].as_str().unwrap();
        assert_eq!(s.text, "a\"b\nTOKEN \u{e9}x");
        let m = s.mapped(doc);
        let t = m.text.iter().position(|&b| b == b'T').unwrap();
        let at = Anchor::Map(m.map).map(t).unwrap();
        assert_eq!(&doc[at..at + 5], b"TOKEN");
    }

    #[test]
    fn malformed_is_none() {
        for bad in [&b"{"[..], b"{\"a\" 1}", b"[1,]", b"\"open", b"{} x", b"nul"] {
            assert!(parse(bad).is_none(), "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = "[".repeat(10_000);
        assert!(parse(deep.as_bytes()).is_none());
    }
}
