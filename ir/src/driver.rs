//! The translation driver: one walk over a function body for every IR.
//!
//! The driver validates each operator (wasmparser's function validator), reads the locals,
//! keeps the control frames, allocates, binds and resolves labels, and skips unreachable
//! code. What to emit is the business of an [`Emitter`] (`stack_emitter.rs`,
//! `register_emitter.rs`): the driver hands it every reachable operator and calls its
//! hooks at the points where control flow joins or leaves.
//!
//! Labels are indexes into [`Control`]'s label table while a function is emitted; a target
//! holds the label and is rewritten to an op index once every label is bound.

use crate::definite_writes::DefiniteWrites;
use crate::module::{FuncBody, ModuleIr};
use crate::op::Op;
use crate::translate::TranslateError;
use wasmparser::{
    BlockType, FrameStack, FuncValidator, FunctionBody, Operator, ValidatorResources, VisitOperator,
};

type Result<T, E = TranslateError> = core::result::Result<T, E>;

/// What opened a control frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameKind {
    Func,
    Block,
    Loop,
    If,
    Else,
}

/// One open block, loop, if or the function body itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub(crate) kind: FrameKind,
    /// Operand height below the block's parameters.
    pub(crate) base: u32,
    pub(crate) params: u32,
    pub(crate) results: u32,
    /// A loop's start, or the end of anything else.
    pub(crate) label: u32,
    /// Where an `if`'s false path starts, until its `else` is seen.
    pub(crate) else_label: Option<u32>,
    /// Opened in unreachable code: emits nothing, and its label is never used.
    pub(crate) dead: bool,
}

impl Frame {
    /// How many values a branch to this frame carries: a loop's parameters (it jumps to
    /// the start), anything else's results.
    pub(crate) fn branch_arity(&self) -> u32 {
        if self.kind == FrameKind::Loop {
            self.params
        } else {
            self.results
        }
    }
}

/// The control state an emitter may consult and extend: open frames and labels.
#[derive(Default)]
pub(crate) struct Control {
    frames: Vec<Frame>,
    /// The op index each label is bound to, once bound.
    labels: Vec<Option<u32>>,
}

impl Control {
    /// A fresh label, bound later with [`Control::bind`].
    pub(crate) fn new_label(&mut self) -> u32 {
        self.labels.push(None);
        (self.labels.len() - 1) as u32
    }

    /// Binds `label` to op index `at`.
    pub(crate) fn bind(&mut self, label: u32, at: usize) {
        self.labels[label as usize] = Some(at as u32);
    }

    /// The op index `label` is bound to, if it is bound yet (a backward target).
    pub(crate) fn bound(&self, label: u32) -> Option<u32> {
        self.labels[label as usize]
    }

    /// The frame `depth` levels out (0 is the innermost).
    pub(crate) fn frame(&self, depth: u32) -> Frame {
        self.frames[self.frames.len() - 1 - depth as usize]
    }

    /// Rewrites every target from a label to the op index it is bound to.
    fn resolve(&self, ops: &mut [Op]) {
        for op in ops {
            op.for_each_target_mut(|t| {
                t.0 = self.labels[t.0 as usize].expect("validated code binds every label");
            });
        }
    }
}

/// An IR's code generator. The driver calls these for reachable code only, in operator
/// order; the operand stack an emitter tracks is its own business, but its height must
/// follow Wasm's (the driver records it as frame bases).
pub(crate) trait Emitter {
    /// Starts a function with `num_locals` locals (parameters included) and
    /// `num_results` results.
    fn begin(&mut self, num_locals: u32, num_results: u32);
    /// Operand-stack height, in values.
    fn height(&self) -> u32;
    /// Binds `label` to the next op. Control may arrive there from elsewhere, so an
    /// emitter forgets what it knew about the preceding ops (fusion candidates, `sp`).
    fn bind(&mut self, cx: &mut Control, label: u32);
    /// Before `block` or `loop` opens: the code inside starts from one layout.
    fn enter_block(&mut self) {}
    /// `if`: pops the condition and branches to `else_label` when it is zero.
    fn if_(&mut self, cx: &mut Control, else_label: u32);
    /// The reachable end of `frame`'s body or then-arm: its results are on top and flow to
    /// its end (after which the driver emits the jump or binds the end label).
    fn leave_arm(&mut self, _frame: &Frame) {}
    /// An unconditional jump to `label`.
    fn jump(&mut self, label: u32);
    /// `br depth`.
    fn br(&mut self, cx: &mut Control, depth: u32);
    /// `br_if depth`.
    fn br_if(&mut self, cx: &mut Control, depth: u32);
    /// `br_table`: the targets' depths, the default last.
    fn br_table(&mut self, cx: &mut Control, depths: &[u32]);
    /// `return` (also the end of the function body).
    fn return_(&mut self);
    /// At a merge point: the stack is `base` values, then `n` values in canonical places.
    fn reset_stack(&mut self, base: u32, n: u32);
    /// Any operator but control flow.
    fn operator(&mut self, m: &ModuleIr, op: Operator<'_>) -> Result<()>;
    /// The ops emitted (targets still labels) and the highest operand-stack height. The
    /// emitter's own buffer is handed out, not copied; [`Emitter::recycle_ops`] gives it
    /// back so the next function reuses its allocation.
    fn take_ops(&mut self) -> (Vec<Op>, u32);
    /// Takes back a buffer from [`Emitter::take_ops`]; its ops are dropped.
    fn recycle_ops(&mut self, ops: Vec<Op>);
    /// Rewrites after labels are resolved (targets are op indexes).
    fn after_resolve(&mut self, _ops: &mut Vec<Op>) {}
    /// Whether calls must zero every local: the stack IR's operand stack starts at the
    /// end of the zeroed locals, which the register IR's ops never assume.
    const ZERO_ALL_LOCALS: bool = false;
}

/// Validates and translates function bodies with an emitter; reused across functions.
#[derive(Default)]
pub(crate) struct Driver {
    cx: Control,
    reachable: bool,
    /// A `br_table`'s depths, kept to reuse its allocation.
    depths: Vec<u32>,
    /// The locals written before they are read, so that calls need not zero them.
    writes: DefiniteWrites,
}

impl Driver {
    /// Validates `body` (a function of type `ty`) with `fv` and emits it with `emitter`.
    /// Without a validator the body must have been validated before (`lazy-translation`).
    pub(crate) fn translate<E: Emitter>(
        &mut self,
        m: &ModuleIr,
        ty: u32,
        mut fv: Option<&mut FuncValidator<ValidatorResources>>,
        body: &FunctionBody<'_>,
        emitter: &mut E,
    ) -> Result<FuncBody> {
        let sig = &m.types[ty as usize];
        let num_params = sig.params.len() as u32;
        let num_results = sig.results.len() as u32;
        let mut num_locals = num_params;
        let mut locals = body.get_locals_reader()?;
        for _ in 0..locals.get_count() {
            let offset = locals.original_position();
            let (count, t) = locals.read()?;
            if let Some(fv) = fv.as_deref_mut() {
                fv.define_locals(offset, count, t)?;
            }
            num_locals = num_locals.saturating_add(count);
        }
        self.cx.frames.clear();
        self.cx.labels.clear();
        self.reachable = true;
        self.writes.begin(num_params);
        emitter.begin(num_locals, num_results);
        let label = self.cx.new_label();
        self.cx.frames.push(Frame {
            kind: FrameKind::Func,
            base: 0,
            params: 0,
            results: num_results,
            label,
            else_label: None,
            dead: false,
        });
        // The reader calls one visitor method per operator with its immediates: no
        // `Operator` value is built, moved through `Result`s and matched again by the
        // validator (wasmi drives wasmparser the same way). The frame stack the reader
        // checks `else` and trailing bytes against is the driver's own.
        let mut reader = body.get_binary_reader_for_operators()?;
        let mut visitor = Visitor {
            driver: self,
            m,
            emitter,
            fv,
            offset: 0,
        };
        while !reader.eof() {
            visitor.offset = reader.original_position();
            reader.visit_operator(&mut visitor)?.map_err(|e| *e)?;
        }
        reader.finish_expression(&visitor)?;
        let (mut ops, max_stack) = emitter.take_ops();
        self.cx.resolve(&mut ops);
        emitter.after_resolve(&mut ops);
        Ok(FuncBody {
            ty,
            num_params,
            num_locals,
            zero_end: if E::ZERO_ALL_LOCALS {
                num_locals
            } else {
                self.writes.zero_end()
            },
            max_stack,
            num_results,
            ops,
        })
    }

    fn block_arity(m: &ModuleIr, bt: BlockType) -> (u32, u32) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(i) => {
                let t = &m.types[i as usize];
                (t.params.len() as u32, t.results.len() as u32)
            }
        }
    }

    fn open(&mut self, kind: FrameKind, (params, results): (u32, u32), label: u32, height: u32) {
        self.writes
            .open(kind == FrameKind::Loop, kind == FrameKind::If);
        let dead = !self.reachable;
        self.cx.frames.push(Frame {
            kind,
            base: if dead { 0 } else { height - params },
            params,
            results,
            label,
            else_label: None,
            dead,
        });
    }

    /// Inlined into each visitor method, where `op` is one known variant: the match
    /// folds away, leaving that operator's arm.
    #[inline(always)]
    fn operator<E: Emitter>(&mut self, m: &ModuleIr, op: Operator<'_>, e: &mut E) -> Result<()> {
        if !self.reachable {
            // Only the block structure matters: frames opened here are dead. They keep
            // their kind, which the reader checks `else` against.
            match op {
                Operator::Block { blockty } => {
                    let arity = Self::block_arity(m, blockty);
                    self.open(FrameKind::Block, arity, u32::MAX, 0);
                }
                Operator::Loop { blockty } => {
                    let arity = Self::block_arity(m, blockty);
                    self.open(FrameKind::Loop, arity, u32::MAX, 0);
                }
                Operator::If { blockty } => {
                    let arity = Self::block_arity(m, blockty);
                    self.open(FrameKind::If, arity, u32::MAX, 0);
                }
                Operator::Else => self.else_(e),
                Operator::End => self.end(e),
                _ => {}
            }
            return Ok(());
        }
        match op {
            Operator::Block { blockty } => {
                let arity = Self::block_arity(m, blockty);
                e.enter_block();
                let label = self.cx.new_label();
                self.open(FrameKind::Block, arity, label, e.height());
            }
            Operator::Loop { blockty } => {
                let arity = Self::block_arity(m, blockty);
                e.enter_block();
                let label = self.cx.new_label();
                e.bind(&mut self.cx, label);
                self.open(FrameKind::Loop, arity, label, e.height());
            }
            Operator::If { blockty } => {
                let arity = Self::block_arity(m, blockty);
                let label = self.cx.new_label();
                let else_label = self.cx.new_label();
                e.if_(&mut self.cx, else_label);
                self.open(FrameKind::If, arity, label, e.height());
                self.cx.frames.last_mut().unwrap().else_label = Some(else_label);
            }
            Operator::Else => self.else_(e),
            Operator::End => self.end(e),
            Operator::Br { relative_depth } => {
                self.writes.branch(relative_depth);
                e.br(&mut self.cx, relative_depth);
                self.reachable = false;
            }
            Operator::BrIf { relative_depth } => {
                self.writes.branch(relative_depth);
                e.br_if(&mut self.cx, relative_depth)
            }
            Operator::BrTable { targets } => {
                let mut depths = core::mem::take(&mut self.depths);
                depths.clear();
                for depth in targets.targets() {
                    depths.push(depth?);
                }
                depths.push(targets.default());
                for &d in &depths {
                    self.writes.branch(d);
                }
                e.br_table(&mut self.cx, &depths);
                self.depths = depths;
                self.reachable = false;
            }
            Operator::Return => {
                e.return_();
                self.reachable = false;
            }
            op @ (Operator::Unreachable
            | Operator::ReturnCall { .. }
            | Operator::ReturnCallIndirect { .. }) => {
                e.operator(m, op)?;
                self.reachable = false;
            }
            Operator::LocalGet { local_index } => {
                self.writes.read(local_index);
                e.operator(m, op)?
            }
            Operator::LocalSet { local_index } | Operator::LocalTee { local_index } => {
                self.writes.write(local_index);
                e.operator(m, op)?
            }
            op => e.operator(m, op)?,
        }
        Ok(())
    }

    fn else_<E: Emitter>(&mut self, e: &mut E) {
        self.writes.else_();
        let frame = *self.cx.frames.last().unwrap();
        if frame.dead {
            self.cx.frames.last_mut().unwrap().kind = FrameKind::Else;
            return;
        }
        if self.reachable {
            e.leave_arm(&frame);
            e.jump(frame.label);
        }
        e.bind(
            &mut self.cx,
            frame.else_label.expect("validated: else follows if"),
        );
        let top = self.cx.frames.last_mut().unwrap();
        top.kind = FrameKind::Else;
        top.else_label = None;
        e.reset_stack(frame.base, frame.params);
        self.reachable = true;
    }

    fn end<E: Emitter>(&mut self, e: &mut E) {
        self.writes.end();
        let frame = self.cx.frames.pop().unwrap();
        if frame.dead {
            return;
        }
        if self.reachable {
            e.leave_arm(&frame);
        }
        if let Some(else_label) = frame.else_label {
            e.bind(&mut self.cx, else_label);
        }
        if frame.kind != FrameKind::Loop {
            e.bind(&mut self.cx, frame.label);
        }
        e.reset_stack(frame.base, frame.results);
        self.reachable = true;
        if frame.kind == FrameKind::Func {
            e.return_();
        }
    }
}

/// What the reader calls for each operator: validates it (if there is a validator) and
/// hands it to the driver.
struct Visitor<'s, 'm, 'v, E> {
    driver: &'s mut Driver,
    m: &'m ModuleIr,
    emitter: &'s mut E,
    fv: Option<&'v mut FuncValidator<ValidatorResources>>,
    /// The operator's offset in the module, for the validator's errors.
    offset: u64,
}

impl<E> FrameStack for Visitor<'_, '_, '_, E> {
    /// The innermost open frame as the reader knows frames; the function body is a block.
    fn current_frame(&self) -> Option<wasmparser::FrameKind> {
        self.driver.cx.frames.last().map(|f| match f.kind {
            FrameKind::Func | FrameKind::Block => wasmparser::FrameKind::Block,
            FrameKind::Loop => wasmparser::FrameKind::Loop,
            FrameKind::If => wasmparser::FrameKind::If,
            FrameKind::Else => wasmparser::FrameKind::Else,
        })
    }
}

/// What a visitor method returns. The error is boxed so that the result fits in two
/// registers even wrapped in the reader's own `Result`: every operator returns one, and
/// an unboxed `TranslateError` made each a copy through memory.
type VisitResult = core::result::Result<(), Box<TranslateError>>;

/// One visitor method per operator (SIMD has its own trait, not implemented: the reader
/// rejects SIMD opcodes, as the validator would, SIMD not being enabled).
macro_rules! define_visit {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        $(
            fn $visit(&mut self $($(, $arg: $argty)*)?) -> VisitResult {
                if let Some(fv) = self.fv.as_deref_mut() {
                    fv.visitor(self.offset)
                        .$visit($($($arg.clone()),*)?)
                        .map_err(|e| Box::new(e.into()))?;
                }
                self.driver
                    .operator(self.m, Operator::$op $({ $($arg),* })?, self.emitter)
                    .map_err(Box::new)
            }
        )*
    };
}

#[allow(clippy::clone_on_copy)] // `clone` in the macro: only `BrTable` is not `Copy`.
impl<'a, E: Emitter> VisitOperator<'a> for Visitor<'_, '_, '_, E> {
    type Output = VisitResult;

    wasmparser::for_each_visit_operator!(define_visit);
}
