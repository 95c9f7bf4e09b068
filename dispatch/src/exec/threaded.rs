//! The `threaded` executor: sibling-call threaded code.
//!
//! Code is a sequence of ops: an 8-byte word holding the handler address, then the op's
//! operands (4 bytes for a 32-bit one, 8 for a 64-bit immediate), padded to a multiple of
//! 8 bytes so that the next op's word is aligned (`papers/notes-speed.md`, section 12:
//! 8-byte operands made sha2's unrolled code miss L1d far more). Every handler has the
//! one signature [`Handler`], whose arguments are all scalars or pointers passed in
//! registers (six integer, two float). Six integer registers are the most every ABI we
//! target passes arguments in, so the register IR's integer accumulator shares a register
//! with the stack IR's operand-stack pointer, and the memory's length is read from the
//! context ([`Ctx::mem_len`](super::Ctx)) rather than passed: the System V ABI leaves a
//! handler only three scratch registers besides its arguments, and a fourth spares the
//! handlers that need it a callee-saved register's `push`/`pop` (`papers/notes-speed.md`,
//! section 9). The fourth integer argument carries nothing ([`Free`]): it is `rcx`, the
//! count register of x86's variable shifts, which a shift handler may then overwrite
//! without saving an argument there first (section 11). A handler runs its op and then
//! calls the next op's handler in tail position, which LLVM compiles to an indirect jump.
//! Traps and the final return are plain returns that unwind the whole chain at once, with
//! the reason left in [`Ctx::stop`](super::Ctx).
//!
//! This needs optimisation and a 64-bit target: below opt-level 2, or where the arguments
//! do not fit in registers, the tail calls stay calls and the native stack overflows, so
//! `build.rs` leaves the executor out there (with a warning; see `weft_threaded`). The
//! workspace profile builds `weft-dispatch` at opt-level 3 even in dev and test builds.

use super::ops::*;
use super::{Ctx, Regs, Stop};
use crate::cell::Cell;
use crate::code::{Encoding, Ip, OpCode};

/// An argument that carries nothing: it occupies the fourth integer argument register
/// (`rcx` in the System V ABI), which x86's variable shifts need for their count, so that
/// a shift handler can use it without saving a live argument first. Passed uninitialised,
/// so no handler spends an instruction on it.
pub type Free = core::mem::MaybeUninit<u64>;

cfg_if::cfg_if! {
    if #[cfg(all(windows, target_arch = "x86_64"))] {
        /// A threaded handler. Win64's C ABI passes only 4 arguments in registers (LLVM
        /// then emits a real call), so Windows uses the System V ABI, which passes 6.
        pub type Handler = unsafe extern "sysv64" fn(Ip, u64, *mut Cell, Free, *mut u8, *mut Ctx, f32, f64);
        /// Defines a function with the handler ABI.
        macro_rules! handler_fn {
            ($(#[$m:meta])* fn $name:ident($($args:tt)*) $body:block) => {
                $(#[$m])* unsafe extern "sysv64" fn $name($($args)*) $body
            };
        }
    } else {
        /// A threaded handler: `(ip, sp or x, fp, nothing, memory base, context, f32
        /// accumulator, f64 accumulator)`: six integer and two float registers.
        pub type Handler = unsafe extern "C" fn(Ip, u64, *mut Cell, Free, *mut u8, *mut Ctx, f32, f64);
        /// Defines a function with the handler ABI.
        macro_rules! handler_fn {
            ($(#[$m:meta])* fn $name:ident($($args:tt)*) $body:block) => {
                $(#[$m])* unsafe extern "C" fn $name($($args)*) $body
            };
        }
    }
}
#[allow(unused_imports)]
pub(crate) use handler_fn;

/// Generates one handler per op, the slow-path handler `h_slow` and the table of their
/// addresses. `$tail` is the macro that performs the call to the next handler (a plain
/// call here, `become` in the `become` and `preserve-none` executors); `$Handler` is the
/// handler type and `$handler_fn` the macro that defines a function of that type (their
/// calling convention).
macro_rules! threaded_handlers {
    ($Enc:ty, $table:ident, $tail:ident, $Handler:ty, $handler_fn:ident; $( $Name:ident $name:ident )*) => { paste::paste! {
        $( $crate::exec::threaded::threaded_handler!($Enc, $tail, $Handler, $handler_fn, [<h_ $name>], [<exec_ $name>]); )*
        // Ops that return `Stop::Slow` continue here, by a tail call, so that their own
        // handlers make no call but the one to the next handler.
        $crate::exec::threaded::threaded_handler!($Enc, $tail, $Handler, $handler_fn, h_slow, exec_slow);
        /// Handler addresses by opcode.
        pub(crate) static $table: [$Handler; OpCode::COUNT] = [ $( [<h_ $name>], )* ];
    } };
}
/// One handler: runs `$exec`, then calls the next op's handler (or `h_slow`) in tail
/// position.
macro_rules! threaded_handler {
    ($Enc:ty, $tail:ident, $Handler:ty, $handler_fn:ident, $h:ident, $exec:ident) => {
        $handler_fn! {
            #[allow(improper_ctypes_definitions, non_snake_case)]
            fn $h(ip: Ip, xs: u64, fp: *mut Cell, _free: $crate::exec::threaded::Free, mem: *mut u8, ctx: *mut Ctx, sx: f32, dx: f64) {
                let sp = core::ptr::with_exposed_provenance_mut::<Cell>(xs as usize);
                // The length is read where a bounds check uses it (usually as the
                // compare's memory operand), and never written back: only
                // `reload_memory` changes it, and it updates the context as well.
                // SAFETY: `ctx` is the live context of this run.
                let mem_len = unsafe { (*ctx).mem_len };
                let mem_fast = unsafe { (*ctx).mem_fast };
                let mut r = Regs { ip, sp, fp, mem, mem_len, mem_fast, x: xs, sx, dx };
                // SAFETY: the executor's contract (validated code, a frame that fits
                // the stack, a live context) is passed from handler to handler.
                let next: $Handler = match unsafe { $exec::<$Enc>(&mut r, &mut *ctx, ip) } {
                    // SAFETY: after an op, `ip` points at the next op's slot, which holds
                    // a handler address written by `patch_slot`.
                    Ok(()) => unsafe { r.ip.cast::<$Handler>().read() },
                    Err(Stop::Slow) => h_slow,
                    Err(stop) => {
                        // SAFETY: `ctx` is the live context of this run.
                        unsafe { (*ctx).stop = stop };
                        return;
                    }
                };
                // One register carries both the operand-stack pointer (stack-IR ops) and
                // the integer accumulator (register-IR ops): no op writes both, and the
                // register IR never keeps the accumulator live across an op that uses
                // `sp`, so whichever this op changed is the live one. After inlining
                // the choice is a constant per handler.
                let xs = if r.x != xs { r.x } else { r.sp.expose_provenance() as u64 };
                $tail!(next(r.ip, xs, r.fp, $crate::exec::threaded::Free::uninit(), r.mem, ctx, r.sx, r.dx))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use threaded_handler;
#[allow(unused_imports)]
pub(crate) use threaded_handlers;

/// A plain call in tail position; LLVM makes it a jump.
macro_rules! call_tail {
    ($f:ident($($a:expr),*)) => {
        // SAFETY: calling the next handler under the same contract.
        unsafe { $f($($a),*) }
    };
}
#[allow(unused_imports)]
pub(crate) use call_tail;

/// A guaranteed tail call (`become`, nightly) to the next handler: the `become` and
/// `preserve-none` executors' `$tail`. Only expanded on nightly (stable rustc rejects the
/// keyword when it parses the expansion, not here).
#[allow(unused_macros)]
macro_rules! become_tail {
    ($f:ident($($a:expr),*)) => {
        // SAFETY: calling the next handler under the same contract.
        become $f($($a),*)
    };
}
#[allow(unused_imports)]
pub(crate) use become_tail;

macro_rules! threaded_table {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => {
        threaded_handlers!(Threaded, HANDLERS, call_tail, Handler, handler_fn; $( $Name $name )*);
    };
}
for_each_exec!(threaded_table);

/// The encoding type `$Enc` (word-threaded code whose slots hold the handlers in
/// `$table`, of type `$Handler`) and the executor's `run`, which calls the entry op's
/// handler from a plain function; the chain of handlers returns when it stops.
macro_rules! threaded_encoding {
    ($Enc:ident, $Handler:ty, $table:path $(, pairs $pair:ident)?) => {
        /// Word-threaded code whose slots hold this module's handlers.
        #[derive(Debug, Clone, Copy)]
        pub struct $Enc;

        impl Encoding for $Enc {
            const OP_SLOT: usize = 8;
            const U32_SLOT: usize = 4;
            const OP_ALIGN: usize = 8;
            fn write_slot(out: &mut crate::code::CodeWriter, code: OpCode) {
                out.put_word(u64::from(code as u16));
            }
            unsafe fn patch_slot(slot: *mut u8, code: OpCode) {
                // SAFETY: op slots of this format are 8-byte aligned words (every op is
                // padded to a multiple of 8 bytes, `OP_ALIGN`, and the buffer is
                // `Cell`-aligned).
                unsafe { slot.cast::<$Handler>().write($table[code as usize]) }
            }
            $(
                unsafe fn patch_pair(slot: *mut u8, first: &weft_ir::Op, second: &weft_ir::Op) -> bool {
                    let Some(handler) = $pair(first, second) else {
                        return false;
                    };
                    // SAFETY: as in `patch_slot`.
                    unsafe { slot.cast::<$Handler>().write(handler) };
                    true
                }
            )?
        }

        /// Runs until the entry function returns or a trap.
        ///
        /// # Safety
        /// `regs` must be an entry frame of code compiled with this module's encoding, as
        /// in the [module docs](super).
        pub unsafe fn run(regs: &mut Regs, c: &mut Ctx) -> Stop {
            c.stop = Stop::Done;
            // SAFETY: `ip` is the entry op's slot; the chain of handlers returns when it
            // stops.
            unsafe {
                let h = regs.ip.cast::<$Handler>().read();
                let xs = regs.sp.expose_provenance() as u64;
                h(
                    regs.ip,
                    xs,
                    regs.fp,
                    $crate::exec::threaded::Free::uninit(),
                    regs.mem,
                    c,
                    regs.sx,
                    regs.dx,
                );
            }
            c.stop
        }
    };
}
#[allow(unused_imports)]
pub(crate) use threaded_encoding;
threaded_encoding!(Threaded, Handler, HANDLERS);

/// Number of handlers (one per op).
pub fn handler_count() -> usize {
    HANDLERS.len()
}
