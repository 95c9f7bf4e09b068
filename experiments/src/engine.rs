//! The engine-adapter trait that weft and every peer implement.
//!
//! Loading (decode, validate, translate where the engine does it eagerly) and instantiating
//! are separate steps so that the runner can time them apart from the calls; `prepare`
//! does both for callers that do not care.

use anyhow::Result;

use crate::host::Host;
use crate::value::Value;

pub trait Engine {
    /// A stable name for tables and CSV files, e.g. `wasmi/eager`, `wasmtime/pulley`,
    /// `weft:threaded/register+fuse`.
    fn name(&self) -> String;

    /// Decode and validate `wasm` (binary format; the manifests turn .wat into binary first).
    fn load(&self, wasm: &[u8]) -> Result<Box<dyn Loaded>>;

    fn prepare(&self, wasm: &[u8], host: Host) -> Result<Box<dyn Instance>> {
        self.load(wasm)?.instantiate(host)
    }
}

/// A loaded module, instantiable any number of times.
pub trait Loaded {
    /// Link the host imports (see [`crate::host`]), instantiate, and run the start function.
    fn instantiate(&self, host: Host) -> Result<Box<dyn Instance>>;

    /// Bytes of translated code, for engines that translate eagerly and can tell (weft).
    fn code_size(&self) -> Option<usize> {
        None
    }
}

/// One instance with its own store: calls share its memory and globals.
pub trait Instance {
    /// Call an exported function. A trap is an `Err`.
    fn call(&mut self, export: &str, args: &[Value]) -> Result<Vec<Value>>;
}

/// Engine errors vary in type and in whether they are `Send + Sync`; all the runner needs is
/// their text, so every adapter funnels them through here.
pub fn engine_error(engine: &str, what: &str, error: impl std::fmt::Debug) -> anyhow::Error {
    anyhow::anyhow!("{engine}: {what}: {error:?}")
}
