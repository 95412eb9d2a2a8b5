//! A private key's identity: its type, size, whether it is encrypted, and the fingerprint of
//! its public key exactly as `ssh-keygen -lf` prints it (`SHA256:` + unpadded base64 of the
//! SHA-256 of the SSH wire-format public key), so the key can be found in an
//! `authorized_keys` file, a deploy-key list or a cloud console.
//!
//! Read from the PEM body: PKCS#1 RSA, SEC1 EC, PKCS#8 (RSA, EC, Ed25519 with its public key),
//! DSA, and OpenSSH's `openssh-key-v1` (whose public key is in the clear even when the private
//! part is encrypted). A minimal DER reader: lengths are checked against the input, never
//! trusted. A body that does not parse adds nothing.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::codec::base64_decode;
use crate::rules::Identity;

/// Add what the PEM block `pem` says about its key to `id`.
pub fn identity(pem: &[u8], id: &mut Identity) {
    let text = String::from_utf8_lossy(pem);
    let Some(label) = text
        .strip_prefix("-----BEGIN ")
        .and_then(|r| r.split("-----").next())
    else {
        return;
    };
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .collect();
    // The canonical form (`Secret::new`) drops whitespace, so the header may read either way.
    let encrypted_pem =
        text.contains("Proc-Type: 4,ENCRYPTED") || text.contains("Proc-Type:4,ENCRYPTED");
    let der = base64_decode(body.as_bytes());
    let found = match (label, der) {
        (_, _) if encrypted_pem => Some(Key::encrypted(label)),
        ("ENCRYPTED PRIVATE KEY", _) => Some(Key::encrypted("PKCS#8")),
        ("OPENSSH PRIVATE KEY", Some(der)) => openssh(&der),
        ("RSA PRIVATE KEY", Some(der)) => rsa_pkcs1(&der),
        ("EC PRIVATE KEY", Some(der)) => sec1(&der, None),
        ("DSA PRIVATE KEY", Some(der)) => dsa(&der),
        ("PRIVATE KEY", Some(der)) => pkcs8(&der),
        _ => None,
    };
    let Some(key) = found else {
        return;
    };
    id.insert("key_type".into(), key.kind.to_string());
    if let Some(bits) = key.bits {
        id.insert("key_bits".into(), bits.to_string());
    }
    if key.encrypted {
        id.insert("key_encrypted".into(), "yes".into());
    }
    if let Some(blob) = key.public {
        let digest = Sha256::digest(&blob);
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD.encode(digest);
        id.insert("public_key_fingerprint".into(), format!("SHA256:{b64}"));
    }
    if let Some(comment) = key.comment.filter(|c| !c.is_empty()) {
        id.insert("key_comment".into(), comment);
    }
}

/// What was learned about one key.
#[derive(Debug, Default, PartialEq, Eq)]
struct Key {
    kind: &'static str,
    bits: Option<usize>,
    encrypted: bool,
    /// The SSH wire-format public key, when it could be read or rebuilt.
    public: Option<Vec<u8>>,
    comment: Option<String>,
}

impl Key {
    fn encrypted(label: &str) -> Key {
        let kind = if label.starts_with("RSA") {
            "RSA"
        } else if label.starts_with("EC") {
            "ECDSA"
        } else if label.starts_with("DSA") {
            "DSA"
        } else {
            "unknown (encrypted)"
        };
        Key {
            kind,
            encrypted: true,
            ..Key::default()
        }
    }
}

/// One DER element: tag and contents.
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The elements of a SEQUENCE's contents.
fn elements(mut contents: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    while let Some((tag, value, rest)) = der(contents) {
        out.push((tag, value));
        contents = rest;
    }
    out
}

/// The contents of the outer SEQUENCE.
fn sequence(input: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let (tag, contents, _) = der(input)?;
    (tag == 0x30).then(|| elements(contents))
}

/// SSH `string`: a 32-bit big-endian length, then the bytes.
fn ssh_string(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The bit length of a big-endian unsigned integer (DER INTEGER contents).
fn bit_len(int: &[u8]) -> usize {
    let int = match int.iter().position(|&b| b != 0) {
        Some(i) => &int[i..],
        None => return 0,
    };
    int.len() * 8 - int[0].leading_zeros() as usize
}

/// PKCS#1 `RSAPrivateKey`: version, n, e, ...
fn rsa_pkcs1(der_bytes: &[u8]) -> Option<Key> {
    let seq = sequence(der_bytes)?;
    let (n, e) = match seq.as_slice() {
        [(0x02, _), (0x02, n), (0x02, e), ..] => (*n, *e),
        _ => return None,
    };
    let mut blob = Vec::new();
    ssh_string(&mut blob, b"ssh-rsa");
    ssh_string(&mut blob, e);
    ssh_string(&mut blob, n);
    Some(Key {
        kind: "RSA",
        bits: Some(bit_len(n)),
        public: Some(blob),
        ..Key::default()
    })
}

/// DSA `version, p, q, g, y, x` (OpenSSL's traditional format).
fn dsa(der_bytes: &[u8]) -> Option<Key> {
    let seq = sequence(der_bytes)?;
    let [(0x02, _), (0x02, p), (0x02, q), (0x02, g), (0x02, y), ..] = seq.as_slice() else {
        return None;
    };
    let mut blob = Vec::new();
    ssh_string(&mut blob, b"ssh-dss");
    for part in [p, q, g, y] {
        ssh_string(&mut blob, part);
    }
    Some(Key {
        kind: "DSA",
        bits: Some(bit_len(p)),
        public: Some(blob),
        ..Key::default()
    })
}

/// Curve OIDs (DER contents) to SSH names and sizes.
const CURVES: &[(&[u8], &str, usize)] = &[
    (
        &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
        "nistp256",
        256,
    ),
    (&[0x2b, 0x81, 0x04, 0x00, 0x22], "nistp384", 384),
    (&[0x2b, 0x81, 0x04, 0x00, 0x23], "nistp521", 521),
];

/// SEC1 `ECPrivateKey`: version, key, `[0]` curve, `[1]` public key. `curve` comes from a
/// PKCS#8 wrapper when the inner structure leaves it out.
fn sec1(der_bytes: &[u8], curve: Option<&[u8]>) -> Option<Key> {
    let seq = sequence(der_bytes)?;
    let mut oid = curve;
    let mut point = None;
    for (tag, value) in &seq {
        match tag {
            0xa0 => oid = der(value).filter(|e| e.0 == 0x06).map(|e| e.1).or(oid),
            0xa1 => point = der(value).filter(|e| e.0 == 0x03).map(|e| e.1),
            _ => {}
        }
    }
    let (name, bits) = oid
        .and_then(|o| CURVES.iter().find(|c| c.0 == o))
        .map(|c| (c.1, c.2))?;
    let public = point
        .and_then(|p| p.split_first())
        .filter(|(unused, _)| **unused == 0)
        .map(|(_, q)| {
            let mut blob = Vec::new();
            ssh_string(&mut blob, format!("ecdsa-sha2-{name}").as_bytes());
            ssh_string(&mut blob, name.as_bytes());
            ssh_string(&mut blob, q);
            blob
        });
    Some(Key {
        kind: "ECDSA",
        bits: Some(bits),
        public,
        ..Key::default()
    })
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];

/// PKCS#8 `PrivateKeyInfo`: version, algorithm, key octets, optional `[1]` public key.
fn pkcs8(der_bytes: &[u8]) -> Option<Key> {
    let seq = sequence(der_bytes)?;
    let [(0x02, _), (0x30, algorithm), (0x04, inner), rest @ ..] = seq.as_slice() else {
        return None;
    };
    let alg = elements(algorithm);
    let oid = alg.first().filter(|e| e.0 == 0x06)?.1;
    let params = alg.get(1).filter(|e| e.0 == 0x06).map(|e| e.1);
    match oid {
        o if o == OID_RSA => rsa_pkcs1(inner),
        o if o == OID_EC => sec1(inner, params),
        o if o == OID_ED25519 => {
            // The public key is present only in the v2 form (`[1]`), as a BIT STRING.
            let public = rest
                .iter()
                .find(|e| e.0 == 0x81)
                .and_then(|e| e.1.split_first())
                .filter(|(unused, q)| **unused == 0 && q.len() == 32)
                .map(|(_, q)| {
                    let mut blob = Vec::new();
                    ssh_string(&mut blob, b"ssh-ed25519");
                    ssh_string(&mut blob, q);
                    blob
                });
            Some(Key {
                kind: "Ed25519",
                bits: Some(256),
                public,
                ..Key::default()
            })
        }
        o if o == OID_DSA => Some(Key {
            kind: "DSA",
            ..Key::default()
        }),
        _ => None,
    }
}

/// Reads SSH wire-format fields.
struct Wire<'a>(&'a [u8]);

impl<'a> Wire<'a> {
    fn u32(&mut self) -> Option<u32> {
        let (head, rest) = self.0.split_at_checked(4)?;
        self.0 = rest;
        Some(u32::from_be_bytes(head.try_into().ok()?))
    }
    fn string(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
}

/// OpenSSH's `openssh-key-v1`: cipher, kdf, keys; the first public key is in the clear, the
/// private section (with the comment) only when the cipher is `none`.
fn openssh(bytes: &[u8]) -> Option<Key> {
    let mut w = Wire(bytes.strip_prefix(b"openssh-key-v1\0")?);
    let cipher = w.string()?;
    let _kdf = w.string()?;
    let _kdf_options = w.string()?;
    if w.u32()? == 0 {
        return None;
    }
    let public = w.string()?.to_vec();
    let mut p = Wire(&public);
    let kind_name = p.string()?;
    let (kind, bits) = match kind_name {
        b"ssh-rsa" => {
            let _e = p.string()?;
            ("RSA", Some(bit_len(p.string()?)))
        }
        b"ssh-ed25519" => ("Ed25519", Some(256)),
        b"ssh-dss" => ("DSA", Some(bit_len(p.string()?))),
        k if k.starts_with(b"ecdsa-sha2-nistp") => {
            let curve = p.string()?;
            let bits = CURVES.iter().find(|c| c.1.as_bytes() == curve).map(|c| c.2);
            ("ECDSA", bits)
        }
        k if k.starts_with(b"sk-") => ("security key", None),
        _ => ("unknown", None),
    };
    let encrypted = cipher != b"none";
    let comment = if encrypted {
        None
    } else {
        w.string()
            .and_then(|private| openssh_comment(private, kind_name))
    };
    Some(Key {
        kind,
        bits,
        encrypted,
        public: Some(public),
        comment,
    })
}

/// The comment at the end of an unencrypted OpenSSH private section.
fn openssh_comment(section: &[u8], kind: &[u8]) -> Option<String> {
    let mut w = Wire(section);
    let (a, b) = (w.u32()?, w.u32()?);
    if a != b || w.string()? != kind {
        return None;
    }
    // Fields of the key type, then the comment.
    let fields = match kind {
        b"ssh-rsa" => 6,
        b"ssh-ed25519" => 2,
        b"ssh-dss" => 5,
        k if k.starts_with(b"ecdsa-sha2-") => 3,
        _ => return None,
    };
    for _ in 0..fields {
        w.string()?;
    }
    let comment = w.string()?;
    Some(String::from_utf8_lossy(comment).chars().take(200).collect())
}
