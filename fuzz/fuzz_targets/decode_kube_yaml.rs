//! Fuzz target: Kubernetes manifests and Helm values (multi-document YAML, Secret data base64), then the scan path. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    let _ = sprawl::source::decode::kube::decode(data, true);
    scan(data, "k8s/secret.yaml");
});
