//! The architecture, as a test: which top-level module may import which. It reads every
//! `src/**/*.rs` file and fails when a module reaches for one its row does not list, so the
//! pipeline keeps reading one way:
//!
//! ```text
//! cli -> scan -> {walk, source, detect} -> (hit) -> correlate -> report
//! ```
//!
//! Sources enumerate and read; the scan drives them. Rules are data and know no engine. The
//! correlator groups what detection decided and never detects again. Reporters render and never
//! reach back into the scan. A new edge is a design decision: add it to [`ALLOWED`] with the
//! reason, in review.
//!
//! Imports are `crate::x` paths (also inside `crate::{...}` groups), `super::` chains that
//! climb out of a top-level module, and `sprawl::x` in `main.rs`. Comment lines are skipped.

#![cfg(test)]

use std::collections::BTreeSet;
use std::path::Path;

/// Each top-level module and the top-level modules it may import.
const ALLOWED: &[(&str, &[&str])] = &[
    // The binary: parse and run the CLI, print a fatal error.
    ("main", &["cli", "report"]),
    ("lib", &[]),
    // Wiring: the only module that sees everything.
    (
        "cli",
        &[
            "baseline",
            "cache",
            "codec",
            "config",
            "correlate",
            "detect",
            "error",
            "hit",
            "progress",
            "report",
            "rules",
            "scan",
            "secret",
            "source",
            "walk",
        ],
    ),
    // The scan driver: walks, reads sources, runs the detector, builds hits; asks the blob
    // cache what it may skip.
    (
        "scan",
        &[
            "cache", "codec", "detect", "error", "hit", "rules", "secret", "source", "walk",
        ],
    ),
    // The persistent blob cache: keyed verdicts on disk. Below the scan, knows no rules, git
    // or hits (the scan hands it keys and kinds; the digest of the rules is the scan's).
    ("cache", &["error"]),
    ("walk", &["error"]),
    // Sources enumerate and read (files, git objects, staged entries, decoders).
    ("source", &["codec", "error", "secret", "walk"]),
    // The detector: rules over bytes. No provenance, no scan loop, no findings.
    ("detect", &["codec", "error", "rules", "secret"]),
    // Rules are data.
    ("rules", &["error"]),
    // The unit handed from the scan to the correlator.
    ("hit", &["rules", "secret", "source"]),
    // Hits to findings, blast radius, plan.
    ("correlate", &["hit", "rules", "secret", "source"]),
    // Renderers and the report document.
    (
        "report",
        &["correlate", "error", "rules", "secret", "source"],
    ),
    // Policy above the report: baselines.
    (
        "baseline",
        &["correlate", "error", "report", "rules", "secret", "source"],
    ),
    // The `.sprawl.toml` file and its compiled allowlists.
    ("config", &["error", "rules", "secret", "source"]),
    ("progress", &["report", "scan"]),
    // This test (its own text holds example imports and is not read).
    ("architecture", &[]),
    // Leaves.
    ("codec", &[]),
    ("error", &[]),
    ("secret", &[]),
];

/// The module path of a source file: `src/scan/history/mod.rs` -> `[scan, history]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
        if last == "mod" {
            parts.pop();
        }
    }
    parts
}

/// The top-level modules `text` (the file at module path `path`) imports.
fn imports(path: &[String], text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    for prefix in ["crate::", "sprawl::"] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                out.extend(group_heads(group));
            } else {
                out.extend(ident(rest));
            }
        }
    }
    // `super::super::x` from `a::b::c` is `a::x`; one that leaves `a` is an import of `x`.
    for (at, _) in code.match_indices("super::") {
        if code[..at].ends_with("super::") {
            continue;
        }
        let mut rest = &code[at..];
        let mut up = 0;
        while let Some(r) = rest.strip_prefix("super::") {
            up += 1;
            rest = r;
        }
        // A file's own module is `path`; `super` is its parent.
        if up >= path.len() {
            out.extend(ident(rest));
        }
    }
    out
}

fn ident(s: &str) -> Option<String> {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (end > 0).then(|| s[..end].to_string())
}

/// The first identifier of each item in a `{...}` use group (nested groups skipped).
fn group_heads(s: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                heads.extend(ident(s[start..i].trim()));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                heads.extend(ident(s[start..i].trim()));
                start = i + 1;
            }
            _ => {}
        }
    }
    heads
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn modules_import_only_what_the_architecture_allows() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut broken = Vec::new();
    let mut seen = BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).expect("under src");
        let path = module_path(rel);
        let top = path.first().cloned().unwrap_or_default();
        seen.insert(top.clone());
        let Some((_, allowed)) = ALLOWED.iter().find(|(m, _)| *m == top) else {
            broken.push(format!(
                "{}: module {top} has no row in ALLOWED",
                rel.display()
            ));
            continue;
        };
        if top == "architecture" {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("read file");
        for import in imports(&path, &text) {
            if import != top && !allowed.contains(&import.as_str()) {
                broken.push(format!("{}: {top} imports {import}", rel.display()));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "imports against the architecture:\n{}",
        broken.join("\n")
    );
    // Every row names a module that exists, so the table cannot go stale.
    for (m, _) in ALLOWED {
        assert!(seen.contains(*m), "ALLOWED names {m}, which is not in src/");
    }
}

#[test]
fn the_issue_14_rules_are_in_the_table() {
    let may = |a: &str, b: &str| {
        ALLOWED
            .iter()
            .find(|(m, _)| *m == a)
            .is_some_and(|(_, l)| l.contains(&b))
    };
    for (m, _) in ALLOWED {
        assert!(*m == "main" || !may(m, "cli"), "{m} may import cli");
    }
    let forbidden: &[(&str, &[&str])] = &[
        ("source", &["scan", "detect", "correlate", "report"]),
        (
            "rules",
            &["detect", "scan", "source", "correlate", "report"],
        ),
        ("detect", &["scan", "correlate", "report"]),
        ("correlate", &["detect", "scan", "report"]),
        ("report", &["scan", "detect"]),
    ];
    for (m, list) in forbidden {
        for b in *list {
            assert!(!may(m, b), "{m} may import {b}");
        }
    }
}

#[test]
fn the_import_reader_sees_every_form() {
    let path = vec![
        "scan".to_string(),
        "unfold".to_string(),
        "pending".to_string(),
    ];
    let text = "use crate::detect::{a, b};\nuse crate::{hit::Hit, rules::{Rule, X}};\n\
                // use crate::report;\nfn f() { crate::secret::x(); }\n\
                use super::super::ranges;\nuse super::super::super::cli;\nsprawl::walk::x();";
    let got: Vec<String> = imports(&path, text).into_iter().collect();
    assert_eq!(got, ["cli", "detect", "hit", "rules", "secret", "walk"]);
}

/// House style (issue 14): no source file over 400 lines outside its tests (the
/// `#[cfg(test)]` module that ends a file does not count).
#[test]
fn no_source_file_is_over_400_lines_outside_its_tests() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).expect("read a source file");
            // A file that is all tests (`#![cfg(test)]`, like this one) does not count.
            let code = if text.lines().any(|l| l.starts_with("#![cfg(test)]")) {
                0
            } else {
                text.lines()
                    .take_while(|l| !l.starts_with("#[cfg(test)]"))
                    .count()
            };
            (code > 400).then(|| format!("{}: {code} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "over 400 lines outside tests: {long:?}");
}
