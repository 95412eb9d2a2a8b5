use super::*;
use crate::rules::parse_file;

fn rule(id: &str, field: Option<&str>) -> Rule {
    let field = field.map_or(String::new(), |f| format!("field = '{f}'\n"));
    let toml = format!(
        "[[rule]]\nid = '{id}'\nname = 'x'\nseverity = 'high'\nkeywords = ['xyz']\n{field}\
         pattern = '''(?P<secret>xyz)'''\n"
    );
    parse_file(&toml, "t.toml").unwrap().remove(0)
}

fn key_file(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/keys")
        .join(name);
    crate::secret::canonical_pem(&std::fs::read(path).unwrap()).unwrap()
}

fn get<'a>(id: &'a Identity, k: &str) -> Option<&'a str> {
    id.get(k).map(String::as_str)
}

#[test]
fn aws_key_ids_name_their_account() {
    // The decoding published with the key-id format analysis: the temporary key id below
    // belongs to account 609629065308.
    let id = identity(
        &rule("aws.access-key-id", None),
        TEMP_KEY_ID.as_bytes(),
        &[],
        None,
    );
    assert_eq!(get(&id, "access_key_id"), Some(TEMP_KEY_ID));
    assert_eq!(get(&id, "account_id"), Some("609629065308"));
    let groups = vec![("id".to_string(), KEY_ID.as_bytes().to_vec())];
    let id = identity(&rule("aws.access-key-pair", None), b"wJal", &groups, None);
    assert_eq!(get(&id, "access_key_id"), Some(KEY_ID));
}

/// A published example of a temporary key id, and the same body as a long-term key id.
const TEMP_KEY_ID: &str = "ASIAY34FZKBOKMUTVV7A"; // sprawl:allow (published example key id)
const KEY_ID: &str = "AKIAY34FZKBOKMUTVV7A"; // sprawl:allow (published example key id)

#[test]
fn private_keys_give_type_size_and_the_ssh_keygen_fingerprint() {
    // Fingerprints as `ssh-keygen -lf` printed them when the fixtures were generated.
    for (file, kind, bits, fp, comment) in [
        (
            "rsa-pkcs1.pem",
            "RSA",
            "2048",
            "SHA256:MM7mKNCCJwJncwfIvY+s2Eb21clePZpTgZL8nnwvUUc",
            None,
        ),
        (
            "rsa-pkcs8.pem",
            "RSA",
            "2048",
            "SHA256:MM7mKNCCJwJncwfIvY+s2Eb21clePZpTgZL8nnwvUUc",
            None,
        ),
        (
            "ec-sec1.pem",
            "ECDSA",
            "256",
            "SHA256:Pn+qFjCMm1KxU9FMtGdADmO7tOJck2TEJZ8vou0BUzM",
            None,
        ),
        (
            "ec-pkcs8.pem",
            "ECDSA",
            "256",
            "SHA256:Pn+qFjCMm1KxU9FMtGdADmO7tOJck2TEJZ8vou0BUzM",
            None,
        ),
        (
            "dsa.pem",
            "DSA",
            "1024",
            "SHA256:uT7aabz49skitPUm97JV/aUQqTk8/bxB3e0WeTOAoIg",
            None,
        ),
        (
            "ed25519-openssh",
            "Ed25519",
            "256",
            "SHA256:KLQS/tF6lvcbSK4ahj1vnZmf9fDVn46nZITUUMC5rk4",
            Some("deploy@build-7"),
        ),
        (
            "rsa-openssh",
            "RSA",
            "3072",
            "SHA256:ZxnB8lLMScnv+2/cEvasidcSD0o6VMIybG5zPfEhmhs",
            Some("ops@bastion"),
        ),
    ] {
        let id = identity(&rule("private-key.x", None), &key_file(file), &[], None);
        assert_eq!(get(&id, "key_type"), Some(kind), "{file}");
        assert_eq!(get(&id, "key_bits"), Some(bits), "{file}");
        assert_eq!(get(&id, "public_key_fingerprint"), Some(fp), "{file}");
        assert_eq!(get(&id, "key_comment"), comment, "{file}");
        assert_eq!(get(&id, "key_encrypted"), None, "{file}");
    }
    // Encrypted: the public key is still in the clear in OpenSSH's format.
    let id = identity(
        &rule("private-key.openssh", None),
        &key_file("ecdsa-openssh-encrypted"),
        &[],
        None,
    );
    assert_eq!(get(&id, "key_encrypted"), Some("yes"));
    assert_eq!(get(&id, "key_bits"), Some("384"));
    assert_eq!(
        get(&id, "public_key_fingerprint"),
        Some("SHA256:1ExwmvnJVJh22iZKBMxmzdvckS6ZL12JQlq5NmBvsuE")
    );
    // PKCS#8 Ed25519 (v1) holds no public key: type and size only.
    let id = identity(
        &rule("private-key.pkcs8", None),
        &key_file("ed25519-pkcs8.pem"),
        &[],
        None,
    );
    assert_eq!(get(&id, "key_type"), Some("Ed25519"));
    assert_eq!(get(&id, "public_key_fingerprint"), None);
    // A decoy body adds nothing.
    let decoy =
        b"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAexample\n-----END RSA PRIVATE KEY-----";
    assert!(identity(&rule("private-key.rsa", None), decoy, &[], None).is_empty());
}

#[test]
fn jwt_claims_are_decoded_never_verified() {
    // {"alg":"HS256"} . {"iss":"https://auth.example.test","sub":"svc-billing","aud":["api"],"exp":1767225600}
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS50ZXN0Iiwic3ViIjoic3ZjLWJpbGxpbmciLCJhdWQiOlsiYXBpIl0sImV4cCI6MTc2NzIyNTYwMH0.c2ln";
    let id = identity(&rule("jwt.token", None), token.as_bytes(), &[], None);
    assert_eq!(get(&id, "jwt_iss"), Some("https://auth.example.test"));
    assert_eq!(get(&id, "jwt_sub"), Some("svc-billing"));
    assert_eq!(get(&id, "jwt_aud"), Some("api"));
    assert_eq!(get(&id, "jwt_exp"), Some("2026-01-01T00:00:00+00:00"));
}

#[test]
fn prefixes_and_contexts() {
    let id = identity(&rule("github.pat.classic", None), b"ghp_x", &[], None);
    assert_eq!(get(&id, "host"), Some("github.com"));
    let id = identity(&rule("stripe.secret-key", None), b"sk_live_x", &[], None);
    assert_eq!(get(&id, "mode"), Some("live"));
    let netrc = rule("netrc.p", Some("netrc.password"));
    let id = identity(
        &netrc,
        b"x",
        &[],
        Some("machine api.example.test login deploy"),
    );
    assert_eq!(get(&id, "machine"), Some("api.example.test"));
    assert_eq!(get(&id, "login"), Some("deploy"));
    let pg = rule("pgpass.p", Some("pgpass.password"));
    let id = identity(&pg, b"x", &[], Some("db.internal:5432:orders:orders_app"));
    assert_eq!(
        (
            get(&id, "host"),
            get(&id, "port"),
            get(&id, "database"),
            get(&id, "user")
        ),
        (
            Some("db.internal"),
            Some("5432"),
            Some("orders"),
            Some("orders_app")
        )
    );
    let docker = rule("docker.auth", Some("docker.auth"));
    let id = identity(&docker, b"x", &[], Some("auths.\"ghcr.io\".auth"));
    assert_eq!(get(&id, "registry"), Some("ghcr.io"));
    let groups = vec![
        ("user".to_string(), b"app".to_vec()),
        ("host".to_string(), b"db.example.test".to_vec()),
    ];
    let id = identity(&rule("generic.url-credentials", None), b"pw", &groups, None);
    assert_eq!(
        (get(&id, "user"), get(&id, "host")),
        (Some("app"), Some("db.example.test"))
    );
}

/// A key caught inside a JSON or code string (`\n` escapes, quotes and `+` concatenation, as
/// the private-key rules match it) has the same identity as the key file.
#[test]
fn escaped_keys_are_read_in_canonical_form() {
    let pem = String::from_utf8(key_file("ec-sec1.pem")).unwrap();
    let escaped = pem.trim_end().replace('\n', "\\n");
    let concatenated = pem.trim_end().replace('\n', "\\n\" +\n  \"");
    for text in [escaped, concatenated] {
        let id = identity(&rule("private-key.ec", None), text.as_bytes(), &[], None);
        assert_eq!(get(&id, "key_type"), Some("ECDSA"), "{text}");
        assert_eq!(
            get(&id, "public_key_fingerprint"),
            Some("SHA256:Pn+qFjCMm1KxU9FMtGdADmO7tOJck2TEJZ8vou0BUzM"),
            "{text}"
        );
    }
}
