//! Which decoder a blob gets: recognised by its name, or by its content when it has none (git
//! history blobs are scanned before their path is known).

use super::{
    Decoded, credjson, credyaml, docker, dotenv, eml, environ, gitcred, history, htpasswd, ini,
    kube, netrc, notebook, npmrc, pgpass, tfstate,
};

/// A config-store format recognised by name (and, for ambiguous names, a peek at the bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `.env`, `.env.*`, `*.env`.
    Dotenv,
    /// `*.yaml`, `*.yml` (Kubernetes manifests, Helm values, anything YAML).
    Yaml,
    /// docker `config.json` with `auths`, `.dockercfg`, `.dockerconfigjson`.
    Docker,
    /// `.npmrc`.
    Npmrc,
    /// `.pypirc`.
    Pypirc,
    /// AWS `credentials` / `config` files.
    Aws,
    /// `.netrc`, `_netrc`.
    Netrc,
    /// `.git-credentials`.
    GitCredentials,
    /// `.htpasswd`.
    Htpasswd,
    /// `.pgpass`.
    Pgpass,
    /// `*.tfstate`, `*.tfstate.backup`.
    Tfstate,
    /// `*.ipynb`.
    Notebook,
    /// `*.eml` (MIME parts decoded).
    Eml,
    /// JSON credential caches and login files of CLI tools (AWS SSO and CLI caches, Azure
    /// token caches, gcloud credentials, Terraform `credentials.tfrc.json`).
    CredJson(credjson::Kind),
    /// YAML login files of CLI tools (gh, glab, doctl, RubyGems, Yarn).
    CredYaml(credyaml::Kind),
    /// INI or flat TOML login files (cargo, hcloud, OCI, `.boto`, `pip.conf`).
    Ini(ini::Kind),
    /// Shell and REPL history.
    History,
    /// The process environment (`<environment>`, written by `source::workstation`).
    Environment,
}

/// The last `/`-separated component of `path`.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The format of a blob: by its name (`data` breaks ties for generic names such as
/// `config.json`). A blob without a name (empty or `-`: git history objects, which are scanned
/// before any path is known, and unnamed standard input) is recognised by its content when that
/// is unmistakable: Kubernetes manifests, docker configs, notebooks, Terraform state. Named
/// files are never sniffed, which keeps the common path to a few string comparisons.
pub fn format_of(path: &str, data: &[u8]) -> Option<Format> {
    if path.is_empty() || path == "-" {
        sniff(data)
    } else {
        by_name(path, data)
    }
}

/// Recognise a format from the first bytes of its content.
fn sniff(data: &[u8]) -> Option<Format> {
    let head = &data[..data.len().min(8 << 10)];
    let has = |needle: &[u8]| memchr::memmem::find(head, needle).is_some();
    let first = head.iter().find(|b| !b.is_ascii_whitespace())?;
    if *first == b'{' {
        return if has(b"\"nbformat\"") && has(b"\"cells\"") {
            Some(Format::Notebook)
        } else if has(b"\"terraform_version\"") {
            Some(Format::Tfstate)
        } else if has(b"\"auths\"") {
            Some(Format::Docker)
        } else {
            None
        };
    }
    let at_line_start = |needle: &[u8]| {
        memchr::memmem::find_iter(head, needle).any(|i| i == 0 || head[i - 1] == b'\n')
    };
    (at_line_start(b"apiVersion:") && at_line_start(b"kind:")).then_some(Format::Yaml)
}

fn by_name(path: &str, data: &[u8]) -> Option<Format> {
    let base = base_name(path).to_ascii_lowercase();
    let has = |needle: &[u8]| memchr::memmem::find(data, needle).is_some();
    let parent = path.rsplit('/').nth(1).unwrap_or("").to_ascii_lowercase();
    if let Some(f) = tool_file(path, &base, &parent) {
        return Some(f);
    }
    Some(match base.as_str() {
        ".env" | "env" => Format::Dotenv,
        b if b.starts_with(".env.") || b.ends_with(".env") => Format::Dotenv,
        b if b.ends_with(".yaml") || b.ends_with(".yml") => Format::Yaml,
        ".dockercfg" | ".dockerconfigjson" => Format::Docker,
        "config.json" if has(b"\"auths\"") => Format::Docker,
        ".npmrc" | "npmrc" => Format::Npmrc,
        ".pypirc" | "pypirc" => Format::Pypirc,
        ".netrc" | "_netrc" | "netrc" => Format::Netrc,
        ".git-credentials" | "git-credentials" => Format::GitCredentials,
        "credentials" if parent == "git" => Format::GitCredentials,
        "credentials" | "config" if parent == ".aws" || has(b"aws_secret_access_key") => {
            Format::Aws
        }
        ".htpasswd" | "htpasswd" => Format::Htpasswd,
        b if b.ends_with(".htpasswd") => Format::Htpasswd,
        ".pgpass" | "pgpass" | "pgpass.conf" => Format::Pgpass,
        b if b.ends_with(".tfstate") || b.ends_with(".tfstate.backup") => Format::Tfstate,
        b if b.ends_with(".ipynb") => Format::Notebook,
        b if b.ends_with(".eml") => Format::Eml,
        _ => return None,
    })
}

/// Files CLI tools keep in a home (see `source::workstation::table`), by name and folder.
fn tool_file(path: &str, base: &str, parent: &str) -> Option<Format> {
    use credjson::Kind as J;
    use credyaml::Kind as Y;
    let json = base.ends_with(".json");
    Some(match base {
        super::super::workstation::ENVIRONMENT => Format::Environment,
        ".bash_history" | ".zsh_history" | ".histfile" | ".sh_history" | "fish_history"
        | ".python_history" | ".node_repl_history" | ".mysql_history" | ".psql_history" => {
            Format::History
        }
        _ if json && parent == "cache" && path.contains(".aws/sso/cache/") => {
            Format::CredJson(J::AwsSsoCache)
        }
        _ if json && parent == "cache" && path.contains(".aws/cli/cache/") => {
            Format::CredJson(J::AwsCliCache)
        }
        "msal_token_cache.json" | "accesstokens.json" | "service_principal_entries.json" => {
            Format::CredJson(J::Azure)
        }
        "application_default_credentials.json" | "adc.json" => Format::CredJson(J::Gcloud),
        _ if json && path.contains("gcloud/") => Format::CredJson(J::Gcloud),
        "credentials.tfrc.json" => Format::CredJson(J::Terraform),
        "hosts.yml" if parent == "gh" => Format::CredYaml(Y::GhHosts),
        "config.yml" if parent == "glab-cli" => Format::CredYaml(Y::Glab),
        "config.yaml" if parent == "doctl" => Format::CredYaml(Y::Doctl),
        "credentials" if parent == ".gem" => Format::CredYaml(Y::Gem),
        ".yarnrc.yml" => Format::CredYaml(Y::Yarnrc),
        "config" if parent == ".kube" => Format::Yaml,
        "kubeconfig" => Format::Yaml,
        b if b.ends_with(".kubeconfig") => Format::Yaml,
        "credentials.toml" | "credentials" if parent == ".cargo" => {
            Format::Ini(ini::Kind::TomlToken)
        }
        "cli.toml" if parent == "hcloud" => Format::Ini(ini::Kind::TomlToken),
        "config" if parent == ".oci" => Format::Ini(ini::Kind::Oci),
        ".boto" => Format::Ini(ini::Kind::Boto),
        "pip.conf" | "pip.ini" => Format::Ini(ini::Kind::Plain),
        "gradle.properties" => Format::Dotenv,
        _ => return None,
    })
}

/// Run the decoder for `format` over `data`. `want_spans` asks for context labels (only worth
/// computing when the plain scan found something).
pub fn decode(format: Format, data: &[u8], want_spans: bool) -> Decoded {
    match format {
        Format::Dotenv => dotenv::decode(data),
        Format::Yaml => kube::decode(data, want_spans),
        Format::Docker => docker::decode(data),
        Format::Npmrc => npmrc::decode(data),
        Format::Pypirc => ini::decode(data, ini::Kind::Pypirc),
        Format::Aws => ini::decode(data, ini::Kind::Aws),
        Format::Netrc => netrc::decode(data),
        Format::GitCredentials => gitcred::decode(data),
        Format::Htpasswd => htpasswd::decode(data),
        Format::Pgpass => pgpass::decode(data),
        Format::Tfstate => tfstate::decode(data),
        Format::Notebook => notebook::decode(data),
        Format::Eml => eml::decode(data),
        Format::CredJson(kind) => credjson::decode(data, kind),
        Format::CredYaml(kind) => credyaml::decode(data, kind),
        Format::Ini(kind) => ini::decode(data, kind),
        Format::History if want_spans => history::decode(data),
        Format::Environment if want_spans => environ::decode(data),
        // Spans only label hits: a history or environment without any needs no parsing.
        Format::History | Format::Environment => Decoded::default(),
    }
}
