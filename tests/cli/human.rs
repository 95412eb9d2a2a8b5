//! Issue 16: the terminal view reads at a glance. Snapshots of one tree with many copies of a
//! credential across applications, owners, tests and docs, at 80 and 160 columns, with and
//! without colour; and `--verbose` lists every place.

use crate::util::*;

const A: &str = "tst_iKE9Ii14QitQCsqfNISB";
const B: &str = "tst_mGS4LgIeMdWRDwhduGKZ";
const C: &str = "tst_w8Decxy8diEuqgRm2CTb";

fn tree() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "CODEOWNERS",
        "services/billing/ @payments-team @alice @bob @carol @dave\nservices/shop/ @shop-team\n",
    );
    env.write("services/billing/package.json", "{}\n");
    env.write("services/billing/.env", format!("PAYMENTS_TOKEN={A}\n"));
    env.write("services/shop/package.json", "{}\n");
    env.write(
        "services/shop/config.yml",
        format!("payments:\n  token: {A}\n"),
    );
    for i in 0..12 {
        env.write(
            &format!("deploy/k8s/app-{i:02}.yaml"),
            format!("env:\n  - name: SHARED_TOKEN\n    value: {B}\n"),
        );
    }
    env.write(
        "tests/fixtures/creds.json",
        format!("{{\"token\": \"{C}\"}}\n"),
    );
    env.write("docs/setup.md", format!("Set `TOKEN={C}` to try it.\n"));
    env
}

fn view(env: &TestEnv, columns: &str, color: &str, extra: &[&str]) -> String {
    let rules = test_rules();
    let out = env
        .cmd()
        .args(["scan", "--no-builtin-rules", "--rules"])
        .arg(&rules)
        .args(["-q", "--color", color, "."])
        .args(extra)
        .env("COLUMNS", columns)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    stdout(&out)
}

macro_rules! snapshot {
    ($name:expr, $text:expr) => {
        insta::with_settings!({filters => vec![
            (r"(?m)\d+\.\d\d s$", "[elapsed] s"),
            (r"\.tmp[A-Za-z0-9]{6}", "[tmpdir]"),
        ]}, {
            insta::assert_snapshot!($name, $text);
        });
    };
}

#[test]
fn terminal_view_snapshots() {
    let env = tree();
    for columns in ["80", "160"] {
        for color in ["never", "always"] {
            let text = view(&env, columns, color, &[]);
            let width: usize = columns.parse().unwrap();
            for line in text.lines() {
                let visible: String = strip_ansi(line);
                assert!(
                    visible.chars().count() <= width,
                    "{columns} columns: {visible:?}"
                );
            }
            snapshot!(format!("view_{columns}_{color}"), text);
        }
    }
}

#[test]
fn verbose_lists_every_place_and_the_plan() {
    let env = tree();
    let text = view(&env, "120", "never", &["--verbose"]);
    for i in 0..12 {
        assert!(
            text.contains(&format!("deploy/k8s/app-{i:02}.yaml:3:12")),
            "{text}"
        );
    }
    assert!(text.contains("  plan      1. revoke:"), "{text}");
    let short = view(&env, "120", "never", &[]);
    assert!(!short.contains("app-07.yaml"), "{short}");
    assert!(short.contains("(+10 more)"), "{short}");
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
