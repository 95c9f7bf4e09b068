//! Wasm values as the embedder sees them, and host references.

use crate::error::Result;
use crate::func::Func;
use crate::handle::Stored;
use crate::store::{AsContext, AsContextMut};
use std::any::Any;
use weft_dispatch::cell::{Cell, NULL_REF};
use weft_dispatch::store::StoreId;
use weft_ir::ValType;

/// An opaque host reference, the value of a non-null `externref`, owned by a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExternRef(pub(crate) Stored);

impl ExternRef {
    /// Wraps `value` in a reference owned by the store.
    pub fn new(mut store: impl AsContextMut, value: impl Any + Send + Sync) -> ExternRef {
        let inner = store.inner_mut();
        inner.externs.push(Box::new(value));
        ExternRef(Stored::last(inner, inner.externs.len()))
    }

    /// The wrapped value; an error if the reference is another store's.
    pub fn data<'a, S: AsContext + 'a>(&self, store: &'a S) -> Result<&'a (dyn Any + Send + Sync)> {
        let inner = store.inner();
        Ok(&*inner.externs[self.0.index_in(inner, "externref")?])
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
        match ty {
            ValType::I32 => Val::I32(0),
            ValType::I64 => Val::I64(0),
            ValType::F32 => Val::F32(0),
            ValType::F64 => Val::F64(0),
            ValType::FuncRef => Val::FuncRef(None),
            ValType::ExternRef => Val::ExternRef(None),
        }
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

    /// The function reference (`Some(None)` for null), if it is one.
    pub fn func_ref(&self) -> Option<Option<Func>> {
        if let Val::FuncRef(f) = self {
            Some(*f)
        } else {
            None
        }
    }

    /// The host reference (`Some(None)` for null), if it is one.
    pub fn extern_ref(&self) -> Option<Option<ExternRef>> {
        if let Val::ExternRef(e) = self {
            Some(*e)
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

    /// The value as a cell of `store`: a reference is its entity's index there (plus one;
    /// null is `NULL_REF`), so a reference to another store's entity is an error.
    pub(crate) fn to_cell(self, store: StoreId) -> Result<Cell> {
        let reference = |handle: Option<Stored>, what: &str| match handle {
            None => Ok(NULL_REF),
            Some(h) => h
                .get(store)
                .map(|i| Cell::from(i) + 1)
                .ok_or_else(|| crate::handle::wrong_store(what)),
        };
        Ok(match self {
            Val::I32(v) => v as u32 as Cell,
            Val::I64(v) => v as Cell,
            Val::F32(b) => b as Cell,
            Val::F64(b) => b,
            Val::FuncRef(f) => reference(f.map(|f| f.0), "funcref")?,
            Val::ExternRef(e) => reference(e.map(|e| e.0), "externref")?,
        })
    }

    /// A cell of `store` as a value of type `ty`.
    pub(crate) fn from_cell(c: Cell, ty: ValType, store: StoreId) -> Val {
        let handle = || Stored::new(store, (c - 1) as u32);
        match ty {
            ValType::I32 => Val::I32(c as u32 as i32),
            ValType::I64 => Val::I64(c as i64),
            ValType::F32 => Val::F32(c as u32),
            ValType::F64 => Val::F64(c),
            ValType::FuncRef => Val::FuncRef((c != NULL_REF).then(|| Func(handle()))),
            ValType::ExternRef => Val::ExternRef((c != NULL_REF).then(|| ExternRef(handle()))),
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
            Val::FuncRef(Some(func)) => write!(f, "funcref:{}", func.0.raw()),
            Val::ExternRef(Some(e)) => write!(f, "externref:{}", e.0.raw()),
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
