//! Scores a sprawl binary against the labeled corpus in `fixtures/labeled/` (issue 15): real-world
//! config, code and prose with every credential line labeled `secret` and look-alike lines
//! (hosts, users, ports, key ids, paths, references, stand-ins) labeled `not`.
//!
//! usage: cargo run --release --example labeled_corpus -- [--bin PATH] [--list]
//!        [--dir DIR] [--require-recall PCT] [--require-precision PCT]
//!
//! The binary (default: the `sprawl` in this example's target directory, else
//! `target/release/sprawl`) is run as `scan --no-config --no-history --show-secrets -f json DIR`.
//! Scoring is per line:
//! - a `secret` line is found when some finding has a location at that (path, line) whose secret
//!   equals the label's value; for a label value of `PEM` (private keys: the `-----BEGIN` line, the
//!   `Private-Lines:` line of a `.ppk`) any location on that line counts;
//! - a location is true when it finds a `secret` line in that sense; every other location (on a
//!   `not` line, on an unlabeled line, or on a `secret` line with another value) is a false positive.
//!
//! Recall = found secret lines / secret lines; precision = true locations / all locations; both
//! per format family (the first path component) and overall. `--list` prints every miss and every
//! false positive with its rule and a redacted value. `--require-*` exit 1 when a figure is below.
//! Locations in the corpus's own `labels.tsv` and `README.md` are ignored.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::Value;

struct Label {
    path: String,
    line: u64,
    secret: bool,
    value: String,
    note: String,
}

struct Loc {
    path: String,
    line: u64,
    rule: String,
    value: String,
}

#[derive(Default)]
struct Score {
    secret_lines: usize,
    found: usize,
    not_lines: usize,
    locations: usize,
    true_locations: usize,
}

fn redact(v: &str) -> String {
    let n = v.chars().count();
    let keep = (n / 4).min(4);
    let head: String = v.chars().take(keep).collect();
    format!("{head}…({n} chars)")
}

fn pct(num: usize, den: usize) -> String {
    if den == 0 {
        "    -".to_string()
    } else {
        format!("{:5.1}", 100.0 * num as f64 / den as f64)
    }
}

fn family(path: &str) -> String {
    path.split('/').next().unwrap_or(path).to_string()
}

fn read_labels(dir: &Path) -> Result<Vec<Label>, String> {
    let file = dir.join("labels.tsv");
    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut out = Vec::new();
    for (i, row) in text.lines().enumerate().skip(1) {
        if row.is_empty() {
            continue;
        }
        let cols: Vec<&str> = row.split('\t').collect();
        if cols.len() < 4 {
            return Err(format!("labels.tsv:{}: expected 5 columns", i + 1));
        }
        let line = cols[1]
            .parse()
            .map_err(|_| format!("labels.tsv:{}: bad line number", i + 1))?;
        let secret = match cols[2] {
            "secret" => true,
            "not" => false,
            other => return Err(format!("labels.tsv:{}: unknown label {other}", i + 1)),
        };
        out.push(Label {
            path: cols[0].to_string(),
            line,
            secret,
            value: cols[3].to_string(),
            note: cols.get(4).unwrap_or(&"").to_string(),
        });
    }
    Ok(out)
}

fn run_scan(bin: &Path, cwd: &Path, dir: &str) -> Result<Vec<Loc>, String> {
    let out = Command::new(bin)
        .current_dir(cwd)
        .args([
            "scan",
            "--no-config",
            "--no-history",
            "--show-secrets",
            "-q",
            "-f",
            "json",
            dir,
        ])
        .output()
        .map_err(|e| format!("running {}: {e}", bin.display()))?;
    // 0 = no findings, 1 = findings; 2 = error.
    if out.status.code() == Some(2) || out.status.code().is_none() {
        return Err(format!(
            "{} failed: {}",
            bin.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let doc: Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("report: {e}"))?;
    let mut locs = Vec::new();
    for f in doc["findings"].as_array().into_iter().flatten() {
        let rule = f["rule"]["id"].as_str().unwrap_or("?").to_string();
        let value = f["secret"].as_str().unwrap_or("").to_string();
        for l in f["locations"].as_array().into_iter().flatten() {
            let path = l["path"].as_str().unwrap_or("");
            // The corpus's own metadata (the labels repeat every value) is not part of it.
            if l["source"].as_str() != Some("file") || path == "labels.tsv" || path == "README.md" {
                continue;
            }
            locs.push(Loc {
                path: path.to_string(),
                line: l["line"].as_u64().unwrap_or(0),
                rule: rule.clone(),
                value: value.clone(),
            });
        }
    }
    Ok(locs)
}

/// The `sprawl` built beside this example: `<target>/release/examples/labeled_corpus` ->
/// `<target>/release/sprawl`, so a `CARGO_TARGET_DIR` is honoured.
fn sibling_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let bin = exe.parent()?.parent()?.join("sprawl");
    bin.is_file().then_some(bin)
}

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut bin = sibling_binary().unwrap_or_else(|| root.join("target/release/sprawl"));
    let mut dir = "fixtures/labeled".to_string();
    let mut list = false;
    let mut need_recall: Option<f64> = None;
    let mut need_precision: Option<f64> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--bin" => bin = PathBuf::from(args.next().expect("--bin PATH")),
            "--dir" => dir = args.next().expect("--dir DIR"),
            "--list" => list = true,
            "--require-recall" => {
                need_recall = Some(
                    args.next()
                        .and_then(|v| v.parse().ok())
                        .expect("--require-recall PCT"),
                )
            }
            "--require-precision" => {
                need_precision = Some(
                    args.next()
                        .and_then(|v| v.parse().ok())
                        .expect("--require-precision PCT"),
                )
            }
            other => {
                eprintln!("unknown argument {other}");
                return ExitCode::from(2);
            }
        }
    }
    match evaluate(&bin, &root, &dir, list, need_recall, need_precision) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Scan `root/dir` with `bin`, print the per-family table (and with `list` every miss and false
/// positive), and say whether recall and precision reach `need_recall` / `need_precision`
/// (percent; a shortfall is printed to stderr). Shared with the test in `tests/cli/labeled.rs`.
pub fn evaluate(
    bin: &Path,
    root: &Path,
    dir: &str,
    list: bool,
    need_recall: Option<f64>,
    need_precision: Option<f64>,
) -> Result<bool, String> {
    let labels = read_labels(&root.join(dir))?;
    let locs = run_scan(bin, root, dir)?;

    println!("binary: {}", bin.display());
    let by_line: HashMap<(&str, u64), &Label> = labels
        .iter()
        .map(|l| ((l.path.as_str(), l.line), l))
        .collect();
    let matches =
        |lab: &Label, loc: &Loc| lab.secret && (lab.value == "PEM" || lab.value == loc.value);

    let mut fams: BTreeMap<String, Score> = BTreeMap::new();
    for l in &labels {
        let s = fams.entry(family(&l.path)).or_default();
        if l.secret {
            s.secret_lines += 1;
        } else {
            s.not_lines += 1;
        }
    }
    let mut false_pos: Vec<(&Loc, &str)> = Vec::new();
    let mut found_lines: HashMap<(&str, u64), bool> = HashMap::new();
    for loc in &locs {
        let s = fams.entry(family(&loc.path)).or_default();
        s.locations += 1;
        match by_line.get(&(loc.path.as_str(), loc.line)) {
            Some(lab) if matches(lab, loc) => {
                s.true_locations += 1;
                found_lines.insert((lab.path.as_str(), lab.line), true);
            }
            Some(lab) if lab.secret => false_pos.push((loc, "other value on a secret line")),
            Some(_) => false_pos.push((loc, "not")),
            None => false_pos.push((loc, "unlabeled line")),
        }
    }
    let mut misses = Vec::new();
    for l in labels.iter().filter(|l| l.secret) {
        if found_lines.contains_key(&(l.path.as_str(), l.line)) {
            fams.get_mut(&family(&l.path)).unwrap().found += 1;
        } else {
            misses.push(l);
        }
    }

    println!(
        "{:<18} {:>7} {:>6} {:>4} {:>6} {:>6} {:>9}",
        "family", "secret", "found", "not", "locs", "recall", "precision"
    );
    let mut total = Score::default();
    for (name, s) in &fams {
        println!(
            "{:<18} {:>7} {:>6} {:>4} {:>6} {:>6} {:>9}",
            name,
            s.secret_lines,
            s.found,
            s.not_lines,
            s.locations,
            pct(s.found, s.secret_lines),
            pct(s.true_locations, s.locations)
        );
        total.secret_lines += s.secret_lines;
        total.found += s.found;
        total.not_lines += s.not_lines;
        total.locations += s.locations;
        total.true_locations += s.true_locations;
    }
    println!(
        "{:<18} {:>7} {:>6} {:>4} {:>6} {:>6} {:>9}",
        "TOTAL",
        total.secret_lines,
        total.found,
        total.not_lines,
        total.locations,
        pct(total.found, total.secret_lines),
        pct(total.true_locations, total.locations)
    );
    let recall = if total.secret_lines == 0 {
        100.0
    } else {
        100.0 * total.found as f64 / total.secret_lines as f64
    };
    let precision = if total.locations == 0 {
        100.0
    } else {
        100.0 * total.true_locations as f64 / total.locations as f64
    };
    println!(
        "recall {recall:.1}% ({}/{}), precision {precision:.1}% ({}/{}), {} families, {} labeled lines",
        total.found,
        total.secret_lines,
        total.true_locations,
        total.locations,
        fams.len(),
        labels.len()
    );

    if list {
        println!("\nmisses ({}):", misses.len());
        for l in &misses {
            let v = if l.value == "PEM" {
                "PEM".to_string()
            } else {
                redact(&l.value)
            };
            let note = if l.note.is_empty() {
                String::new()
            } else {
                format!("  [{}]", l.note)
            };
            println!("  {}:{}  {}{}", l.path, l.line, v, note);
        }
        println!("\nfalse positives ({}):", false_pos.len());
        for (loc, why) in &false_pos {
            println!(
                "  {}:{}  {}  {}  ({})",
                loc.path,
                loc.line,
                loc.rule,
                redact(&loc.value),
                why
            );
        }
    }

    let mut ok = true;
    if let Some(r) = need_recall
        && recall < r
    {
        eprintln!("recall {recall:.1}% is below {r}%");
        ok = false;
    }
    if let Some(p) = need_precision
        && precision < p
    {
        eprintln!("precision {precision:.1}% is below {p}%");
        ok = false;
    }
    Ok(ok)
}
