//! Instantiation: checks imports, allocates a module's entities in the store, runs its
//! element and data segments and its start function.

use crate::cell::{Cell, CellValue, NULL_REF};
use crate::code::CompiledModule;
use crate::exec::invoke::{invoke, ExecError};
use crate::store::*;
use crate::trap::TrapCode;
use core::fmt;
use std::any::Any;
use std::sync::Arc;
use weft_ir::{ConstOp, DataMode, ElemMode, ExportKind, ImportKind, Limits};

/// Why instantiation failed.
#[derive(Debug)]
pub enum InstantiateError {
    /// An import does not fit what the module expects.
    Link(String),
    /// A segment or the start function trapped.
    Exec(ExecError),
    /// A memory or table is larger than weft supports.
    Resource(String),
}

impl fmt::Display for InstantiateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstantiateError::Link(m) | InstantiateError::Resource(m) => f.write_str(m),
            InstantiateError::Exec(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for InstantiateError {}

/// Whether an entity with `actual` limits may stand where `expected` is declared.
pub fn limits_match(actual: Limits, expected: Limits) -> bool {
    actual.min >= expected.min
        && match expected.max {
            None => true,
            Some(e) => actual.max.is_some_and(|a| a <= e),
        }
}

/// Evaluates a constant expression against a partly built instance.
fn eval(store: &StoreInner, inst: &InstanceEntity, expr: &[ConstOp]) -> Cell {
    let mut stack: Vec<Cell> = Vec::with_capacity(4);
    for op in expr {
        let v = match *op {
            ConstOp::I32Const(v) => v.into_cell(),
            ConstOp::I64Const(v) => v.into_cell(),
            ConstOp::F32Const(b) => b.into_cell(),
            ConstOp::F64Const(b) => b,
            ConstOp::RefNull => NULL_REF,
            ConstOp::RefFunc(f) => Cell::from(inst.funcs[f as usize]) + 1,
            ConstOp::GlobalGet(g) => store.globals[inst.globals[g as usize] as usize].value,
            bin => {
                let b = stack.pop().expect("validated constant expression");
                let a = stack.pop().expect("validated constant expression");
                let (a32, b32) = (a as i32, b as i32);
                let (a64, b64) = (a as i64, b as i64);
                match bin {
                    ConstOp::I32Add => a32.wrapping_add(b32).into_cell(),
                    ConstOp::I32Sub => a32.wrapping_sub(b32).into_cell(),
                    ConstOp::I32Mul => a32.wrapping_mul(b32).into_cell(),
                    ConstOp::I64Add => a64.wrapping_add(b64).into_cell(),
                    ConstOp::I64Sub => a64.wrapping_sub(b64).into_cell(),
                    ConstOp::I64Mul => a64.wrapping_mul(b64).into_cell(),
                    _ => unreachable!("all pushes are handled above"),
                }
            }
        };
        stack.push(v);
    }
    stack.pop().expect("validated constant expression")
}

/// Instantiates `module` with `imports` (store indices, in the module's import order).
/// Returns the new instance's index. As the spec says, segments that were applied before
/// a trap stay applied.
pub fn instantiate(
    store: &mut StoreInner,
    data: &mut (dyn Any + 'static),
    module: &Arc<CompiledModule>,
    imports: &[ExternIdx],
) -> Result<u32, InstantiateError> {
    let ir = &module.ir;
    if imports.len() != ir.imports.len() {
        return Err(InstantiateError::Link(format!(
            "expected {} imports, got {}",
            ir.imports.len(),
            imports.len()
        )));
    }
    // Code of one store calls code of any other instance in it directly, so every module
    // in a store must be encoded for one executor: threaded code read by the loop-switch
    // (or the reverse) would jump to opcode bytes.
    match store.code_kind {
        Some(kind) if kind != module.kind => {
            return Err(InstantiateError::Link(format!(
                "the module is encoded for the {:?} executor, this store runs {:?} code: \
                 compile it with the store's engine",
                module.kind, kind
            )));
        }
        _ => store.code_kind = Some(module.kind),
    }
    let mut inst = InstanceEntity {
        types: ir.types.iter().map(|t| store.intern_type(t)).collect(),
        ..Default::default()
    };
    for (import, &ext) in ir.imports.iter().zip(imports) {
        let bad = || {
            InstantiateError::Link(format!(
                "incompatible import type for `{}::{}`",
                import.module, import.name
            ))
        };
        match (&import.kind, ext) {
            (ImportKind::Func(t), ExternIdx::Func(f)) => {
                if store.funcs.get(f as usize).map(|e| e.ty()) != Some(inst.types[*t as usize]) {
                    return Err(bad());
                }
                inst.funcs.push(f);
            }
            (ImportKind::Table(t), ExternIdx::Table(i)) => {
                let actual = store.tables.get(i as usize).ok_or_else(bad)?;
                let lim = Limits {
                    min: actual.elems.len() as u64,
                    max: actual.ty.limits.max,
                };
                if actual.ty.elem != t.elem || !limits_match(lim, t.limits) {
                    return Err(bad());
                }
                inst.tables.push(i);
            }
            (ImportKind::Memory(t), ExternIdx::Memory(i)) => {
                let actual = store.memories.get(i as usize).ok_or_else(bad)?;
                let lim = Limits {
                    min: actual.pages(),
                    max: actual.ty.limits.max,
                };
                if !limits_match(lim, t.limits) {
                    return Err(bad());
                }
                inst.memories.push(i);
            }
            (ImportKind::Global(t), ExternIdx::Global(i)) => {
                if store.globals.get(i as usize).map(|g| g.ty) != Some(*t) {
                    return Err(bad());
                }
                inst.globals.push(i);
            }
            _ => return Err(bad()),
        }
    }
    // Everything that can be refused is checked before the store changes, so a failed
    // instantiation leaves nothing behind.
    let refused =
        |what: &str| InstantiateError::Resource(format!("the store's limiter refused {what}"));
    let limiter_failed = |e: HostError| InstantiateError::Exec(ExecError::Host(e));
    if !store.may_create_instance(data) {
        return Err(refused("another instance"));
    }
    for mem in &ir.memories {
        if !store
            .may_create_memory(data, mem.limits.min, mem.limits.max)
            .map_err(limiter_failed)?
        {
            return Err(refused(&format!("a memory of {} pages", mem.limits.min)));
        }
    }
    for t in &ir.tables {
        let l = t.ty.limits;
        if !store
            .may_create_table(data, l.min, l.max)
            .map_err(limiter_failed)?
        {
            return Err(refused(&format!("a table of {} elements", l.min)));
        }
    }
    let mut memories = Vec::with_capacity(ir.memories.len());
    for mem in &ir.memories {
        memories.push(MemoryEntity::new(*mem).ok_or_else(|| {
            InstantiateError::Resource(format!(
                "memory of {} pages is too large or cannot be allocated",
                mem.limits.min
            ))
        })?);
    }
    let index = store.instances.len() as u32;
    for (i, body) in ir.bodies.iter().enumerate() {
        let ty = inst.types[body.ty as usize];
        store.funcs.push(FuncEntity::Wasm {
            ty,
            instance: index,
            module: module.clone(),
            index: i as u32,
        });
        inst.funcs.push((store.funcs.len() - 1) as u32);
    }
    inst.callees = inst
        .funcs
        .iter()
        .map(|&f| store.callee(f).seen_from(index))
        .collect();
    for m in memories {
        store.memories.push(m);
        inst.memories.push((store.memories.len() - 1) as u32);
    }
    for g in &ir.globals {
        let value = eval(store, &inst, &g.init);
        store.globals.push(GlobalEntity { value, ty: g.ty });
        inst.globals.push((store.globals.len() - 1) as u32);
    }
    for t in &ir.tables {
        let init = t.init.as_ref().map_or(NULL_REF, |e| eval(store, &inst, e));
        let table = TableEntity::new(t.ty, init).ok_or_else(|| {
            InstantiateError::Resource(format!(
                "table of {} elements is too large or cannot be allocated",
                t.ty.limits.min
            ))
        })?;
        store.tables.push(table);
        inst.tables.push((store.tables.len() - 1) as u32);
    }
    for e in &ir.exports {
        let idx = match e.kind {
            ExportKind::Func(i) => ExternIdx::Func(inst.funcs[i as usize]),
            ExportKind::Table(i) => ExternIdx::Table(inst.tables[i as usize]),
            ExportKind::Memory(i) => ExternIdx::Memory(inst.memories[i as usize]),
            ExportKind::Global(i) => ExternIdx::Global(inst.globals[i as usize]),
        };
        inst.exports.insert(e.name.clone(), idx);
        inst.export_order.push(e.name.clone());
    }
    for seg in &ir.elems {
        let items: Box<[Cell]> = seg.items.iter().map(|e| eval(store, &inst, e)).collect();
        inst.elems.push(items);
    }
    inst.datas = ir.datas.iter().map(|d| Some(d.bytes.clone())).collect();
    store.instances.push(inst);

    let trap = |c| InstantiateError::Exec(ExecError::Trap(c));
    for (i, seg) in ir.elems.iter().enumerate() {
        let inst = &mut store.instances[index as usize];
        match &seg.mode {
            ElemMode::Passive => continue,
            ElemMode::Declared => {}
            ElemMode::Active { table, offset } => {
                let t = inst.tables[*table as usize] as usize;
                let items = core::mem::take(&mut inst.elems[i]);
                let at = eval(store, &store.instances[index as usize], offset) as u32 as usize;
                let elems = &mut store.tables[t].elems;
                if at
                    .checked_add(items.len())
                    .is_none_or(|end| end > elems.len())
                {
                    return Err(trap(TrapCode::TableOutOfBounds));
                }
                elems[at..at + items.len()].copy_from_slice(&items);
            }
        }
        store.instances[index as usize].elems[i] = Box::new([]);
    }
    for (i, seg) in ir.datas.iter().enumerate() {
        if let DataMode::Active { memory, offset } = &seg.mode {
            let inst = &store.instances[index as usize];
            let m = inst.memories[*memory as usize] as usize;
            let at = eval(store, inst, offset) as u32 as usize;
            let mem = &mut store.memories[m].data;
            if at
                .checked_add(seg.bytes.len())
                .is_none_or(|end| end > mem.len())
            {
                return Err(trap(TrapCode::MemoryOutOfBounds));
            }
            mem[at..at + seg.bytes.len()].copy_from_slice(&seg.bytes);
            store.instances[index as usize].datas[i] = None;
        }
    }
    if let Some(start) = ir.start {
        let f = store.instances[index as usize].funcs[start as usize];
        invoke(store, data, f, &[], &mut []).map_err(InstantiateError::Exec)?;
    }
    Ok(index)
}
