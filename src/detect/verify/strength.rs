//! How guessable a credential someone chose is: the `strength` a finding carries.
//!
//! Only rules that catch chosen values (generic assignments and config-store fields) are judged:
//! a provider-issued token is random by construction and gets no strength. A value is weak when
//! an attacker's first guesses would hit it: short, one of the most common passwords or a
//! product default, a common word with digits or symbols around it (`Summer2024!`,
//! `admin123`), or little variety in its characters. Weak values are reported as weak; the
//! stand-in checks (`placeholder`) are what drop values that are no credential at all.

use crate::rules::{Rule, Strength};

/// Shorter than this is weak whatever it holds (NIST SP 800-63B asks at least 8 for a chosen
/// password; 10 leaves the 8- and 9-character dictionary variants in the weak bucket).
const MIN_STRONG_LEN: usize = 10;

/// Below this many bits per character the value repeats itself too much to be strong.
const MIN_STRONG_ENTROPY: f64 = 2.75;

/// The most common passwords and product defaults, lower case: the first entries of public
/// breach-frequency lists, and default credentials databases and installers ship with.
const COMMON: &[&str] = &[
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "password",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "qwerty",
    "qwertyuiop",
    "abc123",
    "111111",
    "000000",
    "123123",
    "654321",
    "letmein",
    "welcome",
    "monkey",
    "dragon",
    "master",
    "shadow",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "iloveyou",
    "trustno1",
    "superman",
    "batman",
    "starwars",
    "freedom",
    "whatever",
    "michael",
    "jennifer",
    "hunter",
    "hunter2",
    "killer",
    "charlie",
    "mustang",
    "access",
    "login",
    "secret",
    "default",
    "changeit",
    "changeme",
    "admin",
    "administrator",
    "root",
    "toor",
    "guest",
    "test",
    "tester",
    "testing",
    "demo",
    "user",
    "oracle",
    "postgres",
    "mysql",
    "mariadb",
    "redis",
    "mongodb",
    "sa",
    "sysadmin",
    "system",
    "manager",
    "tomcat",
    "jenkins",
    "nagios",
    "zabbix",
    "ubuntu",
    "raspberry",
    "vagrant",
    "docker",
    "kubernetes",
    "elastic",
    "kibana",
    "grafana",
    "rabbitmq",
    "minio",
    "minioadmin",
    "alpine",
    "pass",
    "pass123",
    "pa55word",
    "qazwsx",
    "1qaz2wsx",
    "zaq12wsx",
    "asdfgh",
    "zxcvbnm",
    "football1",
    "summer",
    "winter",
    "spring",
    "autumn",
    "love",
    "flower",
];

/// Words that make a value guessable when they are most of it, alone or two together, with
/// digits or symbols around (`RedisPass1!`, `MailPass2024`).
const WORDS: &[&str] = &[
    "password", "passwd", "pass", "pwd", "admin", "root", "secret", "welcome", "letmein", "qwerty",
    "summer", "winter", "spring", "autumn", "fall", "monday", "friday", "january", "december",
    "company", "changeme", "master", "login", "test", "guest", "user", "hello", "dragon", "monkey",
    "hunter", "shadow", "love", "football", "baseball", "soccer", "sunshine", "redis", "mail",
    "smtp", "ftp", "db", "sql", "mysql", "postgres", "mongo", "oracle", "app", "web", "api",
    "server", "dev", "prod", "stage", "demo", "super", "my",
];

/// The strength of `secret` caught by `rule`; `None` for provider-issued tokens.
pub fn strength(rule: &Rule, secret: &[u8]) -> Option<Strength> {
    if !rule.generic && rule.field.is_none() {
        return None;
    }
    Some(if is_weak(secret) {
        Strength::Weak
    } else {
        Strength::Strong
    })
}

/// True if `secret` is among an attacker's first guesses (see the module doc).
pub fn is_weak(secret: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(secret) else {
        return false;
    };
    let lower = text.to_lowercase();
    if text.chars().count() < MIN_STRONG_LEN || COMMON.contains(&lower.as_str()) {
        return true;
    }
    if super::shannon_entropy(secret) < MIN_STRONG_ENTROPY {
        return true;
    }
    word_with_decoration(&lower)
}

/// A common word making up most of the value, the rest digits and symbols (`summer2024!`,
/// `admin@123`, `2023password`): the shape password policies push people to.
fn word_with_decoration(lower: &str) -> bool {
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    let others = lower.chars().count() - letters.chars().count();
    let decoration_only = lower
        .chars()
        .all(|c| c.is_alphabetic() || c.is_ascii_digit() || c.is_ascii_punctuation());
    decoration_only && others <= 6 && (common_words(&letters, 2) || near_word(&letters))
}

/// `letters` is one or two of [`WORDS`] run together.
fn common_words(letters: &str, parts: usize) -> bool {
    if letters.is_empty() {
        return true;
    }
    parts > 0
        && WORDS.iter().any(|w| {
            letters
                .strip_prefix(w)
                .is_some_and(|rest| common_words(rest, parts - 1))
        })
}

/// A common word with up to three more letters (`passwordx`, `adminabc`).
fn near_word(letters: &str) -> bool {
    WORDS
        .iter()
        .any(|w| w.len() >= 4 && letters.starts_with(w) && letters.len() <= w.len() + 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_values() {
        for v in [
            "admin123",
            "Summer2024!",
            "RedisPass1!",
            "Mailpass1234!",
            "hunter2",
            "root",
            "changeit",
            "P@ssw0rd",
            "Password123!",
            "aaaaaaaaaaaaaaab",
            "Welcome@2023",
        ] {
            assert!(is_weak(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn strong_values() {
        for v in [
            "Zq8vLm2pXr9tKw4n",
            "kMkqZ5diDNbXGYcVG9uDmNJFcWImgavl",
            "correct horse battery staple",
            "4f9c1e7a2b8d3065c9e1f4a7b2d8c3e6",
            "Tr0ub4dor&3xQ!m",
        ] {
            assert!(!is_weak(v.as_bytes()), "{v}");
        }
    }
}
