//! One module per suite.

pub mod checks;
pub mod compile_time;
pub mod coremark;
pub mod matrix;
pub mod startup;
pub mod startup_shapes;
pub mod timing;
pub mod wasi;
