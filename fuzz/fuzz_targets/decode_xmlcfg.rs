//! Fuzz target: XML client and server configs (FileZilla, JetBrains, Maven, NuGet, .NET, Tomcat): the XML reader, entity unescaping, base64 and PasswordUtil decoding, connection-string parsing, then the scan path under each file name. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    use sprawl::source::decode::xmlcfg::{self, Kind};
    let _ = sprawl::source::decode::xml::parse(data);
    for kind in [Kind::FileZilla, Kind::JetBrains, Kind::Maven, Kind::NuGet, Kind::DotnetConfig, Kind::Tomcat] {
        let _ = xmlcfg::decode(data, kind);
    }
    let names = ["sitemanager.xml", ".idea/webServers.xml", "settings.xml", "NuGet.Config", "web.config", "tomcat-users.xml"];
    scan(data, names[data.first().map_or(0, |b| *b as usize) % names.len()]);
});
