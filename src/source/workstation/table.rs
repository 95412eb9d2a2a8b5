//! What `--workstation` reads: the documented table of credential files under a home, each with
//! the tool that keeps it and the reader that decodes it. README.md ("Workstation exposure")
//! describes the same list for people; the tests check that every row gets the decoder it names
//! (`source::workstation::tests`) and that a file of every row is reported with its tool
//! (`tests/cli/workstation.rs`).
//!
//! Data only. The decoder a file gets is chosen by its name (`source::decode::format_of`), the
//! same as for a copy of the file in a repository; `reader` here names it for the docs, and a
//! test checks that the name really picks that decoder.

/// One row: files under the home matching `pattern` are kept by `tool`.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Path under the home, `/`-separated. `*` matches within one name; a pattern with `*`
    /// makes its literal directory prefix a place to list (see [`super::SKIP_DIRS`]).
    pub pattern: &'static str,
    /// The tool name reported on each location (`Location::tool`).
    pub tool: &'static str,
    /// The decoder (for the docs): a `source::decode` format, `sqlite` for a database (read by
    /// its magic bytes, every table's rows), `text` for the rules alone.
    pub reader: &'static str,
}

const fn text(pattern: &'static str, tool: &'static str, reader: &'static str) -> Entry {
    Entry {
        pattern,
        tool,
        reader,
    }
}

/// Every credential file `--workstation` reads, first match wins. macOS paths
/// (`Library/Application Support/...`) sit next to the Linux ones; on a machine without them
/// they are simply absent.
pub const TABLE: &[Entry] = &[
    // Cloud and cluster.
    text(".aws/credentials", "aws-cli", "aws"),
    text(".aws/config", "aws-cli", "aws"),
    text(".aws/sso/cache/*.json", "aws-cli", "aws-sso-cache"),
    text(".aws/cli/cache/*.json", "aws-cli", "aws-cli-cache"),
    text(".azure/msal_token_cache.json", "azure-cli", "azure-tokens"),
    text(".azure/accessTokens.json", "azure-cli", "azure-tokens"),
    text(
        ".azure/service_principal_entries.json",
        "azure-cli",
        "azure-tokens",
    ),
    text(
        ".config/gcloud/application_default_credentials.json",
        "gcloud",
        "gcloud-json",
    ),
    text(
        ".config/gcloud/legacy_credentials/*/adc.json",
        "gcloud",
        "gcloud-json",
    ),
    text(
        ".config/gcloud/legacy_credentials/*/.boto",
        "gcloud",
        "boto",
    ),
    text(".config/gcloud/*.db", "gcloud", "sqlite"),
    text(".config/gcloud/*.json", "gcloud", "gcloud-json"),
    text(".config/gcloud/*/*.json", "gcloud", "gcloud-json"),
    text(".kube/config", "kubectl", "kubeconfig"),
    text(".kube/*.yaml", "kubectl", "kubeconfig"),
    text(".kube/*.yml", "kubectl", "kubeconfig"),
    text(".kube/*.kubeconfig", "kubectl", "kubeconfig"),
    text(".docker/config.json", "docker", "docker"),
    text(
        ".terraform.d/credentials.tfrc.json",
        "terraform",
        "terraform-credentials",
    ),
    text(".config/doctl/config.yaml", "doctl", "doctl"),
    text(
        "Library/Application Support/doctl/config.yaml",
        "doctl",
        "doctl",
    ),
    text(".config/hcloud/cli.toml", "hcloud", "hcloud"),
    text(".oci/config", "oci-cli", "oci"),
    text(".oci/*.pem", "oci-cli", "private-key"),
    // Package registries and code hosts.
    text(".npmrc", "npm", "npmrc"),
    text(".yarnrc.yml", "yarn", "yarnrc"),
    text(".pypirc", "pypi", "pypirc"),
    text(".config/pip/pip.conf", "pip", "pip-conf"),
    text(".pip/pip.conf", "pip", "pip-conf"),
    text(
        "Library/Application Support/pip/pip.conf",
        "pip",
        "pip-conf",
    ),
    text(".cargo/credentials.toml", "cargo", "cargo-credentials"),
    text(".cargo/credentials", "cargo", "cargo-credentials"),
    text(".gem/credentials", "gem", "gem-credentials"),
    text(".m2/settings.xml", "maven", "maven-settings"),
    text(".gradle/gradle.properties", "gradle", "gradle-properties"),
    text(".nuget/NuGet/NuGet.Config", "nuget", "nuget-config"),
    text(".config/NuGet/NuGet.Config", "nuget", "nuget-config"),
    text(".netrc", "netrc", "netrc"),
    text("_netrc", "netrc", "netrc"),
    text(".git-credentials", "git", "git-credentials"),
    text(".config/git/credentials", "git", "git-credentials"),
    text(".config/gh/hosts.yml", "gh", "gh-hosts"),
    text(".config/glab-cli/config.yml", "glab", "glab"),
    text(
        "Library/Application Support/glab-cli/config.yml",
        "glab",
        "glab",
    ),
    text(".pgpass", "psql", "pgpass"),
    text(".my.cnf", "mysql", "mysql-option-file"),
    text(".ssh/*", "ssh", "private-key"),
    // Shells: history, profiles, home-level `.env` files.
    text(".bash_history", "shell-history", "history"),
    text(".zsh_history", "shell-history", "history"),
    text(".histfile", "shell-history", "history"),
    text(".sh_history", "shell-history", "history"),
    text(".local/share/fish/fish_history", "shell-history", "history"),
    text(".python_history", "shell-history", "history"),
    text(".node_repl_history", "shell-history", "history"),
    text(".mysql_history", "shell-history", "history"),
    text(".psql_history", "shell-history", "history"),
    text(".bashrc", "shell-profile", "text"),
    text(".bash_profile", "shell-profile", "text"),
    text(".profile", "shell-profile", "text"),
    text(".zshrc", "shell-profile", "text"),
    text(".zshenv", "shell-profile", "text"),
    text(".zprofile", "shell-profile", "text"),
    text(".config/fish/config.fish", "shell-profile", "text"),
    text(".env", "dotenv", "dotenv"),
    text(".env.*", "dotenv", "dotenv"),
    text("*.env", "dotenv", "dotenv"),
];

/// Files inside listed folders that are never read: public keys, host lists, sockets' usual
/// names. Matched against the file name.
pub const NEVER: &[&str] = &[
    "*.pub",
    "known_hosts",
    "known_hosts.old",
    "authorized_keys",
    "authorized_keys2",
    "*.sock",
    "*.lock",
];
