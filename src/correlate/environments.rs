//! Environment inference from a location's path: which deployment environment a copy of a
//! credential serves. Pure string rules, documented in `docs/correlation.md`.

/// Environments sprawl recognises, most critical first.
pub const ALL: &[&str] = &["production", "staging", "development", "test", "ci"];

/// Path words that name each environment. Matched against path components and against the
/// `-`, `_` and `.`-separated words inside them (`values-prod.yaml`, `.env.production`).
const WORDS: &[(&str, &[&str])] = &[
    ("production", &["prod", "production", "prd", "live"]),
    ("staging", &["staging", "stage", "stg", "preprod", "uat"]),
    ("development", &["dev", "develop", "development", "local"]),
    (
        "test",
        &["test", "tests", "testing", "qa", "spec", "fixtures", "e2e"],
    ),
];

/// CI configuration paths.
const CI_PATHS: &[&str] = &[
    ".github/workflows/",
    ".gitlab-ci.yml",
    ".circleci/",
    "Jenkinsfile",
    ".travis.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".buildkite/",
    ".drone.yml",
];

/// True if `path` is CI configuration.
pub fn is_ci(path: &str) -> bool {
    CI_PATHS.iter().any(|p| {
        if p.ends_with('/') {
            path.starts_with(p) || path.contains(&format!("/{p}"))
        } else {
            path == *p || path.ends_with(&format!("/{p}"))
        }
    })
}

/// Environments named by `path` (sorted as in [`ALL`]); empty when it names none.
pub fn infer(path: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let words: Vec<String> = path
        .split('/')
        .flat_map(|c| c.split(['-', '_', '.']))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    for (env, names) in WORDS {
        if words.iter().any(|w| names.contains(&w.as_str())) {
            found.push(*env);
        }
    }
    if is_ci(path) {
        found.push("ci");
    }
    found.sort_by_key(|e| ALL.iter().position(|a| a == e));
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_from_names_and_components() {
        assert_eq!(infer("app/.env.production"), ["production"]);
        assert_eq!(infer("k8s/overlays/prod/secret.yaml"), ["production"]);
        assert_eq!(infer("chart/values-staging.yaml"), ["staging"]);
        assert_eq!(infer("config/dev.env"), ["development"]);
        assert_eq!(infer("src/main.rs"), Vec::<&str>::new());
        assert_eq!(
            infer(".github/workflows/deploy-prod.yml"),
            ["production", "ci"]
        );
        assert_eq!(infer("spec/fixtures/keys.txt"), ["test"]);
        // Words inside other words do not count: "product" is not "prod".
        assert_eq!(infer("src/product/catalog.rb"), Vec::<&str>::new());
    }
}
