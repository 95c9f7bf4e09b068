//! Linkers: resolve a module's imports by name and instantiate it.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::func::{host_dynamic, Func, HostDef, IntoFunc};
use crate::handle::Stored;
use crate::instance::{Extern, Instance};
use crate::module::Module;
use crate::store::{AsContext, AsContextMut, Caller};
use crate::values::Val;
use std::collections::HashMap;
use weft_ir::FuncType;

#[derive(Clone)]
enum Definition {
    Extern(Extern),
    Host(HostDef),
}

/// Names for imports: host functions (store-independent) and entities of a store.
pub struct Linker<T> {
    defs: HashMap<(String, String), Definition>,
    _marker: core::marker::PhantomData<fn(T)>,
}

impl<T: 'static> Default for Linker<T> {
    fn default() -> Self {
        Linker {
            defs: HashMap::new(),
            _marker: core::marker::PhantomData,
        }
    }
}

impl<T: 'static> Linker<T> {
    /// An empty linker.
    pub fn new(_engine: &Engine) -> Self {
        Self::default()
    }

    fn insert(&mut self, module: &str, name: &str, def: Definition) -> Result<&mut Self> {
        let key = (module.to_string(), name.to_string());
        if self.defs.contains_key(&key) {
            return Err(Error::Link(format!("`{module}::{name}` is defined twice")));
        }
        self.defs.insert(key, def);
        Ok(self)
    }

    /// Defines `module::name` as a host function made from a closure (see [`Func::wrap`]).
    pub fn func_wrap<Params, Results>(
        &mut self,
        module: &str,
        name: &str,
        f: impl IntoFunc<T, Params, Results>,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::Host(f.into_host()))
    }

    /// Defines `module::name` as a host function with a dynamic signature.
    pub fn func_new(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<()> + Send + Sync + 'static,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::Host(host_dynamic(ty, f)))
    }

    /// Defines `module::name` as an entity of a store.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        item: impl Into<Extern>,
    ) -> Result<&mut Self> {
        self.insert(module, name, Definition::Extern(item.into()))
    }

    /// Defines every export of `instance` under `module` (like the spec suite's `register`).
    pub fn instance(
        &mut self,
        store: impl AsContext,
        module: &str,
        instance: Instance,
    ) -> Result<&mut Self> {
        for (name, ext) in instance.exports(&store)? {
            self.define(module, &name, ext)?;
        }
        Ok(self)
    }

    /// The entity defined as `module::name`, placing a host function in `store` if needed.
    pub fn get(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &str,
        name: &str,
    ) -> Option<Extern> {
        match self.defs.get(&(module.to_string(), name.to_string()))? {
            Definition::Extern(e) => Some(*e),
            Definition::Host(h) => Some(Extern::Func(Func::add(store.inner_mut(), h.clone()))),
        }
    }

    /// Resolves `module`'s imports and instantiates it, running its start function.
    ///
    /// ```
    /// use weft::{Engine, Linker, Module, Store};
    /// let engine = Engine::default();
    /// let module = Module::new(&engine, r#"(module
    ///     (import "host" "twice" (func $twice (param i32) (result i32)))
    ///     (func (export "run") (result i32) (call $twice (i32.const 21))))"#)?;
    /// let mut linker = Linker::new(&engine);
    /// linker.func_wrap("host", "twice", |x: i32| x * 2)?;
    /// let mut store = Store::new(&engine, ());
    /// let instance = linker.instantiate(&mut store, &module)?;
    /// let run = instance.get_typed_func::<(), i32>(&store, "run")?;
    /// assert_eq!(run.call(&mut store, ())?, 42);
    /// # Ok::<(), weft::Error>(())
    /// ```
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        module: &Module,
    ) -> Result<Instance> {
        let inner = store.inner();
        if !weft_dispatch::exec::budget::METERED && (inner.consume_fuel || inner.epoch.is_some()) {
            return Err(Error::usage(
                "this build of weft has no fuel or epoch metering (feature `unmetered`): turn \
                 consume_fuel and epoch_interruption off, or build without that feature",
            ));
        }
        if store.inner().engine_tag != module.engine().tag() {
            return Err(Error::usage(
                "the module was compiled by another engine than the store's: compile it with \
                 the store's engine",
            ));
        }
        let mut imports = Vec::new();
        for import in module.imports() {
            let ext = self
                .get(&mut store, &import.module, &import.name)
                .ok_or_else(|| {
                    Error::Link(format!(
                        "unknown import `{}::{}`",
                        import.module, import.name
                    ))
                })?;
            imports.push(ext.idx(store.inner()).map_err(|e| {
                Error::Link(format!("import `{}::{}`: {e}", import.module, import.name))
            })?);
        }
        let (inner, data) = store.parts();
        let index = weft_dispatch::instantiate::instantiate(inner, data, &module.inner, &imports)?;
        Ok(Instance(Stored::new(inner.id, index)))
    }
}
