//! The Wasm proposals weft implements, as one wasmparser feature set.

use wasmparser::WasmFeatures;

/// The proposals weft claims, named as in the official test suite's folders.
pub const SUPPORTED_PROPOSALS: &[&str] = &[
    "mutable-global",
    "nontrapping-float-to-int-conversions",
    "sign-extension-ops",
    "multi-value",
    "reference-types",
    "bulk-memory",
    "tail-call",
    "extended-const",
];

/// The wasmparser feature set matching [`SUPPORTED_PROPOSALS`]: validation rejects
/// everything else with an error naming the missing proposal.
pub fn wasm_features() -> WasmFeatures {
    WasmFeatures::MUTABLE_GLOBAL
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::REFERENCE_TYPES
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::TAIL_CALL
        | WasmFeatures::EXTENDED_CONST
        | WasmFeatures::FLOATS
        | WasmFeatures::GC_TYPES
}
