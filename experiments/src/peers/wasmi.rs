//! wasmi 2.x: register IR with accumulators, the design closest to weft's.

use anyhow::{anyhow, bail, Result};

use crate::engine::{engine_error, Engine, Instance, Loaded};
use crate::host::{Host, CLOCK_MS_MODULE, CLOCK_MS_NAME};
use crate::value::Value;

/// wasmi by default validates eagerly but translates each function on its first call;
/// `eager` translates everything at load time, which is what weft does.
#[derive(Clone, Copy, Debug, Default)]
pub struct Wasmi {
    pub eager: bool,
}

impl Engine for Wasmi {
    fn name(&self) -> String {
        if self.eager {
            "wasmi/eager"
        } else {
            "wasmi/lazy"
        }
        .to_owned()
    }

    fn load(&self, wasm: &[u8]) -> Result<Box<dyn Loaded>> {
        let mut config = ::wasmi::Config::default();
        if self.eager {
            config.compilation_mode(::wasmi::CompilationMode::Eager);
        }
        let engine = ::wasmi::Engine::new(&config);
        let module =
            ::wasmi::Module::new(&engine, wasm).map_err(|e| engine_error("wasmi", "load", e))?;
        Ok(Box::new(WasmiModule { engine, module }))
    }
}

struct WasmiModule {
    engine: ::wasmi::Engine,
    module: ::wasmi::Module,
}

impl Loaded for WasmiModule {
    fn instantiate(&self, host: Host) -> Result<Box<dyn Instance>> {
        let mut store = ::wasmi::Store::new(&self.engine, ());
        let mut linker = ::wasmi::Linker::<()>::new(&self.engine);
        linker
            .func_wrap(CLOCK_MS_MODULE, CLOCK_MS_NAME, move || host.clock_ms())
            .map_err(|e| engine_error("wasmi", "link", e))?;
        let instance = linker
            .instantiate_and_start(&mut store, &self.module)
            .map_err(|e| engine_error("wasmi", "instantiate", e))?;
        Ok(Box::new(WasmiInstance { store, instance }))
    }
}

struct WasmiInstance {
    store: ::wasmi::Store<()>,
    instance: ::wasmi::Instance,
}

impl Instance for WasmiInstance {
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Vec<Value>> {
        let func = self
            .instance
            .get_func(&self.store, export)
            .ok_or_else(|| anyhow!("wasmi: no exported function `{export}`"))?;
        let args: Vec<::wasmi::Val> = args.iter().map(|&arg| to_wasmi(arg)).collect();
        let mut results: Vec<::wasmi::Val> = func
            .ty(&self.store)
            .results()
            .iter()
            .map(|&ty| ::wasmi::Val::default_for_ty(ty))
            .collect();
        func.call(&mut self.store, &args, &mut results)
            .map_err(|e| engine_error("wasmi", export, e))?;
        results.iter().map(from_wasmi).collect()
    }
}

fn to_wasmi(value: Value) -> ::wasmi::Val {
    match value {
        Value::I32(x) => ::wasmi::Val::I32(x),
        Value::I64(x) => ::wasmi::Val::I64(x),
        Value::F32(bits) => ::wasmi::Val::F32(::wasmi::F32::from_bits(bits)),
        Value::F64(bits) => ::wasmi::Val::F64(::wasmi::F64::from_bits(bits)),
    }
}

fn from_wasmi(value: &::wasmi::Val) -> Result<Value> {
    Ok(match *value {
        ::wasmi::Val::I32(x) => Value::I32(x),
        ::wasmi::Val::I64(x) => Value::I64(x),
        ::wasmi::Val::F32(x) => Value::F32(x.to_bits()),
        ::wasmi::Val::F64(x) => Value::F64(x.to_bits()),
        ref other => bail!("wasmi: unsupported result {other:?}"),
    })
}
