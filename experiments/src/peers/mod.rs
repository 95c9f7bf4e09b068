//! Adapters for the engines weft is compared with, one per cargo feature:
//! `peer-wasmi`, `peer-stitch`, `peer-tinywasm` (together: `peers`), `peers-wasm3`,
//! `peers-wasmtime`.

use crate::engine::Engine;

#[cfg(feature = "peer-stitch")]
mod stitch;
#[cfg(feature = "peer-tinywasm")]
mod tinywasm;
#[cfg(feature = "peers-wasm3")]
mod wasm3;
#[cfg(feature = "peer-wasmi")]
mod wasmi;
#[cfg(feature = "peers-wasmtime")]
mod wasmtime;

#[cfg(feature = "peer-stitch")]
pub use self::stitch::Stitch;
#[cfg(feature = "peer-tinywasm")]
pub use self::tinywasm::Tinywasm;
#[cfg(feature = "peers-wasm3")]
pub use self::wasm3::Wasm3;
#[cfg(feature = "peer-wasmi")]
pub use self::wasmi::Wasmi;
#[cfg(feature = "peers-wasmtime")]
pub use self::wasmtime::Wasmtime;

/// Every peer configuration compiled into this build, in the order tables list them.
pub fn compiled_in() -> Vec<Box<dyn Engine>> {
    #[allow(unused_mut)]
    let mut peers: Vec<Box<dyn Engine>> = Vec::new();
    #[cfg(feature = "peer-wasmi")]
    {
        peers.push(Box::new(Wasmi { eager: false }));
        peers.push(Box::new(Wasmi { eager: true }));
    }
    #[cfg(feature = "peer-stitch")]
    peers.push(Box::new(Stitch));
    #[cfg(feature = "peer-tinywasm")]
    peers.push(Box::new(Tinywasm));
    #[cfg(feature = "peers-wasm3")]
    peers.push(Box::new(Wasm3::default()));
    #[cfg(feature = "peers-wasmtime")]
    {
        peers.push(Box::new(Wasmtime { pulley: true }));
        peers.push(Box::new(Wasmtime { pulley: false }));
    }
    peers
}
