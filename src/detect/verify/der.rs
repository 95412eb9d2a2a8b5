//! The `private-key` structural check: a PEM private key block (or a bare base64 key after a key
//! name) whose body does not begin like a private key is a decoy (`MIIE...EXAMPLE...`, a pasted
//! stand-in, random text, a public key under a private label), not a key.
//!
//! Only the header is read (the outer `SEQUENCE` and the first fields), from the first 96
//! base64 characters of the body, so a key cut short in a document or a test still counts: what
//! is rejected is a body that cannot be the start of a key at all. Any private key structure is
//! accepted under any private key label (an OpenSSH key pasted under `RSA PRIVATE KEY` is still
//! a key): PKCS#1 / DSA, SEC 1, PKCS#8, encrypted PKCS#8 (a PKCS#5 or PKCS#12 algorithm, which a
//! public key's `SubjectPublicKeyInfo` never names) and `openssh-key-v1\0`. Legacy encrypted PEM
//! (`Proc-Type: 4,ENCRYPTED`) bodies are ciphertext and are not checked, nor are labels that are
//! not DER (`PGP PRIVATE KEY BLOCK`).

use crate::codec::base64_decode;
use crate::secret::canonical_pem;

const INT_V0: &[u8] = &[0x02, 0x01, 0x00];
const INT_V1: &[u8] = &[0x02, 0x01, 0x01];

/// True if `secret` can be the start of a private key of the kind its label (if any) names.
pub fn private_key_ok(secret: &[u8]) -> bool {
    if memchr::memmem::find(secret, b"Proc-Type:").is_some() {
        return true;
    }
    let Some(pem) = canonical_pem(secret) else {
        return any_key(&prefix(secret));
    };
    // `-----BEGIN <label>-----\n<body lines>\n-----END <label>-----`
    let Some(head_end) = memchr::memchr(b'\n', &pem) else {
        return false;
    };
    let label = &pem[b"-----BEGIN ".len()..head_end.saturating_sub(5)];
    let body_end = memchr::memmem::rfind(&pem, b"\n-----END ").unwrap_or(pem.len());
    let body: Vec<u8> = pem[head_end + 1..body_end]
        .iter()
        .copied()
        .filter(|&b| b != b'\n')
        .collect();
    let der = prefix(&body);
    match label {
        b"RSA PRIVATE KEY"
        | b"DSA PRIVATE KEY"
        | b"EC PRIVATE KEY"
        | b"PRIVATE KEY"
        | b"ENCRYPTED PRIVATE KEY"
        | b"OPENSSH PRIVATE KEY" => {
            any_key(&der) || encrypted_pkcs8(&der) || der.starts_with(b"openssh-key-v1\0")
        }
        _ => true,
    }
}

/// The bytes the first 96 base64 characters (whole quanta only) decode to; empty if they do not.
fn prefix(b64: &[u8]) -> Vec<u8> {
    let n = b64
        .iter()
        .take(96)
        .take_while(|&&b| {
            b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_' | b'=')
        })
        .count();
    base64_decode(&b64[..n - n % 4]).unwrap_or_default()
}

/// A DER tag and definite length at `at`: (tag, offset of the content).
fn header(d: &[u8], at: usize) -> Option<(u8, usize)> {
    let tag = *d.get(at)?;
    let first = *d.get(at + 1)?;
    match first {
        0..=0x7f => Some((tag, at + 2)),
        0x81..=0x84 => {
            let n = usize::from(first - 0x80);
            d.get(at + 2..at + 2 + n)?;
            Some((tag, at + 2 + n))
        }
        _ => None,
    }
}

/// The content offset of the outer SEQUENCE.
fn sequence(d: &[u8]) -> Option<usize> {
    match header(d, 0)? {
        (0x30, c) => Some(c),
        _ => None,
    }
}

/// `SEQUENCE { INTEGER 0|1, INTEGER ... }`: PKCS#1 RSA or OpenSSL DSA.
fn pkcs1(d: &[u8]) -> bool {
    sequence(d).is_some_and(|c| {
        let v = d.get(c..c + 3);
        (v == Some(INT_V0) || v == Some(INT_V1)) && d.get(c + 3) == Some(&0x02)
    })
}

/// `SEQUENCE { INTEGER 1, OCTET STRING ... }`: SEC 1 EC private key.
fn sec1(d: &[u8]) -> bool {
    sequence(d).is_some_and(|c| d.get(c..c + 3) == Some(INT_V1) && d.get(c + 3) == Some(&0x04))
}

/// `SEQUENCE { INTEGER 0|1, SEQUENCE { OID ... } ... }`: PKCS#8 / RFC 5958.
fn pkcs8(d: &[u8]) -> bool {
    sequence(d).is_some_and(|c| {
        let v = d.get(c..c + 3);
        (v == Some(INT_V0) || v == Some(INT_V1))
            && matches!(header(d, c + 3), Some((0x30, a)) if d.get(a) == Some(&0x06))
    })
}

/// `SEQUENCE { SEQUENCE { OID pkcs-5.* or pkcs-12.1.*, ... }, OCTET STRING }`: an encrypted
/// PKCS#8 key (the algorithm tells it from a public key's `SubjectPublicKeyInfo`).
fn encrypted_pkcs8(d: &[u8]) -> bool {
    const PKCS5: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];
    const PKCS12_PBE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];
    sequence(d).is_some_and(|c| match header(d, c) {
        Some((0x30, a)) => match header(d, a) {
            Some((0x06, o)) => {
                let oid = d.get(o..).unwrap_or_default();
                oid.starts_with(PKCS5) || oid.starts_with(PKCS12_PBE)
            }
            _ => false,
        },
        _ => false,
    })
}

/// Bare DER in base64: any of the unencrypted private key structures.
fn any_key(d: &[u8]) -> bool {
    pkcs8(d) || pkcs1(d) || sec1(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC_PKCS8: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgTFTPlEgy6GaFBct0c1jB2SktoAwUsS5g90dRfhylzkehRANCAARzy8rl8S+qoTOAAsvJy/vBaAzZK8HuJUN78LP3boMPgQwueJGxzo1lnwoQycPF1Ee8qvLeN3VzOgU/pIEWp6SW";

    fn pem(label: &str, body: &str) -> Vec<u8> {
        format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----").into_bytes()
    }

    #[test]
    fn real_headers_pass_and_decoys_fail() {
        assert!(private_key_ok(&pem("PRIVATE KEY", EC_PKCS8)));
        assert!(private_key_ok(EC_PKCS8.as_bytes()));
        // Cut short (as in documents and tests) still counts.
        assert!(private_key_ok(&pem("PRIVATE KEY", &EC_PKCS8[..70])));
        assert!(private_key_ok(&pem(
            "RSA PRIVATE KEY",
            "MIIEpAIBAAKCAQEASC9V+9lQS/gyaEeHdz77gSCw"
        )));
        assert!(private_key_ok(&pem(
            "EC PRIVATE KEY",
            "MHcCAQEEIJED3ABR99UrH++Fy8O6dPjWO8fUl7Gg9aCY"
        )));
        assert!(private_key_ok(&pem(
            "ENCRYPTED PRIVATE KEY",
            "MIIFJDBWBgkqhkiG9w0BBQ0wSSRVuaU5225PYLwC"
        )));
        assert!(private_key_ok(&pem(
            "OPENSSH PRIVATE KEY",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"
        )));
        assert!(private_key_ok(b"-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nzzzz\n-----END RSA PRIVATE KEY-----"));
        // Decoys: not DER, a public key under a private label, the wrong structure.
        assert!(!private_key_ok(&pem(
            "RSA PRIVATE KEY",
            "MIIE...EXAMPLE..."
        )));
        assert!(!private_key_ok(&pem(
            "RSA PRIVATE KEY",
            "VGhpcyBpcyBub3QgYSBrZXkgYXQgYWxsLCBqdXN0IHRleHQ="
        )));
        assert!(!private_key_ok(&pem(
            "PRIVATE KEY",
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tL"
        )));
        assert!(!private_key_ok(
            b"MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU="
        ));
        assert!(!private_key_ok(&pem(
            "OPENSSH PRIVATE KEY",
            "AAAAB3NzaC1yc2EAAAADAQABAAABAQ"
        )));
        assert!(private_key_ok(&pem("PGP PRIVATE KEY BLOCK", "anything")));
    }
}
