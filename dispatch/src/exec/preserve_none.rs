//! The `preserve-none` executor (nightly only): the `become` executor with the
//! `extern "rust-preserve-none"` calling convention (`rust_preserve_none_cc`) instead of
//! the C ABI. Same code layout and handlers (`threaded_handlers!`); only the convention of
//! the handler type differs. Under it no register is callee-saved, so a handler that calls
//! a function has nothing of its own caller's to save, and the convention passes more
//! arguments in registers (x86-64: twelve integer registers). What it changes is
//! measured in papers/notes-speed.md ("The calling convention as a measured variable").
//!
//! The entry `run` (from `threaded_encoding!`) is a plain Rust function calling the first
//! handler: the compiler saves the registers its own caller needs around that one call.
//!
//! Like `become_.rs`, this file is only loaded on a nightly compiler with its feature on:
//! stable rustc rejects the ABI name, and `become` (which only appears inside
//! `become_tail!`, in threaded.rs).

use super::ops::*;
use super::threaded::{become_tail, threaded_encoding, threaded_handlers};
use super::{Ctx, Regs, Stop};
use crate::cell::Cell;
use crate::code::{Encoding, Ip, OpCode};

/// A preserve-none handler: the threaded handler's arguments, in the preserve-none
/// convention.
pub type Handler = unsafe extern "rust-preserve-none" fn(
    Ip,
    u64,
    *mut Cell,
    super::threaded::Free,
    *mut u8,
    *mut Ctx,
    f32,
    f64,
);

/// Defines a function with the handler ABI.
macro_rules! handler_fn {
    ($(#[$m:meta])* fn $name:ident($($args:tt)*) $body:block) => {
        $(#[$m])* unsafe extern "rust-preserve-none" fn $name($($args)*) $body
    };
}

macro_rules! preserve_none_table {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => {
        threaded_handlers!(PreserveNone, HANDLERS, become_tail, Handler, handler_fn; $( $Name $name )*);
    };
}
for_each_exec!(preserve_none_table);

threaded_encoding!(PreserveNone, Handler, HANDLERS);
