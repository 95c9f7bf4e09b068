//! Global variables.

use crate::error::{Error, Result};
use crate::store::{AsContext, AsContextMut};
use crate::values::Val;
use weft_dispatch::store::GlobalEntity;
use weft_ir::GlobalType;

/// A global in a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Global(pub(crate) u32);

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
            value: value.to_cell(),
            ty,
        });
        Ok(Global((inner.globals.len() - 1) as u32))
    }

    /// Its type.
    pub fn ty(&self, store: impl AsContext) -> GlobalType {
        store.inner().globals[self.0 as usize].ty
    }

    /// Its value.
    pub fn get(&self, store: impl AsContext) -> Val {
        let g = &store.inner().globals[self.0 as usize];
        Val::from_cell(g.value, g.ty.content)
    }

    /// Sets its value; it must be mutable and `value` of its type.
    pub fn set(&self, mut store: impl AsContextMut, value: Val) -> Result<()> {
        let g = &mut store.inner_mut().globals[self.0 as usize];
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
        g.value = value.to_cell();
        Ok(())
    }
}
