//! Git history: every unique blob once, provenance of each finding, live vs history-only, the
//! history selection flags, and bad repositories. Repositories are built in each test.

use serde_json::{Value, json};

use crate::repo::{AUTHOR, EMAIL, Repo, date_of, git};
use crate::util::*;

const A: &str = "tst_u8jzPde0IgxLd6GncfBA";
const B: &str = "tst_epfJBd0Kh8oOOL8dKLzd";
const C: &str = "tst_ocJ2isAjIhKtJ0RlgLKO";

/// The finding whose secret is `secret` (panics if absent).
/// The finding of `secret`, with each location's `application` (named after the temporary
/// directory, so it differs per run) removed; the correlator tests assert applications.
fn finding(doc: &Value, secret: &str) -> Value {
    let fp = fingerprint_of(secret);
    let mut f = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fingerprint"] == fp.as_str())
        .unwrap_or_else(|| panic!("no finding for {secret}: {doc:#}"))
        .clone();
    for l in f["locations"].as_array_mut().unwrap() {
        l.as_object_mut().unwrap().remove("application");
    }
    f
}

/// Fingerprints of all findings, sorted.
fn fingerprints(doc: &Value) -> Vec<String> {
    let mut fps: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect();
    fps.sort();
    fps
}

fn sorted(secrets: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = secrets.iter().map(|s| fingerprint_of(s)).collect();
    v.sort();
    v
}

/// A git location as sprawl reports it.
#[allow(clippy::too_many_arguments)]
fn git_loc(
    root: &str,
    path: &str,
    line: u32,
    column: u32,
    commit: &str,
    n: i64,
    blob: &str,
    commit_count: u64,
    in_head: bool,
) -> Value {
    json!({
        "root": root, "path": path, "line": line, "column": column, "source": "git",
        "class": "source", "commit": commit, "author": AUTHOR, "email": EMAIL, "date": date_of(n),
        "blob": blob, "commit_count": commit_count, "in_head": in_head,
    })
}

fn summary_counts(doc: &Value) -> (u64, u64, u64, u64) {
    let s = &doc["summary"];
    (
        s["repositories"].as_u64().unwrap(),
        s["commits_scanned"].as_u64().unwrap(),
        s["blobs_scanned"].as_u64().unwrap(),
        s["files_scanned"].as_u64().unwrap(),
    )
}

#[test]
fn secret_removed_in_second_commit_is_history_only() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let config = format!("name = demo\nkey = \"{A}\"\n");
    let c1 = repo.commit(&[("app/config.txt", &config)], &[], "add config");
    repo.commit(&[("README", "demo\n")], &["app/config.txt"], "remove it");
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(fingerprints(&doc), sorted(&[A]));
    let f = finding(&doc, A);
    assert_eq!(f["live"], false);
    let blob = repo.blob_id(&config);
    assert_eq!(
        f["locations"],
        json!([git_loc(
            ".",
            "app/config.txt",
            2,
            8,
            &c1,
            1,
            &blob,
            1,
            false
        )])
    );
    // History: 2 commits, 2 blobs (config, README); files: README.
    assert_eq!(summary_counts(&doc), (1, 2, 2, 1));
    assert_eq!(doc["issues"], json!([]));
}

#[test]
fn secret_still_at_head_is_live() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let text = format!("{A}\n");
    let c1 = repo.commit(&[("keys/a.txt", &text)], &[], "one");
    repo.commit(&[("other.txt", "x\n")], &[], "two");
    let doc = json(&env.scan_test_rules(&["--history-only", "."]));
    let f = finding(&doc, A);
    assert_eq!(f["live"], true);
    let blob = repo.blob_id(&text);
    assert_eq!(
        f["locations"],
        json!([git_loc(".", "keys/a.txt", 1, 1, &c1, 1, &blob, 2, true)])
    );
    assert_eq!(summary_counts(&doc), (1, 2, 2, 0));
}

#[test]
fn blob_in_fifty_commits_is_scanned_once() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let text = format!("token: {A}\n");
    let c1 = repo.commit(&[("secret.txt", &text), ("n.txt", "0\n")], &[], "0");
    for i in 1..50 {
        repo.commit(&[("n.txt", &format!("{i}\n"))], &[], &i.to_string());
    }
    let doc = json(&env.scan_test_rules(&["--history-only", "."]));
    // 50 commits; blobs: the secret once plus 50 versions of n.txt.
    assert_eq!(summary_counts(&doc), (1, 50, 51, 0));
    let blob = repo.blob_id(&text);
    assert_eq!(
        finding(&doc, A)["locations"],
        json!([git_loc(".", "secret.txt", 1, 8, &c1, 1, &blob, 50, true)])
    );
    assert_eq!(doc["summary"]["findings"], 1);
}

#[test]
fn same_secret_in_work_tree_and_history_is_one_finding() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let text = format!("{A}\n");
    let c1 = repo.commit(&[("old/creds.txt", &text)], &[], "add");
    repo.commit(&[("README", "x\n")], &["old/creds.txt"], "remove");
    repo.write("new/creds.txt", &format!("again {A}\n")); // untracked
    let doc = json(&env.scan_test_rules(&["."]));
    assert_eq!(doc["summary"]["findings"], 1);
    let f = finding(&doc, A);
    assert_eq!(f["live"], true);
    let blob = repo.blob_id(&text);
    assert_eq!(
        f["locations"],
        json!([
            {"root": ".", "path": "new/creds.txt", "line": 1, "column": 7, "source": "file", "class": "source"},
            git_loc(".", "old/creds.txt", 1, 1, &c1, 1, &blob, 1, false),
        ])
    );
}

#[test]
fn bare_clone_is_scanned_as_history() {
    let env = TestEnv::new();
    let repo = Repo::init(&env.path().join("src"));
    let a = format!("{A}\n");
    let b = format!("x\n{B}\n");
    let c1 = repo.commit(&[("a.txt", &a)], &[], "1");
    repo.commit(&[("keep.txt", "k\n")], &["a.txt"], "2");
    let c3 = repo.commit(&[("b.txt", &b)], &[], "3");
    git(env.path(), &["clone", "-q", "--bare", "src", "bare.git"]);
    let out = env.scan_test_rules(&["bare.git"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(fingerprints(&doc), sorted(&[A, B]));
    let blob_a = repo.blob_id(&a);
    let blob_b = repo.blob_id(&b);
    assert_eq!(
        finding(&doc, A)["locations"],
        json!([git_loc(
            "bare.git", "a.txt", 1, 1, &c1, 1, &blob_a, 1, false
        )])
    );
    assert_eq!(
        finding(&doc, B)["locations"],
        json!([git_loc("bare.git", "b.txt", 2, 1, &c3, 3, &blob_b, 1, true)])
    );
    assert_eq!(finding(&doc, A)["live"], false);
    assert_eq!(finding(&doc, B)["live"], true);
    // No work tree: nothing read as files (not the packs, hooks or config of the bare repo).
    assert_eq!(summary_counts(&doc), (1, 3, 3, 0));
}

#[test]
fn shallow_clone_scans_what_exists_and_says_so() {
    let env = TestEnv::new();
    let repo = Repo::init(&env.path().join("src"));
    repo.commit(&[("a.txt", &format!("{A}\n"))], &[], "1");
    let b = format!("{B}\n");
    let c2 = repo.commit(&[("b.txt", &b)], &["a.txt"], "2");
    let url = format!("file://{}", env.path().join("src").display());
    git(
        env.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let out = env.scan_test_rules(&["--history-only", "shallow"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(fingerprints(&doc), sorted(&[B]));
    let blob = repo.blob_id(&b);
    assert_eq!(
        finding(&doc, B)["locations"],
        json!([git_loc("shallow", "b.txt", 1, 1, &c2, 2, &blob, 1, true)])
    );
    assert_eq!(doc["summary"]["shallow_repositories"], 1);
    assert_eq!(summary_counts(&doc), (1, 1, 1, 0));
    assert_eq!(
        doc["issues"],
        json!([{"kind": "limit", "path": "shallow", "reason": "shallow clone: history before the \
            shallow boundary is not in the repository and was not scanned"}])
    );
    let human = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--history-only", "--color", "never", "-q", "shallow"])
        .output()
        .unwrap();
    let last = stdout(&human).lines().last().unwrap().to_string();
    assert!(
        last.contains(" · history: 1 commit, 1 blob (25 B) (shallow) · "),
        "{last}"
    );
}

#[test]
fn since_commit_limits_history_to_new_commits() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let c1 = repo.commit(&[("a.txt", &format!("{A}\n"))], &[], "base");
    let b = format!("{B}\n");
    let c2 = repo.commit(&[("b.txt", &b)], &[], "pr");
    for since in [c1.as_str(), "HEAD~1"] {
        let out = env.scan_test_rules(&["--history-only", "--since-commit", since, "."]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let doc = json(&out);
        assert_eq!(fingerprints(&doc), sorted(&[B]));
        let blob = repo.blob_id(&b);
        assert_eq!(
            finding(&doc, B)["locations"],
            json!([git_loc(".", "b.txt", 1, 1, &c2, 2, &blob, 1, true)])
        );
        // One commit, and only the blob it adds (a.txt is unchanged since the base).
        assert_eq!(summary_counts(&doc), (1, 1, 1, 0));
    }
}

#[test]
fn unknown_revision_is_an_error() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.commit(&[("a.txt", &format!("{A}\n"))], &[], "1");
    let out = env.scan_test_rules(&["--since-commit", "nosuch", "."]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: .: --since-commit nosuch: no such commit in this repository\n"
    );
}

#[test]
fn history_flags_without_a_repository_are_an_error() {
    let env = TestEnv::new();
    env.write("a.txt", format!("{A}\n"));
    for flags in [&["--history-only"][..], &["--since-commit", "main"][..]] {
        let mut args = flags.to_vec();
        args.push(".");
        let out = env.scan_test_rules(&args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        assert_eq!(
            stderr(&out),
            "error: .: no git repository here (--history-only, --branch and --since-commit need \
             one)\n"
        );
    }
}

#[test]
fn branch_limits_history_to_one_ref() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.commit(&[("a.txt", "nothing\n")], &[], "1");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    let c2 = repo.commit(&[("f.txt", &format!("{B}\n"))], &[], "2");
    repo.git(&["checkout", "-q", "main"]);
    let doc = json(&env.scan_test_rules(&["--history-only", "--branch", "main", "."]));
    assert_eq!(fingerprints(&doc), Vec::<String>::new());
    assert_eq!(summary_counts(&doc), (1, 1, 1, 0));
    let doc = json(&env.scan_test_rules(&["--history-only", "--branch", "feature", "."]));
    assert_eq!(fingerprints(&doc), sorted(&[B]));
    let loc = &finding(&doc, B)["locations"][0];
    assert_eq!(
        (&loc["commit"], &loc["in_head"]),
        (&json!(c2), &json!(false))
    );
    // Without --branch every ref is scanned.
    let doc = json(&env.scan_test_rules(&["--history-only", "."]));
    assert_eq!(fingerprints(&doc), sorted(&[B]));
}

#[test]
fn no_history_scans_files_only() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.commit(&[("a.txt", &format!("{A}\n"))], &[], "1");
    repo.commit(&[("b.txt", "b\n")], &["a.txt"], "2");
    let out = env.scan_test_rules(&["--no-history", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(summary_counts(&doc), (0, 0, 0, 1));
}

#[test]
fn repositories_under_a_directory_are_all_scanned() {
    let env = TestEnv::new();
    let one = Repo::init(&env.path().join("one"));
    let c_one = one.commit(&[("a.txt", &format!("{A}\n"))], &[], "1");
    let two = Repo::init(&env.path().join("deep/two"));
    two.commit(&[("b.txt", &format!("{B}\n"))], &[], "1");
    git(env.path(), &["clone", "-q", "--bare", "one", "three.git"]);
    let doc = json(&env.scan_test_rules(&["--history-only", "."]));
    assert_eq!(fingerprints(&doc), sorted(&[A, B]));
    let paths = |secret: &str| -> Vec<String> {
        finding(&doc, secret)["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| format!("{} {}", l["path"].as_str().unwrap(), l["commit"]))
            .collect()
    };
    assert_eq!(
        paths(A),
        vec![
            format!("one/a.txt \"{c_one}\""),
            format!("three.git/a.txt \"{c_one}\"")
        ]
    );
    assert_eq!(paths(B).len(), 1);
    assert!(paths(B)[0].starts_with("deep/two/b.txt "));
    assert_eq!(summary_counts(&doc), (3, 3, 3, 0));
}

#[test]
fn empty_repository_is_clean() {
    let env = TestEnv::new();
    Repo::init(env.path());
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(summary_counts(&doc), (1, 0, 0, 0));
    assert_eq!(doc["issues"], json!([]));
}

#[test]
fn detached_head_commits_are_scanned() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.commit(&[("a.txt", "a\n")], &[], "1");
    repo.git(&["checkout", "-q", "--detach"]);
    let c2 = repo.commit(&[("b.txt", &format!("{B}\n"))], &[], "2 (on no branch)");
    let doc = json(&env.scan_test_rules(&["--history-only", "."]));
    assert_eq!(fingerprints(&doc), sorted(&[B]));
    let loc = &finding(&doc, B)["locations"][0];
    assert_eq!(
        (&loc["commit"], &loc["in_head"]),
        (&json!(c2), &json!(true))
    );
}

#[test]
fn corrupt_object_is_named_and_the_rest_is_scanned() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let b = format!("{B}\n");
    repo.commit(&[("a.txt", &format!("{A}\n")), ("b.txt", &b)], &[], "1");
    let id = repo.blob_id(&b);
    let loose = env
        .path()
        .join(".git/objects")
        .join(&id[..2])
        .join(&id[2..]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::write(&loose, b"this is not zlib data").unwrap();
    let out = env.scan_test_rules(&["--history-only", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(fingerprints(&doc), sorted(&[A]));
    let issues = doc["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0]["kind"], "malformed");
    assert_eq!(issues[0]["path"], ".");
    let reason = issues[0]["reason"].as_str().unwrap();
    assert!(reason.starts_with(&format!("object {id}: ")), "{reason}");
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_path_in_history() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(env.path().join(name), format!("{A}\n")).unwrap();
    repo.commit(&[], &[], "latin-1 name");
    let doc = json(&env.scan_test_rules(&["--history-only", "."]));
    assert_eq!(finding(&doc, A)["locations"][0]["path"], "caf\u{fffd}.txt");
}

#[test]
fn submodules_are_not_followed_and_said_once() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let c1 = repo.commit(&[("a.txt", "a\n")], &[], "1");
    repo.write(
        ".gitmodules",
        "[submodule \"lib\"]\n\tpath = lib\n\turl = https://example.invalid/lib.git\n",
    );
    for dir in ["lib", "vendor/lib2"] {
        let spec = format!("160000,{c1},{dir}");
        repo.git(&["update-index", "--add", "--cacheinfo", &spec]);
    }
    repo.commit(&[], &[], "add submodules");
    let doc = json(&env.scan_test_rules(&["--history-only", "."]));
    assert_eq!(
        doc["issues"],
        json!([{"kind": "limit", "path": ".", "reason": "submodules are not followed: scan each \
            submodule's repository on its own"}])
    );
}

#[test]
fn unreachable_blob_is_noted_not_reported() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.commit(&[("a.txt", "a\n")], &[], "1");
    repo.write("dangling.txt", &format!("{A}\n"));
    let id = repo.git(&["hash-object", "-w", "dangling.txt"]);
    std::fs::remove_file(env.path().join("dangling.txt")).unwrap();
    let out = env.scan_test_rules(&["--history-only", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        doc["issues"],
        json!([{"kind": "limit", "path": ".", "reason": format!("1 blob with possible secrets \
            that no ref or HEAD reaches (e.g. {id}): not reported; --unreachable reports them")}])
    );
}

#[test]
fn excluded_paths_are_excluded_from_history_too() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.commit(
        &[
            (".sprawl.toml", "[scan]\nexclude = [\"fixtures/**\"]\n"),
            ("fixtures/fake.txt", &format!("{A}\n")),
            ("app.txt", &format!("{B}\n")),
        ],
        &[],
        "1",
    );
    repo.commit(&[], &["fixtures/fake.txt"], "2");
    let doc = json(&env.scan_test_rules(&["--history-only", "."]));
    assert_eq!(fingerprints(&doc), sorted(&[B]));
    assert_eq!(doc["issues"], json!([]));
}

#[test]
fn history_scan_writes_nothing_into_the_repository() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.commit(&[("a.txt", &format!("{A}\n{C}\n"))], &[], "1");
    repo.git(&["gc", "-q"]);
    let before = crate::safety::snapshot(env.path());
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(1));
    let out = env.scan_test_rules(&["--staged", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(before, crate::safety::snapshot(env.path()));
}

#[test]
fn truncated_packfile_is_named_and_the_rest_of_history_is_scanned() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let (a, b, c) = (format!("{A}\n"), format!("{B}\n"), format!("{C}\n"));
    let c1 = repo.commit(&[("a.txt", &a), ("b.txt", &b)], &[], "1");
    let tree1 = repo.git(&["rev-parse", &format!("{c1}^{{tree}}")]);
    repo.git(&["gc", "-q"]); // commit 1, its tree and both blobs go into one pack
    let c2 = repo.commit(&[("c.txt", &c)], &[], "2"); // loose
    let packs = env.path().join(".git/objects/pack");
    let pack = std::fs::read_dir(&packs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".pack"))
        .unwrap();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(packs.join(&pack))
        .unwrap();
    let len = file.metadata().unwrap().len();
    file.set_len(len - 40).unwrap();
    drop(file);

    let out = env.scan_test_rules(&["--history-only", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    // The packed secrets are gone with their pack; the loose commit's is found, with its
    // provenance, although its parent cannot be read.
    assert_eq!(fingerprints(&doc), sorted(&[C]));
    let blob_c = repo.blob_id(&c);
    assert_eq!(
        finding(&doc, C)["locations"],
        json!([git_loc(".", "c.txt", 1, 1, &c2, 2, &blob_c, 1, true)])
    );
    assert_eq!(summary_counts(&doc), (1, 1, 1, 0));
    let pack_line = format!(
        "objects/pack/{pack}: truncated or damaged (does not end with the checksum its index \
         records); its 4 objects could not be read"
    );
    let mut objects = vec![c1, tree1, repo.blob_id(&a), repo.blob_id(&b)];
    objects.sort();
    let mut expected = vec![json!({"kind": "malformed", "path": ".", "reason": pack_line})];
    for id in &objects {
        expected.push(json!({"kind": "malformed", "path": ".", "reason":
            format!("object {id}: object not found - cannot read header for ({id})")}));
    }
    assert_eq!(doc["issues"], json!(expected));
    // Each is one warning line on stderr.
    let loud = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--history-only", "--format", "json", "."])
        .output()
        .unwrap();
    let warnings: Vec<String> = stderr(&loud)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .map(String::from)
        .collect();
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    assert_eq!(warnings[0], format!("warning: .: {pack_line}"));
}

/// A repository with 10,000 commits (built with `git fast-import`): every commit is walked,
/// every unique blob scanned once, and provenance names the first commit of a secret that every
/// commit carries and the last commit of one added at the end (#8).
#[test]
fn ten_thousand_commits_are_all_walked() {
    const N: usize = 10_000;
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    let who = format!("{AUTHOR} <{EMAIL}> 1704067260 +0000");
    let early = format!("token: {A}\n");
    let late = format!("token: {B}\n");
    let mut stream = String::new();
    let data = |s: &mut String, body: &str| s.push_str(&format!("data {}\n{body}\n", body.len()));
    for i in 1..=N {
        stream.push_str(&format!(
            "commit refs/heads/main\nauthor {who}\ncommitter {who}\n"
        ));
        data(&mut stream, &i.to_string());
        if i == 1 {
            stream.push_str("M 100644 inline secret.txt\n");
            data(&mut stream, &early);
        }
        if i == N {
            stream.push_str("M 100644 inline late.txt\n");
            data(&mut stream, &late);
        }
        stream.push_str("M 100644 inline n.txt\n");
        data(&mut stream, &format!("{i}\n"));
    }
    repo.fast_import(&stream);
    let first = repo.git(&["rev-list", "--max-parents=0", "main"]);
    let last = repo.git(&["rev-parse", "main"]);
    assert_eq!(repo.git(&["rev-list", "--count", "main"]), N.to_string());

    let out = env.scan_test_rules(&["--history-only", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    // 10,000 commits; blobs: 10,000 versions of n.txt, secret.txt and late.txt.
    assert_eq!(summary_counts(&doc), (1, N as u64, N as u64 + 2, 0));
    assert_eq!(doc["summary"]["findings"], 2);
    assert_eq!(
        finding(&doc, A)["locations"],
        json!([git_loc(
            ".",
            "secret.txt",
            1,
            8,
            &first,
            1,
            &repo.blob_id(&early),
            N as u64,
            true
        )])
    );
    assert_eq!(
        finding(&doc, B)["locations"],
        json!([git_loc(
            ".",
            "late.txt",
            1,
            8,
            &last,
            1,
            &repo.blob_id(&late),
            1,
            true
        )])
    );
}

/// A clone made with `--shared` keeps no copy of the objects it borrows (they stay in the
/// source's database, named in `objects/info/alternates`): they are scanned, with the clone's
/// own loose commit, and provenance comes from the clone's refs.
#[test]
fn objects_borrowed_through_alternates_are_scanned() {
    let env = TestEnv::new();
    let src = Repo::init(&env.path().join("src"));
    src.commit(&[("a.txt", &format!("{A}\n"))], &[], "1");
    src.git(&["gc", "-q"]);
    git(env.path(), &["clone", "-q", "--shared", "src", "dst"]);
    let dst = env.path().join("dst");
    assert!(dst.join(".git/objects/info/alternates").exists());
    let clone = Repo::init(&dst);
    clone.commit(&[("b.txt", &format!("{B}\n"))], &[], "2");
    let out = env.scan_test_rules(&["--history-only", "dst"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(fingerprints(&doc), sorted(&[A, B]));
    for secret in [A, B] {
        let locs = finding(&doc, secret)["locations"].clone();
        assert_eq!(locs[0]["source"], "git", "{locs}");
        assert_eq!(locs[0]["in_head"], true, "{locs}");
    }
    // Only the clone's history: the source is not scanned as a second repository.
    assert_eq!(summary_counts(&doc).0, 1);
}
