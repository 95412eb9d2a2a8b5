//! Fuzz target: binary credential stores: PKCS#12 / JKS / JCEKS structure reading, their identity (entry names, X.509 subject) and DBeaver credentials decryption, then the scan path (binary files a decoder reads must reach it). Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fn keystore_rule() -> &'static sprawl::rules::Rule {
    static R: OnceLock<sprawl::rules::Rule> = OnceLock::new();
    R.get_or_init(|| {
        let rules = sprawl::rules::builtin().expect("built-in rules load");
        rules.into_iter().find(|r| r.id == "keystore.pkcs12").expect("keystore.pkcs12")
    })
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
