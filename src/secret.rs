//! The [`Secret`] newtype: a credential's bytes that redact themselves everywhere by default.
//!
//! `Debug`, `Display` and `Serialize` all print the redacted form, so a stray `{:?}` in a log
//! or panic message cannot leak a value. Only [`Secret::reveal`] gives the bytes back.

use std::fmt;

use sha2::{Digest, Sha256};

/// A credential value. A value read back from a redacted report (`sprawl merge`) is not known:
/// it holds only its redacted text, which is what every accessor then returns.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Secret(Vec<u8>, bool);

impl Secret {
    /// Wrap bytes.
    pub fn new(bytes: Vec<u8>) -> Secret {
        Secret(bytes, true)
    }

    /// A secret known only by its redacted form (from a report written without
    /// `--show-secrets`).
    pub fn redacted_only(shown: String) -> Secret {
        Secret(shown.into_bytes(), false)
    }

    /// False if only the redacted form is known.
    pub fn is_known(&self) -> bool {
        self.1
    }

    /// The real bytes. Call only where the user asked to see secrets.
    pub fn reveal(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True if empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Lowercase hex SHA-256 of the exact bytes: the credential's identity in reports.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.0)
    }

    /// The redacted form: a short prefix (at most 4 characters, and at most a quarter of the
    /// value) then the length, e.g. `ghp_…(40 chars)`.
    pub fn redacted(&self) -> String {
        if !self.1 {
            return String::from_utf8_lossy(&self.0).into_owned();
        }
        let shown = (self.0.len() / 4).min(4);
        let prefix: String = String::from_utf8_lossy(&self.0[..shown])
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        format!("{prefix}…({} chars)", self.0.len())
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn fingerprint(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.redacted())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_everywhere() {
        let s = Secret::new(b"ghp_abcdefghijklmnopqrstuvwxyz0123456789".to_vec());
        assert_eq!(s.redacted(), "ghp_…(40 chars)");
        assert_eq!(format!("{s}"), "ghp_…(40 chars)");
        assert_eq!(format!("{s:?}"), "Secret(ghp_…(40 chars))");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"ghp_…(40 chars)\"");
        assert_eq!(Secret::new(b"abc".to_vec()).redacted(), "…(3 chars)");
    }

    #[test]
    fn fingerprint_is_sha256_hex() {
        assert_eq!(
            fingerprint(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
