//! The blob cache from the command line: open it for `sprawl scan` (refusing a directory inside
//! what is scanned), save it afterwards, and `sprawl cache info|clear`. Every problem is one
//! warning and a scan without the cache, never an error.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};

use super::args::{CacheArgs, CacheCommand};
use super::config::ScanConfig;
use super::{ExitStatus, finish_stdout};
use crate::cache::{self, Store};
use crate::detect::Detector;
use crate::report::diag;
use crate::scan;

/// `sprawl cache info|clear`.
pub(super) fn run(cmd: CacheCommand) -> Result<ExitStatus> {
    let dir = |a: &CacheArgs| {
        a.cache_dir
            .clone()
            .or_else(cache::default_dir)
            .ok_or_else(|| anyhow!("no cache directory: HOME is not set; give --cache-dir"))
    };
    match cmd {
        CacheCommand::Info(a) => {
            let dir = dir(&a)?;
            // The digest of the default configuration (built-in rules, default caps), to say
            // which file a plain `sprawl scan` uses.
            let current = super::load_rules(true, &[])
                .ok()
                .and_then(|rules| scan::cache_digest(&Detector::new(rules), &Default::default()));
            let text = cache::info(&dir, current.as_ref());
            finish_stdout(|out| out.write_all(text.as_bytes()), ExitStatus::Clean)
        }
        CacheCommand::Clear(a) => {
            let dir = dir(&a)?;
            let n = cache::clear(&dir).map_err(|e| anyhow!("cannot clear the cache: {e}"))?;
            diag::note(&format!(
                "sprawl: removed {n} cache file{} from {}",
                if n == 1 { "" } else { "s" },
                dir.display()
            ));
            Ok(ExitStatus::Clean)
        }
    }
}

/// The cache for this scan, or `None` (with a warning unless `--quiet`) when it is off or
/// cannot be used: no directory, a directory inside a scanned path or home (the default
/// directory there, as in `--workstation` or `sprawl scan ~`, warns only with `--verbose`), a
/// build that cannot be identified, a directory that cannot be written.
pub(super) fn open(cfg: &ScanConfig, detector: &Detector) -> Option<Store> {
    let warn = |msg: String| {
        if !cfg.quiet {
            diag::warn(&msg);
        }
    };
    let dir = cfg.cache_dir.as_ref()?;
    let scanned = cfg
        .roots
        .iter()
        .filter(|r| r.stdin.is_none())
        .map(|r| r.path.clone())
        .chain(cfg.workstation.as_ref().map(|w| w.home.clone()));
    for path in scanned {
        if inside(dir, &path) {
            if cfg.cache_default && !cfg.verbose {
                return None;
            }
            warn(format!(
                "cache directory {} is inside the scanned {}: scanning without the cache \
                 (--cache-dir elsewhere to use it)",
                dir.display(),
                path.display()
            ));
            return None;
        }
    }
    let Some(digest) = scan::cache_digest(detector, &cfg.limits) else {
        warn("cannot identify this build of sprawl: scanning without the cache".into());
        return None;
    };
    Store::open(dir, digest).map_err(warn).ok()
}

/// Say why a cache file was ignored, then write what the scan learnt; a failure is a warning
/// (the results are unaffected).
pub(super) fn save(store: Option<&Store>, quiet: bool) {
    let Some(store) = store else {
        return;
    };
    let result = store.save();
    if quiet {
        return;
    }
    store.warnings().iter().for_each(|w| diag::warn(w));
    if let Err(e) = result {
        diag::warn(&format!("cannot save the cache: {e}"));
    }
}

/// `dir` (which may not exist yet) is `path` or under it.
fn inside(dir: &Path, path: &Path) -> bool {
    let Ok(path) = std::fs::canonicalize(path) else {
        return false;
    };
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(dir)
    };
    // Resolve the longest existing ancestor, then add back the part still to be created.
    let mut rest = Vec::new();
    let mut cur: PathBuf = dir;
    loop {
        if let Ok(real) = std::fs::canonicalize(&cur) {
            let full = rest.iter().rev().fold(real, |p: PathBuf, c| p.join(c));
            return full.starts_with(&path);
        }
        match (cur.file_name().map(|n| n.to_owned()), cur.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                cur = parent.to_path_buf();
            }
            _ => return false,
        }
    }
}
