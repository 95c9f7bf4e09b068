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
//! | [`jumps_to_returns`] | `br L` where `L: return_s` | `return_s` |
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
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Window {
    /// The last op, if it produced the value on top of the stack.
    top: Option<usize>,
    /// The last op and the accumulator class it wrote, if it wrote one.
    acc: Option<(u8, usize)>,
}

impl Window {
    /// Nothing is known about the last op.
    pub(crate) fn close(&mut self) {
        *self = Window::default();
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

/// `br L` where the op at `L` is `return_s` becomes that `return_s`: a return does not
/// depend on where it is.
///
/// Preconditions: targets are resolved to op indexes.
pub(crate) fn jumps_to_returns(ops: &mut [Op]) {
    for i in 0..ops.len() {
        if let Op::Br { target } = ops[i] {
            if let Some(ret @ Op::ReturnS { .. }) = ops.get(target.0 as usize) {
                ops[i] = ret.clone();
            }
        }
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
                Op::GlobalGetS { global, .. } => Op::GlobalGetS { dst, global },
                Op::SelectS { a, b, cond, .. } => Op::SelectS { dst, a, b, cond },
                _ => return None,
            })
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
}
