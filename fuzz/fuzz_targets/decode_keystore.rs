//! Fuzz target: binary credential stores: PKCS#12 / JKS / JCEKS structure reading, their identity (entry names, X.509 subject) and DBeaver credentials decryption, then the scan path (binary files a decoder reads must reach it). Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sprawl::detect::{Detector, Scratch};
use sprawl::scan::{Counters, Engine};
use sprawl::source::decode::Limits;
use sprawl::source::{Location, SourceKind};

fn keystore_rule() -> &'static sprawl::rules::Rule {
    static R: OnceLock<sprawl::rules::Rule> = OnceLock::new();
    R.get_or_init(|| {
        let rules = sprawl::rules::builtin().expect("built-in rules load");
        rules.into_iter().find(|r| r.id == "keystore.pkcs12").expect("keystore.pkcs12")
    })
}

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(|| Detector::new(sprawl::rules::builtin().expect("built-in rules load")))
}

/// The whole path: format chosen by `name`, decoders, recursion, caps, position mapping.
fn scan(data: &[u8], name: &str) {
    let stats = Counters::default();
    let mut engine = Engine::new(detector(), &stats);
    // Small caps keep each run fast; the caps themselves are what is being exercised.
    engine.limits = Limits {
        max_decompressed: 8 << 20,
        max_members: 256,
        ..Limits::default()
    };
    let origin = Location::input("fuzz", name, SourceKind::File);
    let mut scratch = Scratch::default();
    for hit in engine.scan_bytes(data, &origin, &mut scratch) {
        assert!(hit.location.line >= 1 && hit.location.column >= 1);
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = sprawl::source::decode::keystore::sniff(data);
    let _ = sprawl::source::decode::keystore::decode(data);
    let _ = sprawl::source::decode::dbeaver::decode(data);
    let text = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, data);
    let _ = sprawl::detect::identity::identity(keystore_rule(), text.as_bytes(), &[], None);
    let names = ["store.p12", ".dbeaver/credentials-config.json", ""];
    scan(data, names[data.first().map_or(0, |b| *b as usize) % names.len()]);
});
