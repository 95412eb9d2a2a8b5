//! Office documents and databases (#19): `.xlsx` (shared strings, inline strings, cell
//! references), `.docx` and `.pptx` (text joined across runs), `.ods` and `.odt`, SQLite tables
//! (table, row and column named). Documents are generated here as zips of XML text.

use serde_json::{Value, json};

use crate::decode::{Row, T0, T1, T2, T3, rows, scan, zip_of};
use crate::util::*;

fn at(secret: &str, place: &str, decoded: Value, context: Value) -> Row {
    (
        "test.token".into(),
        sha256(secret),
        place.into(),
        decoded,
        context,
    )
}

/// `T` split in two runs the way an editor does after a formatting change.
fn halves(t: &str) -> (&str, &str) {
    t.split_at(9)
}

const TYPES: &[u8] = b"<?xml version=\"1.0\"?><Types/>";

fn xlsx() -> Vec<u8> {
    let (a, b) = halves(T1);
    let workbook = r#"<workbook xmlns:r="r"><sheets><sheet name="Accounts" sheetId="1" r:id="rId1"/><sheet name="Old" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
    let rels = r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#;
    let strings = format!(
        r#"<sst><si><t>service</t></si><si><t>token</t></si><si><t>{T0}</t></si><si><r><t>{a}</t></r><r><rPr><b/></rPr><t>{b}</t></r><rPh><t>x</t></rPh></si></sst>"#
    );
    let sheet1 = r#"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="7"><c r="A7" t="inlineStr"><is><t>billing</t></is></c><c r="B7" t="s"><v>2</v></c></row></sheetData></worksheet>"#;
    let sheet2 = r#"<worksheet><sheetData><row r="3"><c r="C3" t="s"><v>3</v></c></row></sheetData></worksheet>"#;
    zip_of(&[
        ("[Content_Types].xml", TYPES),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
        ("xl/sharedStrings.xml", strings.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet1.as_bytes()),
        ("xl/worksheets/sheet2.xml", sheet2.as_bytes()),
    ])
}

fn docx() -> Vec<u8> {
    let (a, b) = halves(T2);
    let doc = format!(
        r#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Deployment notes</w:t></w:r></w:p><w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:t xml:space="preserve">token: </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>{a}</w:t></w:r><w:proofErr/><w:r><w:t>{b}</w:t></w:r></w:p></w:body></w:document>"#
    );
    let footer = format!(r#"<w:ftr xmlns:w="w"><w:p><w:r><w:t>ref {T3}</w:t></w:r></w:p></w:ftr>"#);
    zip_of(&[
        ("[Content_Types].xml", TYPES),
        ("word/document.xml", doc.as_bytes()),
        ("word/footer1.xml", footer.as_bytes()),
    ])
}

fn pptx() -> Vec<u8> {
    let (a, b) = halves(T0);
    let slide = |body: &str| {
        format!(
            r#"<p:sld xmlns:p="p" xmlns:a="a"><p:cSld><p:spTree><p:sp><p:txBody>{body}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>"#
        )
    };
    let s1 = slide("<a:p><a:r><a:t>Welcome</a:t></a:r></a:p>");
    let s2 = slide(&format!(
        "<a:p><a:r><a:t>Agenda</a:t></a:r></a:p><a:p><a:r><a:t>key {a}</a:t></a:r><a:r><a:t>{b}</a:t></a:r></a:p>"
    ));
    zip_of(&[
        ("[Content_Types].xml", TYPES),
        ("ppt/presentation.xml", b"<p:presentation xmlns:p=\"p\"/>"),
        ("ppt/slides/slide1.xml", s1.as_bytes()),
        ("ppt/slides/slide2.xml", s2.as_bytes()),
    ])
}

fn odf(kind: &str, content: &str) -> Vec<u8> {
    zip_of(&[
        (
            "mimetype",
            format!("application/vnd.oasis.opendocument.{kind}").as_bytes(),
        ),
        ("content.xml", content.as_bytes()),
    ])
}

#[test]
fn ooxml_text_is_read_in_order_with_runs_joined() {
    let env = TestEnv::new();
    env.write("exports/service-accounts.xlsx", xlsx());
    env.write("docs-out/runbook.docx", docx());
    env.write("slides.pptx", pptx());
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            at(
                T3,
                "docs-out/runbook.docx:1:5",
                json!(["docx:footer1"]),
                Value::Null
            ),
            // Paragraph 2, after `token: `; the value was split over two runs.
            at(
                T2,
                "docs-out/runbook.docx:2:8",
                json!(["docx:document"]),
                Value::Null
            ),
            at(
                T1,
                "exports/service-accounts.xlsx:1:1",
                json!(["xlsx:Old"]),
                json!("cell C3")
            ),
            // Row 7 is the sheet's second row: the cell names it.
            at(
                T0,
                "exports/service-accounts.xlsx:2:9",
                json!(["xlsx:Accounts"]),
                json!("cell B7")
            ),
            at(T0, "slides.pptx:2:5", json!(["pptx:slide 2"]), Value::Null),
        ]
    );
    // The XML parts are read as text only, not again as XML members.
    assert_eq!(doc["findings"].as_array().unwrap().len(), 4);
    assert_eq!(doc["issues"], json!([]));
}

#[test]
fn odf_sheets_name_cells_and_text_joins_spans() {
    let env = TestEnv::new();
    let (a, b) = halves(T1);
    let ods = format!(
        r#"<office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="Keys"><table:table-row><table:table-cell><text:p>name</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>{a}<text:span text:style-name="b">{b}</text:span></text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    env.write("keys.ods", odf("spreadsheet", &ods));
    let odt = format!(
        r#"<office:document-content xmlns:office="o" xmlns:text="x"><office:body><office:text><text:h>Secrets</text:h><text:p>the key is<text:s/><text:span>{T3}</text:span></text:p></office:text></office:body></office:document-content>"#
    );
    env.write("notes.odt", odf("text", &odt));
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            // Rows 2-4 are one repeated empty row: the value is row 5, after two empty columns.
            at(T1, "keys.ods:3:1", json!(["ods:Keys"]), json!("cell C5")),
            at(T3, "notes.odt:2:12", json!(["odt:content"]), Value::Null),
        ]
    );
    assert_eq!(doc["issues"], json!([]));
}

#[test]
fn a_shared_string_repeated_a_million_times_is_cut_at_the_budget() {
    let env = TestEnv::new();
    let strings = format!("<sst><si><t>{}</t></si></sst>", "x".repeat(1000));
    let mut sheet = String::from("<worksheet><sheetData><row r=\"1\">");
    for _ in 0..5000 {
        sheet.push_str("<c t=\"s\"><v>0</v></c>");
    }
    sheet.push_str("</row></sheetData></worksheet>");
    env.write(
        "bomb.xlsx",
        zip_of(&[
            ("[Content_Types].xml", TYPES),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/sharedStrings.xml", strings.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ]),
    );
    env.write("next.env", format!("Z={T2}\n"));
    let out = scan(&env, &["--max-decompressed-size", "1MiB", "."]);
    // Partial (issue 20): what lies past the cap was not scanned.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(rows(&doc).len(), 1);
    assert_eq!(doc["issues"][0]["kind"], "truncated");
    assert_eq!(doc["issues"].as_array().unwrap().len(), 1);
}

#[test]
fn sqlite_rows_name_table_row_and_column() {
    let env = TestEnv::new();
    let db = env.path().join("build.sqlite");
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(&format!(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, api_token TEXT, avatar BLOB);
             INSERT INTO users VALUES (1, 'alice', NULL, x'00ff00');
             INSERT INTO users VALUES (3, 'robot', '{T0}', NULL);
             CREATE TABLE settings (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
             INSERT INTO settings VALUES ('a', 'x'), ('webhook', 'https://h.test/?t={T1}');
             CREATE VIEW v AS SELECT * FROM users;"
        ))
        .unwrap();
    }
    // Renamed: recognised by content.
    std::fs::rename(&db, env.path().join("app.data")).unwrap();
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let got: Vec<(String, Value, Value)> =
        rows(&doc).into_iter().map(|r| (r.2, r.3, r.4)).collect();
    assert_eq!(
        got,
        vec![
            (
                "app.data:5:23".into(),
                json!(["sqlite:settings"]),
                json!("row 2, column v")
            ),
            (
                "app.data:6:13".into(),
                json!(["sqlite:users"]),
                json!("row 3, column api_token")
            ),
        ]
    );
    assert_eq!(doc["issues"], json!([]));
}

#[test]
fn a_corrupt_database_is_one_warning() {
    let env = TestEnv::new();
    let mut bad = b"SQLite format 3\0".to_vec();
    bad.extend(vec![0xee; 4000]);
    env.write("broken.db", bad);
    env.write("next.env", format!("Z={T2}\n"));
    let out = scan(&env, &["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(rows(&doc).len(), 1);
    let issues = doc["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0]["kind"], "malformed");
    assert!(
        issues[0]["reason"]
            .as_str()
            .unwrap()
            .starts_with("corrupt sqlite database: "),
        "{issues:?}"
    );
}
