//! Every built-in rule's examples run as tests, and the embedded list matches `rules/`.

use std::collections::BTreeSet;

use sprawl::detect::check;
use sprawl::rules::{self, builtin};

#[test]
fn embedded_list_equals_rules_directory() {
    let on_disk: BTreeSet<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
    let embedded: BTreeSet<String> = builtin::FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        embedded, on_disk,
        "src/rules/builtin.rs must list every rules/*.toml"
    );
    for (name, text) in builtin::FILES {
        let disk = std::fs::read_to_string(format!("{}/rules/{name}", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
        assert_eq!(&disk, text, "{name}: embedded text differs from disk");
    }
}

/// `rules::builtin` reads the JSON form of the pack `build.rs` makes; it must be the TOML's
/// every field, in the same order.
#[test]
fn builtin_json_pack_equals_the_toml() {
    let json = rules::builtin().unwrap();
    let toml = rules::builtin_from_toml().unwrap();
    assert_eq!(json.len(), toml.len());
    for (a, b) in json.iter().zip(&toml) {
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", b.id);
    }
}

#[test]
fn builtin_rules_load_with_unique_ids() {
    let rules = rules::builtin().expect("built-in rules compile");
    rules::check_unique_ids(&rules).expect("ids unique");
    assert!(rules.len() >= 40, "only {} rules", rules.len());
    for r in &rules {
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-'),
            "{}: ids are lowercase dotted",
            r.id
        );
        let file = r
            .origin
            .trim_start_matches("rules/")
            .trim_end_matches(".toml");
        assert!(!file.is_empty(), "{}: origin", r.id);
        assert!(!r.references.is_empty(), "{}: needs references", r.id);
        assert!(
            !r.remediation.trim().is_empty(),
            "{}: needs remediation",
            r.id
        );
    }
}

#[test]
fn every_builtin_pattern_compiles() {
    // Built-in patterns compile lazily at scan time; this is what makes that safe.
    for r in rules::builtin().unwrap() {
        if let Err(why) = rules::pattern::compile(r.pattern.source()) {
            panic!("{}: {why}", r.id);
        }
        // Placeholders and deny patterns compile lazily too.
        for p in r.placeholders.sources().iter().chain(r.deny.sources()) {
            if let Err(why) = rules::pattern::compile_regex(p) {
                panic!("{}: {p:?}: {why}", r.id);
            }
        }
    }
}

#[test]
fn every_rule_passes_its_examples() {
    let rules = rules::builtin().unwrap();
    let problems = check::check_all(&rules);
    let text: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert!(
        text.is_empty(),
        "{} problems:\n{}",
        text.len(),
        text.join("\n")
    );
}

#[test]
fn every_example_contains_a_keyword() {
    // The prefilter only runs a rule where a keyword occurs; an example without one would be
    // invisible to a real scan even though the regex matches it.
    for r in rules::builtin().unwrap() {
        for ex in &r.examples {
            assert!(check::has_keyword(&r, &ex.text), "{}: {:?}", r.id, ex.text);
        }
    }
}

#[test]
fn a_rule_without_keywords_needs_a_reason() {
    let toml = r#"
[[rule]]
id = "t.nokw"
name = "t"
severity = "low"
pattern = '(?P<secret>zz[0-9]{4})'
"#;
    let err = rules::parse_file(toml, "t.toml").unwrap_err().to_string();
    assert!(err.contains("t.toml: rule t.nokw: no keywords"), "{err}");
    let ok = toml.to_string() + "keyword_free = \"test\"\n";
    assert_eq!(rules::parse_file(&ok, "t.toml").unwrap().len(), 1);
}

#[test]
fn a_short_keyword_needs_a_reason() {
    let toml = r#"
[[rule]]
id = "t.short"
name = "t"
severity = "low"
keywords = ["zz_", "q"]
pattern = '(?P<secret>zz_[0-9]{4})'
"#;
    let err = rules::parse_file(toml, "t.toml").unwrap_err().to_string();
    assert!(
        err.contains("t.toml: rule t.short: keyword \"q\" is shorter than 3 bytes"),
        "{err}"
    );
    let ok = toml.to_string() + "keyword_free = \"test\"\n";
    assert_eq!(rules::parse_file(&ok, "t.toml").unwrap().len(), 1);
}

#[test]
fn builtin_keywords_are_at_least_three_bytes() {
    for r in rules::builtin().unwrap() {
        for k in &r.keywords {
            assert!(k.len() >= rules::MIN_KEYWORD_LEN, "{}: keyword {k:?}", r.id);
        }
    }
}

#[test]
fn builtin_pack_covers_every_family() {
    let rules = rules::builtin().unwrap();
    assert!(rules.len() >= 200, "only {} rules", rules.len());
    for r in &rules {
        assert!(r.examples.len() >= 2, "{}: needs two examples", r.id);
        assert!(
            !r.negative_examples.is_empty(),
            "{}: needs a negative",
            r.id
        );
        assert!(r.tags.iter().any(|t| t == "nhi-03"), "{}: tag nhi-03", r.id);
        assert!(r.remediation.contains("http"), "{}: remediation link", r.id);
    }
    let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
    for id in [
        "aws.access-key-pair",
        "azure.entra.client-secret",
        "google.service-account-key",
        "cloudflare.api-token",
        "gitlab.pat",
        "bitbucket.app-password",
        "npm.access-token",
        "rubygems.api-key",
        "slack.bot-token",
        "msteams.webhook",
        "stripe.secret-key.live",
        "sendgrid.api-key",
        "twilio.auth-token",
        "datadog.api-key",
        "openai.api-key",
        "anthropic.api-key",
        "database.connection-string-password",
        "snowflake.connection-password",
        "databricks.pat",
        "atlassian.api-token",
        "okta.api-token",
        "age.secret-key",
        "private-key.pkcs12-base64",
        "kubernetes.service-account-token",
    ] {
        assert!(ids.contains(&id), "missing {id}");
    }
}

#[test]
fn invalid_patterns_are_rejected_with_rule_id() {
    let toml = r#"
[[rule]]
id = "t.bad"
name = "t"
severity = "low"
keywords = ["zz"]
pattern = '(?P<secret>zz['
"#;
    let err = rules::parse_file(toml, "t.toml").unwrap_err().to_string();
    assert!(err.starts_with("t.toml: rule t.bad: pattern:"), "{err}");
    let huge = r#"
[[rule]]
id = "t.huge"
name = "t"
severity = "low"
keywords = ["zz"]
pattern = '(?P<secret>zz\w{1000}\w{1000}\w{1000})'
"#;
    let err = rules::parse_file(huge, "t.toml").unwrap_err().to_string();
    assert!(err.contains("rule t.huge: pattern:"), "{err}");
}

/// Built-in rules whose pattern may match without a length bound, with the reason. Every other
/// rule must bound its match to at most 8192 bytes, so the detector runs it only in windows
/// around its keywords instead of over whole blobs (see `Detector::detect`).
const UNBOUNDED: &[(&str, &str)] = &[
    (
        "private-key.",
        "key blocks span many lines; the BEGIN keyword is rare",
    ),
    ("password-hash.bcrypt", "anchored to the start of its line"),
    (
        "kerberos.roast-hash",
        "hash bodies have no fixed length; the $krb5 keyword is rare",
    ),
];

#[test]
fn builtin_patterns_are_bounded_unless_listed() {
    let mut unbounded = Vec::new();
    for r in rules::builtin().unwrap() {
        if r.field.is_some() || UNBOUNDED.iter().any(|(p, _)| r.id.starts_with(p)) {
            continue;
        }
        let reach = r.pattern.compiled().and_then(|c| c.max_len);
        if reach.is_none_or(|l| l > 8192) {
            unbounded.push(format!("{} ({reach:?})", r.id));
        }
    }
    assert!(unbounded.is_empty(), "unbounded: {unbounded:?}");
}
