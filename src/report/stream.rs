//! Streaming output for `sprawl merge`: findings are written one at a time as they come back
//! from disk, so merging many reports never holds every finding in memory. Produces the same
//! documents as the whole-report renderers (JSON, JSON Lines, human).

use std::io;

use super::human::{self, Paint};
use super::json::FindingView;
use super::{Format, SCHEMA_VERSION, Summary};
use crate::correlate::Finding;
use crate::error::ScanIssue;

/// A report being written finding by finding.
pub struct Stream<'w> {
    format: Format,
    paint: Paint,
    show_secrets: bool,
    out: &'w mut dyn io::Write,
    written: usize,
}

impl<'w> Stream<'w> {
    /// Start a report (writes the JSON envelope's head).
    pub fn begin(
        format: Format,
        color: bool,
        show_secrets: bool,
        out: &'w mut dyn io::Write,
    ) -> io::Result<Stream<'w>> {
        if format == Format::Json {
            write!(
                out,
                "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"tool\": {{\"name\": \"sprawl\", \"version\": \"{}\"}},\n  \"findings\": [",
                env!("CARGO_PKG_VERSION")
            )?;
        }
        Ok(Stream {
            format,
            paint: Paint { on: color },
            show_secrets,
            out,
            written: 0,
        })
    }

    /// Write one finding.
    pub fn finding(&mut self, f: &Finding) -> io::Result<()> {
        let view = FindingView::new(f, self.show_secrets);
        match self.format {
            Format::Json => {
                let sep = if self.written == 0 {
                    "\n    "
                } else {
                    ",\n    "
                };
                self.out.write_all(sep.as_bytes())?;
                serde_json::to_writer(&mut *self.out, &view)?;
            }
            Format::Jsonl => {
                serde_json::to_writer(&mut *self.out, &view)?;
                writeln!(self.out)?;
            }
            _ => human::finding(f, self.show_secrets, &self.paint, self.out)?,
        }
        self.written += 1;
        Ok(())
    }

    /// Finish with the issues and summary.
    pub fn end(self, issues: &[ScanIssue], summary: &Summary) -> io::Result<()> {
        match self.format {
            Format::Json => {
                write!(self.out, "\n  ],\n  \"issues\": ")?;
                serde_json::to_writer(&mut *self.out, issues)?;
                write!(self.out, ",\n  \"summary\": ")?;
                serde_json::to_writer(&mut *self.out, summary)?;
                writeln!(self.out, "\n}}")
            }
            Format::Jsonl => Ok(()),
            _ => writeln!(self.out, "{}", human::summary_line(summary)),
        }
    }
}
