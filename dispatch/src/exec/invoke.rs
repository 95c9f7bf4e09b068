//! Calling into the store from outside: sets up the value stack and the entry frame,
//! runs the executor the code was compiled for, and collects results.

use super::semantics::switch_instance;
use super::{budget, Ctx, HostFailure, Regs, Stop};
use crate::cell::Cell;
use crate::store::{FuncEntity, HostCaller, HostError, StoreInner};
use crate::trap::TrapCode;
use core::fmt;
use std::any::Any;
use std::sync::Arc;

/// Why a call did not return normally.
#[derive(Debug)]
pub enum ExecError {
    /// Wasm trapped.
    Trap(TrapCode),
    /// A host function failed; the error it returned.
    Host(HostError),
}

impl fmt::Display for ExecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExecError::Trap(code) => write!(f, "{code}"),
            ExecError::Host(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ExecError {}

/// Calls store function `func` with `args`, writing `results`. The caller has checked that
/// `args` and `results` match the function's signature.
pub fn invoke(
    store: &mut StoreInner,
    data: &mut (dyn Any + 'static),
    func: u32,
    args: &[Cell],
    results: &mut [Cell],
) -> Result<(), ExecError> {
    let (instance, module, index) = match &store.funcs[func as usize] {
        FuncEntity::Host { func, .. } => {
            let func = func.clone();
            let mut caller = HostCaller {
                store,
                data,
                instance: None,
            };
            return func(&mut caller, args, results).map_err(ExecError::Host);
        }
        FuncEntity::Wasm {
            instance,
            module,
            index,
            ..
        } => (*instance, Arc::as_ptr(module), *index),
    };
    // SAFETY: the store's functions are never removed (its `funcs` only grows), so the
    // `Arc` in this entry keeps the module alive for the whole call, whatever the call
    // adds to the store; and nothing hands out a `&mut` to a compiled module. A pointer
    // instead of a clone spares every call from the host two atomic read-modify-writes.
    let module = unsafe { &*module };
    if store.reentry >= store.limits.max_reentry {
        return Err(ExecError::Trap(TrapCode::StackOverflow));
    }
    let cells = store.limits.max_cells;
    let mut stack = match store.spare_stack.take() {
        Some(s) if s.len() == cells => s,
        _ => crate::value_stack::ValueStack::zeroed(cells),
    };
    // Lazy compilation modes: compile it now (an invalid body, in `lazy` mode, is an error
    // of this call).
    if let Err(e) = module.compile(index) {
        return Err(ExecError::Host(Box::new(e)));
    }
    let (cf, entry) = module.func(index).expect("compiled above");
    if cf.frame_size as usize > stack.len() || store.limits.max_frames == 0 {
        store.spare_stack = Some(stack);
        return Err(ExecError::Trap(TrapCode::StackOverflow));
    }
    stack[..args.len()].copy_from_slice(args);
    stack[args.len()..cf.num_locals as usize].fill(0);
    let base = stack.as_mut_ptr();
    store.reentry += 1;
    // Taken before `store` becomes the context's raw pointer: a `&mut` to one of its
    // fields made through `store` afterwards would invalidate that pointer (Stacked
    // Borrows; Miri reports it on the first store access through the context).
    let frames = core::mem::take(&mut store.spare_frames);
    // A call from a host function nested in another run stacks its instances above that
    // run's.
    let insts_base = store.return_insts.len();
    let mut ctx = Ctx {
        store,
        data,
        inst: instance,
        callees: core::ptr::null(),
        globals: core::ptr::null(),
        global_cells: core::ptr::null_mut(),
        frames,
        frame_base: core::ptr::null_mut(),
        frame_top: core::ptr::null_mut(),
        frame_limit: core::ptr::null_mut(),
        max_frames: 0,
        pending: super::Pending::None,
        saved: Regs::EMPTY,
        // SAFETY: one past the end of the stack allocation.
        stack_end: unsafe { base.add(cells) },
        mem_len: 0,
        mem_fast: 0,
        host_error: None,
        // Empty: the entry's charge below checks the epoch and takes the first grant.
        budget: 0,
        stop: Stop::Done,
    };
    // SAFETY: the pointer is the `&mut` this function holds; nothing else borrows the store.
    ctx.max_frames = unsafe { ctx.store().limits.max_frames };
    // The bottom frame (see `Frame`): marked, so that a return tests only the mark, and
    // the entry function's return finds the bottom behind it.
    ctx.frames.clear();
    ctx.frames.reserve(1);
    ctx.frames_at(1);
    // SAFETY: the buffer has room for one frame.
    unsafe {
        ctx.frame_base.write(super::Frame {
            ip: entry,
            fp: base.wrapping_byte_add(super::Frame::MARK),
        })
    };

    let mut regs = Regs {
        ip: entry,
        // SAFETY: the frame fits the stack (checked above).
        sp: unsafe { base.add(cf.num_locals as usize) },
        fp: base,
        mem: core::ptr::null_mut(),
        mem_len: 0,
        mem_fast: 0,
        x: 0,
        sx: 0.0,
        dx: 0.0,
    };
    // SAFETY: `instance` is the function's own instance, which exists in the store.
    unsafe { switch_instance(&mut regs, &mut ctx, instance) };
    // The entry is a call like any other: it pays a unit of fuel and checks the epoch.
    let stop = match budget::charge(&mut ctx) {
        // SAFETY: `regs` is a valid entry frame for code compiled by `module.kind`'s
        // encoding.
        Ok(()) => unsafe { module.kind.run(&mut regs, &mut ctx) },
        Err(stop) => stop,
    };
    budget::settle(&mut ctx);
    let host_error = ctx.host_error.take();
    let mut frames = core::mem::take(&mut ctx.frames);
    drop(ctx);
    frames.clear();
    store.spare_frames = frames;
    // Those of a run that trapped with marked frames left.
    store.return_insts.truncate(insts_base);
    store.reentry -= 1;
    if stop == Stop::Done {
        results.copy_from_slice(&stack[..results.len()]);
    }
    store.spare_stack = Some(stack);
    match (stop, host_error) {
        (Stop::Done, _) => Ok(()),
        (Stop::Trap(TrapCode::HostError), Some(HostFailure::Error(e))) => Err(ExecError::Host(e)),
        // The store is consistent again (re-entry depth, spare stack, fuel): let the
        // panic continue in the embedder's code.
        (Stop::Trap(TrapCode::HostError), Some(HostFailure::Panic(payload))) => {
            std::panic::resume_unwind(payload)
        }
        (Stop::Trap(code), _) => Err(ExecError::Trap(code)),
        (Stop::Slow, _) => unreachable!("executors run their slow paths themselves"),
    }
}
