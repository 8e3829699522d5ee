//! Arbitrary bytes as Terraform JSON syntax `fuzz.tf.json` (what CDK for Terraform writes),
//! loaded as a root module of its own.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::run_terraform("fuzz.tf.json", data);
});
