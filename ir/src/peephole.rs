//! Fusion: the register emitter's peephole rules, each one function with its
//! preconditions, over the ops just emitted.
//!
//! The rules rewrite the op that produced a value once the next operator shows where the
//! value goes. Whether such a producer exists is the [`Window`]'s job; what else a rule
//! needs to be sound (no other reader of a local, a branch without moves) the emitter
//! passes in, named after the precondition. Rules:
//!
//! | rule | before | after |
//! |---|---|---|
//! | [`local_set_into_producer`] | `op -> home; local.set x` | `op -> x` |
//! | [`compare_into_br_if`] | `cmp -> home; br_if L` | `br_cmp L` |
//! | [`negated_compare_into_if`] | `cmp -> home; if` | `br_not_cmp else` |
//! | [`spill_into_producer`] | `op -> acc; spill acc -> s` | `op -> s` |
//! | [`jumps_to_returns`] | `br L` where `L: return_s` or `return_s1` | that return |
//! | [`eqz_into_producer`] | `cmp -> v; eqz v` / `xor`, `sub -> v; eqz v` | `not_cmp -> v` / `eq -> v` |
//! | [`mask_into_producer`] | `shr_u`/`add a imm -> acc` (or `-> home`)`; and mask` | `shr_u_and`/`add_and a imm mask` |
//! | [`copy_into_copy`] | `copy; copy` | `copy2` |
//! | [`copy_into_br_if`] | `copy; br_if_nez_s c` | `copy_br_if_nez_s` |
//! | [`result_into_br_if`] | `add_si -> c` / `load_s -> c`; `br_if_nez_s c` | `add_si_br_nez` / `load_s_br_nez` |
//! | [`mask_into_compare`] | `and_si -> d; br_eq_ss x d` / `br_eq_as d`; `and_asi; br_eq_as x` | `and_si_br_eq_ss` / `_as` |
//! | [`step_into_compare`] | `add_si d <- d + k; br_ne_ss d b` / `br_lt_u_ss` / `br_lt_s_ss`; `br_ne_si d c` / `br_lt_u_si` (`le_u`) / `br_gt_u_si` (`ge_u`); i64 `add_si`/`sub_si; br_gt_s_si` | `step_br_ne_ss` / `_lt_u_ss` / `_lt_s_ss`; `step_br_ne_si` / `_lt_u_si` / `_gt_u_si`; `i64.step_br_gt_s_si` |
//! | [`get_after_set`] | `global.set_s g <- s; global.get_s g` (or a fused set below) | the set (the value read from `s`) |
//! | [`add_into_global_set`] | `global.get_s t <- g; add_si d <- t + k; global.set_s g <- d` / `add_si d <- a + k; global.set_s g <- d` | `global_add_si d g k` / `add_si_global_set d a k g` |
//! | [`mask_into_select`] | `and_si c <- x & k; select_s c` | `select_and_s` |
//! | [`load_into_store`] | `load_s d <- [s + o]; store_ss [s + o] <- v` | `load_store_s` |
//! | [`load_add_into_store`] | `load_as [s + o]; add_aai k; store_sa [s + o]` | `load_add_store_asi` |
//! | [`rotate_loop`] | `br L` where `L: [op;] br_cmp E; B: ...` | `[op;] br_not_cmp B; br_charged E` |
//! | [`forward_copies`] | `copy d <- s; op ... d ...` | `copy d <- s; op ... s ...` |
//! | [`fuse_pairs`] | `add_si d <- d + k; add_si d2 <- d2 + k2` / `mul_aas b; add_sas d c` / `shl_asi a k; add_aas b` / `rotl_si t <- a rotl k; xor_ss d <- y ^ t` (and `xor_aas t`, `xor_ass y t`; `shr_u_si` likewise) / `shl_si t <- a << k; add_aas t` / `copy c <- p; load_store_s p <- [p + o] <- v` / `load_as [a + o]; load16_u_aa [acc + o2]` (`load8_u_aa`) / `add_si d <- d + k; add_ss d2 <- d2 + b` / `copy_load_store_s c p o v; copy_br_if_nez_s v <- c, p` (a fused op merges again) / `br_i32_eq_si; br_table_s` / `load_as; load16_u_aa; and_si_br_eq_as; load_s_br_nez` branching back to the first (`load8_u_aa`), a list search ([`find_loop`]) | `add_si2` / `mul_add_sas` / `shl_add_asis` / `rotl_si_xor_ss` (`_aas`, `_ass`; `shr_u_si_xor_ss`, `_aas`) / `shl_si_add_aas` / `copy_load_store_s` / `load_as_load16_u_aa` (`load8_u`) / `add_si_add_ss` / `reverse_step_s` (`reverse_loop_s` when its branch targets itself) / `br_i32_eq_si_br_table_s` / `find_load16_u_and_s` (`find_load8_u_and_s`), which loops in its handler |
//!
//! The rules from [`copy_into_copy`] to [`load_add_into_store`] merge two ops (three) that *follow each other* into one
//! that does both in order, which is exact whenever control cannot reach the second op
//! except from the first: no label bound between them ([`Window::adjacent`],
//! [`Window::adjacent_pair`] when the second op is only final once rewritten). They were
//! chosen by executed op-pair counts (`experiments/op-pairs.sh`, `papers/notes-speed.md`).
//! [`load_into_store`] and [`load_add_into_store`] also remove work: the store's bounds
//! check is the load's.
//!
//! [`rotate_loop`] is the one rule that copies code rather than merging it: a `br` back to
//! a loop whose header is its exit test (the shape of hand-written `while` loops) becomes
//! that test, negated, so that an iteration runs one branch instead of two. It must keep
//! fuel exact (`weft_dispatch`'s `budget.rs`: one unit per taken backward branch), so the
//! exit path it creates charges the unit the elided back edge would have.
//!
//! [`forward_copies`] removes no op: it runs once the code is final and renames the next
//! op's reads of a copy's destination to its source, so that the op does not wait for
//! the copy. Slots live in memory, so a value copied and then read goes through a store
//! and a load (store-to-load forwarding, several cycles) that a loop-carried chain pays
//! on every iteration; the renamed op reads the value where it already was, and the copy
//! leaves the chain. It changes no instruction count, only time (`papers/notes-speed.md`,
//! section 14).
//!
//! [`fuse_pairs`] merges pairs too, but once the code is final (after [`forward_copies`]),
//! so that the rules above, which look at the last op emitted, keep seeing each op on its
//! own: an add merged early could no longer become `add_si_br_nez` or write a local.
//! It merges where no branch lands on the second op, then drops the merged ops and
//! renumbers the branch targets.
//!
//! Adding a rule: a function here that takes the window's producer (or the ops) and the
//! facts it depends on, returns whether it fired, and has a unit test below for when it
//! fires and for each precondition that stops it; then one call in `register_emitter.rs`.

use crate::op::{Op, Target};

/// What the emitter knows about its most recent op, for the rules that rewrite it.
///
/// Invariant (enforced by the emitter's `emit`, `push`, `pop` and `bind`, and nowhere
/// else): `top` names an op only while it is the last op emitted *and* the value it
/// produced is still the top of the virtual stack; `acc` only while that op is the last
/// emitted. Any other op emitted, any push or pop, and any label bound (control may arrive
/// from elsewhere) close the window.
///
/// Separately, `last` names the last op emitted as long as no label was bound after it
/// (set by `emit`, cleared only by `bind`): an op emitted next may be merged into it,
/// since control reaches the next op only by falling through from it. Likewise `prev`
/// names the op just before `last` when no label was bound between them, so that the
/// last op, once rewritten into its final form, may be merged into the one before it.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Window {
    /// The last op, if it produced the value on top of the stack.
    top: Option<usize>,
    /// The last op and the accumulator class it wrote, if it wrote one.
    acc: Option<(u8, usize)>,
    /// The last op emitted, if no label was bound after it.
    last: Option<usize>,
    /// The op emitted just before `last`, if no label was bound after it.
    prev: Option<usize>,
}

impl Window {
    /// Nothing is known about the last op's result (its place in the code is kept).
    pub(crate) fn close(&mut self) {
        self.top = None;
        self.acc = None;
    }

    /// Op `op` was just emitted (after [`close`](Self::close)).
    pub(crate) fn emitted(&mut self, op: usize) {
        // Emitted at the index of the last op, which was removed since (by
        // [`negated_compare_into_if`]) with no label bound: the op before is the same.
        if self.last != Some(op) {
            self.prev = self.last.filter(|&i| i + 1 == op);
        }
        self.last = Some(op);
    }

    /// The last op was merged into `op`, the one before it, and removed: `op` is the last
    /// op now (no label was bound after it), and nothing is known about the one before.
    pub(crate) fn merged(&mut self, op: usize) {
        self.close();
        self.last = Some(op);
        self.prev = None;
    }

    /// A label was bound: control may arrive from elsewhere, nothing is known.
    pub(crate) fn label_bound(&mut self) {
        *self = Window::default();
    }

    /// The last op, if an op emitted now would follow it with no label between, so that
    /// control reaches the new op only from it. `len` is the number of ops emitted (an op
    /// removed since, by [`negated_compare_into_if`], is not the last one any more).
    pub(crate) fn adjacent(&self, len: usize) -> Option<usize> {
        self.last.filter(|&i| i + 1 == len)
    }

    /// The last two ops, if the last op is the one just emitted (`len` ops) and control
    /// reaches it only from the one before (no label bound between them): the last may
    /// be merged into the one before.
    pub(crate) fn adjacent_pair(&self, len: usize) -> Option<(usize, usize)> {
        let last = self.adjacent(len)?;
        let prev = self.prev.filter(|&i| i + 1 == last)?;
        Some((prev, last))
    }

    /// The accumulator value was moved out by rewriting its producer.
    pub(crate) fn forget_acc(&mut self) {
        self.acc = None;
    }

    /// The stack changed without an op: the top value is no longer the last op's result.
    pub(crate) fn stack_changed(&mut self) {
        self.top = None;
    }

    /// Op `op`, the last emitted, produced the value now on top of the stack.
    pub(crate) fn produced_top(&mut self, op: usize) {
        self.top = Some(op);
    }

    /// Op `op`, the last emitted, wrote accumulator `class`.
    pub(crate) fn produced_acc(&mut self, class: u8, op: usize) {
        self.acc = Some((class, op));
    }

    /// The op that produced the top value, if it is the last op.
    pub(crate) fn top_producer(&self) -> Option<usize> {
        self.top
    }

    /// The op that wrote accumulator `class`, if it is the last op.
    pub(crate) fn acc_producer(&self, class: u8) -> Option<usize> {
        match self.acc {
            Some((c, op)) if c == class => Some(op),
            _ => None,
        }
    }
}

/// `op -> home; local.set x` becomes `op -> x`: the producer writes the local directly.
///
/// Preconditions: `producer` produced the value being stored (the window's top producer);
/// no other value on the stack refers to local `x`, since it would see the new value
/// (`others_refer_to_x`); the op has a form that writes any slot (`retarget`).
pub(crate) fn local_set_into_producer(
    ops: &mut [Op],
    producer: usize,
    x: u32,
    others_refer_to_x: bool,
) -> bool {
    if others_refer_to_x {
        return false;
    }
    match retarget(&ops[producer], x) {
        Some(op) => {
            ops[producer] = op;
            true
        }
        None => false,
    }
}

/// `cmp -> home; br_if L` becomes `br_cmp L`: the comparison is the branch.
///
/// Preconditions: `producer` produced the condition (the window's top producer); the
/// branch carries no values that must move (`branch_needs_moves`), since a fused branch
/// has no place for them; the target is a label, not the function's return
/// (`target_is_return`); the op is an integer comparison or `i32.eqz` (`fuse_compare`).
pub(crate) fn compare_into_br_if(
    ops: &mut [Op],
    producer: usize,
    target: Target,
    branch_needs_moves: bool,
    target_is_return: bool,
) -> bool {
    if branch_needs_moves || target_is_return {
        return false;
    }
    match fuse_compare(&ops[producer], target) {
        Some(op) => {
            ops[producer] = op;
            true
        }
        None => false,
    }
}

/// `cmp -> home; if` becomes `br_not_cmp else`: removes the comparison (the last op) and
/// returns the branch to emit in its place once the `if`'s entry moves are emitted.
///
/// Preconditions: `producer` produced the condition and is the last op (the window's top
/// producer); the op is an integer comparison or `i32.eqz` (`negated_branch`: negating an
/// integer comparison is exact). Moving the comparison after the entry moves is sound
/// because its operands are locals or slots above the remaining values, which those moves
/// never write.
pub(crate) fn negated_compare_into_if(
    ops: &mut Vec<Op>,
    producer: usize,
    else_target: Target,
) -> Option<Op> {
    debug_assert_eq!(producer + 1, ops.len(), "the window names the last op");
    let fused = negated_branch(&ops[producer], else_target)?;
    ops.pop();
    Some(fused)
}

/// `op -> acc; spill acc -> dst` becomes `op -> dst`: the value never enters the
/// accumulator.
///
/// Preconditions: `producer` wrote the accumulator being spilled and is the last op (the
/// window's accumulator producer for that class); the op has a form that writes a slot.
pub(crate) fn spill_into_producer(ops: &mut [Op], producer: usize, dst: u32) -> bool {
    match retarget(&ops[producer], dst) {
        Some(op) => {
            ops[producer] = op;
            true
        }
        None => false,
    }
}

/// `br L` where the op at `L` is `return_s` (or `return_s1`) becomes that return: a
/// return does not depend on where it is.
///
/// Preconditions: targets are resolved to op indexes.
pub(crate) fn jumps_to_returns(ops: &mut [Op]) {
    for i in 0..ops.len() {
        if let Op::Br { target } = ops[i] {
            if let Some(ret @ (Op::ReturnS { .. } | Op::ReturnS1 { .. })) =
                ops.get(target.0 as usize)
            {
                ops[i] = ret.clone();
            }
        }
    }
}

/// `cmp -> v; eqz v` becomes the negated comparison `-> v`; `xor a b -> v; eqz v` and
/// `sub a b -> v; eqz v` become `eq a b -> v` (`a ^ b == 0` and `a - b == 0` exactly when
/// `a == b`). The value stays where it was, so the rules for its next use (`br_if`,
/// `if`, `local.set`) still see a producer.
///
/// Preconditions: `producer` produced the `eqz`'s operand (the window's top producer) and
/// is the last op; `operand_is_i64` says which `eqz` it is (`i64.eqz` only matches the
/// i64 `xor`/`sub`; a comparison's result is an i32, so only `i32.eqz` matches it). Only
/// integer comparisons are negated (exact; float comparisons with NaN are not).
pub(crate) fn eqz_into_producer(ops: &mut [Op], producer: usize, operand_is_i64: bool) -> bool {
    let rewritten = if operand_is_i64 {
        difference_to_eq(&ops[producer], true)
    } else {
        negate(&ops[producer]).or_else(|| difference_to_eq(&ops[producer], false))
    };
    match rewritten {
        Some(op) => {
            ops[producer] = op;
            true
        }
        None => false,
    }
}

/// `i32.shr_u_asi a imm -> acc; i32.and acc mask` (a bit-field extract) becomes
/// `i32.shr_u_and_asii a imm mask -> acc`; `i32.add_asi a imm -> acc; i32.and acc mask` (a
/// narrow wrap, C's `(unsigned char)(c - '0')`) becomes `i32.add_and_asii a imm mask`.
/// The same with the value in its home slot (`_si` into `_ssii`), where the accumulator
/// holds a value further down the stack.
///
/// Preconditions: `producer` is the last op and wrote the value that is the `and`'s
/// first operand, whose second is the constant `mask` (the emitter checks the stack): in
/// the integer accumulator (the window's accumulator producer) or in the value's home
/// slot, which no other value refers to; so the unmasked value has no other reader.
pub(crate) fn mask_into_producer(ops: &mut [Op], producer: usize, mask: u64) -> bool {
    ops[producer] = match ops[producer] {
        Op::I32ShrUAsi { a, imm } => Op::I32ShrUAndAsii {
            a,
            shift: imm,
            mask,
        },
        Op::I32AddAsi { a, imm } => Op::I32AddAndAsii { a, imm, mask },
        Op::I32ShrUSi { dst, a, imm } => Op::I32ShrUAndSsii {
            dst,
            a,
            shift: imm,
            mask,
        },
        Op::I32AddSi { dst, a, imm } => Op::I32AddAndSsii { dst, a, imm, mask },
        _ => return false,
    };
    true
}

/// `copy d1 <- s1; copy d2 <- s2` becomes `copy2 d1 <- s1, d2 <- s2` (run in that
/// order).
///
/// Preconditions: `last` is the window's adjacent op (no label between the two copies).
pub(crate) fn copy_into_copy(ops: &mut [Op], last: usize, dst2: u32, src2: u32) -> bool {
    match ops[last] {
        Op::Copy { dst, src } => {
            ops[last] = Op::Copy2 {
                dst,
                src,
                dst2,
                src2,
            };
            true
        }
        _ => false,
    }
}

/// `copy d <- s; br_if_nez_s c L` becomes `copy_br_if_nez_s d <- s, c L` (copy first,
/// then test `c`, which may be `d`).
///
/// Preconditions: `last` is the window's adjacent op (no label between the copy and the
/// branch); the branch is a plain `br_if_nez_s` (no moves, not to the function's return:
/// the emitter only asks for those).
pub(crate) fn copy_into_br_if(ops: &mut [Op], last: usize, target: Target, cond: u32) -> bool {
    match ops[last] {
        Op::Copy { dst, src } => {
            ops[last] = Op::CopyBrIfNezS {
                dst,
                src,
                target,
                cond,
            };
            true
        }
        _ => false,
    }
}

/// `add_si d <- a + imm; br_if_nez_s d L` (an i32 add, typically `local.tee d` of a loop
/// counter) becomes `add_si_br_nez d <- a + imm, L` (and `sub_si` by `imm` becomes the
/// same with `-imm`); likewise `i32.load_s d <- [addr +
/// offset]; br_if_nez_s d L` (typically `p = p->next; if (p)`) becomes `load_s_br_nez`.
///
/// Preconditions: `last` is the window's adjacent op (no label between the op and the
/// branch); the op wrote the slot the branch tests (`dst == cond`), so the fused op
/// tests the value it just computed; the branch is a plain `br_if_nez_s`.
pub(crate) fn result_into_br_if(ops: &mut [Op], last: usize, target: Target, cond: u32) -> bool {
    let fused = if let Some((dst, a, imm)) = i32_add_imm(&ops[last]) {
        if dst != cond {
            return false;
        }
        Op::I32AddSiBrNez {
            target,
            dst,
            a,
            imm,
        }
    } else {
        match ops[last] {
            Op::I32LoadS { dst, addr, offset } if dst == cond => Op::I32LoadSBrNez {
                target,
                dst,
                addr,
                offset,
            },
            _ => return false,
        }
    };
    ops[last] = fused;
    true
}

/// An i32 addition of an immediate, `i32.add_si d <- a + k`, as `(d, a, k)`; also
/// `i32.sub_si d <- a - k`, as the addition of `-k` (wrapping i32 arithmetic: exact).
fn i32_add_imm(op: &Op) -> Option<(u32, u32, u64)> {
    match *op {
        Op::I32AddSi { dst, a, imm } => Some((dst, a, imm)),
        Op::I32SubSi { dst, a, imm } => Some((dst, a, u64::from((imm as u32).wrapping_neg()))),
        _ => None,
    }
}

/// `i32.and_si d <- a & k; br_i32_eq_ss x y L` where `x` or `y` is `d` (a value compared
/// with a masked one, as CoreMark's list search `info->idx == (idx & 0xffff)`) becomes
/// `i32.and_si_br_eq_ss d <- a & k, b L`, which tests `b == d` with `b` the other operand
/// (`eq` is symmetric; both may be `d`). Removes the branch, the last op. With the other
/// value in the accumulator (`br_i32_eq_as d`, the accumulator kept by a value below the
/// mask) it becomes `i32.and_si_br_eq_as`. With the mask in the accumulator and the
/// other value in a slot (`i32.and_asi a k; br_i32_eq_as b`: the comparison's operands
/// swapped onto the mask) it becomes `i32.and_si_br_eq_ss scratch <- a & k, b`.
///
/// Preconditions: `prev` and `last` are the window's adjacent pair
/// ([`Window::adjacent_pair`]); `prev` is an `i32.and_si` and `last` a `br_i32_eq_ss`
/// or `br_i32_eq_as` that reads its result, or `prev` an `i32.and_asi` (whose result
/// only `last` reads: it is the accumulator `last` reads); `scratch` is a slot no live
/// value is in (the emitter passes the masked value's home, above the stack).
pub(crate) fn mask_into_compare(ops: &mut Vec<Op>, prev: usize, last: usize, scratch: u32) -> bool {
    debug_assert_eq!((prev + 1, last + 1), (last, ops.len()), "an adjacent pair");
    let (dst, a, imm, target, x, y) = match (&ops[prev], &ops[last]) {
        (&Op::I32AndSi { dst, a, imm }, &Op::BrI32EqSs { target, a: x, b: y }) => {
            (dst, a, imm, target, x, y)
        }
        (&Op::I32AndAsi { a, imm }, &Op::BrI32EqAs { target, b }) => {
            (scratch, a, imm, target, b, scratch)
        }
        // The other operand in the accumulator: the mask must be the slot operand.
        (&Op::I32AndSi { dst, a, imm }, &Op::BrI32EqAs { target, b }) if b == dst => {
            ops[prev] = Op::I32AndSiBrEqAs {
                target,
                dst,
                a,
                imm,
            };
            ops.pop();
            return true;
        }
        _ => return false,
    };
    let b = if y == dst {
        x
    } else if x == dst {
        y
    } else {
        return false;
    };
    ops[prev] = Op::I32AndSiBrEqSs {
        target,
        dst,
        a,
        imm,
        b,
    };
    ops.pop();
    true
}

/// `i32.add_si d <- d + k; br_i32_ne_ss d b` (either order), `br_i32_lt_u_ss d b` or
/// `br_i32_lt_s_ss d b` (a loop counter stepped in place, then its exit test: the shape
/// of LLVM's `i != n` loops and of rotated `while (i < n)` loops) becomes
/// `i32_step_br_ne_ss` / `_lt_u_ss` / `_lt_s_ss d k b`. Against an immediate `c`:
/// `br_i32_ne_si d c`, `br_i32_lt_u_si d c` (and `le_u`, as `lt_u` by `c + 1` unless `c`
/// is `u32::MAX`) and `br_i32_gt_u_si d c` (and `ge_u`, as `gt_u` by `c - 1` unless `c` is
/// 0) become `i32_step_br_ne_si` / `_lt_u_si` / `_gt_u_si d k c`; and in i64, a count-down
/// step (`i64.add_si` or `i64.sub_si` in place) before `br_i64_gt_s_si d c` becomes
/// `i64_step_br_gt_s_si` (Stitch's `fib_iter` and `fac_iter` loops, rotated). Removes the
/// branch, the last op.
///
/// An `i32.sub_si` by `k` in place counts as the addition of `-k` (wrapping: exact).
///
/// Preconditions: `prev` and `last` are the window's adjacent pair
/// ([`Window::adjacent_pair`]); the add writes the slot it reads (`dst == a`), and the
/// comparison reads that slot where the fused op does (either operand of `ne`, the first
/// of `lt`).
pub(crate) fn step_into_compare(ops: &mut Vec<Op>, prev: usize, last: usize) -> bool {
    debug_assert_eq!((prev + 1, last + 1), (last, ops.len()), "an adjacent pair");
    if let Some(fused) = step_i64(&ops[prev], &ops[last]) {
        ops[prev] = fused;
        ops.pop();
        return true;
    }
    let Some((d, a, imm)) = i32_add_imm(&ops[prev]) else {
        return false;
    };
    if a != d {
        return false;
    }
    // An i32 immediate is its 32 bits, zero-extended.
    let imm32 = |k: u64| k as u32;
    let fused = match ops[last] {
        Op::BrI32NeSi {
            target,
            a: x,
            imm: bound,
        } if x == d => Op::I32StepBrNeSi {
            target,
            d,
            imm,
            bound,
        },
        Op::BrI32LtUSi {
            target,
            a: x,
            imm: bound,
        } if x == d => Op::I32StepBrLtUSi {
            target,
            d,
            imm,
            bound,
        },
        // d <= k is d < k + 1, unless k is the largest value (always taken).
        Op::BrI32LeUSi {
            target,
            a: x,
            imm: k,
        } if x == d && imm32(k) != u32::MAX => {
            let bound = u64::from(imm32(k) + 1);
            Op::I32StepBrLtUSi {
                target,
                d,
                imm,
                bound,
            }
        }
        Op::BrI32GtUSi {
            target,
            a: x,
            imm: bound,
        } if x == d => Op::I32StepBrGtUSi {
            target,
            d,
            imm,
            bound,
        },
        // d >= k is d > k - 1, unless k is 0 (always taken).
        Op::BrI32GeUSi {
            target,
            a: x,
            imm: k,
        } if x == d && imm32(k) != 0 => {
            let bound = u64::from(imm32(k) - 1);
            Op::I32StepBrGtUSi {
                target,
                d,
                imm,
                bound,
            }
        }
        Op::BrI32NeSs { target, a: x, b: y } if x == d || y == d => Op::I32StepBrNeSs {
            target,
            d,
            imm,
            b: if x == d { y } else { x },
        },
        Op::BrI32LtUSs { target, a: x, b } if x == d => Op::I32StepBrLtUSs { target, d, imm, b },
        Op::BrI32LtSSs { target, a: x, b } if x == d => Op::I32StepBrLtSSs { target, d, imm, b },
        _ => return false,
    };
    ops[prev] = fused;
    ops.pop();
    true
}

/// The i64 case of [`step_into_compare`]: `i64.add_si d <- d + k` or `i64.sub_si d <- d -
/// k`, then `br_i64_gt_s_si d bound` (a count-down loop such as `while (n > 0) n--`,
/// rotated), as `i64_step_br_gt_s_si` (a subtraction as the addition of `-k`, wrapping,
/// which is exact).
fn step_i64(step: &Op, branch: &Op) -> Option<Op> {
    let (d, imm) = match *step {
        Op::I64AddSi { dst, a, imm } if dst == a => (dst, imm),
        Op::I64SubSi { dst, a, imm } if dst == a => (dst, imm.wrapping_neg()),
        _ => return None,
    };
    match *branch {
        Op::BrI64GtSSi {
            target,
            a,
            imm: bound,
        } if a == d => Some(Op::I64StepBrGtSSi {
            target,
            d,
            imm,
            bound,
        }),
        _ => None,
    }
}

/// `global.set_s g <- s; global.get_s g` (a value kept in a global, read back at once, as
/// in a loop that counts in a global): the get is not emitted, the value it would read is
/// still in slot `s` (a global holds the whole cell the set copied). Returns `s`.
///
/// Preconditions: `last` is the window's adjacent op (no label between the set and the
/// get: control arriving from elsewhere would not have the value in `s`); the emitter
/// checks that `s` may stand for the new value (a local, as `local.get`'s slot does, or
/// the value's own home slot).
pub(crate) fn get_after_set(ops: &[Op], last: usize, global: u32) -> Option<u32> {
    match ops[last] {
        Op::GlobalSetS { src, global: g }
        | Op::I32GlobalAddSi {
            dst: src,
            global: g,
            ..
        }
        | Op::I32AddSiGlobalSet {
            dst: src,
            global: g,
            ..
        } if g == global => Some(src),
        _ => None,
    }
}

/// `global.get_s t <- g; i32.add_si d <- t + k; global.set_s g <- d` (a counter kept in a
/// global, and the stack-pointer bump `sp -= frame` that opens a compiled function)
/// becomes `i32.global_add_si d g k`, in `prev`; `i32.add_si d <- a + k; global.set_s g <-
/// d` (the epilogue's `sp = fp + frame`) becomes `i32.add_si_global_set d a k g`, in
/// `last`. `i32.sub_si` by `k` counts as the addition of `-k`. Returns which op now holds
/// the fused one: the caller removes `last` if it is `prev`, and does not emit the set.
///
/// Preconditions: `prev` and `last` are the window's adjacent pair (or only `last` the
/// adjacent op, `prev` being `None`); the set reads the add's result (`src == d`). The
/// three-op form also needs the add to read the get's result `t`, a temporary (at or above
/// `first_temp`, the first slot that is not a local: a get renamed into a local by
/// `local.tee` must still write it) that nothing reads after the add, which popped it, so
/// the fused op need not write it.
pub(crate) fn add_into_global_set(
    ops: &mut [Op],
    prev: Option<usize>,
    last: usize,
    (src, global): (u32, u32),
    first_temp: u32,
) -> Option<usize> {
    let (dst, a, imm) = i32_add_imm(&ops[last]).filter(|&(dst, ..)| dst == src)?;
    if let Some(prev) = prev {
        if let Op::GlobalGetS { dst: t, global: g } = ops[prev] {
            if t == a && t >= first_temp && g == global {
                ops[prev] = Op::I32GlobalAddSi { dst, global, imm };
                return Some(prev);
            }
        }
    }
    ops[last] = Op::I32AddSiGlobalSet {
        dst,
        a,
        imm,
        global,
    };
    Some(last)
}

/// `i32.and_si c <- x & k; select_s d <- c ? a : b` (a bit test choosing a value, CRC's
/// `if ((x ^ y) & 1) crc ^= poly`) becomes `select_and_s d <- x & k ? a : b`, which does
/// not write `c`. Removes the select, the last op emitted.
///
/// Preconditions: `last` is the window's adjacent op and wrote the condition; the
/// condition is in its home slot `c` (a temporary above the select's result, which
/// nothing reads after the select: the emitter checks); `a` and `b` are not `c` (they
/// are lower on the stack, so never its home).
pub(crate) fn mask_into_select(ops: &mut [Op], last: usize, dst: u32, a: u32, b: u32) -> bool {
    match ops[last] {
        Op::I32AndSi { dst: c, a: x, imm } if a != c && b != c => {
            ops[last] = Op::SelectAndS {
                dst,
                a,
                b,
                cond: x,
                mask: imm,
            };
            true
        }
        _ => false,
    }
}

/// `i32.load_s d <- [s + o]; i32.store_ss [s + o] <- v` (a word read and then overwritten,
/// as a list reversal's `next = p->next; p->next = prev`) becomes `i32.load_store_s`,
/// which checks the address once: the store's address is the load's, so it is in bounds
/// exactly when the load was, and a trap happens at the load as before (nothing written).
/// `v` is read after the load writes `d` (it may be `d`).
///
/// Preconditions: `last` is the window's adjacent op (no label between the load and the
/// store); `store` is an `i32.store_ss` with the load's address slot and offset; the load
/// does not write that address slot (`d != s`), else the store's address would be the
/// loaded value.
pub(crate) fn load_into_store(ops: &mut [Op], last: usize, store: &Op) -> bool {
    match (&ops[last], store) {
        (
            &Op::I32LoadS { dst, addr, offset },
            &Op::I32StoreSs {
                addr: addr2,
                value,
                offset: offset2,
            },
        ) if addr2 == addr && offset2 == offset && dst != addr => {
            ops[last] = Op::I32LoadStoreS {
                dst,
                addr,
                offset,
                value,
            };
            true
        }
        _ => false,
    }
}

/// `copy d <- s; op` where `op` reads slot `d` becomes `copy d <- s; op'` reading `s`
/// instead: the two slots hold the same value when `op` starts, and `op` no longer
/// depends on the copy's store (see the module documentation). Likewise after `copy2`
/// (its second copy, and its first when the second does not overwrite either slot) and
/// after `copy_br_if_nez_s` (for the op it falls through to).
///
/// Preconditions: targets are resolved to op indexes (control reaches `op` other than
/// from the copy only if it is a branch target, which is skipped); only the operands
/// that `op` reads before it writes anything are renamed ([`for_each_early_read`]), so
/// a write by `op` to `d` or `s` cannot come between. `targets` is [`mark_targets`]'s.
pub(crate) fn forward_copies(ops: &mut [Op], targets: &[bool]) {
    for i in 1..ops.len() {
        if targets[i] {
            continue;
        }
        let equal = match ops[i - 1] {
            Op::Copy { dst, src } | Op::CopyBrIfNezS { dst, src, .. } => [Some((dst, src)), None],
            Op::Copy2 {
                dst,
                src,
                dst2,
                src2,
            } => {
                let first_holds = dst2 != dst && dst2 != src;
                [Some((dst2, src2)), first_holds.then_some((dst, src))]
            }
            _ => continue,
        };
        for (d, s) in equal.into_iter().flatten() {
            for_each_early_read(&mut ops[i], |x| {
                if *x == d {
                    *x = s;
                }
            });
        }
    }
}

/// The op doing `first` then `second`, for the pairs [`fuse_pairs`] merges: the top pairs
/// of CoreMark and the programs left after the emitter's rules (`experiments/op-pairs.sh`,
/// `papers/notes-speed.md` section 16). Each fused op does both in order, so any operands
/// are exact; the second reads what the first wrote.
fn fused_pair(first: &Op, second: &Op) -> Option<Op> {
    Some(match (first, second) {
        // Both in place only: see `I32AddSi2`'s documentation.
        (
            &Op::I32AddSi { dst: d, a, imm },
            &Op::I32AddSi {
                dst: d2,
                a: a2,
                imm: imm2,
            },
        ) if a == d && a2 == d2 => Op::I32AddSi2 { d, imm, d2, imm2 },
        (&Op::I32AddSi { dst: d, a, imm }, &Op::I32AddSs { dst: d2, a: a2, b })
            if a == d && a2 == d2 =>
        {
            Op::I32AddSiAddSs { d, imm, d2, b }
        }
        (&Op::I32LoadAs { addr: a, offset }, &Op::I32Load16UAa { offset: offset2 }) => {
            Op::I32LoadAsLoad16UAa { a, offset, offset2 }
        }
        (&Op::I32LoadAs { addr: a, offset }, &Op::I32Load8UAa { offset: offset2 }) => {
            Op::I32LoadAsLoad8UAa { a, offset, offset2 }
        }
        (&Op::I32MulAas { b }, &Op::I32AddSas { dst, b: c }) => Op::I32MulAddSas { b, dst, c },
        (&Op::I32ShlAsi { a, imm }, &Op::I32AddAas { b }) => Op::I32ShlAddAsis { a, shift: imm, b },
        // A shift into a temporary `t`, then an xor (or add) reading it: `t` is still
        // written (see `I32RotlSiXorSs`); `other` is the xor's operand that is not `t`.
        (&Op::I32RotlSi { dst: t, a, imm: k }, &Op::I32XorSs { dst: d, a: x, b: y })
            if x == t || y == t =>
        {
            Op::I32RotlSiXorSs {
                t,
                a,
                k,
                dst: d,
                y: other(x, y, t),
            }
        }
        (&Op::I32RotlSi { dst: t, a, imm: k }, &Op::I32XorAas { b }) if b == t => {
            Op::I32RotlSiXorAas { t, a, k }
        }
        (&Op::I32RotlSi { dst: t, a, imm: k }, &Op::I32XorAss { a: x, b: y })
            if x == t || y == t =>
        {
            Op::I32RotlSiXorAss {
                t,
                a,
                k,
                y: other(x, y, t),
            }
        }
        (&Op::I32ShrUSi { dst: t, a, imm: k }, &Op::I32XorSs { dst: d, a: x, b: y })
            if x == t || y == t =>
        {
            Op::I32ShrUSiXorSs {
                t,
                a,
                k,
                dst: d,
                y: other(x, y, t),
            }
        }
        (&Op::I32ShrUSi { dst: t, a, imm: k }, &Op::I32XorAas { b }) if b == t => {
            Op::I32ShrUSiXorAas { t, a, k }
        }
        (&Op::I32ShlSi { dst: t, a, imm: k }, &Op::I32AddAas { b }) if b == t => {
            Op::I32ShlSiAddAas { t, a, k }
        }
        (
            &Op::Copy { dst: c, src },
            &Op::I32LoadStoreS {
                dst,
                addr,
                offset,
                value: v,
            },
        ) if src == addr && dst == addr => Op::I32CopyLoadStoreS {
            c,
            p: addr,
            offset,
            v,
        },
        // The reversal's step closed by its loop test: `v <- c` (prev = the node), while
        // `p` (the next node) is not null. Distinct slots only, so the handler reads
        // each once (see `I32ReverseStepS`).
        (
            &Op::I32CopyLoadStoreS { c, p, offset, v },
            &Op::CopyBrIfNezS {
                dst,
                src,
                target,
                cond,
            },
        ) if dst == v && src == c && cond == p && c != p && c != v && p != v => {
            Op::I32ReverseStepS {
                c,
                p,
                offset,
                v,
                target,
            }
        }
        (&Op::BrI32EqSi { target, a, imm }, Op::BrTableS { index, targets }) => {
            Op::BrI32EqSiBrTableS {
                target,
                a,
                imm,
                index: *index,
                targets: targets.clone(),
            }
        }
        _ => return None,
    })
}

/// The list search at `i` that is its loop's whole body, as one op that iterates in its
/// handler (see `I32FindLoad16UAndS`): `load_as [p + o]; load16_u_aa [acc + o2]` (or
/// `load8_u_aa`), `and_si_br_eq_as found t <- key & imm`, `load_s_br_nez p <- [p + next]`
/// branching back to `i`, with no branch landing inside. `ops[i..]` are not yet moved or
/// renumbered (targets are old indexes).
fn find_loop(ops: &[Op], targets: &[bool], i: usize) -> Option<Op> {
    let w = ops.get(i..i + 4)?;
    if targets[i + 1..i + 4].contains(&true) {
        return None;
    }
    let (
        &Op::I32LoadAs { addr: p, offset },
        field,
        &Op::I32AndSiBrEqAs {
            target: found,
            dst: t,
            a: key,
            imm,
        },
        &Op::I32LoadSBrNez {
            target,
            dst,
            addr,
            offset: next,
        },
    ) = (&w[0], &w[1], &w[2], &w[3])
    else {
        return None;
    };
    // The node stays in a register: only `p` holds it, and the loop writes only `p`
    // (the next node) and `t` (the same masked key every time).
    if target.0 as usize != i || dst != p || addr != p || t == p || key == p {
        return None;
    }
    Some(match *field {
        Op::I32Load16UAa { offset: offset2 } => Op::I32FindLoad16UAndS {
            p,
            offset,
            offset2,
            t,
            key,
            imm,
            next,
            found,
            target,
        },
        Op::I32Load8UAa { offset: offset2 } => Op::I32FindLoad8UAndS {
            p,
            offset,
            offset2,
            t,
            key,
            imm,
            next,
            found,
            target,
        },
        _ => return None,
    })
}

/// The four fused ops `w` as one CRC bit step, if they are one (see `I32CrcStepS`):
/// `shr_u_and_ssii t1 <- a; xor_si t2 <- t1 ^ poly; shr_u_si_xor_ss t <- data >> k, c <-
/// y ^ t; select_and_s dst <- c & bit ? t2 : t1`. The caller checks that no branch lands
/// inside. The select's three operands are the values the three ops before it wrote last
/// to those slots, so they stay in registers: `t1` and `t2` differ, and the shift-xor
/// writes neither.
fn crc_step(w: &[Op]) -> Option<Op> {
    let (
        &Op::I32ShrUAndSsii {
            dst: t1,
            a,
            shift,
            mask,
        },
        &Op::I32XorSi {
            dst: t2,
            a: x,
            imm: poly,
        },
        &Op::I32ShrUSiXorSs {
            t,
            a: data,
            k,
            dst: c,
            y,
        },
        &Op::SelectAndS {
            dst,
            a: sa,
            b: sb,
            cond,
            mask: bit,
        },
    ) = (&w[0], &w[1], &w[2], &w[3])
    else {
        return None;
    };
    let kept = [t1, t2];
    if x != t1 || t1 == t2 || kept.contains(&t) || kept.contains(&c) {
        return None;
    }
    if (sa, sb, cond) != (t2, t1, c) {
        return None;
    }
    Some(Op::I32CrcStepS {
        t1,
        a,
        shift,
        mask,
        t2,
        poly,
        t,
        data,
        k,
        c,
        y,
        dst,
        bit,
    })
}

/// Of a commutative op's operands `x` and `y`, one of which is `t`: the other (`t` if
/// both are).
fn other(x: u32, y: u32, t: u32) -> u32 {
    if x == t {
        y
    } else {
        x
    }
}

/// Sets `targets[i]` (for `i` up to `ops.len()`) to whether a branch lands on op `i`, for
/// the passes over final code ([`forward_copies`], [`fuse_pairs`]); targets are resolved
/// to op indexes. The vector is the caller's, to reuse its allocation.
pub(crate) fn mark_targets(ops: &mut [Op], targets: &mut Vec<bool>) {
    targets.clear();
    targets.resize(ops.len() + 1, false);
    for op in ops.iter_mut() {
        op.for_each_target_mut(|t| targets[t.0 as usize] = true);
    }
}

/// Merges adjacent pairs of final code into one op ([`fused_pair`]), left to right, where
/// no branch lands on the second op (control reaches it only from the first), a list
/// search's four ops that are their loop's whole body ([`find_loop`]) and a CRC's bit
/// step ([`crc_step`]); then removes the merged ops and renumbers every branch target,
/// turning a reversal step that branches to itself into the op that loops in its handler
/// (`I32ReverseLoopS`). `targets` is [`mark_targets`]'s; `new_index` is scratch space.
pub(crate) fn fuse_pairs(ops: &mut Vec<Op>, targets: &[bool], new_index: &mut Vec<u32>) {
    // `new_index[i]`: where op `i` (or the pair it starts) ends up; targets are never a
    // merged second op, so every target has one.
    new_index.clear();
    let mut out = 0;
    let mut i = 0;
    // Bit `k`: whether a branch lands on output op `out - 1 - k` (the last few only).
    let mut landed = 0u32;
    while i < ops.len() {
        new_index.push(out as u32);
        landed = landed << 1 | u32::from(targets[i]);
        if let Some(op) = find_loop(ops, targets, i) {
            // Four ops into one; nothing lands on the last three.
            new_index.extend([out as u32; 3]);
            ops[out] = op;
            i += 4;
            out += 1;
            continue;
        }
        ops.swap(out, i);
        i += 1;
        // A fused op may merge again with the op after it (`copy; load_store_s` and then
        // the loop's `copy_br_if_nez_s`): a chain of pairs, each fused once.
        while i < ops.len() && !targets[i] {
            let Some(op) = fused_pair(&ops[out], &ops[i]) else {
                break;
            };
            new_index.push(out as u32);
            ops[out] = op;
            i += 1;
        }
        out += 1;
        // The last four output ops (pairs already fused: the step's shift-xor is one)
        // may be a CRC bit step. Nothing lands on its last three, so no target maps to
        // them and the stale `new_index` entries are never read.
        if out >= 4 && landed & 0b111 == 0 {
            if let Some(op) = crc_step(&ops[out - 4..out]) {
                out -= 3;
                ops[out - 1] = op;
                landed >>= 3;
            }
        }
    }
    if out == ops.len() {
        return;
    }
    new_index.push(out as u32);
    ops.truncate(out);
    for (i, op) in ops.iter_mut().enumerate() {
        op.for_each_target_mut(|t| t.0 = new_index[t.0 as usize]);
        // A reversal step that is the whole body of its loop iterates in its handler.
        if let Op::I32ReverseStepS {
            c,
            p,
            offset,
            v,
            target,
        } = *op
        {
            if target.0 as usize == i {
                *op = Op::I32ReverseLoopS {
                    c,
                    p,
                    offset,
                    v,
                    target,
                };
            }
        }
    }
}

/// `i32.load_as [s + o]; i32.add_aai k; i32.store_sa [s + o]` (a counter in memory, `*p
/// += k`) becomes `i32.load_add_store_asi s o k`, which checks the address once: the
/// store's address is the load's, so it is in bounds exactly when the load was, and a
/// trap happens at the load as before (nothing written). The sum stays in the
/// accumulator, as after the unfused ops.
///
/// Preconditions: `prev` and `last` are the window's adjacent pair (no label between them
/// or before `store`, so the add reads the load's value and the store the add's: all in
/// the accumulator, which nothing else writes in between); `store` is an `i32.store_sa`
/// with the load's address slot (which neither op writes) and offset. Returns whether it
/// fired; the caller then removes `last` and does not emit `store`.
pub(crate) fn load_add_into_store(ops: &mut [Op], prev: usize, last: usize, store: &Op) -> bool {
    match (&ops[prev], &ops[last], store) {
        (
            &Op::I32LoadAs { addr, offset },
            &Op::I32AddAai { imm },
            &Op::I32StoreSa {
                addr: addr2,
                offset: offset2,
            },
        ) if addr2 == addr && offset2 == offset => {
            ops[prev] = Op::I32LoadAddStoreAsi { addr, offset, imm };
            true
        }
        _ => false,
    }
}

/// Most ops a rotated loop's header may have, its test included. Each `br` back to the
/// loop gets a copy of them: a longer header would grow the code for little gain.
pub(crate) const MAX_HEADER_OPS: usize = 2;

/// Loop rotation: `br L` back to a loop whose header is `L: [op;] br_cmp E; B: ...` (its
/// exit test) becomes a copy of the header with the test negated and a jump to the exit,
/// `[op;] br_not_cmp B; br_charged E`. Returns those ops, to emit in place of the `br`,
/// and the op index where the label `body` (the negated test's target, `B`) must be
/// bound: the op after the header's test. An iteration then runs one taken branch back
/// to `B` instead of the `br` plus the header's untaken test.
///
/// The copy runs exactly what `br L` followed by the header would, from the same state,
/// so it means the same, given these preconditions:
/// - `header` is the op index the loop's label is bound to, already emitted: the `br` is
///   backward (the emitter asks only for loops, whose label is bound at their start).
/// - The loop has no parameters (`loop_has_params`), so the `br` moves no values: the
///   header starts from the state the `br` leaves.
/// - The header is a straight run of at most [`MAX_HEADER_OPS`] ops: ops that only write
///   slots from slots, constants or globals (`copy`, `copy2`, `const`, `global.get_s`:
///   no trap, no store or call, no accumulator, no control), then the test, an integer
///   compare-and-branch on slots or an immediate (`br_<cmp>_ss`, `br_<cmp>_si`,
///   `br_if_nez_s`, `br_if_eqz_s`), whose negation is exact (a float comparison's is not,
///   with NaN). No label is bound inside the run after its first op
///   (`first_label_after_header`, the lowest op index above `header` with a label bound
///   to it): control enters it only at the top, so the run is the header's whole effect.
/// - The test's target is forward, a label not bound yet (`exit_is_bound`).
///
/// Fuel (one unit per taken backward branch) stays the same. Before, each iteration and
/// the exit each take the back edge `br L` once (one unit), and the test's exit branch,
/// forward, is free. After, an iteration takes the negated test back to `B` (backward,
/// one unit), and the exit falls through to `br_charged E`, which charges the unit of
/// the back edge the loop no longer takes (a forward exit makes that exact; a backward
/// one would have been charged on top). No copied op traps or has an effect besides
/// its slot, so when fuel runs out the copy has done nothing observable, as the `br`.
pub(crate) fn rotate_loop(
    ops: &[Op],
    header: usize,
    loop_has_params: bool,
    first_label_after_header: usize,
    exit_is_bound: impl Fn(Target) -> bool,
    body: Target,
) -> Option<(usize, Vec<Op>)> {
    if loop_has_params {
        return None;
    }
    let run = ops.get(header..)?;
    let test = run
        .iter()
        .take(MAX_HEADER_OPS)
        .position(|op| !writes_only_a_slot(op))?;
    // A label bound at the test or between: control may enter the run below its top.
    if first_label_after_header <= header + test {
        return None;
    }
    let (negated, exit) = negated_test(&run[test], body)?;
    if exit_is_bound(exit) {
        return None;
    }
    let mut rotated = run[..test].to_vec();
    rotated.push(negated);
    rotated.push(Op::BrCharged { target: exit });
    Some((header + test + 1, rotated))
}

/// Ops a rotated loop's header may run before its test: each only writes a slot, from
/// slots, an immediate or a global, and cannot trap.
fn writes_only_a_slot(op: &Op) -> bool {
    matches!(
        op,
        Op::Copy { .. } | Op::Copy2 { .. } | Op::Const { .. } | Op::GlobalGetS { .. }
    )
}

/// `xor`/`sub` of integers of width `i64` (else i32) as `eq` of the same operands, in
/// the same shape.
fn difference_to_eq(op: &Op, i64: bool) -> Option<Op> {
    macro_rules! to_eq {
        ($Xor:ident, $Sub:ident, $Eq:ident) => {
            paste::paste! {
                Some(match *op {
                    Op::[<$Xor Ss>] { dst, a, b } | Op::[<$Sub Ss>] { dst, a, b } => Op::[<$Eq Ss>] { dst, a, b },
                    Op::[<$Xor Si>] { dst, a, imm } | Op::[<$Sub Si>] { dst, a, imm } => Op::[<$Eq Si>] { dst, a, imm },
                    Op::[<$Xor Is>] { dst, imm, b } | Op::[<$Sub Is>] { dst, imm, b } => Op::[<$Eq Is>] { dst, imm, b },
                    Op::[<$Xor Ass>] { a, b } | Op::[<$Sub Ass>] { a, b } => Op::[<$Eq Ass>] { a, b },
                    Op::[<$Xor Asi>] { a, imm } | Op::[<$Sub Asi>] { a, imm } => Op::[<$Eq Asi>] { a, imm },
                    Op::[<$Xor Aas>] { b } | Op::[<$Sub Aas>] { b } => Op::[<$Eq Aas>] { b },
                    Op::[<$Xor Aai>] { imm } | Op::[<$Sub Aai>] { imm } => Op::[<$Eq Aai>] { imm },
                    Op::[<$Xor Sas>] { dst, b } | Op::[<$Sub Sas>] { dst, b } => Op::[<$Eq Sas>] { dst, b },
                    Op::[<$Xor Sai>] { dst, imm } | Op::[<$Sub Sai>] { dst, imm } => Op::[<$Eq Sai>] { dst, imm },
                    _ => return None,
                })
            }
        };
    }
    if i64 {
        to_eq!(I64Xor, I64Sub, I64Eq)
    } else {
        to_eq!(I32Xor, I32Sub, I32Eq)
    }
}

macro_rules! define_fusion_helpers {
    (
        unary { $( $UName:ident $uname:ident ($ua:ty) -> $ur:ty; )* }
        unary_trap { $( $TName:ident $tname:ident ($ta:ty) -> $tr:ty; )* }
        binary { $( $BName:ident $bname:ident ($ba:ty, $bb:ty) -> $br:ty; )* }
        binary_trap { $( $QName:ident $qname:ident ($qa:ty, $qb:ty) -> $qr:ty; )* }
        load { $( $LName:ident $lname:ident $lm:ty => $lr:ty; )* }
        store { $( $SName:ident $sname:ident $sv:ty => $sm:ty; )* }
        branch_cmp { $( $CName:ident $cname:ident ($ct:ty); )* }
        other { $($rest:tt)* }
    ) => { paste::paste! {
        /// The same op writing its result to slot `x` instead (for fusing `local.set`).
        pub(crate) fn retarget(op: &Op, x: u32) -> Option<Op> {
            let dst = x;
            Some(match *op {
                $(
                    Op::[<$UName S>] { a, .. } => Op::[<$UName S>] { dst, a },
                    Op::[<$UName As>] { a } => Op::[<$UName S>] { dst, a },
                    Op::[<$UName Aa>] {} => Op::[<$UName Sa>] { dst },
                )*
                $(
                    Op::[<$TName S>] { a, .. } => Op::[<$TName S>] { dst, a },
                    Op::[<$TName As>] { a } => Op::[<$TName S>] { dst, a },
                    Op::[<$TName Aa>] {} => Op::[<$TName Sa>] { dst },
                )*
                $(
                    Op::[<$BName Ss>] { a, b, .. } | Op::[<$BName Ass>] { a, b } => Op::[<$BName Ss>] { dst, a, b },
                    Op::[<$BName Si>] { a, imm, .. } | Op::[<$BName Asi>] { a, imm } => Op::[<$BName Si>] { dst, a, imm },
                    Op::[<$BName Is>] { imm, b, .. } => Op::[<$BName Is>] { dst, imm, b },
                    Op::[<$BName Aas>] { b } => Op::[<$BName Sas>] { dst, b },
                    Op::[<$BName Aai>] { imm } => Op::[<$BName Sai>] { dst, imm },
                )*
                $(
                    Op::[<$QName Ss>] { a, b, .. } | Op::[<$QName Ass>] { a, b } => Op::[<$QName Ss>] { dst, a, b },
                    Op::[<$QName Si>] { a, imm, .. } | Op::[<$QName Asi>] { a, imm } => Op::[<$QName Si>] { dst, a, imm },
                    Op::[<$QName Is>] { imm, b, .. } => Op::[<$QName Is>] { dst, imm, b },
                    Op::[<$QName Aas>] { b } => Op::[<$QName Sas>] { dst, b },
                    Op::[<$QName Aai>] { imm } => Op::[<$QName Sai>] { dst, imm },
                )*
                $(
                    Op::[<$LName S>] { addr, offset, .. } | Op::[<$LName As>] { addr, offset } => Op::[<$LName S>] { dst, addr, offset },
                    Op::[<$LName I>] { ea, .. } | Op::[<$LName Ai>] { ea } => Op::[<$LName I>] { dst, ea },
                    Op::[<$LName Aa>] { offset } => Op::[<$LName Sa>] { dst, offset },
                )*
                Op::Const { bits, .. } => Op::Const { dst, bits },
                Op::I32ShrUAndAsii { a, shift, mask } | Op::I32ShrUAndSsii { a, shift, mask, .. } => {
                    Op::I32ShrUAndSsii { dst, a, shift, mask }
                }
                Op::I32AddAndAsii { a, imm, mask } | Op::I32AddAndSsii { a, imm, mask, .. } => {
                    Op::I32AddAndSsii { dst, a, imm, mask }
                }
                Op::GlobalGetS { global, .. } => Op::GlobalGetS { dst, global },
                Op::SelectS { a, b, cond, .. } => Op::SelectS { dst, a, b, cond },
                Op::SelectAndS { a, b, cond, mask, .. } => Op::SelectAndS { dst, a, b, cond, mask },
                Op::SelectIs { imm, b, cond, .. } => Op::SelectIs { dst, imm, b, cond },
                Op::SelectSi { a, imm, cond, .. } => Op::SelectSi { dst, a, imm, cond },
                _ => return None,
            })
        }

        /// Calls `f` on each slot operand that `op` reads before it writes anything (a
        /// slot, memory or an accumulator), for [`forward_copies`]. Operands read after a
        /// write (`copy2`'s `src2`, `i32.load_store_s`'s `value`, the second compare
        /// operand of the fused compute-and-branch ops), slots an op both reads and
        /// writes (`i32.step_br_*`'s `d`) and ops not listed are left alone.
        pub(crate) fn for_each_early_read(op: &mut Op, mut f: impl FnMut(&mut u32)) {
            match op {
                $(
                    Op::[<$UName S>] { a, .. } | Op::[<$UName As>] { a } => f(a),
                )*
                $(
                    Op::[<$TName S>] { a, .. } | Op::[<$TName As>] { a } => f(a),
                )*
                $(
                    Op::[<$BName Ss>] { a, b, .. } | Op::[<$BName Ass>] { a, b } => { f(a); f(b) }
                    Op::[<$BName Si>] { a, .. } | Op::[<$BName Asi>] { a, .. } => f(a),
                    Op::[<$BName Is>] { b, .. } | Op::[<$BName Aas>] { b } | Op::[<$BName Sas>] { b, .. } => f(b),
                )*
                $(
                    Op::[<$QName Ss>] { a, b, .. } | Op::[<$QName Ass>] { a, b } => { f(a); f(b) }
                    Op::[<$QName Si>] { a, .. } | Op::[<$QName Asi>] { a, .. } => f(a),
                    Op::[<$QName Is>] { b, .. } | Op::[<$QName Aas>] { b } | Op::[<$QName Sas>] { b, .. } => f(b),
                )*
                $(
                    Op::[<$LName S>] { addr, .. } | Op::[<$LName As>] { addr, .. } => f(addr),
                )*
                $(
                    Op::[<$SName Ss>] { addr, value, .. } => { f(addr); f(value) }
                    Op::[<$SName Si>] { addr, .. } | Op::[<$SName Sa>] { addr, .. } => f(addr),
                    Op::[<$SName Is>] { value, .. } | Op::[<$SName As>] { value, .. } => f(value),
                )*
                $(
                    Op::[<Br $CName Ss>] { a, b, .. } => { f(a); f(b) }
                    Op::[<Br $CName Si>] { a, .. } => f(a),
                    Op::[<Br $CName As>] { b, .. } => f(b),
                )*
                Op::Copy { src, .. } | Op::Copy2 { src, .. } | Op::CopyBrIfNezS { src, .. } => f(src),
                Op::BrIfNezS { cond, .. } | Op::BrIfEqzS { cond, .. } => f(cond),
                Op::BrTableS { index, .. } => f(index),
                Op::ReturnS1 { from } => f(from),
                Op::GlobalSetS { src, .. } => f(src),
                Op::SelectS { a, b, cond, .. } | Op::SelectAndS { a, b, cond, .. } => { f(a); f(b); f(cond) }
                Op::SelectIs { b, cond, .. } => { f(b); f(cond) }
                Op::SelectSi { a, cond, .. } => { f(a); f(cond) }
                Op::I32AddSiBrNez { a, .. }
                | Op::I32ShrUAndAsii { a, .. }
                | Op::I32ShrUAndSsii { a, .. }
                | Op::I32AddAndAsii { a, .. }
                | Op::I32AddAndSsii { a, .. }
                | Op::I32AndSiBrEqSs { a, .. }
                | Op::I32AndSiBrEqAs { a, .. }
                | Op::I32AddSiGlobalSet { a, .. } => f(a),
                Op::I32LoadSBrNez { addr, .. }
                | Op::I32LoadStoreS { addr, .. }
                | Op::I32LoadAddStoreAsi { addr, .. } => f(addr),
                _ => {}
            }
        }

        /// A comparison (or `i32.eqz`) as a branch to `target` taken when it is false.
        /// Only integer comparisons are fused, so negating them is exact.
        pub(crate) fn negated_branch(op: &Op, target: Target) -> Option<Op> {
            match *op {
                Op::I32EqzS { a, .. } | Op::I32EqzAs { a } => Some(Op::BrIfNezS { target, cond: a }),
                _ => fuse_compare(&negate(op)?, target),
            }
        }

        /// A comparison (or `i32.eqz`) as a compare-and-branch to `target`.
        pub(crate) fn fuse_compare(op: &Op, target: Target) -> Option<Op> {
            match *op {
                $( Op::[<$CName Ss>] { a, b, .. } | Op::[<$CName Ass>] { a, b } => Some(Op::[<Br $CName Ss>] { target, a, b }), )*
                $( Op::[<$CName Si>] { a, imm, .. } | Op::[<$CName Asi>] { a, imm } => Some(Op::[<Br $CName Si>] { target, a, imm }), )*
                $( Op::[<$CName Aas>] { b } => Some(Op::[<Br $CName As>] { target, b }), )*
                $( Op::[<$CName Aai>] { imm } => Some(Op::[<Br $CName Ai>] { target, imm }), )*
                Op::I32EqzS { a, .. } | Op::I32EqzAs { a } => Some(Op::BrIfEqzS { target, cond: a }),
                _ => None,
            }
        }

        /// A loop header's test (a compare-and-branch on slots or an immediate, or a
        /// branch on a slot) as the branch with the opposite outcome to `target`, and the
        /// test's own target. Negates integer comparisons only, which is exact.
        pub(crate) fn negated_test(op: &Op, target: Target) -> Option<(Op, Target)> {
            let (cmp, exit) = match *op {
                $( Op::[<Br $CName Ss>] { target: exit, a, b } => (Op::[<$CName Ss>] { dst: 0, a, b }, exit), )*
                $( Op::[<Br $CName Si>] { target: exit, a, imm } => (Op::[<$CName Si>] { dst: 0, a, imm }, exit), )*
                Op::BrIfNezS { target: exit, cond } => return Some((Op::BrIfEqzS { target, cond }, exit)),
                Op::BrIfEqzS { target: exit, cond } => return Some((Op::BrIfNezS { target, cond }, exit)),
                _ => return None,
            };
            Some((negated_branch(&cmp, target)?, exit))
        }
    } };
}
crate::for_each_op!(define_fusion_helpers);

macro_rules! negations {
    ($( $A:ident <=> $B:ident ),* $(,)?) => { paste::paste! {
        /// The comparison with the opposite outcome (integer comparisons only).
        fn negate(op: &Op) -> Option<Op> {
            Some(match *op {
                $(
                    Op::[<$A Ss>] { dst, a, b } => Op::[<$B Ss>] { dst, a, b },
                    Op::[<$B Ss>] { dst, a, b } => Op::[<$A Ss>] { dst, a, b },
                    Op::[<$A Si>] { dst, a, imm } => Op::[<$B Si>] { dst, a, imm },
                    Op::[<$B Si>] { dst, a, imm } => Op::[<$A Si>] { dst, a, imm },
                    Op::[<$A Ass>] { a, b } => Op::[<$B Ass>] { a, b },
                    Op::[<$B Ass>] { a, b } => Op::[<$A Ass>] { a, b },
                    Op::[<$A Asi>] { a, imm } => Op::[<$B Asi>] { a, imm },
                    Op::[<$B Asi>] { a, imm } => Op::[<$A Asi>] { a, imm },
                    Op::[<$A Aas>] { b } => Op::[<$B Aas>] { b },
                    Op::[<$B Aas>] { b } => Op::[<$A Aas>] { b },
                    Op::[<$A Aai>] { imm } => Op::[<$B Aai>] { imm },
                    Op::[<$B Aai>] { imm } => Op::[<$A Aai>] { imm },
                )*
                _ => return None,
            })
        }
    } };
}
negations! {
    I32Eq <=> I32Ne, I32LtS <=> I32GeS, I32LtU <=> I32GeU, I32GtS <=> I32LeS, I32GtU <=> I32LeU,
    I64Eq <=> I64Ne, I64LtS <=> I64GeS, I64LtU <=> I64GeU, I64GtS <=> I64LeS, I64GtU <=> I64LeU,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add_ss(dst: u32) -> Op {
        Op::I32AddSs { dst, a: 0, b: 1 }
    }

    fn lt_ss(dst: u32) -> Op {
        Op::I32LtSSs { dst, a: 0, b: 1 }
    }

    #[test]
    fn window_opens_per_producer_and_closes() {
        let mut w = Window::default();
        w.produced_top(3);
        w.produced_acc(1, 3);
        assert_eq!(w.top_producer(), Some(3));
        assert_eq!(w.acc_producer(1), Some(3));
        assert_eq!(w.acc_producer(0), None);
        w.stack_changed();
        assert_eq!(w.top_producer(), None);
        assert_eq!(w.acc_producer(1), Some(3));
        w.close();
        assert_eq!(w.acc_producer(1), None);
    }

    #[test]
    fn local_set_into_producer_fires() {
        let mut ops = vec![add_ss(5)];
        assert!(local_set_into_producer(&mut ops, 0, 2, false));
        assert_eq!(ops, [add_ss(2)]);
    }

    #[test]
    fn local_set_into_producer_needs_no_other_reader() {
        let mut ops = vec![add_ss(5)];
        assert!(!local_set_into_producer(&mut ops, 0, 2, true));
        assert_eq!(ops, [add_ss(5)]);
    }

    #[test]
    fn local_set_into_producer_needs_a_slot_form() {
        let mut ops = vec![Op::MemorySize {}];
        assert!(!local_set_into_producer(&mut ops, 0, 2, false));
        assert_eq!(ops, [Op::MemorySize {}]);
    }

    #[test]
    fn compare_into_br_if_fires() {
        let mut ops = vec![lt_ss(5)];
        assert!(compare_into_br_if(&mut ops, 0, Target(9), false, false));
        assert_eq!(
            ops,
            [Op::BrI32LtSSs {
                target: Target(9),
                a: 0,
                b: 1
            }]
        );
    }

    #[test]
    fn compare_into_br_if_preconditions() {
        for (needs_moves, is_return) in [(true, false), (false, true)] {
            let mut ops = vec![lt_ss(5)];
            assert!(!compare_into_br_if(
                &mut ops,
                0,
                Target(9),
                needs_moves,
                is_return
            ));
            assert_eq!(ops, [lt_ss(5)]);
        }
        // Not a comparison.
        let mut ops = vec![add_ss(5)];
        assert!(!compare_into_br_if(&mut ops, 0, Target(9), false, false));
        // A float comparison: not fused (its negation is not exact).
        let mut ops = vec![Op::F64LtSs { dst: 5, a: 0, b: 1 }];
        assert!(!compare_into_br_if(&mut ops, 0, Target(9), false, false));
    }

    #[test]
    fn negated_compare_into_if_fires_and_negates() {
        let mut ops = vec![add_ss(4), lt_ss(5)];
        let fused = negated_compare_into_if(&mut ops, 1, Target(9));
        assert_eq!(
            fused,
            Some(Op::BrI32GeSSs {
                target: Target(9),
                a: 0,
                b: 1
            })
        );
        assert_eq!(ops, [add_ss(4)]);
        let mut ops = vec![Op::I32EqzS { dst: 5, a: 3 }];
        assert_eq!(
            negated_compare_into_if(&mut ops, 0, Target(9)),
            Some(Op::BrIfNezS {
                target: Target(9),
                cond: 3
            })
        );
    }

    #[test]
    fn negated_compare_into_if_needs_an_integer_comparison() {
        let mut ops = vec![add_ss(5)];
        assert_eq!(negated_compare_into_if(&mut ops, 0, Target(9)), None);
        assert_eq!(ops, [add_ss(5)]);
    }

    #[test]
    fn spill_into_producer_fires() {
        let mut ops = vec![Op::I32AddAss { a: 0, b: 1 }];
        assert!(spill_into_producer(&mut ops, 0, 7));
        assert_eq!(ops, [add_ss(7)]);
        let mut ops = vec![Op::MemorySize {}];
        assert!(!spill_into_producer(&mut ops, 0, 7));
    }

    #[test]
    fn window_adjacent_until_a_label() {
        let mut w = Window::default();
        w.close();
        w.emitted(4);
        assert_eq!(w.adjacent(5), Some(4));
        // Closing the window keeps the op's place in the code.
        w.close();
        assert_eq!(w.adjacent(5), Some(4));
        // An op removed since (the last op is no longer 4).
        assert_eq!(w.adjacent(4), None);
        w.label_bound();
        assert_eq!(w.adjacent(5), None);
    }

    #[test]
    fn eqz_into_producer_negates_a_comparison() {
        let mut ops = vec![lt_ss(5)];
        assert!(eqz_into_producer(&mut ops, 0, false));
        assert_eq!(ops, [Op::I32GeSSs { dst: 5, a: 0, b: 1 }]);
        let mut ops = vec![Op::I64LtUAsi { a: 2, imm: 7 }];
        assert!(eqz_into_producer(&mut ops, 0, false));
        assert_eq!(ops, [Op::I64GeUAsi { a: 2, imm: 7 }]);
    }

    #[test]
    fn eqz_into_producer_turns_a_difference_into_eq() {
        let mut ops = vec![Op::I32XorAss { a: 0, b: 1 }];
        assert!(eqz_into_producer(&mut ops, 0, false));
        assert_eq!(ops, [Op::I32EqAss { a: 0, b: 1 }]);
        let mut ops = vec![Op::I64SubSi {
            dst: 3,
            a: 0,
            imm: 9,
        }];
        assert!(eqz_into_producer(&mut ops, 0, true));
        assert_eq!(
            ops,
            [Op::I64EqSi {
                dst: 3,
                a: 0,
                imm: 9
            }]
        );
    }

    #[test]
    fn eqz_into_producer_preconditions() {
        // i64.eqz never matches an i32 difference, nor i32.eqz an i64 one.
        let mut ops = vec![Op::I32XorAss { a: 0, b: 1 }];
        assert!(!eqz_into_producer(&mut ops, 0, true));
        let mut ops = vec![Op::I64XorAss { a: 0, b: 1 }];
        assert!(!eqz_into_producer(&mut ops, 0, false));
        assert_eq!(ops, [Op::I64XorAss { a: 0, b: 1 }]);
        // A float comparison: its negation is not exact.
        let mut ops = vec![Op::F64LtSs { dst: 5, a: 0, b: 1 }];
        assert!(!eqz_into_producer(&mut ops, 0, false));
        // Neither a comparison nor a difference.
        let mut ops = vec![add_ss(5)];
        assert!(!eqz_into_producer(&mut ops, 0, false));
        assert_eq!(ops, [add_ss(5)]);
    }

    #[test]
    fn mask_into_producer_fires_on_shr_u_by_a_constant() {
        let mut ops = vec![Op::I32ShrUAsi { a: 3, imm: 8 }];
        assert!(mask_into_producer(&mut ops, 0, 0xff));
        let fused = Op::I32ShrUAndAsii {
            a: 3,
            shift: 8,
            mask: 0xff,
        };
        assert_eq!(ops, std::slice::from_ref(&fused));
        // The fused op still has a slot form, for `local.set` and spills.
        assert_eq!(
            retarget(&fused, 6),
            Some(Op::I32ShrUAndSsii {
                dst: 6,
                a: 3,
                shift: 8,
                mask: 0xff
            })
        );
        // Not a logical shift right or an add, by a constant; not an i64 add.
        for op in [
            Op::I32ShrSAsi { a: 3, imm: 8 },
            Op::I32ShrUAss { a: 3, b: 4 },
            Op::I32AddAss { a: 3, b: 4 },
            Op::I64AddAsi { a: 3, imm: 8 },
        ] {
            let mut ops = vec![op.clone()];
            assert!(!mask_into_producer(&mut ops, 0, 0xff));
            assert_eq!(ops, [op]);
        }
    }

    #[test]
    fn mask_into_producer_fires_on_add_of_a_constant() {
        let mut ops = vec![Op::I32AddAsi {
            a: 3,
            imm: 0xffff_ffd0,
        }];
        assert!(mask_into_producer(&mut ops, 0, 0xff));
        let fused = Op::I32AddAndAsii {
            a: 3,
            imm: 0xffff_ffd0,
            mask: 0xff,
        };
        assert_eq!(ops, std::slice::from_ref(&fused));
        assert_eq!(
            retarget(&fused, 6),
            Some(Op::I32AddAndSsii {
                dst: 6,
                a: 3,
                imm: 0xffff_ffd0,
                mask: 0xff
            })
        );
    }

    #[test]
    fn copy_into_copy_fires_only_on_a_copy() {
        let mut ops = vec![Op::Copy { dst: 1, src: 2 }];
        assert!(copy_into_copy(&mut ops, 0, 3, 1));
        assert_eq!(
            ops,
            [Op::Copy2 {
                dst: 1,
                src: 2,
                dst2: 3,
                src2: 1
            }]
        );
        let mut ops = vec![add_ss(5)];
        assert!(!copy_into_copy(&mut ops, 0, 3, 1));
        assert_eq!(ops, [add_ss(5)]);
    }

    #[test]
    fn copy_into_br_if_fires_only_on_a_copy() {
        let mut ops = vec![Op::Copy { dst: 1, src: 2 }];
        assert!(copy_into_br_if(&mut ops, 0, Target(9), 1));
        assert_eq!(
            ops,
            [Op::CopyBrIfNezS {
                dst: 1,
                src: 2,
                target: Target(9),
                cond: 1
            }]
        );
        let mut ops = vec![add_ss(5)];
        assert!(!copy_into_br_if(&mut ops, 0, Target(9), 5));
        assert_eq!(ops, [add_ss(5)]);
    }

    #[test]
    fn result_into_br_if_fires() {
        let mut ops = vec![Op::I32AddSi {
            dst: 4,
            a: 4,
            imm: u64::from(u32::MAX),
        }];
        assert!(result_into_br_if(&mut ops, 0, Target(9), 4));
        assert_eq!(
            ops,
            [Op::I32AddSiBrNez {
                target: Target(9),
                dst: 4,
                a: 4,
                imm: u64::from(u32::MAX)
            }]
        );
        let mut ops = vec![Op::I32LoadS {
            dst: 2,
            addr: 2,
            offset: 8,
        }];
        assert!(result_into_br_if(&mut ops, 0, Target(9), 2));
        assert_eq!(
            ops,
            [Op::I32LoadSBrNez {
                target: Target(9),
                dst: 2,
                addr: 2,
                offset: 8
            }]
        );
    }

    #[test]
    fn result_into_br_if_takes_a_subtraction_as_an_addition() {
        let mut ops = vec![Op::I32SubSi {
            dst: 4,
            a: 4,
            imm: 1,
        }];
        assert!(result_into_br_if(&mut ops, 0, Target(9), 4));
        assert_eq!(
            ops,
            [Op::I32AddSiBrNez {
                target: Target(9),
                dst: 4,
                a: 4,
                imm: u64::from(u32::MAX)
            }]
        );
    }

    #[test]
    fn result_into_br_if_needs_the_branch_to_test_the_result() {
        let add = Op::I32AddSi {
            dst: 4,
            a: 4,
            imm: 1,
        };
        let mut ops = vec![add.clone()];
        assert!(!result_into_br_if(&mut ops, 0, Target(9), 5));
        assert_eq!(ops, [add]);
        // An i64 add: the fused op tests an i32.
        let mut ops = vec![Op::I64AddSi {
            dst: 4,
            a: 4,
            imm: 1,
        }];
        assert!(!result_into_br_if(&mut ops, 0, Target(9), 4));
    }

    #[test]
    fn window_adjacent_pair_until_a_label() {
        let mut w = Window::default();
        w.emitted(3);
        assert_eq!(w.adjacent_pair(4), None, "no op before the first");
        w.emitted(4);
        assert_eq!(w.adjacent_pair(5), Some((3, 4)));
        // Not the last op any more.
        assert_eq!(w.adjacent_pair(6), None);
        // The last op removed and another emitted at its index: the same predecessor.
        w.emitted(4);
        assert_eq!(w.adjacent_pair(5), Some((3, 4)));
        // Two merged into one: nothing known before it.
        w.merged(3);
        assert_eq!(w.adjacent_pair(4), None);
        assert_eq!(w.adjacent(4), Some(3));
        w.emitted(4);
        assert_eq!(w.adjacent_pair(5), Some((3, 4)));
        // A label bound between two ops.
        w.label_bound();
        w.emitted(5);
        assert_eq!(w.adjacent_pair(6), None);
        w.emitted(6);
        assert_eq!(w.adjacent_pair(7), Some((5, 6)));
    }

    #[test]
    fn mask_into_compare_fires_on_either_operand() {
        let and = Op::I32AndSi {
            dst: 19,
            a: 9,
            imm: 0xffff,
        };
        let fused = |b| Op::I32AndSiBrEqSs {
            target: Target(7),
            dst: 19,
            a: 9,
            imm: 0xffff,
            b,
        };
        for (x, y, b) in [(18, 19, 18), (19, 18, 18), (19, 19, 19)] {
            let mut ops = vec![
                and.clone(),
                Op::BrI32EqSs {
                    target: Target(7),
                    a: x,
                    b: y,
                },
            ];
            assert!(mask_into_compare(&mut ops, 0, 1, 30));
            assert_eq!(ops, [fused(b)]);
        }
    }

    #[test]
    fn get_after_set_reads_the_slot_set() {
        let ops = [Op::GlobalSetS { src: 3, global: 1 }];
        assert_eq!(get_after_set(&ops, 0, 1), Some(3));
        // Another global, or not a set.
        assert_eq!(get_after_set(&ops, 0, 2), None);
        assert_eq!(
            get_after_set(&[Op::GlobalGetS { dst: 3, global: 1 }], 0, 1),
            None
        );
    }

    #[test]
    fn get_after_set_reads_a_fused_set() {
        let ops = [
            Op::I32GlobalAddSi {
                dst: 3,
                global: 1,
                imm: 1,
            },
            Op::I32AddSiGlobalSet {
                dst: 4,
                a: 2,
                imm: 1,
                global: 1,
            },
        ];
        assert_eq!(get_after_set(&ops, 0, 1), Some(3));
        assert_eq!(get_after_set(&ops, 1, 1), Some(4));
        assert_eq!(get_after_set(&ops, 0, 0), None);
    }

    /// `global.get_s 5 <- g1; i32.add_si 5 <- 5 + 1` (or `sub_si`, or into local 2, as
    /// `local.tee` makes it), then `global.set_s g1 <- src`, with slots 0-3 locals.
    fn global_add(add: Op, src: u32, global: u32) -> (Vec<Op>, Option<usize>) {
        let mut ops = vec![Op::GlobalGetS { dst: 5, global: 1 }, add];
        let at = add_into_global_set(&mut ops, Some(0), 1, (src, global), 4);
        (ops, at)
    }

    #[test]
    fn add_into_global_set_fires() {
        // The counter: one op, which writes the sum where the add did.
        let (ops, at) = global_add(
            Op::I32AddSi {
                dst: 5,
                a: 5,
                imm: 1,
            },
            5,
            1,
        );
        assert_eq!(at, Some(0));
        assert_eq!(
            ops[0],
            Op::I32GlobalAddSi {
                dst: 5,
                global: 1,
                imm: 1
            }
        );
        // The prologue: `sp - 16`, teed into local 2.
        let (ops, at) = global_add(
            Op::I32SubSi {
                dst: 2,
                a: 5,
                imm: 16,
            },
            2,
            1,
        );
        assert_eq!(at, Some(0));
        assert_eq!(
            ops[0],
            Op::I32GlobalAddSi {
                dst: 2,
                global: 1,
                imm: u64::from(16u32.wrapping_neg())
            }
        );
        // The epilogue: no get before the add.
        let mut ops = vec![Op::I32AddSi {
            dst: 6,
            a: 2,
            imm: 16,
        }];
        assert_eq!(add_into_global_set(&mut ops, None, 0, (6, 1), 4), Some(0));
        assert_eq!(
            ops[0],
            Op::I32AddSiGlobalSet {
                dst: 6,
                a: 2,
                imm: 16,
                global: 1
            }
        );
    }

    #[test]
    fn add_into_global_set_preconditions() {
        let add = Op::I32AddSi {
            dst: 5,
            a: 5,
            imm: 1,
        };
        // The set does not store the sum: nothing fuses.
        let (ops, at) = global_add(add.clone(), 4, 1);
        assert_eq!(at, None);
        assert_eq!(ops[1], add);
        // Not an add of an immediate.
        let (_, at) = global_add(Op::I32AddSs { dst: 5, a: 5, b: 0 }, 5, 1);
        assert_eq!(at, None);
        // Another global set than the one read, or a sum of another slot than the
        // get's, or the get's value in a local (`local.tee` renamed the get, whose write
        // is then still needed): only the add and the set fuse.
        for (add, global) in [
            (add.clone(), 2),
            (
                Op::I32AddSi {
                    dst: 5,
                    a: 3,
                    imm: 1,
                },
                1,
            ),
        ] {
            let (ops, at) = global_add(add, 5, global);
            assert_eq!(at, Some(1));
            assert_eq!(ops[0], Op::GlobalGetS { dst: 5, global: 1 });
            assert!(matches!(ops[1], Op::I32AddSiGlobalSet { .. }));
        }
        let mut ops = vec![
            Op::GlobalGetS { dst: 2, global: 1 },
            Op::I32AddSi {
                dst: 5,
                a: 2,
                imm: 1,
            },
        ];
        assert_eq!(
            add_into_global_set(&mut ops, Some(0), 1, (5, 1), 4),
            Some(1)
        );
        assert_eq!(ops[0], Op::GlobalGetS { dst: 2, global: 1 });
    }

    #[test]
    fn step_into_compare_fires() {
        let step = Op::I32AddSi {
            dst: 4,
            a: 4,
            imm: 3,
        };
        let t = Target(2);
        for (branch, fused) in [
            (
                Op::BrI32NeSs {
                    target: t,
                    a: 4,
                    b: 1,
                },
                Op::I32StepBrNeSs {
                    target: t,
                    d: 4,
                    imm: 3,
                    b: 1,
                },
            ),
            // `ne` is symmetric: the counter may be either operand.
            (
                Op::BrI32NeSs {
                    target: t,
                    a: 1,
                    b: 4,
                },
                Op::I32StepBrNeSs {
                    target: t,
                    d: 4,
                    imm: 3,
                    b: 1,
                },
            ),
            (
                Op::BrI32NeSs {
                    target: t,
                    a: 4,
                    b: 4,
                },
                Op::I32StepBrNeSs {
                    target: t,
                    d: 4,
                    imm: 3,
                    b: 4,
                },
            ),
            (
                Op::BrI32LtUSs {
                    target: t,
                    a: 4,
                    b: 1,
                },
                Op::I32StepBrLtUSs {
                    target: t,
                    d: 4,
                    imm: 3,
                    b: 1,
                },
            ),
            (
                Op::BrI32LtSSs {
                    target: t,
                    a: 4,
                    b: 1,
                },
                Op::I32StepBrLtSSs {
                    target: t,
                    d: 4,
                    imm: 3,
                    b: 1,
                },
            ),
        ] {
            let mut ops = vec![step.clone(), branch];
            assert!(step_into_compare(&mut ops, 0, 1));
            assert_eq!(ops, [fused]);
        }
    }

    #[test]
    fn step_into_compare_preconditions() {
        let t = Target(2);
        let step = Op::I32AddSi {
            dst: 4,
            a: 4,
            imm: 3,
        };
        for pair in [
            // The add does not step its operand in place.
            [
                Op::I32AddSi {
                    dst: 4,
                    a: 5,
                    imm: 3,
                },
                Op::BrI32NeSs {
                    target: t,
                    a: 4,
                    b: 1,
                },
            ],
            // The comparison does not read the counter.
            [
                step.clone(),
                Op::BrI32NeSs {
                    target: t,
                    a: 5,
                    b: 1,
                },
            ],
            // `lt` with the counter second (a `gt` of the counter).
            [
                step.clone(),
                Op::BrI32LtUSs {
                    target: t,
                    a: 1,
                    b: 4,
                },
            ],
            [
                step.clone(),
                Op::BrI32LtSSs {
                    target: t,
                    a: 1,
                    b: 4,
                },
            ],
            // Another comparison.
            [
                step.clone(),
                Op::BrI32EqSs {
                    target: t,
                    a: 4,
                    b: 1,
                },
            ],
            // Not an add with an immediate.
            [
                Op::I32AddSs { dst: 4, a: 4, b: 2 },
                Op::BrI32NeSs {
                    target: t,
                    a: 4,
                    b: 1,
                },
            ],
        ] {
            let mut ops = pair.to_vec();
            assert!(!step_into_compare(&mut ops, 0, 1), "{pair:?}");
            assert_eq!(ops, pair);
        }
    }

    #[test]
    fn step_into_compare_immediate_bounds() {
        let t = Target(2);
        let step = Op::I32AddSi {
            dst: 4,
            a: 4,
            imm: 0xffff_ffff,
        };
        let fused = |op: Op| {
            let mut ops = vec![step.clone(), op];
            step_into_compare(&mut ops, 0, 1).then(|| ops[0].clone())
        };
        let (d, imm) = (4, 0xffff_ffff);
        let ne = |a, c| Op::BrI32NeSi {
            target: t,
            a,
            imm: c,
        };
        let lt_u = |a, c| Op::BrI32LtUSi {
            target: t,
            a,
            imm: c,
        };
        let le_u = |a, c| Op::BrI32LeUSi {
            target: t,
            a,
            imm: c,
        };
        let gt_u = |a, c| Op::BrI32GtUSi {
            target: t,
            a,
            imm: c,
        };
        let ge_u = |a, c| Op::BrI32GeUSi {
            target: t,
            a,
            imm: c,
        };
        let step_ne = |bound| {
            Some(Op::I32StepBrNeSi {
                target: t,
                d,
                imm,
                bound,
            })
        };
        let step_lt_u = |bound| {
            Some(Op::I32StepBrLtUSi {
                target: t,
                d,
                imm,
                bound,
            })
        };
        let step_gt_u = |bound| {
            Some(Op::I32StepBrGtUSi {
                target: t,
                d,
                imm,
                bound,
            })
        };
        for (branch, want) in [
            (ne(4, 7), step_ne(7)),
            (lt_u(4, 7), step_lt_u(7)),
            (gt_u(4, 7), step_gt_u(7)),
            // `le_u c` as `lt_u c + 1`, `ge_u c` as `gt_u c - 1`, but not at the ends of
            // the range, where the test is always true and `c + 1` / `c - 1` would wrap.
            (le_u(4, 7), step_lt_u(8)),
            (ge_u(4, 7), step_gt_u(6)),
            (le_u(4, 0xffff_ffff), None),
            (ge_u(4, 0), None),
            // Another slot, another comparison.
            (ne(5, 7), None),
            (
                Op::BrI32LtSSi {
                    target: t,
                    a: 4,
                    imm: 7,
                },
                None,
            ),
        ] {
            assert_eq!(fused(branch.clone()), want, "{branch:?}");
        }
        // i64: a subtraction as the addition of its negation, in place only.
        let gt = Op::BrI64GtSSi {
            target: t,
            a: 4,
            imm: 1,
        };
        let mut ops = vec![
            Op::I64SubSi {
                dst: 4,
                a: 4,
                imm: 3,
            },
            gt.clone(),
        ];
        assert!(step_into_compare(&mut ops, 0, 1));
        let imm = 3u64.wrapping_neg();
        assert_eq!(
            ops,
            [Op::I64StepBrGtSSi {
                target: t,
                d,
                imm,
                bound: 1
            }]
        );
        let mut ops = vec![
            Op::I64AddSi {
                dst: 4,
                a: 4,
                imm: 3,
            },
            gt.clone(),
        ];
        assert!(step_into_compare(&mut ops, 0, 1));
        assert_eq!(
            ops,
            [Op::I64StepBrGtSSi {
                target: t,
                d,
                imm: 3,
                bound: 1
            }]
        );
        // Not in place, another slot, another comparison.
        let sub = |dst, a| Op::I64SubSi { dst, a, imm: 3 };
        assert_eq!(step_i64(&sub(4, 5), &gt), None);
        assert_eq!(step_i64(&sub(5, 5), &gt), None);
        let ge = Op::BrI64GeSSi {
            target: t,
            a: 4,
            imm: 1,
        };
        assert_eq!(step_i64(&sub(4, 4), &ge), None);
    }

    #[test]
    fn mask_into_compare_preconditions() {
        let and = Op::I32AndSi {
            dst: 19,
            a: 9,
            imm: 0xffff,
        };
        let eq = |a, b| Op::BrI32EqSs {
            target: Target(7),
            a,
            b,
        };
        for pair in [
            // The comparison does not read the masked value.
            [and.clone(), eq(17, 18)],
            // Not an `eq`.
            [
                and.clone(),
                Op::BrI32NeSs {
                    target: Target(7),
                    a: 18,
                    b: 19,
                },
            ],
            // Not an `and` with an immediate.
            [
                Op::I32AndSs {
                    dst: 19,
                    a: 9,
                    b: 8,
                },
                eq(18, 19),
            ],
            [
                Op::I32OrSi {
                    dst: 19,
                    a: 9,
                    imm: 0xffff,
                },
                eq(18, 19),
            ],
        ] {
            let mut ops = pair.to_vec();
            assert!(!mask_into_compare(&mut ops, 0, 1, 30));
            assert_eq!(ops, pair);
        }
    }

    /// `i32.load_s d=2 <- [slot 4 + 8]`, the load both `load_into_store` tests start from.
    fn load_at_4() -> Op {
        Op::I32LoadS {
            dst: 2,
            addr: 4,
            offset: 8,
        }
    }

    fn store_ss(addr: u32, value: u32, offset: u32) -> Op {
        Op::I32StoreSs {
            addr,
            value,
            offset,
        }
    }

    #[test]
    fn load_into_store_fires_on_the_same_address() {
        let (load, store) = (load_at_4(), store_ss);
        let mut ops = vec![load.clone()];
        assert!(load_into_store(&mut ops, 0, &store(4, 5, 8)));
        assert_eq!(
            ops,
            [Op::I32LoadStoreS {
                dst: 2,
                addr: 4,
                offset: 8,
                value: 5
            }]
        );
        // The value stored may be the one loaded.
        let mut ops = vec![load.clone()];
        assert!(load_into_store(&mut ops, 0, &store(4, 2, 8)));
    }

    #[test]
    fn load_into_store_preconditions() {
        let (load, store) = (load_at_4(), store_ss);
        for (load, store) in [
            // Another address slot, another offset.
            (load.clone(), store(3, 5, 8)),
            (load.clone(), store(4, 5, 0)),
            // The load overwrites the address slot: the store's address is the loaded value.
            (
                Op::I32LoadS {
                    dst: 4,
                    addr: 4,
                    offset: 8,
                },
                store(4, 5, 8),
            ),
            // Other widths.
            (
                Op::I64LoadS {
                    dst: 2,
                    addr: 4,
                    offset: 8,
                },
                Op::I64StoreSs {
                    addr: 4,
                    value: 5,
                    offset: 8,
                },
            ),
            (
                load.clone(),
                Op::I32Store8Ss {
                    addr: 4,
                    value: 5,
                    offset: 8,
                },
            ),
            // A store of an immediate.
            (
                load.clone(),
                Op::I32StoreSi {
                    addr: 4,
                    imm: 5,
                    offset: 8,
                },
            ),
        ] {
            let mut ops = vec![load.clone()];
            assert!(!load_into_store(&mut ops, 0, &store));
            assert_eq!(ops, [load]);
        }
    }

    /// `i32.load_as [slot 4 + 8]; i32.add_aai 1`: what `load_add_into_store` starts from.
    fn load_add_at_4() -> [Op; 2] {
        [
            Op::I32LoadAs { addr: 4, offset: 8 },
            Op::I32AddAai { imm: 1 },
        ]
    }

    #[test]
    fn load_add_into_store_fires_on_the_same_address() {
        let mut ops = load_add_at_4().to_vec();
        let store = Op::I32StoreSa { addr: 4, offset: 8 };
        assert!(load_add_into_store(&mut ops, 0, 1, &store));
        assert_eq!(
            ops[0],
            Op::I32LoadAddStoreAsi {
                addr: 4,
                offset: 8,
                imm: 1
            }
        );
    }

    #[test]
    fn load_add_into_store_preconditions() {
        let [load, add] = load_add_at_4();
        let store = Op::I32StoreSa { addr: 4, offset: 8 };
        for (load, add, store) in [
            // Another address slot, another offset.
            (
                load.clone(),
                add.clone(),
                Op::I32StoreSa { addr: 3, offset: 8 },
            ),
            (
                load.clone(),
                add.clone(),
                Op::I32StoreSa { addr: 4, offset: 0 },
            ),
            // Another width of store.
            (
                load.clone(),
                add.clone(),
                Op::I32Store8Sa { addr: 4, offset: 8 },
            ),
            // Another op between the load and the store.
            (load.clone(), Op::I32SubAai { imm: 1 }, store.clone()),
            (load.clone(), Op::I32AddAas { b: 5 }, store.clone()),
            // The loaded value not in the accumulator; an i64 load.
            (
                Op::I32LoadS {
                    dst: 2,
                    addr: 4,
                    offset: 8,
                },
                add.clone(),
                store.clone(),
            ),
            (
                Op::I64LoadAs { addr: 4, offset: 8 },
                add.clone(),
                store.clone(),
            ),
        ] {
            let mut ops = vec![load, add];
            let before = ops.clone();
            assert!(!load_add_into_store(&mut ops, 0, 1, &store));
            assert_eq!(ops, before);
        }
    }

    /// `rotate_loop` with every precondition met unless told: no loop parameters, no
    /// label after the header, an exit not bound yet; the back branch goes to label 8.
    fn rotate(ops: &[Op], header: usize) -> Option<(usize, Vec<Op>)> {
        rotate_loop(ops, header, false, usize::MAX, |_| false, Target(8))
    }

    #[test]
    fn rotate_loop_fires_on_a_one_op_header() {
        // fib_iter: `L: br_i64_le_s_si n 0 -> E; body...; br L`.
        let ops = vec![
            Op::Copy { dst: 3, src: 1 },
            Op::BrI64LeSSi {
                target: Target(7),
                a: 0,
                imm: 0,
            },
            add_ss(2),
        ];
        assert_eq!(
            rotate(&ops, 1),
            Some((
                2,
                vec![
                    Op::BrI64GtSSi {
                        target: Target(8),
                        a: 0,
                        imm: 0
                    },
                    Op::BrCharged { target: Target(7) }
                ]
            ))
        );
        // A branch on a slot, either way.
        let nez = Op::BrIfNezS {
            target: Target(7),
            cond: 4,
        };
        let eqz = Op::BrIfEqzS {
            target: Target(8),
            cond: 4,
        };
        let (at, rotated) = rotate(&[nez], 0).unwrap();
        assert_eq!((at, rotated[0].clone()), (1, eqz.clone()));
        let eqz_exit = Op::BrIfEqzS {
            target: Target(7),
            cond: 4,
        };
        let (_, rotated) = rotate(&[eqz_exit], 0).unwrap();
        assert_eq!(
            rotated[0],
            Op::BrIfNezS {
                target: Target(8),
                cond: 4
            }
        );
    }

    #[test]
    fn rotate_loop_copies_a_two_op_header() {
        // global_counter: `L: global.get_s g -> 3; br_i32_ge_u_ss 3 0 -> E`.
        let get = Op::GlobalGetS { dst: 3, global: 0 };
        let ops = vec![
            get.clone(),
            Op::BrI32GeUSs {
                target: Target(7),
                a: 3,
                b: 0,
            },
            add_ss(2),
        ];
        assert_eq!(
            rotate(&ops, 0),
            Some((
                2,
                vec![
                    get,
                    Op::BrI32LtUSs {
                        target: Target(8),
                        a: 3,
                        b: 0
                    },
                    Op::BrCharged { target: Target(7) }
                ]
            ))
        );
        // A label bound right after the test (where the body starts) is no obstacle.
        assert!(rotate_loop(&ops, 0, false, 2, |_| false, Target(8)).is_some());
    }

    #[test]
    fn rotate_loop_preconditions() {
        let test = Op::BrI32LtSSs {
            target: Target(7),
            a: 0,
            b: 1,
        };
        let ops = vec![Op::Copy { dst: 3, src: 1 }, test.clone()];
        assert!(rotate(&ops, 0).is_some());
        // Loop parameters.
        assert_eq!(
            rotate_loop(&ops, 0, true, usize::MAX, |_| false, Target(8)),
            None
        );
        // A label bound at the test: control may enter the header below its top.
        assert_eq!(rotate_loop(&ops, 0, false, 1, |_| false, Target(8)), None);
        // The exit is bound already (a backward test).
        assert_eq!(
            rotate_loop(&ops, 0, false, usize::MAX, |_| true, Target(8)),
            None
        );
        // The header is not emitted in full yet (`br` right after its first op).
        assert_eq!(rotate(&ops[..1], 0), None);
        assert_eq!(rotate(&[], 0), None);
        // Longer than `MAX_HEADER_OPS`.
        let long = vec![
            Op::Copy { dst: 3, src: 1 },
            Op::Const { dst: 4, bits: 1 },
            test.clone(),
        ];
        assert_eq!(rotate(&long, 0), None);
        // Before the test, an op that may trap, store, call or write an accumulator.
        for first in [
            Op::I32LoadS {
                dst: 3,
                addr: 0,
                offset: 0,
            },
            Op::I32StoreSs {
                addr: 0,
                value: 1,
                offset: 0,
            },
            Op::CallS { func: 0, end: 4 },
            Op::I32AddAss { a: 0, b: 1 },
            add_ss(3),
        ] {
            assert_eq!(rotate(&[first, test.clone()], 0), None);
        }
        // Tests that are not negated exactly or read the accumulator, or are no test.
        for op in [
            Op::F64LtSs { dst: 5, a: 0, b: 1 },
            Op::BrI32LtSAs {
                target: Target(7),
                b: 1,
            },
            Op::CopyBrIfNezS {
                dst: 1,
                src: 2,
                target: Target(7),
                cond: 1,
            },
            Op::Br { target: Target(7) },
            Op::ReturnS { from: 0, count: 0 },
        ] {
            assert_eq!(rotate(&[op], 0), None);
        }
    }

    #[test]
    fn jumps_to_returns_copies_the_return() {
        let ret = Op::ReturnS { from: 3, count: 1 };
        let mut ops = vec![
            Op::Br { target: Target(2) },
            Op::Br { target: Target(3) },
            ret.clone(),
            Op::Unreachable {},
        ];
        jumps_to_returns(&mut ops);
        assert_eq!(ops[0], ret);
        assert_eq!(ops[1], Op::Br { target: Target(3) });
    }

    fn forwarded(mut ops: Vec<Op>) -> Vec<Op> {
        let mut targets = Vec::new();
        mark_targets(&mut ops, &mut targets);
        forward_copies(&mut ops, &targets);
        ops
    }

    #[test]
    fn forward_copies_renames_the_next_ops_reads() {
        let copy = Op::Copy { dst: 4, src: 2 };
        // CoreMark's list reversal: the address, read first, comes from the copy's source.
        let ops = forwarded(vec![
            copy.clone(),
            Op::I32LoadStoreS {
                dst: 2,
                addr: 4,
                offset: 0,
                value: 5,
            },
        ]);
        assert_eq!(
            ops[1],
            Op::I32LoadStoreS {
                dst: 2,
                addr: 2,
                offset: 0,
                value: 5
            }
        );
        // Both operands of a generated form; an operand that is not the copy's stays.
        let ops = forwarded(vec![copy.clone(), Op::I32AddSs { dst: 4, a: 4, b: 3 }]);
        assert_eq!(ops[1], Op::I32AddSs { dst: 4, a: 2, b: 3 });
        // Only the op right after the copy.
        let ops = forwarded(vec![copy.clone(), add_ss(7), Op::I32EqzS { dst: 6, a: 4 }]);
        assert_eq!(ops[2], Op::I32EqzS { dst: 6, a: 4 });
        // copy_br_if_nez_s falls through with the copy made.
        let ops = forwarded(vec![
            Op::CopyBrIfNezS {
                dst: 4,
                src: 2,
                target: Target(0),
                cond: 1,
            },
            Op::ReturnS1 { from: 4 },
        ]);
        assert_eq!(ops[1], Op::ReturnS1 { from: 2 });
        // copy2: the second copy always holds; the first only if the second kept it.
        let copy2 = |dst2, src2| Op::Copy2 {
            dst: 4,
            src: 2,
            dst2,
            src2,
        };
        let reads_both = Op::I32AddSs { dst: 9, a: 4, b: 6 };
        let ops = forwarded(vec![copy2(6, 7), reads_both.clone()]);
        assert_eq!(ops[1], Op::I32AddSs { dst: 9, a: 2, b: 7 });
        // The second copy overwrites the first's source: slot 4 is not slot 2 any more.
        let ops = forwarded(vec![copy2(2, 7), reads_both.clone()]);
        assert_eq!(ops[1], reads_both);
        // The second copy overwrites the first's destination: slot 4 is slot 7.
        let ops = forwarded(vec![copy2(4, 7), reads_both.clone()]);
        assert_eq!(ops[1], Op::I32AddSs { dst: 9, a: 7, b: 6 });
    }

    #[test]
    fn forward_copies_preconditions() {
        let copy = Op::Copy { dst: 4, src: 2 };
        // A branch target: control also arrives from elsewhere, where slot 4 may differ.
        let ops = vec![copy.clone(), add_ss(4), Op::Br { target: Target(1) }];
        assert_eq!(forwarded(ops.clone()), ops);
        let add_4 = Op::I32AddSs { dst: 9, a: 4, b: 4 };
        let ops = vec![
            copy.clone(),
            add_4,
            Op::BrIfNezS {
                target: Target(1),
                cond: 0,
            },
        ];
        assert_eq!(forwarded(ops.clone()), ops);
        // Reads made after the op's own write, and a slot both read and written.
        for later in [
            Op::I32LoadStoreS {
                dst: 2,
                addr: 3,
                offset: 0,
                value: 4,
            },
            Op::Copy2 {
                dst: 2,
                src: 3,
                dst2: 5,
                src2: 4,
            },
            Op::I32AndSiBrEqSs {
                target: Target(0),
                dst: 2,
                a: 3,
                imm: 1,
                b: 4,
            },
            Op::I32StepBrNeSs {
                target: Target(0),
                d: 4,
                imm: 1,
                b: 3,
            },
            Op::CallS { func: 0, end: 5 },
        ] {
            let ops = vec![copy.clone(), later];
            assert_eq!(forwarded(ops.clone()), ops);
        }
    }

    fn add_si(dst: u32, a: u32, imm: u64) -> Op {
        Op::I32AddSi { dst, a, imm }
    }

    fn pairs_fused(mut ops: Vec<Op>) -> Vec<Op> {
        let mut targets = Vec::new();
        mark_targets(&mut ops, &mut targets);
        fuse_pairs(&mut ops, &targets, &mut Vec::new());
        ops
    }

    #[test]
    fn fuse_pairs_merges_and_renumbers_targets() {
        // A loop: two pointer bumps, then the counter's step and branch back to op 0.
        let body = vec![
            Op::I32MulAas { b: 9 },
            Op::I32AddSas { dst: 7, b: 7 },
            add_si(6, 6, 2),
            add_si(5, 5, 4),
            Op::I32AddSiBrNez {
                target: Target(0),
                dst: 3,
                a: 3,
                imm: 0xffff_ffff,
            },
            Op::I32ShlAsi { a: 1, imm: 2 },
            Op::I32AddAas { b: 0 },
            Op::Br { target: Target(7) },
            Op::Br { target: Target(4) },
        ];
        assert_eq!(
            pairs_fused(body),
            [
                Op::I32MulAddSas { b: 9, dst: 7, c: 7 },
                Op::I32AddSi2 {
                    d: 6,
                    imm: 2,
                    d2: 5,
                    imm2: 4
                },
                Op::I32AddSiBrNez {
                    target: Target(0),
                    dst: 3,
                    a: 3,
                    imm: 0xffff_ffff,
                },
                Op::I32ShlAddAsis {
                    a: 1,
                    shift: 2,
                    b: 0
                },
                Op::Br { target: Target(4) },
                Op::Br { target: Target(2) },
            ]
        );
    }

    #[test]
    fn fuse_pairs_preconditions() {
        // A branch lands on the second op: control reaches it without the first.
        let ops = vec![
            add_si(6, 6, 2),
            add_si(5, 5, 4),
            Op::Br { target: Target(1) },
        ];
        assert_eq!(pairs_fused(ops.clone()), ops);
        // Left to right, each op in one pair at most: three adds are a pair and an add.
        let ops = pairs_fused(vec![add_si(1, 1, 1), add_si(2, 2, 2), add_si(3, 3, 3)]);
        assert!(matches!(
            ops[..],
            [Op::I32AddSi2 { .. }, Op::I32AddSi { dst: 3, .. }]
        ));
        // Not a listed pair (the add reads no accumulator; a sub is not an add).
        for ops in [
            vec![Op::I32MulAas { b: 9 }, Op::I32AddSs { dst: 7, a: 7, b: 8 }],
            vec![
                add_si(6, 6, 2),
                Op::I32SubSi {
                    dst: 5,
                    a: 5,
                    imm: 4,
                },
            ],
            // Not both in place.
            vec![add_si(6, 6, 2), add_si(5, 4, 4)],
            vec![add_si(6, 7, 2), add_si(5, 5, 4)],
            vec![Op::I32ShlAsi { a: 1, imm: 2 }, Op::I32SubAas { b: 0 }],
        ] {
            assert_eq!(pairs_fused(ops.clone()), ops);
        }
    }

    #[test]
    fn fuse_pairs_shift_into_its_consumer() {
        let rotl = |t, a, imm| Op::I32RotlSi { dst: t, a, imm };
        let shr_u = |t, a, imm| Op::I32ShrUSi { dst: t, a, imm };
        // The xor reads the temporary as either operand; `y` is the other one.
        for (first, second, fused) in [
            (
                rotl(5, 0, 21),
                Op::I32XorSs { dst: 4, a: 4, b: 5 },
                Op::I32RotlSiXorSs {
                    t: 5,
                    a: 0,
                    k: 21,
                    dst: 4,
                    y: 4,
                },
            ),
            (
                shr_u(6, 1, 2),
                Op::I32XorSs { dst: 6, a: 6, b: 2 },
                Op::I32ShrUSiXorSs {
                    t: 6,
                    a: 1,
                    k: 2,
                    dst: 6,
                    y: 2,
                },
            ),
            (
                rotl(1, 0, 5),
                Op::I32XorSs { dst: 2, a: 1, b: 1 },
                Op::I32RotlSiXorSs {
                    t: 1,
                    a: 0,
                    k: 5,
                    dst: 2,
                    y: 1,
                },
            ),
            (
                rotl(2, 0, 19),
                Op::I32XorAas { b: 2 },
                Op::I32RotlSiXorAas { t: 2, a: 0, k: 19 },
            ),
            (
                shr_u(2, 0, 3),
                Op::I32XorAas { b: 2 },
                Op::I32ShrUSiXorAas { t: 2, a: 0, k: 3 },
            ),
            (
                rotl(6, 1, 13),
                Op::I32XorAss { a: 5, b: 6 },
                Op::I32RotlSiXorAss {
                    t: 6,
                    a: 1,
                    k: 13,
                    y: 5,
                },
            ),
            (
                rotl(6, 1, 13),
                Op::I32XorAss { a: 6, b: 5 },
                Op::I32RotlSiXorAss {
                    t: 6,
                    a: 1,
                    k: 13,
                    y: 5,
                },
            ),
            (
                Op::I32ShlSi {
                    dst: 4,
                    a: 0,
                    imm: 2,
                },
                Op::I32AddAas { b: 4 },
                Op::I32ShlSiAddAas { t: 4, a: 0, k: 2 },
            ),
        ] {
            assert_eq!(pairs_fused(vec![first, second]), [fused]);
        }
        // The consumer does not read the shift's slot, or is not an xor (an add).
        for ops in [
            vec![rotl(5, 0, 21), Op::I32XorSs { dst: 5, a: 4, b: 3 }],
            vec![rotl(2, 0, 19), Op::I32XorAas { b: 3 }],
            vec![shr_u(6, 1, 2), Op::I32XorAss { a: 1, b: 2 }],
            vec![rotl(5, 0, 21), Op::I32AddSs { dst: 4, a: 4, b: 5 }],
            vec![
                Op::I32ShlSi {
                    dst: 4,
                    a: 0,
                    imm: 2,
                },
                Op::I32AddAas { b: 0 },
            ],
        ] {
            assert_eq!(pairs_fused(ops.clone()), ops);
        }
    }

    #[test]
    fn fuse_pairs_copy_into_load_store() {
        let load_store = |dst, addr, value| Op::I32LoadStoreS {
            dst,
            addr,
            offset: 8,
            value,
        };
        // The node kept in `c`, its next pointer loaded into the list slot `p`.
        assert_eq!(
            pairs_fused(vec![Op::Copy { dst: 4, src: 2 }, load_store(2, 2, 5)]),
            [Op::I32CopyLoadStoreS {
                c: 4,
                p: 2,
                offset: 8,
                v: 5
            }]
        );
        // The copy's source is not the address, or the load writes another slot.
        for ops in [
            vec![Op::Copy { dst: 4, src: 3 }, load_store(2, 2, 5)],
            vec![Op::Copy { dst: 4, src: 2 }, load_store(3, 2, 5)],
        ] {
            assert_eq!(pairs_fused(ops.clone()), ops);
        }
    }

    #[test]
    fn fuse_pairs_chain_into_a_reversal_step() {
        let load_store = Op::I32LoadStoreS {
            dst: 2,
            addr: 2,
            offset: 8,
            value: 5,
        };
        let test = |dst, src, cond| Op::CopyBrIfNezS {
            dst,
            src,
            target: Target(0),
            cond,
        };
        // copy, load_store_s, then the loop test: three ops, fused as a chain of pairs
        // into one, and the branch back to the first op renumbered. The step is then its
        // whole loop, so it loops in place.
        assert_eq!(
            pairs_fused(vec![
                Op::Copy { dst: 4, src: 2 },
                load_store.clone(),
                test(5, 4, 2),
                Op::Drop {}
            ]),
            [
                Op::I32ReverseLoopS {
                    c: 4,
                    p: 2,
                    offset: 8,
                    v: 5,
                    target: Target(0)
                },
                Op::Drop {}
            ]
        );
        // A loop with more in its body (a drop before the step) keeps the step.
        let with_target = |t| Op::CopyBrIfNezS {
            dst: 5,
            src: 4,
            target: Target(t),
            cond: 2,
        };
        assert_eq!(
            pairs_fused(vec![
                Op::Drop {},
                Op::Copy { dst: 4, src: 2 },
                load_store.clone(),
                with_target(0),
            ]),
            [
                Op::Drop {},
                Op::I32ReverseStepS {
                    c: 4,
                    p: 2,
                    offset: 8,
                    v: 5,
                    target: Target(0)
                },
            ]
        );
        // The test copies or reads other slots; the step's slots are not all different.
        let step = |c, p, v| Op::I32CopyLoadStoreS { c, p, offset: 8, v };
        for ops in [
            vec![step(4, 2, 5), test(6, 4, 2)],
            vec![step(4, 2, 5), test(5, 3, 2)],
            vec![step(4, 2, 5), test(5, 4, 4)],
            vec![step(4, 2, 4), test(4, 4, 2)],
        ] {
            assert_eq!(pairs_fused(ops.clone()), ops);
        }
        // A branch lands on the test: it stays apart.
        let ops = vec![step(4, 2, 5), test(5, 4, 2), Op::Br { target: Target(1) }];
        assert_eq!(pairs_fused(ops.clone()), ops);
    }

    #[test]
    fn fuse_pairs_crc_bit_step_into_one_op() {
        // shr_u_and_ssii 3 <- 2; xor_si 4 <- 3 ^ poly; shr_u_si_xor_ss t 6 <- 1 >> 5, 6 <-
        // 2 ^ 6; select_and_s 2 <- 6 & 1 ? 4 : 3; then a branch back to op 0, the step.
        let step = |x: u32, t: u32, c: u32, sel: (u32, u32, u32)| {
            vec![
                Op::I32ShrUAndSsii {
                    dst: 3,
                    a: 2,
                    shift: 1,
                    mask: 0x7fff,
                },
                Op::I32XorSi {
                    dst: 4,
                    a: x,
                    imm: 0xa001,
                },
                Op::I32ShrUSiXorSs {
                    t,
                    a: 1,
                    k: 5,
                    dst: c,
                    y: 2,
                },
                Op::SelectAndS {
                    dst: 2,
                    a: sel.0,
                    b: sel.1,
                    cond: sel.2,
                    mask: 1,
                },
                Op::Br { target: Target(0) },
            ]
        };
        assert_eq!(
            pairs_fused(step(3, 6, 6, (4, 3, 6))),
            [
                Op::I32CrcStepS {
                    t1: 3,
                    a: 2,
                    shift: 1,
                    mask: 0x7fff,
                    t2: 4,
                    poly: 0xa001,
                    t: 6,
                    data: 1,
                    k: 5,
                    c: 6,
                    y: 2,
                    dst: 2,
                    bit: 1,
                },
                Op::Br { target: Target(0) },
            ]
        );
        // Not one step: the xor reads another slot; the shift-xor overwrites `t1` or `t2`
        // (as `t` or as `c`); the select takes other operands or another condition.
        for ops in [
            step(2, 6, 6, (4, 3, 6)),
            step(3, 3, 6, (4, 3, 6)),
            step(3, 6, 4, (4, 3, 4)),
            step(3, 6, 6, (3, 4, 6)),
            step(3, 6, 6, (4, 3, 7)),
        ] {
            let fused = pairs_fused(ops);
            assert!(
                !fused.iter().any(|op| matches!(op, Op::I32CrcStepS { .. })),
                "{fused:?}"
            );
        }
        // A branch landing inside: nothing merges into one step.
        let mut ops = step(3, 6, 6, (4, 3, 6));
        ops[4] = Op::Br { target: Target(2) };
        let fused = pairs_fused(ops);
        assert!(
            !fused.iter().any(|op| matches!(op, Op::I32CrcStepS { .. })),
            "{fused:?}"
        );
    }

    #[test]
    fn fuse_pairs_list_search_into_a_loop() {
        // load_as [p + 4]; load16_u_aa [acc + 2]; and_si_br_eq_as 5 t=7 <- 3 & 0xff;
        // load_s_br_nez 0 p <- [p + 0]: one op looping in place, the exit renumbered.
        let search = |field: Op, t, key, back| {
            vec![
                Op::I32LoadAs { addr: 2, offset: 4 },
                field,
                Op::I32AndSiBrEqAs {
                    target: Target(5),
                    dst: t,
                    a: key,
                    imm: 0xff,
                },
                Op::I32LoadSBrNez {
                    target: Target(back),
                    dst: 2,
                    addr: 2,
                    offset: 0,
                },
                Op::Drop {},
                Op::Drop {},
            ]
        };
        let load16 = Op::I32Load16UAa { offset: 2 };
        assert_eq!(
            pairs_fused(search(load16.clone(), 7, 3, 0)),
            [
                Op::I32FindLoad16UAndS {
                    p: 2,
                    offset: 4,
                    offset2: 2,
                    t: 7,
                    key: 3,
                    imm: 0xff,
                    next: 0,
                    found: Target(2),
                    target: Target(0),
                },
                Op::Drop {},
                Op::Drop {},
            ]
        );
        assert!(matches!(
            pairs_fused(search(Op::I32Load8UAa { offset: 2 }, 7, 3, 0))[0],
            Op::I32FindLoad8UAndS { .. }
        ));
        // The branch back lands inside: nothing merges.
        let ops = search(load16.clone(), 7, 3, 1);
        assert_eq!(pairs_fused(ops.clone()), ops);
        // The masked key or its copy is the node's slot: not a loop op (the pair `load_as;
        // load16_u_aa` still merges).
        for ops in [
            search(load16.clone(), 2, 3, 0),
            search(load16.clone(), 7, 2, 0),
        ] {
            let fused = pairs_fused(ops);
            assert_eq!(fused.len(), 5, "{fused:?}");
            assert!(matches!(fused[0], Op::I32LoadAsLoad16UAa { .. }));
        }
    }

    #[test]
    fn fuse_pairs_test_into_a_table_dispatch() {
        use crate::op::{BrTable, BrTableEntry};
        let table: BrTable = [Target(3), Target(4)]
            .map(|target| BrTableEntry {
                target,
                drop: 0,
                keep: 0,
            })
            .into();
        let test = Op::BrI32EqSi {
            target: Target(4),
            a: 3,
            imm: 0x2c,
        };
        let dispatch = Op::BrTableS {
            index: 2,
            targets: table.clone(),
        };
        assert_eq!(
            pairs_fused(vec![
                test.clone(),
                dispatch.clone(),
                Op::Drop {},
                Op::Drop {},
                Op::Drop {}
            ]),
            [
                Op::BrI32EqSiBrTableS {
                    target: Target(3),
                    a: 3,
                    imm: 0x2c,
                    index: 2,
                    targets: [Target(2), Target(3)]
                        .map(|target| BrTableEntry {
                            target,
                            drop: 0,
                            keep: 0,
                        })
                        .into(),
                },
                Op::Drop {},
                Op::Drop {},
                Op::Drop {}
            ]
        );
        // Another comparison stays apart.
        let ops = vec![
            Op::BrI32NeSi {
                target: Target(2),
                a: 3,
                imm: 0x2c,
            },
            dispatch,
            Op::Drop {},
            Op::Drop {},
            Op::Drop {},
        ];
        assert_eq!(pairs_fused(ops.clone()), ops);
    }

    #[test]
    fn fuse_pairs_strides_and_pointer_chases() {
        // Two slots stepped in place, the second by a stride in a slot.
        assert_eq!(
            pairs_fused(vec![add_si(2, 2, 4), Op::I32AddSs { dst: 3, a: 3, b: 1 }]),
            [Op::I32AddSiAddSs {
                d: 2,
                imm: 4,
                d2: 3,
                b: 1
            }]
        );
        // A load through the loaded pointer, either width.
        let first = Op::I32LoadAs { addr: 3, offset: 4 };
        assert_eq!(
            pairs_fused(vec![first.clone(), Op::I32Load16UAa { offset: 2 }]),
            [Op::I32LoadAsLoad16UAa {
                a: 3,
                offset: 4,
                offset2: 2
            }]
        );
        assert_eq!(
            pairs_fused(vec![first.clone(), Op::I32Load8UAa { offset: 1 }]),
            [Op::I32LoadAsLoad8UAa {
                a: 3,
                offset: 4,
                offset2: 1
            }]
        );
        // Not in place; a signed second load.
        for ops in [
            vec![add_si(2, 1, 4), Op::I32AddSs { dst: 3, a: 3, b: 1 }],
            vec![add_si(2, 2, 4), Op::I32AddSs { dst: 3, a: 4, b: 1 }],
            vec![first.clone(), Op::I32Load16SAa { offset: 2 }],
        ] {
            assert_eq!(pairs_fused(ops.clone()), ops);
        }
    }
}
