//! Checksums and structural validators embedded in token formats (GitHub/npm CRC32, Bech32,
//! Confluent, JWT headers, Basic credentials), and the one fact detection reads from a secret
//! itself: whether a JWT expires.

use crate::codec::base64_decode;
use crate::rules::Checksum;

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Run the rule's checksum or structural validator over `secret`.
pub fn checksum_ok(kind: Checksum, secret: &[u8]) -> bool {
    match kind {
        Checksum::Github | Checksum::Npm => crc32_base62_ok(secret),
        Checksum::Bech32 => bech32_ok(secret),
        Checksum::Jwt => jwt_header_ok(secret),
        Checksum::BasicAuth => basic_auth_ok(secret),
        Checksum::Confluent => confluent_ok(secret),
        Checksum::PrivateKey => super::der::private_key_ok(secret),
    }
}

/// Confluent Cloud API secrets: `cflt` + 54 base64 characters + the CRC32 of those 54
/// characters, little-endian, as 6 unpadded base64 characters.
fn confluent_ok(secret: &[u8]) -> bool {
    let Some(body) = secret.strip_prefix(b"cflt") else {
        return false;
    };
    if body.len() != 60 {
        return false;
    }
    let (random, check) = body.split_at(54);
    base64_decode(check).is_some_and(|crc| crc == crc32fast::hash(random).to_le_bytes())
}

/// GitHub/npm style tokens: `prefix_` + 30 base62 characters + base62(CRC32 of those 30
/// characters), left-padded with `0` to six digits.
fn crc32_base62_ok(secret: &[u8]) -> bool {
    let Some(us) = secret.iter().position(|&b| b == b'_') else {
        return false;
    };
    let body = &secret[us + 1..];
    if body.len() != 36 {
        return false;
    }
    let (random, check) = body.split_at(30);
    base62_pad6(crc32fast::hash(random)).as_bytes() == check
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// A Bech32 string (BIP-173): human-readable part, `1`, data characters whose last six are a BCH
/// checksum over the whole. Case-insensitive, as age writes secret keys in upper case.
pub fn bech32_ok(secret: &[u8]) -> bool {
    let lower = secret.to_ascii_lowercase();
    let Some(sep) = lower.iter().rposition(|&b| b == b'1') else {
        return false;
    };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    if hrp.is_empty() || data.len() < 6 {
        return false;
    }
    let mut values: Vec<u8> = hrp.iter().map(|c| c >> 5).collect();
    values.push(0);
    values.extend(hrp.iter().map(|c| c & 31));
    for c in data {
        let Some(v) = BECH32.iter().position(|b| b == c) else {
            return false;
        };
        values.push(v as u8);
    }
    bech32_polymod(&values) == 1
}

fn bech32_polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk: u32 = 1;
    for &v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// The decoded JSON object of a JWT segment (0 = header, 1 = payload).
fn jwt_segment(secret: &[u8], index: usize) -> Option<serde_json::Map<String, serde_json::Value>> {
    let segment = secret.split(|&b| b == b'.').nth(index)?;
    let json = base64_decode(segment)?;
    match serde_json::from_slice(&json).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

/// A JWS compact token whose header is a JSON object with an `alg` other than `none` (an
/// unsigned token proves nothing and grants nothing).
pub fn jwt_header_ok(secret: &[u8]) -> bool {
    jwt_segment(secret, 0)
        .and_then(|h| h.get("alg").and_then(|a| a.as_str()).map(str::to_owned))
        .is_some_and(|alg| !alg.eq_ignore_ascii_case("none"))
}

/// True if `secret` is a JWT whose payload carries a numeric `exp` claim: it stops working by
/// itself, whatever the rule that found it says.
pub fn jwt_expires(secret: &[u8]) -> bool {
    secret.starts_with(b"eyJ")
        && secret.iter().filter(|&&b| b == b'.').count() == 2
        && jwt_segment(secret, 1).is_some_and(|p| p.get("exp").is_some_and(|e| e.is_number()))
}

/// HTTP Basic credentials: base64 decoding to printable ASCII `user:password` with a non-empty
/// password.
pub fn basic_auth_ok(secret: &[u8]) -> bool {
    let Some(plain) = base64_decode(secret) else {
        return false;
    };
    // A JSON object (a JWT header sent as "Basic") is not user:password.
    let printable = plain.iter().all(|b| (0x20..0x7f).contains(b)) && plain.first() != Some(&b'{');
    let password = plain
        .iter()
        .position(|&b| b == b':')
        .map(|i| &plain[i + 1..]);
    printable && password.is_some_and(|p| !p.is_empty())
}

/// `n` in base 62, left-padded with `0` to at least six digits.
pub fn base62_pad6(mut n: u32) -> String {
    let mut digits = Vec::with_capacity(6);
    while n > 0 {
        digits.push(BASE62[(n % 62) as usize]);
        n /= 62;
    }
    while digits.len() < 6 {
        digits.push(b'0');
    }
    digits.reverse();
    String::from_utf8_lossy(&digits).into_owned()
}
