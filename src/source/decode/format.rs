//! Which decoder a blob gets: recognised by its name, or by its content when it has none (git
//! history blobs are scanned before their path is known).

use super::{
    Decoded, credjson, credyaml, dbeaver, docker, dotenv, eml, environ, gitcred, history, htpasswd,
    ini, jsoncfg, keystore, keyword, kube, linecfg, markup, netrc, notebook, npmrc, pgpass,
    settings, tfstate, xmlcfg, yamlcfg,
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
    /// INI or flat TOML files (cargo, hcloud, OCI, `.boto`, `pip.conf`, s3cmd, MySQL option
    /// files, Ventrilo, NetworkManager, `gradle.properties`).
    Ini(ini::Kind),
    /// Shell and REPL history.
    History,
    /// The process environment (`<environment>`, written by `source::workstation`).
    Environment,
    /// XML client and server configs (FileZilla, JetBrains, Maven, NuGet, .NET, Tomcat).
    Xml(xmlcfg::Kind),
    /// JSON client configs (editor SFTP plugins, DBeaver, Robo 3T).
    Json(jsoncfg::Kind),
    /// `keyword value` configs (mail clients, Redis, wpa_supplicant).
    Keyword(keyword::Kind),
    /// DBeaver `.dbeaver/credentials-config.json` (binary: AES-encrypted).
    DbeaverCredentials,
    /// PKCS#12 / JKS / JCEKS key stores (binary, recognised by structure).
    KeyStore,
    /// YAML client configs (tugboat, Rails and Mongoid database configs).
    YamlCfg(yamlcfg::Kind),
    /// Line-oriented system files (shadow, PgBouncer userlist, Postfix sasl_passwd, OpenVPN
    /// credentials, fstab).
    Lines(linecfg::Kind),
    /// INI, properties, TOML and `.conf` settings files (`key = value`).
    Settings,
    /// `*.html`, `*.htm`: tags dropped, tables read by column.
    Html,
    /// `*.md`, `*.markdown`: tables read by column.
    Markdown,
    /// Rails `config/master.key`, `config/credentials/*.key`: the whole file is the key.
    RailsKey,
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

/// Whether `data` (named `path`) is a binary format a decoder reads (key stores, DBeaver's
/// encrypted credentials): the scan must not skip it as binary.
pub fn reads_binary(path: &str, data: &[u8]) -> bool {
    matches!(
        format_of(path, data),
        Some(Format::KeyStore | Format::DbeaverCredentials)
    )
}

/// Recognise a format from the first bytes of its content.
fn sniff(data: &[u8]) -> Option<Format> {
    if keystore::sniff(data).is_some() {
        return Some(Format::KeyStore);
    }
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
        "database.yml" | "mongoid.yml" => Format::YamlCfg(yamlcfg::Kind::RailsDatabase),
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
        _ => return clients(&base, &parent, path, data),
    })
}

/// Client and server configs recognised by their file name (and a peek at the bytes for the
/// generic ones).
fn clients(base: &str, parent: &str, path: &str, data: &[u8]) -> Option<Format> {
    use ini::Kind as I;
    use jsoncfg::Kind as J;
    use keyword::Kind as K;
    use linecfg::Kind as L;
    use xmlcfg::Kind as X;
    let has = |needle: &[u8]| memchr::memmem::find(data, needle).is_some();
    let lower = path.to_ascii_lowercase();
    let under = |dir: &str| lower.split('/').rev().skip(1).any(|c| c == dir);
    Some(match base {
        "hub" if parent == ".config" => Format::CredYaml(credyaml::Kind::GhHosts),
        ".tugboat" => Format::YamlCfg(yamlcfg::Kind::Tugboat),
        ".s3cfg" | "s3cfg" => Format::Ini(I::S3cfg),
        ".my.cnf" | "my.cnf" | "debian.cnf" => Format::Ini(I::MyCnf),
        "my.ini" if has(b"[client]") || has(b"[mysqld]") => Format::Ini(I::MyCnf),
        b if b.ends_with(".cnf") && (lower.contains("mysql") || lower.contains("mariadb")) => {
            Format::Ini(I::MyCnf)
        }
        "ventrilo_srv.ini" => Format::Ini(I::Ventrilo),
        b if b.ends_with(".nmconnection") || parent == "system-connections" => {
            Format::Ini(I::NetworkManager)
        }
        ".esmtprc" | "esmtprc" => Format::Keyword(K::Esmtp),
        ".msmtprc" | "msmtprc" | "msmtp.conf" => Format::Keyword(K::Msmtp),
        ".muttrc" | "muttrc" => Format::Keyword(K::Mutt),
        b if parent == ".mutt" && (b == "muttrc" || b.ends_with(".muttrc")) => {
            Format::Keyword(K::Mutt)
        }
        ".fetchmailrc" | "fetchmailrc" => Format::Keyword(K::Fetchmail),
        "redis.conf" | "sentinel.conf" => Format::Keyword(K::Redis),
        b if b.starts_with("redis") && b.ends_with(".conf") => Format::Keyword(K::Redis),
        b if b.starts_with("wpa_supplicant") && b.ends_with(".conf") => {
            Format::Keyword(K::WpaSupplicant)
        }
        "shadow" | "shadow-" | "shadow.bak" | "shadow~" => Format::Lines(L::Shadow),
        "gshadow" | "gshadow-" => Format::Lines(L::Gshadow),
        "userlist.txt" if data.first() == Some(&b'"') || has(b"\n\"") => {
            Format::Lines(L::PgbouncerUserlist)
        }
        "sasl_passwd" | "sasl_passwd.txt" => Format::Lines(L::SaslPasswd),
        "fstab" => Format::Lines(L::Fstab),
        b if b.ends_with(".ovpn") && has(b"<auth-user-pass>") => Format::Lines(L::Openvpn),
        _ if under("openvpn") => Format::Lines(L::Openvpn),
        "sitemanager.xml" | "recentservers.xml" => Format::Xml(X::FileZilla),
        "webservers.xml" | "datasources.xml" | "datasources.local.xml" => Format::Xml(X::JetBrains),
        "settings.xml" if has(b"<servers") || has(b"<proxies") => Format::Xml(X::Maven),
        "nuget.config" => Format::Xml(X::NuGet),
        b if is_dotnet_config(b) && has(b"connectionString") => Format::Xml(X::DotnetConfig),
        "tomcat-users.xml" => Format::Xml(X::Tomcat),
        "server.xml" | "context.xml" if has(b"<Server") || has(b"<Context") => {
            Format::Xml(X::Tomcat)
        }
        "sftp.json" if parent == ".vscode" => Format::Json(J::EditorSftp),
        "sftp-config.json" | "sftp-settings.json" | ".remote-sync.json" | ".ftpconfig" => {
            Format::Json(J::EditorSftp)
        }
        b if b.starts_with("sftp-config-alt") && b.ends_with(".json") => {
            Format::Json(J::EditorSftp)
        }
        b if parent == ".dbeaver" && b.starts_with("data-sources") && b.ends_with(".json") => {
            Format::Json(J::Dbeaver)
        }
        "robo3t.json" | "robomongo.json" => Format::Json(J::Robomongo),
        "credentials-config.json" if parent == ".dbeaver" => Format::DbeaverCredentials,
        b if SETTINGS_EXT.iter().any(|e| b.ends_with(e)) => Format::Settings,
        b if b.ends_with(".html") || b.ends_with(".htm") => Format::Html,
        b if b.ends_with(".md") || b.ends_with(".markdown") => Format::Markdown,
        "master.key" => Format::RailsKey,
        b if parent == "credentials" && b.ends_with(".key") => Format::RailsKey,
        _ if keystore::sniff(data).is_some() => Format::KeyStore,
        _ => return None,
    })
}

/// Extensions of `key = value` settings files (after the named stores above).
const SETTINGS_EXT: &[&str] = &[".ini", ".cfg", ".conf", ".properties", ".toml", ".tfvars"];

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
        "gradle.properties" => Format::Ini(ini::Kind::GradleProperties),
        _ => return None,
    })
}

/// `web.config`, `app.config`, `Web.Release.config`, `MyApp.exe.config`, `MyLib.dll.config`.
fn is_dotnet_config(base: &str) -> bool {
    base == "app.config"
        || base.ends_with(".exe.config")
        || base.ends_with(".dll.config")
        || (base.starts_with("web.") && base.ends_with(".config"))
}

/// Run the decoder for `format` over `data`. `want_spans` asks for context labels (only worth
/// computing when the plain scan found something).
pub fn decode(format: Format, data: &[u8], want_spans: bool) -> Decoded {
    match format {
        Format::Dotenv => dotenv::decode(data),
        Format::Yaml => {
            let mut d = kube::decode(data, want_spans);
            // A Secret's `data:` value is base64: its decoded form is already handed on.
            let claimed: Vec<_> = d
                .derived
                .iter()
                .filter_map(|x| x.replaces.clone())
                .collect();
            d.derived
                .extend(settings::yaml(data).into_iter().filter(|e| {
                    let at = e.anchor.map(e.data.len().saturating_sub(1)).unwrap_or(0);
                    !claimed.iter().any(|r| r.contains(&at))
                }));
            d
        }
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
        Format::Xml(kind) => xmlcfg::decode(data, kind),
        Format::Json(kind) => jsoncfg::decode(data, kind),
        Format::Keyword(kind) => keyword::decode(data, kind),
        Format::Lines(kind) => linecfg::decode(data, kind),
        Format::YamlCfg(kind) => yamlcfg::decode(data, kind),
        Format::DbeaverCredentials => dbeaver::decode(data),
        Format::KeyStore => keystore::decode(data),
        Format::Settings => Decoded {
            derived: settings::ini(data),
            ..Decoded::default()
        },
        Format::Html => markup::html(data),
        Format::Markdown => markup::markdown(data),
        Format::RailsKey => Decoded {
            derived: settings::whole_key(data, "rails.master-key"),
            ..Decoded::default()
        },
    }
}
