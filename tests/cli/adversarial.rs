//! Hostile trees: UTF-16 content, symlink loops and escapes, deep nesting, a huge single line,
//! non-UTF-8 names. Each asserts the exact result and that everything else is still scanned.

use crate::util::*;

const A: &str = "tst_iKE9Ii14QitQCsqfNISB";
const B: &str = "tst_mGS4LgIeMdWRDwhduGKZ";

#[test]
fn utf16_text_is_transcoded_and_scanned() {
    let env = TestEnv::new();
    let text = format!("Windows export\r\nkey={A}\r\n");
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    env.write("export.reg", le);
    let be: Vec<u8> = format!("x {B}\n")
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    env.write("be.txt", be);
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let got: Vec<(String, serde_json::Value)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["locations"].as_array().unwrap().clone())
        .map(|l| {
            (
                format!(
                    "{}:{}:{}",
                    l["path"].as_str().unwrap(),
                    l["line"],
                    l["column"]
                ),
                l["decoded"].clone(),
            )
        })
        .collect();
    let utf16 = serde_json::json!(["utf16"]);
    assert_eq!(
        got,
        vec![
            ("be.txt:1:3".to_string(), utf16.clone()),
            ("export.reg:2:5".to_string(), utf16)
        ]
    );
    assert_eq!(doc["summary"]["skipped"]["binary"], 0);
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_escapes_are_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = TestEnv::new();
    outside.write("secret.txt", format!("{B}\n"));
    let env = TestEnv::new();
    env.write("in/a.txt", format!("{A}\n"));
    symlink(env.path().join("in"), env.path().join("in/loop")).unwrap();
    symlink(outside.path(), env.path().join("escape")).unwrap();
    symlink(
        outside.path().join("secret.txt"),
        env.path().join("link.txt"),
    )
    .unwrap();
    let out = env.scan_test_rules(&["."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        locations(&json(&out)),
        vec![("test.token".to_string(), "in/a.txt:1:1".to_string())]
    );
}

#[test]
fn deeply_nested_directories() {
    let env = TestEnv::new();
    let deep: String = (0..120).map(|i| format!("d{i}/")).collect();
    env.write(&format!("{deep}leaf.txt"), format!("{A}\n"));
    env.write("top.txt", format!("{B}\n"));
    let out = env.scan_test_rules(&["."]);
    let locs = locations(&json(&out));
    assert_eq!(locs.len(), 2);
    assert!(locs.contains(&("test.token".to_string(), format!("{deep}leaf.txt:1:1"))));
}

#[test]
fn a_single_100_mb_line_is_scanned_within_the_cap() {
    // A minified bundle: one line, 100 MiB, a secret at the very end. The timeout only guards
    // against a hang (quadratic rescans would take hours); speed is measured in bench/.
    let env = TestEnv::new();
    let mut data = vec![b'a'; 100 << 20];
    data.extend_from_slice(format!(" {A}").as_bytes());
    env.write("bundle.min.js", &data);
    drop(data);
    let rules = test_rules();
    let out = env
        .cmd()
        .timeout(std::time::Duration::from_secs(600))
        .args([
            "scan",
            "--no-builtin-rules",
            "--rules",
            rules.to_str().unwrap(),
        ])
        .args(["--max-file-size", "128MiB", "--format", "json", "-q", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        locations(&json(&out)),
        vec![(
            "test.token".to_string(),
            format!("bundle.min.js:1:{}", (100 << 20) + 2)
        )]
    );
}

#[cfg(target_os = "linux")]
#[test]
fn non_utf8_file_names_are_reported_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(env.path().join(name), format!("{A}\n")).unwrap();
    let out = env.scan_test_rules(&["."]);
    assert_eq!(
        locations(&json(&out)),
        vec![("test.token".to_string(), "caf\u{fffd}.txt:1:1".to_string())]
    );
}

#[cfg(unix)]
#[test]
fn sockets_and_device_nodes_are_skipped_without_blocking() {
    use std::os::unix::net::UnixListener;
    let env = TestEnv::new();
    env.write("a.txt", format!("{A}\n"));
    env.write("sub/b.txt", format!("{B}\n"));
    let _listener = UnixListener::bind(env.path().join("sub/agent.sock")).unwrap();
    // A character device in the tree: a copy of /dev/zero (endless) needs mknod, i.e. root.
    let made = std::process::Command::new("mknod")
        .arg(env.path().join("zero"))
        .args(["c", "1", "5"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !made {
        eprintln!("device node in the tree skipped: mknod needs root");
    }
    let special = if made { 2 } else { 1 };
    let out = env
        .cmd()
        .timeout(std::time::Duration::from_secs(60))
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--format", "json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "",
        "skipped special files in a tree are counted, not warned about"
    );
    let doc = json(&out);
    assert_eq!(
        locations(&doc),
        vec![
            ("test.token".to_string(), "a.txt:1:1".to_string()),
            ("test.token".to_string(), "sub/b.txt:1:1".to_string()),
        ]
    );
    assert_eq!(doc["summary"]["skipped"]["special"], special);
    assert_eq!(doc["summary"]["files_scanned"], 2);
    assert_eq!(doc["issues"], serde_json::json!([]));
    let human = env
        .cmd()
        .timeout(std::time::Duration::from_secs(60))
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(test_rules())
        .args(["--color", "never", ".", "/dev/null", "/dev/zero"])
        .output()
        .unwrap();
    let last = stdout(&human).lines().last().unwrap().to_string();
    assert!(
        last.contains(&format!(
            " · 2 files (50 B) scanned · skipped: {special} special · "
        )),
        "{last}"
    );
}

/// `fuzz/corpus/decode_kube_yaml/oom-deep-nested-sequences.yaml` (found by review while
/// fuzzing): 10,000 nested `- ` around a long flow list made the YAML decoder copy a
/// 10,000-step key path per item (over 2 GB for 40 KB). Now it is not read as YAML past the
/// nesting cap, and the text scan still finds the token at its exact place.
#[test]
fn oom_deep_nested_sequences_yaml() {
    let env = TestEnv::new();
    let line = format!(
        "{}[{}{A},{}a]",
        "- ".repeat(10_000),
        "a,".repeat(5_000),
        "a,".repeat(5_000)
    );
    env.write("k8s/deep.yaml", format!("# kind: Secret\n{line}\n"));
    let rules = test_rules();
    let out = env
        .cmd()
        .timeout(std::time::Duration::from_secs(60))
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(&rules)
        .args(["--format", "json", "-q", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        locations(&doc),
        vec![(
            "test.token".to_string(),
            "k8s/deep.yaml:2:30002".to_string()
        )]
    );
    assert_eq!(doc["issues"], serde_json::json!([]));
}
