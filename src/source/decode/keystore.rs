//! Key stores: binary containers of private keys, recognised by their structure whatever the
//! file is called, and reported as credentials even though their password is unknown (the
//! password is often a default such as `changeit`, and guessable offline).
//!
//! - PKCS#12 / PFX (RFC 7292): a DER `PFX` SEQUENCE, version 3, whose `authSafe` is PKCS#7
//!   data or signed data. Reported when a key bag (`keyBag`, `pkcs8ShroudedKeyBag`) is visible:
//!   OpenSSL, keytool and Windows keep key bags in a plain `data` SafeContents (the key itself is
//!   encrypted inside its bag) and certificates in `encryptedData`, so a store whose bags are all
//!   hidden or all certificates is a trust store and is left alone.
//! - Java KeyStore (JKS, magic `FEEDFEED`) and JCEKS (`CECECECE`): the entry list is read; a
//!   store with a private key or secret key entry is reported, its aliases in the context, and
//!   one with only trusted certificates (a `cacerts` trust store) is left alone.
//!
//! The file is reported whole, base64-encoded, as field `keystore.pkcs12` or `keystore.jks`
//! (so the same store base64-encoded in a text file is the same credential).

use base64::Engine as _;

use super::{Anchor, Decoded, Derived, clip_label};

/// A key store kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// PKCS#12 / PFX.
    Pkcs12,
    /// JKS or JCEKS.
    Jks,
}

/// Object identifiers as DER (tag, length, value).
const OID_DATA: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
];
const OID_SIGNED: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02,
];
/// `1.2.840.113549.1.12.10.1.` followed by 1 (keyBag), 2 (pkcs8ShroudedKeyBag), 3 (certBag).
const BAG_PREFIX: &[u8] = &[
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01,
];

/// Recognise a key store by its first bytes.
pub fn sniff(data: &[u8]) -> Option<Kind> {
    if data.starts_with(&[0xfe, 0xed, 0xfe, 0xed]) || data.starts_with(&[0xce, 0xce, 0xce, 0xce]) {
        return Some(Kind::Jks);
    }
    // SEQUENCE (definite length), INTEGER 3, then the ContentInfo SEQUENCE with its OID.
    let (_, body) = der_header(data, 0x30)?;
    let rest = data.get(body..)?.strip_prefix(&[0x02, 0x01, 0x03])?;
    let (_, inner) = der_header(rest, 0x30)?;
    let oid = rest.get(inner..inner + OID_DATA.len())?;
    (oid == OID_DATA || oid == OID_SIGNED).then_some(Kind::Pkcs12)
}

/// A DER tag `tag` with a definite length at the start of `data`: (content length, offset of
/// the content).
fn der_header(data: &[u8], tag: u8) -> Option<(usize, usize)> {
    if *data.first()? != tag {
        return None;
    }
    let first = *data.get(1)? as usize;
    if first < 0x80 {
        return Some((first, 2));
    }
    let n = first - 0x80;
    if n == 0 || n > 4 {
        return None;
    }
    let len = data
        .get(2..2 + n)?
        .iter()
        .fold(0usize, |acc, &b| acc << 8 | b as usize);
    Some((len, 2 + n))
}

/// Decode a key store.
pub fn decode(data: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    let context = match sniff(data) {
        Some(Kind::Pkcs12) => {
            let keys = memchr::memmem::find_iter(data, BAG_PREFIX)
                .filter_map(|i| data.get(i + BAG_PREFIX.len()))
                .any(|&b| b == 1 || b == 2);
            if !keys {
                return out;
            }
            (
                "keystore.pkcs12",
                "PKCS#12 key store with a private key".to_string(),
            )
        }
        Some(Kind::Jks) => match jks_key_aliases(data) {
            Some(aliases) if !aliases.is_empty() => (
                "keystore.jks",
                clip_label(format!(
                    "Java key store, key entries: {}",
                    aliases.join(", ")
                )),
            ),
            _ => return out,
        },
        None => return out,
    };
    let text = base64::engine::general_purpose::STANDARD.encode(data);
    let mut d = Derived::new(text.into_bytes(), Anchor::At(0))
        .field(context.0)
        .context(context.1);
    d.no_base64 = true;
    out.derived.push(d);
    out
}

/// The aliases of a JKS/JCEKS store's private and secret key entries, or `None` if the entry
/// list does not read. Bounded by the file: every step consumes bytes or stops.
fn jks_key_aliases(data: &[u8]) -> Option<Vec<String>> {
    let mut r = Reader { data, pos: 8 };
    let count = r.u32()?;
    let mut aliases = Vec::new();
    for _ in 0..count.min(100_000) {
        let tag = r.u32()?;
        let alias = r.utf()?;
        r.skip(8)?; // timestamp
        match tag {
            1 => {
                aliases.push(alias);
                let key_len = r.u32()? as usize;
                r.skip(key_len)?;
                let chain = r.u32()?;
                for _ in 0..chain.min(1_000) {
                    r.utf()?;
                    let cert_len = r.u32()? as usize;
                    r.skip(cert_len)?;
                }
            }
            2 => {
                r.utf()?;
                let cert_len = r.u32()? as usize;
                r.skip(cert_len)?;
            }
            // A JCEKS secret key entry: a serialized Java object we do not walk past.
            3 => {
                aliases.push(alias);
                break;
            }
            _ => return None,
        }
    }
    Some(aliases)
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn skip(&mut self, n: usize) -> Option<()> {
        let end = self.pos.checked_add(n)?;
        (end <= self.data.len()).then(|| self.pos = end)
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.data.get(self.pos..self.pos + 4)?;
        self.pos += 4;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Java `writeUTF`: a 2-byte length, then (modified) UTF-8.
    fn utf(&mut self) -> Option<String> {
        let len =
            u16::from_be_bytes([*self.data.get(self.pos)?, *self.data.get(self.pos + 1)?]) as usize;
        let s = self.data.get(self.pos + 2..self.pos + 2 + len)?;
        self.pos += 2 + len;
        Some(String::from_utf8_lossy(s).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jks(entries: &[(u32, &str)]) -> Vec<u8> {
        let mut v = vec![0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2];
        v.extend((entries.len() as u32).to_be_bytes());
        for (tag, alias) in entries {
            v.extend(tag.to_be_bytes());
            v.extend((alias.len() as u16).to_be_bytes());
            v.extend(alias.as_bytes());
            v.extend([0u8; 8]);
            if *tag == 1 {
                v.extend(3u32.to_be_bytes());
                v.extend([9, 9, 9]);
                v.extend(1u32.to_be_bytes());
            }
            v.extend(5u16.to_be_bytes());
            v.extend(b"X.509");
            v.extend(2u32.to_be_bytes());
            v.extend([0x30, 0x00]);
        }
        v
    }

    #[test]
    fn jks_with_keys_only() {
        let d = decode(&jks(&[(2, "ca"), (1, "server")]));
        assert_eq!(d.derived.len(), 1);
        assert_eq!(d.derived[0].field, Some("keystore.jks"));
        assert_eq!(
            d.derived[0].context.as_deref(),
            Some("Java key store, key entries: server")
        );
        assert!(decode(&jks(&[(2, "ca"), (2, "ca2")])).derived.is_empty());
        let mut truncated = jks(&[(1, "k")]);
        truncated.truncate(20);
        assert!(decode(&truncated).derived.is_empty());
    }

    #[test]
    fn pkcs12_sniffing() {
        let mut p12 = vec![0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03, 0x30, 0x81, 0x80];
        p12.extend(OID_DATA);
        p12.extend([0u8; 20]);
        assert_eq!(sniff(&p12), Some(Kind::Pkcs12));
        let certs_only = [p12.clone(), BAG_PREFIX.to_vec(), vec![3]].concat();
        assert!(decode(&certs_only).derived.is_empty());
        let with_key = [certs_only, BAG_PREFIX.to_vec(), vec![2]].concat();
        assert_eq!(decode(&with_key).derived[0].field, Some("keystore.pkcs12"));
        assert!(decode(&p12).derived.is_empty());
        assert_eq!(sniff(b"0\x82\x01\x00\x02\x01\x01"), None);
    }
}
