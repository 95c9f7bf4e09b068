//! The table of preview1 functions: name, Wasm signature, and a call that forwards raw
//! cells to the function `wiggle` generated for wasi-common.
//!
//! Each entry is written once, with its Wasm-level parameter types; a wrong type or count
//! does not compile, because the generated functions are typed.

use crate::{CallError, WasiTrap};
use wasi_common::snapshots::preview_1::wasi_snapshot_preview1 as p1;
use wasi_common::{I32Exit, WasiCtx};
use wiggle::GuestMemory;

/// A Wasm value type in a WASI signature (preview1 uses only these two).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValKind {
    /// `i32`
    I32,
    /// `i64`
    I64,
}

type CallFn = fn(&mut WasiCtx, &mut [u8], &[u64]) -> wiggle::error::Result<Option<u64>>;

/// One WASI preview1 function.
pub struct HostFn {
    /// Its import name in [`MODULE`](crate::MODULE).
    pub name: &'static str,
    /// Its Wasm parameter types.
    pub params: &'static [ValKind],
    /// Its Wasm result types (one `i32` errno, or none for `proc_exit`).
    pub results: &'static [ValKind],
    call: CallFn,
}

impl HostFn {
    /// Runs the function on `ctx`, with the guest's linear `memory` and the raw argument
    /// cells `args` (`i32`s zero-extended or not: only the low 32 bits are read). Returns
    /// the raw result cells. A WASI error is an errno result, not an `Err`; `Err` is
    /// `proc_exit` ([`I32Exit`]) or a [`WasiTrap`].
    pub fn call(
        &self,
        ctx: &mut WasiCtx,
        memory: &mut [u8],
        args: &[u64],
    ) -> Result<Option<u64>, CallError> {
        if args.len() != self.params.len() {
            return Err(Box::new(WasiTrap {
                function: self.name,
                message: format!(
                    "called with {} arguments; it takes {}",
                    args.len(),
                    self.params.len()
                ),
            }));
        }
        (self.call)(ctx, memory, args).map_err(|e| match e.downcast::<I32Exit>() {
            Ok(exit) => Box::new(exit) as CallError,
            Err(e) => Box::new(WasiTrap {
                function: self.name,
                // `{:#}` keeps the whole context chain on one line.
                message: format!("{e:#}"),
            }),
        })
    }
}

impl std::fmt::Debug for HostFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostFn")
            .field("name", &self.name)
            .field("params", &self.params)
            .field("results", &self.results)
            .finish()
    }
}

/// Converts a raw cell to a typed Wasm argument (the generated functions take `i32`/`i64`).
trait FromCell {
    const KIND: ValKind;
    fn from_cell(c: u64) -> Self;
}

impl FromCell for i32 {
    const KIND: ValKind = ValKind::I32;
    fn from_cell(c: u64) -> Self {
        c as u32 as i32
    }
}

impl FromCell for i64 {
    const KIND: ValKind = ValKind::I64;
    fn from_cell(c: u64) -> Self {
        c as i64
    }
}

/// Converts a generated function's result (an errno `i32`, or `()` for `proc_exit`).
trait IntoCell {
    fn into_cell(self) -> Option<u64>;
}

impl IntoCell for i32 {
    fn into_cell(self) -> Option<u64> {
        Some(u64::from(self as u32))
    }
}

impl IntoCell for () {
    fn into_cell(self) -> Option<u64> {
        None
    }
}

macro_rules! preview1 {
    ($( $name:ident ( $($ty:ident),* ) $(-> $ret:ident)? ; )*) => {
        /// Every WASI preview1 function, in the witx file's order.
        pub fn functions() -> &'static [HostFn] {
            static FUNCTIONS: &[HostFn] = &[$(
                HostFn {
                    name: stringify!($name),
                    params: &[$(<$ty as FromCell>::KIND),*],
                    results: &[$(<$ret as FromCell>::KIND)?],
                    call: |ctx, memory, args| {
                        // (`sched_yield` takes no arguments.)
                        #[allow(unused_mut, unused_variables)]
                        let mut args = args.iter().copied();
                        let mut memory = GuestMemory::Unshared(memory);
                        // wasi-common's functions are `async` only so that one
                        // implementation serves sync and async embedders; the sync ones
                        // never suspend, so a single poll completes them.
                        let future = p1::$name(
                            ctx,
                            &mut memory,
                            // Rust evaluates arguments left to right; `call` checked the count.
                            $(<$ty as FromCell>::from_cell(args.next().unwrap_or(0))),*
                        );
                        Ok(wiggle::run_in_dummy_executor(future)??.into_cell())
                    },
                },
            )*];
            FUNCTIONS
        }
    };
}

preview1! {
    args_get(i32, i32) -> i32;
    args_sizes_get(i32, i32) -> i32;
    environ_get(i32, i32) -> i32;
    environ_sizes_get(i32, i32) -> i32;
    clock_res_get(i32, i32) -> i32;
    clock_time_get(i32, i64, i32) -> i32;
    fd_advise(i32, i64, i64, i32) -> i32;
    fd_allocate(i32, i64, i64) -> i32;
    fd_close(i32) -> i32;
    fd_datasync(i32) -> i32;
    fd_fdstat_get(i32, i32) -> i32;
    fd_fdstat_set_flags(i32, i32) -> i32;
    fd_fdstat_set_rights(i32, i64, i64) -> i32;
    fd_filestat_get(i32, i32) -> i32;
    fd_filestat_set_size(i32, i64) -> i32;
    fd_filestat_set_times(i32, i64, i64, i32) -> i32;
    fd_pread(i32, i32, i32, i64, i32) -> i32;
    fd_prestat_get(i32, i32) -> i32;
    fd_prestat_dir_name(i32, i32, i32) -> i32;
    fd_pwrite(i32, i32, i32, i64, i32) -> i32;
    fd_read(i32, i32, i32, i32) -> i32;
    fd_readdir(i32, i32, i32, i64, i32) -> i32;
    fd_renumber(i32, i32) -> i32;
    fd_seek(i32, i64, i32, i32) -> i32;
    fd_sync(i32) -> i32;
    fd_tell(i32, i32) -> i32;
    fd_write(i32, i32, i32, i32) -> i32;
    path_create_directory(i32, i32, i32) -> i32;
    path_filestat_get(i32, i32, i32, i32, i32) -> i32;
    path_filestat_set_times(i32, i32, i32, i32, i64, i64, i32) -> i32;
    path_link(i32, i32, i32, i32, i32, i32, i32) -> i32;
    path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32) -> i32;
    path_readlink(i32, i32, i32, i32, i32, i32) -> i32;
    path_remove_directory(i32, i32, i32) -> i32;
    path_rename(i32, i32, i32, i32, i32, i32) -> i32;
    path_symlink(i32, i32, i32, i32, i32) -> i32;
    path_unlink_file(i32, i32, i32) -> i32;
    poll_oneoff(i32, i32, i32, i32) -> i32;
    proc_exit(i32);
    proc_raise(i32) -> i32;
    sched_yield() -> i32;
    random_get(i32, i32) -> i32;
    sock_accept(i32, i32, i32) -> i32;
    sock_recv(i32, i32, i32, i32, i32, i32) -> i32;
    sock_send(i32, i32, i32, i32, i32) -> i32;
    sock_shutdown(i32, i32) -> i32;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preview1_function_once() {
        let names: std::collections::BTreeSet<_> = functions().iter().map(|f| f.name).collect();
        assert_eq!(names.len(), 46);
        assert_eq!(functions().len(), 46);
    }

    #[test]
    fn errno_and_exit() {
        let mut ctx = crate::WasiCtxBuilder::new().arg("prog").unwrap().build();
        let mut memory = vec![0u8; 64];
        let find = |n: &str| functions().iter().find(|f| f.name == n).unwrap();
        // args_sizes_get writes argc = 1 and the buffer size ("prog\0" = 5).
        let r = find("args_sizes_get")
            .call(&mut ctx, &mut memory, &[0, 4])
            .unwrap();
        assert_eq!(r, Some(0));
        assert_eq!(&memory[0..8], &[1, 0, 0, 0, 5, 0, 0, 0]);
        // Pointers past the end of memory are a trap (wiggle's rule, as in wasmtime), not
        // a panic: for results written and for buffers read or filled.
        for (f, args) in [("args_sizes_get", [62, 0]), ("random_get", [60, 8])] {
            let e = find(f).call(&mut ctx, &mut memory, &args).unwrap_err();
            assert!(e.to_string().contains("out of bounds"), "{e}");
            assert_eq!(crate::exit_status(&*e), None);
        }
        // fd 99 is not open: errno 8 (`badf`).
        let r = find("fd_close").call(&mut ctx, &mut memory, &[99]).unwrap();
        assert_eq!(r, Some(8));
        let e = find("proc_exit")
            .call(&mut ctx, &mut memory, &[3])
            .unwrap_err();
        assert_eq!(crate::exit_status(&*e), Some(3));
        let e = find("proc_exit")
            .call(&mut ctx, &mut memory, &[256])
            .unwrap_err();
        assert_eq!(crate::exit_status(&*e), None);
        assert!(e.to_string().contains("proc_exit"), "{e}");
        let e = find("fd_close")
            .call(&mut ctx, &mut memory, &[])
            .unwrap_err();
        assert!(e.to_string().contains("takes 1"), "{e}");
    }
}
