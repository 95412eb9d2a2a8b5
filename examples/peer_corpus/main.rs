//! Runs the peers' rule examples (`../shared/corpus/peer-examples/*.jsonl`) through sprawl's
//! full scan path and prints, per source, the share of `match` examples detected and the share of
//! `no_match` examples flagged, then the misses grouped by the peer's rule id.
//!
//! usage: cargo run --release --example peer_corpus -- [DIR] [--list] [--rules PATH]...
//! `--list` prints each missed example; a `*` marks a miss counted as deliberate.
//!
//! A `match` example counts as detected if sprawl reports any finding in it; a `no_match`
//! example counts as flagged if sprawl reports any finding in it. The peers' expectations are
//! about their own rules, so a flag is not always a false positive (see the corpus LICENSES.md):
//! the flags by a sprawl rule for the peer rule's own provider are counted apart.

mod deliberate;
mod provider;
mod why;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use sprawl::detect::{Detector, Scratch};
use sprawl::scan::{Counters, Engine};
use sprawl::source::{Location, SourceKind};

use deliberate::Deliberate;

#[derive(Default)]
struct Tally {
    matches: usize,
    detected: usize,
    negatives: usize,
    flagged: usize,
    /// Flags by a sprawl rule for the same provider as the peer rule (see `provider`).
    flagged_same: usize,
    cross: usize,
    misses: BTreeMap<String, (usize, Vec<String>)>,
    miss_kinds: BTreeMap<String, usize>,
    deliberate: BTreeMap<String, usize>,
    /// Misses with no rule at all whose value is a stand-in (`abcdef1234...`): deliberate (a
    /// rule for the provider would drop the value anyway); the third ratio counts them as misses.
    stand_ins: usize,
    false_flags: BTreeMap<String, (usize, Vec<String>)>,
}

/// What the whole run shares: the engine, the deliberate tables, every `match` text.
struct Run<'a> {
    detector: &'a Detector,
    engine: Engine<'a>,
    deliberate: Deliberate,
    /// A `no_match` text that some peer lists as a `match` of another rule holds a credential;
    /// a finding there is not a false positive, so it is counted apart.
    match_texts: HashSet<String>,
}

fn fail(msg: impl std::fmt::Display) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
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
    let mut rules = sprawl::rules::builtin().unwrap_or_else(|e| fail(e));
    // `--rules PATH` adds rule files (or a directory of them) to the built-in pack, so a rule
    // author can measure new rules without rebuilding.
    for path in &extra {
        rules.extend(sprawl::rules::load_path(path).unwrap_or_else(|e| fail(e)));
    }
    let rule_count = rules.len();
    let detector = Detector::new(rules);
    let stats = Counters::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut match_texts = HashSet::new();
    for file in &files {
        for rec in records(file) {
            if rec["expect"] == "match" {
                match_texts.insert(rec["text"].as_str().unwrap_or("").to_string());
            }
        }
    }
    let run = Run {
        detector: &detector,
        engine: Engine::new(&detector, &stats),
        deliberate: Deliberate::load().unwrap_or_else(|e| fail(e)),
        match_texts,
    };
    println!(
        "sprawl {} with {rule_count} built-in rules\n",
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "| source | match detected | match detected, deliberate misses excluded | same, stand-in values no rule matched counted as misses | no_match flagged | no_match flagged by a rule for the peer rule's provider | no_match flagged, text or flagged value listed by a peer as a match elsewhere (not counted) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let mut report = String::new();
    for file in files {
        let source = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let t = run.score(&file);
        print_row(&source, &t);
        report.push_str(&details(&source, &t, list));
    }
    print!("{report}");
}

/// The JSON records of one `.jsonl` file (unreadable lines skipped).
fn records(file: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

impl Run<'_> {
    fn score(&self, file: &Path) -> Tally {
        let mut t = Tally::default();
        let mut scratch = Scratch::default();
        for rec in records(file) {
            let body = rec["text"].as_str().unwrap_or("");
            let path = rec["path"].as_str().unwrap_or("example.txt");
            let peer_rule = rec["rule_id"].as_str().unwrap_or("?").to_string();
            let origin = Location::input("corpus", path, SourceKind::File);
            let hits = self
                .engine
                .scan_bytes(body.as_bytes(), &origin, &mut scratch);
            let short: String = body
                .chars()
                .take(100)
                .collect::<String>()
                .replace('\n', "\\n");
            match rec["expect"].as_str() {
                Some("match") if hits.is_empty() => self.miss(&mut t, peer_rule, body, short),
                Some("match") => {
                    t.matches += 1;
                    t.detected += 1;
                }
                Some("no_match") => {
                    // Also apart: a flagged value that a peer's own `match` example holds, e.g.
                    // `password = 'super$ecret'` flagged where the peer lists
                    // `password = "super$ecret"` as a match (its rule tests quoting, not secrecy).
                    let value_listed = hits.iter().any(|h| {
                        let v = String::from_utf8_lossy(h.secret.reveal());
                        v.len() >= 8 && self.match_texts.iter().any(|t| t.contains(v.as_ref()))
                    });
                    if !hits.is_empty() && (self.match_texts.contains(body) || value_listed) {
                        t.cross += 1;
                        continue;
                    }
                    t.negatives += 1;
                    if hits.is_empty() {
                        continue;
                    }
                    t.flagged += 1;
                    let ids: Vec<&str> = hits
                        .iter()
                        .map(|h| self.detector.rules()[h.rule].id.as_str())
                        .collect();
                    let peer = provider::of_peer(&peer_rule);
                    let same = ids
                        .iter()
                        .find(|id| provider::same(peer, provider::of_ours(id)));
                    t.flagged_same += usize::from(same.is_some());
                    let label = match same {
                        Some(id) => format!("{peer_rule} (ours: {id}) [same provider]"),
                        None => format!("{peer_rule} (ours: {})", ids[0]),
                    };
                    let e = t.false_flags.entry(label).or_default();
                    e.0 += 1;
                    e.1.push(short);
                }
                _ => {}
            }
        }
        t
    }

    /// Record a `match` example that gave no finding, with why and whether it is deliberate.
    fn miss(&self, t: &mut Tally, peer_rule: String, body: &str, short: String) {
        t.matches += 1;
        let why = why::rejection(self.detector, body.as_bytes());
        *t.miss_kinds.entry(why.clone()).or_default() += 1;
        let reason = match self.deliberate.reason(&peer_rule, body) {
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
            // No rule matched, and every candidate value is a stand-in (`abcdef1234...`,
            // `a1b2c3...`, the RFC 4122 sample UUID): the example holds no credential, and a rule
            // for the provider would drop the value as a placeholder too. The third column
            // counts these as misses, for a reader who wants the stricter figure.
            None if why.starts_with("no rule matched (") => Some(
                "the value is a stand-in by sprawl's placeholder checks (no rule matched)".into(),
            ),
            None => None,
        };
        // `--list` marks a deliberate miss with `*`: only unmarked misses count.
        let mark = if reason.is_some() { "* " } else { "" };
        let listed = self.deliberate.reason(&peer_rule, body).is_some();
        if !listed && why.starts_with("no rule matched (") {
            t.stand_ins += 1;
        }
        if let Some(reason) = reason {
            *t.deliberate.entry(reason).or_default() += 1;
        }
        let e = t.misses.entry(peer_rule).or_default();
        e.0 += 1;
        e.1.push(format!("{mark}[{why}] {short}"));
    }
}

fn print_row(source: &str, t: &Tally) {
    let ratio = |a: usize, b: usize| {
        let pct = if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        };
        format!("{a}/{b} ({pct:.1}%)")
    };
    let deliberate: usize = t.deliberate.values().sum();
    let fair = t.matches - deliberate;
    println!(
        "| {source} | {} | {} | {} | {} | {} | {} |",
        ratio(t.detected, t.matches),
        ratio(t.detected, fair),
        ratio(t.detected, fair + t.stand_ins),
        ratio(t.flagged, t.negatives),
        ratio(t.flagged_same, t.negatives),
        t.cross
    );
}

/// The per-source sections: deliberate misses by reason, misses by kind and by peer rule,
/// flagged `no_match` examples (with the texts when `list`).
fn details(source: &str, t: &Tally, list: bool) -> String {
    let mut out =
        format!("\n## {source}: deliberate misses (not credentials by sprawl's standards)\n");
    for (reason, n) in &t.deliberate {
        out.push_str(&format!("- {reason}: {n}\n"));
    }
    out.push_str(&format!(
        "\n## {source}: why `match` examples were missed\n"
    ));
    for (kind, n) in &t.miss_kinds {
        out.push_str(&format!("- {kind}: {n}\n"));
    }
    let sections = [
        ("missed `match` examples by peer rule", &t.misses),
        ("flagged `no_match` examples", &t.false_flags),
    ];
    for (title, map) in sections {
        out.push_str(&format!("\n## {source}: {title}\n"));
        for (rule, (n, texts)) in map {
            out.push_str(&format!("- {rule}: {n}\n"));
            if list {
                for s in texts {
                    out.push_str(&format!("    {s}\n"));
                }
            }
        }
    }
    out
}
