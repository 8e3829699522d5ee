//! Arbitrary bytes as a template named `fuzz.json`. Nothing is prefixed: the loader takes
//! the JSON path when the text starts with `{`, so a corpus of JSON templates keeps the
//! fuzzer on that path.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    common::run("fuzz.json", data);
});
