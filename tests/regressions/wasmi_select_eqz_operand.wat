;; `select(1, x, x == 0)` used straight as an operand after a runtime branch: the select
;; must give 1 when x is 0.
;;
;; wasmi-known-bug: wasmi 2.0.0 gives x (0) instead of 1 here: `add_guarded` returns 7
;; and `rem_u_guarded` traps "integer divide by zero" for x = 0. The same select whose
;; result is returned, or stored in another local, comes out right; stored back into x it
;; is wrong too (wasmi_select_into_condition_local.wat). V8 (node 20) and weft agree with
;; the spec.
;;
;; Found by the fuzzing campaign of issue 11 (tests/differential.rs, seeds 10000554,
;; 10001483 and 10004919): wasm-smith's `disallow_traps` guards `i32.rem_u` and
;; `i32.div_u` by replacing a zero divisor this way, so wasmi trapped where the module
;; cannot. Every wasmi anomaly of the campaign disappears when this one idiom is
;; rewritten as `x | (x == 0)` (same value, no select).
(module
  (global $g (mut i32) (i32.const 1))
  (func (export "add_guarded") (param i32) (result i32)
    global.get $g
    if
    end
    i32.const 7
    i32.const 1
    local.get 0
    local.get 0
    i32.eqz
    select
    i32.add)
  (func (export "rem_u_guarded") (param i32) (result i32)
    global.get $g
    if
    end
    i32.const 7
    i32.const 1
    local.get 0
    local.get 0
    i32.eqz
    select
    i32.rem_u)
)
;;> (assert_return (invoke "add_guarded" (i32.const 0)) (i32.const 8))
;;> (assert_return (invoke "add_guarded" (i32.const 5)) (i32.const 12))
;;> (assert_return (invoke "rem_u_guarded" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "rem_u_guarded" (i32.const 5)) (i32.const 2))
