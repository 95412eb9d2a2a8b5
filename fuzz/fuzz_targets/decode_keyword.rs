//! Fuzz target: keyword-value configs (esmtp, msmtp, mutt, fetchmail, Redis, wpa_supplicant): the tokenizer, blocks and ACL rules, then the scan path under each file name. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    use sprawl::source::decode::keyword::{self, Kind};
    for kind in [Kind::Esmtp, Kind::Msmtp, Kind::Mutt, Kind::Fetchmail, Kind::Redis, Kind::WpaSupplicant] {
        let _ = keyword::decode(data, kind);
    }
    let names = [".esmtprc", ".msmtprc", ".muttrc", ".fetchmailrc", "redis.conf", "wpa_supplicant.conf"];
    scan(data, names[data.first().map_or(0, |b| *b as usize) % names.len()]);
});
