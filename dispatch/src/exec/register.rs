//! Semantics of the register-IR ops: operands are frame slots and immediates instead of
//! the operand stack. Ops that the register IR does not specialise run as stack-IR ops
//! after `set_sp`; calls and returns reuse the stack-IR semantics the same way, by
//! pointing `sp` just past their operands.
//!
//! # Safety
//! As for [`semantics`](super::semantics): validated code, and slot indices below the
//! frame size that was checked when the frame was entered.

#![allow(clippy::missing_safety_doc)]
// Every op's semantics takes the encoding, used or not, so op functions call them alike.
#![allow(clippy::extra_unused_type_parameters)]

use super::semantics::{self as stack, check_access, effective};
use super::{Ctx, Regs, Step, Stop};
use crate::cell::{Cell, CellValue, MemValue};
use crate::code::{BrTableRef, Encoding, Ip};
use crate::trap::TrapCode;

#[inline(always)]
unsafe fn slot(r: &Regs, i: u32) -> *mut Cell {
    r.fp.add(i as usize)
}

/// The accumulator that holds values of a type: the integer one for i32 and i64, the f32
/// one for f32 bits, the f64 one for f64 bits. The float accumulators are float typed
/// (they live in float registers in the threaded executor); moving bits through them
/// keeps NaN payloads, as SSE and NEON moves do.
pub trait Acc: CellValue {
    /// Reads the accumulator as this type.
    fn get(r: &Regs) -> Self;
    /// Writes the accumulator.
    fn set(r: &mut Regs, v: Self);
}

impl Acc for i32 {
    #[inline(always)]
    fn get(r: &Regs) -> Self {
        r.x as u32 as i32
    }
    #[inline(always)]
    fn set(r: &mut Regs, v: Self) {
        r.x = u64::from(v as u32);
    }
}

impl Acc for i64 {
    #[inline(always)]
    fn get(r: &Regs) -> Self {
        r.x as i64
    }
    #[inline(always)]
    fn set(r: &mut Regs, v: Self) {
        r.x = v as u64;
    }
}

impl Acc for u32 {
    #[inline(always)]
    fn get(r: &Regs) -> Self {
        r.sx.to_bits()
    }
    #[inline(always)]
    fn set(r: &mut Regs, v: Self) {
        r.sx = f32::from_bits(v);
    }
}

impl Acc for u64 {
    #[inline(always)]
    fn get(r: &Regs) -> Self {
        r.dx.to_bits()
    }
    #[inline(always)]
    fn set(r: &mut Regs, v: Self) {
        r.dx = f64::from_bits(v);
    }
}

/// Where an accumulator-shape op reads an operand or writes its result.
#[derive(Clone, Copy)]
pub enum Place {
    /// The accumulator of the value's type.
    Acc,
    /// A frame slot.
    Slot(u32),
    /// An immediate (operands only).
    Imm(u64),
}

impl Place {
    #[inline(always)]
    unsafe fn read<T: Acc>(self, r: &Regs) -> T {
        match self {
            Place::Acc => T::get(r),
            Place::Slot(s) => T::from_cell(*slot(r, s)),
            Place::Imm(bits) => T::from_cell(bits),
        }
    }

    #[inline(always)]
    unsafe fn write<T: Acc>(self, r: &mut Regs, v: T) {
        match self {
            Place::Acc => T::set(r, v),
            Place::Slot(s) => *slot(r, s) = v.into_cell(),
            Place::Imm(_) => unreachable!("an immediate is never a destination"),
        }
    }
}

/// A unary op between places; the places are constants at each call site, so after
/// inlining only the chosen reads and writes remain.
#[inline(always)]
pub unsafe fn unary_p<A: Acc, R: Acc>(
    r: &mut Regs,
    dst: Place,
    a: Place,
    f: impl FnOnce(A) -> Result<R, TrapCode>,
) -> Step {
    let v = f(a.read(r)).map_err(Stop::Trap)?;
    dst.write(r, v);
    Ok(())
}

/// A binary op between places.
#[inline(always)]
pub unsafe fn binary_p<A: Acc, B: Acc, R: Acc>(
    r: &mut Regs,
    dst: Place,
    a: Place,
    b: Place,
    f: impl FnOnce(A, B) -> Result<R, TrapCode>,
) -> Step {
    let v = f(a.read(r), b.read(r)).map_err(Stop::Trap)?;
    dst.write(r, v);
    Ok(())
}

/// A load from the address in `addr` (+ `offset`), or from the constant address `ea`
/// when `addr` is `None`.
#[inline(always)]
pub unsafe fn load_p<M: MemValue, R: Acc>(
    r: &mut Regs,
    dst: Place,
    addr: Option<Place>,
    offset: u64,
    widen: impl FnOnce(M) -> R,
) -> Step {
    let p = match addr {
        Some(a) => effective(r, a.read::<i32>(r) as u32 as Cell, offset as u32, M::SIZE)?,
        None => constant_address(r, offset, M::SIZE)?,
    };
    dst.write(r, widen(M::read(p)));
    Ok(())
}

/// A store of `value` to the address in `addr` (+ `offset`), or to the constant address
/// `ea` when `addr` is `None`.
#[inline(always)]
pub unsafe fn store_p<V: Acc, M: MemValue>(
    r: &mut Regs,
    addr: Option<Place>,
    value: Place,
    offset: u64,
    narrow: impl FnOnce(V) -> M,
) -> Step {
    let p = match addr {
        Some(a) => effective(r, a.read::<i32>(r) as u32 as Cell, offset as u32, M::SIZE)?,
        None => constant_address(r, offset, M::SIZE)?,
    };
    narrow(value.read(r)).write(p);
    Ok(())
}

/// A compare-and-branch between places.
#[inline(always)]
pub unsafe fn br_cmp_p<T: Acc>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    a: Place,
    b: Place,
    f: impl FnOnce(T, T) -> i32,
) -> Step {
    if f(a.read(r), b.read(r)) != 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

#[inline(always)]
pub unsafe fn spill_x<E: Encoding>(r: &mut Regs, _: &mut Ctx, dst: u32) -> Step {
    *slot(r, dst) = r.x;
    Ok(())
}

#[inline(always)]
pub unsafe fn spill_sx<E: Encoding>(r: &mut Regs, _: &mut Ctx, dst: u32) -> Step {
    *slot(r, dst) = Cell::from(r.sx.to_bits());
    Ok(())
}

#[inline(always)]
pub unsafe fn spill_dx<E: Encoding>(r: &mut Regs, _: &mut Ctx, dst: u32) -> Step {
    *slot(r, dst) = r.dx.to_bits();
    Ok(())
}

// ---- generated numeric, load and store shapes ----------------------------------------

#[inline(always)]
pub unsafe fn unary_s<A: CellValue, R: CellValue>(
    r: &mut Regs,
    dst: u32,
    a: u32,
    f: impl FnOnce(A) -> Result<R, TrapCode>,
) -> Step {
    *slot(r, dst) = f(A::from_cell(*slot(r, a)))
        .map_err(Stop::Trap)?
        .into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn binary_ss<A: CellValue, B: CellValue, R: CellValue>(
    r: &mut Regs,
    dst: u32,
    a: u32,
    b: u32,
    f: impl FnOnce(A, B) -> Result<R, TrapCode>,
) -> Step {
    let v = f(A::from_cell(*slot(r, a)), B::from_cell(*slot(r, b))).map_err(Stop::Trap)?;
    *slot(r, dst) = v.into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn binary_si<A: CellValue, B: CellValue, R: CellValue>(
    r: &mut Regs,
    dst: u32,
    a: u32,
    imm: u64,
    f: impl FnOnce(A, B) -> Result<R, TrapCode>,
) -> Step {
    let v = f(A::from_cell(*slot(r, a)), B::from_cell(imm)).map_err(Stop::Trap)?;
    *slot(r, dst) = v.into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn binary_is<A: CellValue, B: CellValue, R: CellValue>(
    r: &mut Regs,
    dst: u32,
    imm: u64,
    b: u32,
    f: impl FnOnce(A, B) -> Result<R, TrapCode>,
) -> Step {
    let v = f(A::from_cell(imm), B::from_cell(*slot(r, b))).map_err(Stop::Trap)?;
    *slot(r, dst) = v.into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn load_s<M: MemValue, R: CellValue>(
    r: &mut Regs,
    dst: u32,
    addr: u32,
    offset: u32,
    widen: impl FnOnce(M) -> R,
) -> Step {
    let p = effective(r, *slot(r, addr), offset, M::SIZE)?;
    *slot(r, dst) = widen(M::read(p)).into_cell();
    Ok(())
}

/// Checks a constant effective address (up to 2^33) against the memory size.
#[inline(always)]
unsafe fn constant_address(r: &Regs, ea: u64, size: usize) -> Result<*mut u8, Stop> {
    check_access(r, ea, size)?;
    Ok(r.mem.add(ea as usize))
}

#[inline(always)]
pub unsafe fn load_i<M: MemValue, R: CellValue>(
    r: &mut Regs,
    dst: u32,
    ea: u64,
    widen: impl FnOnce(M) -> R,
) -> Step {
    let p = constant_address(r, ea, M::SIZE)?;
    *slot(r, dst) = widen(M::read(p)).into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn store_ss<V: CellValue, M: MemValue>(
    r: &mut Regs,
    addr: u32,
    value: u32,
    offset: u32,
    narrow: impl FnOnce(V) -> M,
) -> Step {
    let p = effective(r, *slot(r, addr), offset, M::SIZE)?;
    narrow(V::from_cell(*slot(r, value))).write(p);
    Ok(())
}

#[inline(always)]
pub unsafe fn store_si<V: CellValue, M: MemValue>(
    r: &mut Regs,
    addr: u32,
    imm: u64,
    offset: u32,
    narrow: impl FnOnce(V) -> M,
) -> Step {
    let p = effective(r, *slot(r, addr), offset, M::SIZE)?;
    narrow(V::from_cell(imm)).write(p);
    Ok(())
}

#[inline(always)]
pub unsafe fn store_is<V: CellValue, M: MemValue>(
    r: &mut Regs,
    ea: u64,
    value: u32,
    narrow: impl FnOnce(V) -> M,
) -> Step {
    let p = constant_address(r, ea, M::SIZE)?;
    narrow(V::from_cell(*slot(r, value))).write(p);
    Ok(())
}

#[inline(always)]
pub unsafe fn br_cmp_ss<T: CellValue>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    a: u32,
    b: u32,
    f: impl FnOnce(T, T) -> i32,
) -> Step {
    if f(T::from_cell(*slot(r, a)), T::from_cell(*slot(r, b))) != 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

#[inline(always)]
pub unsafe fn br_cmp_si<T: CellValue>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    a: u32,
    imm: u64,
    f: impl FnOnce(T, T) -> i32,
) -> Step {
    if f(T::from_cell(*slot(r, a)), T::from_cell(imm)) != 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

// ---- hand-written register ops ---------------------------------------------------------

#[inline(always)]
pub unsafe fn copy<E: Encoding>(r: &mut Regs, _: &mut Ctx, dst: u32, src: u32) -> Step {
    *slot(r, dst) = *slot(r, src);
    Ok(())
}

// ---- fused register ops (see `weft_ir::peephole`) ---------------------------------------
// Each runs its two parts in program order, so a fused op means exactly what the pair
// meant; a branch part charges fuel through `budget::jump` as the branch op would.

#[inline(always)]
pub unsafe fn copy2<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    dst: u32,
    src: u32,
    dst2: u32,
    src2: u32,
) -> Step {
    *slot(r, dst) = *slot(r, src);
    // Read after the first write: `src2` may be `dst`.
    *slot(r, dst2) = *slot(r, src2);
    Ok(())
}

#[inline(always)]
pub unsafe fn copy_br_if_nez_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    dst: u32,
    src: u32,
    target: Ip,
    cond: u32,
) -> Step {
    *slot(r, dst) = *slot(r, src);
    // Read after the copy: `cond` may be `dst`.
    if *slot(r, cond) as u32 != 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_add_si_br_nez<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    dst: u32,
    a: u32,
    imm: u64,
) -> Step {
    let v = i32::from_cell(*slot(r, a)).wrapping_add(i32::from_cell(imm));
    write_then_branch(r, c, target, dst, v, |_, v| v != 0)
}

/// The second half of the fused ops that compute an integer and branch on it: slot `dst`
/// = `v`, then a jump to `target` if `taken(regs, v)`, which reads any other operand
/// after the write (it may be `dst`).
#[inline(always)]
unsafe fn write_then_branch<T: CellValue>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    dst: u32,
    v: T,
    taken: impl FnOnce(&Regs, T) -> bool,
) -> Step {
    *slot(r, dst) = v.into_cell();
    if taken(r, v) {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

/// Where a loop counter's exit test finds its bound: a slot (the `_ss` forms) or an
/// immediate (the `_si` forms).
trait StepBound: Copy {
    /// The bound, read after the step's write (a slot bound may be the counter itself).
    unsafe fn get(self, r: &Regs) -> i32;
}

impl StepBound for u32 {
    #[inline(always)]
    unsafe fn get(self, r: &Regs) -> i32 {
        i32::from_cell(*slot(r, self))
    }
}

impl StepBound for u64 {
    #[inline(always)]
    unsafe fn get(self, _: &Regs) -> i32 {
        i32::from_cell(self)
    }
}

/// A loop counter's step and exit test: slot `d` += `imm`, then jump if `test(d, bound)`.
#[inline(always)]
unsafe fn step_br(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    (d, imm, bound): (u32, u64, impl StepBound),
    test: impl FnOnce(i32, i32) -> bool,
) -> Step {
    let v = i32::from_cell(*slot(r, d)).wrapping_add(i32::from_cell(imm));
    write_then_branch(r, c, target, d, v, |r, v| test(v, bound.get(r)))
}

/// The `i32_step_br_*` handlers, each [`step_br`] with its test and its bound's operand.
macro_rules! step_br_ops {
    ($( $name:ident($bound:ident: $bty:ty): |$x:ident, $y:ident| $test:expr; )*) => { $(
        #[inline(always)]
        pub unsafe fn $name<E: Encoding>(
            r: &mut Regs,
            c: &mut Ctx,
            target: Ip,
            d: u32,
            imm: u64,
            $bound: $bty,
        ) -> Step {
            step_br(r, c, target, (d, imm, $bound), |$x: i32, $y: i32| $test)
        }
    )* };
}

step_br_ops! {
    i32_step_br_ne_ss(b: u32): |x, y| x != y;
    i32_step_br_lt_u_ss(b: u32): |x, y| (x as u32) < (y as u32);
    i32_step_br_lt_s_ss(b: u32): |x, y| x < y;
    i32_step_br_ne_si(bound: u64): |x, y| x != y;
    i32_step_br_lt_u_si(bound: u64): |x, y| (x as u32) < (y as u32);
    i32_step_br_gt_u_si(bound: u64): |x, y| (x as u32) > (y as u32);
}

/// A count-down loop's step and test on an i64: slot `d` += `imm`, then jump if it is
/// greater than `bound` (signed).
#[inline(always)]
pub unsafe fn i64_step_br_gt_s_si<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    d: u32,
    imm: u64,
    bound: u64,
) -> Step {
    let v = i64::from_cell(*slot(r, d)).wrapping_add(i64::from_cell(imm));
    write_then_branch(r, c, target, d, v, |_, v| v > i64::from_cell(bound))
}

#[inline(always)]
pub unsafe fn i32_load_s_br_nez<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    dst: u32,
    addr: u32,
    offset: u32,
) -> Step {
    let p = effective(r, *slot(r, addr), offset, <i32 as MemValue>::SIZE)?;
    let v = <i32 as MemValue>::read(p);
    write_then_branch(r, c, target, dst, v, |_, v| v != 0)
}

#[inline(always)]
pub unsafe fn i32_shr_u_and_asii<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    a: u32,
    shift: u64,
    mask: u64,
) -> Step {
    let v = crate::numeric::i32_shr_u(i32::from_cell(*slot(r, a)), i32::from_cell(shift));
    <i32 as Acc>::set(r, v & i32::from_cell(mask));
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_shr_u_and_ssii<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    dst: u32,
    a: u32,
    shift: u64,
    mask: u64,
) -> Step {
    let v = crate::numeric::i32_shr_u(i32::from_cell(*slot(r, a)), i32::from_cell(shift));
    *slot(r, dst) = (v & i32::from_cell(mask)).into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_and_si_br_eq_ss<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    dst: u32,
    a: u32,
    imm: u64,
    b: u32,
) -> Step {
    let v = i32::from_cell(*slot(r, a)) & i32::from_cell(imm);
    write_then_branch(r, c, target, dst, v, |r, v| {
        i32::from_cell(*slot(r, b)) == v
    })
}

#[inline(always)]
pub unsafe fn i32_and_si_br_eq_as<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    dst: u32,
    a: u32,
    imm: u64,
) -> Step {
    let v = i32::from_cell(*slot(r, a)) & i32::from_cell(imm);
    write_then_branch(r, c, target, dst, v, |r, v| <i32 as Acc>::get(r) == v)
}

#[inline(always)]
pub unsafe fn i32_load_store_s<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    dst: u32,
    addr: u32,
    offset: u32,
    value: u32,
) -> Step {
    // One bounds check for both: the same address and width.
    let p = effective(r, *slot(r, addr), offset, <i32 as MemValue>::SIZE)?;
    *slot(r, dst) = <i32 as MemValue>::read(p).into_cell();
    // Read after the load: `value` may be `dst`.
    i32::from_cell(*slot(r, value)).write(p);
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_copy_load_store_s<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    c: u32,
    p: u32,
    offset: u32,
    v: u32,
) -> Step {
    // The node as an i32 (it is an address): one register for the copy and the address.
    let node = i32::from_cell(*slot(r, p));
    // One bounds check for both, as `i32_load_store_s`. Checked before the copy's write
    // (fewer registers live across the check): a trap ends the frame, so no one sees `c`.
    let at = effective(r, node.into_cell(), offset, <i32 as MemValue>::SIZE)?;
    let next = <i32 as MemValue>::read(at);
    *slot(r, c) = node.into_cell();
    *slot(r, p) = next.into_cell();
    // Read after both writes: `v` may be `c` or `p`.
    i32::from_cell(*slot(r, v)).write(at);
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_reverse_step_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    cs: u32,
    p: u32,
    offset: u32,
    v: u32,
    target: Ip,
) -> Step {
    // `cs`, `p` and `v` are pairwise different (the rule's precondition): each slot is
    // read before any is written, and the values written are known without reading back.
    let node = i32::from_cell(*slot(r, p));
    let prev = *slot(r, v);
    // Checked before any write, as `i32_copy_load_store_s`: a trap ends the frame.
    let at = effective(r, node.into_cell(), offset, <i32 as MemValue>::SIZE)?;
    let next = <i32 as MemValue>::read(at);
    *slot(r, cs) = node.into_cell();
    *slot(r, p) = next.into_cell();
    i32::from_cell(prev).write(at);
    *slot(r, v) = node.into_cell();
    if next != 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

/// `i32_reverse_step_s` looping in place (`target` is this op): see the op table. The
/// slots are written on the way out only, when the list ends or the budget's grant runs
/// out (the executor then refills and re-enters this op at `target`, which reads them
/// back); a trap ends the frame, so no one sees them then.
#[inline(always)]
pub unsafe fn i32_reverse_loop_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    cs: u32,
    p: u32,
    offset: u32,
    v: u32,
    target: Ip,
) -> Step {
    // Where the loop exits to: `jump` moves `r.ip` to `target` and back edges put it back.
    let exit = r.ip;
    // Pairwise different slots, as for `i32_reverse_step_s`.
    let mut node = i32::from_cell(*slot(r, p));
    let mut prev = i32::from_cell(*slot(r, v));
    loop {
        let at = effective(r, node.into_cell(), offset, <i32 as MemValue>::SIZE)?;
        let next = <i32 as MemValue>::read(at);
        prev.write(at);
        if next == 0 {
            break;
        }
        if let Err(stop) = super::budget::jump(&mut r.ip, c, target) {
            // Refill at `target` (this op), which resumes from the slots: as after the
            // unfused step, `c` and `v` hold the node just linked and `p` the next one.
            *slot(r, cs) = node.into_cell();
            *slot(r, p) = next.into_cell();
            *slot(r, v) = node.into_cell();
            return Err(stop);
        }
        r.ip = exit;
        prev = node;
        node = next;
    }
    *slot(r, cs) = node.into_cell();
    *slot(r, p) = 0i32.into_cell();
    *slot(r, v) = node.into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_add_and_asii<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    a: u32,
    imm: u64,
    mask: u64,
) -> Step {
    let v = crate::numeric::i32_add(i32::from_cell(*slot(r, a)), i32::from_cell(imm));
    <i32 as Acc>::set(r, v & i32::from_cell(mask));
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_add_and_ssii<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    dst: u32,
    a: u32,
    imm: u64,
    mask: u64,
) -> Step {
    let v = crate::numeric::i32_add(i32::from_cell(*slot(r, a)), i32::from_cell(imm));
    *slot(r, dst) = (v & i32::from_cell(mask)).into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_load_add_store_asi<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    addr: u32,
    offset: u32,
    imm: u64,
) -> Step {
    // One bounds check for both: the same address and width.
    let p = effective(r, *slot(r, addr), offset, <i32 as MemValue>::SIZE)?;
    let v = crate::numeric::i32_add(<i32 as MemValue>::read(p), i32::from_cell(imm));
    v.write(p);
    // The unfused ops leave the sum in the accumulator too.
    <i32 as Acc>::set(r, v);
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_global_add_si<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    dst: u32,
    global: u32,
    imm: u64,
) -> Step {
    let g = stack::global_cell(c, global);
    let v = crate::numeric::i32_add(i32::from_cell(*g), i32::from_cell(imm)).into_cell();
    *g = v;
    *slot(r, dst) = v;
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_add_si_global_set<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    dst: u32,
    a: u32,
    imm: u64,
    global: u32,
) -> Step {
    let v = crate::numeric::i32_add(i32::from_cell(*slot(r, a)), i32::from_cell(imm)).into_cell();
    *slot(r, dst) = v;
    *stack::global_cell(c, global) = v;
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_add_si2<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    d: u32,
    imm: u64,
    d2: u32,
    imm2: u64,
) -> Step {
    let v = crate::numeric::i32_add(i32::from_cell(*slot(r, d)), i32::from_cell(imm));
    *slot(r, d) = v.into_cell();
    // Read after the first write: `d2` may be `d`.
    let v2 = crate::numeric::i32_add(i32::from_cell(*slot(r, d2)), i32::from_cell(imm2));
    *slot(r, d2) = v2.into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_add_si_add_ss<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    d: u32,
    imm: u64,
    d2: u32,
    b: u32,
) -> Step {
    let v = crate::numeric::i32_add(i32::from_cell(*slot(r, d)), i32::from_cell(imm));
    *slot(r, d) = v.into_cell();
    // Read after the first write: `d2` or `b` may be `d`.
    let v2 = crate::numeric::i32_add(i32::from_cell(*slot(r, d2)), i32::from_cell(*slot(r, b)));
    *slot(r, d2) = v2.into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_load_as_load16_u_aa<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    a: u32,
    offset: u32,
    offset2: u32,
) -> Step {
    load_p::<i32, i32>(r, Place::Acc, Some(Place::Slot(a)), offset.into(), |p| p)?;
    load_p::<u16, i32>(r, Place::Acc, Some(Place::Acc), offset2.into(), i32::from)
}

#[inline(always)]
pub unsafe fn i32_load_as_load8_u_aa<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    a: u32,
    offset: u32,
    offset2: u32,
) -> Step {
    load_p::<i32, i32>(r, Place::Acc, Some(Place::Slot(a)), offset.into(), |p| p)?;
    load_p::<u8, i32>(r, Place::Acc, Some(Place::Acc), offset2.into(), i32::from)
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub unsafe fn i32_find_load16_u_and_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    p: u32,
    offset: u32,
    offset2: u32,
    t: u32,
    key: u32,
    imm: u64,
    next: u32,
    found: Ip,
    target: Ip,
) -> Step {
    let key = i32::from_cell(*slot(r, key)) & i32::from_cell(imm);
    find_loop::<u16>(r, c, p, [offset, offset2, next], t, key, found, target)
}

#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub unsafe fn i32_find_load8_u_and_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    p: u32,
    offset: u32,
    offset2: u32,
    t: u32,
    key: u32,
    imm: u64,
    next: u32,
    found: Ip,
    target: Ip,
) -> Step {
    let key = i32::from_cell(*slot(r, key)) & i32::from_cell(imm);
    find_loop::<u8>(r, c, p, [offset, offset2, next], t, key, found, target)
}

/// A list search looping in place (`target` is this op): see `I32FindLoad16UAndS` in the
/// op table. Per node: the record's address at `offsets[0]`, the field of type `M` at
/// `offsets[1]` in the record, the next node at `offsets[2]`, each access checked as the
/// unfused loads checked it, in their order. The node stays in a register: slot `p` is
/// written every iteration but never read back, so the store is off the loop's chain, and
/// it holds the node to resume from when a used-up fuel grant makes the executor re-enter
/// the op at `target` (itself). Slot `t` (the masked key, the same every iteration) is
/// written once; the accumulator holds the last field read, as after the unfused ops.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn find_loop<M: MemValue + Into<i32>>(
    r: &mut Regs,
    c: &mut Ctx,
    p: u32,
    offsets: [u32; 3],
    t: u32,
    key: i32,
    found: Ip,
    target: Ip,
) -> Step {
    // Where the loop exits to: `jump` moves `r.ip` to `target` and back edges put it back.
    let exit = r.ip;
    *slot(r, t) = key.into_cell();
    let mut node = i32::from_cell(*slot(r, p));
    loop {
        let at = effective(r, node.into_cell(), offsets[0], <i32 as MemValue>::SIZE)?;
        let record = <i32 as MemValue>::read(at);
        let at = effective(r, record.into_cell(), offsets[1], M::SIZE)?;
        let field: i32 = M::read(at).into();
        <i32 as Acc>::set(r, field);
        if field == key {
            *slot(r, p) = node.into_cell();
            return super::budget::jump(&mut r.ip, c, found);
        }
        let at = effective(r, node.into_cell(), offsets[2], <i32 as MemValue>::SIZE)?;
        let next = <i32 as MemValue>::read(at);
        *slot(r, p) = next.into_cell();
        if next == 0 {
            return Ok(());
        }
        super::budget::jump(&mut r.ip, c, target)?;
        r.ip = exit;
        node = next;
    }
}

#[inline(always)]
pub unsafe fn i32_mul_add_sas<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    b: u32,
    dst: u32,
    c: u32,
) -> Step {
    let p = crate::numeric::i32_mul(<i32 as Acc>::get(r), i32::from_cell(*slot(r, b)));
    <i32 as Acc>::set(r, p);
    *slot(r, dst) = crate::numeric::i32_add(p, i32::from_cell(*slot(r, c))).into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_shl_add_asis<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    a: u32,
    shift: u64,
    b: u32,
) -> Step {
    let v = crate::numeric::i32_shl(i32::from_cell(*slot(r, a)), i32::from_cell(shift));
    <i32 as Acc>::set(r, crate::numeric::i32_add(v, i32::from_cell(*slot(r, b))));
    Ok(())
}

/// Slot `t` = `shift(slot a, k)`, returned too: the first half of the fused
/// shift-then-combine pairs below, which still write `t` as the unfused pair did.
#[inline(always)]
unsafe fn shift_into(r: &mut Regs, shift: fn(i32, i32) -> i32, t: u32, a: u32, k: u64) -> i32 {
    let v = shift(i32::from_cell(*slot(r, a)), i32::from_cell(k));
    *slot(r, t) = v.into_cell();
    v
}

/// `shift_into`, then slot `dst` = slot `y` ^ the shifted value (`y` read after `t` is
/// written: it may be `t`).
#[inline(always)]
unsafe fn shift_xor_ss(
    r: &mut Regs,
    shift: fn(i32, i32) -> i32,
    [t, a, dst, y]: [u32; 4],
    k: u64,
) -> Step {
    let v = shift_into(r, shift, t, a, k);
    *slot(r, dst) = crate::numeric::i32_xor(i32::from_cell(*slot(r, y)), v).into_cell();
    Ok(())
}

/// `shift_into`, then the integer accumulator ^= the shifted value.
#[inline(always)]
unsafe fn shift_xor_aas(r: &mut Regs, shift: fn(i32, i32) -> i32, t: u32, a: u32, k: u64) -> Step {
    let v = shift_into(r, shift, t, a, k);
    <i32 as Acc>::set(r, crate::numeric::i32_xor(<i32 as Acc>::get(r), v));
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_rotl_si_xor_ss<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    t: u32,
    a: u32,
    k: u64,
    dst: u32,
    y: u32,
) -> Step {
    shift_xor_ss(r, crate::numeric::i32_rotl, [t, a, dst, y], k)
}

#[inline(always)]
pub unsafe fn i32_rotl_si_xor_aas<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    t: u32,
    a: u32,
    k: u64,
) -> Step {
    shift_xor_aas(r, crate::numeric::i32_rotl, t, a, k)
}

#[inline(always)]
pub unsafe fn i32_rotl_si_xor_ass<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    t: u32,
    a: u32,
    k: u64,
    y: u32,
) -> Step {
    let v = shift_into(r, crate::numeric::i32_rotl, t, a, k);
    <i32 as Acc>::set(r, crate::numeric::i32_xor(i32::from_cell(*slot(r, y)), v));
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_shr_u_si_xor_ss<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    t: u32,
    a: u32,
    k: u64,
    dst: u32,
    y: u32,
) -> Step {
    shift_xor_ss(r, crate::numeric::i32_shr_u, [t, a, dst, y], k)
}

/// One bit step of a CRC (see `I32CrcStepS` in the op table): the four ops' writes in
/// their order, with `t1` and `t2` passed to the select in registers (the translator
/// checked that nothing between writes their slots) and `c` too (it is the shift-xor's
/// last write).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub unsafe fn i32_crc_step_s<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    t1: u32,
    a: u32,
    shift: u64,
    mask: u64,
    t2: u32,
    poly: u64,
    t: u32,
    data: u32,
    k: u64,
    c: u32,
    y: u32,
    dst: u32,
    bit: u64,
) -> Step {
    let v1 = crate::numeric::i32_shr_u(i32::from_cell(*slot(r, a)), i32::from_cell(shift))
        & i32::from_cell(mask);
    *slot(r, t1) = v1.into_cell();
    let v2 = crate::numeric::i32_xor(v1, i32::from_cell(poly));
    *slot(r, t2) = v2.into_cell();
    let s = shift_into(r, crate::numeric::i32_shr_u, t, data, k);
    let cv = crate::numeric::i32_xor(i32::from_cell(*slot(r, y)), s);
    *slot(r, c) = cv.into_cell();
    *slot(r, dst) = select_value(cv as u32 & bit as u32 != 0, v2.into_cell(), v1.into_cell());
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_shr_u_si_xor_aas<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    t: u32,
    a: u32,
    k: u64,
) -> Step {
    shift_xor_aas(r, crate::numeric::i32_shr_u, t, a, k)
}

#[inline(always)]
pub unsafe fn i32_shl_si_add_aas<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    t: u32,
    a: u32,
    k: u64,
) -> Step {
    let v = shift_into(r, crate::numeric::i32_shl, t, a, k);
    <i32 as Acc>::set(r, crate::numeric::i32_add(<i32 as Acc>::get(r), v));
    Ok(())
}

#[inline(always)]
pub unsafe fn const_<E: Encoding>(r: &mut Regs, _: &mut Ctx, dst: u32, bits: u64) -> Step {
    *slot(r, dst) = bits;
    Ok(())
}

#[inline(always)]
pub unsafe fn set_sp<E: Encoding>(r: &mut Regs, _: &mut Ctx, at: u32) -> Step {
    r.sp = slot(r, at);
    Ok(())
}

#[inline(always)]
pub unsafe fn br_if_nez_s<E: Encoding>(r: &mut Regs, c: &mut Ctx, target: Ip, cond: u32) -> Step {
    if *slot(r, cond) as u32 != 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

#[inline(always)]
pub unsafe fn br_if_eqz_s<E: Encoding>(r: &mut Regs, c: &mut Ctx, target: Ip, cond: u32) -> Step {
    if *slot(r, cond) as u32 == 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

/// Register-IR `br_table` entries carry no stack adjustment: the translator routes every
/// entry that must move values through a stub that does.
#[inline(always)]
pub unsafe fn br_table_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    index: u32,
    targets: BrTableRef,
) -> Step {
    let (target, _, _) = targets.entry::<E>(*slot(r, index) as u32);
    super::budget::jump(&mut r.ip, c, target)?;
    Ok(())
}

#[inline(always)]
pub unsafe fn br_i32_eq_si_br_table_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    a: u32,
    imm: u64,
    index: u32,
    targets: BrTableRef,
) -> Step {
    let to = if i32::from_cell(*slot(r, a)) == i32::from_cell(imm) {
        target
    } else {
        targets.entry::<E>(*slot(r, index) as u32).0
    };
    super::budget::jump(&mut r.ip, c, to)?;
    Ok(())
}

#[inline(always)]
pub unsafe fn return_s<E: Encoding>(r: &mut Regs, c: &mut Ctx, from: u32, count: u32) -> Step {
    r.sp = slot(r, from + count);
    stack::return_::<E>(r, c, count)
}

#[inline(always)]
pub unsafe fn return_s1<E: Encoding>(r: &mut Regs, c: &mut Ctx, from: u32) -> Step {
    *r.fp = *slot(r, from);
    r.sp = r.fp.add(1);
    stack::return_placed::<E>(r, c)
}

#[inline(always)]
pub unsafe fn call_s<E: Encoding>(r: &mut Regs, c: &mut Ctx, func: u32, end: u32) -> Step {
    r.sp = slot(r, end);
    stack::call::<E>(r, c, func)
}

#[inline(always)]
pub unsafe fn call_indirect_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    ty: u32,
    table: u32,
    end: u32,
) -> Step {
    r.sp = slot(r, end);
    stack::call_indirect::<E>(r, c, ty, table)
}

#[inline(always)]
pub unsafe fn return_call_s<E: Encoding>(r: &mut Regs, c: &mut Ctx, func: u32, end: u32) -> Step {
    r.sp = slot(r, end);
    stack::return_call::<E>(r, c, func)
}

#[inline(always)]
pub unsafe fn return_call_indirect_s<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    ty: u32,
    table: u32,
    end: u32,
) -> Step {
    r.sp = slot(r, end);
    stack::return_call_indirect::<E>(r, c, ty, table)
}

#[inline(always)]
pub unsafe fn global_get_s<E: Encoding>(r: &mut Regs, c: &mut Ctx, dst: u32, global: u32) -> Step {
    *slot(r, dst) = *stack::global_cell(c, global);
    Ok(())
}

#[inline(always)]
pub unsafe fn global_set_s<E: Encoding>(r: &mut Regs, c: &mut Ctx, src: u32, global: u32) -> Step {
    *stack::global_cell(c, global) = *slot(r, src);
    Ok(())
}

/// Wasm's `select`, every register-IR form: the operands read whatever the condition,
/// and the choice made by a conditional move. Written as an `if` on two slots (or as a
/// select of two plain loads), LLVM folds the choice into the address: it picks the
/// operand's *index* from the code by the condition and then loads that slot, two
/// dependent loads after the condition on the critical path of every chain that runs
/// through a select (CoreMark's CRC, whose condition depends on the running value).
/// Reading the slot with a volatile load keeps it a load of its own, which LLVM may not
/// merge with the other operand's; on x86-64 and AArch64 a volatile load of an aligned
/// `u64` is the same `mov`/`ldr` as a plain one (a chained pair could not forward a
/// stored value into it, though: none passes one to a select's `a` or `b`). With a
/// constant operand the `if` became a branch, which mispredicts where the condition is
/// data. A kernel of CoreMark's CRC bit step
/// takes 0.64x the time on `threaded-pairs` (notes-speed.md section 24).
#[inline(always)]
fn select_value(cond: bool, a: Cell, b: Cell) -> Cell {
    core::hint::select_unpredictable(cond, a, b)
}

/// A select's slot operand (see [`select_value`]).
#[inline(always)]
unsafe fn select_operand(r: &Regs, i: u32) -> Cell {
    // SAFETY: as for `*slot(r, i)`: the translator only emits slot indices within the
    // frame, which the caller's call sequence reserved.
    unsafe { slot(r, i).read_volatile() }
}

#[inline(always)]
pub unsafe fn select_is<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    dst: u32,
    imm: u64,
    b: u32,
    cond: u32,
) -> Step {
    // A conditional move too, though LLVM compiles the `if` as a branch here: the
    // producer chose `select`, and CoreMark's matrix sum selects on data (`tmp >
    // clipval`), where the branch's cost moved from build to build with the predictor
    // (notes-speed.md section 24).
    let v = select_value(*slot(r, cond) as u32 != 0, imm, select_operand(r, b));
    *slot(r, dst) = v;
    Ok(())
}

#[inline(always)]
pub unsafe fn select_si<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    dst: u32,
    a: u32,
    imm: u64,
    cond: u32,
) -> Step {
    // A conditional move, as in `select_is`.
    let v = select_value(*slot(r, cond) as u32 != 0, select_operand(r, a), imm);
    *slot(r, dst) = v;
    Ok(())
}

#[inline(always)]
pub unsafe fn select_and_s<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    dst: u32,
    a: u32,
    b: u32,
    cond: u32,
    mask: u64,
) -> Step {
    let v = select_value(
        *slot(r, cond) as u32 & mask as u32 != 0,
        select_operand(r, a),
        select_operand(r, b),
    );
    *slot(r, dst) = v;
    Ok(())
}

#[inline(always)]
pub unsafe fn select_s<E: Encoding>(
    r: &mut Regs,
    _: &mut Ctx,
    dst: u32,
    a: u32,
    b: u32,
    cond: u32,
) -> Step {
    let v = select_value(
        *slot(r, cond) as u32 != 0,
        select_operand(r, a),
        select_operand(r, b),
    );
    *slot(r, dst) = v;
    Ok(())
}
