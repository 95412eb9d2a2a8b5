//! The self-contained HTML report (`--format html`): one file holding the JSON document of
//! `--format json` (same fields, same redaction) and the page that renders it, with its script
//! and style inlined from `src/report/html/`. The page loads nothing: a Content-Security-Policy
//! forbids every fetch, and allows the one inline script and style by their SHA-256 hashes.
//! This module only fills the template; everything the reader sees is drawn by the script.

use std::io;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use super::Report;

/// The page skeleton; `{{CSP}}`, `{{STYLE}}`, `{{DATA}}` and `{{SCRIPT}}` are filled in.
const TEMPLATE: &str = include_str!("html/page.html");
/// The stylesheet, inlined in the one `<style>` element.
const STYLE: &str = include_str!("html/style.css");
/// The script parts, in order: helpers and the data model first, the views, then start-up.
const SCRIPTS: [&str; 6] = [
    include_str!("html/dom.js"),
    include_str!("html/model.js"),
    include_str!("html/inventory.js"),
    include_str!("html/radius.js"),
    include_str!("html/summary.js"),
    include_str!("html/app.js"),
];

/// Render `report` as the HTML page.
pub fn render(report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let mut json = Vec::new();
    super::json::render(report, &mut json)?;
    page(&json, out)
}

/// Write the page around `json`, a JSON document as `--format json` writes it (pretty or not).
pub fn page(json: &[u8], out: &mut dyn io::Write) -> io::Result<()> {
    let script = script();
    let csp = format!(
        "default-src 'none'; script-src '{}'; style-src '{}'; img-src data:; \
         base-uri 'none'; form-action 'none'",
        hash_source(&script),
        hash_source(STYLE)
    );
    let mut rest = TEMPLATE;
    while let Some((before, after)) = rest.split_once("{{") {
        out.write_all(before.as_bytes())?;
        let Some((slot, tail)) = after.split_once("}}") else {
            write!(out, "{{{{{after}")?;
            return Ok(());
        };
        match slot {
            "CSP" => out.write_all(csp.as_bytes())?,
            "STYLE" => out.write_all(STYLE.as_bytes())?,
            "SCRIPT" => out.write_all(script.as_bytes())?,
            "DATA" => embed_json(json, out)?,
            other => write!(out, "{{{{{other}}}}}")?,
        }
        rest = tail;
    }
    out.write_all(rest.as_bytes())
}

/// The inline script: the parts joined inside one strict-mode function scope, so nothing
/// leaks into the page's globals.
fn script() -> String {
    let mut s = String::from("(() => {\n'use strict';\n");
    for part in SCRIPTS {
        s.push_str(part);
        s.push('\n');
    }
    s.push_str("})();\n");
    s
}

/// A CSP source expression allowing exactly `text` as an inline script or style.
fn hash_source(text: &str) -> String {
    format!(
        "sha256-{}",
        STANDARD.encode(Sha256::digest(text.as_bytes()))
    )
}

/// Copy a JSON document into a `<script type="application/json">` element: whitespace between
/// tokens is dropped (the pretty form of a large report is mostly indentation), and `<`, `>`
/// and `&` inside strings become `\u003c`, `\u003e`, `\u0026`, so no value (a file named
/// `</script>`, a `<!--` in a path) can end the element or open a comment. JSON.parse reads the
/// escapes back to the same characters.
fn embed_json(json: &[u8], out: &mut dyn io::Write) -> io::Result<()> {
    let mut buf = Vec::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            match b {
                b'<' => buf.extend_from_slice(b"\\u003c"),
                b'>' => buf.extend_from_slice(b"\\u003e"),
                b'&' => buf.extend_from_slice(b"\\u0026"),
                _ => buf.push(b),
            }
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b' ' | b'\n' | b'\r' | b'\t' => {}
                b'"' => {
                    in_string = true;
                    buf.push(b);
                }
                // Outside strings a JSON document has no `<`; escape anyway, never trust input.
                b'<' => buf.extend_from_slice(b"\\u003c"),
                _ => buf.push(b),
            }
        }
        if buf.len() >= 1 << 16 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_of(json: &str) -> String {
        let mut out = Vec::new();
        page(json.as_bytes(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The text of the embedded data element.
    fn data_of(html: &str) -> &str {
        let open = r#"<script type="application/json" id="sprawl-data">"#;
        let start = html.find(open).unwrap() + open.len();
        let len = html[start..].find("</script>").unwrap();
        &html[start..start + len]
    }

    #[test]
    fn script_end_inside_a_value_cannot_close_the_data_element() {
        let json = r#"{"findings": [{"path": "a/</script><script>alert(1)</script>&<!--x"}]}"#;
        let html = page_of(json);
        let data = data_of(&html);
        assert!(!data.contains('<') && !data.contains('>'));
        assert!(data.contains(r"\u003c/script\u003e"));
        let back: serde_json::Value = serde_json::from_str(data).unwrap();
        let orig: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(back, orig);
        assert_eq!(html.matches("</script>").count(), 2); // the data and the code elements
    }

    #[test]
    fn whitespace_inside_strings_and_escapes_survive() {
        let json = "{\n  \"a\": \"x  y\\\" <b>\\\\\",\n  \"n\": [1, 2]\n}";
        let data = data_of(&page_of(json)).to_string();
        assert_eq!(data, r#"{"a":"x  y\" \u003cb\u003e\\","n":[1,2]}"#);
    }

    #[test]
    fn csp_forbids_loads_and_allows_the_inline_code_by_hash() {
        let html = page_of("{}");
        let csp_start = html
            .find(r#"<meta http-equiv="Content-Security-Policy" content=""#)
            .unwrap();
        let csp = &html[csp_start..html[csp_start..].find('>').unwrap() + csp_start];
        assert!(csp.contains("default-src 'none'"));
        assert!(csp.contains("img-src data:"));
        assert!(!csp.contains("connect-src") && !csp.contains("unsafe-eval"));
        assert!(csp.contains(&format!("script-src '{}'", hash_source(&script()))));
        assert!(csp.contains(&format!("style-src '{}'", hash_source(STYLE))));
        // The hashed texts are exactly the element contents.
        assert!(html.contains(&format!("<script>{}</script>", script())));
        assert!(html.contains(&format!("<style>{STYLE}</style>")));
    }

    #[test]
    fn nothing_outside_the_data_refers_to_the_network() {
        let html = page_of(r#"{"remediation": "see https://example.invalid/rotate"}"#);
        let data = data_of(&html);
        // The SVG namespace is an identifier the DOM API needs, not a resource; nothing loads it.
        let outside = html
            .replacen(data, "", 1)
            .replacen("'http://www.w3.org/2000/svg'", "", 1);
        for needle in ["http://", "https://", "//cdn", "src=\"", "@import", "url("] {
            assert!(!outside.contains(needle), "page refers to {needle}");
        }
        for part in SCRIPTS {
            assert!(!part.contains("</script") && !part.contains("<!--"));
        }
        assert!(!STYLE.contains("</style"));
    }

    #[test]
    fn template_has_each_slot_once() {
        for slot in ["{{CSP}}", "{{STYLE}}", "{{DATA}}", "{{SCRIPT}}"] {
            assert_eq!(TEMPLATE.matches(slot).count(), 1, "{slot}");
        }
    }
}
