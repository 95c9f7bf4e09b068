//! weft: a WebAssembly interpreter built as a testbed for interpreter dispatch.
//!
//! The embedding API follows wasmtime's shape: an [`Engine`] with a [`Config`] (which
//! executor runs, which IR it runs, stack limits), [`Module`]s compiled for it, a
//! [`Store`] that owns instances and their entities, a [`Linker`] that resolves imports,
//! and [`Func`] / [`TypedFunc`] to call in.
//!
//! ```
//! use weft::{Config, Engine, Linker, Module, Store};
//!
//! let engine = Engine::new(Config::new().executor_name("loop-switch")?);
//! let module = Module::new(&engine, r#"(module
//!     (func $fib (export "fib") (param i64) (result i64)
//!       (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
//!         (then (local.get 0))
//!         (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
//!                        (call $fib (i64.sub (local.get 0) (i64.const 2))))))))"#)?;
//! let mut store = Store::new(&engine, ());
//! let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
//! let fib = instance.get_typed_func::<i64, i64>(&store, "fib")?;
//! assert_eq!(fib.call(&mut store, 20)?, 6765);
//! # Ok::<(), weft::Error>(())
//! ```

mod config;
mod engine;
mod error;
mod func;
mod global;
mod handle;
mod instance;
mod linker;
mod memory;
mod module;
mod store;
mod table;
mod values;
#[cfg(feature = "wasi")]
pub mod wasi;
#[cfg(feature = "wast")]
pub mod wast;

pub use config::{CompilationMode, Config, Executor, IrKind};
pub use engine::Engine;
pub use error::{Error, Result, Trap, TrapCode};
pub use func::{Func, HostReturn, IntoFunc, TypedFunc, WasmParams, WasmResults, WasmTy};
pub use global::Global;
pub use instance::{Extern, Instance};
pub use linker::Linker;
pub use memory::Memory;
pub use module::{
    ExportType, ExternType, FuncType, GlobalType, ImportType, Limits, MemoryType, Module,
    TableType, ValType,
};
pub use store::{AsContext, AsContextMut, Caller, Store};
pub use table::Table;
pub use values::{ExternRef, Val};
pub use weft_dispatch::limits::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};
pub use weft_ir::SUPPORTED_PROPOSALS;

/// The README's examples, compiled and run as doctests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
