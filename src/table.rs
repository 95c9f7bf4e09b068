//! Tables of references.

use crate::error::{Error, Result};
use crate::handle::Stored;
use crate::store::{AsContext, AsContextMut};
use crate::values::Val;
use weft_dispatch::store::{StoreInner, TableEntity, MAX_TABLE_ELEMS};
use weft_ir::TableType;

/// A table in a store. It records its store: used with another store, every method
/// returns an error (or `None`, for [`Table::get`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table(pub(crate) Stored);

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
        let inner = store.inner_mut();
        let table = TableEntity::new(ty, init.to_cell(inner.id)?).ok_or_else(|| {
            Error::Resource(format!(
                "table of {} elements is too large (at most {MAX_TABLE_ELEMS}, and it must be \
                 allocatable)",
                ty.limits.min
            ))
        })?;
        inner.tables.push(table);
        Ok(Table(Stored::last(inner, inner.tables.len())))
    }

    /// Its entity in `store`, or an error if it is another store's.
    fn entity<'a>(&self, store: &'a StoreInner) -> Result<&'a TableEntity> {
        Ok(&store.tables[self.0.index_in(store, "table")?])
    }

    /// Its type, with the current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> Result<TableType> {
        let t = self.entity(store.inner())?;
        Ok(TableType {
            elem: t.ty.elem,
            limits: weft_ir::Limits {
                min: t.elems.len() as u64,
                max: t.ty.limits.max,
            },
        })
    }

    /// Number of elements.
    pub fn size(&self, store: impl AsContext) -> Result<u64> {
        Ok(self.entity(store.inner())?.elems.len() as u64)
    }

    /// Element `index`, or `None` past the end or if the table is another store's.
    pub fn get(&self, store: impl AsContext, index: u64) -> Option<Val> {
        let inner = store.inner();
        let t = self.entity(inner).ok()?;
        let c = *t.elems.get(usize::try_from(index).ok()?)?;
        Some(Val::from_cell(c, t.ty.elem, inner.id))
    }

    /// Sets element `index`.
    pub fn set(&self, mut store: impl AsContextMut, index: u64, v: Val) -> Result<()> {
        let inner = store.inner_mut();
        let cell = v.to_cell(inner.id)?;
        let index_in_store = self.0.index_in(inner, "table")?;
        let t = &mut inner.tables[index_in_store];
        if v.ty() != t.ty.elem {
            return Err(Error::usage(format!(
                "table of {} cannot hold {}",
                t.ty.elem,
                v.ty()
            )));
        }
        let slot = usize::try_from(index).ok().and_then(|i| t.elems.get_mut(i));
        *slot.ok_or_else(|| Error::usage("table index out of bounds"))? = cell;
        Ok(())
    }

    /// Grows by `delta` elements set to `init`; returns the old size.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64, init: Val) -> Result<u64> {
        let (inner, data) = store.parts();
        let cell = init.to_cell(inner.id)?;
        let index = self.0.index_in(inner, "table")?;
        let elem = inner.tables[index].ty.elem;
        if init.ty() != elem {
            return Err(Error::usage(format!(
                "table of {elem} cannot hold {}",
                init.ty()
            )));
        }
        inner
            .grow_table(data, index, delta, cell)
            .map_err(Error::Host)?
            .ok_or_else(|| Error::Resource(format!("cannot grow table by {delta}")))
    }
}
