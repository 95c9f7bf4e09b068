//! Peer bugs that stop a workload. The runner shows each as "cannot run: <reason>" in its
//! tables and the tests skip them; neither runs them, because some abort the process.
//! See workloads/README.md for how each was pinned down.

/// (engine name, workload id prefix, why).
pub const KNOWN_FAILURES: &[(&str, &str, &str)] = &[
    (
        "stitch",
        "programs/",
        "makepad-stitch 0.1.0: memory.grow in a callee leaves the caller's memory size in pages, \
         not bytes (MemAccessOutOfBounds in every program that allocates), and its compiler \
         panics (compile.rs:187, abort) on miniz, markdown, json and regex",
    ),
    ("wasm3", "programs/sha2", WASM3_BULK_MEMORY),
    ("wasm3", "programs/miniz", WASM3_BULK_MEMORY),
    ("wasm3", "programs/markdown", WASM3_BULK_MEMORY),
    ("wasm3", "programs/json", WASM3_BULK_MEMORY),
    ("wasm3", "programs/regex", WASM3_BULK_MEMORY),
];

/// sha2, miniz, markdown, json and regex each reach a `memory.copy` (rustc's default wasm32
/// target features include bulk memory) and crash wasm3's compiler there, killing the
/// process (checked under gdb); nbody and every micro workload run on wasm3.
const WASM3_BULK_MEMORY: &str =
    "wasm3 0.3.1 (wasm3 C 0.4.7): no bulk-memory ops; its compiler looks up 0xFC 0x0A \
     (memory.copy) past the end of its 0xFC opcode table (saturating truncations only) and \
     calls a garbage pointer (SIGSEGV in Compile_BlockStatements, m3_compile.c:2182)";

/// Why `engine` cannot run `workload` (an id such as `programs/json`), if it is known not to.
pub fn known_failure(engine: &str, workload: &str) -> Option<&'static str> {
    KNOWN_FAILURES
        .iter()
        .find(|(e, w, _)| engine == *e && workload.starts_with(w))
        .map(|(_, _, why)| *why)
}

/// A short form of [`known_failure`]'s reason for table cells.
pub fn short_reason(engine: &str, workload: &str) -> Option<&'static str> {
    known_failure(engine, workload)?;
    Some(match engine {
        "stitch" => "Stitch 0.1.0 bugs (see note)",
        "wasm3" => "wasm3 0.3.1: no bulk memory (see note)",
        _ => "known peer bug",
    })
}
