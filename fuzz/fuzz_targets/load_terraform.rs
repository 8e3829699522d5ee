//! Arbitrary bytes as a Terraform file `fuzz.tf`, loaded as a root module of its own.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::run_terraform("fuzz.tf", data);
});
