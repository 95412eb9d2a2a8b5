//! Checks that turn a regex match into a credential or throw it away: entropy, checksums
//! (`checksum`), placeholders (`placeholder`) and, for generic rules, hashes, code and object
//! names (`generic`); and the one check that refines a rule's lifetime (a JWT with `exp`).
//! Pure functions over the secret's bytes.

mod checksum;
mod der;
mod generic;
mod placeholder;
mod strength;

pub use checksum::{
    base62_pad6, basic_auth_ok, bech32_ok, checksum_ok, jwt_expires, jwt_header_ok,
};
pub use der::private_key_ok;
pub use generic::{looks_like_code, looks_like_hash_or_id, looks_like_object_name};
pub use placeholder::is_placeholder;
pub use strength::{is_weak, strength};

use crate::rules::{Lifetime, Rule};

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

/// The lifetime to report for `secret` caught by `rule`: the rule's own class, except that a JWT
/// with an `exp` claim is short-lived when the rule does not already know better (`unknown`).
pub fn lifetime(rule: &Rule, secret: &[u8]) -> Lifetime {
    if rule.lifetime == Lifetime::Unknown && jwt_expires(secret) {
        Lifetime::ShortLived
    } else {
        rule.lifetime
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::base64_decode;
    use crate::rules::Checksum;

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
        // A README's `s3cr3t` is a stand-in; a chosen password built on it is not.
        assert!(is_placeholder(b"s3cr3t"));
        assert!(is_placeholder(b"S3cr3t!1"));
        assert!(!is_placeholder(b"S3cr3tPassw0rdXy"));
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
