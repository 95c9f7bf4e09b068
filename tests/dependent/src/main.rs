//! Uses weft from an unoptimised build: the default configuration runs (with `threaded`
//! left out, the default executor is another one), deep recursion ends in a trap rather
//! than a native stack overflow, and asking for `threaded` is a clear error.

use weft::{Config, Engine, Linker, Module, Store, TrapCode};

const WAT: &str = r#"(module
  (func $fib (export "fib") (param i64) (result i64)
    (if (result i64) (i64.lt_u (local.get 0) (i64.const 2))
      (then (local.get 0))
      (else (i64.add (call $fib (i64.sub (local.get 0) (i64.const 1)))
                     (call $fib (i64.sub (local.get 0) (i64.const 2)))))))
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $down (i32.sub (local.get 0) (i32.const 1)))))))"#;

fn main() -> Result<(), weft::Error> {
    let config = Config::new();
    println!("default configuration: {}", config.name());
    let threaded = Config::new().executor_name("threaded").map(|_| ());
    match &threaded {
        Ok(()) => println!("threaded: available"),
        Err(e) => println!("threaded: {e}"),
    }
    if cfg!(debug_assertions) {
        // This crate's dev profile leaves weft-dispatch unoptimised: threaded must be
        // refused with the reason, never compiled to overflow at run time.
        let e = threaded.expect_err("threaded must not be available in an unoptimised build");
        assert!(e.to_string().contains("opt-level"), "unclear error: {e}");
        assert!(!config.name().starts_with("threaded"));
    }

    let engine = Engine::new(&config);
    let module = Module::new(&engine, WAT)?;
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine).instantiate(&mut store, &module)?;
    let fib = instance.get_typed_func::<i64, i64>(&store, "fib")?;
    assert_eq!(fib.call(&mut store, 20)?, 6765);
    // Unbounded recursion: a stack-overflow trap, not a crash.
    let down = instance.get_typed_func::<i32, i32>(&store, "down")?;
    let trap = down.call(&mut store, i32::MAX).unwrap_err();
    assert_eq!(trap.trap_code(), Some(TrapCode::StackOverflow), "{trap}");
    assert_eq!(down.call(&mut store, 1000)?, 0);
    println!("ok: fib(20) = 6765, deep recursion traps, the store works after");
    Ok(())
}
