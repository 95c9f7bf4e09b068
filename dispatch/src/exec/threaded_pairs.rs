//! The `threaded-pairs` executor: `threaded`'s code and handlers, plus one handler for
//! each of the op pairs listed in [`pair_table`](super::pair_table), the pairs that
//! execute most often one after the other on the workloads (superinstructions by
//! concatenation, chosen from data).
//!
//! The code format is `threaded`'s unchanged: when an op is followed in its body by an
//! op it pairs with, the encoder writes the pair's handler into the first op's slot
//! ([`Encoding::patch_pair`]). That handler runs the first op's function and, when the
//! op fell through (its `ip` is its own end: always, for ops that never branch, which
//! LLVM then folds), the second op's function on the operands that follow, then
//! dispatches once. The second op keeps its own slot and handler, so a branch to it, or
//! the first op branching, runs exactly as in `threaded`, and traps, fuel and the slow
//! path stop where they would stop there. Unlike a fused op (`weft_ir::peephole`), a pair
//! needs no new semantics, no new operand layout and no translator rule: it saves the
//! dispatch between the two, and only that (the code is as large as before).

use super::ops::*;
use super::threaded::{call_tail, handler_fn, threaded_encoding, threaded_handler, Handler};
use super::{Ctx, Regs, Step, Stop};
use crate::cell::Cell;
use crate::code::{Encoding, Ip, OpCode};

/// One handler per listed pair, `h_<first>_then_<second>`, and `pair_handler`, which
/// finds a pair's handler.
macro_rules! pair_handlers {
    ($( $A:ident $a:ident, $B:ident $b:ident; )*) => { paste::paste! {
        $(
            /// Runs the first op, then the second when the first fell through to it.
            #[inline(always)]
            #[allow(non_snake_case)]
            unsafe fn [<exec_ $a _then_ $b>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                // SAFETY: `op` is a `$A` op of `E`'s code followed by a `$B` op (the
                // encoder pairs only adjacent ops of one body), so both functions run
                // under the contract their own handlers run under.
                unsafe {
                    let fall = [<exec_ $a _next>]::<E>(op);
                    [<exec_ $a>]::<E>(r, c, op)?;
                    if r.ip != fall {
                        return Ok(());
                    }
                    [<exec_ $b>]::<E>(r, c, fall)
                }
            }
            threaded_handler!(ThreadedPairs, call_tail, Handler, handler_fn,
                [<h_ $a _then_ $b>], [<exec_ $a _then_ $b>]);
        )*

        /// The handler of the pair `first`, `second`, if it is listed.
        fn pair_handler(first: OpCode, second: OpCode) -> Option<Handler> {
            match (first, second) {
                $( (OpCode::$A, OpCode::$B) => Some([<h_ $a _then_ $b>]), )*
                _ => None,
            }
        }

        /// Number of pair handlers.
        pub fn pair_count() -> usize {
            [$( stringify!($a), )*].len()
        }
    } };
}
super::pair_table::for_each_pair!(pair_handlers);
// Pairs whose first op stops with `Stop::Slow` continue here, as `threaded`'s handlers do
// in their module.
threaded_handler!(
    ThreadedPairs,
    call_tail,
    Handler,
    handler_fn,
    h_slow,
    exec_slow
);

threaded_encoding!(ThreadedPairs, Handler, super::threaded::HANDLERS, pairs pair_handler);
