//! The rule model's small vocabulary: severity, confidence, lifetime, checksum kinds, and the
//! [`Problem`] a rule check reports. Data only.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a leak of this kind of credential is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational.
    Info,
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl Severity {
    /// Parse the lowercase name used in rule files and on the command line.
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "info" => Severity::Info,
            "low" => Severity::Low,
            "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How likely a match of this rule is a real credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// Whether the credential lives until revoked or expires by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lifetime {
    /// Lives until someone revokes it.
    Static,
    /// Expires by itself (STS keys, short-lived tokens).
    ShortLived,
    /// Not known from the format.
    Unknown,
}

/// How guessable a credential is. Provider-issued tokens have no strength to judge (their
/// issuer made them random); a password or secret someone typed can be weak: short, a common
/// word or default, a word with digits. A weak real value is reported as weak, never dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    /// Guessable: short, a common password or default, a word with a number.
    Weak,
    /// Nothing says it is guessable.
    Strong,
}

/// What a credential unlocks, in clear (an access key id, `user@host`, a registry, a key's
/// public fingerprint): field name to value, sorted by name. Never secret.
pub type Identity = std::collections::BTreeMap<String, String>;

/// A checksum or structural validator embedded in the token format. A candidate that fails it
/// is not a credential the provider issued (a typo, a redaction, a made-up test string) and is
/// dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// GitHub's `prefix_` + 30 base62 + CRC32 in 6 base62 digits.
    Github,
    /// npm's token format, the same scheme as GitHub's.
    Npm,
    /// Bech32 (BIP-173) checksum over the whole string, as in age secret keys.
    Bech32,
    /// A JWS compact token whose header decodes to a JSON object naming an `alg` other than
    /// `none`.
    Jwt,
    /// HTTP Basic credentials: base64 that decodes to printable `user:password` text.
    BasicAuth,
    /// Confluent Cloud API secrets: `cflt` + 54 characters + the little-endian CRC32 of those
    /// 54 characters in 6 unpadded base64 characters.
    Confluent,
    /// A private key (PEM block, or bare base64 DER): its body must begin like a private key
    /// (PKCS#1, SEC 1, PKCS#8, encrypted PKCS#8, `openssh-key-v1`), not a decoy.
    PrivateKey,
}

impl Checksum {
    /// Parse the name used in rule files.
    pub fn parse(s: &str) -> Option<Checksum> {
        Some(match s {
            "github" => Checksum::Github,
            "npm" => Checksum::Npm,
            "bech32" => Checksum::Bech32,
            "jwt" => Checksum::Jwt,
            "basic-auth" => Checksum::BasicAuth,
            "confluent" => Checksum::Confluent,
            "private-key" => Checksum::PrivateKey,
            _ => return None,
        })
    }
}

/// One failed rule check (`sprawl rules check`), naming the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The rule id.
    pub rule: String,
    /// Where the rule came from.
    pub origin: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: rule {}: {}", self.origin, self.rule, self.message)
    }
}
