//! OOXML: `.xlsx` sheets (shared strings, inline strings, formula results), `.docx` text parts,
//! `.pptx` slides and notes.

use std::collections::HashMap;

use super::flow::{Dialect, Flow};
use super::xml::{Ev, attr, column_name, local};
use super::{Reader, Text, emit, number, walk};
use crate::source::decode::archive::Out;

/// Sheets in workbook order: (name, part path).
fn sheets(r: &mut Reader, out: &mut Out) -> Vec<(String, String)> {
    let mut listed = Vec::new();
    if let Some(xml) = r.peek("xl/workbook.xml", out) {
        walk("xl/workbook.xml", &xml, out, &mut |ev| {
            if let Ev::Start(e) = ev
                && local(e) == "sheet"
            {
                listed.push((attr(e, "name").unwrap_or_default(), attr(e, "id")));
            }
        });
    }
    let mut targets = HashMap::new();
    if let Some(xml) = r.peek("xl/_rels/workbook.xml.rels", out) {
        walk("xl/_rels/workbook.xml.rels", &xml, out, &mut |ev| {
            if let Ev::Start(e) = ev
                && local(e) == "Relationship"
                && let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target"))
            {
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                };
                targets.insert(id, path);
            }
        });
    }
    let mut found: Vec<(String, String)> = listed
        .into_iter()
        .filter_map(|(name, id)| Some((name, targets.get(&id?)?.clone())))
        .collect();
    // Sheets no relationship names (a damaged workbook) are still read, by part name.
    let mut rest = r.matching(&|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"));
    rest.sort_by_key(|(_, n)| number(n));
    for (_, part) in rest {
        if !found.iter().any(|(_, p)| *p == part) {
            let name = part
                .rsplit('/')
                .next()
                .unwrap_or(&part)
                .trim_end_matches(".xml");
            found.push((name.to_string(), part));
        }
    }
    found
}

fn shared_strings(r: &mut Reader, out: &mut Out) -> Vec<String> {
    let mut strings = Vec::new();
    let Some(xml) = r.take("xl/sharedStrings.xml", out) else {
        return strings;
    };
    let mut stack: Vec<String> = Vec::new();
    walk("xl/sharedStrings.xml", &xml, out, &mut |ev| match ev {
        Ev::Start(e) => {
            let name = local(e);
            if name == "si" {
                strings.push(String::new());
            }
            stack.push(name.to_string());
        }
        Ev::End(_) => {
            stack.pop();
        }
        // Phonetic runs (`rPh`) are reading aids, not the cell's text.
        Ev::Text(t) => {
            if stack.last().is_some_and(|n| n == "t")
                && !stack.iter().any(|n| n == "rPh")
                && let Some(s) = strings.last_mut()
            {
                s.push_str(t);
            }
        }
    });
    strings
}

/// One sheet as text: a line per row, cells separated by tabs, each cell labelled.
fn sheet(part: &str, xml: &[u8], strings: &[String], out: &mut Out) -> Text {
    let mut text = Text::default();
    let mut stack: Vec<String> = Vec::new();
    let mut row = 0u32;
    let mut col = 0u32;
    let mut cell: Option<(String, String)> = None; // (reference, type)
    let mut value = String::new();
    walk(part, xml, out, &mut |ev| match ev {
        Ev::Start(e) => {
            let name = local(e);
            match name {
                "row" => {
                    row = attr(e, "r")
                        .and_then(|r| r.parse().ok())
                        .unwrap_or(row.saturating_add(1));
                    col = 0;
                }
                "c" => {
                    let reference =
                        attr(e, "r").unwrap_or_else(|| format!("{}{row}", column_name(col)));
                    col = col.saturating_add(1);
                    cell = Some((reference, attr(e, "t").unwrap_or_default()));
                    value.clear();
                }
                _ => {}
            }
            stack.push(name.to_string());
        }
        Ev::End(name) => {
            stack.pop();
            match name {
                "c" => {
                    if let Some((reference, kind)) = cell.take() {
                        let shown = match kind.as_str() {
                            "s" => value
                                .trim()
                                .parse::<usize>()
                                .ok()
                                .and_then(|i| strings.get(i))
                                .cloned()
                                .unwrap_or_default(),
                            _ => std::mem::take(&mut value),
                        };
                        if !shown.is_empty() {
                            let start = text.data.len();
                            text.data.push_str(&shown);
                            text.spans
                                .push((start..text.data.len(), format!("cell {reference}")));
                            text.data.push('\t');
                        }
                    }
                }
                "row" => {
                    let len = text.data.trim_end_matches('\t').len();
                    text.data.truncate(len);
                    text.data.push('\n');
                }
                _ => {}
            }
        }
        Ev::Text(t) => {
            // The value (`v`, a shared-string index or the value itself) or inline text
            // (`is`/`t`); a formula (`f`) is not the value.
            if cell.is_some() && matches!(stack.last().map(String::as_str), Some("v" | "t")) {
                value.push_str(t);
            }
        }
    });
    text
}

pub(super) fn xlsx(r: &mut Reader, out: &mut Out) {
    let sheets = sheets(r, out);
    let strings = shared_strings(r, out);
    for (name, part) in sheets {
        if out.budget.spent() {
            return;
        }
        let Some(xml) = r.take(&part, out) else {
            continue;
        };
        let text = sheet(&part, &xml, &strings, out);
        emit(format!("xlsx:{name}"), &format!("{name}.tsv"), text, out);
    }
}

/// Read each part in `parts` as running text, stepped `<prefix>:<label>`.
fn texts(r: &mut Reader, parts: Vec<(String, String)>, prefix: &str, out: &mut Out) {
    for (part, label) in parts {
        if out.budget.spent() {
            return;
        }
        let Some(xml) = r.take(&part, out) else {
            continue;
        };
        let mut flow = Flow::new(Dialect::Ooxml);
        walk(&part, &xml, out, &mut |ev| flow.event(ev));
        emit(
            format!("{prefix}:{label}"),
            &format!("{label}.txt"),
            flow.text,
            out,
        );
    }
}

pub(super) fn docx(r: &mut Reader, out: &mut Out) {
    let mut parts = vec![("word/document.xml".to_string(), "document".to_string())];
    let mut extra = r.matching(&|n| {
        let Some(base) = n.strip_prefix("word/") else {
            return false;
        };
        !base.contains('/')
            && base.ends_with(".xml")
            && ["header", "footer", "footnotes", "endnotes", "comments"]
                .iter()
                .any(|p| base.starts_with(p))
    });
    extra.sort_by(|a, b| a.1.cmp(&b.1));
    for (_, part) in extra {
        let label = part["word/".len()..part.len() - ".xml".len()].to_string();
        parts.push((part, label));
    }
    texts(r, parts, "docx", out);
}

pub(super) fn pptx(r: &mut Reader, out: &mut Out) {
    let mut parts = Vec::new();
    for (dir, file, label) in [
        ("ppt/slides/", "slide", "slide"),
        ("ppt/notesSlides/", "notesSlide", "notes"),
    ] {
        let mut found = r.matching(&|n| {
            n.strip_prefix(dir)
                .is_some_and(|b| b.starts_with(file) && b.ends_with(".xml") && !b.contains('/'))
        });
        found.sort_by_key(|(_, n)| number(n));
        for (_, part) in found {
            let n = number(&part);
            parts.push((part, format!("{label} {n}")));
        }
    }
    texts(r, parts, "pptx", out);
}
