#![cfg_attr(
    all(any(feature = "become", feature = "preserve-none"), weft_nightly),
    feature(explicit_tail_calls),
    allow(incomplete_features)
)]
#![cfg_attr(
    all(feature = "preserve-none", weft_nightly),
    feature(rust_preserve_none_cc)
)]
//! weft-dispatch: weft's executors and the runtime they share.
//!
//! Op semantics are written once ([`exec`]'s `semantics` module) and every executor is
//! generated from the op table in `weft-ir`; an executor is one module that says how to
//! get from one op to the next. [`store`] holds the runtime entities, [`instantiate`]
//! creates instances, and [`invoke`] calls a function.

pub mod cell;
pub mod code;
pub mod exec;
pub mod instantiate;
pub mod limits;
pub mod numeric;
pub mod store;
pub mod trap;
pub mod value_stack;

pub use exec::invoke::{invoke, ExecError};
pub use exec::ExecutorKind;
