//! Byte codecs every stage needs the same way: base64 as secrets and config stores carry it,
//! and Unix times as RFC 3339 dates (git author dates, token expiry claims).
//!
//! One decoder, so the detector's checks (JWT segments, Basic credentials, Confluent
//! checksums), the config-store decoders and the encoded-value finder agree on what base64 is.
//! A leaf module: it depends on nothing in the crate.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

const INDIFFERENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, INDIFFERENT);
const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, INDIFFERENT);

/// Decode base64 in the standard or the URL-safe alphabet (whichever the text uses), with or
/// without padding. `None` for anything else: other bytes (whitespace included), a length no
/// encoder produces, or non-zero trailing bits.
pub fn base64_decode(text: &[u8]) -> Option<Vec<u8>> {
    let url_safe = text.iter().any(|&b| b == b'-' || b == b'_');
    let engine = if url_safe { &URL_SAFE } else { &STANDARD };
    engine.decode(text).ok()
}

/// [`base64_decode`] of a value that may be wrapped over lines (Kubernetes `data:` values,
/// PEM-style bodies): ASCII whitespace is dropped first.
pub fn base64_decode_wrapped(text: &[u8]) -> Option<Vec<u8>> {
    if !text.iter().any(u8::is_ascii_whitespace) {
        return base64_decode(text);
    }
    let compact: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    base64_decode(&compact)
}

/// A git timestamp as RFC 3339 in its own offset, e.g. `2024-03-01T12:00:00+01:00`.
pub fn rfc3339(seconds: i64, offset_minutes: i32) -> String {
    let local = seconds + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let off = offset_minutes.unsigned_abs();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60,
        off / 60,
        off % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabets_padding_and_rejects() {
        assert_eq!(base64_decode(b"aGk6dGhlcmU=").unwrap(), b"hi:there");
        assert_eq!(base64_decode(b"aGk6dGhlcmU").unwrap(), b"hi:there");
        assert_eq!(base64_decode(b"dXNlcjpwYXM").unwrap(), b"user:pas");
        assert_eq!(base64_decode(b"-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64_decode(b"+/8=").unwrap(), vec![0xfb, 0xff]);
        assert!(base64_decode(b"a b").is_none());
        assert!(base64_decode(b"not base64!").is_none());
        // Five characters cannot end a base64 text; `-_9` leaves bits set after the last byte.
        assert!(base64_decode(b"aGk6d").is_none());
        assert!(base64_decode(b"-_9").is_none());
    }

    #[test]
    fn wrapped_values_drop_whitespace() {
        assert_eq!(
            base64_decode_wrapped(b"dXNl\ncjpwYXNz\n").unwrap(),
            b"user:pass"
        );
        assert_eq!(
            base64_decode_wrapped(b"dXNlcjpwYXNz").unwrap(),
            b"user:pass"
        );
        assert!(base64_decode_wrapped(b"not base64!").is_none());
    }
}
