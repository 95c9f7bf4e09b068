//! Encoding IR into an executor's code format, and reading it back.
//!
//! Code is a byte stream: each op is an *op slot* (an opcode or a handler address,
//! depending on the executor) followed by its operands. An [`Encoding`] fixes the slot
//! and operand widths; everything else (op sizes, label resolution, operand readers) is
//! generated from the op table, so every executor shares one encoder.

use crate::cell::Cell;
use std::sync::OnceLock;
use weft_ir::{BrTable, FuncBody, LazyBodies, ModuleIr, Op, Target};

macro_rules! define_opcodes {
    ($( $(#[$attr:meta])* $Name:ident $name:ident { $( $field:ident : $fty:ty ),* } )*) => {
        /// The dense number of each op, in op-table order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u16)]
        #[allow(missing_docs)]
        pub enum OpCode {
            $( $Name, )*
        }

        impl OpCode {
            /// Number of ops.
            pub const COUNT: usize = [$( OpCode::$Name, )*].len();

            /// The opcode of an IR op.
            pub fn of(op: &Op) -> OpCode {
                match op {
                    $( Op::$Name { .. } => OpCode::$Name, )*
                }
            }
        }

        /// Bytes `op` occupies in encoding `E`.
        fn op_size<E: Encoding>(op: &Op) -> usize {
            (E::OP_SLOT + match op {
                $( #[allow(unused_variables)] Op::$Name { $( $field ),* } => 0 $( + Operand::size::<E>($field) )*, )*
            })
            .next_multiple_of(E::OP_ALIGN)
        }

        /// Appends `op`, whose own position is `at`, resolving targets through `pos`.
        fn write_op<E: Encoding>(out: &mut CodeWriter, op: &Op, at: usize, pos: &[usize]) {
            let start = out.len();
            E::write_slot(out, OpCode::of(op));
            match op {
                $( #[allow(unused_variables)] Op::$Name { $( $field ),* } => { $( $field.write::<E>(out, at, pos); )* } )*
            }
            let written = out.len() - start;
            let padded = written.next_multiple_of(E::OP_ALIGN);
            if padded > written {
                out.put(&[], padded - written);
            }
        }
    };
}

weft_ir::for_each_op_flat!(define_opcodes);

/// A code format: how wide the op slot and the operands are.
pub trait Encoding {
    /// Bytes of the op slot at the start of every op.
    const OP_SLOT: usize;
    /// Bytes a 32-bit operand occupies (4, or 8 to keep words aligned).
    const U32_SLOT: usize;
    /// Every op's size is rounded up to a multiple of this, so that each op slot of a
    /// format with 4-byte operands but 8-byte slots (threaded: handler addresses) stays
    /// aligned; the padding is zeros, skipped when `ip` moves past the op.
    const OP_ALIGN: usize = 1;
    /// Whether calls and returns leave their slow part (the complete call sequence, a
    /// multi-value return, an instance switch) to the executor, by returning
    /// [`Stop::Slow`](crate::exec::Stop::Slow), rather than running it in the op.
    ///
    /// Out of line suits executors whose handlers are separate functions (threaded,
    /// trampoline, become): a handler that may call anything saves callee-saved registers
    /// on every execution, and leaving by a tail call saves none. The loop-switch is one
    /// function that saves its registers once on entry, and runs them in line: fewer
    /// instructions on loops there (fac_iter -1.4% at register+acc+fuse, -3.1% at the
    /// stack IR; CoreMark -0.08% / -2.7%). The budget's refill on a backward branch leaves
    /// by `Stop::Slow` on every executor: refilling in line made the loop-switch slower
    /// (papers/notes-speed.md, section 4.1).
    const SLOW_OUT_OF_LINE: bool = true;
    /// Appends the op slot for `code` (a placeholder, for formats that patch slots).
    fn write_slot(out: &mut CodeWriter, code: OpCode);
    /// Fills the op slot at `slot` of the final, `Cell`-aligned code buffer, for formats
    /// whose slots hold handler addresses. Writing a typed pointer (rather than its bytes)
    /// keeps its provenance, which Miri checks when the handler is called.
    ///
    /// # Safety
    /// `slot` must point at an op slot of a code buffer being built for this encoding.
    unsafe fn patch_slot(_slot: *mut u8, _code: OpCode) {}
    /// Fills the op slot at `slot`, of an op `first` followed in the code by an op
    /// `second`, with a handler that runs both (a concatenated pair: `second` runs in line
    /// when `first` falls through, without a dispatch), if this format has one for the
    /// pair; returns whether it did. `second` keeps its own slot and handler, for branches
    /// to it and for when `first` branches.
    ///
    /// # Safety
    /// As [`Encoding::patch_slot`]; `second` must be the op that follows in the same body,
    /// and both must be the ops encoded there (a chained pair's handler relies on their
    /// operands).
    unsafe fn patch_pair(_slot: *mut u8, _first: &Op, _second: &Op) -> bool {
        false
    }
}

/// An operand type of the op table: how it is sized, written and read back.
pub trait Operand {
    /// What a handler receives.
    type Decoded;
    /// Bytes it occupies in encoding `E`.
    fn size<E: Encoding>(&self) -> usize;
    /// Appends it; `at` is the op's own position, `pos` every op's position by index.
    fn write<E: Encoding>(&self, out: &mut CodeWriter, at: usize, pos: &[usize]);
    /// Reads it at `*p`, advancing `*p`; `op` is the start of the op.
    ///
    /// # Safety
    /// `*p` must point at this operand inside code written by [`Operand::write`] with `E`.
    unsafe fn read<E: Encoding>(p: &mut *const u8, op: *const u8) -> Self::Decoded;
}

/// Where an encoder writes a body: the spare capacity of the code buffer, filled front to
/// back, so each op lands in its final place with no copy afterwards.
///
/// Invariant: every byte the writer has advanced over (`len`) is initialised (padding is
/// written as zeros), and `len <= room`; each write checks the room first, so an operand
/// whose written size disagreed with its `size` would panic at load instead of writing
/// past the reservation. [`BodyEncoder::push`] relies on this to count a body's bytes as
/// initialised once the writer has advanced by exactly the body's size.
pub struct CodeWriter {
    /// Start of the body's bytes: `room` writable bytes.
    ptr: *mut u8,
    room: usize,
    len: usize,
}

impl CodeWriter {
    /// Bytes written so far.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is written yet.
    #[inline(always)]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends one 8-byte word, little-endian: one unaligned store. Nearly every byte of
    /// the word formats is written through here.
    #[inline(always)]
    pub fn put_word(&mut self, v: u64) {
        assert!(self.room - self.len >= 8, "op wrote more than its size");
        // SAFETY: `len + 8 <= room` (checked above) and the writer's `room` bytes from
        // `ptr` are writable (`BodyEncoder::push`).
        unsafe {
            self.ptr
                .add(self.len)
                .cast::<[u8; 8]>()
                .write_unaligned(v.to_le_bytes())
        };
        self.len += 8;
    }

    /// Appends `bytes` in a slot of `slot >= bytes.len()` bytes, zero-padded.
    #[inline(always)]
    pub fn put(&mut self, bytes: &[u8], slot: usize) {
        assert!(
            bytes.len() <= slot && self.room - self.len >= slot,
            "op wrote more than its size"
        );
        // SAFETY: `len + slot <= room` (checked above), within the writable bytes; `bytes`
        // is another buffer.
        unsafe {
            let at = self.ptr.add(self.len);
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), at, bytes.len());
            core::ptr::write_bytes(at.add(bytes.len()), 0, slot - bytes.len());
        }
        self.len += slot;
    }

    /// Appends `v` little-endian in a `slot` of 4 or 8 bytes (zero-extended): one store
    /// in the word formats, where every operand goes here.
    #[inline(always)]
    fn put_u32(&mut self, v: u32, slot: usize) {
        if slot == 8 {
            self.put_word(u64::from(v));
        } else {
            self.put(&v.to_le_bytes(), slot)
        }
    }
}

/// Reads a little-endian u32 at `*p` and advances by `slot`.
///
/// # Safety
/// `*p` must point at `slot >= 4` readable bytes.
#[inline(always)]
unsafe fn take_u32(p: &mut *const u8, slot: usize) -> u32 {
    // SAFETY: guaranteed readable by the caller; unaligned read.
    let v = u32::from_le_bytes(unsafe { p.cast::<[u8; 4]>().read_unaligned() });
    // SAFETY: stays within (or one past) the same code buffer.
    *p = unsafe { p.add(slot) };
    v
}

impl Operand for u32 {
    type Decoded = u32;
    fn size<E: Encoding>(&self) -> usize {
        E::U32_SLOT
    }
    #[inline(always)]
    fn write<E: Encoding>(&self, out: &mut CodeWriter, _: usize, _: &[usize]) {
        out.put_u32(*self, E::U32_SLOT)
    }
    #[inline(always)]
    unsafe fn read<E: Encoding>(p: &mut *const u8, _: *const u8) -> u32 {
        // SAFETY: forwarded from the caller.
        unsafe { take_u32(p, E::U32_SLOT) }
    }
}

impl Operand for i32 {
    type Decoded = i32;
    fn size<E: Encoding>(&self) -> usize {
        E::U32_SLOT
    }
    #[inline(always)]
    fn write<E: Encoding>(&self, out: &mut CodeWriter, at: usize, pos: &[usize]) {
        (*self as u32).write::<E>(out, at, pos)
    }
    #[inline(always)]
    unsafe fn read<E: Encoding>(p: &mut *const u8, _: *const u8) -> i32 {
        // SAFETY: forwarded from the caller.
        unsafe { take_u32(p, E::U32_SLOT) as i32 }
    }
}

impl Operand for u64 {
    type Decoded = u64;
    fn size<E: Encoding>(&self) -> usize {
        8
    }
    #[inline(always)]
    fn write<E: Encoding>(&self, out: &mut CodeWriter, _: usize, _: &[usize]) {
        out.put_word(*self)
    }
    #[inline(always)]
    unsafe fn read<E: Encoding>(p: &mut *const u8, _: *const u8) -> u64 {
        // SAFETY: the caller guarantees 8 readable bytes; unaligned read.
        let v = u64::from_le_bytes(unsafe { p.cast::<[u8; 8]>().read_unaligned() });
        // SAFETY: stays within the same code buffer.
        *p = unsafe { p.add(8) };
        v
    }
}

impl Operand for i64 {
    type Decoded = i64;
    fn size<E: Encoding>(&self) -> usize {
        8
    }
    #[inline(always)]
    fn write<E: Encoding>(&self, out: &mut CodeWriter, at: usize, pos: &[usize]) {
        (*self as u64).write::<E>(out, at, pos)
    }
    #[inline(always)]
    unsafe fn read<E: Encoding>(p: &mut *const u8, op: *const u8) -> i64 {
        // SAFETY: forwarded from the caller.
        unsafe { <u64 as Operand>::read::<E>(p, op) as i64 }
    }
}

/// A branch destination in code: where the next op to run starts.
pub type Ip = *const u8;

impl Operand for Target {
    type Decoded = Ip;
    fn size<E: Encoding>(&self) -> usize {
        E::U32_SLOT
    }
    #[inline(always)]
    fn write<E: Encoding>(&self, out: &mut CodeWriter, at: usize, pos: &[usize]) {
        let rel = pos[self.0 as usize] as i64 - at as i64;
        (rel as i32).write::<E>(out, at, pos)
    }
    #[inline(always)]
    unsafe fn read<E: Encoding>(p: &mut *const u8, op: *const u8) -> Ip {
        // SAFETY: forwarded from the caller.
        let rel = unsafe { take_u32(p, E::U32_SLOT) as i32 };
        // SAFETY: the encoder wrote the offset of an op of the same function.
        unsafe { op.offset(rel as isize) }
    }
}

/// A `br_table` as the handler sees it: entry count and where the entries start.
#[derive(Clone, Copy)]
pub struct BrTableRef {
    /// Number of entries, the default (last) included.
    pub len: u32,
    /// First entry.
    pub entries: *const u8,
    /// Start of the `br_table` op, which entry targets are relative to.
    pub op: *const u8,
}

impl BrTableRef {
    /// Bytes of one entry in encoding `E`: target, drop, keep, and padding to
    /// `Encoding::OP_ALIGN`, so that the entries add a multiple of it to the op's size
    /// whatever their number. The register IR's `br_table_s` (op slot, index, count:
    /// 16 bytes in threaded code) then needs no rounding at run time to step past the op;
    /// the stack IR's `br_table` (no index) rounds.
    pub const fn entry_size<E: Encoding>() -> usize {
        (3 * E::U32_SLOT).next_multiple_of(E::OP_ALIGN)
    }

    /// Entry `i` (clamped to the default) as (target, drop, keep).
    ///
    /// # Safety
    /// `self` must come from [`Operand::read`] on valid code of encoding `E`.
    #[inline(always)]
    pub unsafe fn entry<E: Encoding>(&self, i: u32) -> (Ip, u32, u32) {
        let i = i.min(self.len - 1) as usize;
        // SAFETY: `i < len` entries follow `entries` in the code buffer.
        let mut p = unsafe { self.entries.add(i * Self::entry_size::<E>()) };
        // SAFETY: each entry holds three operands written by `write`.
        unsafe {
            let t = <Target as Operand>::read::<E>(&mut p, self.op);
            let d = take_u32(&mut p, E::U32_SLOT);
            let k = take_u32(&mut p, E::U32_SLOT);
            (t, d, k)
        }
    }
}

impl Operand for BrTable {
    type Decoded = BrTableRef;
    fn size<E: Encoding>(&self) -> usize {
        E::U32_SLOT + self.len() * BrTableRef::entry_size::<E>()
    }
    fn write<E: Encoding>(&self, out: &mut CodeWriter, at: usize, pos: &[usize]) {
        (self.len() as u32).write::<E>(out, at, pos);
        let pad = BrTableRef::entry_size::<E>() - 3 * E::U32_SLOT;
        for e in self.iter() {
            e.target.write::<E>(out, at, pos);
            e.drop.write::<E>(out, at, pos);
            e.keep.write::<E>(out, at, pos);
            if pad > 0 {
                out.put(&[], pad);
            }
        }
    }
    #[inline(always)]
    unsafe fn read<E: Encoding>(p: &mut *const u8, op: *const u8) -> BrTableRef {
        // SAFETY: forwarded from the caller.
        let len = unsafe { take_u32(p, E::U32_SLOT) };
        let entries = *p;
        // SAFETY: the entries follow; skipping them lands on the next op.
        *p = unsafe { p.add(len as usize * BrTableRef::entry_size::<E>()) };
        BrTableRef { len, entries, op }
    }
}

/// Layout facts about one compiled function.
#[derive(Debug, Clone, Copy)]
pub struct CompiledFunc {
    /// Offset of its first op in [`CompiledModule::code`].
    pub offset: usize,
    /// Parameter count.
    pub num_params: u32,
    /// Locals including parameters.
    pub num_locals: u32,
    /// A call zeroes locals `num_params..zero_end` (`weft_ir::FuncBody::zero_end`).
    pub zero_end: u32,
    /// Cells the frame needs at most.
    pub frame_size: u32,
    /// Result count.
    pub num_results: u32,
}

/// A module's IR plus its functions encoded for one executor.
#[derive(Debug)]
pub struct CompiledModule {
    /// The translated module (types, segments, exports, and the bodies: with their ops
    /// when built by [`CompiledModule::new`]; without, keeping their layout, when
    /// streamed by [`CompiledModule::translate`]; placeholders in the lazy modes).
    pub ir: ModuleIr,
    /// All function bodies back to back (eager mode). `Cell`-aligned storage, so
    /// word-sized slots are aligned when the format wants them to be.
    code: Box<[Cell]>,
    /// Per defined function, where it is in `code` (eager mode; empty when lazy).
    funcs: Vec<CompiledFunc>,
    /// The lazy compilation modes: bodies translated and encoded on first call.
    lazy: Option<LazyCode>,
    /// Eager modules encoded while translating ([`CompiledModule::translate`]) keep no
    /// ops in `ir`: these translate a body again when it is asked for (inspection).
    retranslate: Option<LazyBodies>,
    /// The executor the code is encoded for.
    pub kind: crate::exec::ExecutorKind,
}

/// The code of a lazily compiled module: one slot per defined function, filled once (by
/// whichever thread calls the function first) and never written again.
#[derive(Debug)]
struct LazyCode {
    bodies: LazyBodies,
    /// Per defined function: its code once translated, or why it could not be (an invalid
    /// body, in `lazy` mode).
    slots: Box<[OnceLock<Result<LazyFunc, String>>]>,
    /// Encodes one body in the module's executor's format.
    encode: fn(&FuncBody) -> EncodedBodies,
}

/// One lazily compiled function's code.
#[derive(Debug)]
struct LazyFunc {
    code: Box<[Cell]>,
    layout: CompiledFunc,
}

/// Why a function of a lazily compiled module could not be compiled when called: in
/// `lazy` mode, its body is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LazyCompileError(pub String);

impl core::fmt::Display for LazyCompileError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LazyCompileError {}

impl CompiledModule {
    /// Encodes every function of `ir` with encoding `E`.
    pub fn new<E: Encoding>(ir: ModuleIr, kind: crate::exec::ExecutorKind) -> Self {
        let (code, funcs) = encode_bodies::<E>(&ir.bodies);
        CompiledModule {
            ir,
            code,
            funcs,
            lazy: None,
            retranslate: None,
            kind,
        }
    }

    /// Validates and translates `wasm` eagerly, encoding each function body with `E` as
    /// soon as it is translated (while its ops are still in the cache), so that the IR of
    /// the whole module is never held at once. The module keeps the bodies' layout but no
    /// ops; [`CompiledModule::body_ir`] translates a body again for inspection.
    pub fn translate<E: Encoding>(
        wasm: &[u8],
        options: weft_ir::IrOptions,
        kind: crate::exec::ExecutorKind,
    ) -> Result<Self, weft_ir::TranslateError> {
        // IR code is about 5 bytes per byte of Wasm (papers/dispatch.md, start-up), so
        // this reservation rarely has to grow; untouched capacity costs no memory.
        let mut encoder = BodyEncoder::with_capacity(wasm.len().saturating_mul(6));
        let (ir, bodies) =
            weft_ir::translate_streaming(wasm, options, &mut |body| encoder.push::<E>(body))?;
        let (code, funcs) = encoder.finish();
        Ok(CompiledModule {
            ir,
            code,
            funcs,
            lazy: None,
            retranslate: Some(bodies),
            kind,
        })
    }

    /// A module whose functions are translated and encoded with `E` when first called.
    pub fn new_lazy<E: Encoding>(
        ir: ModuleIr,
        bodies: LazyBodies,
        kind: crate::exec::ExecutorKind,
    ) -> Self {
        let slots = (0..bodies.len()).map(|_| OnceLock::new()).collect();
        CompiledModule {
            ir,
            code: Box::new([]),
            funcs: Vec::new(),
            retranslate: None,
            lazy: Some(LazyCode {
                bodies,
                slots,
                encode: |body| encode_bodies::<E>(core::slice::from_ref(body)),
            }),
            kind,
        }
    }

    /// Layout and first op of defined function `index`, or `None` if it is not compiled
    /// yet (lazy modes; see [`CompiledModule::compile`]).
    #[inline]
    pub fn func(&self, index: u32) -> Option<(CompiledFunc, Ip)> {
        let (code, layout) = match &self.lazy {
            None => (&self.code, self.funcs[index as usize]),
            Some(lazy) => match lazy.slots[index as usize].get() {
                Some(Ok(f)) => (&f.code, f.layout),
                _ => return None,
            },
        };
        // SAFETY: `offset` is within the code buffer (every body has at least a return).
        let entry = unsafe { code.as_ptr().cast::<u8>().add(layout.offset) };
        Some((layout, entry))
    }

    /// Translates and encodes defined function `index` unless that is done (only lazy
    /// modules have anything to do); the error if its body is invalid. Thread-safe: the
    /// first caller compiles, others wait for it and share the result.
    pub fn compile(&self, index: u32) -> Result<(), LazyCompileError> {
        let Some(lazy) = &self.lazy else {
            return Ok(());
        };
        let slot = lazy.slots[index as usize].get_or_init(|| {
            let body = lazy
                .bodies
                .translate(&self.ir, index)
                .map_err(|e| format!("function {}: {e}", self.ir.num_imported_funcs + index))?;
            let (code, mut layouts) = (lazy.encode)(&body);
            Ok(LazyFunc {
                code,
                layout: layouts.pop().expect("one body encoded"),
            })
        });
        slot.as_ref()
            .map(|_| ())
            .map_err(|e| LazyCompileError(e.clone()))
    }

    /// Defined function `index`'s IR: the module's, or (lazy modes, where the module keeps
    /// no IR) translated anew for the asking.
    pub fn body_ir(&self, index: u32) -> Result<std::borrow::Cow<'_, FuncBody>, LazyCompileError> {
        match self
            .lazy
            .as_ref()
            .map(|l| &l.bodies)
            .or(self.retranslate.as_ref())
        {
            None => Ok(std::borrow::Cow::Borrowed(&self.ir.bodies[index as usize])),
            Some(bodies) => bodies
                .translate(&self.ir, index)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| LazyCompileError(e.to_string())),
        }
    }

    /// Compiles every function not compiled yet; the first error.
    pub fn compile_all(&self) -> Result<(), LazyCompileError> {
        (0..self.ir.bodies.len() as u32).try_for_each(|i| self.compile(i))
    }

    /// Parameter count of defined function `index` (known before it is compiled).
    pub fn num_params(&self, index: u32) -> u32 {
        self.ir.bodies[index as usize].num_params
    }

    /// Size of the encoded code in bytes (in the lazy modes: of the functions compiled
    /// so far).
    pub fn code_bytes(&self) -> usize {
        match &self.lazy {
            None => self.funcs.last().map_or(0, |_| self.code.len() * 8),
            Some(lazy) => lazy
                .slots
                .iter()
                .filter_map(|s| s.get()?.as_ref().ok())
                .map(|f| f.code.len() * 8)
                .sum(),
        }
    }
}

/// Bodies encoded back to back: the code, and each body's layout in it.
type EncodedBodies = (Box<[Cell]>, Vec<CompiledFunc>);

/// Encodes `bodies` back to back with encoding `E`.
pub(crate) fn encode_bodies<E: Encoding>(bodies: &[FuncBody]) -> EncodedBodies {
    let mut encoder = BodyEncoder::with_capacity(0);
    for body in bodies {
        encoder.push::<E>(body);
    }
    encoder.finish()
}

/// Encodes bodies one at a time, back to back, into one growing code buffer.
///
/// Each body is written straight into its place at the end of the code (a
/// [`CodeWriter`] over the buffer's spare capacity), then its op slots are patched there:
/// no staging buffer and no copy, and the per-body buffers (positions, slots) never grow
/// with the module.
struct BodyEncoder {
    /// The code so far: `len` bytes, the last cell zero-padded.
    code: Vec<Cell>,
    len: usize,
    funcs: Vec<CompiledFunc>,
    /// The body being encoded: each op's position (then its end), and where each op slot is.
    pos: Vec<usize>,
    slots: Vec<(usize, OpCode)>,
}

impl BodyEncoder {
    /// An encoder whose code buffer has room for `bytes` bytes before it grows.
    fn with_capacity(bytes: usize) -> Self {
        BodyEncoder {
            code: Vec::with_capacity(bytes.div_ceil(8)),
            len: 0,
            funcs: Vec::new(),
            pos: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// Appends `body` encoded with `E`, resolving its branch targets to byte offsets.
    fn push<E: Encoding>(&mut self, body: &FuncBody) {
        self.pos.clear();
        let mut size = 0;
        for op in &body.ops {
            self.pos.push(size);
            size += op_size::<E>(op);
        }
        self.pos.push(size);
        self.slots.clear();
        let start = self.len;
        let end = start + size;
        let (old_cells, cells) = (self.code.len(), end.div_ceil(8));
        self.code.reserve(cells - old_cells);
        // SAFETY: `reserve` made room for `cells` cells, so bytes `start..end` are
        // allocated (`end <= cells * 8`); the zeroed last cell is within them.
        let base = unsafe {
            let cells_ptr = self.code.as_mut_ptr();
            if cells > old_cells {
                cells_ptr.add(cells - 1).write(0 as Cell);
            }
            cells_ptr.cast::<u8>().add(start)
        };
        let mut out = CodeWriter {
            ptr: base,
            room: size,
            len: 0,
        };
        encode_body::<E>(body, &mut out, &mut self.slots, &self.pos);
        // With the writer's invariant, this makes every byte of `start..end` initialised.
        assert_eq!(out.len(), size, "ops wrote other than their sizes");
        for (i, &(at, op)) in self.slots.iter().enumerate() {
            let next = body.ops.get(i + 1);
            // SAFETY: `at` is the start of an op just written by `encode_body` for `E`, at
            // its place in the `Cell`-aligned code buffer (`encode_body` records one slot
            // per op, in order, so it is `body.ops[i]`'s), and `next` the op after it in
            // the same body.
            unsafe {
                if !next.is_some_and(|next| E::patch_pair(base.add(at), &body.ops[i], next)) {
                    E::patch_slot(base.add(at), op);
                }
            }
        }
        // SAFETY: the new cells `old_cells..cells` cover bytes `old_cells * 8..cells * 8`,
        // of which `start..end` were written (checked above; `start <= old_cells * 8`, as
        // the code so far fits its cells) and the rest is the zeroed last cell's padding.
        unsafe { self.code.set_len(cells) };
        self.len = end;
        self.funcs.push(CompiledFunc {
            offset: start,
            num_params: body.num_params,
            num_locals: body.num_locals,
            zero_end: body.zero_end,
            frame_size: body.frame_size(),
            num_results: body.num_results,
        });
    }

    /// The code (its spare capacity released) and each body's layout in it.
    fn finish(self) -> EncodedBodies {
        (self.code.into_boxed_slice(), self.funcs)
    }
}

/// Writes one body, resolving its branch targets to byte offsets; records where each op
/// slot is. `pos` is where each of its ops starts, then where it ends.
fn encode_body<E: Encoding>(
    body: &FuncBody,
    out: &mut CodeWriter,
    slots: &mut Vec<(usize, OpCode)>,
    pos: &[usize],
) {
    for (op, &p) in body.ops.iter().zip(pos) {
        debug_assert_eq!(out.len(), p);
        slots.push((p, OpCode::of(op)));
        write_op::<E>(out, op, p, pos);
    }
}
