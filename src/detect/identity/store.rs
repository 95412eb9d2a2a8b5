//! A key store's identity, read without its password: the store type, the names of its key
//! entries and the subject of the certificate that goes with the key, where the format keeps
//! them in clear.
//!
//! - Java KeyStore (JKS, magic `FEEDFEED`) and JCEKS (`CECECECE`): entry aliases and
//!   certificate chains are stored unencrypted (only the keys are protected), so the aliases of
//!   the private and secret key entries and the subject of the first private key entry's own
//!   certificate are read (keytool `-list -v` prints the same as `Alias name` and `Owner`).
//! - PKCS#12 / PFX (RFC 7292): bag attributes of a plain `data` SafeContents are in clear, so a
//!   key bag's `friendlyName` is read; certificates are usually in `encryptedData` and then
//!   unreadable, but a certificate bag stored in clear (`openssl pkcs12 -certpbe NONE`, some
//!   Windows exports) gives its subject.
//!
//! The subject is written as RFC 4514 does (last RDN first, `CN=api.example, O=Example`). A
//! minimal DER reader: every length is checked against the input, every loop consumes bytes.

use crate::codec::base64_decode;
use crate::rules::Identity;

/// `1.2.840.113549.1.12.10.1.` followed by the bag type: 1 keyBag, 2 pkcs8ShroudedKeyBag,
/// 3 certBag.
const BAG_PREFIX: &[u8] = &[
    0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01,
];
/// `x509Certificate` (1.2.840.113549.1.9.22.1), the certificate type of a certBag.
const OID_X509_CERT: &[u8] = &[
    0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01,
];
/// `friendlyName` (1.2.840.113549.1.9.20), a bag attribute: SET { BMPString }.
const OID_FRIENDLY_NAME: &[u8] = &[
    0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14,
];
/// At most this many names are listed.
const MAX_NAMES: usize = 16;

/// Add what the base64 text `secret` (a whole key store) says about itself to `id`.
pub fn identity(secret: &[u8], id: &mut Identity) {
    let Some(data) = base64_decode(secret) else {
        return;
    };
    if data.starts_with(&[0xfe, 0xed, 0xfe, 0xed]) || data.starts_with(&[0xce, 0xce, 0xce, 0xce]) {
        let kind = if data[0] == 0xfe { "JKS" } else { "JCEKS" };
        id.insert("key_store".into(), kind.into());
        if let Some((aliases, cert)) = jks(&data) {
            put_names(id, &aliases);
            if let Some(subject) = cert.and_then(subject) {
                id.insert("certificate_subject".into(), subject);
            }
        }
    } else if is_pkcs12(&data) {
        id.insert("key_store".into(), "PKCS#12".into());
        put_names(id, &friendly_names(&data));
        if let Some(subject) = pkcs12_certificates(&data).find_map(subject) {
            id.insert("certificate_subject".into(), subject);
        }
    }
}

fn put_names(id: &mut Identity, names: &[String]) {
    if !names.is_empty() {
        id.insert("key_aliases".into(), names.join(", "));
    }
}

/// A DER element at `at`: (tag, content start, content end). Definite lengths only.
fn tlv(d: &[u8], at: usize) -> Option<(u8, usize, usize)> {
    let tag = *d.get(at)?;
    let first = *d.get(at + 1)? as usize;
    let (len, start) = if first < 0x80 {
        (first, at + 2)
    } else {
        let n = first - 0x80;
        if n == 0 || n > 4 {
            return None;
        }
        let bytes = d.get(at + 2..at + 2 + n)?;
        (
            bytes.iter().fold(0usize, |acc, &b| acc << 8 | b as usize),
            at + 2 + n,
        )
    };
    let end = start.checked_add(len)?;
    (end <= d.len()).then_some((tag, start, end))
}

/// A PFX: SEQUENCE { INTEGER 3, ContentInfo SEQUENCE, ... }.
fn is_pkcs12(d: &[u8]) -> bool {
    matches!(tlv(d, 0), Some((0x30, c, _)) if d.get(c..c + 3) == Some(&[0x02, 0x01, 0x03][..]))
}

/// The aliases of a JKS/JCEKS store's private and secret key entries and the first private key
/// entry's own certificate (DER), or `None` if the entry list does not read.
fn jks(data: &[u8]) -> Option<(Vec<String>, Option<&[u8]>)> {
    let mut r = Reader { data, pos: 8 };
    let count = r.u32()?;
    let mut aliases = Vec::new();
    let mut cert = None;
    for _ in 0..count.min(100_000) {
        let tag = r.u32()?;
        let alias = r.utf()?;
        r.skip(8)?; // creation date
        match tag {
            1 => {
                if aliases.len() < MAX_NAMES {
                    aliases.push(alias);
                }
                let key_len = r.u32()? as usize;
                r.skip(key_len)?;
                let chain = r.u32()?;
                for i in 0..chain.min(1_000) {
                    r.utf()?; // certificate type, "X.509"
                    let len = r.u32()? as usize;
                    let bytes = r.take(len)?;
                    if i == 0 && cert.is_none() {
                        cert = Some(bytes);
                    }
                }
            }
            2 => {
                r.utf()?;
                let len = r.u32()? as usize;
                r.skip(len)?;
            }
            // A JCEKS secret key entry: a serialized Java object we do not walk past.
            3 => {
                if aliases.len() < MAX_NAMES {
                    aliases.push(alias);
                }
                break;
            }
            _ => return None,
        }
    }
    Some((aliases, cert))
}

/// `friendlyName` attributes of key bags (keyBag, pkcs8ShroudedKeyBag) readable in clear.
fn friendly_names(d: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for at in memchr::memmem::find_iter(d, BAG_PREFIX) {
        let kind = d.get(at + BAG_PREFIX.len());
        if !matches!(kind, Some(1 | 2)) {
            continue;
        }
        // SafeBag ::= SEQUENCE { bagId, [0] bagValue, bagAttributes SET OF Attribute }.
        let Some((_, _, value_end)) = tlv(d, at + BAG_PREFIX.len() + 1) else {
            continue;
        };
        let Some((0x31, attrs, attrs_end)) = tlv(d, value_end) else {
            continue;
        };
        let Some(name) = attributes(d, attrs, attrs_end) else {
            continue;
        };
        if !names.contains(&name) && names.len() < MAX_NAMES {
            names.push(name);
        }
    }
    names
}

/// The `friendlyName` among the Attribute SEQUENCEs in `d[from..to]`.
fn attributes(d: &[u8], mut at: usize, to: usize) -> Option<String> {
    while at < to {
        let (tag, c, end) = tlv(d, at)?;
        if tag == 0x30 && d.get(c..c + OID_FRIENDLY_NAME.len()) == Some(OID_FRIENDLY_NAME) {
            let (set, sc, _) = tlv(d, c + OID_FRIENDLY_NAME.len())?;
            let (str_tag, vc, ve) = tlv(d, sc)?;
            return (set == 0x31).then(|| string(str_tag, &d[vc..ve]));
        }
        at = end;
    }
    None
}

/// Certificates of certBags stored in clear: `[0] { OCTET STRING { Certificate } }` after the
/// `x509Certificate` type.
fn pkcs12_certificates(d: &[u8]) -> impl Iterator<Item = &[u8]> {
    memchr::memmem::find_iter(d, OID_X509_CERT).filter_map(move |at| {
        let (ctx, c, _) = tlv(d, at + OID_X509_CERT.len())?;
        let (octets, oc, oe) = tlv(d, c)?;
        (ctx == 0xa0 && octets == 0x04).then(|| &d[oc..oe])
    })
}

/// The subject of a DER X.509 certificate, RFC 4514 style; `None` if it does not parse or
/// holds no attribute this reader names.
fn subject(cert: &[u8]) -> Option<String> {
    let (0x30, c, _) = tlv(cert, 0)? else {
        return None;
    };
    let (0x30, mut at, tbs_end) = tlv(cert, c)? else {
        return None;
    };
    if tlv(cert, at)?.0 == 0xa0 {
        at = tlv(cert, at)?.2; // [0] version
    }
    // serialNumber, signature, issuer, validity: skip four elements.
    for _ in 0..4 {
        at = tlv(cert, at)?.2;
    }
    let (0x30, mut rdn, subject_end) = tlv(cert, at)? else {
        return None;
    };
    if subject_end > tbs_end {
        return None;
    }
    let mut parts = Vec::new();
    while rdn < subject_end {
        let (0x31, mut atv, set_end) = tlv(cert, rdn)? else {
            return None;
        };
        let mut names = Vec::new();
        while atv < set_end {
            let (_, ac, ae) = tlv(cert, atv)?;
            let (0x06, oc, oe) = tlv(cert, ac)? else {
                return None;
            };
            let (vt, vc, ve) = tlv(cert, oe)?;
            if let Some(short) = short_name(&cert[oc..oe]) {
                names.push(format!("{short}={}", escape(&string(vt, &cert[vc..ve]))));
            }
            atv = ae;
        }
        if !names.is_empty() {
            parts.push(names.join("+"));
        }
        rdn = set_end;
    }
    parts.reverse();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// RFC 4514 short names of the usual attribute types (OID content bytes).
fn short_name(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, 0x03] => "CN",
        [0x55, 0x04, 0x05] => "SERIALNUMBER",
        [0x55, 0x04, 0x06] => "C",
        [0x55, 0x04, 0x07] => "L",
        [0x55, 0x04, 0x08] => "ST",
        [0x55, 0x04, 0x0a] => "O",
        [0x55, 0x04, 0x0b] => "OU",
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19] => "DC",
        [0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01] => "UID",
        _ => return None,
    })
}

/// A directory string: BMPString as UTF-16BE, the rest as UTF-8 (lossy).
fn string(tag: u8, v: &[u8]) -> String {
    if tag == 0x1e {
        let units: Vec<u16> = v
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .take_while(|&u| u != 0)
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(v).into_owned()
    }
}

/// RFC 4514 escaping of an attribute value.
fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if matches!(c, ',' | '+' | '"' | '\\' | '<' | '>' | ';') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let bytes = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(bytes)
    }

    fn skip(&mut self, n: usize) -> Option<()> {
        self.take(n).map(|_| ())
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Java `writeUTF`: a 2-byte length, then (modified) UTF-8.
    fn utf(&mut self) -> Option<String> {
        let n = self.take(2)?;
        let len = u16::from_be_bytes([n[0], n[1]]) as usize;
        Some(String::from_utf8_lossy(self.take(len)?).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::*;

    /// The identity of a fixture key store, as the base64 text a rule would report.
    fn of(name: &str) -> Identity {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/client-configs/keys")
            .join(name);
        let text = base64::engine::general_purpose::STANDARD.encode(std::fs::read(path).unwrap());
        let mut id = Identity::new();
        identity(text.as_bytes(), &mut id);
        id
    }

    fn get<'a>(id: &'a Identity, k: &str) -> Option<&'a str> {
        id.get(k).map(String::as_str)
    }

    /// Expected values are what `keytool -list -v` (`Alias name`, `Owner`) and `openssl x509
    /// -subject -nameopt RFC2253` printed when the fixtures were made.
    #[test]
    fn stores_name_their_entries_and_certificate_subject() {
        let jks = of("server.jks");
        assert_eq!(get(&jks, "key_store"), Some("JKS"));
        assert_eq!(get(&jks, "key_aliases"), Some("server"));
        assert_eq!(get(&jks, "certificate_subject"), Some("CN=api.example"));
        let jceks = of("secrets.jceks");
        assert_eq!(get(&jceks, "key_store"), Some("JCEKS"));
        assert_eq!(get(&jceks, "key_aliases"), Some("db-master"));
        assert_eq!(get(&jceks, "certificate_subject"), None);
        // Certificates in clear (`-certpbe NONE`): subject with an escaped comma.
        let pfx = of("client-legacy.pfx");
        assert_eq!(get(&pfx, "key_store"), Some("PKCS#12"));
        assert_eq!(get(&pfx, "key_aliases"), Some("client-signing"));
        assert_eq!(
            get(&pfx, "certificate_subject"),
            Some("CN=client.example, OU=Payments, O=Example Widgets\\, B.V., C=NL")
        );
        // OpenSSL's default: certificates encrypted, so no subject.
        let p12 = of("server.p12");
        assert_eq!(get(&p12, "key_store"), Some("PKCS#12"));
        assert_eq!(get(&p12, "certificate_subject"), None);
    }

    #[test]
    fn hostile_input_adds_nothing_or_the_type_only() {
        let mut id = Identity::new();
        identity(b"MIIthis is not base64 at all", &mut id);
        assert!(id.is_empty());
        // A JKS header with an entry count and nothing after it.
        let text = base64::engine::general_purpose::STANDARD
            .encode([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff]);
        identity(text.as_bytes(), &mut id);
        assert_eq!(get(&id, "key_store"), Some("JKS"));
        assert_eq!(id.len(), 1);
        // Lengths that point past the end, at every cut of a real certificate store.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/client-configs/keys/client-legacy.pfx");
        let data = std::fs::read(path).unwrap();
        for cut in 0..data.len() {
            let _ = subject(&data[..cut]);
            let _ = friendly_names(&data[..cut]);
            let _ = pkcs12_certificates(&data[..cut]).count();
        }
    }
}
