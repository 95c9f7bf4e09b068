//! The work behind each program workload, as plain Rust so that the same code runs natively
//! (to compute the expected checksums) and as Wasm (the workload itself).
//!
//! Every program is `fn run(n: i32) -> i64`: `n` scales the work, the result is a checksum
//! of everything the program produced. A failed self-check panics, which with
//! `panic = "abort"` is a Wasm trap rather than a wrong-but-plausible checksum.

pub mod checksum;
pub mod generate;

#[cfg(feature = "json")]
pub mod json_roundtrip;
#[cfg(feature = "markdown")]
pub mod markdown_render;
#[cfg(feature = "miniz")]
pub mod miniz_roundtrip;
#[cfg(feature = "nbody")]
pub mod nbody;
#[cfg(feature = "regex")]
pub mod regex_count;
#[cfg(feature = "sha2")]
pub mod sha2_chain;

/// A program workload: its name (also the .wasm file stem) and its two standard sizes.
pub struct Program {
    pub name: &'static str,
    pub run: fn(i32) -> i64,
    /// Benchmark size: about 0.3 s on wasmi 2.0 (eager) on a 2020s x86-64 core, a few to
    /// twenty milliseconds natively.
    pub full: i32,
    /// Test size: fast even on a slow interpreter in a debug build.
    pub quick: i32,
}

/// Every program, in manifest order. The sizes live here so the manifest is generated from
/// the same table the native checksum run uses.
#[cfg(feature = "all")]
pub const PROGRAMS: &[Program] = &[
    Program {
        name: "sha2",
        run: sha2_chain::run,
        full: 112,
        quick: 1,
    },
    Program {
        name: "miniz",
        run: miniz_roundtrip::run,
        full: 160,
        quick: 2,
    },
    Program {
        name: "markdown",
        run: markdown_render::run,
        full: 320,
        quick: 4,
    },
    Program {
        name: "json",
        run: json_roundtrip::run,
        full: 1000,
        quick: 4,
    },
    Program {
        name: "regex",
        run: regex_count::run,
        full: 1400,
        quick: 8,
    },
    Program {
        name: "nbody",
        run: nbody::run,
        full: 180_000,
        quick: 100,
    },
];
