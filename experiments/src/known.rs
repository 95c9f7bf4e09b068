//! Peer bugs that stop a workload. The runner shows each as "cannot run: <reason>" in its
//! tables and the tests skip them; neither runs them, because some abort the process.
//! See workloads/README.md for how each was pinned down.

/// (engine name, workload id prefix, why).
pub const KNOWN_FAILURES: &[(&str, &str, &str)] = &[(
    "stitch",
    "programs/",
    "makepad-stitch 0.1.0: memory.grow in a callee leaves the caller's memory size in pages, \
     not bytes (MemAccessOutOfBounds in every program that allocates), and its compiler \
     panics (compile.rs:187, abort) on miniz, markdown, json and regex",
)];

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
        _ => "known peer bug",
    })
}
