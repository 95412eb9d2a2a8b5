//! After a scan, learn the shape of the tree around each hit: which directories are git
//! repository tops, which hold service manifests, what CODEOWNERS say, and the roots' own
//! names. Only the directories that enclose a hit are looked at (a few `stat`s and
//! `read_dir`s each), so this costs nothing on a clean scan. The pure rules that turn this
//! into application names live in `correlate::apps`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::correlate::apps::{AppOverride, Layout, ancestors, is_manifest};
use crate::correlate::owners::{self, CodeOwners};
use crate::source::Location;

/// Build the layout for `locations` under `roots` (`(as given, path on disk)`).
pub fn build<'a>(
    roots: &[(String, PathBuf)],
    locations: impl Iterator<Item = &'a Location>,
    overrides: Vec<AppOverride>,
) -> Layout {
    let mut layout = Layout {
        overrides,
        ..Layout::default()
    };
    let disk: BTreeMap<&str, &Path> = roots
        .iter()
        .map(|(g, p)| (g.as_str(), p.as_path()))
        .collect();
    for (given, path) in roots {
        let name = std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| given.clone());
        layout.root_names.insert(given.clone(), name);
    }
    let mut looked = std::collections::BTreeSet::new();
    for loc in locations {
        let Some(root_path) = disk.get(loc.root.as_str()) else {
            continue;
        };
        for dir in ancestors(&loc.path) {
            if !looked.insert((loc.root.clone(), dir.to_string())) {
                break;
            }
            let full = if dir.is_empty() {
                root_path.to_path_buf()
            } else {
                root_path.join(dir)
            };
            if !full.is_dir() {
                continue;
            }
            let key = (loc.root.clone(), dir.to_string());
            if full.join(".git").exists() || super::git::is_git_dir(&full) {
                layout.repos.insert(key.clone());
            }
            if let Ok(entries) = std::fs::read_dir(&full) {
                let has_manifest = entries
                    .filter_map(Result::ok)
                    .any(|e| is_manifest(&e.file_name().to_string_lossy()));
                if has_manifest {
                    layout.manifests.insert(key.clone());
                }
            }
        }
    }
    // CODEOWNERS of each repository top, and of each root (for trees outside a repository).
    let mut tops: Vec<(String, String)> = layout.repos.iter().cloned().collect();
    tops.extend(roots.iter().map(|(g, _)| (g.clone(), String::new())));
    for (root, dir) in tops {
        let Some(root_path) = disk.get(root.as_str()) else {
            continue;
        };
        let base = if dir.is_empty() {
            root_path.to_path_buf()
        } else {
            root_path.join(&dir)
        };
        if let Some(text) = owners::LOCATIONS
            .iter()
            .find_map(|f| std::fs::read_to_string(base.join(f)).ok())
        {
            let co = CodeOwners::parse(&text);
            if !co.is_empty() {
                layout.owners.insert((root, dir), co);
            }
        }
    }
    layout
}

/// Fill in `application` and `owners` of a location from the layout.
pub fn annotate(layout: &Layout, loc: &mut Location) {
    let a = layout.assign(&loc.root, &loc.path);
    loc.owners = layout.owners(&a);
    loc.application = Some(a.name);
}
