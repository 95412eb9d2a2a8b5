//! Escaped and transformed text (#19): `.eml` MIME parts in base64 and quoted-printable (an
//! attachment named and read by its file name), `\x`/`\u` escapes in code, HTML character
//! references.

use serde_json::{Value, json};

use crate::decode::{Row, T0, T1, T2, T3, rows, scan};
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

fn b64_lines(data: &[u8]) -> String {
    use base64::Engine as _;
    let enc = base64::engine::general_purpose::STANDARD.encode(data);
    let lines: Vec<&str> = enc
        .as_bytes()
        .chunks(20)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    lines.join("\r\n")
}

#[test]
fn eml_parts_are_decoded_and_named() {
    let env = TestEnv::new();
    let (a, b) = T0.split_at(11);
    let attachment = b64_lines(format!("# prod\nDEPLOY_TOKEN={T1}\n").as_bytes());
    let msg = format!(
        "From: ops@acme.test\r\nSubject: creds\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHere is the token: {a}=\r\n{b} (do not share)\r\n--b1\r\nContent-Type: text/plain; name=\"prod.env\"\r\nContent-Disposition: attachment; filename=\"prod.env\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{attachment}\r\n--b1--\r\n"
    );
    env.write("mail/handover.eml", msg);
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            // Located at the start of each encoded body.
            at(
                T0,
                "mail/handover.eml:10:1",
                json!(["qp"]),
                json!("part 1 text/plain")
            ),
            at(
                T1,
                "mail/handover.eml:17:1",
                json!(["base64"]),
                json!("part 2 text/plain \"prod.env\" > DEPLOY_TOKEN")
            ),
        ]
    );
    assert_eq!(doc["issues"], json!([]));
}

#[test]
fn escapes_and_character_references_are_decoded() {
    let env = TestEnv::new();
    let hexed: String = T2.bytes().map(|b| format!("\\x{b:02x}")).collect();
    env.write("src/client.py", format!("KEY = \"{hexed}\"\n"));
    let uni: String = T3.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
    env.write("src/app.js", format!("// c\nconst k = \"{uni}\";\n"));
    let html: String = T1
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 3 == 0 {
                format!("&#{};", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect();
    env.write(
        "export/table.html",
        format!("<table>\n<tr><td>{html}</td></tr>\n</table>\n"),
    );
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            at(T1, "export/table.html:2:9", json!(["html"]), Value::Null),
            at(T3, "src/app.js:2:12", json!(["escape"]), Value::Null),
            at(T2, "src/client.py:1:8", json!(["escape"]), Value::Null),
        ]
    );
}
