//! Stand-ins: template variables, documented example values and typed-in dummies, which no rule
//! reports. Costs on random keys are measured (`examples/placeholder_rate.rs`), not guessed.
//!
//! A stand-in is a value that is provably not a credential. A weak one (`admin`, `qwerty123`,
//! `123456`) is a credential all the same, a worse one: keyboard and digit runs mark a typed-in
//! stand-in only in values of generated-key length ([`GENERATED_LEN`]), where no person picked
//! them as a password.

/// Words that mark a value of any length as a stand-in rather than a credential.
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
    "yourpass",
    "dummy",
    "a1b2c3",
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
    "{%",
    "$(",
    "process.env",
    "os.environ",
    "getenv",
    // Documentation stand-ins for a password or secret: `mysecret`, `mypassword`,
    // `secretpassword` (manual pages and READMEs; curl's `--user name:mysecret` is in
    // 161 copies of its history), Redis's documented `foobared`, WordPress's
    // `put your unique phrase here`, `password_here`, `ThisTokenIsNotSoSecretChangeIt`,
    // `ThisIsNotTheToken`, `fake_token` (as a word: four letters are too likely in a random key).
    "mysecret",
    "mypass",
    "secretpassword",
    "foobared",
    "unique phrase",
    "_here",
    "-here",
    "notsosecret",
    "notthe",
    "not_real",
    "not-real",
    "not_a_real",
    "not-a-real",
    "fake_",
    "fake-",
    "_fake",
    "-fake",
    "faketoken",
    "fakesecret",
    "fakepass",
    "fakekey",
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

/// Stand-ins only as the whole value (or followed by digits and symbols): `s3cr3t` alone is a
/// README's dummy, `S3cr3tPassw0rdXy` a password someone chose.
const WHOLE_STAND_INS: &[&str] = &["s3cr3t"];

/// Keyboard and digit runs: typed-in stand-ins in a generated key, but the stuff of weak
/// passwords (`qwerty123`, `mima123456`) in a shorter value.
const SEQUENCE_WORDS: &[&str] = &[
    "abcdefg",
    "123456",
    "qwerty",
    "1234567890",
    "0123456789",
    "abcdefghij",
];

/// Length from which a value is taken to be generated rather than chosen by a person: the
/// shortest common API key (16 hex digits or base62 characters). Passwords people pick are
/// shorter.
pub const GENERATED_LEN: usize = 16;

/// True for template variables, documented example values and obvious dummies.
pub fn is_placeholder(secret: &[u8]) -> bool {
    if secret.iter().all(u8::is_ascii_whitespace) {
        return true;
    }
    let lower = secret.to_ascii_lowercase();
    let has = |w: &&str| memchr::memmem::find(&lower, w.as_bytes()).is_some();
    if PLACEHOLDER_WORDS.iter().any(has) {
        return true;
    }
    if WHOLE_STAND_INS.iter().any(|w| {
        lower
            .strip_prefix(w.as_bytes())
            .is_some_and(|rest| !rest.iter().any(u8::is_ascii_alphabetic))
    }) {
        return true;
    }
    let generated = secret.len() >= GENERATED_LEN;
    if generated && SEQUENCE_WORDS.iter().any(has) {
        return true;
    }
    // `<your-token>`-style stand-ins and `<%= ... %>` / `<?= ... ?>` templates. Only in short
    // values: a PGP key block's headers may hold `<user@example.org>` without the key being a
    // placeholder. A `<` and a `>` apart are no stand-in: generated salts (WordPress's) use both.
    if secret.len() < 256 && has_angle_stand_in(secret) {
        return true;
    }
    // `$VAR` / `%VAR%` references and values made of one or two distinct characters.
    if secret.len() > 1 && secret[0] == b'$' && secret[1..].iter().all(is_ident) {
        return true;
    }
    if secret.len() > 2 && secret[0] == b'%' && secret[secret.len() - 1] == b'%' {
        return true;
    }
    if has_format_field(secret) || (generated && has_ascending_run(&lower)) || is_patterned(&lower)
    {
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

/// `<name>` (letters, digits, blanks, `_`, `-`, `.`, `@`, `/` between the brackets, a letter
/// among them) or a `<%`/`<?` template tag.
fn has_angle_stand_in(secret: &[u8]) -> bool {
    memchr::memchr_iter(b'<', secret).any(|i| {
        let rest = &secret[i + 1..];
        if rest.first().is_some_and(|&b| b == b'%' || b == b'?') {
            return true;
        }
        let inner = rest
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b" _-.@/:".contains(&b))
            .count();
        rest.get(inner) == Some(&b'>') && rest[..inner].iter().any(u8::is_ascii_alphabetic)
    })
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
