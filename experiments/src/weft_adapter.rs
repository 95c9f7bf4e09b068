//! weft itself, driven through the same [`Engine`] trait as its peers: one engine per
//! configuration (executor × IR), named `weft:<Config::name()>`, e.g.
//! `weft:threaded/register+fuse`; in a lazy compilation mode the name ends in `@<mode>`
//! (`weft:threaded/register+acc+fuse@lazy`).

use anyhow::{anyhow, bail, Result};

use crate::engine::{engine_error, Engine, Instance, Loaded};
use crate::host::{Host, CLOCK_MS_MODULE, CLOCK_MS_NAME};
use crate::value::Value;

/// The prefix of every weft engine name.
pub const PREFIX: &str = "weft:";

/// One weft configuration.
#[derive(Clone, Debug)]
pub struct Weft {
    pub config: weft::Config,
}

impl Weft {
    /// Every configuration compiled into this build, in `Config::every_compiled()` order.
    pub fn all() -> Vec<Weft> {
        weft::Config::every_compiled()
            .into_iter()
            .map(|config| Self { config })
            .collect()
    }

    /// The configuration named `config` (`threaded/register+fuse`), if compiled in.
    pub fn by_config_name(config: &str) -> Option<Weft> {
        Self::all().into_iter().find(|w| w.config.name() == config)
    }

    /// Compile `wasm` for this configuration, keeping the concrete types (for benches and
    /// the probe, which need the store).
    pub fn compile(&self, wasm: &[u8]) -> Result<WeftModule> {
        let engine = weft::Engine::new(&self.config);
        let module = weft::Module::from_binary(&engine, wasm)
            .map_err(|e| engine_error(&self.name(), "load", e))?;
        Ok(WeftModule {
            name: self.name(),
            engine,
            module,
        })
    }
}

impl Engine for Weft {
    /// `weft:<config>`, then `@<mode>` in a lazy compilation mode, then `+fuel` and
    /// `+epoch` when those checks are on (the `checks` suite).
    fn name(&self) -> String {
        let mut name = format!("{PREFIX}{}", self.config.name());
        let mode = self.config.get_compilation_mode();
        if mode != weft::CompilationMode::Eager {
            name += &format!("@{}", mode.name());
        }
        if self.config.fuel_enabled() {
            name += "+fuel";
        }
        if self.config.epoch_interruption_enabled() {
            name += "+epoch";
        }
        name
    }

    fn load(&self, wasm: &[u8]) -> Result<Box<dyn Loaded>> {
        Ok(Box::new(self.compile(wasm)?))
    }
}

pub struct WeftModule {
    name: String,
    engine: weft::Engine,
    pub module: weft::Module,
}

impl WeftModule {
    pub fn instantiate_weft(&self, host: Host) -> Result<WeftInstance> {
        let mut store = weft::Store::new(&self.engine, ());
        // Checks on, limits never reached: what is measured is the cost of checking.
        let config = self.engine.config();
        if config.fuel_enabled() {
            store
                .set_fuel(u64::MAX)
                .map_err(|e| engine_error(&self.name, "set fuel", e))?;
        }
        if config.epoch_interruption_enabled() {
            store.set_epoch_deadline(u64::MAX);
        }
        let mut linker = weft::Linker::<()>::new(&self.engine);
        linker
            .func_wrap(CLOCK_MS_MODULE, CLOCK_MS_NAME, move || host.clock_ms())
            .map_err(|e| engine_error(&self.name, "link", e))?;
        let instance = linker
            .instantiate(&mut store, &self.module)
            .map_err(|e| engine_error(&self.name, "instantiate", e))?;
        Ok(WeftInstance {
            name: self.name.clone(),
            store,
            instance,
        })
    }
}

impl Loaded for WeftModule {
    fn instantiate(&self, host: Host) -> Result<Box<dyn Instance>> {
        Ok(Box::new(self.instantiate_weft(host)?))
    }

    fn code_size(&self) -> Option<usize> {
        // In the lazy modes: the size once every function is compiled, as eager's is.
        self.module.compile_all().ok()?;
        Some(self.module.code_size())
    }
}

pub struct WeftInstance {
    name: String,
    pub store: weft::Store<()>,
    pub instance: weft::Instance,
}

impl WeftInstance {
    /// The exported function `export`, for callers that call it many times.
    pub fn func(&self, export: &str) -> Result<weft::Func> {
        self.instance
            .get_func(&self.store, export)
            .ok_or_else(|| anyhow!("{}: no exported function `{export}`", self.name))
    }

    /// Call `func` with weft's own values (no conversion): what the benches time.
    pub fn call_func(
        &mut self,
        func: weft::Func,
        args: &[weft::Val],
        results: &mut [weft::Val],
    ) -> Result<()> {
        func.call(&mut self.store, args, results)
            .map_err(|e| engine_error(&self.name, "call", e))
    }

    /// Executed IR ops since the instance was created (or the counts were last reset).
    #[cfg(feature = "stats")]
    pub fn ops_executed(&self) -> u64 {
        self.store.op_counts().iter().map(|(_, n)| n).sum()
    }
}

impl Instance for WeftInstance {
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Vec<Value>> {
        let func = self.func(export)?;
        let args: Vec<weft::Val> = args.iter().map(|&arg| to_weft(arg)).collect();
        let mut results: Vec<weft::Val> = func
            .ty(&self.store)?
            .results
            .iter()
            .map(|&ty| weft::Val::default_for(ty))
            .collect();
        self.call_func(func, &args, &mut results)?;
        results.iter().map(|r| from_weft(&self.name, r)).collect()
    }
}

pub fn to_weft(value: Value) -> weft::Val {
    match value {
        Value::I32(x) => weft::Val::I32(x),
        Value::I64(x) => weft::Val::I64(x),
        Value::F32(bits) => weft::Val::F32(bits),
        Value::F64(bits) => weft::Val::F64(bits),
    }
}

pub fn from_weft(engine: &str, value: &weft::Val) -> Result<Value> {
    Ok(match *value {
        weft::Val::I32(x) => Value::I32(x),
        weft::Val::I64(x) => Value::I64(x),
        weft::Val::F32(bits) => Value::F32(bits),
        weft::Val::F64(bits) => Value::F64(bits),
        ref other => bail!("{engine}: unsupported result {other:?}"),
    })
}
