;; `x = select(1, x, x == 0)` after a runtime branch: the result must be 1 when x is 0.
;;
;; wasmi-known-bug: wasmi 2.0.0 returns 0 for `select_into_condition_local`
;; (apparently it writes the select's result into local x before reading x for the
;; condition; without the preceding branch it constant-folds and is right). V8 (node 20)
;; and weft agree with the spec.
;;
;; Found by tests/differential.rs (seeds 2000382, 2001266, 2001835, 2001878, 2001971):
;; wasm-smith's `disallow_traps` guards `i32.div_s` by replacing a zero divisor this
;; way, so wasmi trapped "integer divide by zero" where the module cannot trap. weft
;; was right; this file keeps it right (the differential test now reports such cases as
;; "wasmi anomalies" instead of failing).
(module
  (global $g (mut i32) (i32.const 1))
  (func (export "select_into_condition_local") (result i32)
    (local i32)
    global.get $g
    if
    end
    i32.const 1
    local.get 0
    local.get 0
    i32.eqz
    select
    local.set 0
    local.get 0)
  (func (export "guarded_div") (param i32) (result i32)
    (local i32 i32)
    global.get $g
    if
    end
    local.get 0
    i32.const 1
    local.get 1
    local.get 1
    i32.eqz
    select
    local.set 1
    local.set 2
    local.get 2
    local.get 1
    i32.div_s)
)
;;> (assert_return (invoke "select_into_condition_local") (i32.const 1))
;;> (assert_return (invoke "guarded_div" (i32.const 7)) (i32.const 7))
;;> (assert_return (invoke "guarded_div" (i32.const 0)) (i32.const 0))
