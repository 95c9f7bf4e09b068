//! wasmtime: Cranelift (an optimising JIT, the upper bound) or Pulley, wasmtime's portable
//! interpreter, which runs Cranelift-compiled bytecode through a `match` loop.

use anyhow::{anyhow, bail, Result};

use crate::engine::{engine_error, Engine, Instance, Loaded};
use crate::host::{Host, CLOCK_MS_MODULE, CLOCK_MS_NAME};
use crate::value::Value;

#[derive(Clone, Copy, Debug, Default)]
pub struct Wasmtime {
    pub pulley: bool,
}

impl Engine for Wasmtime {
    fn name(&self) -> String {
        if self.pulley {
            "wasmtime/pulley"
        } else {
            "wasmtime/cranelift"
        }
        .to_owned()
    }

    fn load(&self, wasm: &[u8]) -> Result<Box<dyn Loaded>> {
        let mut config = ::wasmtime::Config::new();
        if self.pulley {
            let target = if cfg!(target_pointer_width = "64") {
                "pulley64"
            } else {
                "pulley32"
            };
            config
                .target(target)
                .map_err(|e| engine_error("wasmtime", "config", e))?;
        }
        let engine =
            ::wasmtime::Engine::new(&config).map_err(|e| engine_error("wasmtime", "engine", e))?;
        let module = ::wasmtime::Module::new(&engine, wasm)
            .map_err(|e| engine_error("wasmtime", "load", e))?;
        Ok(Box::new(WasmtimeModule { engine, module }))
    }
}

struct WasmtimeModule {
    engine: ::wasmtime::Engine,
    module: ::wasmtime::Module,
}

impl Loaded for WasmtimeModule {
    fn instantiate(&self, host: Host) -> Result<Box<dyn Instance>> {
        let mut store = ::wasmtime::Store::new(&self.engine, ());
        let mut linker = ::wasmtime::Linker::<()>::new(&self.engine);
        linker
            .func_wrap(CLOCK_MS_MODULE, CLOCK_MS_NAME, move || host.clock_ms())
            .map_err(|e| engine_error("wasmtime", "link", e))?;
        let instance = linker
            .instantiate(&mut store, &self.module)
            .map_err(|e| engine_error("wasmtime", "instantiate", e))?;
        Ok(Box::new(WasmtimeInstance { store, instance }))
    }
}

struct WasmtimeInstance {
    store: ::wasmtime::Store<()>,
    instance: ::wasmtime::Instance,
}

impl Instance for WasmtimeInstance {
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Vec<Value>> {
        let func = self
            .instance
            .get_func(&mut self.store, export)
            .ok_or_else(|| anyhow!("wasmtime: no exported function `{export}`"))?;
        let args: Vec<::wasmtime::Val> = args.iter().map(|&arg| to_wasmtime(arg)).collect();
        // Placeholders only: `call` overwrites every result slot.
        let mut results = vec![::wasmtime::Val::I32(0); func.ty(&self.store).results().len()];
        func.call(&mut self.store, &args, &mut results)
            .map_err(|e| engine_error("wasmtime", export, e))?;
        results.iter().map(from_wasmtime).collect()
    }
}

fn to_wasmtime(value: Value) -> ::wasmtime::Val {
    match value {
        Value::I32(x) => ::wasmtime::Val::I32(x),
        Value::I64(x) => ::wasmtime::Val::I64(x),
        Value::F32(bits) => ::wasmtime::Val::F32(bits),
        Value::F64(bits) => ::wasmtime::Val::F64(bits),
    }
}

fn from_wasmtime(value: &::wasmtime::Val) -> Result<Value> {
    Ok(match *value {
        ::wasmtime::Val::I32(x) => Value::I32(x),
        ::wasmtime::Val::I64(x) => Value::I64(x),
        ::wasmtime::Val::F32(bits) => Value::F32(bits),
        ::wasmtime::Val::F64(bits) => Value::F64(bits),
        ref other => bail!("wasmtime: unsupported result {other:?}"),
    })
}
