//! The persistent blob cache (issue #18): a cached scan reports exactly what an uncached one
//! does (findings, locations, provenance, counters), for tree, history-only, ranged and staged
//! scans and after a new commit; a damaged, truncated or foreign cache file is ignored with one
//! warning and rebuilt; an unusable directory means a scan without the cache; concurrent scans
//! leave a valid file; a rule change is never answered from the old verdicts; `sprawl cache
//! info|clear`. Every test uses its own cache directory (never the user's).

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::repo::Repo;
use crate::util::*;

const A: &str = "tst_mxgJTeKdNnFRIBXuDL7D";
const B: &str = "tst_xtpYlSXpfKtHF4vUCsMe";
const C: &str = "tst_hGAkWvj7FAc9QeWJKY40";
const D: &str = "tst_u8jzPde0IgxLd6GncfBA";

/// A repository with a secret only in history (A), one in HEAD (B, in a `.env`), clean text
/// and a binary file, plus an untracked file with D; the cache directory beside it.
fn fixture() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let repo = Repo::init(&env.path().join("repo"));
    let clean: String = (0..200).map(|i| format!("line {i} of nothing\n")).collect();
    repo.commit(
        &[
            ("app.py", &format!("one\nkey = \"{A}\"\n")),
            ("conf/prod.env", &format!("TOKEN={B}\n")),
            ("docs/readme.md", &clean),
        ],
        &[],
        "1",
    );
    std::fs::write(repo.dir.join("logo.bin"), [0u8, 1, 2, 0, 255, 0, 7]).unwrap();
    repo.commit(&[("app.py", "one\nkey = env()\n")], &[], "2");
    repo.write("notes.txt", &format!("todo {D}\n"));
    let cache = env.path().join("cache");
    (env, cache)
}

/// `sprawl scan --format json` with the test rules, through `cache` (or `--no-cache`), in the
/// repository.
fn scan(env: &TestEnv, cache: Option<&Path>, args: &[&str]) -> Output {
    let mut cmd = env.cmd();
    cmd.current_dir(env.path().join("repo"))
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--format", "json"]);
    match cache {
        Some(dir) => cmd.arg("--cache-dir").arg(dir),
        None => cmd.arg("--no-cache"),
    };
    cmd.args(args).output().unwrap()
}

/// The report without its wall time.
fn doc(out: &Output) -> Value {
    let mut d = json(out);
    d["summary"].as_object_mut().unwrap().remove("elapsed_ms");
    d
}

/// `source path:line` of every location, sorted.
fn places(d: &Value) -> Vec<String> {
    let mut out: Vec<String> = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["locations"].as_array().unwrap())
        .map(|l| {
            format!(
                "{} {}:{}",
                l["source"].as_str().unwrap(),
                l["path"].as_str().unwrap(),
                l["line"]
            )
        })
        .collect();
    out.sort();
    out
}

/// Lines of stderr that mention the cache.
fn cache_warnings(out: &Output) -> Vec<String> {
    stderr(out)
        .lines()
        .filter(|l| l.contains("cache"))
        .map(str::to_string)
        .collect()
}

/// How many files and blobs `--verbose` says were answered from the cache.
fn skipped(out: &Output) -> u64 {
    let err = stderr(out);
    let line = err
        .lines()
        .find(|l| l.contains("known clean"))
        .unwrap_or_else(|| panic!("no cache note in: {err}"));
    let n = line.split_whitespace().find_map(|w| w.parse().ok());
    n.unwrap_or_else(|| panic!("no count in: {line}"))
}

/// The one cache file whose name starts with `prefix` (`objects-`: git objects, `files-`: work
/// tree and staged files).
fn cache_file(dir: &Path, prefix: &str) -> PathBuf {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with(prefix))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.pop().unwrap()
}

#[test]
fn cached_scans_report_exactly_what_uncached_scans_do() {
    let (env, cache) = fixture();
    for args in [
        &[][..],
        &["--history-only"],
        &["--no-history"],
        &["--branch", "HEAD~1"],
    ] {
        let plain = scan(&env, None, args);
        assert_eq!(plain.status.code(), Some(1), "{args:?} {}", stderr(&plain));
        let cold = scan(&env, Some(&cache), &[args, &["-v"]].concat());
        let warm = scan(&env, Some(&cache), &[args, &["-v"]].concat());
        assert_eq!(doc(&cold), doc(&plain), "{args:?}: first cached scan");
        assert_eq!(doc(&warm), doc(&plain), "{args:?}: rescan from the cache");
        assert!(skipped(&warm) > 0, "{args:?}: {}", stderr(&warm));
        assert!(
            cache_warnings(&warm)
                .iter()
                .all(|l| l.contains("known clean"))
        );
    }
    // The secrets found, with their provenance: A only in history, B in HEAD, D untracked.
    let d = doc(&scan(&env, Some(&cache), &[]));
    assert_eq!(
        places(&d),
        [
            "file conf/prod.env:1",
            "file notes.txt:1",
            "git app.py:2",
            "git conf/prod.env:1"
        ]
    );
    for prefix in ["objects-", "files-"] {
        cache_file(&cache, prefix);
    }
    // No file of the cache (verdicts, provenance walks, commit headers, fingerprints by place,
    // regex runs of hit blobs) holds a secret.
    let mut kinds = Vec::new();
    for entry in std::fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(4).any(|w| w == b"tst_"),
            "{}",
            path.display()
        );
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        kinds.push(name.split('-').next().unwrap().to_string());
    }
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "CACHEDIR.TAG",
            "files",
            "fps",
            "graph",
            "objects",
            "prov",
            "windows"
        ]
    );
}

#[test]
fn remembered_fingerprints_follow_the_organisation_key() {
    let (env, cache) = fixture();
    let plain = doc(&scan(&env, Some(&cache), &["--history-only"]));
    let again = doc(&scan(&env, Some(&cache), &["--history-only"]));
    assert_eq!(again, plain, "fingerprints remembered by place");
    let keyed = |cache: Option<&Path>| {
        let mut cmd = env.cmd();
        cmd.current_dir(env.path().join("repo"))
            .env("SPRAWL_FINGERPRINT_KEY", "org-key-for-the-test")
            .args(["scan", "--no-builtin-rules", "--rules"])
            .arg(test_rules())
            .args(["--format", "json", "--history-only"]);
        match cache {
            Some(dir) => cmd.arg("--cache-dir").arg(dir),
            None => cmd.arg("--no-cache"),
        };
        doc(&cmd.output().unwrap())
    };
    let cached = keyed(Some(&cache));
    assert_eq!(
        cached,
        keyed(None),
        "a keyed scan never reuses unkeyed fingerprints"
    );
    let fp = cached["findings"][0]["fingerprint"].as_str().unwrap();
    assert!(fp.starts_with("v2k:"), "{fp}");
    assert_ne!(cached["findings"], plain["findings"]);
}

#[test]
fn rescan_after_a_new_commit_matches_an_uncached_scan() {
    let (env, cache) = fixture();
    let first = scan(&env, Some(&cache), &[]);
    assert_eq!(first.status.code(), Some(1));
    let repo = Repo::init(&env.path().join("repo"));
    // A new secret, and the old blob with A again at a new path: its first commit stays the
    // old one, its commit count grows.
    let old_app = format!("one\nkey = \"{A}\"\n");
    repo.commit(
        &[
            ("new.py", &format!("k = \"{C}\"\n")),
            ("ok.txt", "fine\n"),
            ("copy/app.py", &old_app),
        ],
        &[],
        "3",
    );
    let plain = scan(&env, None, &[]);
    let cached = scan(&env, Some(&cache), &["-v"]);
    assert_eq!(doc(&cached), doc(&plain));
    assert!(skipped(&cached) > 0);
    assert!(places(&doc(&plain)).contains(&"git new.py:1".to_string()));
    // History rewritten: the amended commit is gone from every ref.
    repo.git(&["commit", "-q", "--amend", "-m", "3 again"]);
    repo.commit(&[("later.txt", &format!("{B}\n"))], &[], "4");
    let plain = scan(&env, None, &["--history-only"]);
    let cached = scan(&env, Some(&cache), &["--history-only"]);
    assert_eq!(doc(&cached), doc(&plain));
}

/// How many commits `--verbose` says the provenance walk went through.
fn walked(out: &Output) -> u64 {
    let err = stderr(out);
    let line = err.lines().find(|l| l.contains("known clean")).unwrap();
    let (_, tail) = line.split_once("; ").unwrap();
    tail.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn new_commits_on_old_branches_walk_only_the_new_commits() {
    // Branches carrying the same secret blob, one merged and one not, then new commits on
    // several of them and a new root: the cached scan walks only the new commits and still
    // reports what an uncached scan does (the introducing commit is the first in the stable
    // order of old and new commits).
    let (env, cache) = fixture();
    let repo = Repo::init(&env.path().join("repo"));
    for (branch, files) in [
        ("side", ["s1.py", "s2.txt"]),
        ("loose", ["l1.py", "l2.txt"]),
    ] {
        repo.git(&["checkout", "-q", "-b", branch, "HEAD~1"]);
        repo.commit(&[(files[0], &format!("s = \"{A}\"\n"))], &[], "1");
        repo.commit(&[(files[1], "more\n")], &[], "2");
        repo.git(&["checkout", "-q", "main"]);
    }
    repo.git(&["merge", "-q", "--no-edit", "side"]);
    let first = scan(&env, Some(&cache), &["-v"]);
    assert_eq!(first.status.code(), Some(1), "{}", stderr(&first));
    assert_eq!(walked(&first), 7, "{}", stderr(&first));
    let mut added = 0;
    for (branch, file) in [("loose", "l3.py"), ("side", "s3.py"), ("main", "new.py")] {
        repo.git(&["checkout", "-q", branch]);
        repo.commit(&[(file, &format!("t = \"{A}\"\nk = \"{C}\"\n"))], &[], "3");
        added += 1;
        let plain = scan(&env, None, &[]);
        let cached = scan(&env, Some(&cache), &["-v"]);
        assert_eq!(doc(&cached), doc(&plain), "after a commit on {branch}");
        assert_eq!(
            walked(&cached),
            1,
            "only the new commit: {}",
            stderr(&cached)
        );
    }
    repo.git(&["checkout", "-q", "--orphan", "fresh"]);
    repo.commit(&[("root.py", &format!("r = \"{A}\"\n"))], &[], "r");
    repo.git(&["checkout", "-q", "main"]);
    let plain = scan(&env, None, &[]);
    let cached = scan(&env, Some(&cache), &["-v"]);
    assert_eq!(doc(&cached), doc(&plain));
    assert_eq!(walked(&cached), 1, "{}", stderr(&cached));
    let again = scan(&env, Some(&cache), &["-v"]);
    assert_eq!(doc(&again), doc(&plain));
    assert_eq!(walked(&again), 0, "{}", stderr(&again));
    let other = env.path().join("other-cache");
    assert_eq!(walked(&scan(&env, Some(&other), &["-v"])), 7 + added + 1);
}

#[test]
fn provenance_from_the_cache_follows_head() {
    let (env, cache) = fixture();
    scan(&env, Some(&cache), &[]);
    // Same commits, HEAD elsewhere: which secrets HEAD holds changes, the walk does not.
    Repo::init(&env.path().join("repo")).git(&["checkout", "-q", "--detach", "HEAD~1"]);
    let plain = scan(&env, None, &["--history-only"]);
    let cached = scan(&env, Some(&cache), &["--history-only"]);
    assert_eq!(doc(&cached), doc(&plain));
    let heads: Vec<bool> = doc(&plain)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["locations"].as_array().unwrap())
        .map(|l| l["in_head"].as_bool().unwrap())
        .collect();
    assert_eq!(heads, [true, true], "A is in HEAD~1's tree");
}

#[test]
fn staged_scan_through_the_cache_matches() {
    let (env, cache) = fixture();
    let repo = Repo::init(&env.path().join("repo"));
    repo.write("app.py", &format!("one\nkey = env()\nnew = \"{C}\"\n"));
    repo.write("clean.txt", "nothing here\n");
    repo.git(&["add", "app.py", "clean.txt"]);
    let plain = scan(&env, None, &["--staged"]);
    assert_eq!(plain.status.code(), Some(1), "{}", stderr(&plain));
    let cold = scan(&env, Some(&cache), &["--staged"]);
    let warm = scan(&env, Some(&cache), &["--staged", "-v"]);
    assert_eq!(doc(&cold), doc(&plain));
    assert_eq!(doc(&warm), doc(&plain));
    assert!(skipped(&warm) > 0, "{}", stderr(&warm));
}

#[test]
fn damaged_truncated_or_foreign_file_is_ignored_once_and_rebuilt() {
    let (env, cache) = fixture();
    let plain = doc(&scan(&env, None, &[]));
    scan(&env, Some(&cache), &[]);
    let file = cache_file(&cache, "objects-");
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    *flipped.last_mut().unwrap() ^= 0x40;
    let cases: [(&[u8], &str); 4] = [
        (&good[..good.len() - 7], "truncated"),
        (&good[..20], "truncated"),
        (&flipped, "checksum"),
        (
            b"PK\x03\x04 a zip file, not a cache at all: definitely foreign bytes here",
            "not a sprawl cache",
        ),
    ];
    let prov = cache_file(&cache, "prov-");
    let mut prov_bytes = std::fs::read(&prov).unwrap();
    *prov_bytes.last_mut().unwrap() ^= 1;
    std::fs::write(&prov, prov_bytes).unwrap();
    let out = scan(&env, Some(&cache), &[]);
    assert_eq!(doc(&out), plain, "damaged provenance");
    let warnings = cache_warnings(&out);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("checksum"), "{warnings:?}");
    for (bytes, why) in cases {
        std::fs::write(&file, bytes).unwrap();
        let out = scan(&env, Some(&cache), &[]);
        assert_eq!(doc(&out), plain, "{why}");
        let warnings = cache_warnings(&out);
        assert_eq!(warnings.len(), 1, "{why}: {warnings:?}");
        assert!(warnings[0].contains(why), "{why}: {warnings:?}");
        // Rebuilt: the next scan reads it without a word and skips from it.
        let again = scan(&env, Some(&cache), &["-v"]);
        assert_eq!(doc(&again), plain);
        assert_eq!(cache_warnings(&again).len(), 1, "{}", stderr(&again));
        assert!(skipped(&again) > 0);
    }
}

#[test]
fn unusable_cache_directory_means_a_scan_without_the_cache() {
    let (env, _) = fixture();
    let plain = doc(&scan(&env, None, &[]));
    // A directory that cannot be created (its parent is a file).
    let blocker = env.write("blocker", "a file");
    let out = scan(&env, Some(&blocker.join("cache")), &[]);
    assert_eq!(doc(&out), plain);
    let warnings = cache_warnings(&out);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("scanning without the cache"),
        "{warnings:?}"
    );
    // Read-only: only meaningful when permissions bind this user (not root).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = env.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        if std::fs::write(ro.join("probe"), "x").is_err() {
            let out = scan(&env, Some(&ro), &[]);
            assert_eq!(doc(&out), plain);
            assert_eq!(cache_warnings(&out).len(), 1, "{}", stderr(&out));
        } else {
            eprintln!("read-only case skipped: permissions do not bind this user");
        }
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

#[test]
fn cache_directory_inside_the_scanned_tree_is_not_written() {
    let (env, _) = fixture();
    let inside = env.path().join("repo/.cache-here");
    let out = scan(&env, Some(&inside), &[]);
    assert_eq!(doc(&out), doc(&scan(&env, None, &[])));
    let warnings = cache_warnings(&out);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("inside the scanned"), "{warnings:?}");
    assert!(!inside.exists());
}

#[test]
fn concurrent_scans_leave_a_valid_cache() {
    let env = TestEnv::new();
    let cache = env.path().join("cache");
    let mut repos = Vec::new();
    for r in 0..4 {
        let repo = Repo::init(&env.path().join(format!("r{r}")));
        for c in 0..5 {
            let files: Vec<(String, String)> = (0..20)
                .map(|f| {
                    (
                        format!("f{f}.txt"),
                        format!("repo {r} commit {c} file {f}\n"),
                    )
                })
                .collect();
            let refs: Vec<(&str, &str)> = files
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            repo.commit(&refs, &[], &format!("{c}"));
        }
        repo.write("secret.txt", &format!("{A}\n"));
        repos.push(repo.dir);
    }
    let bin = env.cmd().get_program().to_owned();
    let run = |dir: &Path, cache: Option<&Path>| {
        let mut c = std::process::Command::new(&bin);
        c.current_dir(dir)
            .args(["scan", "--no-builtin-rules", "--rules"])
            .arg(test_rules())
            .args(["-f", "json", "-j", "1"]);
        match cache {
            Some(d) => c.arg("--cache-dir").arg(d),
            None => c.arg("--no-cache"),
        };
        c
    };
    // Two processes per repository, all at once.
    let children: Vec<_> = repos
        .iter()
        .chain(repos.iter())
        .map(|d| run(d, Some(&cache)).spawn().unwrap())
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1));
    }
    let info = env
        .cmd()
        .args(["cache", "info", "--cache-dir"])
        .arg(&cache)
        .output()
        .unwrap();
    assert!(!stdout(&info).contains("damaged"), "{}", stdout(&info));
    for dir in &repos {
        let plain = run(dir, None).output().unwrap();
        let cached = run(dir, Some(&cache)).arg("-v").output().unwrap();
        assert_eq!(doc(&cached), doc(&plain));
        assert_eq!(cache_warnings(&cached).len(), 1, "{}", stderr(&cached));
        // Every repository's blobs were kept, whichever process renamed last.
        assert!(skipped(&cached) >= 100, "{}", stderr(&cached));
    }
}

#[test]
fn a_rule_change_is_never_answered_from_old_verdicts() {
    let env = TestEnv::new();
    let cache = env.path().join("cache");
    let repo = Repo::init(&env.path().join("repo"));
    let token = "zzz_Qm3vT8pLx2Wd9Kf4Hs7N";
    repo.commit(&[("a.txt", &format!("value {token}\n"))], &[], "1");
    let rules = |pattern: &str| {
        env.write(
            "rules.toml",
            format!(
                "[[rule]]\nid = \"t.z\"\nname = \"z\"\nseverity = \"high\"\nconfidence = \
                 \"high\"\nlifetime = \"static\"\nkeywords = [\"zzz_\"]\npattern = '''{pattern}'''\n"
            ),
        )
    };
    let run = || {
        env.cmd()
            .current_dir(&repo.dir)
            .args(["scan", "--no-builtin-rules", "--rules"])
            .arg(env.path().join("rules.toml"))
            .args(["-f", "json", "--cache-dir"])
            .arg(&cache)
            .output()
            .unwrap()
    };
    rules(r"\b(?P<secret>zzz_[0-9]{20})\b");
    assert_eq!(run().status.code(), Some(0));
    assert_eq!(run().status.code(), Some(0));
    rules(r"\b(?P<secret>zzz_[A-Za-z0-9]{20})\b");
    let out = run();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(json(&out)["summary"]["locations"], 2);
}

#[test]
fn cache_info_and_clear() {
    let (env, cache) = fixture();
    scan(&env, Some(&cache), &[]);
    std::fs::write(cache.join("keep.txt"), "not sprawl's").unwrap();
    let cmd = |sub: &str| {
        env.cmd()
            .args(["cache", sub, "--cache-dir"])
            .arg(&cache)
            .output()
            .unwrap()
    };
    let info = cmd("info");
    assert_eq!(info.status.code(), Some(0));
    let text = stdout(&info);
    assert!(text.contains(&cache.display().to_string()), "{text}");
    for kind in ["objects-", "files-", "prov-", "graph-", "fps-", "windows-"] {
        assert!(text.contains(kind), "{kind}: {text}");
    }
    assert!(!text.contains(" 0 records"), "{text}");
    let clear = cmd("clear");
    assert_eq!(clear.status.code(), Some(0));
    assert!(
        stderr(&clear).contains("removed 6 cache files"),
        "{}",
        stderr(&clear)
    );
    assert!(stdout(&cmd("info")).contains("0 files, 0 bytes"));
    assert!(cache.join("keep.txt").exists());
    // Every kind of cache file went (side files of every kind included).
    let left: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".bin"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn default_directory_no_cache_flag_and_config_key() {
    let (env, cache) = fixture();
    let plain = doc(&scan(&env, None, &[]));
    assert!(!cache.exists(), "--no-cache created {}", cache.display());
    // Without --cache-dir: `$XDG_CACHE_HOME/sprawl` (the test's own, see `TestEnv::cmd`).
    let default = env.cache.path().join("sprawl");
    let run = || {
        env.cmd()
            .current_dir(env.path().join("repo"))
            .args(["scan", "--no-builtin-rules", "--rules"])
            .arg(test_rules())
            .args(["-f", "json", "-v"])
            .output()
            .unwrap()
    };
    env.write("repo/.sprawl.toml", "[scan]\ncache = false\n");
    let off = run();
    assert!(
        !default.exists(),
        "scan.cache = false created {}",
        default.display()
    );
    assert!(!stderr(&off).contains("known clean"), "{}", stderr(&off));
    // The config file is part of the tree now; the findings are as before.
    assert_eq!(doc(&off)["findings"], plain["findings"]);
    env.write("repo/.sprawl.toml", "[scan]\ncache = true\n");
    run();
    let on = run();
    assert!(skipped(&on) > 0, "{}", stderr(&on));
    assert!(default.join("CACHEDIR.TAG").exists());
}

#[test]
fn the_default_cache_directory_inside_the_scanned_tree_is_skipped_quietly() {
    let (env, _) = fixture();
    // The default directory ($XDG_CACHE_HOME/sprawl) inside the scanned tree, as for
    // `sprawl scan ~` or `--workstation`: no cache, nothing written, a note only with -v.
    let xdg = env.path().join("repo/.cache");
    let run = |extra: &[&str]| {
        let mut cmd = env.cmd();
        cmd.current_dir(env.path().join("repo"))
            .env("XDG_CACHE_HOME", &xdg)
            .args(["scan", "--no-builtin-rules", "--rules"])
            .arg(test_rules())
            .args(["--format", "json"])
            .args(extra);
        cmd.output().unwrap()
    };
    let quiet = run(&[]);
    assert_eq!(doc(&quiet), doc(&scan(&env, None, &[])));
    assert_eq!(cache_warnings(&quiet), Vec::<String>::new());
    let verbose = run(&["-v"]);
    let warnings = cache_warnings(&verbose);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("inside the scanned"), "{warnings:?}");
    assert!(!xdg.join("sprawl").exists());
}
