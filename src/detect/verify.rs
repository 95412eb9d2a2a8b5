//! Checks that turn a regex match into a credential or throw it away: entropy, checksums,
//! placeholders and hashes; and the one check that refines a rule's lifetime (a JWT with `exp`).
//! Pure functions over the secret's bytes.

use crate::rules::{Checksum, Lifetime, Rule};

/// Why a candidate was rejected (kept for `rules check` messages and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reject {
    /// Entropy below the rule's minimum.
    Entropy,
    /// The embedded checksum does not match.
    Checksum,
    /// A template, documented example or obvious dummy value.
    Placeholder,
    /// A hash or identifier, not a credential (generic rules only).
    Hash,
}

/// Run every check the rule asks for, plus the global placeholder check.
pub fn check(rule: &Rule, secret: &[u8]) -> Result<(), Reject> {
    if secret.is_empty() {
        return Err(Reject::Placeholder);
    }
    if rule
        .min_entropy
        .is_some_and(|min| shannon_entropy(secret) < min)
    {
        return Err(Reject::Entropy);
    }
    if rule.checksum.is_some_and(|kind| !checksum_ok(kind, secret)) {
        return Err(Reject::Checksum);
    }
    if is_placeholder(secret) || rule.placeholders.iter().any(|p| p.is_match(secret)) {
        return Err(Reject::Placeholder);
    }
    if rule.generic && looks_like_hash_or_id(secret) {
        return Err(Reject::Hash);
    }
    if rule.generic && (looks_like_code(secret) || looks_like_object_name(secret)) {
        return Err(Reject::Placeholder);
    }
    Ok(())
}

/// True for lowercase word chains such as `name-of-existing-secret`, `airflow-git-keys`,
/// `ghost.local-tls`: the names of Kubernetes Secrets, files and services that Helm values and
/// manifests assign to keys like `existingSecret`, `tlsSecret` or `secret`. Generic rules only:
/// on the helm/charts tree such names were 102 of 118 `generic.secret` findings, and generated
/// credentials have mixed case, digits inside words or long random runs. The cost: an
/// all-lowercase passphrase such as `correct-horse-battery` is not reported by a generic rule.
pub fn looks_like_object_name(secret: &[u8]) -> bool {
    // A command-line flag (`-config-file`) is no better a credential.
    let start = secret.iter().take_while(|&&b| b == b'-').count();
    let parts: Vec<&[u8]> = secret[start..].split(|&b| b == b'-' || b == b'.').collect();
    // All lowercase words, or all uppercase ones (`AWS-SECRET-KEY` is a stand-in).
    let word = |p: &&[u8], case: fn(&u8) -> bool| {
        let letters = p.iter().take_while(|b| case(b)).count();
        // A word, optionally with a short number after it (`cluster1`, `domain2`).
        letters >= 1 && p.len() - letters <= 2 && p[letters..].iter().all(u8::is_ascii_digit)
    };
    parts.len() >= 2
        && (parts.iter().all(|p| word(p, u8::is_ascii_lowercase))
            || parts.iter().all(|p| word(p, u8::is_ascii_uppercase)))
}

/// True for values that are code, not data: `#{interpolation}`, `@ivar`, `obj.member.chain`
/// (optionally called), which generic assignment rules meet in source files
/// (`password = @user.password`, `token: self.next_token()`). Generic rules only: a JWT's
/// segments could look like a member chain.
pub fn looks_like_code(secret: &[u8]) -> bool {
    if memchr::memmem::find(secret, b"#{").is_some() {
        return true;
    }
    let body = secret.strip_suffix(b"()").unwrap_or(secret);
    // Go template field access (Helm): `.Values.image.pullSecrets`.
    let body = match body.strip_prefix(b".") {
        Some(rest) if rest.first().is_some_and(u8::is_ascii_uppercase) => rest,
        _ => body,
    };
    let body = body
        .strip_prefix(b"@@")
        .or_else(|| body.strip_prefix(b"@"))
        .or_else(|| body.strip_prefix(b"$"))
        .map(|b| (b, true))
        .unwrap_or((body, false));
    let (body, sigil) = body;
    let parts: Vec<&[u8]> = body.split(|&b| b == b'.').collect();
    let ident = |p: &&[u8]| {
        !p.is_empty()
            && (p[0].is_ascii_alphabetic() || p[0] == b'_')
            && p.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
    };
    // `@token` alone is an instance variable; `a.b` needs a lowercase-led member to look like
    // code rather than a dotted random value.
    (sigil && parts.iter().all(ident))
        || (parts.len() >= 2
            && parts.iter().all(ident)
            && parts[1..]
                .iter()
                .all(|p| p[0].is_ascii_lowercase() || p[0] == b'_'))
}

/// Shannon entropy of the byte distribution, in bits per byte.
pub fn shannon_entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let len = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Run the rule's checksum or structural validator over `secret`.
pub fn checksum_ok(kind: Checksum, secret: &[u8]) -> bool {
    match kind {
        Checksum::Github | Checksum::Npm => crc32_base62_ok(secret),
        Checksum::Bech32 => bech32_ok(secret),
        Checksum::Jwt => jwt_header_ok(secret),
        Checksum::BasicAuth => basic_auth_ok(secret),
        Checksum::Confluent => confluent_ok(secret),
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

/// Decode standard or URL-safe base64, padded or not. `None` on any other byte.
pub fn base64_decode(data: &[u8]) -> Option<Vec<u8>> {
    let data = data
        .strip_suffix(b"==")
        .or_else(|| data.strip_suffix(b"="))
        .unwrap_or(data);
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in data {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
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

/// The lifetime to report for `secret` caught by `rule`: the rule's own class, except that a JWT
/// with an `exp` claim is short-lived when the rule does not already know better (`unknown`).
pub fn lifetime(rule: &Rule, secret: &[u8]) -> Lifetime {
    if rule.lifetime == Lifetime::Unknown && jwt_expires(secret) {
        Lifetime::ShortLived
    } else {
        rule.lifetime
    }
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

/// Words that mark a value as a stand-in rather than a credential.
const PLACEHOLDER_WORDS: &[&str] = &[
    "example",
    "abcdefg",
    "123456",
    "a1b2c3",
    "qwerty",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "dummy",
    "xxxxx",
    "*****",
    "redacted",
    "replace_me",
    "replace-me",
    "replaceme",
    "insert_",
    "${",
    "#{",
    "{{",
    "$(",
    "process.env",
    "os.environ",
    "getenv",
    "1234567890",
    "0123456789",
    "abcdefghij",
    // The sample UUID of RFC 4122 examples and most API documentation, also without hyphens
    // and with its tail edited (`...426614174abc`).
    "123e4567-e89b-12d3-a456-426614174000",
    "123e4567-e89b-12d3",
    "123e4567e89b12d3",
    // The example credentials of RFC 6749 (OAuth 2.0: access and refresh token, code, client
    // id and secret, their Basic form) and RFC 5849 (OAuth 1.0: client, temporary and token
    // credentials), copied into the docs and tests of most OAuth libraries. Lower case.
    "2yotnfzfejr1zcsicmwpaa",
    "tgzv3jokf0xg5qx2tlkwia",
    "splxlobezqqybys6wxsbia",
    "czzcagrsa3f0mzpnwdfmqmf0m2jw",
    "s6bhdrkqt3",
    "gx1fbat3bv",
    "dpf43f3p2l4k3l03",
    "kd94hf93k423kf44",
    "hh5s93j4hdidpola",
    "hdk48djdsa",
    "nnch734d00sl2jdk",
    "pfkkdhi9sl3r4s00",
];

/// True for template variables, documented example values and obvious dummies.
pub fn is_placeholder(secret: &[u8]) -> bool {
    if secret.iter().all(u8::is_ascii_whitespace) {
        return true;
    }
    let lower = secret.to_ascii_lowercase();
    if PLACEHOLDER_WORDS
        .iter()
        .any(|w| memchr::memmem::find(&lower, w.as_bytes()).is_some())
    {
        return true;
    }
    // `<your-token>`-style stand-ins. Only in short values: a PGP key block's headers may hold
    // `<user@example.org>` without the key being a placeholder.
    if secret.len() < 256 && secret.contains(&b'<') && secret.contains(&b'>') {
        return true;
    }
    // `$VAR` / `%VAR%` references and values made of one or two distinct characters.
    if secret.len() > 1 && secret[0] == b'$' && secret[1..].iter().all(is_ident) {
        return true;
    }
    if secret.len() > 2 && secret[0] == b'%' && secret[secret.len() - 1] == b'%' {
        return true;
    }
    if has_format_field(secret) || has_ascending_run(&lower) || is_patterned(&lower) {
        return true;
    }
    let mut distinct = [false; 256];
    let mut n = 0;
    for &b in secret {
        if !distinct[b as usize] {
            distinct[b as usize] = true;
            n += 1;
        }
    }
    // `xxxx`, `****`, `....`: one character repeated is a stand-in at any useful length.
    (secret.len() >= 6 && n <= 2) || (secret.len() >= 3 && n == 1)
}

/// Seven or more consecutive letters or digits in ascending order (`hijklmn`, `3456789`): a
/// typed-in stand-in. In a random base62 string such a run has odds of about 1 in 62^6 per
/// position, so real keys practically never hold one. Expects lower-cased input.
fn has_ascending_run(lower: &[u8]) -> bool {
    let mut run = 1;
    for w in lower.windows(2) {
        let step = w[0].is_ascii_alphanumeric() && w[1] == w[0] + 1 && w[1].is_ascii_alphanumeric();
        run = if step { run + 1 } else { 1 };
        if run >= 7 {
            return true;
        }
    }
    false
}

/// Typed-in patterns that the run check misses: in values of 16+ bytes, half or more of the
/// neighbouring characters one step apart (`abcd1234-efgh5678`, `ZYXWVUTS...`) or runs of one
/// character averaging 3+; in values of 20+ bytes, one character making up half the value or two
/// making up 70% (`00-aaaaaaaaaaaaa-aaaa...`, `6Lcw--w-w----`), or a short unit repeated
/// (`asdf1234asdf1234asdf1234`). `examples/placeholder_rate.rs` measures what this costs on
/// random keys (with every other placeholder check): 1 in 10,000 random 16-character hex
/// values, 1 in 50,000 or fewer for longer hex and for base32/62/64 values of 12 to 64
/// characters. Expects lower-cased input.
fn is_patterned(lower: &[u8]) -> bool {
    let n = lower.len();
    if n < 16 {
        return false;
    }
    let steps = lower
        .windows(2)
        .filter(|w| {
            w[0].is_ascii_alphanumeric() && w[1].is_ascii_alphanumeric() && w[0].abs_diff(w[1]) == 1
        })
        .count();
    if steps * 2 >= n - 1 {
        return true;
    }
    // Runs of one character averaging 3 or more (`33333333-cccc-dddd-eeee-4444...`); a random
    // key's runs average barely above 1.
    let runs = 1 + lower.windows(2).filter(|w| w[0] != w[1]).count();
    if n >= 3 * runs {
        return true;
    }
    if n < 20 {
        return false;
    }
    let mut counts = [0usize; 256];
    for &b in lower {
        counts[b as usize] += 1;
    }
    let (mut top, mut second) = (0, 0);
    for &c in &counts {
        if c > top {
            (top, second) = (c, top);
        } else if c > second {
            second = c;
        }
    }
    if top * 2 >= n || (top + second) * 10 >= n * 7 {
        return true;
    }
    (2..=8).any(|p| n >= 3 * p && (p..n).all(|i| lower[i] == lower[i - p]))
}

/// A Python `%(name)s` format field. Only with a name: a bare `%(` also occurs in random
/// secrets drawn from punctuation (Django keys, for one).
fn has_format_field(secret: &[u8]) -> bool {
    memchr::memmem::find_iter(secret, b"%(").any(|i| {
        let rest = &secret[i + 2..];
        let name = rest.iter().take_while(|b| is_ident(b)).count();
        name > 0 && rest.get(name) == Some(&b')')
    })
}

fn is_ident(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || *b == b'_'
}

/// True for hex digests of common lengths, UUIDs and similar identifiers, which generic
/// assignment rules would otherwise report as passwords or tokens.
pub fn looks_like_hash_or_id(secret: &[u8]) -> bool {
    // Hex digests (MD5 32, SHA-1 40, SHA-2 56..128), commit ids and other hex identifiers of 16+
    // digits: a generic assignment of one is far more often a hash, id or test fixture than a
    // credential. Vendor rules (and generic.api-key-hex / generic.client-secret) still catch hex
    // keys where the key name says what they are.
    let hex = secret.iter().all(u8::is_ascii_hexdigit);
    if hex && secret.len() >= 16 {
        return true;
    }
    if secret.len() == 36
        && secret.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
    {
        return true;
    }
    // Subresource-integrity style digests: `sha512-<base64>`.
    [b"sha1-".as_slice(), b"sha256-", b"sha384-", b"sha512-"]
        .iter()
        .any(|p| secret.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_uniform_and_constant() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }

    #[test]
    fn base62_padding() {
        assert_eq!(base62_pad6(0), "000000");
        assert_eq!(base62_pad6(61), "00000z");
        assert_eq!(base62_pad6(62), "000010");
    }

    #[test]
    fn random_keys_are_not_stand_ins() {
        // 20,000 random values per common key shape (fixed xorshift seed, so deterministic):
        // none may be dropped as a stand-in. examples/placeholder_rate.rs measures the rates.
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let shapes: [(&[u8], usize); 4] = [
            (b"0123456789abcdef", 40),
            (
                b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                32,
            ),
            (
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                43,
            ),
            (b"abcdefghijklmnopqrstuvwxyz234567", 52),
        ];
        for (alphabet, len) in shapes {
            let mut v = vec![0u8; len];
            for _ in 0..20_000 {
                for b in v.iter_mut() {
                    *b = alphabet[(next() % alphabet.len() as u64) as usize];
                }
                assert!(!is_placeholder(&v), "{}", String::from_utf8_lossy(&v));
            }
        }
    }

    #[test]
    fn patterned_values_are_stand_ins() {
        for v in [
            "abcd1234efgh5678ijkl9012mnop3456",
            "hgfedcba0987654321gfedcbaijklmn12",
            "00-aaaaaaaaaaaaa-aaaaaaaaaaaaaaaaaaaaaaaaa",
            "6Lcw--w-AAAAAw-w-w----w-w-www-www--ww-w-",
            "Asdf1234asdf1234asdf1234asdf1234",
            "ABCD1234-EFGH5678",
            "33333333-cccc-dddd-eeee-444444444444",
            "123e4567e89b12d3a456426614174000",
        ] {
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
        // Random keys of the same shapes are not.
        for v in [
            "q8Lz3vN0tRk2WmY7pXc5Bd9Hj4Fs6Ga1",
            "4f9c1e7a2b8d3065c9e1f4a7b2d8c3e6",
            "Kx7pQ2mZ9rT4vW8nL3bH6cJ5dF1gS0aYqE2uR7iO",
        ] {
            assert!(!is_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn ascending_runs_are_stand_ins() {
        assert!(is_placeholder(
            b"sk-ant-admin01-abc9xyz-klmnopqrstuvwx-3456yza"
        ));
        assert!(is_placeholder(b"Zq3x9T3456789bLm2"));
        // Six in a row is not enough, and a run must not cross from digits to letters.
        assert!(!is_placeholder(b"Zq3xmnopqrT8bLm2NcK"));
        assert!(!is_placeholder(b"Zq3x789:;<=bLm2NcK"));
    }

    #[test]
    fn placeholders() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
            "123e4567-e89b-12d3-a456-426614174000",
            "2YotnFZFEjr1zCsicMWpAA",
            "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW",
            "${TOKEN}",
            "<your-api-key>",
            "{{ .Values.token }}",
            "$API_TOKEN",
            "xxxxxxxxxxxxxxxx",
            "%(password)s",
            "aaaaaaaa",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p}");
        }
        assert!(!is_placeholder(b"Zq3x9TrV8bLm2NcK"));
        assert!(!is_placeholder(b"django-insecure-_du9e^cmago!%(^+=gr@cu"));
    }

    #[test]
    fn issue_4_placeholder_list_is_rejected() {
        // The stand-ins issue #4 names, as values a field or generic rule could capture.
        for p in [
            "changeme",
            "<token>",
            "${VAR}",
            "$VAR",
            "{{ .Values.x }}",
            "%(x)s",
            "xxxx",
            "your_api_key_here",
            "process.env.X",
            "os.environ['X']",
            "os.environ[\"X\"]",
            "",
            "   ",
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "****",
        ] {
            assert!(is_placeholder(p.as_bytes()), "{p:?}");
        }
        for real in ["Tq8vR2mZp", "hunter2Secret!", "x1y"] {
            assert!(!is_placeholder(real.as_bytes()), "{real}");
        }
    }

    #[test]
    fn code_is_not_a_credential() {
        for c in [
            "#{cache_password}",
            "@user.token",
            "@sign_secret",
            "@scanner.next_token",
            "self.next_token()",
            "config.secret_key_base",
            "$password",
            ".Values.image.pullSecrets",
            ".Values.secrets",
        ] {
            assert!(looks_like_code(c.as_bytes()), "{c}");
        }
        for v in [
            "am@z1ng_p@ssw0rd#!",
            "Zq3x9TrV8bLm2NcK",
            "a1B2.9c3D4",
            "kjfh.X8sd",
        ] {
            assert!(!looks_like_code(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn object_names_are_not_credentials() {
        for n in [
            "name-of-existing-secret",
            "airflow-cluster1-fernet-key",
            "chartmuseum.domain2-tls",
            "change-this-value",
            "xoxb-somenumbers-someletters",
            "AWS-SECRET-KEY",
            "-config-file",
        ] {
            assert!(looks_like_object_name(n.as_bytes()), "{n}");
        }
        for v in [
            "Zq3x9TrV8bLm2NcK",
            "secret",
            "mySuper-secretPassPhrase",
            "k8s-a9f3kd82jf-x",
            "tq8v-R2mz-p0xw",
            "abc123-def",
            "AWS-secret-KEY",
        ] {
            assert!(!looks_like_object_name(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn hashes() {
        assert!(looks_like_hash_or_id(
            b"da39a3ee5e6b4b0d3255bfef95601890afd80709"
        ));
        assert!(looks_like_hash_or_id(
            b"123e4567-e89b-12d3-a456-426614174000"
        ));
        assert!(!looks_like_hash_or_id(b"Zq3x9TrV8bLm2NcK"));
    }

    fn b62_token(prefix: &str, random: &str) -> String {
        format!(
            "{prefix}{random}{}",
            base62_pad6(crc32fast::hash(random.as_bytes()))
        )
    }

    #[test]
    fn github_and_npm_checksums() {
        let good = b62_token("ghp_", "Zq3x9TrV8bLm2NcKp4Wd7Yh6Gf5Js1");
        assert!(checksum_ok(Checksum::Github, good.as_bytes()));
        let mut bad = good.clone().into_bytes();
        bad[10] = if bad[10] == b'a' { b'b' } else { b'a' };
        assert!(!checksum_ok(Checksum::Github, &bad));
        let npm = b62_token("npm_", "Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz9");
        assert!(checksum_ok(Checksum::Npm, npm.as_bytes()));
        assert!(!checksum_ok(Checksum::Npm, b"npm_short"));
    }

    #[test]
    fn confluent_checksum() {
        // The example in Confluent's documentation, then one character changed.
        let doc = b"cfltT8d8RzkNseTMEDKcjNM1BZTFPHqRn/dQm9q7w6SjzZ12wZfwjaJdipHZtDjw";
        assert!(checksum_ok(Checksum::Confluent, doc));
        let mut bad = doc.to_vec();
        bad[10] = b'A';
        assert!(!checksum_ok(Checksum::Confluent, &bad));
        assert!(!checksum_ok(
            Checksum::Confluent,
            b"cfltT8d8RzkNseTMEDKcjNM1"
        ));
        assert!(!checksum_ok(Checksum::Confluent, &doc[4..]));
    }

    #[test]
    fn bech32_checksum() {
        // BIP-173 test vectors, then one character changed.
        assert!(bech32_ok(b"A12UEL5L"));
        assert!(bech32_ok(b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
        assert!(!bech32_ok(b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx"));
        assert!(!bech32_ok(
            b"AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"
        ));
        assert!(!bech32_ok(b"no-separator"));
    }

    #[test]
    fn base64_both_alphabets() {
        assert_eq!(base64_decode(b"aGk6dGhlcmU=").unwrap(), b"hi:there");
        assert_eq!(base64_decode(b"-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64_decode(b"+/8=").unwrap(), vec![0xfb, 0xff]);
        assert!(base64_decode(b"a b").is_none());
    }

    // {"alg":"HS256","typ":"JWT"} / {"sub":"1","exp":1900000000} / {"alg":"none"}
    const HS256: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
    const EXP: &str = "eyJzdWIiOiIxIiwiZXhwIjoxOTAwMDAwMDAwfQ";
    const NOEXP: &str = "eyJzdWIiOiIxIn0";
    const NONE: &str = "eyJhbGciOiJub25lIn0";

    #[test]
    fn jwt_header_and_expiry() {
        let with_exp = format!("{HS256}.{EXP}.c2lnbmF0dXJlc2lnbmF0dXJl");
        let without = format!("{HS256}.{NOEXP}.c2lnbmF0dXJlc2lnbmF0dXJl");
        assert!(jwt_header_ok(with_exp.as_bytes()));
        assert!(!jwt_header_ok(format!("{NONE}.{EXP}.sig").as_bytes()));
        assert!(!jwt_header_ok(b"eyJub3QganNvbg.e30.sig"));
        assert!(jwt_expires(with_exp.as_bytes()));
        assert!(!jwt_expires(without.as_bytes()));
        assert!(!jwt_expires(b"not.a.jwt"));
    }

    #[test]
    fn lifetime_of_jwt_depends_on_rule_and_exp() {
        let spec = |lifetime: &str| {
            format!(
                "[[rule]]\nid = 't.jwt'\nname = 't'\nseverity = 'low'\nlifetime = '{lifetime}'\nkeywords = ['eyJ']\npattern = '(?P<secret>eyJ\\S+)'\n"
            )
        };
        let unknown = &crate::rules::parse_file(&spec("unknown"), "t.toml").unwrap()[0];
        let fixed = &crate::rules::parse_file(&spec("static"), "t.toml").unwrap()[0];
        let with_exp = format!("{HS256}.{EXP}.c2ln");
        let without = format!("{HS256}.{NOEXP}.c2ln");
        assert_eq!(lifetime(unknown, with_exp.as_bytes()), Lifetime::ShortLived);
        assert_eq!(lifetime(unknown, without.as_bytes()), Lifetime::Unknown);
        assert_eq!(lifetime(fixed, with_exp.as_bytes()), Lifetime::Static);
    }

    #[test]
    fn basic_auth_credentials() {
        assert!(basic_auth_ok(b"QWxhZGRpbjpvcGVuIHNlc2FtZQ==")); // Aladdin:open sesame
        assert!(!basic_auth_ok(b"YnJvd3Nlcjo=")); // browser: (empty password)
        assert!(!basic_auth_ok(b"bm9jb2xvbg==")); // nocolon
        assert!(!basic_auth_ok(b"not base64!"));
        assert!(!basic_auth_ok(b"eyJhbGciOiJIUzI1NiJ9")); // {"alg":"HS256"}
    }
}
