//! Jupyter notebooks (`.ipynb`, nbformat 4): each cell's source and each output's text.
//!
//! A cell's source is stored as JSON strings (usually one per line, with `\n` and `\"`
//! escapes); it is unescaped and scanned as the code a person sees, with positions mapped back
//! exactly into the `.ipynb` file. The context names the cell (1-based, as counted from the top
//! of the notebook) and the line within it: `cell 3, line 2`, `cell 3 output 1, line 1`.

use super::json::{self, Json};
use super::{Decoded, Derived, Mapped};

/// Decode a notebook.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let Some(root) = json::parse(data) else {
        out.problems
            .push("not a valid notebook (JSON); scanned as plain text".into());
        return out;
    };
    for (i, cell) in root
        .get("cells")
        .map_or(&[][..], Json::as_array)
        .iter()
        .enumerate()
    {
        let name = format!("cell {}", i + 1);
        if let Some(source) = cell.get("source") {
            out.derived.extend(text(source, data, &name));
        }
        let outputs = cell.get("outputs").map_or(&[][..], Json::as_array);
        for (j, output) in outputs.iter().enumerate() {
            let name = format!("{name} output {}", j + 1);
            let texts = [
                output.get("text"),
                output.get("data").and_then(|d| d.get("text/plain")),
                output.get("traceback"),
            ];
            for t in texts.into_iter().flatten() {
                out.derived.extend(text(t, data, &name));
            }
        }
    }
    out
}

/// A multiline string (a string or an array of strings) as one derived blob.
fn text(node: &Json, data: &[u8], context: &str) -> Option<Derived> {
    let parts: Vec<_> = match node {
        Json::Str(s) => vec![s],
        Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
        _ => return None,
    };
    let first = parts.first()?;
    let last = parts.last()?;
    let mut all = Mapped::default();
    for p in &parts {
        let m = p.mapped(data);
        let base = all.text.len();
        all.text.extend_from_slice(&m.text);
        all.map.extend(m.map.iter().map(|&(d, o)| (d + base, o)));
    }
    if all.text.is_empty() {
        return None;
    }
    let mut d = all.into_derived().context(context);
    d.line_context = true;
    // Plain-text hits inside these strings are found again, unescaped, in the derived blob.
    Some(d.replaces(first.span.start..last.span.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_outputs_map_back() {
        let nb = br##"{"cells": [
  {"cell_type": "markdown", "source": ["# Title\n"]},
  {"cell_type": "code", "source": ["x = 1\n", "key = \"TOKEN\"\n"],
   "outputs": [{"output_type": "stream", "text": ["printed TOKEN2\n"]}]}
 ], "nbformat": 4}"##;
        let d = decode(nb);
        let got: Vec<_> = d
            .derived
            .iter()
            .map(|x| {
                (
                    x.context.as_deref().unwrap(),
                    String::from_utf8_lossy(&x.data).into_owned(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("cell 1", "# Title\n".to_string()),
                ("cell 2", "x = 1\nkey = \"TOKEN\"\n".to_string()),
                ("cell 2 output 1", "printed TOKEN2\n".to_string()),
            ]
        );
        let cell = &d.derived[1];
        let t = cell.data.windows(5).position(|w| w == b"TOKEN").unwrap();
        let at = cell.anchor.map(t).unwrap();
        assert_eq!(&nb[at..at + 5], b"TOKEN");
    }

    #[test]
    fn malformed_notebook_is_a_problem() {
        let d = decode(b"{\"cells\": [");
        assert_eq!(d.problems.len(), 1);
    }
}
