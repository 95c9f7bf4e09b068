//! The register-IR emitter (driven by `driver.rs`).
//!
//! Every operand-stack value has a *home slot*, `num_locals + height`, fixed at translation
//! time, so ops name slots instead of pushing and popping. The emitter keeps a virtual
//! operand stack (`virtual_stack.rs`) whose entries say where each value is right now: in
//! a slot (its home, or a local that `local.get` merely referred to), an accumulator, or,
//! with fusion, an immediate that has not been written anywhere. Values are *materialized* into their home slots only where the
//! code needs a canonical layout: at block boundaries, for call arguments and results,
//! and for ops the register IR does not specialise, which run as stack-IR ops after a
//! `set_sp`.
//!
//! With `fuse` on: constants become immediate operands (`_si`, `_is`, constant-address
//! loads and stores), chosen here as operand shapes; the rewrites of ops already emitted
//! (an op followed by `local.set`/`local.tee` writes the local directly, a comparison
//! followed by `br_if` or `if` becomes one compare-and-branch op; a `br` back to a loop
//! whose header is its exit test becomes that test, negated: loop rotation) are the rules
//! of `peephole.rs`.

use crate::driver::{Control, Emitter, Frame, FrameKind};
use crate::module::ModuleIr;
use crate::op::{BrTableEntry, Op, Target};
use crate::peephole::{
    add_into_global_set, compare_into_br_if, copy_into_br_if, copy_into_copy, eqz_into_producer,
    for_each_early_read, forward_copies, fuse_pairs, get_after_set, jumps_to_returns,
    load_add_into_store, load_into_store, local_set_into_producer, mark_targets, mask_into_compare,
    mask_into_producer, mask_into_select, negated_compare_into_if, result_into_br_if, retarget,
    rotate_loop, spill_into_producer, step_into_compare, Window, MAX_HEADER_OPS,
};
use crate::translate::TranslateError;
use crate::types::FuncType;
use crate::virtual_stack::{Loc, VirtualStack};
use wasmparser::Operator;

type Result<T, E = TranslateError> = core::result::Result<T, E>;

/// Accumulator classes: which accumulator holds a value of a type.
trait AccClass {
    const CLASS: u8;
}
impl AccClass for i32 {
    const CLASS: u8 = 0;
}
impl AccClass for i64 {
    const CLASS: u8 = 0;
}
impl AccClass for u32 {
    const CLASS: u8 = 1;
}
impl AccClass for u64 {
    const CLASS: u8 = 2;
}

/// The operand shapes an op may be emitted in (see `weft_ir::for_each_op_flat!`). `A` as a
/// first letter puts the result in an accumulator; `a` in an operand position reads one.
#[derive(Debug, Clone, Copy)]
enum Shape {
    S { dst: u32, a: u32 },
    As { a: u32 },
    Aa,
    Ss { dst: u32, a: u32, b: u32 },
    Si { dst: u32, a: u32, imm: u64 },
    Is { dst: u32, imm: u64, b: u32 },
    Ass { a: u32, b: u32 },
    Asi { a: u32, imm: u64 },
    Aas { b: u32 },
    Aai { imm: u64 },
}

/// Load shapes.
#[derive(Debug, Clone, Copy)]
enum LoadShape {
    S { dst: u32, addr: u32, offset: u32 },
    I { dst: u32, ea: u64 },
    As { addr: u32, offset: u32 },
    Aa { offset: u32 },
    Ai { ea: u64 },
}

/// Store shapes.
#[derive(Debug, Clone, Copy)]
enum StoreShape {
    Ss { addr: u32, value: u32, offset: u32 },
    Si { addr: u32, imm: u64, offset: u32 },
    Is { ea: u64, value: u32 },
    Sa { addr: u32, offset: u32 },
    Ia { ea: u64 },
    As { value: u32, offset: u32 },
    Ai { imm: u64, offset: u32 },
}

fn spill_op(class: u8, dst: u32) -> Op {
    match class {
        0 => Op::SpillX { dst },
        1 => Op::SpillSx { dst },
        _ => Op::SpillDx { dst },
    }
}

/// The op of unary `$Name` in shape `$sh`.
macro_rules! unary_op {
    ($Name:ident, $sh:expr) => {
        paste::paste! {
            match $sh {
                Shape::S { dst, a } => Op::[<$Name S>] { dst, a },
                Shape::As { a } => Op::[<$Name As>] { a },
                Shape::Aa => Op::[<$Name Aa>] {},
                other => unreachable!("{other:?} is not a unary shape"),
            }
        }
    };
}

/// The op of binary `$Name` in shape `$sh`.
macro_rules! binary_op {
    ($Name:ident, $sh:expr) => {
        paste::paste! {
            match $sh {
                Shape::Ss { dst, a, b } => Op::[<$Name Ss>] { dst, a, b },
                Shape::Si { dst, a, imm } => Op::[<$Name Si>] { dst, a, imm },
                Shape::Is { dst, imm, b } => Op::[<$Name Is>] { dst, imm, b },
                Shape::Ass { a, b } => Op::[<$Name Ass>] { a, b },
                Shape::Asi { a, imm } => Op::[<$Name Asi>] { a, imm },
                Shape::Aas { b } => Op::[<$Name Aas>] { b },
                Shape::Aai { imm } => Op::[<$Name Aai>] { imm },
                other => unreachable!("{other:?} is not a binary shape"),
            }
        }
    };
}

/// The binary op `m` with `a op b == b m a`: the integer ops that commute, and each
/// comparison mirrored (`a < b` is `b > a`; for floats too, NaN making both false).
/// Float arithmetic is left out: with two NaN operands, which payload the result carries
/// depends on the order on some targets.
fn mirrored(op: &Operator<'_>) -> Option<Operator<'static>> {
    use Operator::*;
    Some(match op {
        I32Add => I32Add,
        I32Mul => I32Mul,
        I32And => I32And,
        I32Or => I32Or,
        I32Xor => I32Xor,
        I32Eq => I32Eq,
        I32Ne => I32Ne,
        I32LtS => I32GtS,
        I32LtU => I32GtU,
        I32GtS => I32LtS,
        I32GtU => I32LtU,
        I32LeS => I32GeS,
        I32LeU => I32GeU,
        I32GeS => I32LeS,
        I32GeU => I32LeU,
        I64Add => I64Add,
        I64Mul => I64Mul,
        I64And => I64And,
        I64Or => I64Or,
        I64Xor => I64Xor,
        I64Eq => I64Eq,
        I64Ne => I64Ne,
        I64LtS => I64GtS,
        I64LtU => I64GtU,
        I64GtS => I64LtS,
        I64GtU => I64LtU,
        I64LeS => I64GeS,
        I64LeU => I64GeU,
        I64GeS => I64LeS,
        I64GeU => I64LeU,
        F32Eq => F32Eq,
        F32Ne => F32Ne,
        F32Lt => F32Gt,
        F32Gt => F32Lt,
        F32Le => F32Ge,
        F32Ge => F32Le,
        F64Eq => F64Eq,
        F64Ne => F64Ne,
        F64Lt => F64Gt,
        F64Gt => F64Lt,
        F64Le => F64Ge,
        F64Ge => F64Le,
        _ => return None,
    })
}

/// Per-function state of the register emitter, reused across functions.
pub(crate) struct RegisterEmitter {
    fuse: bool,
    acc: bool,
    /// Whether a result goes to a slot while a value lower on the stack holds the
    /// accumulator it would use ([`Self::emit_to_acc`]): on with fusion, whose rules
    /// (a result written into a local, masks, branches) take slot forms too. Without
    /// fusion it measured worse (`papers/notes-speed.md`, section 12).
    keep_lower_acc: bool,
    /// The last binary op that read its first operand from an accumulator written by the
    /// op just before it, as (its index, that producer's index): the producer may still
    /// be rewritten to write a slot instead (`Operator::Select`'s mask, CRC's `(x ^ y) &
    /// 1` with the xor in the accumulator). Checked against the ops before use.
    acc_input: Option<(usize, usize)>,
    /// Per accumulator class: the op that produced the value holding it (its index, the
    /// op as emitted, and `labels_bound` then), while no op has read the accumulator
    /// without taking the value off the stack. See [`Self::spill_at_producer`].
    held: [Option<(usize, Op, usize)>; 3],
    /// Labels bound so far in this function (a counter, so that a record in `held` can
    /// tell in O(1) whether control may have joined since).
    labels_bound: usize,
    ops: Vec<Op>,
    stack: VirtualStack,
    num_locals: u32,
    num_results: u32,
    max_height: u32,
    /// Height the run-time `sp` is known to point at, if any.
    sp_at: Option<u32>,
    /// What the fusion rules may rewrite: see [`Window`] for when it is open.
    window: Window,
    /// `br_table`: the label chosen per depth (`u32::MAX`: none yet); all `u32::MAX`
    /// between tables.
    label_of_depth: Vec<u32>,
    /// With fusion: per op index, whether a label is bound there, so that loop rotation
    /// can tell whether control may enter a loop header below its top. A flag per op (not
    /// a sorted list) keeps binding O(1) also when rotation binds a label at an op
    /// emitted long ago (deeply nested loops would make a sorted insert quadratic).
    labelled: Vec<bool>,
    /// With fusion: per op index, whether a branch lands there (`mark_targets`, for
    /// `forward_copies` and `fuse_pairs`; kept to reuse its allocation).
    targets: Vec<bool>,
    /// Scratch space of `fuse_pairs` (each op's index after merging).
    new_index: Vec<u32>,
}

impl RegisterEmitter {
    pub(crate) fn new(fuse: bool, acc: bool) -> Self {
        RegisterEmitter {
            fuse,
            acc,
            keep_lower_acc: fuse && acc,
            acc_input: None,
            held: [None, None, None],
            labels_bound: 0,
            ops: Vec::new(),
            stack: VirtualStack::default(),
            num_locals: 0,
            num_results: 0,
            max_height: 0,
            sp_at: None,
            window: Window::default(),
            label_of_depth: Vec::new(),
            labelled: Vec::new(),
            targets: Vec::new(),
            new_index: Vec::new(),
        }
    }

    // ---- bookkeeping ----------------------------------------------------------------------

    fn emit(&mut self, op: Op) {
        self.ops.push(op);
        self.window.close();
        self.window.emitted(self.ops.len() - 1);
    }

    /// With fusion, the last op if the next op may be merged into it (see
    /// [`Window::adjacent`]).
    fn adjacent_op(&self) -> Option<usize> {
        self.fuse
            .then(|| self.window.adjacent(self.ops.len()))
            .flatten()
    }

    /// With fusion, the last two ops if the last may be merged into the one before it
    /// (see [`Window::adjacent_pair`]).
    fn adjacent_pair(&self) -> Option<(usize, usize)> {
        self.fuse
            .then(|| self.window.adjacent_pair(self.ops.len()))
            .flatten()
    }

    /// `copy dst <- src`, merged into a copy just before it when fusing.
    fn emit_copy(&mut self, dst: u32, src: u32) {
        if let Some(last) = self.adjacent_op() {
            if copy_into_copy(&mut self.ops, last, dst, src) {
                self.window.close();
                return;
            }
        }
        self.emit(Op::Copy { dst, src });
    }

    /// `br_if_nez_s cond` to a label with no moves, merged into the op just before it
    /// when fusing.
    fn emit_br_if_nez(&mut self, target: Target, cond: u32) {
        if let Some(last) = self.adjacent_op() {
            if copy_into_br_if(&mut self.ops, last, target, cond)
                || result_into_br_if(&mut self.ops, last, target, cond)
            {
                self.window.close();
                return;
            }
        }
        self.emit(Op::BrIfNezS { target, cond });
    }

    /// With fusion, merges the last op, just rewritten into its final form (a
    /// compare-and-branch, by `br_if`, `if` or a rotated loop's test), into the op before
    /// it, when control reaches it only from that op.
    fn merge_into_prev(&mut self) {
        let Some((prev, last)) = self.adjacent_pair() else {
            return;
        };
        // The branch consumed its operands: the home of the value above its first one
        // (a mask in the accumulator) is free.
        let scratch = self.home(self.height() + 1);
        if mask_into_compare(&mut self.ops, prev, last, scratch) {
            if matches!(self.ops[prev], Op::I32AndSiBrEqSs { dst, .. } if dst == scratch) {
                self.max_height = self.max_height.max(self.height() + 2);
            }
            self.window.merged(prev);
        } else if step_into_compare(&mut self.ops, prev, last) {
            self.window.merged(prev);
        }
    }

    /// With fusion, notes that a label is bound to op index `at`.
    fn record_bound(&mut self, at: usize) {
        self.labels_bound += 1;
        if self.fuse {
            if self.labelled.len() <= at {
                self.labelled.resize(at + 1, false);
            }
            self.labelled[at] = true;
        }
    }

    /// The lowest op index in `op + 1 ..= op + MAX_HEADER_OPS` that a label is bound to
    /// (`usize::MAX`: none). Loop rotation looks no further than that into a header.
    fn first_label_after(&self, op: usize) -> usize {
        (op + 1..=op + MAX_HEADER_OPS)
            .find(|&i| self.labelled.get(i).copied().unwrap_or(false))
            .unwrap_or(usize::MAX)
    }

    /// Emits an op that writes the home slot of a new top value, and pushes that value.
    fn emit_result(&mut self, op: Op) {
        let home = self.home(self.height());
        self.emit_result_at(op, Loc::Slot(home));
    }

    /// Emits an op whose result is a new top value at `loc` (its home slot, a local, or an
    /// accumulator), and pushes that value.
    fn emit_result_at(&mut self, op: Op, loc: Loc) {
        if let Loc::Acc(class) = loc {
            self.held[class as usize] = Some((self.ops.len(), op.clone(), self.labels_bound));
        }
        self.emit(op);
        if let Loc::Acc(class) = loc {
            // In the threaded executor the integer accumulator shares its register with
            // `sp`, so after writing an accumulator `sp` must be set again before use.
            self.sp_at = None;
            self.window.produced_acc(class, self.ops.len() - 1);
        }
        self.push(loc);
        self.window.produced_top(self.ops.len() - 1);
    }

    /// Emits `op`, an op in a form that writes accumulator `class`, and pushes its result.
    ///
    /// If a value lower on the stack still holds that accumulator, the new value goes to
    /// its home slot instead (`op` retargeted) and the lower value stays: in a tree such
    /// as `rotl(x, 30) ^ rotl(x, 19) ^ rotl(x, 10)` (SHA-2's sigma) the running value
    /// then stays in the accumulator and each operand passes through a slot once, where
    /// moving the older value out would put every link of the chain through a slot (a
    /// store and a load). Should the held value have to move after all (a call, a branch
    /// that carries it), its producer is rewritten to write the slot
    /// ([`Self::spill_at_producer`]), so keeping it costs no op. Without fusion the older
    /// value moves out instead: there a result goes into a local for free only from the
    /// accumulator (its producer is retargeted) and costs a `copy` from a slot.
    ///
    /// Unless the holder is idle: when it is not the value just below the new one (so not
    /// the new value's likely partner) and the new op continues a chain (reads a
    /// temporary, the result of an op before it), the holder moves home at its producer
    /// if that costs no op, and the chain takes the accumulator. SHA-256's round is the
    /// shape: LLVM leaves `Σ0(a) + Maj(a, b, c)` on the stack while it sums the round's
    /// other term, a chain of adds that would otherwise run through a frame slot.
    fn emit_to_acc(&mut self, op: Op, class: u8) {
        if let Some(holder) = self.stack.acc_holder(class) {
            if self.keep_lower_acc {
                let idle = holder + 1 < self.stack.len();
                if idle
                    && self.reads_temporary(&op)
                    && self.spill_at_producer(class, self.home(holder as u32))
                {
                    self.stack.set_home(holder);
                    self.emit_result_at(op, Loc::Acc(class));
                    return;
                }
                let dst = self.home(self.height());
                if let Some(op) = retarget(&op, dst) {
                    self.emit_result_at(op, Loc::Slot(dst));
                    return;
                }
            }
            self.free_acc(class);
        }
        self.emit_result_at(op, Loc::Acc(class));
    }

    /// Whether `op` reads a slot above the locals: a value an earlier op computed.
    fn reads_temporary(&self, op: &Op) -> bool {
        let mut reads = false;
        for_each_early_read(&mut op.clone(), |&mut s| reads |= s >= self.num_locals);
        reads
    }

    /// Before an op writes accumulator `class`: a value still waiting there moves to its
    /// home slot.
    fn free_acc(&mut self, class: u8) {
        if let Some(i) = self.stack.acc_holder(class) {
            self.materialize(i);
        }
    }

    /// Before anything that may clobber accumulators (calls, `set_sp`, stack-IR ops).
    fn spill_accs(&mut self) {
        for i in self.stack.acc_holders() {
            self.materialize(i);
        }
    }

    fn home(&self, height: u32) -> u32 {
        self.num_locals + height
    }

    /// Pushes a value; it is no op's fresh result unless `emit_result_at` says so after.
    fn push(&mut self, loc: Loc) {
        self.stack.push(loc);
        self.max_height = self.max_height.max(self.height());
        self.window.stack_changed();
    }

    fn pop(&mut self) -> Loc {
        self.window.stack_changed();
        self.stack.pop()
    }

    /// Writes `loc` into slot `dst` unless it is already there.
    fn move_to(&mut self, dst: u32, loc: Loc) {
        match loc {
            Loc::Slot(s) if s == dst => {}
            Loc::Slot(src) => self.emit_copy(dst, src),
            Loc::Imm(bits) => self.emit(Op::Const { dst, bits }),
            Loc::Acc(class) => {
                // Just produced? Then the producer can write the slot itself.
                if let Some(producer) = self.window.acc_producer(class) {
                    if spill_into_producer(&mut self.ops, producer, dst) {
                        self.window.forget_acc();
                        return;
                    }
                }
                // The accumulator is read where it is: its producer must keep writing it.
                self.held[class as usize] = None;
                self.emit(spill_op(class, dst))
            }
        }
    }

    /// Puts the value at stack index `i` into its home slot.
    fn materialize(&mut self, i: usize) {
        let home = self.home(i as u32);
        let loc = self.stack.get(i);
        if let Loc::Acc(class) = loc {
            if self.spill_at_producer(class, home) {
                self.stack.set_home(i);
                return;
            }
        }
        self.move_to(home, loc);
        self.stack.set_home(i);
    }

    /// Moves the value holding accumulator `class` to slot `dst` by rewriting its producer
    /// to write `dst` instead, however long ago it was emitted, if that is exact: the op is
    /// still there as emitted, no label was bound since (control joins only at labels), no
    /// op read the accumulator since without taking the value (a spill for a branch's
    /// move clears the record), and no op wrote it (any op that writes it first moves its
    /// holder out). The ops in between wrote slots above the value's home or other
    /// accumulators, so writing the home earlier changes nothing they see. Called only
    /// where the value leaves the accumulator on every path that follows (it is then at
    /// `dst` for good), so that no op after expects it there.
    fn spill_at_producer(&mut self, class: u8, dst: u32) -> bool {
        let Some((at, op, labels)) = &self.held[class as usize] else {
            return false;
        };
        if *labels != self.labels_bound || self.ops.get(*at) != Some(op) {
            return false;
        }
        let at = *at;
        if !spill_into_producer(&mut self.ops, at, dst) {
            return false;
        }
        self.held[class as usize] = None;
        if self.window.acc_producer(class) == Some(at) {
            self.window.forget_acc();
        }
        true
    }

    /// Before a branch or return: values below the top `skip` that hold an accumulator
    /// move home where that costs no op ([`Self::spill_at_producer`]), so that the branch
    /// need not move them (and a compare before it may still fuse into it).
    fn settle_accs(&mut self, skip: usize) {
        let below = self.stack.len().saturating_sub(skip);
        for i in self.stack.acc_holders() {
            if i < below {
                if let Loc::Acc(class) = self.stack.get(i) {
                    if self.spill_at_producer(class, self.home(i as u32)) {
                        self.stack.set_home(i);
                    }
                }
            }
        }
    }

    fn materialize_top(&mut self, n: u32) {
        let len = self.stack.len();
        for i in len - n as usize..len {
            self.materialize(i);
        }
    }

    fn materialize_all(&mut self) {
        // Values below `first_maybe_away` are home already: visiting only the rest keeps
        // a block boundary on a tall stack O(values moved since the last one).
        for i in self.stack.first_maybe_away()..self.stack.len() {
            self.materialize(i);
        }
    }

    /// The top value as a slot (wherever it is), materializing an immediate or an
    /// accumulator.
    fn pop_slot(&mut self) -> u32 {
        if !matches!(self.stack.top(), Some(Loc::Slot(_))) {
            self.materialize(self.stack.len() - 1);
        }
        match self.pop() {
            Loc::Slot(s) => s,
            _ => unreachable!("materialized above"),
        }
    }

    /// The value at stack index `i` out of an accumulator (into its home slot).
    fn unacc(&mut self, i: usize) {
        if let Loc::Acc(_) = self.stack.get(i) {
            self.materialize(i);
        }
    }

    /// Before local `x` is written: values that merely refer to it get their own copy.
    fn protect_local(&mut self, x: u32) {
        for i in self.stack.take_local_refs(x) {
            self.materialize(i as usize);
        }
    }

    /// A constant: an immediate with fusion, else written to its home slot.
    fn constant(&mut self, bits: u64) {
        if self.fuse {
            self.push(Loc::Imm(bits));
        } else {
            let dst = self.home(self.height());
            self.emit_result(Op::Const { dst, bits });
        }
    }

    /// Runs a stack-IR op that pops `pops` and pushes `pushes` values in their home slots.
    fn stack_op(&mut self, pops: u32, pushes: u32, op: Op) {
        self.spill_accs();
        self.materialize_top(pops);
        let h = self.height();
        if self.sp_at != Some(h) {
            let slot = self.home(h);
            self.emit(Op::SetSp { slot });
        }
        self.emit(op);
        for _ in 0..pops {
            self.pop();
        }
        for _ in 0..pushes {
            let home = self.home(self.height());
            self.push(Loc::Slot(home));
        }
        self.sp_at = Some(self.height());
    }

    // ---- control --------------------------------------------------------------------------

    /// The moves a branch to `frame` needs: its values into the frame's result slots.
    fn needs_moves(&self, frame: &Frame) -> bool {
        let keep = frame.branch_arity();
        let top = self.stack.len() - keep as usize;
        (0..keep as usize)
            .any(|j| self.stack.get(top + j) != Loc::Slot(self.home(frame.base + j as u32)))
    }

    /// Moves the branch values into place and jumps (or returns, for the function).
    fn branch_unconditionally(&mut self, cx: &Control, depth: u32) {
        self.settle_accs(0);
        let frame = cx.frame(depth);
        if frame.kind == FrameKind::Func {
            self.return_();
            return;
        }
        let keep = frame.branch_arity();
        let top = self.stack.len() - keep as usize;
        // In increasing order: a destination slot is never the home of a later value.
        for j in 0..keep as usize {
            let dst = self.home(frame.base + j as u32);
            let loc = self.stack.get(top + j);
            self.move_to(dst, loc);
        }
        self.emit(Op::Br {
            target: Target(frame.label),
        });
    }

    fn call(&mut self, t: &FuncType, extra: u32, make: impl FnOnce(u32) -> Op) {
        let np = t.params.len() as u32 + extra;
        self.spill_accs();
        self.materialize_top(np);
        let end = self.home(self.height());
        self.emit(make(end));
        for _ in 0..np {
            self.pop();
        }
        for _ in 0..t.results.len() {
            let home = self.home(self.height());
            self.push(Loc::Slot(home));
        }
        self.sp_at = None;
    }

    // ---- operators ------------------------------------------------------------------------

    /// A unary op: operand class `ka`, result class `kr`.
    fn unary(&mut self, ka: u8, kr: u8, mk: impl Fn(Shape) -> Op) {
        let _ = ka;
        if !self.acc {
            let a = self.pop_slot();
            let dst = self.home(self.height());
            self.emit_result(mk(Shape::S { dst, a }));
            return;
        }
        let i = self.stack.len() - 1;
        if let Loc::Imm(_) = self.stack.get(i) {
            self.materialize(i);
        }
        let a = self.pop();
        let shape = match a {
            Loc::Acc(_) => Shape::Aa,
            Loc::Slot(a) => Shape::As { a },
            Loc::Imm(_) => unreachable!("materialized above"),
        };
        self.emit_to_acc(mk(shape), kr);
    }

    /// A binary op: operand class `ka` (both operands), result class `kr`. `mirror`, if
    /// any, emits the op that computes the same result with the operands swapped.
    ///
    /// With accumulators, the operands swap when that keeps a value out of a slot: the
    /// second operand in the accumulator (which has no shape of its own and would be
    /// spilled) becomes the first; and `imm op slot`, whose only shape writes a slot,
    /// becomes `slot op imm`, which writes the accumulator. `x + (y << 2)`, an
    /// address computation, is the common case.
    fn binary(
        &mut self,
        ka: u8,
        kr: u8,
        mk: impl Fn(Shape) -> Op,
        mirror: Option<fn(Shape) -> Op>,
    ) {
        let _ = ka;
        let len = self.stack.len();
        let swap = self.acc
            && mirror.is_some()
            && matches!(
                (self.stack.get(len - 2), self.stack.get(len - 1)),
                (Loc::Slot(_) | Loc::Imm(_), Loc::Acc(_)) | (Loc::Imm(_), Loc::Slot(_))
            );
        if self.acc && !swap {
            // The second operand in an accumulator has no shape of its own: spill it.
            self.unacc(len - 1);
        }
        let b = self.pop();
        let a = self.pop();
        let (a, b) = if swap { (b, a) } else { (a, b) };
        let mk = |sh| match mirror {
            Some(m) if swap => m(sh),
            _ => mk(sh),
        };
        let dst = self.home(self.height());
        if !self.acc {
            let op = match (a, b) {
                (Loc::Slot(a), Loc::Slot(b)) => Shape::Ss { dst, a, b },
                (Loc::Slot(a), Loc::Imm(imm)) => Shape::Si { dst, a, imm },
                (Loc::Imm(imm), Loc::Slot(b)) => Shape::Is { dst, imm, b },
                (Loc::Imm(x), Loc::Imm(imm)) => {
                    self.emit(Op::Const { dst, bits: x });
                    Shape::Si { dst, a: dst, imm }
                }
                _ => unreachable!("no accumulators in this mode"),
            };
            self.emit_result(mk(op));
            return;
        }
        let acc_input = match a {
            Loc::Acc(class) => self
                .adjacent_op()
                .filter(|&p| self.window.acc_producer(class) == Some(p)),
            _ => None,
        };
        let (shape, loc) = match (a, b) {
            (Loc::Acc(_), Loc::Slot(b)) => (Shape::Aas { b }, Loc::Acc(kr)),
            (Loc::Acc(_), Loc::Imm(imm)) => (Shape::Aai { imm }, Loc::Acc(kr)),
            (Loc::Slot(a), Loc::Slot(b)) => (Shape::Ass { a, b }, Loc::Acc(kr)),
            (Loc::Slot(a), Loc::Imm(imm)) => (Shape::Asi { a, imm }, Loc::Acc(kr)),
            (Loc::Imm(imm), Loc::Slot(b)) => (Shape::Is { dst, imm, b }, Loc::Slot(dst)),
            (Loc::Imm(x), Loc::Imm(imm)) => {
                self.emit(Op::Const { dst, bits: x });
                (Shape::Asi { a: dst, imm }, Loc::Acc(kr))
            }
            _ => unreachable!("the second operand was spilled"),
        };
        match loc {
            Loc::Acc(_) => self.emit_to_acc(mk(shape), kr),
            _ => self.emit_result_at(mk(shape), loc),
        }
        // Overwritten by every binary op, so that it never names an op emitted since.
        self.acc_input = acc_input.map(|p| (self.ops.len() - 1, p));
    }

    fn load(&mut self, kr: u8, offset: u64, mk: impl Fn(LoadShape) -> Op) {
        let addr = self.pop();
        let dst = self.home(self.height());
        if !self.acc {
            let shape = match addr {
                Loc::Slot(a) => LoadShape::S {
                    dst,
                    addr: a,
                    offset: offset as u32,
                },
                Loc::Imm(a) => LoadShape::I {
                    dst,
                    ea: u64::from(a as u32) + offset,
                },
                Loc::Acc(_) => unreachable!("no accumulators in this mode"),
            };
            self.emit_result(mk(shape));
            return;
        }
        let shape = match addr {
            Loc::Slot(a) => LoadShape::As {
                addr: a,
                offset: offset as u32,
            },
            Loc::Imm(a) => LoadShape::Ai {
                ea: u64::from(a as u32) + offset,
            },
            Loc::Acc(_) => LoadShape::Aa {
                offset: offset as u32,
            },
        };
        self.emit_to_acc(mk(shape), kr);
    }

    fn store(&mut self, offset: u64, mk: impl Fn(StoreShape) -> Op) {
        let len = self.stack.len();
        // Address and value both in accumulators (of different classes): spill the value.
        if matches!(
            (self.stack.get(len - 2), self.stack.get(len - 1)),
            (Loc::Acc(_), Loc::Acc(_))
        ) {
            self.unacc(len - 1);
        }
        let v = self.pop();
        let a = self.pop();
        let off = offset as u32;
        let shape = match (a, v) {
            (Loc::Slot(a), Loc::Slot(v)) => StoreShape::Ss {
                addr: a,
                value: v,
                offset: off,
            },
            (Loc::Slot(a), Loc::Imm(imm)) => StoreShape::Si {
                addr: a,
                imm,
                offset: off,
            },
            (Loc::Imm(a), Loc::Slot(v)) => StoreShape::Is {
                ea: u64::from(a as u32) + offset,
                value: v,
            },
            (Loc::Imm(a), Loc::Imm(imm)) => {
                let tmp = self.home(self.height());
                self.emit(Op::Const {
                    dst: tmp,
                    bits: imm,
                });
                StoreShape::Is {
                    ea: u64::from(a as u32) + offset,
                    value: tmp,
                }
            }
            (Loc::Slot(a), Loc::Acc(_)) => StoreShape::Sa {
                addr: a,
                offset: off,
            },
            (Loc::Imm(a), Loc::Acc(_)) => StoreShape::Ia {
                ea: u64::from(a as u32) + offset,
            },
            (Loc::Acc(_), Loc::Slot(v)) => StoreShape::As {
                value: v,
                offset: off,
            },
            (Loc::Acc(_), Loc::Imm(imm)) => StoreShape::Ai { imm, offset: off },
            (Loc::Acc(_), Loc::Acc(_)) => unreachable!("the value was spilled"),
        };
        let op = mk(shape);
        if let Some((prev, last)) = self.adjacent_pair() {
            if load_add_into_store(&mut self.ops, prev, last, &op) {
                self.ops.pop();
                self.window.merged(prev);
                return;
            }
        }
        if let Some(last) = self.adjacent_op() {
            if load_into_store(&mut self.ops, last, &op) {
                self.window.close();
                return;
            }
        }
        self.emit(op);
    }

    fn local_set(&mut self, x: u32, tee: bool) {
        let producer = self.fuse.then(|| self.window.top_producer()).flatten();
        if let Some(producer) = producer {
            let others_refer_to_x = self.stack.local_referenced_below_top(x);
            if local_set_into_producer(&mut self.ops, producer, x, others_refer_to_x) {
                self.window.close();
                self.pop();
                if tee {
                    self.push(Loc::Slot(x));
                }
                return;
            }
        }
        self.protect_local(x);
        let v = self.pop();
        self.move_to(x, v);
        if tee {
            self.push(Loc::Slot(x));
        }
    }
}

impl Emitter for RegisterEmitter {
    fn begin(&mut self, num_locals: u32, num_results: u32) {
        self.ops.clear();
        self.stack.reset(num_locals);
        self.num_locals = num_locals;
        self.num_results = num_results;
        self.max_height = 0;
        self.sp_at = None;
        self.window.label_bound();
        self.labelled.clear();
        self.held = [None, None, None];
    }

    fn height(&self) -> u32 {
        self.stack.len() as u32
    }

    fn bind(&mut self, cx: &mut Control, label: u32) {
        cx.bind(label, self.ops.len());
        self.record_bound(self.ops.len());
        self.sp_at = None;
        self.window.label_bound();
    }

    fn enter_block(&mut self) {
        self.materialize_all();
    }

    fn if_(&mut self, _cx: &mut Control, else_label: u32) {
        // A comparison computed just before becomes a branch on its negation.
        let producer = self.fuse.then(|| self.window.top_producer()).flatten();
        let fused =
            producer.and_then(|p| negated_compare_into_if(&mut self.ops, p, Target(else_label)));
        if let Some(fused) = fused {
            self.pop();
            self.materialize_all();
            self.emit(fused);
            self.merge_into_prev();
        } else {
            let cond = self.pop_slot();
            self.materialize_all();
            self.emit(Op::BrIfEqzS {
                target: Target(else_label),
                cond,
            });
        }
    }

    fn leave_arm(&mut self, frame: &Frame) {
        self.materialize_top(frame.results);
    }

    fn jump(&mut self, label: u32) {
        self.emit(Op::Br {
            target: Target(label),
        });
    }

    fn br(&mut self, cx: &mut Control, depth: u32) {
        let frame = cx.frame(depth);
        // A `br` back to a loop whose header is its exit test: a copy of the test, negated.
        let header = (self.fuse && frame.kind == FrameKind::Loop)
            .then(|| cx.bound(frame.label))
            .flatten();
        if let Some(header) = header.map(|h| h as usize) {
            let first_label_after_header = self.first_label_after(header);
            let body = Target(cx.new_label());
            if let Some((body_at, rotated)) = rotate_loop(
                &self.ops,
                header,
                frame.params != 0,
                first_label_after_header,
                |exit| cx.bound(exit.0).is_some(),
                body,
            ) {
                let rotated_len = rotated.len();
                for (i, op) in rotated.into_iter().enumerate() {
                    let test = i + 2 == rotated_len;
                    // A header op reading back the global the body just set into the
                    // same slot (a counter kept in a global) has nothing left to do.
                    if let Op::GlobalGetS { dst, global } = op {
                        let last = self.adjacent_op();
                        if last.and_then(|l| get_after_set(&self.ops, l, global)) == Some(dst) {
                            continue;
                        }
                    }
                    self.emit(op);
                    // The negated test, last but one, may merge with the body's last op.
                    if test {
                        self.merge_into_prev();
                    }
                }
                // Bound after the fact, at an op already emitted: the copy reaches it in
                // the state the header's own fall-through does, so what the code there
                // was emitted assuming still holds. The window has moved on.
                cx.bind(body.0, body_at);
                self.record_bound(body_at);
                return;
            }
        }
        self.branch_unconditionally(cx, depth);
    }

    /// Returns the top `num_results` values. Leaves the virtual stack as it was, so that
    /// a conditional return (`br_if`, a `br_table` stub) needs no copy of it.
    fn return_(&mut self) {
        self.settle_accs(0);
        let n = self.num_results;
        if n == 1 {
            // One value: returned from wherever it is if that is a slot, a local's
            // included, which saves the copy to its home slot; the dedicated op also
            // saves the count's test in the handler.
            let top = self.stack.len() - 1;
            let from = match self.stack.get(top) {
                Loc::Slot(s) => s,
                loc => {
                    let home = self.home(top as u32);
                    self.move_to(home, loc);
                    home
                }
            };
            self.emit(Op::ReturnS1 { from });
            return;
        }
        // Results go to slots 0.., which may be locals the values refer to: gather them in
        // their home slots first, then one overlap-safe block move.
        let len = self.stack.len();
        for i in len - n as usize..len {
            let home = self.home(i as u32);
            let loc = self.stack.get(i);
            self.move_to(home, loc);
        }
        let from = self.home(self.height() - n);
        self.emit(Op::ReturnS { from, count: n });
    }

    /// After a merge point: `base` values below, then `n` values, all in home slots.
    fn reset_stack(&mut self, base: u32, n: u32) {
        self.stack.truncate(base as usize);
        for _ in 0..n {
            let home = self.home(self.height());
            self.push(Loc::Slot(home));
        }
        self.sp_at = None;
    }

    fn br_if(&mut self, cx: &mut Control, depth: u32) {
        // The condition (the top) is left where it is, for the fusion rules below.
        self.settle_accs(1);
        let frame = cx.frame(depth);
        // Fuse a comparison computed just before into the branch.
        let producer = self.fuse.then(|| self.window.top_producer()).flatten();
        if let Some(producer) = producer {
            let cond = self.pop();
            let branch_needs_moves = self.needs_moves(&frame);
            let target_is_return = frame.kind == FrameKind::Func;
            let target = Target(frame.label);
            if compare_into_br_if(
                &mut self.ops,
                producer,
                target,
                branch_needs_moves,
                target_is_return,
            ) {
                self.window.close();
                self.merge_into_prev();
                return;
            }
            self.push(cond);
        }
        let cond = self.pop_slot();
        if frame.kind != FrameKind::Func && !self.needs_moves(&frame) {
            self.emit_br_if_nez(Target(frame.label), cond);
            return;
        }
        let skip = cx.new_label();
        self.emit(Op::BrIfEqzS {
            target: Target(skip),
            cond,
        });
        // The branch only emits moves: the virtual stack stays as the fall-through needs it.
        self.branch_unconditionally(cx, depth);
        let sp_at = self.sp_at;
        self.bind(cx, skip);
        self.sp_at = sp_at;
    }

    fn br_table(&mut self, cx: &mut Control, depths: &[u32]) {
        self.settle_accs(1);
        let index = self.pop_slot();
        let mut entries = Vec::with_capacity(depths.len());
        let mut stubs = Vec::new();
        // One decision (and at most one stub) per distinct depth, however many targets
        // name it: `needs_moves` costs the frame's arity.
        // Indexed by depth, reused across `br_table`s and reset through `depths` below, so
        // a table costs its targets, not the nesting depth, and allocates nothing.
        let mut label_of_depth = core::mem::take(&mut self.label_of_depth);
        for &depth in depths {
            if depth as usize >= label_of_depth.len() {
                label_of_depth.resize(depth as usize + 1, u32::MAX);
            }
            let known = label_of_depth[depth as usize];
            let label = if known != u32::MAX {
                known
            } else {
                let frame = cx.frame(depth);
                let label = if frame.kind != FrameKind::Func && !self.needs_moves(&frame) {
                    frame.label
                } else {
                    let stub = cx.new_label();
                    stubs.push((stub, depth));
                    stub
                };
                label_of_depth[depth as usize] = label;
                label
            };
            entries.push(BrTableEntry {
                target: Target(label),
                drop: 0,
                keep: 0,
            });
        }
        for &depth in depths {
            label_of_depth[depth as usize] = u32::MAX;
        }
        self.label_of_depth = label_of_depth;
        self.emit(Op::BrTableS {
            index,
            targets: entries.into_boxed_slice(),
        });
        for (stub, depth) in stubs {
            self.bind(cx, stub);
            self.branch_unconditionally(cx, depth);
        }
    }

    fn take_ops(&mut self) -> (Vec<Op>, u32) {
        (core::mem::take(&mut self.ops), self.max_height)
    }

    fn recycle_ops(&mut self, mut ops: Vec<Op>) {
        ops.clear();
        self.ops = ops;
    }

    fn after_resolve(&mut self, ops: &mut Vec<Op>) {
        jumps_to_returns(ops);
        if self.fuse {
            // `forward_copies` renames reads only, so the targets stay valid for both.
            mark_targets(ops, &mut self.targets);
            forward_copies(ops, &self.targets);
            fuse_pairs(ops, &self.targets, &mut self.new_index);
        }
    }

    /// Inlined into each of the driver's visitor methods, where `op` is one known
    /// variant: the match folds away, leaving that operator's arm.
    #[inline(always)]
    fn operator(&mut self, m: &ModuleIr, op: Operator<'_>) -> Result<()> {
        macro_rules! numeric {
            (
                unary { $( $UName:ident $uname:ident ($ua:ty) -> $ur:ty; )* }
                unary_trap { $( $TName:ident $tname:ident ($ta:ty) -> $tr:ty; )* }
                binary { $( $BName:ident $bname:ident ($ba:ty, $bb:ty) -> $br:ty; )* }
                binary_trap { $( $QName:ident $qname:ident ($qa:ty, $qb:ty) -> $qr:ty; )* }
                load { $( $LName:ident $lname:ident $lm:ty => $lr:ty; )* }
                store { $( $SName:ident $sname:ident $sv:ty => $sm:ty; )* }
                branch_cmp { $($cmp:tt)* }
                other { $($rest:tt)* }
            ) => { paste::paste! {
                /// The emitter of each (non-trapping) binary op.
                fn binary_maker(op: &Operator<'_>) -> Option<fn(Shape) -> Op> {
                    match op {
                        $( Operator::$BName => Some(|sh| binary_op!($BName, sh)), )*
                        _ => None,
                    }
                }
                match op {
                    $( Operator::$UName => {
                        self.unary(<$ua>::CLASS, <$ur>::CLASS, |sh| unary_op!($UName, sh));
                        return Ok(());
                    } )*
                    $( Operator::$TName => {
                        self.unary(<$ta>::CLASS, <$tr>::CLASS, |sh| unary_op!($TName, sh));
                        return Ok(());
                    } )*
                    $( Operator::$BName => {
                        let mirror = mirrored(&op).and_then(|m| binary_maker(&m));
                        self.binary(<$ba>::CLASS, <$br>::CLASS, |sh| binary_op!($BName, sh), mirror);
                        return Ok(());
                    } )*
                    $( Operator::$QName => {
                        self.binary(<$qa>::CLASS, <$qr>::CLASS, |sh| binary_op!($QName, sh), None);
                        return Ok(());
                    } )*
                    $( Operator::$LName { memarg } => {
                        self.load(<$lr>::CLASS, memarg.offset, |sh| match sh {
                            LoadShape::S { dst, addr, offset } => Op::[<$LName S>] { dst, addr, offset },
                            LoadShape::I { dst, ea } => Op::[<$LName I>] { dst, ea },
                            LoadShape::As { addr, offset } => Op::[<$LName As>] { addr, offset },
                            LoadShape::Aa { offset } => Op::[<$LName Aa>] { offset },
                            LoadShape::Ai { ea } => Op::[<$LName Ai>] { ea },
                        });
                        return Ok(());
                    } )*
                    $( Operator::$SName { memarg } => {
                        self.store(memarg.offset, |sh| match sh {
                            StoreShape::Ss { addr, value, offset } => Op::[<$SName Ss>] { addr, value, offset },
                            StoreShape::Si { addr, imm, offset } => Op::[<$SName Si>] { addr, imm, offset },
                            StoreShape::Is { ea, value } => Op::[<$SName Is>] { ea, value },
                            StoreShape::Sa { addr, offset } => Op::[<$SName Sa>] { addr, offset },
                            StoreShape::Ia { ea } => Op::[<$SName Ia>] { ea },
                            StoreShape::As { value, offset } => Op::[<$SName As>] { value, offset },
                            StoreShape::Ai { imm, offset } => Op::[<$SName Ai>] { imm, offset },
                        });
                        return Ok(());
                    } )*
                    _ => {}
                }
            } };
        }
        // `eqz` of a comparison or difference just computed: rewrite that op instead.
        if let Operator::I32Eqz | Operator::I64Eqz = op {
            let producer = self.fuse.then(|| self.window.top_producer()).flatten();
            let is_i64 = matches!(op, Operator::I64Eqz);
            if producer.is_some_and(|p| eqz_into_producer(&mut self.ops, p, is_i64)) {
                return Ok(());
            }
        }
        // `and` with a constant of a logical shift right (or an add) by a constant just
        // computed, into the accumulator or the value's home slot: one op.
        if let Operator::I32And = op {
            let len = self.stack.len();
            let operands = (len >= 2).then(|| (self.stack.get(len - 2), self.stack.get(len - 1)));
            let producer = match (self.fuse, operands) {
                (true, Some((Loc::Acc(0), Loc::Imm(mask)))) => {
                    self.window.acc_producer(0).map(|p| (p, mask))
                }
                // In its home slot, written by the last op: no other value refers to it.
                (true, Some((Loc::Slot(s), Loc::Imm(mask)))) if s == self.home(len as u32 - 2) => {
                    self.adjacent_op()
                        .filter(|&p| {
                            matches!(self.ops[p], Op::I32ShrUSi { dst, .. }
                                | Op::I32AddSi { dst, .. } if dst == s)
                        })
                        .map(|p| (p, mask))
                }
                _ => None,
            };
            if let Some((p, mask)) = producer {
                if mask_into_producer(&mut self.ops, p, mask) {
                    // The masked value becomes the result, where the value was.
                    self.pop();
                    self.window.produced_top(p);
                    return Ok(());
                }
            }
        }
        crate::for_each_op!(numeric);
        match op {
            Operator::Nop => {}
            // Slots are untyped, so reinterpreting costs nothing; but a value in an
            // accumulator must leave it, since the new type lives in another one.
            Operator::I32ReinterpretF32
            | Operator::I64ReinterpretF64
            | Operator::F32ReinterpretI32
            | Operator::F64ReinterpretI64 => self.unacc(self.stack.len() - 1),
            Operator::Unreachable => self.emit(Op::Unreachable {}),
            Operator::Call { function_index } => {
                self.call(m.func_type(function_index), 0, |end| Op::CallS {
                    func: function_index,
                    end,
                })
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => self.call(&m.types[type_index as usize], 1, |end| Op::CallIndirectS {
                ty: type_index,
                table: table_index,
                end,
            }),
            Operator::ReturnCall { function_index } => {
                self.call(m.func_type(function_index), 0, |end| Op::ReturnCallS {
                    func: function_index,
                    end,
                });
            }
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                self.call(&m.types[type_index as usize], 1, |end| {
                    Op::ReturnCallIndirectS {
                        ty: type_index,
                        table: table_index,
                        end,
                    }
                });
            }
            Operator::Drop => {
                self.pop();
            }
            Operator::Select | Operator::TypedSelect { .. } => {
                // A condition just computed by `i32.and_si` into its home slot (a
                // temporary, dead after the select; moved there from the accumulator by
                // rewriting the `and`, if it was there): the select can do the `and`.
                let len = self.stack.len();
                let cond = self.pop_slot();
                let in_home = cond == self.home(len as u32 - 1);
                let mut mask_op = in_home
                    .then(|| self.adjacent_op())
                    .flatten()
                    .filter(|&p| matches!(self.ops[p], Op::I32AndSi { dst, .. } if dst == cond));
                // The `and` read the accumulator that the op just before it wrote (and
                // nothing else since): that op writes the condition's slot instead, and
                // the `and` reads it there.
                if let (true, None, Some((p, l))) = (in_home, mask_op, self.adjacent_pair()) {
                    if let Op::I32AndSai { dst, imm } = self.ops[l] {
                        if dst == cond
                            && self.acc_input == Some((l, p))
                            && spill_into_producer(&mut self.ops, p, cond)
                        {
                            self.ops[l] = Op::I32AndSi { dst, a: dst, imm };
                            mask_op = Some(l);
                        }
                    }
                }
                // The two values: slots, or constants (with fusion, the only mode that
                // has `Loc::Imm`), which the immediate forms take without a `const` op.
                let len = self.stack.len();
                self.unacc(len - 1);
                self.unacc(len - 2);
                let b = self.pop();
                let a = self.pop();
                let dst = self.home(self.height());
                // Nothing emitted since the `and` (moving the values out of accumulators
                // may have): it is still the last op.
                if let (Some(p), Loc::Slot(a), Loc::Slot(b)) = (mask_op, a, b) {
                    if p + 1 == self.ops.len() && mask_into_select(&mut self.ops, p, dst, a, b) {
                        self.push(Loc::Slot(dst));
                        self.window.close();
                        self.window.produced_top(p);
                        return Ok(());
                    }
                }
                let op = match (a, b) {
                    (Loc::Slot(a), Loc::Slot(b)) => Op::SelectS { dst, a, b, cond },
                    (Loc::Imm(imm), Loc::Slot(b)) => Op::SelectIs { dst, imm, b, cond },
                    (Loc::Slot(a), Loc::Imm(imm)) => Op::SelectSi { dst, a, imm, cond },
                    (Loc::Imm(x), Loc::Imm(imm)) => {
                        // `dst` is `a`'s home, below `cond`'s: writing it first is safe.
                        self.emit(Op::Const { dst, bits: x });
                        Op::SelectSi {
                            dst,
                            a: dst,
                            imm,
                            cond,
                        }
                    }
                    _ => unreachable!("both values were taken out of accumulators"),
                };
                self.emit_result(op);
            }
            Operator::LocalGet { local_index } => self.push(Loc::Slot(local_index)),
            Operator::LocalSet { local_index } => self.local_set(local_index, false),
            Operator::LocalTee { local_index } => self.local_set(local_index, true),
            Operator::GlobalGet { global_index } => {
                let set = self.adjacent_op();
                let src = set.and_then(|last| get_after_set(&self.ops, last, global_index));
                // A local's slot stands for the value as `local.get`'s does; a temporary
                // one only if it is this value's own home (popped by the set at this
                // height), never another value's.
                if let Some(src) =
                    src.filter(|&s| s < self.num_locals || s == self.home(self.height()))
                {
                    self.push(Loc::Slot(src));
                    return Ok(());
                }
                let dst = self.home(self.height());
                self.emit_result(Op::GlobalGetS {
                    dst,
                    global: global_index,
                });
            }
            Operator::GlobalSet { global_index } => {
                let src = self.pop_slot();
                if let Some(last) = self.adjacent_op() {
                    let prev = self.adjacent_pair().map(|(prev, _)| prev);
                    if let Some(at) = add_into_global_set(
                        &mut self.ops,
                        prev,
                        last,
                        (src, global_index),
                        self.num_locals,
                    ) {
                        if at != last {
                            self.ops.pop();
                        }
                        self.window.merged(at);
                        return Ok(());
                    }
                }
                self.emit(Op::GlobalSetS {
                    src,
                    global: global_index,
                });
            }
            Operator::I32Const { value } => self.constant(u64::from(value as u32)),
            Operator::I64Const { value } => self.constant(value as u64),
            Operator::F32Const { value } => self.constant(u64::from(value.bits())),
            Operator::F64Const { value } => self.constant(value.bits()),
            Operator::RefNull { .. } => self.constant(0),
            Operator::MemorySize { .. } => self.stack_op(0, 1, Op::MemorySize {}),
            Operator::MemoryGrow { .. } => self.stack_op(1, 1, Op::MemoryGrow {}),
            Operator::MemoryFill { .. } => self.stack_op(3, 0, Op::MemoryFill {}),
            Operator::MemoryCopy { .. } => self.stack_op(3, 0, Op::MemoryCopy {}),
            Operator::MemoryInit { data_index, .. } => {
                self.stack_op(3, 0, Op::MemoryInit { data: data_index })
            }
            Operator::DataDrop { data_index } => self.emit(Op::DataDrop { data: data_index }),
            Operator::TableGet { table } => self.stack_op(1, 1, Op::TableGet { table }),
            Operator::TableSet { table } => self.stack_op(2, 0, Op::TableSet { table }),
            Operator::TableSize { table } => self.stack_op(0, 1, Op::TableSize { table }),
            Operator::TableGrow { table } => self.stack_op(2, 1, Op::TableGrow { table }),
            Operator::TableFill { table } => self.stack_op(3, 0, Op::TableFill { table }),
            Operator::TableCopy {
                dst_table,
                src_table,
            } => self.stack_op(
                3,
                0,
                Op::TableCopy {
                    dst: dst_table,
                    src: src_table,
                },
            ),
            Operator::TableInit { elem_index, table } => self.stack_op(
                3,
                0,
                Op::TableInit {
                    table,
                    elem: elem_index,
                },
            ),
            Operator::ElemDrop { elem_index } => self.emit(Op::ElemDrop { elem: elem_index }),
            Operator::RefIsNull => self.stack_op(1, 1, Op::RefIsNull {}),
            Operator::RefFunc { function_index } => self.stack_op(
                0,
                1,
                Op::RefFunc {
                    func: function_index,
                },
            ),
            other => {
                return Err(TranslateError {
                    message: format!("unsupported: operator {other:?}"),
                    offset: None,
                })
            }
        }
        Ok(())
    }
}
