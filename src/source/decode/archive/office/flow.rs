//! Running text from a document part, in reading order: paragraphs become lines, table cells
//! are separated by tabs and rows by newlines, and the runs inside a paragraph are joined with
//! nothing between them (an editor splits a word across runs wherever formatting, spell-check
//! or revision marks change).

use super::Text;
use super::xml::{Ev, attr, local};

/// Which vocabulary the part uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dialect {
    /// WordprocessingML and DrawingML (`w:p`/`a:p`, text only in `w:t`/`a:t`/`w:delText`).
    Ooxml,
    /// ODF (`text:p`/`text:h`, text anywhere inside them).
    Odf,
}

/// Builds the text of one part from its events.
pub(super) struct Flow {
    dialect: Dialect,
    stack: Vec<String>,
    paragraphs: usize,
    cells: usize,
    /// The text so far.
    pub text: Text,
}

impl Flow {
    /// An empty flow.
    pub fn new(dialect: Dialect) -> Flow {
        Flow {
            dialect,
            stack: Vec::new(),
            paragraphs: 0,
            cells: 0,
            text: Text::default(),
        }
    }

    fn push(&mut self, s: &str) {
        self.text.data.push_str(s);
    }

    /// Take one event.
    pub fn event(&mut self, ev: Ev) {
        let ooxml = self.dialect == Dialect::Ooxml;
        match ev {
            Ev::Start(e) => {
                let name = local(e);
                let parent_run = self.stack.last().is_some_and(|p| p == "r");
                match name {
                    "p" | "h" => self.paragraphs += 1,
                    "tc" | "table-cell" | "covered-table-cell" => self.cells += 1,
                    "tab" if !ooxml || parent_run => self.push("\t"),
                    "br" | "cr" if ooxml && parent_run => self.push("\n"),
                    "line-break" if !ooxml => self.push("\n"),
                    "s" if !ooxml && self.paragraphs > 0 => {
                        let n = attr(e, "c").and_then(|c| c.parse::<usize>().ok());
                        self.push(&" ".repeat(n.unwrap_or(1).clamp(1, 64)));
                    }
                    _ => {}
                }
                self.stack.push(name.to_string());
            }
            Ev::End(name) => {
                self.stack.pop();
                match name {
                    "p" | "h" => {
                        self.paragraphs = self.paragraphs.saturating_sub(1);
                        self.push(if self.cells > 0 { " " } else { "\n" });
                    }
                    "tc" | "table-cell" | "covered-table-cell" => {
                        self.cells = self.cells.saturating_sub(1);
                        trim_end(&mut self.text.data);
                        self.push("\t");
                    }
                    "tr" | "table-row" => {
                        trim_end(&mut self.text.data);
                        self.push("\n");
                    }
                    _ => {}
                }
            }
            Ev::Text(t) => {
                let keep = match self.dialect {
                    Dialect::Ooxml => self
                        .stack
                        .last()
                        .is_some_and(|n| n == "t" || n == "delText"),
                    Dialect::Odf => self.paragraphs > 0,
                };
                if keep {
                    self.push(t);
                }
            }
        }
    }
}

/// Drop trailing spaces and tabs (the separator a paragraph or cell left before a row end).
fn trim_end(s: &mut String) {
    let len = s.trim_end_matches([' ', '\t']).len();
    s.truncate(len);
}
