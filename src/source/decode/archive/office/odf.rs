//! ODF: `.ods` sheets (cells labelled by reference, repeated rows and columns counted, never
//! expanded) and the running text of `.odt`, `.odp` and other OpenDocument files.

use super::flow::{Dialect, Flow};
use super::xml::{Ev, attr, column_name, local};
use super::{Reader, Text, emit, walk};
use crate::source::decode::archive::Out;

/// Repeat counts are trusted for counting only, and clipped so a reference stays sane.
const MAX_REPEAT: u64 = 1 << 20;

pub(super) fn read(r: &mut Reader, out: &mut Out) {
    let mime = r.peek("mimetype", out).unwrap_or_default();
    let kind = String::from_utf8_lossy(&mime)
        .trim()
        .strip_prefix("application/vnd.oasis.opendocument.")
        .map(str::to_string);
    let Some(kind) = kind else {
        return;
    };
    let Some(xml) = r.take("content.xml", out) else {
        return;
    };
    if kind.starts_with("spreadsheet") {
        for (name, text) in sheets(&xml, out) {
            emit(format!("ods:{name}"), &format!("{name}.tsv"), text, out);
        }
        return;
    }
    let prefix = match kind.as_str() {
        k if k.starts_with("text") => "odt",
        k if k.starts_with("presentation") => "odp",
        k if k.starts_with("graphics") => "odg",
        _ => "odf",
    };
    let mut flow = Flow::new(Dialect::Odf);
    walk("content.xml", &xml, out, &mut |ev| flow.event(ev));
    emit(format!("{prefix}:content"), "content.txt", flow.text, out);
}

/// Each table of a spreadsheet as text: a line per row, cells by tabs, each labelled.
fn sheets(xml: &[u8], out: &mut Out) -> Vec<(String, Text)> {
    let mut tables: Vec<(String, Text)> = Vec::new();
    let mut row: u64 = 0;
    let mut col: u64 = 0;
    let mut repeat_cols: u64 = 1;
    let mut repeat_rows: u64 = 1;
    let mut cell: Option<Flow> = None;
    walk("content.xml", xml, out, &mut |ev| {
        if let Some(flow) = cell.as_mut() {
            if let Ev::End(name) = ev
                && (name == "table-cell" || name == "covered-table-cell")
            {
                let mut value = std::mem::take(&mut flow.text).data;
                cell = None;
                let len = value.trim_end().len();
                value.truncate(len);
                if let Some((_, text)) = tables.last_mut()
                    && !value.is_empty()
                {
                    let reference = format!("{}{row}", column_name(col.min(MAX_REPEAT) as u32));
                    let start = text.data.len();
                    text.data.push_str(&value);
                    text.spans
                        .push((start..text.data.len(), format!("cell {reference}")));
                    text.data.push('\t');
                }
                col = col.saturating_add(repeat_cols);
            } else {
                flow.event(ev);
            }
            return;
        }
        match ev {
            Ev::Start(e) => match local(e) {
                "table" => {
                    let name =
                        attr(e, "name").unwrap_or_else(|| format!("Sheet{}", tables.len() + 1));
                    tables.push((name, Text::default()));
                    row = 0;
                }
                "table-row" => {
                    row = row.saturating_add(1);
                    repeat_rows = repeat(attr(e, "number-rows-repeated"));
                    col = 0;
                }
                "table-cell" | "covered-table-cell" => {
                    repeat_cols = repeat(attr(e, "number-columns-repeated"));
                    let mut flow = Flow::new(Dialect::Odf);
                    flow.event(Ev::Start(e));
                    cell = Some(flow);
                }
                _ => {}
            },
            Ev::End("table-row") => {
                row = row.saturating_add(repeat_rows - 1);
                if let Some((_, text)) = tables.last_mut() {
                    let len = text.data.trim_end_matches('\t').len();
                    text.data.truncate(len);
                    text.data.push('\n');
                }
            }
            _ => {}
        }
    });
    tables
}

fn repeat(value: Option<String>) -> u64 {
    value
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_REPEAT)
}
