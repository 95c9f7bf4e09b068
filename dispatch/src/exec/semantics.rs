//! The meaning of every op, written once. Each function takes the registers, the context
//! and the op's decoded operands, and returns whether to go on.
//!
//! # Safety
//! Every function here is `unsafe` for the reasons in the [module docs](super): it may
//! only run code produced by the translator from validated Wasm, in a frame that was
//! checked to fit the value stack. Under that contract the raw stack and frame accesses
//! below stay in bounds; memory, table and reference checks happen here, at run time.

#![allow(clippy::missing_safety_doc)]
// Every op's semantics takes the encoding, used or not, so op functions call them alike.
#![allow(clippy::extra_unused_type_parameters)]

use super::{Ctx, Frame, Pending, Regs, Step, Stop};
use crate::cell::{Cell, CellValue, MemValue, NULL_REF};
use crate::code::{BrTableRef, Encoding, Ip};
use crate::store::{Callee, FuncEntity};
use crate::trap::TrapCode;
use core::ptr;

#[inline(always)]
fn trap(code: TrapCode) -> Step {
    Err(Stop::Trap(code))
}

#[inline(always)]
unsafe fn pop(r: &mut Regs) -> Cell {
    r.sp = r.sp.sub(1);
    *r.sp
}

#[inline(always)]
unsafe fn push(r: &mut Regs, v: Cell) {
    *r.sp = v;
    r.sp = r.sp.add(1);
}

#[inline(always)]
unsafe fn top(r: &Regs) -> *mut Cell {
    r.sp.sub(1)
}

// ---- numeric groups -------------------------------------------------------------------

#[inline(always)]
pub unsafe fn unary<A: CellValue, R: CellValue>(r: &mut Regs, f: impl FnOnce(A) -> R) -> Step {
    let t = top(r);
    *t = f(A::from_cell(*t)).into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn unary_trap<A: CellValue, R: CellValue>(
    r: &mut Regs,
    f: impl FnOnce(A) -> Result<R, TrapCode>,
) -> Step {
    let t = top(r);
    *t = f(A::from_cell(*t)).map_err(Stop::Trap)?.into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn binary<A: CellValue, B: CellValue, R: CellValue>(
    r: &mut Regs,
    f: impl FnOnce(A, B) -> R,
) -> Step {
    let b = B::from_cell(pop(r));
    let t = top(r);
    *t = f(A::from_cell(*t), b).into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn binary_trap<A: CellValue, B: CellValue, R: CellValue>(
    r: &mut Regs,
    f: impl FnOnce(A, B) -> Result<R, TrapCode>,
) -> Step {
    let b = B::from_cell(pop(r));
    let t = top(r);
    *t = f(A::from_cell(*t), b).map_err(Stop::Trap)?.into_cell();
    Ok(())
}

/// Traps unless the `size` bytes at `ea` (below 2^33) are in the memory. One compare
/// when the access starts below [`Regs::mem_fast`](super::Regs), the exact test after it.
#[inline(always)]
pub(crate) fn check_access(r: &Regs, ea: u64, size: usize) -> Step {
    if (size > super::MAX_FAST_ACCESS || ea >= r.mem_fast as u64)
        && ea + size as u64 > r.mem_len as u64
    {
        return Err(Stop::Trap(TrapCode::MemoryOutOfBounds));
    }
    Ok(())
}

/// The effective address of an access of `size` bytes, or a trap.
#[inline(always)]
pub(crate) unsafe fn effective(
    r: &Regs,
    base: Cell,
    offset: u32,
    size: usize,
) -> Result<*mut u8, Stop> {
    let ea = u64::from(base as u32) + u64::from(offset);
    check_access(r, ea, size)?;
    Ok(r.mem.add(ea as usize))
}

#[inline(always)]
pub unsafe fn load<M: MemValue, R: CellValue>(
    r: &mut Regs,
    offset: u32,
    widen: impl FnOnce(M) -> R,
) -> Step {
    let t = top(r);
    let p = effective(r, *t, offset, M::SIZE)?;
    *t = widen(M::read(p)).into_cell();
    Ok(())
}

#[inline(always)]
pub unsafe fn store<V: CellValue, M: MemValue>(
    r: &mut Regs,
    offset: u32,
    narrow: impl FnOnce(V) -> M,
) -> Step {
    let v = V::from_cell(pop(r));
    let a = pop(r);
    let p = effective(r, a, offset, M::SIZE)?;
    narrow(v).write(p);
    Ok(())
}

// ---- control ----------------------------------------------------------------------------

#[inline(always)]
pub unsafe fn unreachable<E: Encoding>(_: &mut Regs, _: &mut Ctx) -> Step {
    trap(TrapCode::Unreachable)
}

#[inline(always)]
pub unsafe fn br<E: Encoding>(r: &mut Regs, c: &mut Ctx, target: Ip) -> Step {
    super::budget::jump(&mut r.ip, c, target)?;
    Ok(())
}

/// The exit of a rotated loop (`weft_ir::peephole::rotate_loop`): always charges, for
/// the back edge the unrotated loop takes before its header's test exits.
#[inline(always)]
pub unsafe fn br_charged<E: Encoding>(r: &mut Regs, c: &mut Ctx, target: Ip) -> Step {
    super::budget::jump_charged(&mut r.ip, c, target)
}

#[inline(always)]
pub unsafe fn br_if_nez<E: Encoding>(r: &mut Regs, c: &mut Ctx, target: Ip) -> Step {
    if pop(r) as u32 != 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

#[inline(always)]
pub unsafe fn br_if_eqz<E: Encoding>(r: &mut Regs, c: &mut Ctx, target: Ip) -> Step {
    if pop(r) as u32 == 0 {
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

/// Moves the top `keep` cells down over `drop` cells.
#[inline(always)]
unsafe fn adjust(r: &mut Regs, drop: u32, keep: u32) {
    let src = r.sp.sub(keep as usize);
    ptr::copy(src, src.sub(drop as usize), keep as usize);
    r.sp = r.sp.sub(drop as usize);
}

#[inline(always)]
pub unsafe fn br_adjust<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    drop: u32,
    keep: u32,
) -> Step {
    adjust(r, drop, keep);
    super::budget::jump(&mut r.ip, c, target)?;
    Ok(())
}

#[inline(always)]
pub unsafe fn br_if_nez_adjust<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    target: Ip,
    drop: u32,
    keep: u32,
) -> Step {
    if pop(r) as u32 != 0 {
        adjust(r, drop, keep);
        super::budget::jump(&mut r.ip, c, target)?;
    }
    Ok(())
}

#[inline(always)]
pub unsafe fn br_table<E: Encoding>(r: &mut Regs, c: &mut Ctx, targets: BrTableRef) -> Step {
    let i = pop(r) as u32;
    let (target, drop, keep) = targets.entry::<E>(i);
    if drop != 0 {
        adjust(r, drop, keep);
    }
    super::budget::jump(&mut r.ip, c, target)?;
    Ok(())
}

#[inline(always)]
pub unsafe fn return_<E: Encoding>(r: &mut Regs, c: &mut Ctx, keep: u32) -> Step {
    let step = return_fast(r, c, keep);
    in_line::<E>(r, c, step)
}

/// A return whose results are in place at the frame's base and `Regs::sp` just past
/// them: continues in the caller.
#[inline(always)]
pub unsafe fn return_placed<E: Encoding>(r: &mut Regs, c: &mut Ctx) -> Step {
    let step = pop_frame(r, c);
    in_line::<E>(r, c, step)
}

/// `return_` as far as its fast path goes: the rest is left in `c.pending`.
#[inline(always)]
unsafe fn return_fast(r: &mut Regs, c: &mut Ctx, keep: u32) -> Step {
    // Zero or one result in line; more (multi-value) out of line, where a block move
    // costs the handler nothing.
    match keep {
        0 => {}
        1 => *r.fp = *r.sp.sub(1),
        _ => {
            c.pending = Pending::Return { keep };
            return Err(Stop::Slow);
        }
    }
    r.sp = r.fp.add(keep as usize);
    pop_frame(r, c)
}

/// Continues in the caller: `return_`'s second half.
#[inline(always)]
unsafe fn pop_frame(r: &mut Regs, c: &mut Ctx) -> Step {
    // SAFETY: a frame lies below `frame_top`: the bottom one stays until the entry
    // function's return pops it, which ends the run (below).
    c.frame_top = c.frame_top.sub(1);
    let f = c.frame_top.read();
    r.ip = f.ip;
    r.fp = f.fp;
    if f.fp.addr() & Frame::MARK != 0 {
        // The bottom frame: the entry function returned (tested only here, off the path
        // of every other return).
        if c.frame_top == c.frame_base {
            return Err(Stop::Done);
        }
        c.pending = Pending::Unmark;
        return Err(Stop::Slow);
    }
    Ok(())
}

/// A return popped a marked frame above the bottom one (see [`Frame`]): its instance
/// comes back.
#[inline(always)]
unsafe fn unmark(r: &mut Regs, c: &mut Ctx) -> Step {
    r.fp = r.fp.wrapping_byte_sub(Frame::MARK);
    let inst = c
        .store()
        .return_insts
        .pop()
        .expect("a marked frame has its instance");
    switch_instance(r, c, inst);
    Ok(())
}

/// A call or tail call enters instance `inst`, another than the current one. The frame
/// the callee returns to (the one just pushed by a call; the caller's by a tail call) runs
/// in the current instance unless it is marked already: mark it, so that the return
/// restores the current instance. Then make `inst` current.
#[inline(always)]
unsafe fn enter_instance(r: &mut Regs, c: &mut Ctx, inst: u32) {
    let top = c.frame_top.sub(1);
    let fp = (*top).fp;
    if fp.addr() & Frame::MARK == 0 {
        (*top).fp = fp.wrapping_byte_add(Frame::MARK);
        c.store().return_insts.push(c.inst);
    }
    switch_instance(r, c, inst);
}

/// A return of more than one value, left to the slow path.
#[inline(always)]
unsafe fn return_slow(r: &mut Regs, c: &mut Ctx, keep: u32) -> Step {
    ptr::copy(r.sp.sub(keep as usize), r.fp, keep as usize);
    r.sp = r.fp.add(keep as usize);
    pop_frame(r, c)
}

/// Copies `n` cells from `src` down to `dst` (`dst <= src`; the ranges may overlap), in
/// line: a `memmove` call would make every handler that returns save registers.
#[inline(always)]
pub(crate) unsafe fn move_cells(src: *const Cell, dst: *mut Cell, n: usize) {
    if n == 1 {
        *dst = *src;
        return;
    }
    for i in 0..n {
        // Volatile, so that LLVM does not turn the loop back into a `memmove` call.
        dst.add(i).write(src.add(i).read_volatile());
    }
}

/// Zeroes the cells from `at` up to `end`, in line (see `move_cells`).
#[inline(always)]
unsafe fn zero_cells(at: *mut Cell, end: *mut Cell) {
    // A pointer walk to an end, not a counted loop: LLVM unrolls the counted one eight
    // times, and the unrolled body's registers made the call handlers save two.
    let mut p = at;
    while p != end {
        p.write_volatile(0);
        p = p.add(1);
    }
}

/// Points the memory registers at the current instance's memory 0.
#[inline(always)]
pub unsafe fn reload_memory(r: &mut Regs, c: &mut Ctx) {
    let store = c.store();
    // Globals too: this runs with the instance and after every host call.
    c.global_cells = store.globals.as_mut_ptr();
    match store.instances[c.inst as usize].memories.first() {
        Some(&m) => {
            let mem = &mut store.memories[m as usize].data;
            r.mem = mem.as_mut_ptr();
            r.mem_len = mem.len();
            r.mem_fast = super::fast_bound(r.mem_len);
            c.mem_len = r.mem_len;
            c.mem_fast = r.mem_fast;
        }
        None => {
            r.mem = ptr::null_mut();
            r.mem_len = 0;
            r.mem_fast = 0;
            c.mem_len = 0;
            c.mem_fast = 0;
        }
    }
}

/// Makes `inst` the current instance: its callee table, globals and memory.
#[inline(always)]
pub unsafe fn switch_instance(r: &mut Regs, c: &mut Ctx, inst: u32) {
    c.inst = inst;
    let entity = &c.store().instances[inst as usize];
    c.callees = entity.callees.as_ptr();
    c.globals = entity.globals.as_ptr();
    reload_memory(r, c);
}

/// Enters `k`, whose arguments are the top cells of the operand stack. With `tail`, the
/// current frame is replaced instead of saved.
///
/// The fast path: a compiled Wasm function of the current instance, with budget, stack
/// and call-stack capacity left. It takes one unit from the budget, pushes the caller's
/// frame, zeroes the locals that are not parameters (none for most functions) and jumps
/// to the entry; everything else is left to [`enter_slow`] through [`Stop::Slow`], so
/// that the call handlers contain no call.
#[inline(always)]
unsafe fn enter<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    k: *const Callee,
    direct: bool,
    tail: bool,
) -> Step {
    let step = enter_fast(r, c, k, direct, tail);
    in_line::<E>(r, c, step)
}

/// The `site` of a call through a table (`call_indirect`): no callee-table entry to update.
const NO_SITE: u32 = u32::MAX;

/// `enter` as far as its fast path goes: the rest is left in `c.pending`. `direct`: `k`
/// is an entry of the current instance's callee table (`Ctx::callees`).
#[inline(always)]
unsafe fn enter_fast(
    r: &mut Regs,
    c: &mut Ctx,
    k: *const Callee,
    direct: bool,
    tail: bool,
) -> Step {
    // Few values live at once, so that the handler's fit the caller-saved registers and
    // it saves none: the record's fields are read where they are used, and the stack
    // check is a sum against the end (not a difference against the room left, which
    // takes one more temporary) from the new frame's start, which the rest needs too.
    if super::budget::METERED {
        c.budget -= 1;
    }
    let np = (*k).num_params as usize;
    let fp = if tail { r.fp } else { r.sp.sub(np) };
    // One compare covers the stack room, host functions and functions not compiled yet
    // (`Callee::frame_bytes`).
    let needed_end = fp.addr() as u64 + u64::from((*k).frame_bytes);
    if (super::budget::METERED && c.budget < 0)
        || needed_end > c.stack_end.addr() as u64
        || (!tail && c.frame_top == c.frame_limit)
    {
        c.pending = if direct {
            Pending::CallDirect { callee: k, tail }
        } else {
            Pending::Call {
                func: (*k).func,
                site: NO_SITE,
                tail,
            }
        };
        return Err(Stop::Slow);
    }
    // Where the arguments end: the locals to zero start there.
    let args_end = if tail {
        move_cells(r.sp.sub(np), fp, np);
        fp.add(np)
    } else {
        // SAFETY: below `frame_limit`, within the buffer's capacity.
        c.frame_top.write(Frame { ip: r.ip, fp: r.fp });
        c.frame_top = c.frame_top.add(1);
        r.sp
    };
    let sp = fp.add((*k).zero_end as usize);
    // Tested apart from the loop (most functions zero nothing), on the pointers rather
    // than the counts: fewer registers.
    if sp != args_end {
        zero_cells(args_end, sp);
    }
    r.fp = fp;
    r.sp = sp;
    r.ip = (*k).entry;
    // A direct call's callee is of the current instance: the table sends the others to
    // the slow path (`Callee::seen_from`).
    if !direct {
        let inst = (*k).instance;
        if inst != c.inst {
            c.pending = Pending::Instance(inst);
            return Err(Stop::Slow);
        }
    }
    Ok(())
}

/// A call [`enter`] left to the slow path (store function `func`): the unit is already
/// taken from the budget.
#[inline(always)]
unsafe fn enter_slow<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    func: u32,
    site: u32,
    tail: bool,
) -> Step {
    if c.budget < 0 {
        super::budget::refill(c)?;
    }
    let k = c.store().callee(func);
    if k.is_host() {
        return enter_host::<E>(r, c, k.func, tail);
    }
    let np = k.num_params as usize;
    let fp = if tail { r.fp } else { r.sp.sub(np) };
    let room = c.stack_end.offset_from(fp) as usize;
    let mut k = k;
    if room < k.frame_size as usize {
        // A function of a lazily compiled module that is not compiled yet has a frame
        // no stack fits, so it lands here, off the path of every other call.
        if k.frame_size != Callee::NOT_COMPILED {
            return trap(TrapCode::StackOverflow);
        }
        compile_callee(c, k.func)?;
        k = c.store().callee(k.func);
        if site != NO_SITE {
            // A direct call: the caller's own table entry (an import's, when the callee
            // lives in another instance) gets the compiled record too, so that later calls
            // from here take the fast path. `compile_callee` updated only the owner's.
            let store = c.store();
            store.instances[c.inst as usize].callees[site as usize] = k.seen_from(c.inst);
            c.callees = store.instances[c.inst as usize].callees.as_ptr();
        }
        if room < k.frame_size as usize {
            return trap(TrapCode::StackOverflow);
        }
    }
    if tail {
        ptr::copy(r.sp.sub(np), fp, np);
    } else {
        let depth = c.frame_top.offset_from(c.frame_base) as usize;
        if depth >= c.max_frames {
            return trap(TrapCode::StackOverflow);
        }
        if c.frame_top == c.frame_limit {
            grow_frames(c, depth);
        }
        c.frame_top.write(Frame { ip: r.ip, fp: r.fp });
        c.frame_top = c.frame_top.add(1);
    }
    ptr::write_bytes(fp.add(np), 0, k.zero_end as usize - np);
    r.fp = fp;
    r.sp = fp.add(k.zero_end as usize);
    r.ip = k.entry;
    if k.instance != c.inst {
        enter_instance(r, c, k.instance);
    }
    Ok(())
}

/// Grows the call stack's buffer, which holds `depth` saved callers.
#[cold]
#[inline(never)]
unsafe fn grow_frames(c: &mut Ctx, depth: usize) {
    c.frames.set_len(depth);
    c.frames.reserve(depth.max(16));
    c.frames.set_len(0);
    c.frames_at(depth);
}

/// `step`, an op's result, for encoding `E`: unchanged if `E` leaves slow paths to the
/// executor ([`Encoding::SLOW_OUT_OF_LINE`]); else a [`Stop::Slow`] is run right here,
/// so that it never reaches the executor. The registers go through the context as in
/// every other slow path, so that none is live across the call.
#[inline(always)]
unsafe fn in_line<E: Encoding>(r: &mut Regs, c: &mut Ctx, step: Step) -> Step {
    if E::SLOW_OUT_OF_LINE || step != Err(Stop::Slow) {
        return step;
    }
    c.saved = *r;
    let step = slow_out_of_line::<E>(c);
    *r = c.saved;
    step
}

/// Runs what an op left in [`Ctx::pending`] when it returned [`Stop::Slow`], with the
/// registers in [`Ctx::saved`], then lets the executor continue at `saved.ip` (or stop).
/// Every executor calls it (the threaded ones from one handler of their own, entered by
/// a tail call), always out of line: the registers travel through the context, so that
/// no local of the calling handler escapes into the call.
#[cold]
#[inline(never)]
pub unsafe fn slow_out_of_line<E: Encoding>(c: &mut Ctx) -> Step {
    let mut r = c.saved;
    let step = slow::<E>(&mut r, c);
    c.saved = r;
    step
}

#[inline(always)]
unsafe fn slow<E: Encoding>(r: &mut Regs, c: &mut Ctx) -> Step {
    loop {
        let step = match core::mem::replace(&mut c.pending, Pending::None) {
            Pending::None => Ok(()),
            Pending::Refill => super::budget::refill(c),
            Pending::Call { func, site, tail } => enter_slow::<E>(r, c, func, site, tail),
            Pending::CallDirect { callee, tail } => {
                let site = callee.offset_from(c.callees) as u32;
                enter_slow::<E>(r, c, (*callee).func, site, tail)
            }
            Pending::Return { keep } => return_slow(r, c, keep),
            Pending::Instance(inst) => {
                enter_instance(r, c, inst);
                Ok(())
            }
            Pending::Unmark => unmark(r, c),
        };
        // A tail call to a host function returns, which may switch instances.
        if step != Err(Stop::Slow) {
            return step;
        }
    }
}

/// Compiles store function `f` (of a lazily compiled module) and points its defining
/// instance's callee table at the code, so that calls from that instance go straight to
/// it from now on. An invalid body (`lazy` mode) fails the call with the validation error.
///
/// Scalars in, a small `Step` out, and never inlined, for the reason given at `call_host`.
#[cold]
#[inline(never)]
unsafe fn compile_callee(c: &mut Ctx, f: u32) -> Step {
    let store = c.store();
    let FuncEntity::Wasm {
        module,
        index,
        instance,
        ..
    } = &store.funcs[f as usize]
    else {
        unreachable!("only Wasm functions are compiled lazily")
    };
    let (index, instance) = (*index, *instance);
    if let Err(e) = module.compile(index) {
        c.host_error = Some(super::HostFailure::Error(Box::new(e)));
        return trap(TrapCode::HostError);
    }
    let at = module.ir.num_imported_funcs as usize + index as usize;
    let callee = store.callee(f);
    store.instances[instance as usize].callees[at] = callee.seen_from(instance);
    // The table was written through a fresh borrow of the store: take the current
    // instance's table pointer again rather than keep one derived before the write.
    c.callees = c.store().instances[c.inst as usize].callees.as_ptr();
    Ok(())
}

/// Calls host function `f` (a store index) with the top cells of the operand stack as
/// arguments, leaving its results in their place.
#[inline(always)]
unsafe fn enter_host<E: Encoding>(r: &mut Regs, c: &mut Ctx, f: u32, tail: bool) -> Step {
    let ty = c.store().func_type(f);
    let (np, nr) = (ty.params.len(), ty.results.len());
    let args_at = r.sp.sub(np);
    if (c.stack_end.offset_from(args_at) as usize) < nr {
        return trap(TrapCode::StackOverflow);
    }
    // The host may read or set the store's fuel.
    super::budget::settle(c);
    let outcome = call_host(c, f, args_at, np, nr);
    // The host may have grown (and so moved) memory.
    reload_memory(r, c);
    outcome?;
    r.sp = args_at.add(nr);
    if tail {
        // The fast half: `slow`, which runs this, finishes what it leaves.
        return_fast(r, c, nr as u32)
    } else {
        Ok(())
    }
}

/// Calls host function `f`, whose `np` arguments start at `args_at` on the operand stack,
/// writing its `nr` results from `args_at` on (the caller has checked they fit).
///
/// Only scalars go in and a small `Step` comes out, on purpose: this function is not
/// inlined, and a pointer to a handler's locals (its registers, or a return slot in
/// memory) escaping into a call would stop LLVM from turning the threaded executor's call
/// to the next handler into a jump.
#[inline(never)]
unsafe fn call_host(c: &mut Ctx, f: u32, args_at: *mut Cell, np: usize, nr: usize) -> Step {
    let FuncEntity::Host { func, .. } = &c.store().funcs[f as usize] else {
        unreachable!("call_host on a Wasm function")
    };
    let func = func.clone();
    let args: Vec<Cell> = core::slice::from_raw_parts(args_at, np).to_vec();
    let mut results = vec![0 as Cell; nr];
    let mut caller = crate::store::HostCaller {
        store: &mut *c.store,
        data: &mut *c.data,
        instance: Some(c.inst),
    };
    // Handlers must not unwind (the threaded ones are `extern "C"`, and an unwinding
    // executor would skip the store's bookkeeping), so a panic stops here and is carried
    // out of the executor; `invoke` resumes it once the store is consistent again.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        func(&mut caller, &args, &mut results)
    }));
    match outcome {
        Ok(Ok(())) => {
            ptr::copy_nonoverlapping(results.as_ptr(), args_at, nr);
            Ok(())
        }
        Ok(Err(e)) => {
            c.host_error = Some(super::HostFailure::Error(e));
            trap(TrapCode::HostError)
        }
        Err(payload) => {
            c.host_error = Some(super::HostFailure::Panic(payload));
            trap(TrapCode::HostError)
        }
    }
}

#[inline(always)]
pub unsafe fn call<E: Encoding>(r: &mut Regs, c: &mut Ctx, func: u32) -> Step {
    enter::<E>(r, c, callee(c, func), true, false)
}

#[inline(always)]
pub unsafe fn return_call<E: Encoding>(r: &mut Regs, c: &mut Ctx, func: u32) -> Step {
    enter::<E>(r, c, callee(c, func), true, true)
}

/// The current instance's function `func`.
#[inline(always)]
unsafe fn callee(c: &Ctx, func: u32) -> *const Callee {
    // SAFETY: validation bounds `func` by the module's function count, and `callees`
    // points at the current instance's table, which has one entry per function.
    c.callees.add(func as usize)
}

/// Pops a table index and resolves it to a store function of signature `ty`.
#[inline(always)]
unsafe fn indirect(r: &mut Regs, c: &mut Ctx, ty: u32, table: u32) -> Result<u32, Stop> {
    let i = pop(r) as u32 as usize;
    let store = c.store();
    let inst = &store.instances[c.inst as usize];
    let expected = inst.types[ty as usize];
    let elems = &store.tables[inst.tables[table as usize] as usize].elems;
    let Some(&cell) = elems.get(i) else {
        return Err(Stop::Trap(TrapCode::UndefinedElement));
    };
    if cell == NULL_REF {
        return Err(Stop::Trap(TrapCode::UninitializedElement));
    }
    let f = (cell - 1) as u32;
    if store.funcs[f as usize].ty() != expected {
        return Err(Stop::Trap(TrapCode::IndirectCallTypeMismatch));
    }
    Ok(f)
}

#[inline(always)]
pub unsafe fn call_indirect<E: Encoding>(r: &mut Regs, c: &mut Ctx, ty: u32, table: u32) -> Step {
    let f = indirect(r, c, ty, table)?;
    let k = c.store().callee(f);
    enter::<E>(r, c, &k, false, false)
}

#[inline(always)]
pub unsafe fn return_call_indirect<E: Encoding>(
    r: &mut Regs,
    c: &mut Ctx,
    ty: u32,
    table: u32,
) -> Step {
    let f = indirect(r, c, ty, table)?;
    let k = c.store().callee(f);
    enter::<E>(r, c, &k, false, true)
}

// ---- parametric, variables, constants ------------------------------------------------

#[inline(always)]
pub unsafe fn drop<E: Encoding>(r: &mut Regs, _: &mut Ctx) -> Step {
    r.sp = r.sp.sub(1);
    Ok(())
}

#[inline(always)]
pub unsafe fn select<E: Encoding>(r: &mut Regs, _: &mut Ctx) -> Step {
    let cond = pop(r) as u32;
    let b = pop(r);
    if cond == 0 {
        *top(r) = b;
    }
    Ok(())
}

#[inline(always)]
pub unsafe fn local_get<E: Encoding>(r: &mut Regs, _: &mut Ctx, local: u32) -> Step {
    let v = *r.fp.add(local as usize);
    push(r, v);
    Ok(())
}

#[inline(always)]
pub unsafe fn local_set<E: Encoding>(r: &mut Regs, _: &mut Ctx, local: u32) -> Step {
    *r.fp.add(local as usize) = pop(r);
    Ok(())
}

#[inline(always)]
pub unsafe fn local_tee<E: Encoding>(r: &mut Regs, _: &mut Ctx, local: u32) -> Step {
    *r.fp.add(local as usize) = *top(r);
    Ok(())
}

/// The current instance's global `global`: through the cached index table and store
/// pointer, without bounds checks (validation bounds `global`, and instantiation every
/// index in the table), so that a global access has no panic path and hence no call.
#[inline(always)]
pub(crate) unsafe fn global_cell(c: &Ctx, global: u32) -> *mut Cell {
    let g = *c.globals.add(global as usize) as usize;
    ptr::addr_of_mut!((*c.global_cells.add(g)).value)
}

#[inline(always)]
pub unsafe fn global_get<E: Encoding>(r: &mut Regs, c: &mut Ctx, global: u32) -> Step {
    push(r, *global_cell(c, global));
    Ok(())
}

#[inline(always)]
pub unsafe fn global_set<E: Encoding>(r: &mut Regs, c: &mut Ctx, global: u32) -> Step {
    *global_cell(c, global) = pop(r);
    Ok(())
}

#[inline(always)]
pub unsafe fn i32_const<E: Encoding>(r: &mut Regs, _: &mut Ctx, value: i32) -> Step {
    push(r, value.into_cell());
    Ok(())
}

#[inline(always)]
pub unsafe fn i64_const<E: Encoding>(r: &mut Regs, _: &mut Ctx, value: i64) -> Step {
    push(r, value.into_cell());
    Ok(())
}

#[inline(always)]
pub unsafe fn f32_const<E: Encoding>(r: &mut Regs, _: &mut Ctx, bits: u32) -> Step {
    push(r, bits.into_cell());
    Ok(())
}

#[inline(always)]
pub unsafe fn f64_const<E: Encoding>(r: &mut Regs, _: &mut Ctx, bits: u64) -> Step {
    push(r, bits);
    Ok(())
}

// ---- memory -----------------------------------------------------------------------------

#[inline(always)]
pub unsafe fn memory_size<E: Encoding>(r: &mut Regs, _: &mut Ctx) -> Step {
    push(
        r,
        ((r.mem_len / crate::store::PAGE_SIZE) as u32).into_cell(),
    );
    Ok(())
}

#[inline(always)]
pub unsafe fn memory_grow<E: Encoding>(r: &mut Regs, c: &mut Ctx) -> Step {
    let delta = pop(r) as u32;
    let old = grow_memory_out_of_line(c, delta);
    reload_memory(r, c);
    push(r, grown_or_trap(old)?.into_cell());
    Ok(())
}

/// The growth itself, out of line: the limiter's result (`Result<Option<u64>, _>`) lives
/// in this frame, not the handler's. A local whose address escapes into a call (the
/// result slot) stops LLVM from turning the handler's dispatch into a jump, which the
/// sibling-call proof caught in the test profile. Returns the old size, -1 if refused,
/// or `GROW_TRAPPED` with the limiter's error stored in `c.host_error`.
///
/// # Safety
/// As for every handler: `c` is the running call's context (store and host data live).
#[inline(never)]
unsafe fn grow_memory_out_of_line(c: &mut Ctx, delta: u32) -> i64 {
    let store = c.store();
    let m = store.instances[c.inst as usize].memories[0] as usize;
    let grown = store.grow_memory(&mut *c.data, m, u64::from(delta));
    grown_code(c, grown)
}

/// As `grow_memory_out_of_line`, for a table.
///
/// # Safety
/// As for `grow_memory_out_of_line`.
#[inline(never)]
unsafe fn grow_table_out_of_line(c: &mut Ctx, t: usize, n: u32, init: Cell) -> i64 {
    let grown = c.store().grow_table(&mut *c.data, t, u64::from(n), init);
    grown_code(c, grown)
}

/// Marks a limiter error in a grow result (no valid size is negative below -1).
const GROW_TRAPPED: i64 = -2;

fn grown_code(c: &mut Ctx, grown: Result<Option<u64>, crate::store::HostError>) -> i64 {
    match grown {
        Ok(old) => old.map_or(-1, |o| o as i64),
        Err(e) => {
            c.host_error = Some(super::HostFailure::Error(e));
            GROW_TRAPPED
        }
    }
}

/// A `grow` result as Wasm sees it: the old size, -1 if refused; a limiter's error traps.
#[inline(always)]
fn grown_or_trap(code: i64) -> Result<i32, Stop> {
    if code == GROW_TRAPPED {
        return Err(Stop::Trap(TrapCode::HostError));
    }
    Ok(code as i32)
}

/// Checks that `[start, start + len)` lies within `size`.
#[inline(always)]
fn in_bounds(start: u32, len: u32, size: usize) -> bool {
    u64::from(start) + u64::from(len) <= size as u64
}

#[inline(always)]
pub unsafe fn memory_fill<E: Encoding>(r: &mut Regs, _: &mut Ctx) -> Step {
    let n = pop(r) as u32;
    let val = pop(r) as u8;
    let d = pop(r) as u32;
    if !in_bounds(d, n, r.mem_len) {
        return trap(TrapCode::MemoryOutOfBounds);
    }
    ptr::write_bytes(r.mem.add(d as usize), val, n as usize);
    Ok(())
}

#[inline(always)]
pub unsafe fn memory_copy<E: Encoding>(r: &mut Regs, _: &mut Ctx) -> Step {
    let n = pop(r) as u32;
    let s = pop(r) as u32;
    let d = pop(r) as u32;
    if !in_bounds(s, n, r.mem_len) || !in_bounds(d, n, r.mem_len) {
        return trap(TrapCode::MemoryOutOfBounds);
    }
    ptr::copy(r.mem.add(s as usize), r.mem.add(d as usize), n as usize);
    Ok(())
}

#[inline(always)]
pub unsafe fn memory_init<E: Encoding>(r: &mut Regs, c: &mut Ctx, data: u32) -> Step {
    let n = pop(r) as u32;
    let s = pop(r) as u32;
    let d = pop(r) as u32;
    let store = c.store();
    let seg = store.instances[c.inst as usize].datas[data as usize]
        .as_deref()
        .unwrap_or(&[]);
    if !in_bounds(s, n, seg.len()) || !in_bounds(d, n, r.mem_len) {
        return trap(TrapCode::MemoryOutOfBounds);
    }
    ptr::copy_nonoverlapping(
        seg.as_ptr().add(s as usize),
        r.mem.add(d as usize),
        n as usize,
    );
    Ok(())
}

#[inline(always)]
pub unsafe fn data_drop<E: Encoding>(_: &mut Regs, c: &mut Ctx, data: u32) -> Step {
    let inst = c.inst as usize;
    c.store().instances[inst].datas[data as usize] = None;
    Ok(())
}

// ---- tables and references --------------------------------------------------------------

#[inline(always)]
unsafe fn table_index(c: &mut Ctx, table: u32) -> usize {
    c.store().instances[c.inst as usize].tables[table as usize] as usize
}

#[inline(always)]
pub unsafe fn table_get<E: Encoding>(r: &mut Regs, c: &mut Ctx, table: u32) -> Step {
    let t = table_index(c, table);
    let i = *top(r) as u32 as usize;
    match c.store().tables[t].elems.get(i) {
        Some(&v) => {
            *top(r) = v;
            Ok(())
        }
        None => trap(TrapCode::TableOutOfBounds),
    }
}

#[inline(always)]
pub unsafe fn table_set<E: Encoding>(r: &mut Regs, c: &mut Ctx, table: u32) -> Step {
    let v = pop(r);
    let i = pop(r) as u32 as usize;
    let t = table_index(c, table);
    match c.store().tables[t].elems.get_mut(i) {
        Some(slot) => {
            *slot = v;
            Ok(())
        }
        None => trap(TrapCode::TableOutOfBounds),
    }
}

#[inline(always)]
pub unsafe fn table_size<E: Encoding>(r: &mut Regs, c: &mut Ctx, table: u32) -> Step {
    let t = table_index(c, table);
    let n = c.store().tables[t].elems.len() as u32;
    push(r, n.into_cell());
    Ok(())
}

#[inline(always)]
pub unsafe fn table_grow<E: Encoding>(r: &mut Regs, c: &mut Ctx, table: u32) -> Step {
    let n = pop(r) as u32;
    let init = pop(r);
    let t = table_index(c, table);
    let old = grown_or_trap(grow_table_out_of_line(c, t, n, init))?;
    push(r, old.into_cell());
    Ok(())
}

#[inline(always)]
pub unsafe fn table_fill<E: Encoding>(r: &mut Regs, c: &mut Ctx, table: u32) -> Step {
    let n = pop(r) as u32;
    let v = pop(r);
    let d = pop(r) as u32;
    let t = table_index(c, table);
    let elems = &mut c.store().tables[t].elems;
    if !in_bounds(d, n, elems.len()) {
        return trap(TrapCode::TableOutOfBounds);
    }
    elems[d as usize..(d + n) as usize].fill(v);
    Ok(())
}

#[inline(always)]
pub unsafe fn table_copy<E: Encoding>(r: &mut Regs, c: &mut Ctx, dst: u32, src: u32) -> Step {
    let n = pop(r) as u32;
    let s = pop(r) as u32;
    let d = pop(r) as u32;
    let (td, ts) = (table_index(c, dst), table_index(c, src));
    let tables = &mut c.store().tables;
    if !in_bounds(s, n, tables[ts].elems.len()) || !in_bounds(d, n, tables[td].elems.len()) {
        return trap(TrapCode::TableOutOfBounds);
    }
    let (s, d, n) = (s as usize, d as usize, n as usize);
    if td == ts {
        tables[td].elems.copy_within(s..s + n, d);
    } else {
        // Two distinct tables: borrow both at once, without a temporary copy.
        let (to, from) = if td < ts {
            let (lo, hi) = tables.split_at_mut(ts);
            (&mut lo[td], &hi[0])
        } else {
            let (lo, hi) = tables.split_at_mut(td);
            (&mut hi[0], &lo[ts])
        };
        to.elems[d..d + n].copy_from_slice(&from.elems[s..s + n]);
    }
    Ok(())
}

#[inline(always)]
pub unsafe fn table_init<E: Encoding>(r: &mut Regs, c: &mut Ctx, table: u32, elem: u32) -> Step {
    let n = pop(r) as u32;
    let s = pop(r) as u32;
    let d = pop(r) as u32;
    let t = table_index(c, table);
    let inst = c.inst as usize;
    let store = c.store();
    let seg = &store.instances[inst].elems[elem as usize];
    let elems = &mut store.tables[t].elems;
    if !in_bounds(s, n, seg.len()) || !in_bounds(d, n, elems.len()) {
        return trap(TrapCode::TableOutOfBounds);
    }
    let (s, d, n) = (s as usize, d as usize, n as usize);
    elems[d..d + n].copy_from_slice(&seg[s..s + n]);
    Ok(())
}

#[inline(always)]
pub unsafe fn elem_drop<E: Encoding>(_: &mut Regs, c: &mut Ctx, elem: u32) -> Step {
    let inst = c.inst as usize;
    c.store().instances[inst].elems[elem as usize] = Box::new([]);
    Ok(())
}

#[inline(always)]
pub unsafe fn ref_null<E: Encoding>(r: &mut Regs, _: &mut Ctx) -> Step {
    push(r, NULL_REF);
    Ok(())
}

#[inline(always)]
pub unsafe fn ref_is_null<E: Encoding>(r: &mut Regs, _: &mut Ctx) -> Step {
    let t = top(r);
    *t = Cell::from(*t == NULL_REF);
    Ok(())
}

#[inline(always)]
pub unsafe fn ref_func<E: Encoding>(r: &mut Regs, c: &mut Ctx, func: u32) -> Step {
    let f = c.store().instances[c.inst as usize].funcs[func as usize];
    push(r, Cell::from(f) + 1);
    Ok(())
}
