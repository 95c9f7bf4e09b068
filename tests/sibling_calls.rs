//! Proof that the executors dispatch without growing the native stack: long runs on a
//! thread whose native stack is only 256 KiB. If any threaded handler called the next one
//! instead of jumping to it, the stack would grow with every dispatch and overflow within
//! a few thousand ops.
//!
//! CI runs this in the test profile and in a dependent's default release profile
//! (`CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_LTO=false`).

use weft::{Config, Engine, Executor, IrKind, Linker, Module, Store};

/// A tight loop: the bulk of the dispatches.
const LOOP: &str = r#"(module (func (export "run") (param i32) (result i32) (local i32)
  (loop $l
    (local.set 1 (i32.add (local.get 1) (i32.const 3)))
    (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
  (local.get 1)))"#;

/// Every handler that leaves the straight line: Wasm calls and returns, indirect calls,
/// host calls, tail calls, table and memory operations that call into the runtime. These
/// are the handlers whose tail call LLVM is most likely to lose.
const CALLS: &str = r#"(module
  (import "host" "add" (func $host_add (param i32 i32) (result i32)))
  (type $ii (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $inc $inc)
  (memory 1)
  (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $tail (param i32) (result i32) (return_call $inc (local.get 0)))
  (func (export "run") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (call $inc (local.get 1)))
      (local.set 1 (call_indirect (type $ii) (local.get 1) (i32.const 1)))
      (local.set 1 (call $host_add (local.get 1) (i32.const 1)))
      (local.set 1 (call $tail (local.get 1)))
      (table.copy (i32.const 2) (i32.const 0) (i32.const 2))
      (memory.fill (i32.const 0) (i32.const 7) (i32.const 16))
      (drop (memory.grow (i32.const 0)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
    (local.get 1)))"#;

/// Runs `export` of `wat` with `arg` on every executor x IR, each on a fresh thread with
/// a 256 KiB stack; returns (configuration, result, dispatches per iteration).
fn on_small_stacks(wat: &'static str, arg: i32) -> Vec<(String, i32, usize)> {
    let mut out = Vec::new();
    for executor in Executor::compiled() {
        for &ir in IrKind::ALL {
            let result = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let engine = Engine::new(Config::new().executor(executor).ir(ir));
                    let module = Module::new(&engine, wat).unwrap();
                    let run_index = module.exported_func_index("run").unwrap();
                    let body = module.func_ir(run_index).unwrap();
                    // Ops inside the loop: all but the tail that returns the result.
                    let per_iteration = body.ops.len() - 2;
                    let mut store = Store::new(&engine, ());
                    let mut linker = Linker::new(&engine);
                    linker
                        .func_wrap("host", "add", |a: i32, b: i32| a.wrapping_add(b))
                        .unwrap();
                    let instance = linker.instantiate(&mut store, &module).unwrap();
                    let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
                    (run.call(&mut store, arg).unwrap(), per_iteration)
                })
                .unwrap()
                .join();
            let name = Config::new().executor(executor).ir(ir).name();
            let (value, per) = result.unwrap_or_else(|_| panic!("{name}: overflowed or panicked"));
            out.push((name, value, per));
        }
    }
    out
}

#[test]
fn hundred_million_dispatches_on_a_256k_stack() {
    let iterations = 12_500_000;
    for (name, result, per_iteration) in on_small_stacks(LOOP, iterations) {
        assert_eq!(result, iterations.wrapping_mul(3), "{name}");
        // The register IRs need fewer ops per iteration; count what the stack IR runs.
        let dispatches = per_iteration as u64 * iterations as u64;
        if name.ends_with("/stack") {
            assert!(
                dispatches >= 100_000_000,
                "{name}: only {dispatches} dispatches"
            );
        }
        println!("{name}: {dispatches} dispatches on a 256 KiB stack");
    }
}

#[test]
fn calls_host_calls_and_runtime_ops_on_a_256k_stack() {
    let iterations = 200_000;
    for (name, result, per_iteration) in on_small_stacks(CALLS, iterations) {
        assert_eq!(result, iterations * 4, "{name}");
        println!(
            "{name}: {} dispatches with calls on a 256 KiB stack",
            per_iteration as u64 * iterations as u64
        );
    }
}
