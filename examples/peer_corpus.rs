//! Runs the peers' rule examples (`../shared/corpus/peer-examples/*.jsonl`) through sprawl's
//! full scan path and prints, per source, the share of `match` examples detected and the share of
//! `no_match` examples flagged, then the misses grouped by the peer's rule id.
//!
//! usage: cargo run --release --example peer_corpus -- [DIR] [--list] [--rules PATH]...
//! `--list` prints each missed example; a `*` marks a miss counted as deliberate.
//!
//! A `match` example counts as detected if sprawl reports any finding in it; a `no_match`
//! example counts as flagged if sprawl reports any finding in it. The peers' expectations are
//! about their own rules, so a flag is not always a false positive (see the corpus LICENSES.md).

use std::collections::BTreeMap;
use std::path::PathBuf;

use sprawl::detect::{Detector, Scratch, verify};
use sprawl::scan::{Counters, Engine};
use sprawl::source::{Location, SourceKind};

/// Peer rules whose `match` examples sprawl deliberately does not report, with the reason
/// (matched as a prefix of the peer rule id). Misses whose only candidate a check rejected as a
/// placeholder or a failed checksum are counted as deliberate too, automatically.
const DELIBERATE: &[(&str, &str)] = &[
    ("np.arn.", "an AWS ARN names a resource and grants nothing"),
    ("np.s3.", "a bucket name or URL is not a credential"),
    ("np.gcs.", "a bucket name or URL is not a credential"),
    ("np.aws.3", "an AWS account id is not a secret"),
    ("np.age.1", "an age recipient is a public key"),
    ("kingfisher.age.1", "an age recipient is a public key"),
    ("np.mapbox.1", "Mapbox pk. tokens are public by design"),
    (
        "kingfisher.mapbox.1",
        "Mapbox pk. tokens are public by design",
    ),
    (
        "kingfisher.pubnub.",
        "PubNub publish and subscribe keys are client keys shipped in apps; the secret key (sec-c-) is reported",
    ),
    ("np.shopify.1", "a shop domain is public"),
    ("kingfisher.shopify.2", "a shop domain is public"),
    ("np.reactapp.1", "a user name alone is not a secret"),
    ("kingfisher.reactapp.1", "a user name alone is not a secret"),
    (
        "kingfisher.planetscale.2",
        "a user name alone is not a secret",
    ),
    (
        "kingfisher.snowflake.2",
        "a user name alone is not a secret",
    ),
    (
        "kingfisher.eagleeyenetworks.2",
        "an e-mail address is not a secret",
    ),
    (
        "np.google.1",
        "an OAuth client id is public; its client secret is reported",
    ),
    (
        "kingfisher.google.1",
        "an OAuth client id is public; its client secret is reported",
    ),
    (
        "np.linkedin.1",
        "a client id is public (and the example holds none)",
    ),
    (
        "kingfisher.linkedin.1",
        "a client id is public; its client secret is reported",
    ),
    (
        "np.twitter.1",
        "a client id is public; its secret is reported",
    ),
    (
        "kingfisher.twitter.1",
        "a client id is public; its secret is reported",
    ),
    (
        "kingfisher.auth0.1",
        "a client id is public; its client secret is reported",
    ),
    ("kingfisher.asana.1", "a client id is public"),
    (
        "kingfisher.bitbucket.1",
        "a client id is public; its secret is reported",
    ),
    ("kingfisher.confluent.1", "a client id is public"),
    (
        "kingfisher.facebook.1",
        "an app id is public; the app secret is reported",
    ),
    ("kingfisher.paypal.1", "an OAuth client id is public"),
    ("kingfisher.spotify.2", "a client id is public"),
    (
        "kingfisher.twilio.1",
        "an account or API key SID is an identifier; the secret is reported",
    ),
    ("kingfisher.discord.3", "a bot id is public"),
    ("kingfisher.adobe.2", "a product id is not a secret"),
    ("kingfisher.algolia.2", "an application id is public"),
    (
        "kingfisher.anypoint.2",
        "an organization id is not a secret",
    ),
    ("kingfisher.auth0.3", "a tenant domain is not a secret"),
    (
        "kingfisher.databricks.3",
        "a workspace host is not a secret",
    ),
    ("kingfisher.jira.1", "a site domain is not a secret"),
    ("kingfisher.okta.2", "an org domain is not a secret"),
    ("kingfisher.artifactory.2", "a JFrog host is not a secret"),
    (
        "kingfisher.azureopenai.host",
        "a resource host is not a secret",
    ),
    (
        "kingfisher.azuresearch.url",
        "a service URL is not a secret",
    ),
    (
        "kingfisher.azurestorage.name",
        "a storage account name is not a secret",
    ),
    (
        "kingfisher.azure.devops.2",
        "an organization URL is not a secret",
    ),
    ("kingfisher.salesforce.2", "an instance URL is not a secret"),
    ("kingfisher.sonarqube.2", "a server host is not a secret"),
    (
        "kingfisher.snowflake.1",
        "an account identifier is not a secret",
    ),
    ("np.http.2", "the 14-character RFC 6750 sample token"),
    ("gcp-service-account", "the example holds no key material"),
    (
        "pkcs12-file",
        "matched on file names; sprawl reads content (binary keystores are skipped, base64 PKCS#12 is reported)",
    ),
    (
        "kubernetes-secret-yaml",
        "Secret manifests' base64 data is for the config-store decoders, not a rule",
    ),
    (
        "aws-amazon-bedrock-api-key-short-lived",
        "the example is the fixed prefix only, with no token body",
    ),
];

/// Single `match` examples that are not credentials by sprawl's standards although their peer
/// rule's other examples are: (peer rule, a substring of the example, why). Each reason names
/// what in the example breaks the provider's documented format or makes it no secret.
const DELIBERATE_EXAMPLES: &[(&str, &str, &str)] = &[
    (
        "kingfisher.weak_password.",
        "",
        "a bare word with no key name or assignment",
    ),
    (
        "kingfisher.mongodb.2",
        "mongodb-public",
        "an Atlas public API key is the public half",
    ),
    (
        "kingfisher.squareup.1",
        "sq0idp-",
        "a Square application id is public",
    ),
    (
        "np.squareup.1",
        "sq0idp-",
        "a Square application id is public",
    ),
    (
        "kingfisher.jenkins.1",
        "Jenkins-Crumb",
        "a Jenkins crumb is a CSRF token, not a credential",
    ),
    (
        "np.jenkins.1",
        "Jenkins-Crumb",
        "a Jenkins crumb is a CSRF token, not a credential",
    ),
    (
        "kingfisher.odbc.1",
        "#{datastore",
        "every value is an interpolation",
    ),
    (
        "np.odbc.1",
        "#{datastore",
        "every value is an interpolation",
    ),
    (
        "kingfisher.generic.4",
        "password=######",
        "the password is masked (######)",
    ),
    (
        "np.generic.4",
        "password=######",
        "the password is masked (######)",
    ),
    ("np.vmware.1", "$ESXipass", "the password is a variable"),
    ("np.vmware.1", "\"$password\"", "the password is a variable"),
    (
        "kingfisher.privkey.2",
        "ENCRYPTED PRIVATE KEY",
        "a 40-character PEM body is too short to hold a key",
    ),
    (
        "kingfisher.stripe.1",
        "sk_live_HQS0j4H75XpthOW",
        "Stripe secret keys carry 24+ characters after sk_live_",
    ),
    (
        "kingfisher.square.1",
        "EAAA7h9f",
        "Square access tokens are EAAA + 60 characters; this has 61",
    ),
    (
        "kingfisher.slack.2",
        "xoxb-853BAAEE",
        "Slack bot tokens carry numeric ids (xoxb-<digits>-<digits>-...)",
    ),
    (
        "kingfisher.slack.4",
        "TY40v9sZ9",
        "Slack workspace and channel ids are upper-case (T.../B...)",
    ),
    (
        "kingfisher.openai.1",
        "T4BlbkFJ",
        "the T3BlbkFJ marker of OpenAI keys is altered",
    ),
    (
        "kingfisher.telnyx.1",
        "KEYUAao",
        "Telnyx API v2 keys are KEY0 + 31 hex + _ + 22 characters",
    ),
    (
        "kingfisher.lemonsqueezy.1",
        "eyJ0eXAi",
        "a JWT needs three segments and a JSON payload",
    ),
    (
        "kingfisher.gcp.1",
        "auth_provider_x509_cert_url\":DFD5",
        "no service-account key (no private_key)",
    ),
    (
        "kingfisher.azure.1",
        "AccountKey=1gy3",
        "75 characters; storage account keys are 88 (64 bytes)",
    ),
    (
        "np.azure.1",
        "AccountKey=1gy3",
        "75 characters; storage account keys are 88 (64 bytes)",
    ),
    (
        "kingfisher.azurestorage.key.1",
        "AccountKey=Xy9a",
        "108 characters; storage account keys are 88 (64 bytes)",
    ),
    (
        "kingfisher.buildkite.1",
        "bkua_z1x2",
        "Buildkite tokens are bkua_ + 40 hex",
    ),
    (
        "kingfisher.circleci.1",
        "CCIPAT_lZy",
        "CircleCI tokens end in 40 hex",
    ),
    (
        "kingfisher.clarifai.1",
        "dkHL49dId5",
        "Clarifai keys are 32 hex",
    ),
    (
        "kingfisher.deepgram.1",
        "io3l0urk",
        "Deepgram keys are 40 hex",
    ),
    ("kingfisher.flickr.1", "io3l0urk", "Flickr keys are 32 hex"),
    (
        "kingfisher.openweather.1",
        "3k144a5a",
        "OpenWeather keys are 32 hex, and `owm` is too short a name to key on",
    ),
    (
        "kingfisher.languagelayer.1",
        "",
        "apilayer access keys are 32 hex",
    ),
    (
        "kingfisher.hellosign.1",
        "",
        "Dropbox Sign (HelloSign) API keys are 64 hex",
    ),
    (
        "kingfisher.logzio.1",
        "-32hg-54ji-",
        "not a UUID (letters past f)",
    ),
    (
        "kingfisher.dfuse.1",
        "web_123e4567e89b12d3a456426614174",
        "the RFC 4122 sample UUID's digits",
    ),
    ("kingfisher.nuget.2", "", "NuGet API keys start with oy2"),
    (
        "kingfisher.notify.line.1",
        "",
        "LINE Notify tokens are 43 characters",
    ),
    (
        "kingfisher.frame.io.1",
        "ffio-u-",
        "Frame.io developer tokens start fio-u-",
    ),
    (
        "kingfisher.travisci.1",
        "RANDOMCONTENT",
        "a stand-in (RANDOMCONTENT)",
    ),
    (
        "kingfisher.mailerlite.1",
        "1a2b3c4d5e6f7g8h",
        "a stand-in (1a2b3c...)",
    ),
    (
        "kingfisher.asana.2",
        "20c2F0d0",
        "Asana tokens are 1/... or 2/... with a 32-hex secret",
    ),
    (
        "kingfisher.azure.3",
        "58oo4mvq",
        "ADO PATs are base32 (a-z, 2-7); this holds 8, 9 and 0",
    ),
    (
        "np.azure.3",
        "58oo4mvq",
        "ADO PATs are base32 (a-z, 2-7); this holds 8, 9 and 0",
    ),
    (
        "kingfisher.netlify.1",
        "7a9ef2c84d6b",
        "63 hex characters; the tokens are 64",
    ),
    (
        "kingfisher.instabot.1",
        "U29tZVNlY3JldFN0cmluZzEyMyBpbnN0YWJvdA",
        "base64 of the text `SomeSecretString123 instabot`",
    ),
    (
        "kingfisher.instabot.1",
        "VGhpcyBpcyBhbiBpbnN0YWJvdCBhcGkgdG9rZW4gZXhhbXBsZQ",
        "base64 of the text `This is an instabot api token example`",
    ),
    (
        "kingfisher.helpcrunch.1",
        "RlJGUkZSRlJG",
        "base64 of a repeated pattern (`FRFRFR...`)",
    ),
    (
        "kingfisher.mailmodo.1",
        "-ABCDE12-ABCDE12-",
        "a repeated unit (`ABCDE12-ABCDE12-...`)",
    ),
    (
        "kingfisher.mailmodo.1",
        "-EXAMP12-EXAMP12-",
        "a repeated unit (`EXAMP12-EXAMP12-...`)",
    ),
    (
        "kingfisher.holidayapi.1",
        "abcde123-fghij456",
        "alphabet and digit runs (`abcde123-fghij456-...`)",
    ),
    (
        "kingfisher.loyverse.1",
        "abcd1234efgh5678",
        "a stand-in (`abcd1234efgh5678...`)",
    ),
    (
        "kingfisher.fileio.1",
        "ABCD1234EFGH5678",
        "a stand-in (`ABCD1234EFGH5678...`)",
    ),
    (
        "kingfisher.ip2location.1",
        "1234567890ABCDEF1234567890ABCDEF",
        "a stand-in (`1234567890ABCDEF` twice)",
    ),
    (
        "kingfisher.eagleeyenetworks.1",
        "ZYXWV9876543210",
        "a descending run (`ZYXWV9876543210`)",
    ),
    (
        "kingfisher.zapierwebhook.1",
        "abcd1234efgh5678",
        "a stand-in (`abcd1234efgh5678`)",
    ),
    (
        "kingfisher.d7network.1",
        "1234567890ABC",
        "a stand-in (`1234567890`)",
    ),
    (
        "kingfisher.d7network.1",
        "0987654321XYZ",
        "a stand-in (`0987654321`)",
    ),
    (
        "kingfisher.blogger.1",
        "ab12cd34ef56gh78",
        "a stand-in (`ab12cd34ef56gh78...uvwxyz`)",
    ),
    (
        "kingfisher.rentman.1",
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIi",
        "the jwt.io sample claims (`sub` 1234567890, `name` John Doe)",
    ),
    (
        "kingfisher.reallysimplesystems.1",
        "eyH8Gnx",
        "not a JWT: `eyH8` does not decode to a JSON header",
    ),
    (
        "kingfisher.documo.1",
        "eyA1ZXW",
        "not a JWT: `eyA1` does not decode to a JSON header",
    ),
    (
        "kingfisher.formio.1",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.k5rh4",
        "a JWT needs three segments and a JSON payload",
    ),
    (
        "kingfisher.gcp.1",
        "firebase-example",
        "no service-account key (no private_key)",
    ),
    (
        "jwt",
        "eyJhbGciOiJub25lIn0",
        "an unsigned JWT (`alg: none`) proves nothing",
    ),
];

fn deliberate_example(peer_rule: &str, text: &str) -> Option<&'static str> {
    DELIBERATE_EXAMPLES
        .iter()
        .find(|(prefix, needle, _)| peer_rule.starts_with(prefix) && text.contains(needle))
        .map(|(_, _, why)| *why)
}

fn deliberate(peer_rule: &str) -> Option<&'static str> {
    DELIBERATE
        .iter()
        .find(|(prefix, _)| peer_rule.starts_with(prefix))
        .map(|(_, why)| *why)
}

#[derive(Default)]
struct Tally {
    matches: usize,
    detected: usize,
    negatives: usize,
    flagged: usize,
    cross: usize,
    misses: BTreeMap<String, (usize, Vec<String>)>,
    miss_kinds: BTreeMap<String, usize>,
    deliberate: BTreeMap<String, usize>,
    /// Misses with no rule at all whose value is a stand-in (`abcdef1234...`): a rule for the
    /// provider would drop the value anyway, so the second ratio leaves them out too.
    stand_ins: usize,
    false_flags: BTreeMap<String, (usize, Vec<String>)>,
}

fn main() {
    let mut dir = PathBuf::from("../shared/corpus/peer-examples");
    let mut list = false;
    let mut extra: Vec<PathBuf> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--list" {
            list = true;
        } else if arg == "--rules" {
            extra.extend(args.next().map(PathBuf::from));
        } else {
            dir = PathBuf::from(arg);
        }
    }
    let mut rules = match sprawl::rules::builtin() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    // `--rules PATH` adds rule files (or a directory of them) to the built-in pack, so a rule
    // author can measure new rules without rebuilding.
    for path in &extra {
        match sprawl::rules::load_path(path) {
            Ok(more) => rules.extend(more),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        }
    }
    let rule_count = rules.len();
    let detector = Detector::new(rules);
    let stats = Counters::default();
    let engine = Engine::new(&detector, &stats);
    let mut scratch = Scratch::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| {
            eprintln!("error: {}: {e}", dir.display());
            std::process::exit(2)
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    // A `no_match` text that some peer lists as a `match` of another rule holds a credential; a
    // finding there is not a false positive, so it is counted apart.
    let mut match_texts = std::collections::HashSet::new();
    for file in &files {
        for line in std::fs::read_to_string(file).unwrap_or_default().lines() {
            if let Ok(rec) = serde_json::from_str::<serde_json::Value>(line)
                && rec["expect"] == "match"
            {
                match_texts.insert(rec["text"].as_str().unwrap_or("").to_string());
            }
        }
    }
    println!(
        "sprawl {} with {rule_count} built-in rules\n",
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "| source | match detected | match detected, deliberate misses excluded | same, stand-in values with no rule also excluded | no_match flagged | no_match flagged, text or flagged value listed by a peer as a match elsewhere (not counted) |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    let mut report = String::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let mut t = Tally::default();
        let source = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for line in text.lines() {
            let Ok(rec) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let body = rec["text"].as_str().unwrap_or("");
            let path = rec["path"].as_str().unwrap_or("example.txt");
            let peer_rule = rec["rule_id"].as_str().unwrap_or("?").to_string();
            let origin = Location::input("corpus", path, SourceKind::File);
            let hits = engine.scan_bytes(body.as_bytes(), &origin, &mut scratch);
            let short: String = body
                .chars()
                .take(100)
                .collect::<String>()
                .replace('\n', "\\n");
            match rec["expect"].as_str() {
                Some("match") => {
                    t.matches += 1;
                    if hits.is_empty() {
                        let why = rejection(&detector, body.as_bytes());
                        *t.miss_kinds.entry(why.clone()).or_default() += 1;
                        let reason = match deliberate(&peer_rule)
                            .or_else(|| deliberate_example(&peer_rule, body))
                        {
                            Some(r) => Some(r.to_string()),
                            None if why.starts_with("placeholder") => {
                                Some("the value is a placeholder or documented example".into())
                            }
                            None if why.starts_with("low entropy") => {
                                Some("the value is too regular for a generated key".into())
                            }
                            None if why.starts_with("checksum") => {
                                Some("the embedded checksum or structure is invalid".into())
                            }
                            None => None,
                        };
                        // `--list` marks a deliberate miss with `*`: only unmarked misses count.
                        let mark = if reason.is_some() { "* " } else { "" };
                        if let Some(reason) = reason {
                            *t.deliberate.entry(reason).or_default() += 1;
                        } else if why.starts_with("no rule matched (") {
                            t.stand_ins += 1;
                        }
                        let e = t.misses.entry(peer_rule).or_default();
                        e.0 += 1;
                        e.1.push(format!("{mark}[{why}] {short}"));
                    } else {
                        t.detected += 1;
                    }
                }
                Some("no_match") => {
                    // Also apart: a flagged value that a peer's own `match` example holds, e.g.
                    // `password = 'super$ecret'` flagged where the peer lists
                    // `password = "super$ecret"` as a match (its rule tests quoting, not secrecy).
                    let value_listed = hits.iter().any(|h| {
                        let v = String::from_utf8_lossy(h.secret.reveal());
                        v.len() >= 8 && match_texts.iter().any(|t| t.contains(v.as_ref()))
                    });
                    if !hits.is_empty() && (match_texts.contains(body) || value_listed) {
                        t.cross += 1;
                        continue;
                    }
                    t.negatives += 1;
                    if !hits.is_empty() {
                        t.flagged += 1;
                        let ours = detector.rules()[hits[0].rule].id.clone();
                        let e = t
                            .false_flags
                            .entry(format!("{peer_rule} (ours: {ours})"))
                            .or_default();
                        e.0 += 1;
                        e.1.push(short);
                    }
                }
                _ => {}
            }
        }
        let pct = |a: usize, b: usize| {
            if b == 0 {
                0.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        let deliberate: usize = t.deliberate.values().sum();
        let fair = t.matches - deliberate;
        let no_stand_ins = fair - t.stand_ins;
        println!(
            "| {source} | {}/{} ({:.1}%) | {}/{} ({:.1}%) | {}/{} ({:.1}%) | {}/{} ({:.1}%) | {} |",
            t.detected,
            t.matches,
            pct(t.detected, t.matches),
            t.detected,
            fair,
            pct(t.detected, fair),
            t.detected,
            no_stand_ins,
            pct(t.detected, no_stand_ins),
            t.flagged,
            t.negatives,
            pct(t.flagged, t.negatives),
            t.cross
        );
        report.push_str(&format!(
            "\n## {source}: deliberate misses (not credentials by sprawl's standards)\n"
        ));
        for (reason, n) in &t.deliberate {
            report.push_str(&format!("- {reason}: {n}\n"));
        }
        report.push_str(&format!(
            "\n## {source}: why `match` examples were missed\n"
        ));
        for (kind, n) in &t.miss_kinds {
            report.push_str(&format!("- {kind}: {n}\n"));
        }
        report.push_str(&format!(
            "\n## {source}: missed `match` examples by peer rule\n"
        ));
        for (rule, (n, texts)) in &t.misses {
            report.push_str(&format!("- {rule}: {n}\n"));
            if list {
                for s in texts {
                    report.push_str(&format!("    {s}\n"));
                }
            }
        }
        report.push_str(&format!("\n## {source}: flagged `no_match` examples\n"));
        for (rule, (n, texts)) in &t.false_flags {
            report.push_str(&format!("- {rule}: {n}\n"));
            if list {
                for s in texts {
                    report.push_str(&format!("    {s}\n"));
                }
            }
        }
    }
    print!("{report}");
}

/// Why no finding came out of `text`: the first rule whose keyword and regex matched but whose
/// candidate a check rejected (placeholder, checksum, entropy, hash), or "no rule matched".
fn rejection(detector: &Detector, text: &[u8]) -> String {
    let lower = text.to_ascii_lowercase();
    for rule in detector.rules() {
        let kw = rule.keywords.iter().any(|k| {
            let k = k.to_ascii_lowercase();
            lower.windows(k.len()).any(|w| w == k.as_bytes())
        });
        if !kw {
            continue;
        }
        let Some(compiled) = rule.pattern.compiled() else {
            continue;
        };
        for caps in compiled.regex.captures_iter(text) {
            if let Some(m) = caps.get(compiled.secret_group)
                && let Err(why) = verify::check(rule, m.as_bytes())
            {
                // The entropy floor fires before the placeholder checks; a value those checks
                // also call a stand-in (`aaaa...`, `xxxx...`) is reported as a placeholder.
                let why = format!("{why:?}").to_lowercase();
                // A vendor rule's floor rejects values too regular for a generated key
                // (`abcdefabcdef...`); a generic rule's floor may reject a weak real password.
                let stand_in = verify::is_placeholder(m.as_bytes())
                    || rule.placeholders.iter().any(|p| p.is_match(m.as_bytes()));
                let why = if why == "entropy" && stand_in {
                    "placeholder".to_string()
                } else if why == "entropy" && !rule.generic {
                    "low entropy for a generated key".to_string()
                } else {
                    why
                };
                return format!("{why} ({})", rule.id);
            }
        }
    }
    // No rule fired. Say whether the example's value would be dropped as a stand-in anyway,
    // so a reader can tell a missing rule from a made-up value (`abcdef1234567890...`).
    // The candidate values: tokens of 8+ bytes with a digit (or the longest token if none).
    let tokens: Vec<&[u8]> = text
        .split(|b| !(b.is_ascii_alphanumeric() || b"_+/=.-".contains(b)))
        .filter(|t| t.len() >= 8)
        .collect();
    let with_digit: Vec<&[u8]> = tokens
        .iter()
        .copied()
        .filter(|t| t.iter().any(u8::is_ascii_digit))
        .collect();
    let candidates: Vec<&[u8]> = if with_digit.is_empty() {
        tokens
            .iter()
            .copied()
            .max_by_key(|t| t.len())
            .into_iter()
            .collect()
    } else {
        with_digit
    };
    if !candidates.is_empty() && candidates.iter().all(|t| verify::is_placeholder(t)) {
        return "no rule matched (and its value is a stand-in by sprawl's placeholder checks)"
            .to_string();
    }
    "no rule matched".to_string()
}
