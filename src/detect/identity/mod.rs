//! What a credential unlocks, in clear: the identity a person matches against a console (an
//! AWS access key id and its account, a database `user@host`, a registry, a JWT's claims, a
//! private key's type and public-key fingerprint). None of it is secret; the secret's
//! fingerprint stays the finding's key.
//!
//! Pure, from what detection saw: the rule, the secret, the match's other named groups (`id`,
//! `user`, `host`, `account`) and the config-store context the decoders gave (`machine H login
//! U` in `.netrc`, `host:port:db:user` in `.pgpass`, `auths."registry".auth` in docker
//! configs). Key stores give their type, key entry names and certificate subject where those
//! are in clear. Fields a format does not hold are left out; nothing is guessed.

mod key;
mod store;

use crate::codec::{base64_decode, rfc3339};
use crate::rules::{Identity, Rule};

/// The identity of `secret` caught by `rule`, with the match's other named groups and the
/// location's context.
pub fn identity(
    rule: &Rule,
    secret: &[u8],
    groups: &[(String, Vec<u8>)],
    context: Option<&str>,
) -> Identity {
    let mut id = Identity::new();
    let text = String::from_utf8_lossy(secret);
    for (name, value) in groups {
        let value = String::from_utf8_lossy(value).into_owned();
        if value.is_empty() {
            continue;
        }
        let key = match (name.as_str(), rule.id.as_str()) {
            ("id", r) if r.starts_with("aws.") => {
                aws_key_id(&value, &mut id);
                continue;
            }
            ("id", r) if r.starts_with("twilio.") => "key_sid",
            ("id", r) if r.starts_with("google.") => "private_key_id",
            ("id", r) if r.starts_with("azure.") => "key_name",
            ("id", r) if r.starts_with("discord.") => "webhook_id",
            ("id", _) => "id",
            ("account", r) if r.starts_with("azure.") => "storage_account",
            ("name" | "key", _) => "variable",
            ("kind", _) => "token_type",
            (other, _) => other,
        };
        id.insert(key.to_string(), value);
    }
    from_secret(rule, &text, secret, &mut id);
    if let (Some(ctx), Some(field)) = (context, rule.field.as_deref()) {
        from_context(field, ctx, &mut id);
    }
    id
}

/// Facts the secret itself carries: key ids, token types and hosts, modes, claims, keys.
fn from_secret(rule: &Rule, text: &str, secret: &[u8], id: &mut Identity) {
    if (text.starts_with("AKIA") || text.starts_with("ASIA")) && text.len() == 20 {
        aws_key_id(text, id);
    }
    if text.starts_with("-----BEGIN ") {
        // A key caught inside a string (`\n` escapes, quotes, concatenation) is read in the
        // canonical form the finding keeps.
        match crate::secret::canonical_pem(secret) {
            Some(pem) => key::identity(&pem, id),
            None => key::identity(secret, id),
        }
    }
    // A whole key store, base64: PKCS#12 (a DER SEQUENCE), JKS (`FEEDFEED`), JCEKS.
    if text.len() >= 64 && ["MI", "/u3+7", "zs7Oz"].iter().any(|p| text.starts_with(p)) {
        store::identity(secret, id);
    }
    let prefixed = [
        ("ghp_", "github.com", "personal access token (classic)"),
        (
            "github_pat_",
            "github.com",
            "fine-grained personal access token",
        ),
        ("gho_", "github.com", "OAuth access token"),
        ("ghu_", "github.com", "GitHub App user token"),
        ("ghs_", "github.com", "GitHub App installation token"),
        ("ghr_", "github.com", "refresh token"),
        ("glpat-", "gitlab.com", "personal access token"),
        ("npm_", "registry.npmjs.org", "access token"),
    ];
    for (prefix, host, kind) in prefixed {
        if text.starts_with(prefix) {
            let key = if prefix == "npm_" { "registry" } else { "host" };
            id.insert(key.into(), host.into());
            id.insert("token_type".into(), kind.into());
        }
    }
    if text.starts_with("pypi-") {
        let registry = if rule.id.ends_with(".test") {
            "test.pypi.org"
        } else {
            "pypi.org"
        };
        id.insert("registry".into(), registry.into());
    }
    for (marker, mode) in [("_live_", "live"), ("_test_", "test")] {
        let stripe = ["sk", "rk", "pk", "whsec"]
            .iter()
            .any(|p| text.starts_with(&format!("{p}{marker}")));
        if stripe && rule.id.starts_with("stripe.") {
            id.insert("mode".into(), mode.into());
        }
    }
    if text.starts_with("eyJ") && text.matches('.').count() == 2 {
        jwt_claims(text, id);
    }
}

/// An AWS access key id and the account it belongs to. The account is encoded in the key id
/// (bits 1-40 after the four-letter prefix, base32); `aws sts get-access-key-info` returns it
/// too. Key ids issued before 2020 do not carry it.
fn aws_key_id(key_id: &str, id: &mut Identity) {
    id.insert("access_key_id".into(), key_id.into());
    let Some(body) = key_id.get(4..) else {
        return;
    };
    if let Some(account) = aws_account(body) {
        id.insert("account_id".into(), format!("{account:012}"));
    }
}

/// The account number in the 16 base32 characters after an access key id's prefix.
fn aws_account(body: &str) -> Option<u64> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits: u128 = 0;
    for c in body.bytes().take(10) {
        let v = ALPHABET.iter().position(|&a| a == c)? as u128;
        bits = (bits << 5) | v;
    }
    // 10 base32 characters are 50 bits; the first 48 are six bytes, the account is bits
    // 1..=40 of those (mask 0x7fffffffff80, shifted right by 7).
    let six = (bits >> 2) as u64;
    let account = (six & 0x7fff_ffff_ff80) >> 7;
    (account > 0).then_some(account)
}

/// `iss`, `sub`, `aud` and `exp` of a JWT's payload (never its signature).
fn jwt_claims(token: &str, id: &mut Identity) {
    let Some(payload) = token.split('.').nth(1) else {
        return;
    };
    let Some(json) = base64_decode(payload.as_bytes()) else {
        return;
    };
    let Ok(serde_json::Value::Object(claims)) = serde_json::from_slice(&json) else {
        return;
    };
    for claim in ["iss", "sub", "aud"] {
        let value = match claims.get(claim) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(list)) => list
                .iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            _ => continue,
        };
        if !value.is_empty() {
            id.insert(format!("jwt_{claim}"), clip(&value));
        }
    }
    if let Some(exp) = claims.get("exp").and_then(serde_json::Value::as_i64) {
        id.insert("jwt_exp".into(), rfc3339(exp, 0));
    }
}

/// Facts from a config-store field's context label.
fn from_context(field: &str, ctx: &str, id: &mut Identity) {
    // The innermost label is the field's own (outer ones name enclosing stores).
    let ctx = ctx.rsplit(" > ").next().unwrap_or(ctx);
    let mut put = |k: &str, v: &str| {
        if !v.is_empty() {
            id.insert(k.to_string(), clip(v));
        }
    };
    match field {
        "netrc.password" => {
            let words: Vec<&str> = ctx.split_whitespace().collect();
            for pair in words.chunks(2) {
                if let [k @ ("machine" | "login"), v] = pair {
                    put(k, v);
                }
            }
        }
        "pgpass.password" => {
            let parts: Vec<&str> = ctx.splitn(4, ':').collect();
            if let [host, port, db, user] = parts.as_slice() {
                put("host", host);
                put("port", port);
                put("database", db);
                put("user", user);
            }
        }
        "git.credentials" => {
            let rest = ctx.split_once("://").map_or(ctx, |(_, r)| r);
            match rest.split_once('@') {
                Some((user, host)) => {
                    put("user", user);
                    put("host", host.split('/').next().unwrap_or(host));
                }
                None => put("host", rest.split('/').next().unwrap_or(rest)),
            }
        }
        f if f.starts_with("docker.") => {
            if let Some(registry) = ctx.split('"').nth(1) {
                put("registry", registry);
            }
        }
        f if f.starts_with("npm.") => {
            let registry = ctx.trim_start_matches('/');
            if let Some(host) = registry
                .split(['/', ':'])
                .next()
                .filter(|h| h.contains('.'))
            {
                put("registry", host);
            }
        }
        f if f.starts_with("pypirc.") || f.starts_with("aws.") => {
            if let Some(section) = ctx.strip_prefix('[').and_then(|s| s.split(']').next()) {
                put(
                    if f.starts_with("aws.") {
                        "profile"
                    } else {
                        "repository"
                    },
                    section,
                );
            }
        }
        _ => {}
    }
}

/// Identity values are for people: long ones are cut.
fn clip(s: &str) -> String {
    const MAX: usize = 200;
    if s.len() <= MAX {
        return s.to_string();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests;
