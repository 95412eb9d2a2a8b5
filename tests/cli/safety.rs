//! sprawl never becomes the leak: nothing is written into the scanned tree.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::*;

pub fn snapshot(root: &Path) -> BTreeMap<String, (u64, Option<std::time::SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            let rel = e.path().strip_prefix(root).unwrap().display().to_string();
            if meta.is_dir() {
                stack.push(e.path());
            }
            out.insert(rel, (meta.len(), meta.modified().ok()));
        }
    }
    out
}

#[test]
fn scanning_writes_nothing_into_the_tree() {
    let env = TestEnv::with_fixture("tree/basic");
    env.write(".git/HEAD", "ref: refs/heads/main\n");
    let before = snapshot(env.path());
    for format in ["human", "json", "jsonl", "sarif"] {
        let out = env
            .cmd()
            .args(["scan", "--no-builtin-rules", "--rules"])
            .arg(test_rules())
            .args(["-q", "--format", format, "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
    }
    assert_eq!(before, snapshot(env.path()));
}
