//! weft-experiments: the workloads weft is measured on, adapters for the engines it is
//! compared against, and (to come) the runner that regenerates the papers' tables.
//!
//! Every engine, weft included, is driven through the [`engine::Engine`] trait so that a
//! workload is loaded, instantiated, called and checked the same way on each.

pub mod engine;
pub mod host;
pub mod manifest;
pub mod peers;
pub mod value;
pub mod verify;

pub use engine::{Engine, Instance, Loaded};
pub use host::Host;
pub use manifest::{Case, Size, Workload};
pub use value::{Value, ValueType};
