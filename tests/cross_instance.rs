//! Calls between instances restore the caller's instance (its memory, globals and
//! callees) on every way back, on every compiled-in configuration.
//!
//! A saved frame records no instance: a call into another instance marks the frame it
//! returns to, and the return restores the instance kept for it (`exec::Frame`,
//! `Callee::seen_from` in `weft-dispatch`). Each export below reads its own instance's
//! memory and global after a call that ran in another one, by each kind of call (direct,
//! through a table, tail calls of both kinds, at the entry and deeper, two instances
//! deep), and after a trap in the other instance.

use weft::{Config, Engine, Linker, Module, Store};

/// The innermost instance: its memory holds 3 at address 0, its global 30.
const C: &str = r#"(module
  (memory 1)
  (data (i32.const 0) "\03")
  (global $g i32 (i32.const 30))
  (func (export "c_read") (result i32)
    (i32.add (i32.load8_u (i32.const 0)) (global.get $g))))"#;

/// Its memory holds 1 at address 0, its global 100: `a_read` is 101.
const A: &str = r#"(module
  (import "c" "c_read" (func $c_read (result i32)))
  (memory 1)
  (data (i32.const 0) "\01")
  (global $g i32 (i32.const 100))
  (func $a_read (export "a_read") (result i32)
    (i32.add (i32.load8_u (i32.const 0)) (global.get $g)))
  ;; Two instances deep: 33 from C, then A's own 101 read after C returned.
  (func (export "a_chain") (result i32)
    (i32.add (call $c_read) (call $a_read)))
  ;; A tail call out of A into C, from a function B called.
  (func (export "a_tail_to_c") (result i32) (return_call $c_read))
  (func (export "a_trap") (result i32) unreachable))"#;

/// Its memory holds 2 at address 0, its global 200: `b_read` is 202.
const B: &str = r#"(module
  (import "a" "a_read" (func $a_read (result i32)))
  (import "a" "a_chain" (func $a_chain (result i32)))
  (import "a" "a_tail_to_c" (func $a_tail_to_c (result i32)))
  (import "a" "a_trap" (func $a_trap (result i32)))
  (type $r (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $a_read $b_read)
  (memory 1)
  (data (i32.const 0) "\02")
  (global $g i32 (i32.const 200))
  (func $b_read (result i32)
    (i32.add (i32.load8_u (i32.const 0)) (global.get $g)))
  (func (export "direct") (result i32)
    (i32.add (call $a_read) (call $b_read)))
  (func (export "indirect") (result i32)
    (i32.add (call_indirect (type $r) (i32.const 0)) (call_indirect (type $r) (i32.const 1))))
  (func $tail_to_a (result i32) (return_call $a_read))
  (func $tail_indirect_to_a (result i32) (return_call_indirect (type $r) (i32.const 0)))
  (func (export "tail") (result i32)
    (i32.add (call $tail_to_a) (call $b_read)))
  (func (export "tail_indirect") (result i32)
    (i32.add (call $tail_indirect_to_a) (call $b_read)))
  ;; The entry function's own tail call into A.
  (func (export "entry_tail") (result i32) (return_call $a_read))
  (func (export "chain") (result i32)
    (i32.add (call $a_chain) (call $b_read)))
  ;; B -> A, which tail-calls into C: back in B directly from C.
  (func (export "tail_twice") (result i32)
    (i32.add (call $a_tail_to_c) (call $b_read)))
  ;; Recursion in B around calls into A: each level's frame restored in turn.
  (func $deep (export "deep") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $b_read))
      (else
        (i32.add
          (i32.add (call $a_read) (call $deep (i32.sub (local.get $n) (i32.const 1))))
          (call $b_read)))))
  (func (export "trap") (result i32)
    (i32.add (call $a_trap) (call $b_read))))"#;

#[test]
fn every_way_back_restores_the_callers_instance() {
    for config in Config::every_compiled() {
        let name = config.name();
        let engine = Engine::new(&config);
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        let c = linker
            .instantiate(&mut store, &Module::new(&engine, C).unwrap())
            .unwrap();
        linker.instance(&store, "c", c).unwrap();
        let a = linker
            .instantiate(&mut store, &Module::new(&engine, A).unwrap())
            .unwrap();
        linker.instance(&store, "a", a).unwrap();
        let b = linker
            .instantiate(&mut store, &Module::new(&engine, B).unwrap())
            .unwrap();
        let run = |store: &mut Store<()>, export: &str| {
            b.get_typed_func::<(), i32>(&*store, export)
                .unwrap()
                .call(store, ())
        };
        let expected = [
            ("direct", 101 + 202),
            ("indirect", 101 + 202),
            ("tail", 101 + 202),
            ("tail_indirect", 101 + 202),
            ("entry_tail", 101),
            ("chain", 33 + 101 + 202),
            ("tail_twice", 33 + 202),
        ];
        for (export, want) in expected {
            assert_eq!(run(&mut store, export).unwrap(), want, "{name}: {export}");
        }
        let deep = b.get_typed_func::<i32, i32>(&store, "deep").unwrap();
        assert_eq!(
            deep.call(&mut store, 50).unwrap(),
            50 * (101 + 202) + 202,
            "{name}: deep"
        );
        // A trap in A leaves marked frames behind; the store forgets them, and the next
        // calls run in the right instances.
        let err = run(&mut store, "trap").unwrap_err();
        assert!(err.to_string().contains("unreachable"), "{name}: {err}");
        for (export, want) in expected {
            assert_eq!(
                run(&mut store, export).unwrap(),
                want,
                "{name}: {export} after a trap"
            );
        }
    }
}
