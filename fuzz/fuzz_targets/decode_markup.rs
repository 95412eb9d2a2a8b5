//! Fuzz target: HTML and Markdown read as text (tags dropped, entities decoded, table cells under a password header handed to the field rules), then the scan path as a page and as a Markdown file. Must never panic, hang or exceed the caps, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
mod common;

use common::scan;

fuzz_target!(|data: &[u8]| {
    let _ = sprawl::source::decode::markup::html(data);
    let _ = sprawl::source::decode::markup::markdown(data);
    scan(data, "page.html");
    scan(data, "README.md");
});
