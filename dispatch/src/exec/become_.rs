//! The `become` executor (nightly only): the threaded executor with guaranteed tail calls
//! (`become`, the `explicit_tail_calls` feature) instead of relying on LLVM's sibling-call
//! optimisation. Same code layout and handler ABI; its own handlers.
//!
//! Stable rustc rejects the `become` keyword while parsing, so this file is only loaded
//! when the `become` feature is on and the compiler is a nightly, and the keyword only
//! appears inside a macro (`become_tail!`, in threaded.rs).

use super::ops::*;
use super::threaded::{become_tail, handler_fn, threaded_encoding, threaded_handlers, Handler};
use super::{Ctx, Regs, Stop};
use crate::cell::Cell;
use crate::code::{Encoding, Ip, OpCode};

macro_rules! become_table {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => {
        threaded_handlers!(Become, HANDLERS, become_tail, Handler, handler_fn; $( $Name $name )*);
    };
}
for_each_exec!(become_table);

threaded_encoding!(Become, Handler, HANDLERS);
