;; A call zeroes only the locals that may be read before they are written
;; (ir/src/definite_writes.rs); the others hold whatever an earlier frame left there. Each
;; `read_*` function writes a local on some paths only and then reads it: on the path that
;; skips the write it must read 0. `dirty` runs first at the same stack depth and leaves
;; nonzero values in every slot of its frame, so a local wrongly taken as written reads
;; garbage. Not from a divergence: one shape per way a write can be skipped (a `br_if`
;; before it, an `if` arm, an `else` arm, a `br_table`, a loop's first iteration, a block
;; branched out of from inside), and two where the write does cover the read. The
;; expected values are the spec's.
(module
  (func $dirty (param i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32)
    (local.set 1 (i32.const 11)) (local.set 2 (i32.const 12)) (local.set 3 (i32.const 13))
    (local.set 4 (i32.const 14)) (local.set 5 (i32.const 15)) (local.set 6 (i32.const 16))
    (local.set 7 (i32.const 17)) (local.set 8 (i32.const 18))
    (i32.add (local.get 0)
      (i32.add (i32.add (local.get 1) (local.get 2)) (i32.add (local.get 7) (local.get 8)))))
  ;; `br_if` over the write.
  (func $skip_br_if (param i32) (result i32) (local i32 i32 i32)
    (block (br_if 0 (local.get 0)) (local.set 2 (i32.const 7)))
    (local.get 2))
  ;; Written in the `if` arm only.
  (func $then_only (param i32) (result i32) (local i32 i32 i32)
    (if (local.get 0) (then (local.set 3 (i32.const 8))))
    (local.get 3))
  ;; Written in the `then` arm, read in the `else` arm.
  (func $read_in_else (param i32) (result i32) (local i32 i32 i32)
    (if (result i32) (local.get 0)
      (then (local.set 1 (i32.const 9)) (local.get 1))
      (else (local.get 1))))
  ;; `br_table` over the write.
  (func $skip_br_table (param i32) (result i32) (local i32 i32 i32)
    (block (block (br_table 0 1 (local.get 0))) (local.set 3 (i32.const 10)))
    (local.get 3))
  ;; Read before the write on a loop's first iteration; the sum is of all iterations.
  (func $loop_first (param i32) (result i32) (local i32 i32 i32)
    (loop $l
      (local.set 2 (i32.add (local.get 2) (local.get 3)))
      (local.set 3 (i32.const 100))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 2))
  ;; An inner block branches to the outer one, skipping a write in between.
  (func $skip_outer (param i32) (result i32) (local i32 i32 i32)
    (block $outer
      (block (br_if $outer (local.get 0)))
      (local.set 1 (i32.const 12)))
    (local.get 1))
  ;; Covered: written before the only branch, and written in both arms.
  (func $covered (param i32) (result i32) (local i32 i32 i32)
    (local.set 1 (i32.const 5))
    (block (br_if 0 (local.get 0)) (local.set 2 (i32.const 6)))
    (if (local.get 0) (then (local.set 3 (i32.const 1))) (else (local.set 3 (i32.const 2))))
    (i32.add (local.get 1) (local.get 3)))
  (func (export "skip_br_if") (param i32) (result i32)
    (drop (call $dirty (i32.const 1))) (call $skip_br_if (local.get 0)))
  (func (export "then_only") (param i32) (result i32)
    (drop (call $dirty (i32.const 1))) (call $then_only (local.get 0)))
  (func (export "read_in_else") (param i32) (result i32)
    (drop (call $dirty (i32.const 1))) (call $read_in_else (local.get 0)))
  (func (export "skip_br_table") (param i32) (result i32)
    (drop (call $dirty (i32.const 1))) (call $skip_br_table (local.get 0)))
  (func (export "loop_first") (param i32) (result i32)
    (drop (call $dirty (i32.const 1))) (call $loop_first (local.get 0)))
  (func (export "skip_outer") (param i32) (result i32)
    (drop (call $dirty (i32.const 1))) (call $skip_outer (local.get 0)))
  (func (export "covered") (param i32) (result i32)
    (drop (call $dirty (i32.const 1))) (call $covered (local.get 0)))
)
;;> (assert_return (invoke "skip_br_if" (i32.const 1)) (i32.const 0))
;;> (assert_return (invoke "skip_br_if" (i32.const 0)) (i32.const 7))
;;> (assert_return (invoke "then_only" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "then_only" (i32.const 1)) (i32.const 8))
;;> (assert_return (invoke "read_in_else" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "read_in_else" (i32.const 1)) (i32.const 9))
;;> (assert_return (invoke "skip_br_table" (i32.const 1)) (i32.const 0))
;;> (assert_return (invoke "skip_br_table" (i32.const 0)) (i32.const 10))
;;> (assert_return (invoke "loop_first" (i32.const 1)) (i32.const 0))
;;> (assert_return (invoke "loop_first" (i32.const 3)) (i32.const 200))
;;> (assert_return (invoke "skip_outer" (i32.const 1)) (i32.const 0))
;;> (assert_return (invoke "skip_outer" (i32.const 0)) (i32.const 12))
;;> (assert_return (invoke "covered" (i32.const 0)) (i32.const 7))
;;> (assert_return (invoke "covered" (i32.const 1)) (i32.const 6))
