//! The [`Secret`] newtype: a credential's bytes that redact themselves everywhere by default.
//!
//! `Debug`, `Display` and `Serialize` all print the redacted form, so a stray `{:?}` in a log
//! or panic message cannot leak a value. Only [`Secret::reveal`] gives the bytes back.

pub mod fingerprint;

use std::fmt;

pub use fingerprint::{fingerprint, sha256_hex};

/// A credential value. A value read back from a redacted report (`sprawl merge`) is not known:
/// it holds only its redacted text, which is what every accessor then returns.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Secret(Vec<u8>, bool);

impl Secret {
    /// Wrap bytes. A PEM private key block is stored in its canonical form (see
    /// [`canonical_pem`]), so the same key written as a file, as a `\n`-escaped JSON string or
    /// as concatenated string literals is one credential with one fingerprint.
    pub fn new(bytes: Vec<u8>) -> Secret {
        let bytes = canonical_pem(&bytes).unwrap_or(bytes);
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

    /// The credential's identity in reports: its version-2 fingerprint (see [`mod@fingerprint`]).
    pub fn fingerprint(&self) -> String {
        fingerprint::fingerprint(&self.0)
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

/// The canonical form of a PEM private key block, or `None` if `bytes` is not one: the
/// `BEGIN` line, the body with line breaks, `\n`/`\r`/`\t` escapes, quotes, string
/// concatenation (`" +`) and whitespace removed, re-wrapped at 64 characters, and the `END` line.
/// Idempotent: the canonical form maps to itself.
pub fn canonical_pem(bytes: &[u8]) -> Option<Vec<u8>> {
    const DASHES: &[u8] = b"-----";
    let rest = bytes.strip_prefix(b"-----BEGIN ")?;
    let label_len = rest.windows(5).position(|w| w == DASHES)?;
    let label = &rest[..label_len];
    // `RSA PRIVATE KEY`, `PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`...
    if !label.windows(11).any(|w| w == b"PRIVATE KEY") {
        return None;
    }
    let body_and_end = &rest[label_len + DASHES.len()..];
    let end_at = body_and_end.windows(9).rposition(|w| w == b"-----END ")?;
    let body = &body_and_end[..end_at];
    let mut clean = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        match b {
            b'\\' if matches!(body.get(i + 1), Some(b'n' | b'r' | b't')) => i += 2,
            b'"' | b'\'' => {
                // A closing quote, then `+` and an opening quote: string concatenation.
                let mut j = i + 1;
                while j < body.len() && body[j].is_ascii_whitespace() {
                    j += 1;
                }
                if body.get(j) == Some(&b'+') {
                    j += 1;
                    while j < body.len() && body[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if matches!(body.get(j), Some(b'"' | b'\'')) {
                        i = j + 1;
                        continue;
                    }
                }
                i += 1;
            }
            b if b.is_ascii_whitespace() || b == b'\\' => i += 1,
            _ => {
                clean.push(b);
                i += 1;
            }
        }
    }
    if clean.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(clean.len() + clean.len() / 64 + 2 * label.len() + 40);
    out.extend_from_slice(b"-----BEGIN ");
    out.extend_from_slice(label);
    out.extend_from_slice(b"-----\n");
    for line in clean.chunks(64) {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out.extend_from_slice(b"-----END ");
    out.extend_from_slice(label);
    out.extend_from_slice(DASHES);
    Some(out)
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
    fn a_private_key_is_one_credential_in_every_spelling() {
        let file = b"-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n-----END RSA PRIVATE KEY-----";
        let escaped = br#"-----BEGIN RSA PRIVATE KEY-----\r\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\r\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\r\n-----END RSA PRIVATE KEY-----"#;
        let concatenated = b"-----BEGIN RSA PRIVATE KEY-----\" +\n  \"MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\" +\n  \"KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\" +\n  \"-----END RSA PRIVATE KEY-----";
        let a = Secret::new(file.to_vec());
        assert_eq!(a.fingerprint(), Secret::new(escaped.to_vec()).fingerprint());
        assert_eq!(
            a.fingerprint(),
            Secret::new(concatenated.to_vec()).fingerprint()
        );
        // The `+` inside the base64 body is data, not concatenation.
        assert!(a.reveal().windows(9).any(|w| w == b"TWit+Cqvj"));
        // Idempotent, and anything else is left as it is.
        assert_eq!(canonical_pem(a.reveal()).as_deref(), Some(a.reveal()));
        assert_eq!(
            Secret::new(b"-----BEGIN PUBLIC KEY-----x-----END PUBLIC KEY-----".to_vec()).reveal(),
            b"-----BEGIN PUBLIC KEY-----x-----END PUBLIC KEY-----"
        );
        assert_ne!(
            a.fingerprint(),
            Secret::new(file[..file.len() - 40].to_vec()).fingerprint()
        );
    }
}
