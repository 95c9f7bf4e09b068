//! makepad-stitch: sibling-call threaded code with accumulators, the fastest published
//! Rust interpreter and weft's main target.

use anyhow::{anyhow, bail, Result};
use makepad_stitch as st;

use crate::engine::{engine_error, Engine, Instance, Loaded};
use crate::host::{Host, CLOCK_MS_MODULE, CLOCK_MS_NAME};
use crate::value::Value;

#[derive(Clone, Copy, Debug, Default)]
pub struct Stitch;

impl Engine for Stitch {
    fn name(&self) -> String {
        "stitch".to_owned()
    }

    fn load(&self, wasm: &[u8]) -> Result<Box<dyn Loaded>> {
        let engine = st::Engine::new();
        let module =
            st::Module::new(&engine, wasm).map_err(|e| engine_error("stitch", "load", e))?;
        Ok(Box::new(StitchModule { engine, module }))
    }
}

struct StitchModule {
    engine: st::Engine,
    module: st::Module,
}

impl Loaded for StitchModule {
    fn instantiate(&self, host: Host) -> Result<Box<dyn Instance>> {
        let mut store = st::Store::new(self.engine.clone());
        let mut linker = st::Linker::new();
        linker.define(
            CLOCK_MS_MODULE,
            CLOCK_MS_NAME,
            st::Func::wrap(&mut store, move || host.clock_ms()),
        );
        let instance = linker
            .instantiate(&mut store, &self.module)
            .map_err(|e| engine_error("stitch", "instantiate", e))?;
        Ok(Box::new(StitchInstance { store, instance }))
    }
}

struct StitchInstance {
    store: st::Store,
    instance: st::Instance,
}

impl Instance for StitchInstance {
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Vec<Value>> {
        let func = self
            .instance
            .exported_func(export)
            .ok_or_else(|| anyhow!("stitch: no exported function `{export}`"))?;
        let args: Vec<st::Val> = args.iter().map(|&arg| to_stitch(arg)).collect();
        let mut results: Vec<st::Val> = func
            .type_(&self.store)
            .results()
            .iter()
            .map(|&ty| st::Val::default(ty))
            .collect();
        func.call(&mut self.store, &args, &mut results)
            .map_err(|e| engine_error("stitch", export, e))?;
        results.iter().map(from_stitch).collect()
    }
}

fn to_stitch(value: Value) -> st::Val {
    match value {
        Value::I32(x) => st::Val::I32(x),
        Value::I64(x) => st::Val::I64(x),
        Value::F32(bits) => st::Val::F32(f32::from_bits(bits)),
        Value::F64(bits) => st::Val::F64(f64::from_bits(bits)),
    }
}

fn from_stitch(value: &st::Val) -> Result<Value> {
    Ok(match *value {
        st::Val::I32(x) => Value::I32(x),
        st::Val::I64(x) => Value::I64(x),
        st::Val::F32(x) => Value::from_f32(x),
        st::Val::F64(x) => Value::from_f64(x),
        ref other => bail!("stitch: unsupported result {other:?}"),
    })
}
