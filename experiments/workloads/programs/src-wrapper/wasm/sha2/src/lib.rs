//! The `sha2` workload as a Wasm module: exports `run(n: i32) -> i64` (and the memory), imports nothing.

#[no_mangle]
pub extern "C" fn run(n: i32) -> i64 {
    program_kernels::sha2_chain::run(n)
}
