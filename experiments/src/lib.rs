//! weft-experiments: the workloads weft is measured on, adapters for the engines it is
//! compared against (weft's own configurations included), and the runner that regenerates
//! the paper's tables and figures (`src/main.rs`, `runner`).
//!
//! Every engine, weft included, is driven through the [`engine::Engine`] trait so that a
//! workload is loaded, instantiated, called and checked the same way on each.

pub mod bench;
pub mod engine;
pub mod host;
pub mod known;
pub mod manifest;
pub mod peers;
pub mod runner;
pub mod value;
pub mod verify;
pub mod wasi_suite;
pub mod weft_adapter;

pub use engine::{Engine, Instance, Loaded};
pub use host::Host;
pub use manifest::{Case, Size, Workload};
pub use value::{Value, ValueType};
pub use weft_adapter::Weft;
