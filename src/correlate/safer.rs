//! The safer setup per tool, for credentials found on a workstation: what to log in with so the
//! machine holds short-lived or keyring-protected credentials instead of static ones in plain
//! files (the short-lived-credential practice the OWASP Non-Human Identity Top 10 asks for).
//! Keyed by `Location::tool`; the plan's `harden` step quotes it. Data only.

/// The recommendation for `tool`, or a general one for a tool without its own entry.
pub fn setup(tool: &str) -> &'static str {
    match tool {
        "aws-cli" => {
            "Use AWS IAM Identity Center (`aws configure sso`: short-lived role credentials) or a \
             `credential_process` helper such as aws-vault instead of static keys in \
             ~/.aws/credentials; delete the key from the file once replaced."
        }
        "azure-cli" => {
            "Sign in with `az login` where the token cache is encrypted by the OS keychain; for \
             automation use a managed identity or workload identity federation instead of a \
             service principal secret."
        }
        "gcloud" => {
            "Use `gcloud auth login` / `gcloud auth application-default login` (short-lived \
             tokens) or service account impersonation (`--impersonate-service-account`) instead \
             of downloaded service-account keys."
        }
        "kubectl" => {
            "Replace static tokens, passwords and client keys in the kubeconfig with an exec \
             credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`), \
             which fetches short-lived tokens."
        }
        "docker" => {
            "Configure a credential helper (`credsStore` or `credHelpers`: osxkeychain, \
             secretservice, pass, wincred) and run `docker login` again, so config.json holds no \
             password."
        }
        "terraform" => {
            "Keep the token out of credentials.tfrc.json: a credentials helper or a \
             `TF_TOKEN_<host>` variable injected from a secret manager, with a team token that \
             expires."
        }
        "doctl" | "hcloud" => {
            "Use a token scoped to what the CLI needs, with an expiry, and remove it from the \
             config file; pass it from a secret manager (`DIGITALOCEAN_ACCESS_TOKEN`, \
             `HCLOUD_TOKEN`) only to the commands that need it."
        }
        "oci-cli" => {
            "Use session tokens (`oci session authenticate`) instead of an API signing key with \
             a stored pass phrase."
        }
        "npm" | "yarn" => {
            "Use a granular access token with an expiry and the least scope, referenced as \
             `${NPM_TOKEN}` and injected from a secret manager; publish from CI with trusted \
             publishing (OIDC)."
        }
        "pypi" | "pip" => {
            "Keep index and upload credentials in the system keyring (`keyring`), not in the \
             file or the index URL; use project-scoped tokens and trusted publishing from CI."
        }
        "cargo" => {
            "Use a cargo credential provider backed by the system keyring (`cargo:libsecret`, \
             `cargo:macos-keychain`, `cargo:wincred`) and a scoped token with an expiry."
        }
        "gem" => {
            "Use a scoped RubyGems API key with MFA required and an expiry, kept out of \
             ~/.gem/credentials (trusted publishing from CI)."
        }
        "maven" | "gradle" | "nuget" => {
            "Keep repository passwords out of the file: environment variables injected from a \
             secret manager, Maven's encrypted passwords, or short-lived repository tokens \
             (CodeArtifact, Azure Artifacts credential provider)."
        }
        "netrc" | "git" => {
            "Use a git credential helper backed by the system keyring (Git Credential Manager, \
             osxkeychain, libsecret) instead of plaintext .git-credentials or .netrc."
        }
        "gh" => {
            "Run `gh auth login` again without `--insecure-storage`, so the token lives in the \
             system keyring and not in hosts.yml."
        }
        "glab" => {
            "Store the token in the system keyring (`glab auth login --use-keyring`) and give it \
             an expiry date."
        }
        "ssh" => {
            "Protect the key with a passphrase (`ssh-keygen -p -f <key>`) and load it through \
             ssh-agent, or use a hardware-backed key (`ed25519-sk`) or short-lived SSH \
             certificates."
        }
        "psql" | "mysql" => {
            "Use short-lived database credentials (IAM database authentication, Vault dynamic \
             secrets) or a password manager instead of a plaintext password file."
        }
        "shell-history" => {
            "Delete the line from the history file and stop typing secrets on command lines: \
             read them from a secret manager (`op read`, `aws-vault exec`) or a prompt, and set \
             `HISTCONTROL=ignorespace` (zsh: `setopt HIST_IGNORE_SPACE`)."
        }
        "shell-profile" | "dotenv" => {
            "Do not keep secrets in shell profiles or .env files in the home: load them on demand \
             from a secret manager (`op run`, `aws-vault exec`, `doppler run`)."
        }
        "environment" => {
            "Stop exporting the credential into every process (any package you install can read \
             the environment): inject it only into the command that needs it (`op run`, \
             `aws-vault exec`), as a short-lived value where the issuer allows."
        }
        _ => {
            "Log in again with the tool's keyring-backed or short-lived option and remove the \
             stored credential from the file."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_tool_has_its_own_entry() {
        let general = setup("no-such-tool");
        for e in crate::source::workstation::TABLE {
            assert_ne!(setup(e.tool), general, "{}", e.tool);
        }
        assert_ne!(setup("environment"), general);
    }
}
