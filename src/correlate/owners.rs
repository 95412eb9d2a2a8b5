//! CODEOWNERS: parse the file's text and find the owners of a path the way GitHub does (the
//! last matching pattern wins). Pure: the scan hands in the file contents it already read.

use globset::{GlobBuilder, GlobMatcher};

/// A parsed CODEOWNERS file.
#[derive(Debug, Clone, Default)]
pub struct CodeOwners {
    entries: Vec<(GlobMatcher, Vec<String>)>,
}

impl CodeOwners {
    /// Parse CODEOWNERS text. Lines that do not parse (bad glob) are skipped, as GitHub does.
    pub fn parse(text: &str) -> CodeOwners {
        let mut entries = Vec::new();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with('[') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let Some(pattern) = parts.next() else {
                continue;
            };
            let owners: Vec<String> = parts
                .take_while(|p| !p.starts_with('#'))
                .map(str::to_string)
                .collect();
            if let Some(m) = compile(pattern) {
                entries.push((m, owners));
            }
        }
        CodeOwners { entries }
    }

    /// Owners of `path` (relative to the repository root, `/`-separated): the last matching
    /// pattern's owners; empty if none matches or that pattern lists nobody.
    pub fn owners_of(&self, path: &str) -> &[String] {
        self.entries
            .iter()
            .rev()
            .find(|(m, _)| m.is_match(path))
            .map(|(_, o)| o.as_slice())
            .unwrap_or(&[])
    }

    /// True if the file had no usable entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Translate one CODEOWNERS pattern (gitignore-like) into a glob over repository paths:
/// a leading `/` or an inner `/` anchors it at the root, otherwise it matches at any depth;
/// `*` does not cross `/`; a pattern also matches everything below a matching directory.
fn compile(pattern: &str) -> Option<GlobMatcher> {
    let trimmed = pattern.trim_end_matches('/');
    let anchored = pattern.starts_with('/') || trimmed.trim_start_matches('/').contains('/');
    let body = trimmed.trim_start_matches('/');
    if body.is_empty() {
        return None;
    }
    let base = if anchored || body.starts_with("**") {
        body.to_string()
    } else {
        format!("**/{body}")
    };
    let glob = if pattern.ends_with("/*") {
        base
    } else {
        format!("{{{base},{base}/**}}")
    };
    GlobBuilder::new(&glob)
        .literal_separator(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# comment
*                 @org/everyone
*.yml             @org/ops
/apps/billing/    @org/billing @alice
docs/*            @org/docs
k8s/              @org/platform   # trailing comment
/apps/billing/legacy.yml
";

    #[test]
    fn last_match_wins() {
        let co = CodeOwners::parse(FILE);
        assert_eq!(co.owners_of("README.md"), ["@org/everyone"]);
        assert_eq!(co.owners_of("ci/deploy.yml"), ["@org/ops"]);
        assert_eq!(
            co.owners_of("apps/billing/config.yml"),
            ["@org/billing", "@alice"]
        );
        assert_eq!(
            co.owners_of("apps/billing/src/deep/a.rs"),
            ["@org/billing", "@alice"]
        );
        assert_eq!(co.owners_of("docs/intro.md"), ["@org/docs"]);
        // `docs/*` does not reach into subdirectories.
        assert_eq!(co.owners_of("docs/api/x.md"), ["@org/everyone"]);
        // An unanchored directory pattern matches at any depth.
        assert_eq!(co.owners_of("infra/k8s/secret.yaml"), ["@org/platform"]);
        // A pattern with no owners un-owns the path.
        assert!(co.owners_of("apps/billing/legacy.yml").is_empty());
    }
}
