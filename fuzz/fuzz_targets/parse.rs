//! `cargo fuzz run parse`: see `fuzz_targets::parse` in tests/fuzz_targets/mod.rs.
#![no_main]

// The differential harness and the target bodies, shared with `cargo test`.
#[path = "../../tests/differential.rs"]
#[allow(dead_code)]
mod differential;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    differential::fuzz_targets::parse(data);
});
