//! The `become` executor (nightly only): the threaded executor with guaranteed tail calls
//! (`become`, the `explicit_tail_calls` feature) instead of relying on LLVM's sibling-call
//! optimisation. Same code layout and handler ABI; its own handlers.
//!
//! Stable rustc rejects the `become` keyword while parsing, so this file is only loaded
//! when the `become` feature is on and the compiler is a nightly, and the keyword only
//! appears inside the macro below.

use super::ops::*;
use super::threaded::{handler_fn, threaded_handlers, Handler};
use super::{Ctx, Regs, Stop};
use crate::cell::Cell;
use crate::code::{Encoding, Ip, OpCode};

/// A guaranteed tail call to the next handler.
macro_rules! become_tail {
    ($f:ident($($a:expr),*)) => {
        // SAFETY: calling the next handler under the same contract.
        become $f($($a),*)
    };
}

macro_rules! become_table {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => {
        threaded_handlers!(Become, HANDLERS, become_tail; $( $Name $name )*);
    };
}
for_each_exec!(become_table);

/// Word-threaded code whose slots hold this module's handlers.
#[derive(Debug, Clone, Copy)]
pub struct Become;

impl Encoding for Become {
    const OP_SLOT: usize = 8;
    const U32_SLOT: usize = 8;
    fn write_slot(out: &mut crate::code::CodeWriter, code: OpCode) {
        out.put_word(u64::from(code as u16));
    }
    unsafe fn patch_slot(slot: *mut u8, code: OpCode) {
        // SAFETY: op slots are 8-byte aligned words.
        unsafe { slot.cast::<Handler>().write(HANDLERS[code as usize]) }
    }
}

/// Runs until the entry function returns or a trap.
///
/// # Safety
/// As for [`threaded::run`](super::threaded::run), with code compiled for [`Become`].
pub unsafe fn run(regs: &mut Regs, c: &mut Ctx) -> Stop {
    c.stop = Stop::Done;
    // SAFETY: `ip` is the entry op's slot.
    unsafe {
        let h = regs.ip.cast::<Handler>().read();
        let xs = regs.sp.expose_provenance() as u64;
        h(regs.ip, xs, regs.fp, regs.mem, c, regs.sx, regs.dx);
    }
    c.stop
}
