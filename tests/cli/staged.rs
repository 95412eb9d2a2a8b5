//! `sprawl scan --staged`: only what `git add` staged, only added or modified lines, line
//! numbers of the staged version, and a hint on how to unstage or allow.

use serde_json::{Value, json};

use crate::repo::Repo;
use crate::util::*;

const A: &str = "tst_mxgJTeKdNnFRIBXuDL7D";
const B: &str = "tst_xtpYlSXpfKtHF4vUCsMe";
const C: &str = "tst_hGAkWvj7FAc9QeWJKY40";
const D: &str = "tst_u8jzPde0IgxLd6GncfBA";
const E: &str = "tst_epfJBd0Kh8oOOL8dKLzd";

fn staged_locations(doc: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for f in doc["findings"].as_array().unwrap() {
        for l in f["locations"].as_array().unwrap() {
            // `application` is named after the temporary directory; the correlator tests
            // assert applications.
            let mut l = l.clone();
            l.as_object_mut().unwrap().remove("application");
            out.push(json!([f["fingerprint"], l]));
        }
    }
    out
}

#[test]
fn staged_secret_found_unstaged_and_committed_ignored() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    // Committed history: A in app.py (must not be reported: not part of the staged change).
    repo.commit(
        &[("app.py", &format!("one\nkey = \"{A}\"\nthree\n"))],
        &[],
        "1",
    );
    // Staged: B added at line 4 of app.py, E at line 2 of a new file.
    repo.write(
        "app.py",
        &format!("one\nkey = \"{A}\"\nthree\nnew = \"{B}\"\n"),
    );
    repo.write("conf/new.env", &format!("# new\nTOKEN={E}\n"));
    repo.git(&["add", "app.py", "conf/new.env"]);
    // Unstaged: C in the work tree copy of app.py, D in an untracked file.
    repo.write(
        "app.py",
        &format!("one\nkey = \"{A}\"\nthree\nnew = \"{B}\"\nmore = \"{C}\"\n"),
    );
    repo.write("untracked.txt", &format!("{D}\n"));

    let out = env.scan_test_rules(&["--staged"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let mut got = staged_locations(&doc);
    got.sort_by_key(|v| v[1]["path"].as_str().unwrap().to_string());
    assert_eq!(
        got,
        vec![
            json!([fingerprint_of(B), {"root": ".", "path": "app.py", "line": 4, "column": 8, "source": "staged", "class": "source"}]),
            json!([fingerprint_of(E), {"root": ".", "path": "conf/new.env", "line": 2, "column": 7, "source": "staged", "class": "config", "context": "TOKEN"}]),
        ]
    );
    assert_eq!(doc["summary"]["files_scanned"], 2);
    assert_eq!(doc["summary"]["repositories"], 0);
    assert_eq!(
        stderr(&out),
        "sprawl: the staged changes add secrets; committing them would publish them.\n  \
         unstage a file:    git restore --staged <path>   (remove the secret, then `git add` \
         again)\n  a fake value:      mark its line with a `sprawl:allow` comment (`# \
         sprawl:allow test key`)\n  allow a path:      add it to `exclude` under [scan] in \
         .sprawl.toml\n  skip a hook once:  git commit --no-verify\n"
    );
}

#[test]
fn nothing_staged_is_clean() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.commit(&[("a.txt", &format!("{A}\n"))], &[], "1");
    repo.write("a.txt", &format!("{A}\n{B}\n")); // modified, not staged
    let out = env.scan_test_rules(&["--staged"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["summary"]["files_scanned"], 0);
    assert_eq!(stderr(&out), "");
}

#[test]
fn first_commit_stages_everything_and_renames_add_nothing() {
    let env = TestEnv::new();
    let repo = Repo::init(env.path());
    repo.write("a.txt", &format!("{A}\n"));
    repo.git(&["add", "a.txt"]);
    let doc = json(&env.scan_test_rules(&["--staged"]));
    assert_eq!(
        staged_locations(&doc),
        vec![
            json!([fingerprint_of(A), {"root": ".", "path": "a.txt", "line": 1, "column": 1, "source": "staged", "class": "source"}])
        ]
    );
    repo.git(&["commit", "-q", "-m", "1"]);
    repo.git(&["mv", "a.txt", "b.txt"]);
    let out = env.scan_test_rules(&["--staged"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn staged_outside_a_repository_is_an_error() {
    let env = TestEnv::new();
    env.write("a.txt", format!("{A}\n"));
    let out = env.scan_test_rules(&["--staged"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: .: not in a git repository"),
        "{}",
        stderr(&out)
    );
}
