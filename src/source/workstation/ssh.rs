//! Is a private key file protected by a passphrase? An unprotected key on a workstation is a
//! credential anyone who copies the file can use; a protected one is listed, not reported.
//!
//! - OpenSSH (`-----BEGIN OPENSSH PRIVATE KEY-----`): the base64 body starts with
//!   `openssh-key-v1\0` and a length-prefixed cipher name: `none` is unprotected, anything else
//!   (`aes256-ctr`) protected.
//! - PEM: `-----BEGIN ENCRYPTED PRIVATE KEY-----` (PKCS#8), or a traditional key whose headers
//!   say `Proc-Type: 4,ENCRYPTED`, is protected.
//! - PuTTY (`PuTTY-User-Key-File-N`): the `Encryption:` header, `none` or a cipher.
//!
//! Pure: bytes in, verdict out.

use crate::codec::base64_decode_wrapped;

/// What a file holding a private key says about its protection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// Not a private key file (or not one this module reads): scan it as usual.
    NotAKey,
    /// A private key anyone holding the file can use.
    Unprotected,
    /// A passphrase-protected key, with the cipher or scheme named by the file.
    Protected(String),
}

/// Judge `data`. Only a file that *starts* with a key (after whitespace) is judged, so a file
/// that merely mentions one is scanned as text.
pub fn judge(data: &[u8]) -> Key {
    let start = data
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(data.len());
    let data = &data[start..];
    if let Some(body) = block(data, b"OPENSSH PRIVATE KEY") {
        return openssh(body);
    }
    if block(data, b"ENCRYPTED PRIVATE KEY").is_some() {
        return Key::Protected("pkcs8".into());
    }
    if data.starts_with(b"-----BEGIN ") && head(data, 512).contains("PRIVATE KEY-----") {
        let h = head(data, 512);
        return if h.contains("Proc-Type: 4,ENCRYPTED") {
            let cipher = h
                .lines()
                .find_map(|l| l.strip_prefix("DEK-Info: "))
                .and_then(|d| d.split(',').next())
                .unwrap_or("pem");
            Key::Protected(cipher.trim().to_string())
        } else {
            Key::Unprotected
        };
    }
    if data.starts_with(b"PuTTY-User-Key-File-") {
        let h = head(data, 512);
        return match h.lines().find_map(|l| l.strip_prefix("Encryption: ")) {
            Some("none") | None => Key::Unprotected,
            Some(c) => Key::Protected(c.trim().to_string()),
        };
    }
    Key::NotAKey
}

fn head(data: &[u8], n: usize) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(&data[..data.len().min(n)])
}

/// The base64 body of a `-----BEGIN <label>-----` block at the start of `data`.
fn block<'a>(data: &'a [u8], label: &[u8]) -> Option<&'a [u8]> {
    let mut begin = b"-----BEGIN ".to_vec();
    begin.extend_from_slice(label);
    begin.extend_from_slice(b"-----");
    let rest = data.strip_prefix(begin.as_slice())?;
    let end = memchr::memmem::find(rest, b"-----END ").unwrap_or(rest.len());
    Some(&rest[..end])
}

fn openssh(body: &[u8]) -> Key {
    const MAGIC: &[u8] = b"openssh-key-v1\0";
    let Some(raw) = base64_decode_wrapped(body) else {
        return Key::Unprotected; // unreadable body: let the rules judge the text
    };
    let Some(rest) = raw.strip_prefix(MAGIC) else {
        return Key::Unprotected;
    };
    let Some(len) = rest
        .get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    else {
        return Key::Unprotected;
    };
    match rest.get(4..4 + len as usize) {
        Some(b"none") | None => Key::Unprotected,
        Some(cipher) => Key::Protected(String::from_utf8_lossy(cipher).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn openssh_key(cipher: &str) -> Vec<u8> {
        let mut raw = b"openssh-key-v1\0".to_vec();
        raw.extend_from_slice(&(cipher.len() as u32).to_be_bytes());
        raw.extend_from_slice(cipher.as_bytes());
        raw.extend_from_slice(&[0u8; 40]);
        let b64 = base64::engine::general_purpose::STANDARD.encode(raw);
        format!("-----BEGIN OPENSSH PRIVATE KEY-----\n{b64}\n-----END OPENSSH PRIVATE KEY-----\n")
            .into_bytes()
    }

    #[test]
    fn openssh_cipher_decides() {
        assert_eq!(judge(&openssh_key("none")), Key::Unprotected);
        assert_eq!(
            judge(&openssh_key("aes256-ctr")),
            Key::Protected("aes256-ctr".into())
        );
    }

    #[test]
    fn pem_and_putty_headers_decide() {
        let enc = b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(judge(enc), Key::Protected("AES-128-CBC".into()));
        let plain = b"\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n";
        assert_eq!(judge(plain), Key::Unprotected);
        let p8 =
            b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF\n-----END ENCRYPTED PRIVATE KEY-----";
        assert_eq!(judge(p8), Key::Protected("pkcs8".into()));
        let putty = b"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\n";
        assert_eq!(judge(putty), Key::Protected("aes256-cbc".into()));
        let putty = b"PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n";
        assert_eq!(judge(putty), Key::Unprotected);
        assert_eq!(
            judge(b"Host *\n  IdentityFile ~/.ssh/id_ed25519\n"),
            Key::NotAKey
        );
    }
}
