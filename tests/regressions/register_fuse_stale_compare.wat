;; register+fuse: a comparison must not be fused into a later `br_if`, `if` or
;; `local.set` once another value has been pushed on top of it.
;;
;; Found by tests/differential.rs (seed 2001679: a translator panic,
;; `debug_assert!(matches!(cond, Loc::Slot(_)))` in `br_if` of ir/src/register.rs).
;; Cause: `local.get` and constants emit no op, so after `(i32.eqz ..) (i32.const 1)`
;; the "last op result" still named the `eqz`; `br_if` then fused the `eqz` as its
;; condition (and `local.set` would retarget it) although the operand was the constant.
;; In release builds (no debug assertion) the branch tested the wrong value. Fixed in
;; 19418b9 (`push` now clears `last_result`); these expectations are the spec's.
(module
  (func (export "br_if_const") (param i32) (result i32)
    (block $b (result i32)
      (i32.eqz (local.get 0))
      (br_if $b (i32.const 1))
      (drop)
      (i32.const 42)))
  (func (export "br_if_local") (param i32 i32) (result i32)
    (block $b (result i32)
      (i32.eqz (local.get 0))
      (br_if $b (local.get 1))
      (drop)
      (i32.const 42)))
  (func (export "if_const") (param i32) (result i32)
    (i32.lt_s (local.get 0) (i32.const 10))
    (if (result i32) (i32.const 0)
      (then (i32.const 100))
      (else (i32.const 200)))
    (i32.add))
  (func (export "local_set_const") (param i32) (result i32)
    (local i32)
    (i32.eqz (local.get 0))
    (local.set 1 (i32.const 7))
    (i32.add (local.get 1)))
  (func (export "local_tee_local") (param i32 i32) (result i32)
    (local i32)
    (i32.gt_u (local.get 0) (local.get 1))
    (local.tee 2 (local.get 1))
    (i32.mul (i32.const 10))
    (i32.add))
)
;;> (assert_return (invoke "br_if_const" (i32.const 5)) (i32.const 0))
;;> (assert_return (invoke "br_if_const" (i32.const 0)) (i32.const 1))
;;> (assert_return (invoke "br_if_local" (i32.const 5) (i32.const 1)) (i32.const 0))
;;> (assert_return (invoke "br_if_local" (i32.const 0) (i32.const 1)) (i32.const 1))
;;> (assert_return (invoke "br_if_local" (i32.const 0) (i32.const 0)) (i32.const 42))
;;> (assert_return (invoke "if_const" (i32.const 3)) (i32.const 201))
;;> (assert_return (invoke "if_const" (i32.const 30)) (i32.const 200))
;;> (assert_return (invoke "local_set_const" (i32.const 0)) (i32.const 8))
;;> (assert_return (invoke "local_set_const" (i32.const 3)) (i32.const 7))
;;> (assert_return (invoke "local_tee_local" (i32.const 9) (i32.const 4)) (i32.const 41))
;;> (assert_return (invoke "local_tee_local" (i32.const 1) (i32.const 4)) (i32.const 40))
