//! Office documents, which are zips: OOXML (`.xlsx`, `.docx`, `.pptx`) and ODF (`.ods`, `.odt`,
//! `.odp`). Their text parts are read as text in reading order, so a value the editor split
//! across XML runs (`<w:r>`, `<text:span>`) is one string again, and handed on as members:
//!
//! - a sheet: one line per row, cells separated by tabs, each cell's range labelled `cell B7`;
//!   stepped `xlsx:<sheet>` / `ods:<sheet>`;
//! - a text part: one line per paragraph (a table row is one line, its cells separated by tabs);
//!   stepped `docx:document` (also `header1`, `footnotes`, `comments`, ...), `pptx:slide 3`,
//!   `pptx:notes 3`, `odt:content`.
//!
//! The XML parts read this way are not scanned again as XML; every other member of the zip
//! (embedded files, custom XML, media) is. Extracted text is charged to the budget like inflated
//! bytes (a sheet can refer to one long shared string a million times).

use std::collections::HashSet;
use std::io::Cursor;
use std::ops::Range;

use super::zip::read_member;
use super::{Member, Out, malformed};

mod flow;
mod odf;
mod ooxml;
mod xml;

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Text extracted from a document part, with labelled ranges.
#[derive(Debug, Default)]
pub(super) struct Text {
    /// The text.
    pub data: String,
    /// Context labels of ranges (spreadsheet cells).
    pub spans: Vec<(Range<usize>, String)>,
}

/// Read the text parts of `archive` if it is an office document; the indices of the members
/// read (to skip as members). Not a document: nothing read, an empty set.
pub(super) fn read(archive: &mut Zip, names: &[String], out: &mut Out) -> HashSet<usize> {
    let mut reader = Reader {
        archive,
        names,
        taken: HashSet::new(),
    };
    let has = |n: &str| names.iter().any(|m| m == n);
    if has("[Content_Types].xml") {
        if has("xl/workbook.xml") {
            ooxml::xlsx(&mut reader, out);
        } else if has("word/document.xml") {
            ooxml::docx(&mut reader, out);
        } else if has("ppt/presentation.xml") {
            ooxml::pptx(&mut reader, out);
        }
    } else if has("mimetype") && has("content.xml") {
        odf::read(&mut reader, out);
    }
    reader.taken
}

/// Member access for the document readers.
pub(super) struct Reader<'r, 'a> {
    archive: &'r mut Zip<'a>,
    names: &'r [String],
    taken: HashSet<usize>,
}

impl Reader<'_, '_> {
    /// The index of member `name`.
    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Member names matching `keep`, with their indices.
    fn matching(&self, keep: &dyn Fn(&str) -> bool) -> Vec<(usize, String)> {
        self.names
            .iter()
            .enumerate()
            .filter(|(_, n)| keep(n))
            .map(|(i, n)| (i, n.clone()))
            .collect()
    }

    /// Read member `name` (under the budget), marking it taken.
    fn take(&mut self, name: &str, out: &mut Out) -> Option<Vec<u8>> {
        let i = self.index(name)?;
        self.taken.insert(i);
        read_member(self.archive, i, name, out)
    }

    /// Read member `name` without taking it (a part scanned as a member too, such as a
    /// relationship list).
    fn peek(&mut self, name: &str, out: &mut Out) -> Option<Vec<u8>> {
        let i = self.index(name)?;
        read_member(self.archive, i, name, out)
    }
}

/// Hand extracted text on as a member stepped `step`, charging it to the budget.
fn emit(step: String, name: &str, text: Text, out: &mut Out) {
    if text.data.trim().is_empty() || !out.budget.charge(text.data.len(), out.problems) {
        return;
    }
    let mut m = Member::new(step, name.to_string(), text.data.into_bytes());
    m.spans = text.spans;
    (out.visit)(m);
}

/// Walk a part's XML, reporting a syntax error as one problem naming the part.
fn walk(part: &str, xml: &[u8], out: &mut Out, f: &mut dyn FnMut(xml::Ev)) {
    if let Err(e) = xml::walk(xml, f) {
        out.problem(malformed(format!("zip:{part}: corrupt XML: {e}")));
    }
}

/// The number in a part name (`ppt/slides/slide12.xml` -> 12), for reading order.
fn number(name: &str) -> u32 {
    let base = name.rsplit('/').next().unwrap_or(name);
    let digits: String = base.chars().filter(char::is_ascii_digit).take(9).collect();
    digits.parse().unwrap_or(0)
}
