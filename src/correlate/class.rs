//! Location classes: what kind of place a path is (config, source, test, docs, example,
//! vendored), from its name and folders alone. Where a credential lives decides how loud it is:
//! a finding whose every location is a test, doc, example or vendored file is reported at a
//! lower severity and does not fail the build by default. Pure; the rules are documented in
//! `docs/output.md` and tested below.
//!
//! Precedence, first match wins: vendored folders, example files and folders, test files and
//! folders, documentation, configuration, and source for everything else. A doc comment in a
//! source file (a hit on a comment line) is `docs`.

use crate::source::Class;

/// Folders of third-party code checked in.
const VENDORED_DIRS: &[&str] = &[
    "vendor",
    "vendors",
    "node_modules",
    "bower_components",
    "third_party",
    "third-party",
    "thirdparty",
    "site-packages",
    "dist-packages",
    "pods",
    "carthage",
];

/// Folders of samples and templates.
const EXAMPLE_DIRS: &[&str] = &[
    "example",
    "examples",
    "sample",
    "samples",
    "templates-example",
];

/// File-name parts that mark a template or sample (`.env.example`, `config.sample.yml`,
/// `wp-config-sample.php`, `app.yml.dist`).
const EXAMPLE_MARKS: &[&str] = &["example", "sample", "dist", "template", "tmpl", "tpl"];

/// Folders of tests and test data.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "spec",
    "specs",
    "__tests__",
    "__mocks__",
    "testdata",
    "test-data",
    "test_data",
    "fixtures",
    "fixture",
    "__fixtures__",
    "testcases",
    "integration-tests",
    "e2e",
];

/// Folders of documentation.
const DOC_DIRS: &[&str] = &[
    "docs",
    "doc",
    "documentation",
    "guides",
    "guide",
    "man",
    "manual",
    "wiki",
    "website",
];

/// Extensions of documentation files (man pages by section number too).
const DOC_EXTS: &[&str] = &[
    "md", "markdown", "mdx", "rst", "adoc", "asciidoc", "pod", "rdoc", "textile", "org", "1", "2",
    "3", "4", "5", "6", "7", "8", "9", "man",
];

/// File names (without extension, lower case) of documentation.
const DOC_NAMES: &[&str] = &[
    "readme",
    "changelog",
    "changes",
    "news",
    "history",
    "install",
    "contributing",
    "faq",
    "authors",
    "license",
    "copying",
];

/// Extensions of configuration files.
const CONFIG_EXTS: &[&str] = &[
    "env",
    "yaml",
    "yml",
    "toml",
    "ini",
    "cfg",
    "conf",
    "config",
    "cnf",
    "properties",
    "json",
    "json5",
    "xml",
    "plist",
    "hcl",
    "tf",
    "tfvars",
    "tfstate",
    "backup",
    "npmrc",
    "pypirc",
    "netrc",
    "pgpass",
    "htpasswd",
    "service",
    "key",
    "pem",
    "p12",
    "pfx",
    "jks",
    "jceks",
    "keystore",
    "nmconnection",
    "ppk",
    "ovpn",
    "reg",
    "psd1",
    "gradle",
    "sbt",
    "lock",
];

/// File names (lower case) of configuration, CI and container files.
const CONFIG_NAMES: &[&str] = &[
    "dockerfile",
    "containerfile",
    "jenkinsfile",
    "procfile",
    "vagrantfile",
    "makefile",
    "credentials",
    "config",
    "master.key",
    ".env",
    ".envrc",
    ".npmrc",
    ".yarnrc",
    ".pypirc",
    ".netrc",
    "_netrc",
    ".pgpass",
    ".my.cnf",
    ".s3cfg",
    ".tugboat",
    ".git-credentials",
    ".dockercfg",
    ".htpasswd",
    ".muttrc",
    ".msmtprc",
    ".esmtprc",
    ".ftpconfig",
    ".remote-sync.json",
    ".fetchmailrc",
    "sasl_passwd",
    "shadow",
    "gshadow",
    "passwd",
    "authorized_keys",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
];

/// Folders whose files are configuration (CI, deployment, dotfiles).
const CONFIG_DIRS: &[&str] = &[
    ".github",
    ".gitlab",
    ".circleci",
    ".buildkite",
    ".aws",
    ".ssh",
    ".docker",
    ".kube",
    ".config",
    "config",
    "configs",
    "conf",
    "etc",
    "deploy",
    "deployment",
    "deployments",
    "k8s",
    "kubernetes",
    "helm",
    "charts",
    "ansible",
    "terraform",
    "infra",
];

/// The class of a location at `path` (relative, `/`-separated), found on a comment line or not.
pub fn classify(path: &str, comment: bool) -> Class {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
    let name = parts.pop().unwrap_or("");
    let dirs = parts;
    let has_dir = |set: &[&str]| dirs.iter().any(|d| set.contains(d));
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, e),
        _ => (name, ""),
    };
    if has_dir(VENDORED_DIRS) {
        return Class::Vendored;
    }
    if has_dir(EXAMPLE_DIRS) || is_example_name(name) {
        return Class::Example;
    }
    if has_dir(TEST_DIRS) || is_test_name(name, stem) {
        return Class::Test;
    }
    if DOC_EXTS.contains(&ext) || DOC_NAMES.contains(&stem) || DOC_NAMES.contains(&name) {
        return Class::Docs;
    }
    let config = CONFIG_EXTS.contains(&ext)
        || CONFIG_NAMES.contains(&name)
        || name.starts_with(".env")
        || name.starts_with("docker-compose")
        || name.ends_with("-ci.yml")
        || has_dir(CONFIG_DIRS) && !is_code_ext(ext);
    if config {
        return Class::Config;
    }
    if has_dir(DOC_DIRS) {
        return Class::Docs;
    }
    if comment && is_code_ext(ext) {
        return Class::Docs;
    }
    Class::Source
}

/// `*.example`, `.env.example`, `config.sample.yml`, `wp-config-sample.php`, `app.yml.dist`.
fn is_example_name(name: &str) -> bool {
    name.split(['.', '-', '_'])
        .skip(1)
        .any(|part| EXAMPLE_MARKS.contains(&part))
        || name
            .split('.')
            .next()
            .is_some_and(|first| first == "example" || first == "sample")
}

/// `*_test.go`, `test_*.py`, `*.spec.ts`, `*.test.js`, `FooTest.java`, `FooTests.cs`,
/// `foo_spec.rb`, `conftest.py`.
fn is_test_name(name: &str, stem: &str) -> bool {
    stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("_spec")
        || stem.ends_with(".spec")
        || stem.ends_with(".test")
        || stem.starts_with("test_")
        || stem.ends_with("test") && stem.len() > 4 && name.contains(".java")
        || stem.ends_with("tests") && name.ends_with(".cs")
        || name == "conftest.py"
}

/// Extensions of program source.
fn is_code_ext(ext: &str) -> bool {
    matches!(
        ext,
        "rs" | "go"
            | "py"
            | "rb"
            | "js"
            | "mjs"
            | "cjs"
            | "ts"
            | "tsx"
            | "jsx"
            | "java"
            | "kt"
            | "kts"
            | "scala"
            | "cs"
            | "fs"
            | "vb"
            | "c"
            | "h"
            | "cc"
            | "cpp"
            | "hpp"
            | "cxx"
            | "m"
            | "mm"
            | "swift"
            | "php"
            | "pl"
            | "pm"
            | "sh"
            | "bash"
            | "zsh"
            | "ps1"
            | "lua"
            | "r"
            | "dart"
            | "ex"
            | "exs"
            | "erl"
            | "clj"
            | "groovy"
            | "sql"
            | "vue"
            | "svelte"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_by_path() {
        use Class::*;
        for (path, want) in [
            (".env", Config),
            ("deploy/prod/.env.production", Config),
            ("config/secrets.yml", Config),
            ("config/master.key", Config),
            ("app/settings.py", Source),
            ("src/db.go", Source),
            ("wp-config.php", Source),
            ("k8s/secret.yaml", Config),
            (".github/workflows/ci.yml", Config),
            ("Dockerfile", Config),
            ("docker-compose.prod.yml", Config),
            (".gitlab-ci.yml", Config),
            ("infra/main.tf", Config),
            (".config/hub", Config),
            ("system-connections/Office.nmconnection", Config),
            ("keys/secrets.jceks", Config),
            (".fetchmailrc", Config),
            ("tests/test_login.py", Test),
            ("pkg/db/db_test.go", Test),
            ("web/src/app.spec.ts", Test),
            ("spec/models/user_spec.rb", Test),
            ("src/test/java/AppTest.java", Test),
            ("fixtures/config.json", Test),
            ("internal/testdata/creds.txt", Test),
            ("README.md", Docs),
            ("docs/setup.md", Docs),
            ("docs/conf.py", Docs),
            ("guides/source/security.md", Docs),
            ("docs/cmdline-opts/user.1", Docs),
            (".env.example", Example),
            ("config/database.yml.sample", Example),
            ("wp-config-sample.php", Example),
            ("app.yml.dist", Example),
            ("examples/guestbook/redis.yaml", Example),
            ("vendor/github.com/x/y/z.go", Vendored),
            ("web/node_modules/pkg/test/key.js", Vendored),
            ("third_party/lib/config.ini", Vendored),
        ] {
            assert_eq!(classify(path, false), want, "{path}");
        }
    }

    #[test]
    fn doc_comments_in_code_are_docs() {
        assert_eq!(classify("src/client.py", true), Class::Docs);
        assert_eq!(classify("src/client.py", false), Class::Source);
        // A commented-out line in a config file is still configuration.
        assert_eq!(classify(".env", true), Class::Config);
    }
}
