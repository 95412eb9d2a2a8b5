//! DBeaver `.dbeaver/credentials-config.json`: the user names and passwords of a project's
//! connections, AES-128-CBC encrypted (the first 16 bytes are the IV, PKCS#7 padding) with a key
//! that is fixed and published in DBeaver's source (`DefaultSecureStorage.LOCAL_KEY_CACHE`).
//! Decrypted, it is JSON: `{"<connection id>": {"#connection": {"user": ..., "password": ...},
//! "network/ssh_tunnel": {...}}}`.
//!
//! Each `password` is reported as field `dbeaver.password`, located at the start of the file
//! (the whole file is one ciphertext). A file that does not decrypt with the published key (a
//! project or master password was set) is still a store of credentials: it is reported whole,
//! base64-encoded, as field `dbeaver.credentials-file`.

use aes::Aes128;
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, KeyIvInit};
use base64::Engine as _;

use super::json::{self, Json};
use super::{Anchor, Decoded, Derived, emit};

/// DBeaver's published local key (`DefaultSecureStorage.LOCAL_KEY_CACHE`).
const KEY: [u8; 16] = [
    0xba, 0xbb, 0x4a, 0x9f, 0x77, 0x4a, 0xb8, 0x53, 0xc9, 0x6c, 0x2d, 0x65, 0x3d, 0xfe, 0x54, 0x4a,
];

/// Largest credentials file decrypted (real ones are a few KB).
const MAX_LEN: usize = 16 << 20;

/// Decode a `credentials-config.json`.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    if data.len() < 32 || data.len() > MAX_LEN {
        return out;
    }
    let whole = 0..data.len();
    match decrypt(data).and_then(|plain| json::parse(&plain)) {
        Some(root) => {
            for (id, sections) in root.members() {
                for (section, values) in sections.members() {
                    let user = values
                        .get("user")
                        .and_then(Json::as_str)
                        .map(|s| s.text.as_str());
                    let context = emit::label(&[
                        ("connection", Some(id.text.as_str())),
                        ("section", Some(section.text.as_str())),
                        ("user", user),
                    ]);
                    if let Some(pw) = values.get("password").and_then(Json::as_str) {
                        let bytes = pw.text.clone().into_bytes();
                        emit::decoded(
                            &mut out,
                            bytes,
                            whole.clone(),
                            "dbeaver-aes",
                            "dbeaver.password",
                            context,
                        );
                    }
                }
            }
        }
        None => {
            let text = base64::engine::general_purpose::STANDARD.encode(data);
            let mut d = Derived::new(text.into_bytes(), Anchor::At(0))
                .field("dbeaver.credentials-file")
                .context("encrypted credentials-config.json (not the published key)");
            d.no_base64 = true;
            out.derived.push(d);
        }
    }
    out
}

/// The plaintext, if `data` decrypts with the published key to valid padding.
pub fn decrypt(data: &[u8]) -> Option<Vec<u8>> {
    let (iv, body) = data.split_at_checked(16)?;
    if body.is_empty() || !body.len().is_multiple_of(16) {
        return None;
    }
    let iv: [u8; 16] = iv.try_into().ok()?;
    let mut buf = body.to_vec();
    let cipher = cbc::Decryptor::<Aes128>::new(&KEY.into(), &iv.into());
    let plain = cipher.decrypt_padded::<Pkcs7>(&mut buf).ok()?;
    Some(plain.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes::cipher::BlockModeEncrypt;

    fn encrypt(plain: &[u8], iv: [u8; 16]) -> Vec<u8> {
        let mut buf = plain.to_vec();
        buf.resize(plain.len() + 16, 0);
        let ct = cbc::Encryptor::<Aes128>::new(&KEY.into(), &iv.into())
            .encrypt_padded::<Pkcs7>(&mut buf, plain.len())
            .unwrap()
            .to_vec();
        [iv.to_vec(), ct].concat()
    }

    #[test]
    fn decrypts_with_the_published_key() {
        let plain = br##"{"pg-1":{"#connection":{"user":"rep","password":"w9Lu"}},"my-2":{"network/ssh_tunnel":{"user":"t","password":"s2"}}}"##;
        let file = encrypt(plain, [7; 16]);
        let d = decode(&file);
        let got: Vec<_> = d
            .derived
            .iter()
            .map(|x| (x.data.clone(), x.context.clone().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    b"w9Lu".to_vec(),
                    "connection pg-1 section #connection user rep".into()
                ),
                (
                    b"s2".to_vec(),
                    "connection my-2 section network/ssh_tunnel user t".into()
                )
            ]
        );
        assert_eq!(d.derived[0].anchor, Anchor::At(0));
    }

    #[test]
    fn another_key_is_a_container_and_garbage_is_nothing() {
        let mut file = encrypt(b"{}", [1; 16]);
        file[20] ^= 0xff;
        file[31] ^= 0x55;
        let d = decode(&file);
        assert_eq!(d.derived.len(), 1);
        assert_eq!(d.derived[0].field, Some("dbeaver.credentials-file"));
        assert!(decode(b"short").derived.is_empty());
    }
}
