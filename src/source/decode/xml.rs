//! A small XML reader for config stores (FileZilla, JetBrains, Maven, NuGet, .NET, Tomcat): a
//! flat list of elements, each with its name, parent, attributes and first text run, all as byte
//! ranges into the file so a value decoded from it can be located exactly.
//!
//! It only reads and never fails loudly: comments, processing instructions, `DOCTYPE` and
//! `CDATA` are understood; a tag left open or closed out of order is tolerated the way a browser
//! would (a close tag pops back to its match); nesting deeper than [`MAX_NESTING`] or a `<`
//! that never closes gives `None`, and the caller scans the file as text. One pass, linear in
//! the input (each close tag looks at most [`MAX_NESTING`] levels up).

use std::ops::Range;

use super::Mapped;

/// Deepest element nesting accepted.
pub const MAX_NESTING: usize = 128;

/// One element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The tag name as written (a namespace prefix included).
    pub name: String,
    /// Index of the enclosing element.
    pub parent: Option<usize>,
    /// Attributes: name, and the raw value's range (quotes excluded, entities not decoded).
    pub attrs: Vec<(String, Range<usize>)>,
    /// The first non-blank text run directly inside, trimmed (entities not decoded).
    pub text: Option<Range<usize>>,
    /// Whether `text` came from a `CDATA` section (no entities to decode).
    pub cdata: bool,
    /// Indices of the child elements, in order.
    pub children: Vec<usize>,
}

impl Element {
    /// The raw range of attribute `name` (ASCII case-insensitive).
    pub fn attr(&self, name: &str) -> Option<Range<usize>> {
        self.attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, r)| r.clone())
    }
}

/// The elements of a document, or `None` if it is not XML enough to read.
pub fn parse(data: &[u8]) -> Option<Vec<Element>> {
    let mut out: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < data.len() {
        let Some(lt) = memchr::memchr(b'<', &data[i..]).map(|n| i + n) else {
            text(data, i..data.len(), &stack, &mut out, false);
            break;
        };
        text(data, i..lt, &stack, &mut out, false);
        let rest = &data[lt..];
        if rest.starts_with(b"<!--") {
            i = find(data, lt + 4, b"-->")? + 3;
        } else if rest.starts_with(b"<![CDATA[") {
            let end = find(data, lt + 9, b"]]>")?;
            text(data, lt + 9..end, &stack, &mut out, true);
            i = end + 3;
        } else if rest.starts_with(b"<?") {
            i = find(data, lt + 2, b"?>")? + 2;
        } else if rest.starts_with(b"<!") {
            i = declaration_end(data, lt + 2)?;
        } else if rest.starts_with(b"</") {
            let gt = find(data, lt + 2, b">")?;
            let name = trim_ascii(&data[lt + 2..gt]);
            if let Some(depth) = stack
                .iter()
                .rev()
                .take(MAX_NESTING)
                .position(|&e| out[e].name.as_bytes() == name)
            {
                stack.truncate(stack.len() - depth - 1);
            }
            i = gt + 1;
        } else {
            let (element, end, self_closing) = open_tag(data, lt + 1)?;
            let index = out.len();
            let parent = stack.last().copied();
            if let Some(p) = parent {
                out[p].children.push(index);
            }
            out.push(Element { parent, ..element });
            if !self_closing {
                if stack.len() >= MAX_NESTING {
                    return None;
                }
                stack.push(index);
            }
            i = end;
        }
    }
    Some(out)
}

/// Record a text run as the current element's text, if it is its first non-blank one.
fn text(data: &[u8], range: Range<usize>, stack: &[usize], out: &mut [Element], cdata: bool) {
    let Some(&top) = stack.last() else {
        return;
    };
    let trimmed = super::trim(data, range);
    if out[top].text.is_none() && (!trimmed.is_empty() || cdata) {
        out[top].text = Some(trimmed);
        out[top].cdata = cdata;
    }
}

fn find(data: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(data.get(from..)?, needle).map(|n| from + n)
}

/// The end of `<!DOCTYPE ...>` (with an internal subset in `[...]`) or another declaration.
fn declaration_end(data: &[u8], from: usize) -> Option<usize> {
    let gt = find(data, from, b">")?;
    match memchr::memchr(b'[', &data[from..gt]) {
        Some(open) => {
            let close = find(data, from + open, b"]")?;
            Some(find(data, close, b">")? + 1)
        }
        None => Some(gt + 1),
    }
}

fn trim_ascii(s: &[u8]) -> &[u8] {
    let start = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end]
}

fn is_name_byte(b: u8) -> bool {
    !b.is_ascii_whitespace() && !matches!(b, b'>' | b'/' | b'=' | b'<' | b'"' | b'\'')
}

/// An open tag starting after its `<`: the element, the offset after its `>`, and whether it
/// closed itself (`/>`).
fn open_tag(data: &[u8], from: usize) -> Option<(Element, usize, bool)> {
    let mut i = from;
    while i < data.len() && is_name_byte(data[i]) {
        i += 1;
    }
    if i == from {
        return None;
    }
    let mut element = Element {
        name: String::from_utf8_lossy(&data[from..i]).into_owned(),
        parent: None,
        attrs: Vec::new(),
        text: None,
        cdata: false,
        children: Vec::new(),
    };
    loop {
        while i < data.len() && data[i].is_ascii_whitespace() {
            i += 1;
        }
        match data.get(i)? {
            b'>' => return Some((element, i + 1, false)),
            b'/' if data.get(i + 1) == Some(&b'>') => return Some((element, i + 2, true)),
            b'<' => return None,
            _ => {}
        }
        let name_start = i;
        while i < data.len() && is_name_byte(data[i]) {
            i += 1;
        }
        if i == name_start {
            // A stray byte (`/` not before `>`, `=` without a name): skip it.
            i += 1;
            continue;
        }
        let name = String::from_utf8_lossy(&data[name_start..i]).into_owned();
        while i < data.len() && data[i].is_ascii_whitespace() {
            i += 1;
        }
        if data.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < data.len() && data[i].is_ascii_whitespace() {
            i += 1;
        }
        let quote = *data.get(i)?;
        if quote == b'"' || quote == b'\'' {
            let end = memchr::memchr(quote, &data[i + 1..]).map(|n| i + 1 + n)?;
            element.attrs.push((name, i + 1..end));
            i = end + 1;
        } else {
            let start = i;
            while i < data.len() && is_name_byte(data[i]) {
                i += 1;
            }
            element.attrs.push((name, start..i));
        }
    }
}

/// The text at `range` with XML entities decoded (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`,
/// `&#N;`, `&#xN;`), with a breakpoint around each so offsets map back exactly. An unknown or
/// unterminated entity is kept as written.
pub fn unescape(data: &[u8], range: Range<usize>) -> Mapped {
    let mut out = Mapped::default();
    let mut run = range.start;
    let mut i = range.start;
    while let Some(amp) = memchr::memchr(b'&', &data[i..range.end]).map(|n| i + n) {
        let semi = data[amp..range.end.min(amp + 12)]
            .iter()
            .position(|&b| b == b';')
            .map(|n| amp + n);
        let decoded = semi.and_then(|s| entity(&data[amp + 1..s]));
        match (semi, decoded) {
            (Some(s), Some(ch)) => {
                out.push(&data[run..amp], run);
                let mut buf = [0u8; 4];
                out.push(ch.encode_utf8(&mut buf).as_bytes(), amp);
                i = s + 1;
                run = i;
            }
            _ => i = amp + 1,
        }
    }
    out.push(&data[run..range.end], run);
    out
}

fn entity(name: &[u8]) -> Option<char> {
    match name {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32),
        [b'#', dec @ ..] => std::str::from_utf8(dec)
            .ok()
            .and_then(|d| d.parse::<u32>().ok())
            .and_then(char::from_u32),
        _ => None,
    }
}

/// The decoded text of an element (entities decoded unless it was `CDATA`), or `None` if empty.
pub fn text_of(data: &[u8], e: &Element) -> Option<Mapped> {
    let range = e.text.clone().filter(|r| !r.is_empty())?;
    Some(if e.cdata {
        let mut m = Mapped::default();
        m.push(&data[range.clone()], range.start);
        m
    } else {
        unescape(data, range)
    })
}

/// The decoded value of attribute `name`, or `None` if absent or empty.
pub fn attr_of(data: &[u8], e: &Element, name: &str) -> Option<Mapped> {
    let range = e.attr(name).filter(|r| !r.is_empty())?;
    Some(unescape(data, range))
}

/// Children looked at by [`child_text`]: a label needs a sibling such as `<Host>`, and a hostile
/// file with 100,000 `<Pass>` siblings must not cost every one of them a pass over the others.
pub const MAX_CHILDREN_SEARCHED: usize = 256;

/// Longest text [`child_text`] returns, for labels (the label is clipped later anyway).
const MAX_LABEL_TEXT: usize = 512;

/// The decoded text (at most about 512 bytes of it) of the first child of `parent` named `name`
/// (ASCII case-insensitive) among its first [`MAX_CHILDREN_SEARCHED`] children.
pub fn child_text(data: &[u8], elements: &[Element], parent: usize, name: &str) -> Option<String> {
    let e = elements[parent]
        .children
        .iter()
        .take(MAX_CHILDREN_SEARCHED)
        .map(|&c| &elements[c])
        .find(|c| c.name.eq_ignore_ascii_case(name))?;
    let range = e.text.clone().filter(|r| !r.is_empty())?;
    let short = range.start..range.end.min(range.start + MAX_LABEL_TEXT);
    Some(String::from_utf8_lossy(&unescape(data, short).text).into_owned())
}

/// The decoded value (at most about 512 bytes of it) of attribute `name`, for labels.
pub fn attr_label(data: &[u8], e: &Element, name: &str) -> Option<String> {
    let range = e.attr(name).filter(|r| !r.is_empty())?;
    let short = range.start..range.end.min(range.start + MAX_LABEL_TEXT);
    Some(String::from_utf8_lossy(&unescape(data, short).text).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::decode::Anchor;

    #[test]
    fn elements_attributes_and_text() {
        let doc = br#"<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY e "v"> ]>
<!-- <user password="in a comment"/> -->
<a k='1' flag>
  <b x="a&amp;b">  t&lt;1 </b>
  <c/><d><![CDATA[raw & <x>]]></d>
</a>"#;
        let e = parse(doc).unwrap();
        let names: Vec<_> = e.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        assert_eq!(e[0].children, [1, 2, 3]);
        assert_eq!(e[1].parent, Some(0));
        assert_eq!(&doc[e[0].attr("K").unwrap()], b"1");
        let v = attr_of(doc, &e[1], "x").unwrap();
        assert_eq!(v.text, b"a&b");
        let t = text_of(doc, &e[1]).unwrap();
        assert_eq!(t.text, b"t<1");
        let at = Anchor::Map(t.map).map(2).unwrap();
        assert_eq!(doc[at], b'1');
        assert_eq!(text_of(doc, &e[3]).unwrap().text, b"raw & <x>");
        assert_eq!(child_text(doc, &e, 0, "B").as_deref(), Some("t<1"));
    }

    #[test]
    fn tolerant_and_bounded() {
        // Unclosed and misnested tags are read; an unterminated tag or comment is not XML.
        let e = parse(b"<a><b>1</a><c>2").unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(e[2].parent, None);
        assert!(parse(b"<a x=\"1").is_none());
        assert!(parse(b"<!-- open").is_none());
        let deep = "<a>".repeat(MAX_NESTING + 1);
        assert!(parse(deep.as_bytes()).is_none());
        let many = "</a>".repeat(10_000) + &"<a>".repeat(100);
        assert_eq!(parse(many.as_bytes()).unwrap().len(), 100);
        assert_eq!(unescape(b"&bogus; &#x41;&#66;", 0..19).text, b"&bogus; AB");
    }
}
