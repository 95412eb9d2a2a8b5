//! sprawl never becomes the leak (#8): one tree planted with distinct fake secrets (a built-in
//! rule's GitHub token, `tst_` tokens raw, in base64, in a `.env`, in a zip member and only in
//! git history), scanned in every output format, to stdout and to files, with a baseline
//! written, with errors and warnings present, then merged. No planted value (nor its base64
//! form) may appear in any stdout, stderr or written file, or in anything left in `$TMPDIR`;
//! with `--show-secrets` every one appears (so the test can fail); the scanned tree, `.git`
//! included, is byte-identical afterwards.
//!
//! There is no flag forcing the progress display: it only draws on a terminal, and it shows
//! counters (files, bytes, blobs, hits), never a value.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use base64::Engine as _;

use crate::repo::Repo;
use crate::util::*;

/// From `rules/github.toml`'s examples (valid checksum; not a real token).
const GITHUB: &str = "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";
const PLAIN: &str = "tst_Lk8mQ2xPz7RvN4bWc9Ty";
const IN_BASE64: &str = "tst_Hq3ZsV8nKp2XwR6tLm9D";
const IN_DOTENV: &str = "tst_Fy6TnB1qWz8KcR3vXp5M";
const IN_ZIP: &str = "tst_Jw4PcX9mRt2LbV7nQz3K";
const IN_HISTORY: &str = "tst_Dn5VkQ8wZr3TmX6pLc2B";
/// In a file only root can read (a warning otherwise); never required in output.
const LOCKED: &str = "tst_Sb7RqW2nXk9PzM4tVc6L";

/// Every value that must never be printed or written without `--show-secrets`.
fn forbidden() -> Vec<String> {
    let mut v: Vec<String> = [
        GITHUB, PLAIN, IN_BASE64, IN_DOTENV, IN_ZIP, IN_HISTORY, LOCKED,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push(b64(IN_BASE64));
    v
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn zip_member(name: &str, data: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file(name, opts).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap().into_inner()
}

/// Every path under `root` (directories too) with the sha256 of each file's bytes.
fn hashes(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            let ft = e.file_type().unwrap();
            let value = if ft.is_dir() {
                stack.push(e.path());
                "dir".to_string()
            } else {
                match std::fs::read(e.path()) {
                    Ok(bytes) => sprawl::secret::fingerprint(&bytes),
                    Err(err) => format!("unreadable: {err}"),
                }
            };
            out.insert(rel, value);
        }
    }
    out
}

/// Every regular file under `dir`.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// The planted tree, committed (so history is scanned too), with the history-only secret
/// committed and then removed.
fn plant(env: &TestEnv) {
    let repo = Repo::init(env.path());
    repo.commit(
        &[("old/creds.txt", &format!("k = {IN_HISTORY}\n"))],
        &[],
        "1",
    );
    repo.commit(
        &[
            ("app/gh.txt", &format!("GITHUB_TOKEN={GITHUB}\n")),
            ("src/config.yml", &format!("service:\n  token: {PLAIN}\n")),
            ("notes.txt", &format!("blob = \"{}\"\n", b64(IN_BASE64))),
            (".env", &format!("API_TOKEN={IN_DOTENV}\n")),
        ],
        &["old/creds.txt"],
        "2",
    );
    env.write(
        "dist/bundle.zip",
        zip_member("prod.env", format!("TOKEN={IN_ZIP}\n").as_bytes()),
    );
    env.write("dist/broken.zip", b"PK\x03\x04 truncated archive");
    let locked = env.write("locked.txt", format!("{LOCKED}\n"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
}

#[test]
fn no_planted_secret_is_printed_written_or_left_behind() {
    let env = TestEnv::new();
    plant(&env);
    let out_dir = TestEnv::new();
    let tmp = TestEnv::new();
    let before = hashes(env.path());
    let before_meta = crate::safety::snapshot(env.path());
    let rules = test_rules();
    let o = |name: &str| out_dir.path().join(name).to_string_lossy().into_owned();
    // Built-in rules plus `test.token`; files and history; warnings on (no -q); one root that
    // does not exist, so an error line is printed too.
    let run = |extra: &[&str]| -> Output {
        env.cmd()
            .env("TMPDIR", tmp.path())
            .args(["scan", "--rules"])
            .arg(&rules)
            .args(extra)
            .args([".", "missing-root"])
            .output()
            .unwrap()
    };
    let mut outputs: Vec<(String, Output)> = Vec::new();
    for format in ["human", "json", "jsonl", "sarif", "html"] {
        outputs.push((format.into(), run(&["--format", format])));
        let file = o(&format!("report.{format}"));
        outputs.push((
            format!("{format} -o"),
            run(&["--format", format, "--output", &file]),
        ));
    }
    outputs.push(("colour".into(), run(&["--color", "always"])));
    let baseline = o("baseline.json");
    outputs.push((
        "write-baseline".into(),
        run(&["--format", "json", "--write-baseline", &baseline]),
    ));
    outputs.push((
        "with baseline".into(),
        run(&["--format", "json", "--baseline", &baseline]),
    ));
    for (code, (name, out)) in outputs.iter().enumerate() {
        assert_eq!(out.status.code(), Some(2), "{name} (run {code})");
        let err = stderr(out);
        assert!(
            err.contains("error: missing-root: no such file or directory"),
            "{name}: {err}"
        );
        assert!(err.contains("warning: dist/broken.zip: "), "{name}: {err}");
    }
    let merge = |extra: &[&str]| -> Output {
        env.cmd()
            .env("TMPDIR", tmp.path())
            .arg("merge")
            .args([o("report.json"), o("report.jsonl")])
            .args(extra)
            .output()
            .unwrap()
    };
    for format in ["human", "json", "jsonl"] {
        let out = merge(&["--format", format]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "merge {format}: {}",
            stderr(&out)
        );
        outputs.push((format!("merge {format}"), out));
    }
    let merged = o("merged.json");
    outputs.push((
        "merge -o".into(),
        merge(&["--format", "json", "--output", &merged]),
    ));

    // The report found every planted credential (so absence below means redaction).
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(o("report.json")).unwrap()).unwrap();
    let mut found: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    found.sort();
    for secret in [GITHUB, PLAIN, IN_BASE64, IN_DOTENV, IN_ZIP, IN_HISTORY] {
        assert!(
            found.contains(&fingerprint_of(secret).as_str()),
            "{secret} not found"
        );
    }

    // Nothing printed or written holds a planted value.
    let written = files(out_dir.path());
    assert_eq!(written.len(), 7, "{written:?}"); // 5 reports, baseline, merged
    let mut texts: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, out) in &outputs {
        texts.push((format!("{name}: stdout"), out.stdout.clone()));
        texts.push((format!("{name}: stderr"), out.stderr.clone()));
    }
    for path in &written {
        texts.push((path.display().to_string(), std::fs::read(path).unwrap()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
        }
    }
    for (name, bytes) in &texts {
        let text = String::from_utf8_lossy(bytes);
        for secret in forbidden() {
            assert!(!text.contains(&secret), "{name} holds {secret}");
        }
    }
    // Nothing left in the temporary directory (merge spills there while it runs).
    assert_eq!(files(tmp.path()), Vec::<PathBuf>::new());
    // Nothing written into the scanned tree, `.git` included.
    assert_eq!(before, hashes(env.path()));
    assert_eq!(before_meta, crate::safety::snapshot(env.path()));

    // With --show-secrets every planted value is printed: the checks above can fail.
    for format in ["human", "json", "jsonl", "sarif", "html"] {
        let out = run(&["--format", format, "--show-secrets"]);
        let text = stdout(&out);
        for secret in [GITHUB, PLAIN, IN_BASE64, IN_DOTENV, IN_ZIP, IN_HISTORY] {
            assert!(
                text.contains(secret),
                "{format} --show-secrets hides {secret}"
            );
        }
    }
    assert_eq!(files(tmp.path()), Vec::<PathBuf>::new());
    assert_eq!(before, hashes(env.path()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = env.path().join("locked.txt");
        std::fs::set_permissions(locked, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}
