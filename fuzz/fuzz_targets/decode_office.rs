//! Fuzz target: OOXML and ODF documents (zips): shared strings, sheets, text runs, ODF tables, then the recursive scan as `fuzz.xlsx`. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sprawl::detect::{Detector, Scratch};
use sprawl::scan::{Counters, Engine};
use sprawl::source::decode::Limits;
use sprawl::source::{Location, SourceKind};

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| Detector::new(sprawl::rules::builtin().expect("built-in rules load")))
}

/// The whole path: format chosen by `name`, decoders, recursion, caps, position mapping.
fn scan(data: &[u8], name: &str) {
    let stats = Counters::default();
    let mut engine = Engine::new(detector(), &stats);
    // Small caps keep each run fast; the caps themselves are what is being exercised.
    engine.limits = Limits {
        max_decompressed: 8 << 20,
        max_members: 256,
        ..Limits::default()
    };
    let origin = Location::input("fuzz", name, SourceKind::File);
    let mut scratch = Scratch::default();
    for hit in engine.scan_bytes(data, &origin, &mut scratch) {
        assert!(hit.location.line >= 1 && hit.location.column >= 1);
    }
}

use sprawl::source::decode::archive::{self, Budget, Kind};

/// One archive level directly, with small caps so the limits are reached often.
fn expand(data: &[u8], kind: Kind, name: &str) {
    let budget = Budget::new(1 << 20);
    let mut members = 0usize;
    let _ = archive::expand(kind, data, name, 64, &budget, &mut |m| {
        members += 1;
        assert!(m.data.len() <= 1 << 20);
    });
    assert!(members <= 64 || kind.is_stream());
}

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
