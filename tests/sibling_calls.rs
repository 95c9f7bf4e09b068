//! Proof that the threaded executors really dispatch with jumps, not calls: a long run on
//! a thread whose native stack is only 256 KiB. If any handler called the next one
//! instead of jumping to it, the native stack would grow with every dispatch and this
//! would overflow after a few thousand ops.
//!
//! CI runs this in the test profile, in release, and in release with
//! `CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16`.

use weft::{Config, Engine, Executor, Linker, Module, Store};

/// Ops the loop body dispatches per iteration in the stack IR (counted from its IR below).
const LOOP: &str = r#"(module (func (export "run") (param i32) (result i32) (local i32)
  (loop $l
    (local.set 1 (i32.add (local.get 1) (i32.const 3)))
    (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
  (local.get 1)))"#;

fn run_on_small_stack(executor: Executor, iterations: i32) -> (i32, usize) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let engine = Engine::new(Config::new().executor(executor));
            let module = Module::new(&engine, LOOP).unwrap();
            let body = &module.ir().bodies[0];
            // Ops inside the loop: everything but the final `local.get` and `return`.
            let per_iteration = body.ops.len() - 2;
            let mut store = Store::new(&engine, ());
            let instance = Linker::new(&engine).instantiate(&mut store, &module).unwrap();
            let run = instance.get_typed_func::<i32, i32>(&store, "run").unwrap();
            (run.call(&mut store, iterations).unwrap(), per_iteration)
        })
        .unwrap()
        .join()
        .expect("the run overflowed or panicked")
}

#[test]
fn hundred_million_dispatches_on_a_256k_stack() {
    let iterations = 12_500_000;
    assert!(!Executor::compiled().is_empty());
    for executor in Executor::compiled() {
        let (result, per_iteration) = run_on_small_stack(executor, iterations);
        assert_eq!(result, iterations.wrapping_mul(3), "{}", executor.name());
        let dispatches = per_iteration as u64 * iterations as u64;
        assert!(dispatches >= 100_000_000, "only {dispatches} dispatches");
        println!("{}: {dispatches} dispatches on a 256 KiB stack", executor.name());
    }
}
