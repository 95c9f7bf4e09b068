//! Instances and the entities they export.

use crate::error::{Error, Result};
use crate::func::{Func, TypedFunc, WasmParams, WasmResults};
use crate::global::Global;
use crate::memory::Memory;
use crate::store::AsContext;
use crate::table::Table;
use weft_dispatch::store::ExternIdx;

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
    pub(crate) fn from_idx(e: ExternIdx) -> Extern {
        match e {
            ExternIdx::Func(i) => Extern::Func(Func(i)),
            ExternIdx::Table(i) => Extern::Table(Table(i)),
            ExternIdx::Memory(i) => Extern::Memory(Memory(i)),
            ExternIdx::Global(i) => Extern::Global(Global(i)),
        }
    }

    pub(crate) fn idx(self) -> ExternIdx {
        match self {
            Extern::Func(f) => ExternIdx::Func(f.0),
            Extern::Table(t) => ExternIdx::Table(t.0),
            Extern::Memory(m) => ExternIdx::Memory(m.0),
            Extern::Global(g) => ExternIdx::Global(g.0),
        }
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

/// An instantiated module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Instance(pub(crate) u32);

impl Instance {
    /// The export called `name`.
    pub fn get_export(&self, store: impl AsContext, name: &str) -> Option<Extern> {
        store.inner().instances[self.0 as usize]
            .exports
            .get(name)
            .map(|&e| Extern::from_idx(e))
    }

    /// All exports, in the module's order.
    pub fn exports(&self, store: impl AsContext) -> Vec<(String, Extern)> {
        let inst = &store.inner().instances[self.0 as usize];
        inst.export_order
            .iter()
            .map(|n| (n.clone(), Extern::from_idx(inst.exports[n])))
            .collect()
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
