//! Wasm values as the embedder sees them, and host references.

use crate::func::Func;
use crate::store::{AsContext, AsContextMut};
use std::any::Any;
use weft_dispatch::cell::{Cell, NULL_REF};
use weft_ir::ValType;

/// An opaque host reference, the value of a non-null `externref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternRef(pub(crate) u32);

impl ExternRef {
    /// Wraps `value` in a reference owned by the store.
    pub fn new(mut store: impl AsContextMut, value: impl Any + Send + Sync) -> ExternRef {
        let inner = store.inner_mut();
        inner.externs.push(Box::new(value));
        ExternRef((inner.externs.len() - 1) as u32)
    }

    /// The wrapped value.
    pub fn data<'a, S: AsContext + 'a>(&self, store: &'a S) -> &'a (dyn Any + Send + Sync) {
        &*store.inner().externs[self.0 as usize]
    }
}

/// A Wasm value. Floats are held as their bits so NaN payloads survive unchanged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Val {
    /// An i32.
    I32(i32),
    /// An i64.
    I64(i64),
    /// An f32, as bits.
    F32(u32),
    /// An f64, as bits.
    F64(u64),
    /// A function reference.
    FuncRef(Option<Func>),
    /// A host reference.
    ExternRef(Option<ExternRef>),
}

impl Val {
    /// An f32 value.
    pub fn f32(v: f32) -> Val {
        Val::F32(v.to_bits())
    }

    /// An f64 value.
    pub fn f64(v: f64) -> Val {
        Val::F64(v.to_bits())
    }

    /// Its type.
    pub fn ty(&self) -> ValType {
        match self {
            Val::I32(_) => ValType::I32,
            Val::I64(_) => ValType::I64,
            Val::F32(_) => ValType::F32,
            Val::F64(_) => ValType::F64,
            Val::FuncRef(_) => ValType::FuncRef,
            Val::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The zero (or null) value of `ty`.
    pub fn default_for(ty: ValType) -> Val {
        Val::from_cell(0, ty)
    }

    /// The i32, if it is one.
    pub fn i32(&self) -> Option<i32> {
        if let Val::I32(v) = self {
            Some(*v)
        } else {
            None
        }
    }

    /// The i64, if it is one.
    pub fn i64(&self) -> Option<i64> {
        if let Val::I64(v) = self {
            Some(*v)
        } else {
            None
        }
    }

    /// The f32, if it is one.
    pub fn as_f32(&self) -> Option<f32> {
        if let Val::F32(v) = self {
            Some(f32::from_bits(*v))
        } else {
            None
        }
    }

    /// The f64, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        if let Val::F64(v) = self {
            Some(f64::from_bits(*v))
        } else {
            None
        }
    }

    pub(crate) fn to_cell(self) -> Cell {
        match self {
            Val::I32(v) => v as u32 as Cell,
            Val::I64(v) => v as Cell,
            Val::F32(b) => b as Cell,
            Val::F64(b) => b,
            Val::FuncRef(f) => f.map_or(NULL_REF, |f| Cell::from(f.0) + 1),
            Val::ExternRef(e) => e.map_or(NULL_REF, |e| Cell::from(e.0) + 1),
        }
    }

    pub(crate) fn from_cell(c: Cell, ty: ValType) -> Val {
        match ty {
            ValType::I32 => Val::I32(c as u32 as i32),
            ValType::I64 => Val::I64(c as i64),
            ValType::F32 => Val::F32(c as u32),
            ValType::F64 => Val::F64(c),
            ValType::FuncRef => Val::FuncRef((c != NULL_REF).then(|| Func((c - 1) as u32))),
            ValType::ExternRef => {
                Val::ExternRef((c != NULL_REF).then(|| ExternRef((c - 1) as u32)))
            }
        }
    }
}

impl core::fmt::Display for Val {
    /// Wasm text style: `42`, `1.5`, `nan:0x400000`, `null`.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        fn float(
            f: &mut core::fmt::Formatter<'_>,
            v: f64,
            nan_payload: u64,
            neg: bool,
        ) -> core::fmt::Result {
            if v.is_nan() {
                write!(f, "{}nan:{nan_payload:#x}", if neg { "-" } else { "" })
            } else if v.is_infinite() {
                f.write_str(if v < 0.0 { "-inf" } else { "inf" })
            } else {
                write!(f, "{v:?}")
            }
        }
        match *self {
            Val::I32(v) => write!(f, "{v}"),
            Val::I64(v) => write!(f, "{v}"),
            Val::F32(b) => {
                let v = f32::from_bits(b);
                if v.is_nan() {
                    float(f, f64::NAN, u64::from(b & 0x7f_ffff), b >> 31 == 1)
                } else {
                    write!(f, "{v:?}")
                }
            }
            Val::F64(b) => float(f, f64::from_bits(b), b & 0xf_ffff_ffff_ffff, b >> 63 == 1),
            Val::FuncRef(None) | Val::ExternRef(None) => f.write_str("null"),
            Val::FuncRef(Some(func)) => write!(f, "funcref:{}", func.0),
            Val::ExternRef(Some(e)) => write!(f, "externref:{}", e.0),
        }
    }
}

impl From<i32> for Val {
    fn from(v: i32) -> Val {
        Val::I32(v)
    }
}
impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::I64(v)
    }
}
impl From<f32> for Val {
    fn from(v: f32) -> Val {
        Val::f32(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Val {
        Val::f64(v)
    }
}
