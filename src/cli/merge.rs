//! `sprawl merge REPORT...`: correlate reports written anywhere (one per repository from a CI
//! matrix) into one report, as if everything had been scanned together.
//!
//! Memory stays bounded by spilling: every finding read is appended to one of [`BUCKETS`]
//! temporary files chosen by its fingerprint, each bucket is then merged on its own (all
//! copies of a credential land in the same bucket), the merged findings are spilled again,
//! and only a small sort key per credential stays in memory to write them out worst first.
//! The temporary directory is owner-only and removed when the command ends.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::ExitStatus;
use super::args::{MergeArgs, MergeFormatArg};
use super::finish_stdout;
use super::scan::use_color;
use crate::correlate::SortKey;
use crate::correlate::merge::merge;
use crate::error::io_reason;
use crate::report::document::{Document, FindingRecord};
use crate::report::{self, Format, Summary, diag, stream};

/// Number of spill buckets: the largest bucket bounds memory (about 1/64 of the input).
const BUCKETS: usize = 64;

pub(super) fn run(a: MergeArgs) -> Result<ExitStatus> {
    let format = match a.format {
        MergeFormatArg::Human => Format::Human,
        MergeFormatArg::Json => Format::Json,
        MergeFormatArg::Jsonl => Format::Jsonl,
        MergeFormatArg::Html => Format::Html,
    };
    let mut status = ExitStatus::Clean;
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let mut buckets: Vec<BufWriter<File>> = (0..BUCKETS)
        .map(|i| File::create(dir.path().join(format!("in-{i}"))).map(BufWriter::new))
        .collect::<std::io::Result<_>>()
        .context("cannot create spill files")?;
    let mut summary = Summary::default();
    let mut seen: Vec<(Option<std::path::PathBuf>, Option<String>)> = Vec::new();
    let mut without_counters = 0;
    for path in &a.reports {
        // The same report named twice (or two copies of it) would count its files twice.
        let id = (std::fs::canonicalize(path).ok(), content_hash(path));
        if let Some(i) = seen
            .iter()
            .position(|s| (s.0.is_some() && s.0 == id.0) || (s.1.is_some() && s.1 == id.1))
        {
            diag::warn(&format!(
                "{}: the same report as {}; merged once",
                path.display(),
                a.reports[i].display()
            ));
            seen.push((None, None));
            continue;
        }
        seen.push(id);
        let read = read_report(path, &mut |f| {
            let b = bucket_of(&f.fingerprint);
            serde_json::to_writer(&mut buckets[b], &f)?;
            buckets[b].write_all(b"\n")
        });
        match read {
            Ok(Some(s)) => summary += &s,
            Ok(None) => without_counters += 1,
            Err(e) => {
                diag::error(&format!("{}: {e}", path.display()));
                summary.errors += 1;
                summary.partial = true;
                status = status.combine(ExitStatus::Error);
            }
        }
    }
    summary.reports_without_counters = (without_counters > 0).then_some(without_counters);
    for b in &mut buckets {
        b.flush()?;
    }
    drop(buckets);

    // Merge bucket by bucket; keep a sort key per credential and spill the merged finding.
    let mut merged_file = BufWriter::new(File::create(dir.path().join("merged"))?);
    let mut index: Vec<(SortKey, u64, u64)> = Vec::new();
    let mut offset = 0u64;
    for i in 0..BUCKETS {
        let reader = BufReader::new(File::open(dir.path().join(format!("in-{i}")))?);
        let mut items = Vec::new();
        for line in reader.lines() {
            items.push(serde_json::from_str::<FindingRecord>(&line?)?.into_reported());
        }
        for f in merge(items) {
            // The spill keeps the real secret when a report had it (written with
            // `--show-secrets`), else its redacted form; output redacts it again below.
            let line = serde_json::to_vec(&FindingRecord::of(&f, true))?;
            merged_file.write_all(&line)?;
            merged_file.write_all(b"\n")?;
            index.push((SortKey::of(&f), offset, line.len() as u64));
            offset += line.len() as u64 + 1;
        }
    }
    merged_file.flush()?;
    drop(merged_file);
    index.sort_by(|a, b| a.0.order(&b.0));
    summary.findings = index.len();
    summary.locations = index.iter().map(|k| k.0.locations).sum();
    if !index.is_empty() {
        status = status.combine(ExitStatus::Findings);
    }

    let mut merged = File::open(dir.path().join("merged"))?;
    let show = a.show_secrets;
    let mut write = |out: &mut dyn Write| -> std::io::Result<()> {
        let color = a.output.is_none() && use_color(a.color);
        let mut buf = Vec::new();
        let findings = index.iter().flat_map(|&(_, off, len)| {
            let read = merged
                .seek(SeekFrom::Start(off))
                .and_then(|_| {
                    buf.resize(len as usize, 0);
                    merged.read_exact(&mut buf)
                })
                .and_then(|()| {
                    serde_json::from_slice::<FindingRecord>(&buf).map_err(std::io::Error::from)
                });
            let found: Vec<std::io::Result<_>> = match read {
                Ok(item) => merge([item.into_reported()])
                    .into_iter()
                    .map(|f| Ok((f, show)))
                    .collect(),
                Err(e) => vec![Err(e)],
            };
            found
        });
        let layout = stream::Layout {
            color,
            verbose: a.verbose,
            width: if a.output.is_none() {
                report::human::terminal_width()
            } else {
                None
            },
        };
        if format == Format::Html {
            // The page embeds the merged JSON document: write that, then wrap it once.
            let mut json = Vec::new();
            stream::write(Format::Json, layout, findings, &summary, &mut json)?;
            return report::html::page(&json, out);
        }
        stream::write(format, layout, findings, &summary, out)
    };
    match &a.output {
        Some(path) => {
            let mut file = report::create_private(path)
                .with_context(|| format!("{}: cannot create report file", path.display()))?;
            write(&mut file)
                .and_then(|()| file.commit())
                .with_context(|| format!("{}: cannot write report", path.display()))?;
            Ok(status)
        }
        None => finish_stdout(write, status),
    }
}

/// SHA-256 of a report file's bytes, to merge a copy of one report once.
fn content_hash(path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut file = File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Some(crate::secret::sha256_hex(&hasher.finalize()))
}

/// Which spill file a fingerprint goes to.
fn bucket_of(fingerprint: &str) -> usize {
    let digits = crate::secret::fingerprint::digits(fingerprint);
    let hex = digits.get(..2).unwrap_or("00");
    usize::from_str_radix(hex, 16).unwrap_or(0) % BUCKETS
}

/// Read a JSON document (`{"schema_version": 2, "findings": [...], ...}`) or JSON Lines (one
/// finding per line; an empty file is a report of nothing), calling `each` per finding; returns
/// the document's summary (`None` for JSON Lines, which carry no counters).
fn read_report(
    path: &Path,
    each: &mut dyn FnMut(FindingRecord<'static>) -> std::io::Result<()>,
) -> Result<Option<Summary>, String> {
    let file = File::open(path).map_err(|e| io_reason(&e))?;
    let mut reader = BufReader::new(file);
    let mut first = String::new();
    // JSON Lines may start with blank lines; a file of only whitespace is an empty report.
    while first.trim().is_empty() {
        first.clear();
        if reader.read_line(&mut first).map_err(|e| io_reason(&e))? == 0 {
            return Ok(None);
        }
    }
    let jsonl = serde_json::from_str::<FindingRecord>(first.trim()).is_ok();
    if jsonl {
        let mut n = 1;
        let mut line = first;
        loop {
            if !line.trim().is_empty() {
                let f = serde_json::from_str::<FindingRecord>(line.trim())
                    .map_err(|e| format!("line {n}: not a sprawl finding ({e})"))?;
                if !crate::secret::fingerprint::is_current(&f.fingerprint) {
                    return Err(format!(
                        "line {n}: fingerprint {:?} is not version 2 (a report from an older \
                         sprawl, schema_version 1): scan again with this version",
                        f.fingerprint
                    ));
                }
                each(f).map_err(|e| io_reason(&e))?;
            }
            line.clear();
            n += 1;
            if reader.read_line(&mut line).map_err(|e| io_reason(&e))? == 0 {
                break;
            }
        }
        return Ok(None);
    }
    let mut text = first;
    reader
        .read_to_string(&mut text)
        .map_err(|e| io_reason(&e))?;
    let doc: Document<Vec<FindingRecord>> = serde_json::from_str(&text)
        .map_err(|e| format!("not a sprawl JSON or JSONL report ({e})"))?;
    if doc.schema_version != report::SCHEMA_VERSION {
        return Err(format!(
            "schema_version {} is not supported (this sprawl reads {})",
            doc.schema_version,
            report::SCHEMA_VERSION
        ));
    }
    for f in doc.findings {
        each(f).map_err(|e| io_reason(&e))?;
    }
    Ok(Some(doc.summary.into_owned()))
}
