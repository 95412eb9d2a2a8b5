//! History read through sprawl's own pack reader (issue #18): a pack holding enough objects to
//! scan is decoded entry by entry along its delta trees instead of object by object through
//! libgit2. The same objects must give the same report however they are stored: as written by
//! `git fast-import`, repacked with offset deltas and deep chains, repacked with deltas that
//! name their base by id, and loose (read through libgit2 only); and a cached rescan of the
//! packed repository must report the same again.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

use crate::repo::{AUTHOR, EMAIL, Repo};
use crate::util::*;

const A: &str = "tst_Qm3vX8rTzL1pWc6NdYh2";
const B: &str = "tst_Jk7sB2nWq9ZfR4tHxMv5";
const C: &str = "tst_Pw5cL8yDk3VrN6bTzQa1";
const COMMITS: usize = 400;

/// A config file of 60 lines that changes two lines per commit (so packs store deltas), with
/// A from commit 100 to 199, B from commit 150 on, and C on a side branch.
fn fast_import(repo: &Repo) {
    let mut stream = String::new();
    let push_file = |stream: &mut String, path: &str, body: &str| {
        stream.push_str(&format!(
            "M 100644 inline {path}\ndata {}\n{body}\n",
            body.len()
        ));
    };
    for n in 1..=COMMITS {
        let mut body: String = (0..60)
            .map(|k| format!("setting_{k} = value {}\n", (k * 7 + n * (k % 3)) % 97))
            .collect();
        body.push_str(&format!("revision = {n}\n"));
        if (100..200).contains(&n) {
            body.push_str(&format!("api_key = \"{A}\"\n"));
        }
        stream.push_str(&format!(
            "commit refs/heads/main\nmark :{n}\ncommitter {AUTHOR} <{EMAIL}> {} +0000\ndata 2\nc\n",
            1_704_067_200 + n * 60
        ));
        push_file(&mut stream, "conf/app.ini", &body);
        if n >= 150 {
            push_file(
                &mut stream,
                "deploy/env",
                &format!("TOKEN={B}\nround={n}\n"),
            );
        }
    }
    stream.push_str(&format!(
        "commit refs/heads/side\ncommitter {AUTHOR} <{EMAIL}> 1704200000 +0000\ndata 2\ns\nfrom :300\n"
    ));
    push_file(&mut stream, "side.txt", &format!("secret {C}\n"));
    repo.fast_import(&stream);
}

/// `sprawl scan -v --history-only` with the test rules: the report without its wall time, and
/// stderr.
fn scan(dir: &Path, cache: Option<&Path>) -> (Value, String) {
    let out = run(dir, cache);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let mut doc = json(&out);
    doc["summary"].as_object_mut().unwrap().remove("elapsed_ms");
    (doc, stderr(&out))
}

/// `sprawl scan -v --history-only --format json` with the test rules in `dir`.
fn run(dir: &Path, cache: Option<&Path>) -> Output {
    let env = TestEnv::new();
    let mut cmd = env.cmd();
    cmd.current_dir(dir)
        .args(["scan", "-v", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--history-only", "--format", "json"]);
    match cache {
        Some(c) => cmd.arg("--cache-dir").arg(c),
        None => cmd.arg("--no-cache"),
    };
    cmd.arg(".").output().unwrap()
}

/// How many blobs the `-v` note says the pack reader decoded (no note: none).
fn decoded(err: &str) -> u64 {
    err.lines()
        .find(|l| l.contains("decoded by sprawl's pack reader"))
        .map_or(0, |line| {
            line.split_whitespace()
                .find_map(|w| w.parse().ok())
                .unwrap()
        })
}

/// The files in directory `dir`.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

#[test]
fn packed_and_loose_history_report_the_same() {
    let env = TestEnv::new();
    let repo = Repo::init(&env.path().join("repo"));
    fast_import(&repo);
    let (imported, err) = scan(&repo.dir, None);
    // Every blob came out of the pack reader, none through libgit2.
    assert_eq!(
        decoded(&err),
        imported["summary"]["blobs_scanned"].as_u64().unwrap()
    );
    assert!(decoded(&err) >= 500, "{err}");
    // The report is not empty: A only in history, B live, C on the side branch.
    let mut found = fingerprints(&imported);
    found.sort();
    let mut want = vec![fingerprint_of(A), fingerprint_of(B), fingerprint_of(C)];
    want.sort();
    assert_eq!(found, want);

    repo.git(&[
        "-c",
        "repack.useDeltaBaseOffset=false",
        "repack",
        "-a",
        "-d",
        "-f",
        "-q",
    ]);
    let (by_id, err) = scan(&repo.dir, None);
    assert!(decoded(&err) >= 500, "{err}");
    assert_eq!(by_id, imported, "deltas naming their base by id");

    repo.git(&[
        "repack",
        "-a",
        "-d",
        "-f",
        "-q",
        "--depth=250",
        "--window=50",
    ]);
    let (deep, err) = scan(&repo.dir, None);
    assert!(decoded(&err) >= 500, "{err}");
    assert_eq!(deep, imported, "offset deltas, deep chains");

    let cache = env.path().join("cache");
    let (first, err) = scan(&repo.dir, Some(&cache));
    assert!(decoded(&err) >= 500, "{err}");
    let (again, err) = scan(&repo.dir, Some(&cache));
    // Clean blobs are known to the cache; only the blobs with hits are decoded again.
    let known: u64 = err
        .lines()
        .find_map(|l| l.strip_prefix("sprawl: cache: "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no cache note in:\n{err}"));
    let blobs = again["summary"]["blobs_scanned"].as_u64().unwrap();
    assert!(known >= 250 && decoded(&err) >= 300, "{err}");
    assert_eq!(decoded(&err) + known, blobs, "{err}");
    assert_eq!((&first, &again), (&imported, &imported), "cached rescans");

    // The pack's parsed entry headers (one `forest-*.bin`) and the regex runs that found the
    // hits (one `windows-*.bin`) were kept, and the rescan used them. Damaged, each is refused
    // with a warning, rebuilt by a full parse or detection, and the report does not change.
    for prefix in ["forest-", "windows-"] {
        let kept: Vec<_> = files(&cache)
            .into_iter()
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .collect();
        assert_eq!(kept.len(), 1, "{prefix}: {:?}", files(&cache));
        let mut bytes = std::fs::read(&kept[0]).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&kept[0], bytes).unwrap();
        let (damaged, err) = scan(&repo.dir, Some(&cache));
        assert!(
            err.contains(&format!("{}: damaged", kept[0].display())),
            "{err}"
        );
        assert!(decoded(&err) >= 300, "{err}");
        assert_eq!(damaged, imported, "after a damaged {prefix} file");
        let (mended, err) = scan(&repo.dir, Some(&cache));
        assert!(
            !err.contains("damaged"),
            "rewritten by the last scan: {err}"
        );
        assert_eq!(mended, imported);
    }

    // The same objects loose: read one by one through libgit2.
    let store = env.path().join("packs");
    std::fs::create_dir_all(&store).unwrap();
    for p in files(&repo.dir.join(".git/objects/pack")) {
        std::fs::rename(&p, store.join(p.file_name().unwrap())).unwrap();
    }
    let pack = files(&store)
        .into_iter()
        .find(|p| p.extension().is_some_and(|x| x == "pack"))
        .unwrap();
    let status = Command::new("git")
        .current_dir(&repo.dir)
        .args(["unpack-objects", "-q"])
        .stdin(std::fs::File::open(pack).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    let (loose, err) = scan(&repo.dir, None);
    assert_eq!(decoded(&err), 0, "{err}");
    assert_eq!(loose, imported, "loose objects through libgit2");
}

#[test]
fn a_damaged_entry_is_named_and_the_rest_of_the_pack_is_scanned() {
    let env = TestEnv::new();
    let repo = Repo::init(&env.path().join("repo"));
    fast_import(&repo);
    repo.git(&["repack", "-a", "-d", "-q"]);
    let blob = repo.blob_id(&format!("secret {C}\n"));
    let packs = repo.dir.join(".git/objects/pack");
    let with = |ext: &str| {
        files(&packs)
            .into_iter()
            .find(|p| p.extension().is_some_and(|x| x == ext))
            .unwrap()
    };
    let (pack, idx) = (with("pack"), with("idx"));
    let listing = repo.git(&["verify-pack", "-v", idx.to_str().unwrap()]);
    let line = listing.lines().find(|l| l.starts_with(&blob)).unwrap();
    // id type size size-in-pack offset [depth base]
    let field = |i: usize| {
        line.split_whitespace()
            .nth(i)
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let (stored, offset) = (field(3), field(4));
    let mut bytes = std::fs::read(&pack).unwrap();
    bytes[(offset + stored / 2) as usize] ^= 0xff; // inside its zlib stream
    let mut perms = std::fs::metadata(&pack).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&pack, perms).unwrap();
    std::fs::write(&pack, bytes).unwrap();

    let out = run(&repo.dir, None);
    assert!(matches!(out.status.code(), Some(1 | 2)), "{}", stderr(&out));
    let doc = json(&out);
    let mut found = fingerprints(&doc);
    found.sort();
    let mut want = vec![fingerprint_of(A), fingerprint_of(B)];
    want.sort();
    assert_eq!(found, want, "everything but the damaged blob is scanned");
    let named = doc["issues"].as_array().unwrap().iter().any(|i| {
        i["reason"]
            .as_str()
            .unwrap()
            .starts_with(&format!("object {blob}:"))
    });
    assert!(named, "{}", doc["issues"]);
    assert!(decoded(&stderr(&out)) >= 500);
}

/// Fingerprints of the findings.
fn fingerprints(doc: &Value) -> Vec<String> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect()
}
