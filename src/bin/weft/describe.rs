//! Human-readable descriptions of import and export types.

use weft::{ExternType, Limits};

/// `func [i32] -> [i64]`, `memory 1..16 pages`, `table funcref 2 elements`, `global (mut i32)`.
pub fn extern_type(ty: &ExternType) -> String {
    match ty {
        ExternType::Func(f) => format!("func {f}"),
        ExternType::Memory(m) => format!("memory {} pages", limits(&m.limits)),
        ExternType::Table(t) => format!("table {} {} elements", t.elem, limits(&t.limits)),
        ExternType::Global(g) if g.mutable => format!("global (mut {})", g.content),
        ExternType::Global(g) => format!("global {}", g.content),
    }
}

/// The kind alone: `function`, `memory`, `table`, `global`.
pub fn kind(ty: &ExternType) -> &'static str {
    match ty {
        ExternType::Func(_) => "function",
        ExternType::Memory(_) => "memory",
        ExternType::Table(_) => "table",
        ExternType::Global(_) => "global",
    }
}

fn limits(l: &Limits) -> String {
    match l.max {
        Some(max) => format!("{}..{max}", l.min),
        None => format!("{}..", l.min),
    }
}
