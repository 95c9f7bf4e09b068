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
//! dispatch between the two (the code is as large as before).
//!
//! A pair listed `via OPERAND` also gets a *chained* handler, which the encoder picks when
//! the second op's operand of that name is the slot the first op writes as `dst` (the
//! stats build counts how often that holds: `pick-pairs.py` lists the operand when it
//! mostly does). It passes the first op's decoded `dst` to the second op in place of
//! the operand it would decode: the same value, but one LLVM can see equals the slot
//! just stored, so the second op takes the result from a register instead of loading it
//! back from the frame (a store-to-load round trip on the chain's critical path:
//! `papers/notes-speed.md`, section 23).

use super::ops::*;
use super::threaded::{call_tail, handler_fn, threaded_encoding, threaded_handler, Handler};
use super::{via, Ctx, Regs, Step, Stop};
use crate::cell::Cell;
use crate::code::{Encoding, Ip, OpCode};
use weft_ir::Op;

/// One handler per listed pair, `h_<first>_then_<second>`; for a pair listed `via F`
/// also a chained one, `h_<first>_then_<second>_via_<F>`; and `pair_handler`, which
/// finds a pair's handler.
macro_rules! pair_handlers {
    ($( $A:ident $a:ident, $B:ident $b:ident $(via $f:ident)?; )*) => { paste::paste! {
        $(
            /// Runs the first op, then the second when the first fell through to it, with
            /// the second's operand `F` (of [`via`]; `NONE`: none) taken from the first's
            /// `dst` rather than decoded.
            #[inline(always)]
            #[allow(non_snake_case)]
            unsafe fn [<exec_ $a _then_ $b _via>]<E: Encoding, const F: u8>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                // SAFETY: `op` is a `$A` op of `E`'s code followed by a `$B` op (the
                // encoder pairs only adjacent ops of one body), so both functions run
                // under the contract their own handlers run under; with `F`, the encoder
                // checked that the second op's operand `F` equals the first's `dst`
                // (`chained`), so passing the one decoded here changes no value.
                unsafe {
                    let fall = [<exec_ $a _next>]::<E>(op);
                    let dst = if F == via::NONE { 0 } else { [<exec_ $a _dst>]::<E>(op) };
                    [<exec_ $a>]::<E>(r, c, op)?;
                    if r.ip != fall {
                        return Ok(());
                    }
                    [<exec_ $b _via>]::<E, F>(r, c, fall, dst)
                }
            }
            #[inline(always)]
            #[allow(non_snake_case)]
            unsafe fn [<exec_ $a _then_ $b>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                // SAFETY: forwarded.
                unsafe { [<exec_ $a _then_ $b _via>]::<E, { via::NONE }>(r, c, op) }
            }
            threaded_handler!(ThreadedPairs, call_tail, Handler, handler_fn,
                [<h_ $a _then_ $b>], [<exec_ $a _then_ $b>]);
            $(
                #[inline(always)]
                #[allow(non_snake_case)]
                unsafe fn [<exec_ $a _then_ $b _via_ $f>]<E: Encoding>(r: &mut Regs, c: &mut Ctx, op: Ip) -> Step {
                    // SAFETY: forwarded; `pair_handler` picks this handler only for a
                    // chained pair.
                    unsafe { [<exec_ $a _then_ $b _via>]::<E, { via::of(stringify!($f)) }>(r, c, op) }
                }
                threaded_handler!(ThreadedPairs, call_tail, Handler, handler_fn,
                    [<h_ $a _then_ $b _via_ $f>], [<exec_ $a _then_ $b _via_ $f>]);
            )?
        )*

        /// The handler of the pair `first`, `second`, if it is listed: its chained
        /// handler if it has one and the two ops are chained through its operand.
        fn pair_handler(first: &Op, second: &Op) -> Option<Handler> {
            match (OpCode::of(first), OpCode::of(second)) {
                $( (OpCode::$A, OpCode::$B) => {
                    $(
                        if chained(first, second, stringify!($f)) {
                            return Some([<h_ $a _then_ $b _via_ $f>]);
                        }
                    )?
                    Some([<h_ $a _then_ $b>])
                } )*
                _ => None,
            }
        }
    } };
}

/// Whether `second` reads its operand `name` from the slot `first` writes as `dst`.
#[allow(dead_code)]
fn chained(first: &Op, second: &Op, name: &str) -> bool {
    first
        .slot_operand("dst")
        .is_some_and(|d| second.slot_operand(name) == Some(d))
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

#[cfg(test)]
mod tests {
    use super::super::threaded::HANDLERS;
    use super::*;
    use crate::code::encode_bodies;
    use weft_ir::{FuncBody, Op};

    /// The code's word at byte `at`, as an address.
    fn word(code: &[Cell], at: usize) -> usize {
        // SAFETY: `at` is an op slot of `code` (8-byte aligned, within it).
        unsafe { code.as_ptr().cast::<u8>().add(at).cast::<usize>().read() }
    }

    /// The encoder writes a listed pair's handler into the first op's slot; the second
    /// op keeps its own handler (branches to it run it alone), and `threaded` writes no
    /// pair. `i32_add_si, i32_add_si` is CoreMark's most frequent pair: if a regenerated
    /// table drops it, name another listed pair here.
    #[test]
    fn a_listed_pair_gets_its_handler_in_the_first_slot() {
        let add = Op::I32AddSi {
            dst: 0,
            a: 0,
            imm: 1,
        };
        let body = FuncBody {
            ty: 0,
            num_params: 1,
            num_locals: 1,
            zero_end: 1,
            max_stack: 1,
            num_results: 1,
            ops: vec![add.clone(), add, Op::ReturnS1 { from: 0 }],
        };
        let pair = pair_handler(&body.ops[0], &body.ops[1])
            .expect("`i32_add_si, i32_add_si` is listed in pair_table.rs");
        let single = HANDLERS[OpCode::I32AddSi as usize];
        let (code, _) = encode_bodies::<ThreadedPairs>(core::slice::from_ref(&body));
        // `i32_add_si` is 24 bytes: its slot, three operands (the immediate 8 bytes).
        assert_eq!(word(&code, 0), pair as usize);
        assert_eq!(word(&code, 24), single as usize);
        assert_eq!(
            word(&code, 48),
            HANDLERS[OpCode::ReturnS1 as usize] as usize
        );
        let (code, _) = encode_bodies::<super::super::threaded::Threaded>(&[body]);
        assert_eq!(word(&code, 0), single as usize);
    }

    /// A pair listed `via a` gets its chained handler only when the second op's `a` is
    /// the first op's `dst`; otherwise (here the rotation reads the add's operand) the
    /// plain one. `i32_add_ss, i32_rotl_asi via a` is listed today: if a regenerated table
    /// drops it, name another pair listed `via a` here.
    #[test]
    fn a_chained_pair_gets_its_chained_handler_only_when_chained() {
        let body = |rotl_reads: u32| FuncBody {
            ty: 0,
            num_params: 2,
            num_locals: 3,
            zero_end: 3,
            max_stack: 0,
            num_results: 1,
            ops: vec![
                Op::I32AddSs { dst: 2, a: 0, b: 1 },
                Op::I32RotlAsi {
                    a: rotl_reads,
                    imm: 7,
                },
                Op::ReturnS1 { from: 2 },
            ],
        };
        let chained = h_i32_add_ss_then_i32_rotl_asi_via_a as Handler as usize;
        let plain = h_i32_add_ss_then_i32_rotl_asi as Handler as usize;
        let (code, _) = encode_bodies::<ThreadedPairs>(&[body(2)]);
        assert_eq!(word(&code, 0), chained);
        let (code, _) = encode_bodies::<ThreadedPairs>(&[body(0)]);
        assert_eq!(word(&code, 0), plain);
    }
}
