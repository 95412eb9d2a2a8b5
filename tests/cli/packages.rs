//! Packages (#19): `.deb` (ar, then compressed tars), `.rpm` (a cpio payload behind the lead
//! and headers), zip-structured packages (`.whl`, `.jar`, `.nupkg`, `.apk`, `.crx`) and
//! `docker save` images (layers in order, whiteouts named). Packages are generated here.

use serde_json::{Value, json};

use crate::compressed::{tar_of, xz, zst};
use crate::decode::{Row, T0, T1, T2, T3, gz, rows, scan, zip_of};
use crate::util::*;

fn at(secret: &str, place: &str, decoded: Value, context: Value) -> Row {
    (
        "test.token".into(),
        sha256(secret),
        place.into(),
        decoded,
        context,
    )
}

/// An `ar` archive (GNU style names, as `dpkg-deb` writes them).
fn ar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = b"!<arch>\n".to_vec();
    for (name, data) in files {
        let header = format!(
            "{:<16}{:<12}{:<6}{:<6}{:<8}{:<10}`\n",
            name,
            1_704_067_200,
            0,
            0,
            "100644",
            data.len()
        );
        assert_eq!(header.len(), 60);
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(b'\n');
        }
    }
    out
}

/// A cpio archive in the new ASCII format.
fn cpio_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let entries = files
        .iter()
        .map(|(n, d)| (*n, *d, 0o100644u32))
        .chain(std::iter::once(("TRAILER!!!", &b""[..], 0)));
    for (i, (name, data, mode)) in entries.enumerate() {
        let fields = [
            i as u32 + 1,
            mode,
            0,
            0,
            1,
            0,
            data.len() as u32,
            0,
            0,
            0,
            0,
            name.len() as u32 + 1,
            0,
        ];
        out.extend_from_slice(b"070701");
        for f in fields {
            out.extend_from_slice(format!("{f:08X}").as_bytes());
        }
        out.extend_from_slice(name.as_bytes());
        out.push(0);
        while out.len() % 4 != 0 {
            out.push(0);
        }
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    out
}

/// An RPM: a lead, an empty signature header, a one-tag header, then `payload`.
fn rpm_of(payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0xed, 0xab, 0xee, 0xdb, 3, 0];
    out.resize(96, 0);
    let header = |count: u32, data: &[u8]| -> Vec<u8> {
        let mut h = vec![0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0];
        h.extend_from_slice(&count.to_be_bytes());
        h.extend_from_slice(&(data.len() as u32).to_be_bytes());
        // One index entry: tag 1000 (name), type 6 (string), offset 0, count 1.
        for _ in 0..count {
            for word in [1000u32, 6, 0, 1] {
                h.extend_from_slice(&word.to_be_bytes());
            }
        }
        h.extend_from_slice(data);
        h
    };
    out.extend(header(0, b""));
    while out.len() % 8 != 0 {
        out.push(0);
    }
    out.extend(header(1, b"app\0"));
    out.extend_from_slice(payload);
    out
}

#[test]
fn deb_and_rpm_members_are_named_through_every_step() {
    let env = TestEnv::new();
    let control = xz(&tar_of(&[("./control", b"Package: app\nVersion: 1.0\n")]));
    let data = zst(&tar_of(&[(
        "./etc/app/app.env",
        format!("# app\nTOKEN={T0}\n").as_bytes(),
    )]));
    env.write(
        "dist/app_1.0_amd64.deb",
        ar_of(&[
            ("debian-binary", b"2.0\n"),
            ("control.tar.xz", &control),
            ("data.tar.zst", &data),
        ]),
    );
    let payload = gz(&cpio_of(&[
        ("./usr/share/doc/app/README", b"hello\n"),
        ("./etc/app/secret.env", format!("\nKEY={T1}\n").as_bytes()),
    ]));
    env.write("dist/app-1.0-1.x86_64.rpm", rpm_of(&payload));
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(
        rows(&doc),
        vec![
            at(
                T1,
                "dist/app-1.0-1.x86_64.rpm:2:5",
                json!(["rpm:etc/app/secret.env"]),
                json!("KEY")
            ),
            at(
                T0,
                "dist/app_1.0_amd64.deb:2:7",
                json!(["deb:data.tar.zst", "zst:data.tar", "tar:etc/app/app.env"]),
                json!("TOKEN")
            ),
        ]
    );
    assert_eq!(doc["issues"], json!([]));
}

#[test]
fn zip_structured_packages_are_opened() {
    let env = TestEnv::new();
    let py = format!("API = \"{T0}\"\n");
    env.write(
        "wheels/app-1.0-py3-none-any.whl",
        zip_of(&[("app/settings.py", py.as_bytes())]),
    );
    let props = format!("token={T1}\n");
    env.write(
        "lib/app.jar",
        zip_of(&[("META-INF/app.properties", props.as_bytes())]),
    );
    let json_cfg = format!("{{\"key\": \"{T2}\"}}\n");
    env.write(
        "app.apk",
        zip_of(&[("assets/config.json", json_cfg.as_bytes())]),
    );
    // A Chrome extension: `Cr24`, version 3, a header, then the zip.
    let mut crx = b"Cr24".to_vec();
    crx.extend_from_slice(&3u32.to_le_bytes());
    crx.extend_from_slice(&4u32.to_le_bytes());
    crx.extend_from_slice(b"\x0a\x02\x08\x01");
    let js = format!("const k = '{T3}';\n");
    crx.extend(zip_of(&[("background.js", js.as_bytes())]));
    env.write("ext.crx", crx);
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let got: Vec<(String, Value)> = rows(&json(&out)).into_iter().map(|r| (r.2, r.3)).collect();
    assert_eq!(
        got,
        vec![
            ("app.apk:1:10".into(), json!(["zip:assets/config.json"])),
            ("ext.crx:1:12".into(), json!(["zip:background.js"])),
            (
                "lib/app.jar:1:7".into(),
                json!(["zip:META-INF/app.properties"])
            ),
            (
                "wheels/app-1.0-py3-none-any.whl:1:8".into(),
                json!(["zip:app/settings.py"])
            ),
        ]
    );
}

#[test]
fn docker_save_layers_in_order_with_whiteouts_named() {
    let env = TestEnv::new();
    let a = "a".repeat(64);
    let b = "b".repeat(64);
    let base = tar_of(&[
        ("etc/app.env", format!("TOKEN={T0}\n").as_bytes()),
        ("opt/keep.env", format!("KEEP={T1}\n").as_bytes()),
    ]);
    // The second layer (OCI layout, gzipped) deletes etc/app.env and adds srv/new.env.
    let top = gz(&tar_of(&[
        ("etc/.wh.app.env", b""),
        ("srv/new.env", format!("NEW={T2}\n").as_bytes()),
    ]));
    let manifest = format!(
        "[{{\"Config\":\"cfg.json\",\"RepoTags\":[\"app:1\"],\"Layers\":[\"{a}/layer.tar\",\"blobs/sha256/{b}\"]}}]"
    );
    let config = format!("{{\"config\":{{\"Env\":[\"PATH=/bin\",\"SECRET={T3}\"]}}}}\n");
    env.write(
        "app-image.tar",
        tar_of(&[
            ("cfg.json", config.as_bytes()),
            (&format!("{a}/layer.tar"), &base),
            (&format!("blobs/sha256/{b}"), &top),
            ("manifest.json", manifest.as_bytes()),
        ]),
    );
    let out = scan(&env, &["-q", "."]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc = json(&out);
    let mut got: Vec<(String, Value, Value)> =
        rows(&doc).into_iter().map(|r| (r.2, r.3, r.4)).collect();
    got.sort_by_key(|r| r.1.to_string());
    assert_eq!(
        got,
        vec![
            // Deleted by the later layer, still in the image: named so.
            (
                "app-image.tar:1:7".into(),
                json!(["layer:aaaaaaaaaaaa/etc/app.env"]),
                json!("removed in layer bbbbbbbbbbbb > TOKEN")
            ),
            (
                "app-image.tar:1:6".into(),
                json!(["layer:aaaaaaaaaaaa/opt/keep.env"]),
                json!("KEEP")
            ),
            (
                "app-image.tar:1:5".into(),
                json!(["layer:bbbbbbbbbbbb/srv/new.env"]),
                json!("NEW")
            ),
            // The image config (`Env`) is an ordinary member.
            (
                "app-image.tar:1:39".into(),
                json!(["tar:cfg.json"]),
                Value::Null
            ),
        ]
    );
    assert_eq!(doc["issues"], json!([]));
}
