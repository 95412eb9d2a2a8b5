//! After a scan, learn the shape of the tree around each hit: which directories are git
//! repository tops, which hold service manifests, what CODEOWNERS files say, and the roots' own
//! names. Only the directories that enclose a hit are looked at (a few `stat`s and `read_dir`s
//! each), so this costs nothing on a clean scan. It reads; the rules that turn a [`Layout`] into
//! application names and owners live in `correlate::apps`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::source::Location;

/// File names that mark a directory as a service or package.
pub const MANIFESTS: &[&str] = &[
    "Cargo.toml",
    "package.json",
    "go.mod",
    "pyproject.toml",
    "setup.py",
    "requirements.txt",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "Gemfile",
    "composer.json",
    "mix.exs",
    "Dockerfile",
    "Chart.yaml",
    "kustomization.yaml",
    "serverless.yml",
    "app.yaml",
    "Procfile",
    "deno.json",
    "Package.swift",
];

/// Where GitHub and GitLab look for a CODEOWNERS file, in the order GitHub uses.
pub const CODEOWNERS: &[&str] = &[
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// True if `name` is a service manifest file name (or a `*.csproj`).
pub fn is_manifest(name: &str) -> bool {
    MANIFESTS.contains(&name) || name.ends_with(".csproj")
}

/// What the scan learned about each root's shape. Keys are `(root as given, dir relative to
/// the root)`, with `""` for the root itself.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Git repository tops.
    pub repos: BTreeSet<(String, String)>,
    /// Directories holding a service manifest.
    pub manifests: BTreeSet<(String, String)>,
    /// The text of the CODEOWNERS file of each repository top (or of each root, for trees
    /// outside a repository).
    pub codeowners: BTreeMap<(String, String), String>,
    /// Display names of roots (the directory's own name, e.g. `shop` for `.`).
    pub root_names: BTreeMap<String, String>,
}

/// The directories enclosing `path`, deepest first, ending with `""`.
pub fn ancestors(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut p = path;
    while let Some(i) = p.rfind('/') {
        p = &p[..i];
        out.push(p);
    }
    out.push("");
    out
}

/// Build the layout for `locations` under `roots` (`(as given, path on disk)`).
pub fn build<'a>(
    roots: &[(String, PathBuf)],
    locations: impl Iterator<Item = &'a Location>,
) -> Layout {
    let mut layout = Layout::default();
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
    let mut looked = BTreeSet::new();
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
        if let Some(text) = CODEOWNERS
            .iter()
            .find_map(|f| std::fs::read_to_string(base.join(f)).ok())
        {
            layout.codeowners.insert((root, dir), text);
        }
    }
    layout
}
