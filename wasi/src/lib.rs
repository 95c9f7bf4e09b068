//! WASI preview1 (`wasi_snapshot_preview1`) for an interpreter that hands its host
//! functions raw Wasm values and its linear memory as a byte slice.
//!
//! The system interface itself is wasmtime's `wasi-common` (its `sync` implementation over
//! cap-std, which is what sandboxes paths to the preopened directories); the ABI glue
//! (pointer checks, errno encoding) is what `wiggle` generates for it. This crate only
//! adapts that generated code to an engine-neutral calling convention: each function of
//! [`functions()`] takes its arguments as raw `u64` cells and the memory as `&mut [u8]`.
//!
//! It does not depend on weft itself: weft's `wasi` feature depends on this crate and
//! links [`functions()`] into a `weft::Linker` (see `weft::wasi`), so the CLI, which lives
//! in the `weft` package, can use it without a dependency cycle.

mod functions;

pub use functions::{functions, HostFn, ValKind};
pub use wasi_common::sync::{ambient_authority, Dir, WasiCtxBuilder};
pub use wasi_common::{pipe, I32Exit, WasiCtx, WasiFile};

/// The import module name of WASI preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// Why a WASI call did not return normally: [`I32Exit`] for `proc_exit`, or a
/// [`WasiTrap`]. Downcast it (`err.downcast_ref::<I32Exit>()`) to tell them apart.
pub type CallError = Box<dyn std::error::Error + Send + Sync>;

/// A WASI call that must stop the program without an exit status: wasi-common's traps
/// (say, `proc_exit` with a status outside `0..126`), or a call that cannot be made at all
/// (no exported memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WasiTrap {
    /// The function that failed.
    pub function: &'static str,
    /// What happened.
    pub message: String,
}

impl std::fmt::Display for WasiTrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WASI `{}`: {}", self.function, self.message)
    }
}

impl std::error::Error for WasiTrap {}

/// The exit status in `err`, if it is (or wraps) a `proc_exit`.
pub fn exit_status(err: &(dyn std::error::Error + 'static)) -> Option<i32> {
    let mut cur = Some(err);
    while let Some(e) = cur {
        if let Some(exit) = e.downcast_ref::<I32Exit>() {
            return Some(exit.0);
        }
        cur = e.source();
    }
    None
}
