//! Streaming output for `sprawl merge`: findings are written one at a time as they come back
//! from disk, so merging many reports never holds every finding in memory. The JSON document is
//! the same [`Document`] type a scan writes, with its findings pulled from an iterator; JSON
//! Lines and the human view write finding by finding.

use std::borrow::Cow;
use std::cell::RefCell;
use std::io;

use super::document::{Document, FindingRecord, FindingSeq, SCHEMA_VERSION, Tool};
use super::human::{self, Paint, Style};

/// How a streamed human view is laid out.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout {
    /// Colour.
    pub color: bool,
    /// Every location and the whole plan.
    pub verbose: bool,
    /// Cut lines to this width.
    pub width: Option<usize>,
}
use super::{Format, Summary};
use crate::correlate::Finding;

/// Write a report of `findings` (each with whether to show its secret) in `format`, pulling
/// them from the iterator one at a time. `human` lays out the human view.
pub fn write(
    format: Format,
    human: Layout,
    findings: impl Iterator<Item = io::Result<(Finding, bool)>>,
    summary: &Summary,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match format {
        Format::Json => {
            let doc = Document {
                schema_version: SCHEMA_VERSION,
                tool: Tool::default(),
                findings: FindingSeq(RefCell::new(findings)),
                issues: Cow::Borrowed(&[]),
                summary: Cow::Borrowed(summary),
                baseline: None,
            };
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            writeln!(out)
        }
        Format::Jsonl => {
            for item in findings {
                let (f, show) = item?;
                serde_json::to_writer(&mut *out, &FindingRecord::of(&f, show))?;
                writeln!(out)?;
            }
            Ok(())
        }
        _ => {
            // `show` is the same for every finding of a merge; the view takes it from the first.
            let mut view = None;
            for item in findings {
                let (f, show) = item?;
                view.get_or_insert_with(|| {
                    human::View::new(Style {
                        paint: Paint { on: human.color },
                        show,
                        verbose: human.verbose,
                        width: human.width,
                    })
                })
                .finding(&f, out)?;
            }
            match view {
                Some(v) => v.finish(summary, out),
                None => writeln!(out, "{}", human::summary_line(summary)),
            }
        }
    }
}
