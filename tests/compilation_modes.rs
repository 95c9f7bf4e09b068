//! `Config::compilation_mode`: every mode runs the same code; `lazy` reports an invalid body
//! at the call that first reaches it; a lazily compiled module is shared by threads.

use weft::{CompilationMode, Config, Engine, Error, Instance, Linker, Module, Store};

const MODULE: &str = r#"(module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
        (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                       (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $twice (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
    (table funcref (elem $twice))
    (func (export "indirect") (param i32) (result i32)
      (call_indirect (param i32) (result i32) (local.get 0) (i32.const 0)))
    (func (export "tail") (param i32) (result i32)
      (return_call $twice (local.get 0))))"#;

/// `ok` is valid; `bad` (and `calls_bad`, through it) reaches a body that does not validate.
const INVALID_BODY: &str = r#"(module
    (func (export "ok") (result i32) (i32.const 1))
    (func $bad (export "bad") (result i32) (i32.add (i32.const 1) (i64.const 2)))
    (func (export "calls_bad") (result i32) (call $bad)))"#;

fn configs(mode: CompilationMode) -> Vec<Config> {
    Config::every_compiled()
        .into_iter()
        .map(|mut c| {
            c.compilation_mode(mode);
            c
        })
        .collect()
}

fn instantiate(engine: &Engine, module: &Module) -> (Store<()>, Instance) {
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine).instantiate(&mut store, module).unwrap();
    (store, instance)
}

#[test]
fn every_mode_runs_direct_indirect_and_tail_calls() {
    for &mode in CompilationMode::ALL {
        for config in configs(mode) {
            let engine = Engine::new(&config);
            let module = Module::new(&engine, MODULE).unwrap();
            let (mut store, instance) = instantiate(&engine, &module);
            let fib = instance.get_typed_func::<i32, i32>(&store, "fib").unwrap();
            assert_eq!(fib.call(&mut store, 20).unwrap(), 6765, "{config} {mode:?}");
            // Again: now through the compiled code.
            assert_eq!(fib.call(&mut store, 10).unwrap(), 55, "{config} {mode:?}");
            let indirect = instance
                .get_typed_func::<i32, i32>(&store, "indirect")
                .unwrap();
            assert_eq!(indirect.call(&mut store, 21).unwrap(), 42);
            let tail = instance.get_typed_func::<i32, i32>(&store, "tail").unwrap();
            assert_eq!(tail.call(&mut store, 4).unwrap(), 8);
        }
    }
}

#[test]
fn lazy_modes_compile_only_what_runs() {
    for mode in [CompilationMode::LazyTranslation, CompilationMode::Lazy] {
        let mut config = Config::new();
        config.compilation_mode(mode);
        let engine = Engine::new(&config);
        let module = Module::new(&engine, MODULE).unwrap();
        assert_eq!(module.code_size(), 0, "{mode:?}: nothing compiled at load");
        let (mut store, instance) = instantiate(&engine, &module);
        let tail = instance.get_typed_func::<i32, i32>(&store, "tail").unwrap();
        tail.call(&mut store, 1).unwrap();
        let after_one = module.code_size();
        assert!(after_one > 0);
        module.compile_all().unwrap();
        assert!(module.code_size() > after_one);
    }
}

#[test]
fn invalid_body_is_a_load_error_unless_lazy() {
    for mode in [CompilationMode::Eager, CompilationMode::LazyTranslation] {
        for config in configs(mode) {
            let engine = Engine::new(&config);
            let err = Module::new(&engine, INVALID_BODY).unwrap_err();
            assert!(matches!(err, Error::Compile(_)), "{config}: {err}");
        }
    }
    for config in configs(CompilationMode::Lazy) {
        let engine = Engine::new(&config);
        let module = Module::new(&engine, INVALID_BODY).unwrap();
        let (mut store, instance) = instantiate(&engine, &module);
        let ok = instance.get_typed_func::<(), i32>(&store, "ok").unwrap();
        assert_eq!(ok.call(&mut store, ()).unwrap(), 1);
        for name in ["bad", "calls_bad", "bad"] {
            let f = instance.get_typed_func::<(), i32>(&store, name).unwrap();
            match f.call(&mut store, ()) {
                Err(Error::Compile(message)) => {
                    assert!(
                        message.contains("type mismatch"),
                        "{config} {name}: {message}"
                    )
                }
                other => panic!("{config} {name}: expected a compile error, got {other:?}"),
            }
        }
        // The store is still usable after the failed calls.
        assert_eq!(ok.call(&mut store, ()).unwrap(), 1);
        assert!(matches!(module.compile_all(), Err(Error::Compile(_))));
    }
}

#[test]
fn lazily_compiled_module_is_shared_by_threads() {
    for mode in [CompilationMode::LazyTranslation, CompilationMode::Lazy] {
        let mut config = Config::new();
        config.compilation_mode(mode);
        let engine = Engine::new(&config);
        let module = Module::new(&engine, MODULE).unwrap();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let (mut store, instance) = instantiate(&engine, &module);
                    let fib = instance.get_typed_func::<i32, i32>(&store, "fib").unwrap();
                    assert_eq!(fib.call(&mut store, 15).unwrap(), 610);
                });
            }
        });
    }
}

#[test]
fn disassembly_is_the_same_in_every_mode() {
    let eager = Module::new(&Engine::new(&Config::new()), MODULE).unwrap();
    for mode in [CompilationMode::LazyTranslation, CompilationMode::Lazy] {
        let mut config = Config::new();
        config.compilation_mode(mode);
        let lazy = Module::new(&Engine::new(&config), MODULE).unwrap();
        for index in 0..4 {
            let want = eager.disassemble(index).unwrap();
            assert!(want.contains("ops"));
            assert_eq!(lazy.disassemble(index), Some(want), "{mode:?} func {index}");
        }
        assert_eq!(lazy.disassemble(4), None);
    }
}
