//! Fuzz target: line-oriented system files (shadow, gshadow, PgBouncer userlist, Postfix sasl_passwd, OpenVPN credentials, fstab), then the scan path under each file name. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    use sprawl::source::decode::linecfg::{self, Kind};
    for kind in [Kind::Shadow, Kind::Gshadow, Kind::PgbouncerUserlist, Kind::SaslPasswd, Kind::Openvpn, Kind::Fstab] {
        let _ = linecfg::decode(data, kind);
    }
    let names = ["etc/shadow", "etc/gshadow", "userlist.txt", "sasl_passwd", "openvpn/auth.txt", "etc/fstab"];
    scan(data, names[data.first().map_or(0, |b| *b as usize) % names.len()]);
});
