//! Applications: which application a location belongs to, from the shape of the scanned tree.
//!
//! The rule (documented in `docs/correlation.md`): a location belongs to the nearest enclosing
//! directory that holds a service manifest, but never above its git repository's top; if no
//! manifest encloses it, to its repository; outside any repository, to the scan root. Overrides
//! from `.sprawl.toml` (`[[applications]]`, a name and path globs) win over the rule. Pure: the
//! scan hands in what it saw while walking.

use std::collections::BTreeMap;

use globset::GlobSet;

use super::owners::CodeOwners;
use crate::source::Location;
use crate::source::layout::{Layout, ancestors};

/// A user override (`[[applications]]`, `[[environments]]`): locations whose path matches one
/// of the globs belong to `name`.
#[derive(Debug, Clone)]
pub struct Area {
    /// Application or environment name.
    pub name: String,
    /// Globs over the location's `path` (relative to its root).
    pub paths: GlobSet,
}

/// The application rule applied to a scanned tree: its [`Layout`] (what the scan saw), the
/// parsed CODEOWNERS of each repository top, and the configuration's overrides.
#[derive(Debug, Clone, Default)]
pub struct Apps {
    /// What the scan learned about each root's shape.
    pub layout: Layout,
    /// CODEOWNERS per repository top (or per root when outside a repository).
    pub owners: BTreeMap<(String, String), CodeOwners>,
    /// Application overrides from configuration.
    pub applications: Vec<Area>,
    /// Environment overrides from configuration.
    pub environments: Vec<Area>,
}

/// An application assignment for one location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Application name, e.g. `shop` or `monorepo/services/billing`.
    pub name: String,
    /// The repository (or root) the location lies in, as `(root, dir)`.
    pub repo: (String, String),
    /// The location's path relative to that repository top.
    pub path_in_repo: String,
}

impl Apps {
    /// Parse the CODEOWNERS files the layout holds (files without a usable entry are dropped).
    pub fn new(layout: Layout, applications: Vec<Area>, environments: Vec<Area>) -> Apps {
        let owners = layout
            .codeowners
            .iter()
            .map(|(k, text)| (k.clone(), CodeOwners::parse(text)))
            .filter(|(_, co)| !co.is_empty())
            .collect();
        Apps {
            layout,
            owners,
            applications,
            environments,
        }
    }

    /// Fill in `application`, `owners` and an overridden `environment` of a location.
    pub fn annotate(&self, loc: &mut Location) {
        let a = self.assign(&loc.root, &loc.path);
        loc.owners = self.owners(&a);
        loc.application = Some(a.name);
        loc.environment = self
            .environments
            .iter()
            .find(|e| e.paths.is_match(&loc.path))
            .map(|e| e.name.clone());
    }

    /// Assign `path` (relative to `root`) to an application.
    pub fn assign(&self, root: &str, path: &str) -> Assignment {
        let dirs = ancestors(path);
        let repo_dir = dirs
            .iter()
            .find(|d| {
                self.layout
                    .repos
                    .contains(&(root.to_string(), d.to_string()))
            })
            .map(|d| d.to_string())
            .unwrap_or_default();
        let repo = (root.to_string(), repo_dir.clone());
        let path_in_repo = strip_dir(path, &repo_dir).to_string();
        let repo_name = self.repo_name(root, &repo_dir);
        if let Some(o) = self.applications.iter().find(|o| o.paths.is_match(path)) {
            return Assignment {
                name: o.name.clone(),
                repo,
                path_in_repo,
            };
        }
        let manifest_dir = dirs
            .iter()
            .take_while(|d| d.len() >= repo_dir.len())
            .find(|d| {
                self.layout
                    .manifests
                    .contains(&(root.to_string(), d.to_string()))
            });
        let name = match manifest_dir {
            Some(d) if d.len() > repo_dir.len() => {
                format!("{repo_name}/{}", strip_dir(d, &repo_dir))
            }
            _ => repo_name,
        };
        Assignment {
            name,
            repo,
            path_in_repo,
        }
    }

    /// Owners of a location from its repository's CODEOWNERS.
    pub fn owners(&self, a: &Assignment) -> Vec<String> {
        self.owners
            .get(&a.repo)
            .map(|co| co.owners_of(&a.path_in_repo).to_vec())
            .unwrap_or_default()
    }

    fn repo_name(&self, root: &str, dir: &str) -> String {
        if dir.is_empty() {
            return self
                .layout
                .root_names
                .get(root)
                .cloned()
                .unwrap_or_else(|| last_component(root).to_string());
        }
        last_component(dir).to_string()
    }
}

fn strip_dir<'a>(path: &'a str, dir: &str) -> &'a str {
    if dir.is_empty() {
        return path;
    }
    path.strip_prefix(dir)
        .map(|p| p.trim_start_matches('/'))
        .unwrap_or(path)
}

fn last_component(p: &str) -> &str {
    let t = p.trim_end_matches('/');
    match t.rfind('/') {
        Some(i) => &t[i + 1..],
        None if t.is_empty() || t == "." => ".",
        None => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Apps {
        let mut l = Layout::default();
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        l.root_names.insert(".".into(), "work".into());
        l.repos.insert(s(".", "shop"));
        l.repos.insert(s(".", "mono"));
        l.manifests.insert(s(".", "shop"));
        l.manifests.insert(s(".", "mono/services/billing"));
        l.manifests.insert(s(".", "mono/services/search"));
        l.codeowners
            .insert(s(".", "mono"), "services/billing/ @billing\n".into());
        Apps::new(l, Vec::new(), Vec::new())
    }

    #[test]
    fn nearest_manifest_inside_the_repository() {
        let l = layout();
        let a = l.assign(".", "mono/services/billing/config/prod.env");
        assert_eq!(a.name, "mono/services/billing");
        assert_eq!(a.repo, (".".to_string(), "mono".to_string()));
        assert_eq!(a.path_in_repo, "services/billing/config/prod.env");
        assert_eq!(l.owners(&a), ["@billing"]);
        assert_eq!(l.assign(".", "mono/infra/k8s/secret.yaml").name, "mono");
        assert_eq!(l.assign(".", "shop/config/app.yml").name, "shop");
        assert_eq!(l.assign(".", "loose/file.txt").name, "work");
    }

    #[test]
    fn overrides_win() {
        let mut l = layout();
        let mut set = globset::GlobSetBuilder::new();
        set.add(globset::Glob::new("mono/services/billing/**").unwrap());
        l.applications.push(Area {
            name: "payments".into(),
            paths: set.build().unwrap(),
        });
        assert_eq!(
            l.assign(".", "mono/services/billing/x.env").name,
            "payments"
        );
    }
}
