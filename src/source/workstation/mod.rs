//! The workstation source (`sprawl scan --workstation`): the credential files a developer's home
//! holds, listed from the documented [`table`], and the process environment as one synthetic
//! blob. It enumerates and reads; the scan driver (`scan::workstation`) runs each item through
//! the same `Engine::scan_bytes` funnel as every other source.
//!
//! Only the places the table names are listed: the home's top level, the exact files, and the
//! folders a pattern with `*` points into (down to the pattern's depth). Nothing else in the
//! home is opened or listed, so caches, toolchains, browser profiles, projects and other users'
//! homes are never read (`~/src` is scanned only when given as a PATH). Inside listed folders,
//! [`SKIP_DIRS`] are not entered and [`table::NEVER`] files are not read. Symbolic links are
//! followed only to a file inside the home (a dotfiles checkout); one pointing out of the home
//! is named in a warning and not read. FIFOs, sockets and devices are counted, never opened.
//! Nothing here writes anything.

pub mod ssh;
pub mod table;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::{IssueKind, ScanIssue, io_reason};
pub use table::{Entry, TABLE};

/// The `root` and displayed path of the process environment's blob.
pub const ENVIRONMENT: &str = "<environment>";

/// Folders never entered inside a listed folder: caches, logs and installed packages, which
/// hold no credentials of their own and can hold many files (kubectl's discovery cache,
/// gcloud's logs).
pub const SKIP_DIRS: &[&str] = &["cache", "http-cache", "logs", "node_modules", ".git"];

/// One credential file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Path on disk (a symbolic link inside the home is read through).
    pub path: PathBuf,
    /// Path relative to the home, `/`-separated.
    pub rel: String,
    /// The tool that keeps it.
    pub tool: &'static str,
}

/// What listing a home found.
#[derive(Debug, Default)]
pub struct Listing {
    /// Files to read, sorted by `rel`.
    pub items: Vec<Item>,
    /// Problems (unreadable folders, links out of the home).
    pub issues: Vec<ScanIssue>,
    /// FIFOs, sockets and devices where a credential file was expected (not opened).
    pub special: u64,
}

/// The table's patterns, compiled.
struct Matcher {
    set: GlobSet,
    never: GlobSet,
}

impl Matcher {
    fn new() -> Option<Matcher> {
        let glob = |p: &str| GlobBuilder::new(p).literal_separator(true).build().ok();
        let mut set = GlobSetBuilder::new();
        for e in TABLE {
            set.add(glob(e.pattern)?);
        }
        let mut never = GlobSetBuilder::new();
        for p in table::NEVER {
            never.add(glob(p)?);
        }
        Some(Matcher {
            set: set.build().ok()?,
            never: never.build().ok()?,
        })
    }

    /// The first table row matching `rel`, unless its file name is never read.
    fn entry(&self, rel: &str) -> Option<&'static Entry> {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if self.never.is_match(name) {
            return None;
        }
        self.set.matches(rel).into_iter().min().map(|i| &TABLE[i])
    }
}

/// Where to look: `(folder under the home, how many levels below it)` for every pattern with
/// `*`, and the exact paths.
fn places() -> (BTreeMap<String, usize>, Vec<&'static str>) {
    let mut folders: BTreeMap<String, usize> = BTreeMap::new();
    let mut exact = Vec::new();
    for e in TABLE {
        let parts: Vec<&str> = e.pattern.split('/').collect();
        match parts.iter().position(|p| p.contains('*')) {
            None => exact.push(e.pattern),
            Some(i) => {
                let depth = folders.entry(parts[..i].join("/")).or_default();
                *depth = (*depth).max(parts.len() - i);
            }
        }
    }
    (folders, exact)
}

/// List the credential files under `home`.
pub fn list(home: &Path) -> Listing {
    let mut out = Listing::default();
    let Some(matcher) = Matcher::new() else {
        return out; // the table's patterns are constants; a test compiles them
    };
    let canonical_home = std::fs::canonicalize(home).unwrap_or_else(|_| home.to_path_buf());
    let mut found: BTreeMap<String, Item> = BTreeMap::new();
    let (folders, exact) = places();
    let mut candidates: Vec<String> = exact.iter().map(|s| s.to_string()).collect();
    for (folder, depth) in &folders {
        list_folder(home, folder, *depth, &mut candidates, &mut out);
    }
    candidates.sort();
    candidates.dedup();
    for rel in candidates {
        let Some(entry) = matcher.entry(&rel) else {
            continue;
        };
        let path = home.join(&rel);
        if let Some(path) = check(&path, &canonical_home, &mut out) {
            let item = Item {
                path,
                rel: rel.clone(),
                tool: entry.tool,
            };
            found.insert(rel, item);
        }
    }
    out.items = found.into_values().collect();
    out
}

/// Push the files up to `depth` levels below `home/folder` (as paths relative to the home).
fn list_folder(
    home: &Path,
    folder: &str,
    depth: usize,
    candidates: &mut Vec<String>,
    out: &mut Listing,
) {
    let mut stack = vec![(folder.to_string(), depth)];
    while let Some((dir, left)) = stack.pop() {
        let path = if dir.is_empty() {
            home.to_path_buf()
        } else {
            home.join(&dir)
        };
        let entries = match std::fs::read_dir(&path) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => continue,
            Err(e) => {
                out.issues.push(issue(&path, io_reason(&e)));
                continue;
            }
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                if left > 1 && !SKIP_DIRS.contains(&name.as_str()) {
                    stack.push((rel, left - 1));
                }
            } else {
                candidates.push(rel);
            }
        }
    }
}

/// The path to read for a candidate, or `None` when there is nothing to read there (absent,
/// a folder, a link out of the home, a special file: the last two are reported or counted).
fn check(path: &Path, home: &Path, out: &mut Listing) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let ft = meta.file_type();
    if ft.is_symlink() {
        return match std::fs::canonicalize(path) {
            Ok(target) if !target.starts_with(home) => {
                out.issues.push(ScanIssue {
                    kind: IssueKind::Limit,
                    path: path.display().to_string(),
                    reason: "symbolic link out of the home, not followed".into(),
                });
                None
            }
            Ok(target) => match std::fs::metadata(&target) {
                Ok(m) if m.is_file() => Some(path.to_path_buf()),
                Ok(m) if m.is_dir() => None,
                Ok(_) => {
                    out.special += 1;
                    None
                }
                Err(e) => {
                    out.issues.push(issue(path, io_reason(&e)));
                    None
                }
            },
            // A dangling link where a credential file belongs: worth a warning.
            Err(e) => {
                out.issues.push(issue(path, io_reason(&e)));
                None
            }
        };
    }
    if ft.is_dir() {
        return None;
    }
    if !ft.is_file() {
        out.special += 1;
        return None;
    }
    Some(path.to_path_buf())
}

fn issue(path: &Path, reason: String) -> ScanIssue {
    ScanIssue {
        kind: IssueKind::Unreadable,
        path: path.display().to_string(),
        reason,
    }
}

/// The process environment as one blob of `NAME=value` lines, sorted by name, so the dotenv
/// decoder names each variable (`context`) and every rule sees the values. A value spanning
/// lines (a PEM key) is kept whole. Names or values that are not UTF-8 are read lossily.
pub fn environment(vars: impl IntoIterator<Item = (OsString, OsString)>) -> Vec<u8> {
    let mut vars: Vec<(String, String)> = vars
        .into_iter()
        .map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        })
        .filter(|(k, v)| !k.is_empty() && !v.is_empty())
        .collect();
    vars.sort();
    let mut out = Vec::new();
    for (k, v) in vars {
        out.extend_from_slice(k.as_bytes());
        out.push(b'=');
        out.extend_from_slice(v.as_bytes());
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests;
