//! What generic assignment rules (`generic.*`) must not report as a credential although a key
//! name says "password" or "token": hashes and identifiers, code, and object names.

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
    // `@token` alone is an instance variable; `a.b` needs a lowercase-led (or CONSTANT_CASE)
    // member to look like code rather than a dotted random value, and every part shaped like a
    // name a person wrote (`config.secretKey`, `self.PASSWORD`, not `V_S.lVuNVFIVtIp3`, a
    // generated password with a dot in it).
    (sigil && parts.iter().all(ident))
        || (parts.len() >= 2
            && parts.iter().all(|p| ident(p) && word_shaped(p))
            && parts[1..].iter().all(|p| {
                p[0].is_ascii_lowercase()
                    || p[0] == b'_'
                    || (p.len() >= 2 && p.iter().all(|b| !b.is_ascii_lowercase()))
            }))
}

/// An identifier as people name things: `snake_case` (digits allowed), `camelCase` or
/// `PascalCase` (each capital followed by lower case or digits), or `CONSTANT_CASE`. Random
/// strings mix case without that rhythm (`lVuNVFIVtIp3`).
fn word_shaped(p: &[u8]) -> bool {
    let lower_snake = p
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_');
    let upper_snake = p
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_');
    if lower_snake || upper_snake {
        return true;
    }
    // camelCase / PascalCase: no two capitals in a row, no underscore.
    !p.contains(&b'_')
        && p.windows(2)
            .all(|w| !(w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase()))
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
    fn dotted_random_values_are_not_code() {
        for code in [
            "config.secretKey",
            "Rails.application.secret_key_base",
            "self.PASSWORD",
        ] {
            assert!(looks_like_code(code.as_bytes()), "{code}");
        }
        // Generated passwords with a dot in them (issue 15).
        for value in ["V_S.lVuNVFIVtIp3", "syW7qeVMK15.cwRz", "a1B2.9c3D4"] {
            assert!(!looks_like_code(value.as_bytes()), "{value}");
        }
    }
}
