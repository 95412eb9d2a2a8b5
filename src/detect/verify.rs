//! Checks that turn a regex match into a credential or throw it away: entropy, checksums,
//! placeholders and hashes. Pure functions over the secret's bytes.

use crate::rules::{Checksum, Rule};

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

/// Verify GitHub/npm style tokens: `prefix_` + 30 base62 characters + base62(CRC32 of those
/// 30 characters), left-padded with `0` to six digits.
pub fn checksum_ok(kind: Checksum, secret: &[u8]) -> bool {
    match kind {
        Checksum::Github | Checksum::Npm => {
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
    }
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
    "replaceme",
    "insert_",
    "${",
    "#{",
    "{{",
    "$(",
    "%(",
    "process.env",
    "os.environ",
    "getenv",
    "1234567890",
    "0123456789",
    "abcdefghij",
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

fn is_ident(b: &u8) -> bool {
    b.is_ascii_alphanumeric() || *b == b'_'
}

/// True for hex digests of common lengths, UUIDs and similar identifiers, which generic
/// assignment rules would otherwise report as passwords or tokens.
pub fn looks_like_hash_or_id(secret: &[u8]) -> bool {
    let hex = secret.iter().all(u8::is_ascii_hexdigit);
    if hex && matches!(secret.len(), 32 | 40 | 56 | 64 | 96 | 128) {
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
    fn placeholders() {
        for p in [
            "AKIAIOSFODNN7EXAMPLE",
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
}
