//! `sprawl migrate`: rewrite version-1 fingerprints (the bare SHA-256 of a secret) as version 2.
//!
//! A version-1 value cannot be turned into a version-2 one without the secret, so this scans
//! where the secrets live (as `sprawl scan` would, history included, with the allowlists off so
//! allowed values are seen), derives both versions of every secret found, and rewrites what it
//! can match: `[allow] fingerprints` in the config file (in place, text otherwise untouched) and
//! each `--baseline` file. What cannot be matched is named; config entries are then left as they
//! are and the exit code is 2.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use clap::Parser;

use super::ExitStatus;
use super::args::{Cli, Command, MigrateArgs};
use super::config::ScanConfig;
use crate::baseline::Baseline;
use crate::correlate;
use crate::detect::Detector;
use crate::report::{self, diag};
use crate::scan::{self, Counters};
use crate::secret::fingerprint;

pub(super) fn run(a: MigrateArgs) -> Result<ExitStatus> {
    let mut argv: Vec<std::ffi::OsString> = vec!["sprawl".into(), "scan".into(), "-q".into()];
    if let Some(c) = &a.config {
        argv.extend(["--config".into(), c.clone().into_os_string()]);
    }
    for r in &a.rules {
        argv.extend(["--rules".into(), r.clone().into_os_string()]);
    }
    if a.no_builtin_rules {
        argv.push("--no-builtin-rules".into());
    }
    argv.push("--".into());
    argv.extend(a.paths.iter().map(|p| p.clone().into_os_string()));
    let scan_args = match Cli::try_parse_from(argv)?.command {
        Command::Scan(s) => *s,
        _ => anyhow::bail!("internal: migrate builds a scan command line"),
    };
    let mut cfg = ScanConfig::resolve_with(scan_args, true)?;
    let mut status = ExitStatus::Clean;
    for (path, reason) in &cfg.bad_roots {
        diag::error(&format!("{}: {reason}", path.display()));
        status = ExitStatus::Error;
    }
    let legacy = cfg.allow.legacy_fingerprints();
    if legacy.is_empty() && a.baseline.is_empty() {
        diag::note("sprawl migrate: no version-1 fingerprints in the configuration; nothing to do");
        return Ok(status);
    }
    let detector = Detector::new(std::mem::take(&mut cfg.rules));
    let counters = Counters::default();
    let result = scan::scan_roots(
        None,
        &cfg.roots,
        &cfg.walk,
        &cfg.history,
        cfg.limits,
        None,
        &detector,
        &counters,
        &mut |_| {},
    );
    let mut hits = result.hits;
    super::scan::annotate(&cfg, &mut hits);
    let findings = correlate::correlate(hits, detector.rules());
    let v1_to_v2: HashMap<String, String> = findings
        .iter()
        .map(|f| {
            (
                fingerprint::legacy_v1(f.secret.reveal()),
                f.fingerprint.clone(),
            )
        })
        .collect();

    if !legacy.is_empty() {
        let path = cfg
            .config_path
            .clone()
            .context("internal: legacy fingerprints without a config file")?;
        let (text, missing) = rewrite_config(&path, &legacy, &v1_to_v2)?;
        for (key, old) in &missing {
            diag::error(&format!(
                "{}: {key}: {old} was not found under the scanned paths; left as it is (scan \
                 where the secret lives, or remove the entry)",
                path.display()
            ));
            status = ExitStatus::Error;
        }
        let done = legacy.len() - missing.len();
        if !a.dry_run && done > 0 {
            write_text(&path, &text)?;
        }
        diag::note(&format!(
            "{}: {done} of {} fingerprints {} version 2",
            path.display(),
            legacy.len(),
            if a.dry_run {
                "would become"
            } else {
                "rewritten as"
            }
        ));
    }
    for path in &a.baseline {
        let (new, migrated, dropped) = Baseline::migrate_v1(path, &findings)?;
        if !a.dry_run {
            new.write(path)
                .with_context(|| format!("{}: cannot write baseline", path.display()))?;
        }
        diag::note(&format!(
            "{}: {migrated} entries {} version 2; {dropped} not found under the scanned paths \
             (resolved credentials) dropped",
            path.display(),
            if a.dry_run {
                "would become"
            } else {
                "rewritten as"
            }
        ));
    }
    Ok(status)
}

/// The config text with every version-1 fingerprint that `map` knows replaced by its version-2
/// value, and the entries it does not know.
fn rewrite_config(
    path: &Path,
    legacy: &[(String, String)],
    map: &HashMap<String, String>,
) -> Result<(String, Vec<(String, String)>)> {
    let mut text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let mut missing = Vec::new();
    for (key, old) in legacy {
        match map.get(old) {
            Some(new) => {
                text = text
                    .replace(old.as_str(), new)
                    .replace(&old.to_ascii_uppercase(), new)
            }
            None => missing.push((key.clone(), old.clone())),
        }
    }
    Ok((text, missing))
}

/// Replace `path` with `text` atomically (a temporary file beside it, then a rename), keeping
/// its permissions.
fn write_text(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let perms = std::fs::metadata(path).map(|m| m.permissions()).ok();
    let mut file = report::create_private(path)
        .with_context(|| format!("{}: cannot write", path.display()))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.commit())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    if let Some(p) = perms {
        std::fs::set_permissions(path, p)?;
    }
    Ok(())
}
