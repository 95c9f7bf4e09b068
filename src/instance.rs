//! Instances and the entities they export.

use crate::error::{Error, Result};
use crate::func::{Func, TypedFunc, WasmParams, WasmResults};
use crate::global::Global;
use crate::handle::Stored;
use crate::memory::Memory;
use crate::store::AsContext;
use crate::table::Table;
use weft_dispatch::store::{ExternIdx, InstanceEntity, StoreId, StoreInner};

/// An entity that can be imported or exported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Extern {
    /// A function.
    Func(Func),
    /// A table.
    Table(Table),
    /// A memory.
    Memory(Memory),
    /// A global.
    Global(Global),
}

impl Extern {
    /// The handle for entity `e` of `store`.
    pub(crate) fn from_idx(e: ExternIdx, store: StoreId) -> Extern {
        match e {
            ExternIdx::Func(i) => Extern::Func(Func(Stored::new(store, i))),
            ExternIdx::Table(i) => Extern::Table(Table(Stored::new(store, i))),
            ExternIdx::Memory(i) => Extern::Memory(Memory(Stored::new(store, i))),
            ExternIdx::Global(i) => Extern::Global(Global(Stored::new(store, i))),
        }
    }

    /// Its entity in `store`, or an error if it is another store's.
    pub(crate) fn idx(self, store: &StoreInner) -> Result<ExternIdx> {
        let index = |h: Stored, what| h.index_in(store, what).map(|i| i as u32);
        Ok(match self {
            Extern::Func(f) => ExternIdx::Func(index(f.0, "function")?),
            Extern::Table(t) => ExternIdx::Table(index(t.0, "table")?),
            Extern::Memory(m) => ExternIdx::Memory(index(m.0, "memory")?),
            Extern::Global(g) => ExternIdx::Global(index(g.0, "global")?),
        })
    }

    /// The function, if it is one.
    pub fn into_func(self) -> Option<Func> {
        if let Extern::Func(f) = self {
            Some(f)
        } else {
            None
        }
    }

    /// The memory, if it is one.
    pub fn into_memory(self) -> Option<Memory> {
        if let Extern::Memory(m) = self {
            Some(m)
        } else {
            None
        }
    }

    /// The table, if it is one.
    pub fn into_table(self) -> Option<Table> {
        if let Extern::Table(t) = self {
            Some(t)
        } else {
            None
        }
    }

    /// The global, if it is one.
    pub fn into_global(self) -> Option<Global> {
        if let Extern::Global(g) = self {
            Some(g)
        } else {
            None
        }
    }
}

impl From<Func> for Extern {
    fn from(f: Func) -> Self {
        Extern::Func(f)
    }
}
impl From<Memory> for Extern {
    fn from(m: Memory) -> Self {
        Extern::Memory(m)
    }
}
impl From<Table> for Extern {
    fn from(t: Table) -> Self {
        Extern::Table(t)
    }
}
impl From<Global> for Extern {
    fn from(g: Global) -> Self {
        Extern::Global(g)
    }
}

/// An instantiated module. It records its store: used with another store, every method
/// returns an error (or `None`, for the lookups by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) Stored);

impl Instance {
    /// Its entity in `store`, or an error if it is another store's.
    fn entity<'a>(&self, store: &'a StoreInner) -> Result<&'a InstanceEntity> {
        Ok(&store.instances[self.0.index_in(store, "instance")?])
    }

    /// The export called `name` (`None` if there is none or the instance is another
    /// store's).
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        let inner = store.inner();
        let e = *self.entity(inner).ok()?.exports.get(name)?;
        Some(Extern::from_idx(e, inner.id))
    }

    /// All exports, in the module's order.
    pub fn exports(&self, store: impl AsContext) -> Result<Vec<(String, Extern)>> {
        let inner = store.inner();
        let inst = self.entity(inner)?;
        Ok(inst
            .export_order
            .iter()
            .map(|n| (n.clone(), Extern::from_idx(inst.exports[n], inner.id)))
            .collect())
    }

    /// The exported function `name`.
    pub fn get_func(&self, store: impl AsContext, name: &str) -> Option<Func> {
        self.get_export(store, name)?.into_func()
    }

    /// The exported function `name`, typed; fails if it is missing or has another type.
    pub fn get_typed_func<Params: WasmParams, Results: WasmResults>(
        &self,
        store: impl AsContext,
        name: &str,
    ) -> Result<TypedFunc<Params, Results>> {
        self.entity(store.inner())?;
        let f = self
            .get_func(&store, name)
            .ok_or_else(|| Error::usage(format!("no exported function named `{name}`")))?;
        f.typed(&store)
    }

    /// The exported memory `name`.
    pub fn get_memory(&self, store: impl AsContext, name: &str) -> Option<Memory> {
        self.get_export(store, name)?.into_memory()
    }

    /// The exported table `name`.
    pub fn get_table(&self, store: impl AsContext, name: &str) -> Option<Table> {
        self.get_export(store, name)?.into_table()
    }

    /// The exported global `name`.
    pub fn get_global(&self, store: impl AsContext, name: &str) -> Option<Global> {
        self.get_export(store, name)?.into_global()
    }
}
