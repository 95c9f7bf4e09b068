//! The `trampoline` executor: the threaded code format, but every handler returns the next
//! handler to a driver loop instead of calling it. One extra return and call per op, and
//! no reliance on tail-call optimisation: it works in debug builds, under Miri and on
//! 32-bit targets.

use super::ops::*;
use super::{Ctx, Regs, Stop};
use crate::code::{Encoding, OpCode};

/// A trampoline handler: runs one op and returns the next op's handler, or `None` when
/// execution stops (the reason is in [`Ctx::stop`](super::Ctx)).
#[derive(Clone, Copy)]
pub struct Handler(pub unsafe fn(&mut Regs, &mut Ctx) -> Option<Handler>);

macro_rules! trampoline_table {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => { paste::paste! {
        $(
            unsafe fn [<h_ $name>](r: &mut Regs, c: &mut Ctx) -> Option<Handler> {
                let op = r.ip;
                // SAFETY: the executor's contract is passed from handler to handler.
                match unsafe { [<exec_ $name>]::<Trampoline>(r, c, op) } {
                    // SAFETY: after an op, `ip` is the next op's slot, patched with a
                    // handler by `patch_slot`.
                    Ok(()) => Some(unsafe { r.ip.cast::<Handler>().read() }),
                    Err(Stop::Slow) => Some(Handler(h_slow)),
                    Err(stop) => {
                        c.stop = stop;
                        None
                    }
                }
            }
        )*
        /// Where an op that returned `Stop::Slow` continues.
        unsafe fn h_slow(r: &mut Regs, c: &mut Ctx) -> Option<Handler> {
            // SAFETY: as for every handler.
            match unsafe { exec_slow::<Trampoline>(r, c, r.ip) } {
                // SAFETY: as above.
                Ok(()) => Some(unsafe { r.ip.cast::<Handler>().read() }),
                Err(stop) => {
                    c.stop = stop;
                    None
                }
            }
        }
        /// Handlers by opcode.
        static HANDLERS: [Handler; OpCode::COUNT] = [ $( Handler([<h_ $name>]), )* ];
    } };
}
for_each_exec!(trampoline_table);

/// The threaded code layout with this module's handlers in the slots.
#[derive(Debug, Clone, Copy)]
pub struct Trampoline;

impl Encoding for Trampoline {
    const OP_SLOT: usize = 8;
    const U32_SLOT: usize = 8;
    fn write_slot(out: &mut crate::code::CodeWriter, code: OpCode) {
        out.put_word(u64::from(code as u16));
    }
    unsafe fn patch_slot(slot: *mut u8, code: OpCode) {
        // SAFETY: slots are 8-byte aligned words; a `Handler` is one pointer (<= 8 bytes).
        unsafe { slot.cast::<Handler>().write(HANDLERS[code as usize]) }
    }
}

/// Runs until the entry function returns or a trap.
///
/// # Safety
/// `regs` must be an entry frame of code compiled with [`Trampoline`], as in the
/// [module docs](super).
pub unsafe fn run(regs: &mut Regs, c: &mut Ctx) -> Stop {
    c.stop = Stop::Done;
    let mut r = *regs;
    // SAFETY: `ip` is the entry op's slot.
    let mut h = unsafe { r.ip.cast::<Handler>().read() };
    // SAFETY: each handler runs under the executor's contract.
    while let Some(next) = unsafe { (h.0)(&mut r, c) } {
        h = next;
    }
    *regs = r;
    c.stop
}
