//! tinywasm: a small, portable stack-based interpreter; the "simple design" baseline.

use anyhow::{bail, Result};
use tinywasm::types::WasmValue;

use crate::engine::{engine_error, Engine, Instance, Loaded};
use crate::host::{Host, CLOCK_MS_MODULE, CLOCK_MS_NAME};
use crate::value::Value;

#[derive(Clone, Copy, Debug, Default)]
pub struct Tinywasm;

impl Engine for Tinywasm {
    fn name(&self) -> String {
        "tinywasm".to_owned()
    }

    fn load(&self, wasm: &[u8]) -> Result<Box<dyn Loaded>> {
        let module =
            ::tinywasm::parse_bytes(wasm).map_err(|e| engine_error("tinywasm", "load", e))?;
        Ok(Box::new(TinywasmModule { module }))
    }
}

struct TinywasmModule {
    module: ::tinywasm::Module,
}

impl Loaded for TinywasmModule {
    fn instantiate(&self, host: Host) -> Result<Box<dyn Instance>> {
        let mut store = ::tinywasm::Store::default();
        let clock = ::tinywasm::HostFunction::from(&mut store, move |_, ()| Ok(host.clock_ms()));
        let mut imports = ::tinywasm::Imports::new();
        imports.define(CLOCK_MS_MODULE, CLOCK_MS_NAME, clock);
        let instance =
            ::tinywasm::ModuleInstance::instantiate(&mut store, &self.module, Some(imports))
                .map_err(|e| engine_error("tinywasm", "instantiate", e))?;
        Ok(Box::new(TinywasmInstance { store, instance }))
    }
}

struct TinywasmInstance {
    store: ::tinywasm::Store,
    instance: ::tinywasm::ModuleInstance,
}

impl Instance for TinywasmInstance {
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Vec<Value>> {
        let func = self
            .instance
            .func_untyped(&self.store, export)
            .map_err(|e| engine_error("tinywasm", export, e))?;
        let args: Vec<WasmValue> = args.iter().map(|&arg| to_tinywasm(arg)).collect();
        let results = func
            .call(&mut self.store, &args)
            .map_err(|e| engine_error("tinywasm", export, e))?;
        results.iter().map(from_tinywasm).collect()
    }
}

fn to_tinywasm(value: Value) -> WasmValue {
    match value {
        Value::I32(x) => WasmValue::I32(x),
        Value::I64(x) => WasmValue::I64(x),
        Value::F32(bits) => WasmValue::F32(f32::from_bits(bits)),
        Value::F64(bits) => WasmValue::F64(f64::from_bits(bits)),
    }
}

fn from_tinywasm(value: &WasmValue) -> Result<Value> {
    Ok(match *value {
        WasmValue::I32(x) => Value::I32(x),
        WasmValue::I64(x) => Value::I64(x),
        WasmValue::F32(x) => Value::from_f32(x),
        WasmValue::F64(x) => Value::from_f64(x),
        ref other => bail!("tinywasm: unsupported result {other:?}"),
    })
}
