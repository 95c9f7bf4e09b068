//! wasm3 (through the `wasm3` 0.3 Rust bindings): the C interpreter whose threaded-code,
//! accumulator design Stitch and weft follow.
//!
//! Build with `CC=clang` (see the README): the `cc` crate compiles wasm3's C with gcc by
//! default, which runs it about 20% slower. wasm3 C 0.4.7 has no bulk-memory ops, so the
//! programs that use `memory.copy` are in `crate::known` (its compiler crashes on them).
//!
//! The bindings only offer typed calls, so [`Instance::call`] finds the signature by trying
//! each result type for the argument types given; the parameter lists the workloads use are
//! listed in `call` and others are refused.

use anyhow::{anyhow, bail, Result};
use wasm3::error::{Error as W3Error, Trap};
use wasm3::{Environment, Function, Runtime, WasmArgs, WasmType};

use crate::engine::{engine_error, Engine, Instance, Loaded};
use crate::host::{Host, CLOCK_MS_MODULE, CLOCK_MS_NAME};
use crate::value::Value;

#[derive(Clone, Copy, Debug)]
pub struct Wasm3 {
    /// The runtime's value stack, in bytes; wasm3 also recurses on the native stack per call.
    pub stack_bytes: u32,
}

impl Default for Wasm3 {
    fn default() -> Self {
        Self {
            stack_bytes: 8 << 20,
        }
    }
}

impl Engine for Wasm3 {
    fn name(&self) -> String {
        "wasm3".to_owned()
    }

    fn load(&self, wasm: &[u8]) -> Result<Box<dyn Loaded>> {
        let env = Environment::new().map_err(|e| engine_error("wasm3", "environment", e))?;
        // A parsed module is consumed when loaded into a runtime, so keep the bytes and
        // parse again per instance; parsing once here reports decode errors at load time.
        env.parse_module(wasm.to_vec())
            .map_err(|e| engine_error("wasm3", "load", e))?;
        Ok(Box::new(Wasm3Module {
            env,
            wasm: wasm.to_vec(),
            stack_bytes: self.stack_bytes,
        }))
    }
}

struct Wasm3Module {
    env: Environment,
    wasm: Vec<u8>,
    stack_bytes: u32,
}

impl Loaded for Wasm3Module {
    fn instantiate(&self, host: Host) -> Result<Box<dyn Instance>> {
        let runtime = self
            .env
            .create_runtime(self.stack_bytes)
            .map_err(|e| engine_error("wasm3", "runtime", e))?;
        let parsed = self
            .env
            .parse_module(self.wasm.clone())
            .map_err(|e| engine_error("wasm3", "parse", e))?;
        {
            let mut module = runtime
                .load_module(parsed)
                .map_err(|e| engine_error("wasm3", "instantiate", e))?;
            let linked = module.link_closure(
                CLOCK_MS_MODULE,
                CLOCK_MS_NAME,
                move |_, ()| -> Result<i64, Trap> { Ok(host.clock_ms()) },
            );
            match linked {
                Ok(()) | Err(W3Error::FunctionNotFound) => {}
                Err(e) => return Err(engine_error("wasm3", "link", e)),
            }
        }
        Ok(Box::new(Wasm3Instance { runtime }))
    }
}

struct Wasm3Instance {
    runtime: Runtime,
}

/// `Ok(None)` when `name` exists with another signature, so the caller can try the next.
fn find<'rt, A: WasmArgs, R: WasmType>(
    runtime: &'rt Runtime,
    name: &str,
) -> Result<Option<Function<'rt, A, R>>> {
    match runtime.find_function::<A, R>(name) {
        Ok(func) => Ok(Some(func)),
        Err(W3Error::InvalidFunctionSignature) => Ok(None),
        Err(e) => Err(engine_error("wasm3", name, e)),
    }
}

macro_rules! call_any_result {
    ($runtime:expr, $name:expr, $params:ty, ($($arg:expr),*)) => {{
        let trap = |e| engine_error("wasm3", $name, e);
        if let Some(f) = find::<$params, ()>($runtime, $name)? {
            f.call($($arg),*).map_err(trap)?;
            Some(vec![])
        } else if let Some(f) = find::<$params, i32>($runtime, $name)? {
            Some(vec![Value::I32(f.call($($arg),*).map_err(trap)?)])
        } else if let Some(f) = find::<$params, i64>($runtime, $name)? {
            Some(vec![Value::I64(f.call($($arg),*).map_err(trap)?)])
        } else if let Some(f) = find::<$params, f32>($runtime, $name)? {
            Some(vec![Value::from_f32(f.call($($arg),*).map_err(trap)?)])
        } else if let Some(f) = find::<$params, f64>($runtime, $name)? {
            Some(vec![Value::from_f64(f.call($($arg),*).map_err(trap)?)])
        } else {
            None
        }
    }};
}

impl Instance for Wasm3Instance {
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Vec<Value>> {
        let rt = &self.runtime;
        let results = match *args {
            [] => call_any_result!(rt, export, (), ()),
            [Value::I32(a)] => call_any_result!(rt, export, i32, (a)),
            [Value::I64(a)] => call_any_result!(rt, export, i64, (a)),
            [Value::F32(a)] => call_any_result!(rt, export, f32, (f32::from_bits(a))),
            [Value::F64(a)] => call_any_result!(rt, export, f64, (f64::from_bits(a))),
            [Value::I32(a), Value::I32(b)] => call_any_result!(rt, export, (i32, i32), (a, b)),
            [Value::I64(a), Value::I64(b)] => call_any_result!(rt, export, (i64, i64), (a, b)),
            _ => bail!("wasm3 adapter: no typed call for parameters {args:?} (add the signature to `call`)"),
        };
        results
            .ok_or_else(|| anyhow!("wasm3: `{export}` returns a type the adapter does not handle"))
    }
}
