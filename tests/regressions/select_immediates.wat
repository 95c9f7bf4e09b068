;; register+fuse: `select` with a constant operand takes it as an immediate
;; (`select_is` / `select_si`, ir/src/register_emitter.rs) instead of writing it to a slot
;; with a `const` op first. Not from a divergence: each function is a shape that makes
;; one form fire, with the condition true and false, every value type (floats as bit
;; patterns, a NaN payload included), both operands constant, and the result written
;; straight into a local that is also an operand (`retarget` in ir/src/peephole.rs: the
;; op must read its operands before it writes). Expectations are the spec's.
(module
  (func (export "imm_true") (param i32 i32) (result i32)
    (select (i32.const 7) (local.get 0) (local.get 1)))
  (func (export "imm_false") (param i32 i32) (result i32)
    (select (local.get 0) (i32.const -9) (local.get 1)))
  (func (export "both_imm") (param i32) (result i32)
    (select (i32.const 11) (i32.const 22) (local.get 0)))
  (func (export "i64_imm") (param i64 i32) (result i64)
    (select (i64.const 0x1234567890) (local.get 0) (local.get 1)))
  (func (export "f32_imm") (param f32 i32) (result f32)
    (select (local.get 0) (f32.const nan:0x200001) (local.get 1)))
  (func (export "f64_imm") (param f64 i32) (result f64)
    (select (f64.const -0.5) (local.get 0) (local.get 1)))
  ;; The result goes into local 0, which is also the slot operand.
  (func (export "into_operand_local") (param i32 i32) (result i32)
    (local.set 0 (select (i32.const 100) (local.get 0) (local.get 1)))
    (local.get 0))
  (func (export "into_operand_local_si") (param i32 i32) (result i32)
    (local.set 0 (select (local.get 0) (i32.const 200) (local.get 1)))
    (local.get 0))
  ;; The condition is the local written: read before the write.
  (func (export "into_condition_local") (param i32 i32) (result i32)
    (local.set 1 (select (i32.const 5) (local.get 0) (local.get 1)))
    (local.get 1))
  ;; CoreMark's shape: a clamp in a loop, `x = x > limit ? 0 : x`, summed.
  (func (export "clamp_loop") (param i32) (result i32)
    (local $i i32) (local $x i32) (local $sum i32)
    (loop $l
      (local.set $x (i32.add (local.get $x) (local.get $i)))
      (local.set $x (select (i32.const 0) (local.get $x) (i32.gt_s (local.get $x) (i32.const 10))))
      (local.set $sum (i32.add (local.get $sum) (local.get $x)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
    (local.get $sum))
)
;;> (assert_return (invoke "imm_true" (i32.const 3) (i32.const 1)) (i32.const 7))
;;> (assert_return (invoke "imm_true" (i32.const 3) (i32.const 0)) (i32.const 3))
;;> (assert_return (invoke "imm_false" (i32.const 3) (i32.const -1)) (i32.const 3))
;;> (assert_return (invoke "imm_false" (i32.const 3) (i32.const 0)) (i32.const -9))
;;> (assert_return (invoke "both_imm" (i32.const 2)) (i32.const 11))
;;> (assert_return (invoke "both_imm" (i32.const 0)) (i32.const 22))
;;> (assert_return (invoke "i64_imm" (i64.const -1) (i32.const 1)) (i64.const 0x1234567890))
;;> (assert_return (invoke "i64_imm" (i64.const -1) (i32.const 0)) (i64.const -1))
;;> (assert_return (invoke "f32_imm" (f32.const 1.5) (i32.const 1)) (f32.const 1.5))
;;> (assert_return (invoke "f32_imm" (f32.const 1.5) (i32.const 0)) (f32.const nan:0x200001))
;;> (assert_return (invoke "f64_imm" (f64.const 2.25) (i32.const 9)) (f64.const -0.5))
;;> (assert_return (invoke "f64_imm" (f64.const 2.25) (i32.const 0)) (f64.const 2.25))
;;> (assert_return (invoke "into_operand_local" (i32.const 4) (i32.const 1)) (i32.const 100))
;;> (assert_return (invoke "into_operand_local" (i32.const 4) (i32.const 0)) (i32.const 4))
;;> (assert_return (invoke "into_operand_local_si" (i32.const 4) (i32.const 1)) (i32.const 4))
;;> (assert_return (invoke "into_operand_local_si" (i32.const 4) (i32.const 0)) (i32.const 200))
;;> (assert_return (invoke "into_condition_local" (i32.const 4) (i32.const 3)) (i32.const 5))
;;> (assert_return (invoke "into_condition_local" (i32.const 4) (i32.const 0)) (i32.const 4))
;;> (assert_return (invoke "clamp_loop" (i32.const 10)) (i32.const 34))
