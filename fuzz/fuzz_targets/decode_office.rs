//! Fuzz target: OOXML and ODF documents (zips): shared strings, sheets, text runs, ODF tables, then the recursive scan as `fuzz.xlsx`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::{expand, scan};
use sprawl::source::decode::archive::Kind;

/// A stored (uncompressed) zip of `parts`, so the fuzzer's bytes reach the XML readers as is.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        if w.start_file(*name, opts).is_err() || w.write_all(data).is_err() {
            return Vec::new();
        }
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    // The input as a document (a seed that is a whole .xlsx/.docx/.ods) ...
    expand(data, Kind::Zip, "fuzz.xlsx");
    scan(data, "fuzz.xlsx");
    // ... and as the XML parts of each kind, split at the first NUL.
    let (a, b) = match data.iter().position(|&c| c == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let types: &[u8] = b"<Types/>";
    let docs = [
        zip_of(&[
            ("[Content_Types].xml", types),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/sharedStrings.xml", a),
            ("xl/worksheets/sheet1.xml", b),
        ]),
        zip_of(&[("[Content_Types].xml", types), ("word/document.xml", a), ("word/footer1.xml", b)]),
        zip_of(&[("[Content_Types].xml", types), ("ppt/presentation.xml", types), ("ppt/slides/slide1.xml", a)]),
        zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", a)]),
        zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b)]),
    ];
    for doc in &docs {
        expand(doc, Kind::Zip, "fuzz.xlsx");
    }
    scan(&docs[0], "fuzz.xlsx");
});
