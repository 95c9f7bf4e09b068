//! Global variables.

use crate::error::{Error, Result};
use crate::handle::Stored;
use crate::store::{AsContext, AsContextMut};
use crate::values::Val;
use weft_dispatch::store::GlobalEntity;
use weft_ir::GlobalType;

/// A global in a store. It records its store: used with another store, every method
/// returns an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) Stored);

impl Global {
    /// Creates a global of type `ty` holding `value`.
    pub fn new(mut store: impl AsContextMut, ty: GlobalType, value: Val) -> Result<Global> {
        if value.ty() != ty.content {
            return Err(Error::usage(format!(
                "global of {} cannot hold {}",
                ty.content,
                value.ty()
            )));
        }
        let inner = store.inner_mut();
        inner.globals.push(GlobalEntity {
            value: value.to_cell(inner.id)?,
            ty,
        });
        Ok(Global(Stored::last(inner, inner.globals.len())))
    }

    /// Its type.
    pub fn ty(&self, store: impl AsContext) -> Result<GlobalType> {
        let inner = store.inner();
        Ok(inner.globals[self.0.index_in(inner, "global")?].ty)
    }

    /// Its value.
    pub fn get(&self, store: impl AsContext) -> Result<Val> {
        let inner = store.inner();
        let g = &inner.globals[self.0.index_in(inner, "global")?];
        Ok(Val::from_cell(g.value, g.ty.content, inner.id))
    }

    /// Sets its value; it must be mutable and `value` of its type.
    pub fn set(&self, mut store: impl AsContextMut, value: Val) -> Result<()> {
        let inner = store.inner_mut();
        let id = inner.id;
        let index = self.0.index_in(inner, "global")?;
        let g = &mut inner.globals[index];
        if !g.ty.mutable {
            return Err(Error::usage("global is immutable"));
        }
        if value.ty() != g.ty.content {
            return Err(Error::usage(format!(
                "global of {} cannot hold {}",
                g.ty.content,
                value.ty()
            )));
        }
        g.value = value.to_cell(id)?;
        Ok(())
    }
}
