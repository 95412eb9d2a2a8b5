//! A thin walk over XML events for the document readers: element starts and ends by local name
//! (namespace prefixes dropped), text with entity and character references resolved. quick-xml
//! is a pull parser that never expands DTD entities, so a document cannot grow in the parse.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

/// One event.
pub(super) enum Ev<'a> {
    /// An element starts (an empty element is a start, then an end).
    Start(&'a BytesStart<'a>),
    /// An element ends: its local name.
    End(&'a str),
    /// Text (a text node, CDATA, or a resolved reference).
    Text(&'a str),
}

/// The local name of an element.
pub(super) fn local<'a>(e: &'a BytesStart<'a>) -> &'a str {
    let name = e.name().0;
    name.rsplit(':').next().unwrap_or(name)
}

/// The value of attribute `name` (matched by local name), unescaped.
pub(super) fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        let key = a.key.0;
        let key = key.rsplit(':').next().unwrap_or(key);
        (key == name).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(Cow::into_owned)
                .unwrap_or_else(|_| a.value.into_owned())
        })
    })
}

/// Walk `xml`, calling `f` for each event. Stops at the first syntax error, which it returns
/// (what was walked before it stands).
pub(super) fn walk(xml: &[u8], f: &mut dyn FnMut(Ev)) -> Result<(), String> {
    let text = String::from_utf8_lossy(xml);
    let mut reader = quick_xml::Reader::from_str(&text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => f(Ev::Start(&e)),
            Ok(Event::Empty(e)) => {
                f(Ev::Start(&e));
                f(Ev::End(local(&e)));
            }
            Ok(Event::End(e)) => {
                let name = e.name().0;
                f(Ev::End(name.rsplit(':').next().unwrap_or(name)));
            }
            Ok(Event::Text(t)) => f(Ev::Text(&t.xml10_content())),
            Ok(Event::CData(t)) => f(Ev::Text(&t.xml10_content())),
            Ok(Event::GeneralRef(r)) => {
                let resolved: Option<String> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => match &*r.xml10_content() {
                        "amp" => Some("&".into()),
                        "lt" => Some("<".into()),
                        "gt" => Some(">".into()),
                        "quot" => Some("\"".into()),
                        "apos" => Some("'".into()),
                        _ => None,
                    },
                };
                if let Some(s) = resolved {
                    f(Ev::Text(&s));
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("{e} at byte {}", reader.error_position())),
        }
    }
}

/// `0` -> `A`, `25` -> `Z`, `26` -> `AA`: a spreadsheet column name.
pub(super) fn column_name(mut index: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }

    #[test]
    fn text_with_references() {
        let mut got = String::new();
        walk(b"<a>x &amp; &#x41;<![CDATA[<y>]]></a>", &mut |e| {
            if let Ev::Text(t) = e {
                got.push_str(t);
            }
        })
        .unwrap();
        assert_eq!(got, "x & A<y>");
    }
}
