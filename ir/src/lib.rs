//! weft-ir: weft's op table, its IRs and the translator from Wasm.
//!
//! [`translate`] validates a module with wasmparser (accepting exactly the proposals in
//! [`SUPPORTED_PROPOSALS`]) and produces a [`ModuleIr`] whose function bodies are IR
//! [`Op`]s. The op set is declared once in [`for_each_op!`]; executors generate their
//! handlers from the same table.

mod definite_writes;
mod driver;
mod features;
mod module;
mod op;
mod op_table;
mod peephole;
mod register_emitter;
pub mod shapes;
mod stack_emitter;
mod translate;
mod types;
mod virtual_stack;

pub use features::{wasm_features, SUPPORTED_PROPOSALS};
pub use module::*;
pub use op::{BrTable, BrTableEntry, Op, Target};
pub use translate::{
    translate, translate_in_mode, translate_streaming, translate_with, CompilationMode, IrOptions,
    LazyBodies, TranslateError,
};
pub use types::*;

#[doc(hidden)]
pub use paste::paste as __paste;
