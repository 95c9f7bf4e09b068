//! Tables of references.

use crate::error::{Error, Result};
use crate::store::{AsContext, AsContextMut};
use crate::values::Val;
use weft_dispatch::store::{TableEntity, MAX_TABLE_ELEMS};
use weft_ir::TableType;

/// A table in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) u32);

impl Table {
    /// Creates a table of type `ty` with every element set to `init`.
    pub fn new(mut store: impl AsContextMut, ty: TableType, init: Val) -> Result<Table> {
        if init.ty() != ty.elem {
            return Err(Error::usage(format!(
                "table of {} cannot hold {}",
                ty.elem,
                init.ty()
            )));
        }
        if ty.limits.min > MAX_TABLE_ELEMS {
            return Err(Error::Resource(format!(
                "table of {} elements is too large",
                ty.limits.min
            )));
        }
        let inner = store.inner_mut();
        inner.tables.push(TableEntity {
            elems: vec![init.to_cell(); ty.limits.min as usize],
            ty,
        });
        Ok(Table((inner.tables.len() - 1) as u32))
    }

    /// Its type, with the current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> TableType {
        let t = &store.inner().tables[self.0 as usize];
        TableType {
            elem: t.ty.elem,
            limits: weft_ir::Limits {
                min: t.elems.len() as u64,
                max: t.ty.limits.max,
            },
        }
    }

    /// Number of elements.
    pub fn size(&self, store: impl AsContext) -> u64 {
        store.inner().tables[self.0 as usize].elems.len() as u64
    }

    /// Element `index`, or `None` past the end.
    pub fn get(&self, store: impl AsContext, index: u64) -> Option<Val> {
        let t = &store.inner().tables[self.0 as usize];
        let c = *t.elems.get(usize::try_from(index).ok()?)?;
        Some(Val::from_cell(c, t.ty.elem))
    }

    /// Sets element `index`.
    pub fn set(&self, mut store: impl AsContextMut, index: u64, v: Val) -> Result<()> {
        let t = &mut store.inner_mut().tables[self.0 as usize];
        if v.ty() != t.ty.elem {
            return Err(Error::usage(format!(
                "table of {} cannot hold {}",
                t.ty.elem,
                v.ty()
            )));
        }
        let slot = usize::try_from(index).ok().and_then(|i| t.elems.get_mut(i));
        *slot.ok_or_else(|| Error::usage("table index out of bounds"))? = v.to_cell();
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the old size.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64, init: Val) -> Result<u64> {
        let t = &mut store.inner_mut().tables[self.0 as usize];
        if init.ty() != t.ty.elem {
            return Err(Error::usage(format!(
                "table of {} cannot hold {}",
                t.ty.elem,
                init.ty()
            )));
        }
        t.grow(delta, init.to_cell())
            .ok_or_else(|| Error::Resource(format!("cannot grow table by {delta}")))
    }
}
