//! WASI preview1 for weft (cargo feature `wasi`): wasmtime's `wasi-common` through the
//! engine-neutral adapter in the `weft-wasi` crate.
//!
//! ```
//! use weft::wasi::{WasiCtx, WasiCtxBuilder};
//! use weft::{Engine, Linker, Module, Store};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, r#"(module
//!     (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
//!     (memory (export "memory") 1)
//!     (func (export "_start") (call $exit (i32.const 3))))"#)?;
//! let mut linker: Linker<WasiCtx> = Linker::new(&engine);
//! weft::wasi::add_to_linker(&mut linker, |cx| cx)?;
//! let mut store = Store::new(&engine, WasiCtxBuilder::new().inherit_stdio().build());
//! let instance = linker.instantiate(&mut store, &module)?;
//! let start = instance.get_typed_func::<(), ()>(&store, "_start")?;
//! let err = start.call(&mut store, ()).unwrap_err();
//! assert_eq!(weft::wasi::exit_code(&err), Some(3));
//! # Ok::<(), weft::Error>(())
//! ```

use crate::{Error, Extern, Linker, Result, Val, ValType};
use weft_ir::FuncType;
pub use weft_wasi::{
    ambient_authority, pipe, Dir, I32Exit, WasiCtx, WasiCtxBuilder, WasiFile, WasiTrap, MODULE,
};

/// Defines every WASI preview1 function in `linker` under `wasi_snapshot_preview1`.
/// `get_cx` finds the [`WasiCtx`] in the store's data. The functions use the calling
/// instance's exported memory `memory`, as WASI requires.
///
/// `proc_exit` ends the call with an error carrying [`I32Exit`]; [`exit_code`] reads it.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get_cx: impl Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
) -> Result<()> {
    for f in weft_wasi::functions() {
        let ty = FuncType::new(
            f.params.iter().map(|&k| val_type(k)),
            f.results.iter().map(|&k| val_type(k)),
        );
        linker.func_new(MODULE, f.name, ty, move |mut caller, args, results| {
            let memory = caller
                .get_export("memory")
                .and_then(Extern::into_memory)
                .ok_or_else(|| {
                    Error::Host(Box::new(WasiTrap {
                        function: f.name,
                        message: "the module exports no memory named `memory`".into(),
                    }))
                })?;
            // The linker checked the signature, so every argument is an i32 or i64.
            let cells: Vec<u64> = args
                .iter()
                .map(|v| match *v {
                    Val::I32(x) => u64::from(x as u32),
                    Val::I64(x) => x as u64,
                    _ => 0,
                })
                .collect();
            let (bytes, data) = memory.data_and_store_mut(&mut caller)?;
            let out = f.call(get_cx(data), bytes, &cells).map_err(Error::Host)?;
            if let (Some(errno), Some(slot)) = (out, results.first_mut()) {
                *slot = Val::I32(errno as u32 as i32);
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn val_type(k: weft_wasi::ValKind) -> ValType {
    match k {
        weft_wasi::ValKind::I32 => ValType::I32,
        weft_wasi::ValKind::I64 => ValType::I64,
    }
}

/// The status the program passed to `proc_exit`, if `err` is that exit.
pub fn exit_code(err: &Error) -> Option<i32> {
    match err {
        Error::Host(e) => weft_wasi::exit_status(&**e),
        _ => None,
    }
}

/// Whether `module` imports anything from WASI preview1.
pub fn imports_wasi(module: &crate::Module) -> bool {
    module.imports().any(|i| i.module == MODULE)
}
