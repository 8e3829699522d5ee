//! Arbitrary bytes as a template named `fuzz.yaml` (YAML, or JSON when it starts with `{`).
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::run("fuzz.yaml", data);
});
