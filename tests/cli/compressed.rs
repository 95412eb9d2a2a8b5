//! Compressed streams (#19): xz, lzma, bzip2 and zstd, alone and around a tar, recognised by
//! their magic bytes; each one's bomb is cut at `--max-decompressed-size` with one warning and
//! the scan goes on. Archives are generated here.

use std::io::Write;

use serde_json::{Value, json};

use crate::decode::{Row, T0, T1, T2, T3, rows, scan};
use crate::util::*;

pub(crate) fn xz(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    lzma_rs::xz_compress(&mut &data[..], &mut out).unwrap();
    out
}

fn lzma(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    lzma_rs::lzma_compress(&mut &data[..], &mut out).unwrap();
    out
}

fn bz2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub(crate) fn zst(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// A tar of `files` (mode 0644, fixed mtime).
pub(crate) fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_mtime(1_704_067_200);
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

fn plain(secret: &str, place: &str, decoded: Value, context: &str) -> Row {
    (
        "test.token".into(),
        sha256(secret),
        place.into(),
        decoded,
        json!(context),
    )
}

#[test]
fn compressed_tars_and_streams_name_each_step() {
    let env = TestEnv::new();
    let tar = |secret: &str| tar_of(&[("app/.env", format!("# c\nTOKEN={secret}\n").as_bytes())]);
    env.write("release.tar.xz", xz(&tar(T0)));
    env.write("release.tbz2", bz2(&tar(T1)));
    env.write("release.tar.zst", zst(&tar(T2)));
    env.write("dump/creds.env.lzma", lzma(format!("K={T3}\n").as_bytes()));
    // Named for what it is not: recognised by content.
    env.write("blob.bin", xz(format!("K={T3}\n").as_bytes()));
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            (
                "test.token".into(),
                sha256(T3),
                "blob.bin:1:3".into(),
                json!(["xz:blob.bin"]),
                Value::Null
            ),
            plain(
                T3,
                "dump/creds.env.lzma:1:3",
                json!(["lzma:creds.env"]),
                "K"
            ),
            plain(
                T0,
                "release.tar.xz:2:7",
                json!(["xz:release.tar", "tar:app/.env"]),
                "TOKEN"
            ),
            plain(
                T2,
                "release.tar.zst:2:7",
                json!(["zst:release.tar", "tar:app/.env"]),
                "TOKEN"
            ),
            plain(
                T1,
                "release.tbz2:2:7",
                json!(["bz2:release.tar", "tar:app/.env"]),
                "TOKEN"
            ),
        ]
    );
    assert_eq!(doc["issues"], json!([]));
    assert_eq!(doc["summary"]["skipped"]["binary"], 0);
}

#[test]
fn a_compressed_tar_counts_as_one_archive() {
    // zip > tar.xz > member: two archives deep, within --max-archive-depth 2.
    let env = TestEnv::new();
    let inner = xz(&tar_of(&[("p.env", format!("A={T0}\n").as_bytes())]));
    env.write("bundle.zip", crate::decode::zip_of(&[("r.tar.xz", &inner)]));
    let out = scan(&env, &["-q", "--max-archive-depth", "2", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got: Vec<Value> = rows(&json(&out)).into_iter().map(|r| r.3).collect();
    assert_eq!(got, vec![json!(["zip:r.tar.xz", "xz:r.tar", "tar:p.env"])]);
}

#[test]
fn each_compressor_bomb_is_cut_at_the_cap_and_the_scan_goes_on() {
    // 4 MiB of zeros compress to little; the cap is 1 MiB; the token sits past it.
    let mut bomb = vec![b'0'; 4 << 20];
    bomb.extend_from_slice(format!("\nTOKEN={T0}\n").as_bytes());
    let first = format!("X={T1}\n");
    for (name, packed) in [
        ("bomb.xz", xz(&[first.as_bytes(), &bomb].concat())),
        ("bomb.bz2", bz2(&[first.as_bytes(), &bomb].concat())),
        ("bomb.zst", zst(&[first.as_bytes(), &bomb].concat())),
        ("bomb.lzma", lzma(&[first.as_bytes(), &bomb].concat())),
    ] {
        let env = TestEnv::new();
        env.write(name, packed);
        env.write("next.env", format!("Z={T2}\n"));
        let out = scan(&env, &["--max-decompressed-size", "1MiB", "."]);
        // Partial (issue 20): what lies past the cap was not scanned.
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        let doc = json(&out);
        let found: Vec<String> = rows(&doc).into_iter().map(|r| r.2).collect();
        // What came before the cap is scanned, and so is the next file.
        assert_eq!(
            found,
            vec![format!("{name}:1:3"), "next.env:1:3".into()],
            "{name}"
        );
        assert_eq!(
            doc["issues"],
            json!([{"kind": "truncated", "path": name, "reason":
                "decompressed size cap (1048576 bytes) reached; rest of the archive skipped (raise it with --max-decompressed-size)"}]),
            "{name}"
        );
        assert_eq!(
            stderr(&out).matches("warning:").count(),
            1,
            "{name}: {}",
            stderr(&out)
        );
    }
}

/// Streams decode block by block: a truncated file still gives the blocks before the cut
/// (gzip, bzip2, zstd; lzma-rs hands xz output over only at the end, so a cut xz gives none).
#[test]
fn a_truncated_stream_is_one_warning_and_what_decoded_is_scanned() {
    let mut text = format!("A={T0}\n").into_bytes();
    // Incompressible filler over several blocks, so the cut lands well after the token.
    let mut x: u32 = 1;
    for _ in 0..1_000_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        text.push(b'a' + (x >> 16) as u8 % 26);
    }
    for (name, packed, label, found) in [
        ("cut.gz", crate::decode::gz(&text), "gzip", true),
        ("cut.bz2", bz2(&text), "bzip2", true),
        ("cut.zst", zst(&text), "zstd", true),
        ("cut.xz", xz(&text), "xz", false),
    ] {
        let env = TestEnv::new();
        env.write(name, &packed[..packed.len() - 2000]);
        env.write("next.env", format!("Z={T2}\n"));
        let out = scan(&env, &["."]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let doc = json(&out);
        let got: Vec<String> = rows(&doc).into_iter().map(|r| r.2).collect();
        let mut want = vec!["next.env:1:3".to_string()];
        if found {
            want.insert(0, format!("{name}:1:3"));
        }
        assert_eq!(got, want, "{name}");
        let issues = doc["issues"].as_array().unwrap();
        assert_eq!(issues.len(), 1, "{name}: {issues:?}");
        assert_eq!(issues[0]["kind"], "malformed");
        let reason = issues[0]["reason"].as_str().unwrap();
        assert!(
            reason.starts_with(&format!("corrupt {label} stream: ")),
            "{reason}"
        );
    }
}
