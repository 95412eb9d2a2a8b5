//! 7z archives (#19): solid and non-solid, recognised by their signature whatever the name;
//! member paths in the decode chain; the member cap and the byte budget cut with one warning and
//! the scan goes on; truncated, corrupt and encrypted archives are one issue each. Archives are
//! generated here with sevenz-rust2's writer (LZMA2, fixed content, no timestamps).

use std::io::Cursor;

use serde_json::{Value, json};
use sevenz_rust2::encoder_options::AesEncoderOptions;
use sevenz_rust2::{ArchiveEntry, ArchiveWriter, EncoderMethod, Password, SourceReader};

use crate::decode::{T0, T1, T2, T3, rows, scan};
use crate::util::*;

/// A 7z of `files`: one solid block when `solid`, else one block per member.
pub(crate) fn sevenz_of(files: &[(&str, &[u8])], solid: bool) -> Vec<u8> {
    let mut w = ArchiveWriter::new(Cursor::new(Vec::new())).unwrap();
    if solid {
        let entries = files
            .iter()
            .map(|(n, _)| ArchiveEntry::new_file(n))
            .collect();
        let readers = files.iter().map(|(_, d)| SourceReader::new(*d)).collect();
        w.push_archive_entries(entries, readers).unwrap();
    } else {
        for (name, data) in files {
            w.push_archive_entry(ArchiveEntry::new_file(name), Some(*data))
                .unwrap();
        }
    }
    w.finish().unwrap().into_inner()
}

/// A 7z of `files` encrypted with AES-256 (the file list too when `header`).
fn encrypted_7z(files: &[(&str, &[u8])], header: bool) -> Vec<u8> {
    let mut w = ArchiveWriter::new(Cursor::new(Vec::new())).unwrap();
    w.set_content_methods(vec![
        AesEncoderOptions::new(Password::new("fixture-only")).into(),
        EncoderMethod::LZMA2.into(),
    ]);
    w.set_encrypt_header(header);
    for (name, data) in files {
        w.push_archive_entry(ArchiveEntry::new_file(name), Some(*data))
            .unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn seven_zip_members_name_their_path_in_the_chain() {
    let env = TestEnv::new();
    let env_file = format!("# app\nTOKEN={T0}\n");
    let notes = format!("line one\nline two\n  K={T1}\n");
    env.write(
        "release.7z",
        sevenz_of(
            &[
                ("app/.env", env_file.as_bytes()),
                ("docs/notes.txt", notes.as_bytes()),
            ],
            true,
        ),
    );
    // Not solid, and named for what it is not: recognised by its signature.
    env.write(
        "backup.bin",
        sevenz_of(&[("etc/creds.env", format!("K={T2}\n").as_bytes())], false),
    );
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let row = |secret: &str, place: &str, step: &str, context: Value| {
        (
            "test.token".to_string(),
            sha256(secret),
            place.to_string(),
            json!([step]),
            context,
        )
    };
    assert_eq!(
        rows(&doc),
        vec![
            row(T2, "backup.bin:1:3", "7z:etc/creds.env", json!("K")),
            row(T0, "release.7z:2:7", "7z:app/.env", json!("TOKEN")),
            // A .txt member is text, not a dotenv file: no assignment context.
            row(T1, "release.7z:3:5", "7z:docs/notes.txt", Value::Null),
        ]
    );
    assert_eq!(doc["issues"], json!([]));
    assert_eq!(doc["summary"]["skipped"]["binary"], 0);
}

#[test]
fn seven_zip_member_cap_and_budget_cut_with_one_warning() {
    let three: Vec<(String, String)> = [T0, T1, T2]
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("m{i}.env"), format!("A={t}\n")))
        .collect();
    let files: Vec<(&str, &[u8])> = three
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_bytes()))
        .collect();
    for solid in [true, false] {
        let env = TestEnv::new();
        env.write("many.7z", sevenz_of(&files, solid));
        env.write("next.env", format!("Z={T3}\n"));
        let out = scan(&env, &["--max-archive-members", "1", "."]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let doc = json(&out);
        let got: Vec<(String, Value)> = rows(&doc).into_iter().map(|r| (r.2, r.3)).collect();
        assert_eq!(
            got,
            vec![
                ("many.7z:1:3".into(), json!(["7z:m0.env"])),
                ("next.env:1:3".into(), Value::Null)
            ],
            "solid {solid}"
        );
        assert_eq!(
            doc["issues"],
            json!([{"kind": "truncated", "path": "many.7z",
                "reason": "member cap (1) reached; 2 more members skipped"}])
        );
        assert_eq!(
            stderr(&out).matches("warning:").count(),
            1,
            "{}",
            stderr(&out)
        );
    }
    // A bomb: 4 MiB of zeros packs to little; the cap is 1 MiB and the token lies past it.
    let mut bomb = format!("X={T0}\n").into_bytes();
    bomb.extend(std::iter::repeat_n(b'0', 4 << 20));
    bomb.extend_from_slice(format!("\nTOKEN={T1}\n").as_bytes());
    let after = format!("B={T2}\n");
    let env = TestEnv::new();
    env.write(
        "bomb.7z",
        sevenz_of(
            &[("bomb.txt", &bomb), ("after.env", after.as_bytes())],
            true,
        ),
    );
    env.write("next.env", format!("Z={T3}\n"));
    let out = scan(&env, &["--max-decompressed-size", "1MiB", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let doc = json(&out);
    let found: Vec<String> = rows(&doc).into_iter().map(|r| r.2).collect();
    assert_eq!(
        found,
        vec!["bomb.7z:1:3".to_string(), "next.env:1:3".into()]
    );
    assert_eq!(
        doc["issues"],
        json!([{"kind": "truncated", "path": "bomb.7z", "reason":
            "decompressed size cap (1048576 bytes) reached; rest of the archive skipped (raise it with --max-decompressed-size)"}])
    );
    assert_eq!(
        stderr(&out).matches("warning:").count(),
        1,
        "{}",
        stderr(&out)
    );
}

#[test]
fn truncated_corrupt_and_encrypted_7z_are_one_issue_each() {
    let text = format!("A={T0}\n");
    let good = sevenz_of(&[("a.env", text.as_bytes())], false);
    // The header sits at the end: a cut archive has none.
    let cut = good[..good.len() - 10].to_vec();
    // A flipped byte inside the packed member: its checksum fails.
    let mut flipped = good.clone();
    flipped[34] ^= 0x55;
    let cases: [(&str, Vec<u8>, &str, &str); 4] = [
        ("cut.7z", cut, "malformed", "corrupt 7z archive: "),
        (
            "flipped.7z",
            flipped,
            "malformed",
            "7z:a.env: corrupt block: ",
        ),
        (
            "locked.7z",
            encrypted_7z(&[("a.env", text.as_bytes())], true),
            "encrypted",
            "encrypted 7z archive (its file list is encrypted) not scanned",
        ),
        (
            "members.7z",
            encrypted_7z(&[("a.env", text.as_bytes())], false),
            "encrypted",
            "7z:a.env: encrypted member skipped",
        ),
    ];
    for (name, data, kind, reason) in cases {
        let env = TestEnv::new();
        env.write(name, data);
        env.write("next.env", format!("Z={T2}\n"));
        let out = scan(&env, &["."]);
        let doc = json(&out);
        let got: Vec<String> = rows(&doc).into_iter().map(|r| r.2).collect();
        assert!(got.contains(&"next.env:1:3".to_string()), "{name}: {got:?}");
        let issues = doc["issues"].as_array().unwrap();
        assert_eq!(issues.len(), 1, "{name}: {issues:?}");
        assert_eq!(issues[0]["kind"], kind, "{name}");
        assert_eq!(issues[0]["path"], name);
        let got_reason = issues[0]["reason"].as_str().unwrap();
        assert!(got_reason.starts_with(reason), "{name}: {got_reason}");
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}
