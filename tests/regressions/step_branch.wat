;; register+fuse: `step_into_compare` (ir/src/peephole.rs), a loop counter stepped in place
;; and its exit test fused into `i32_step_br_ne_ss` / `_lt_u_ss` / `_lt_s_ss`, against an
;; immediate into `i32_step_br_ne_si` / `_lt_u_si` (also `le_u`) / `_gt_u_si` (also `ge_u`),
;; and an i64 count-down into `i64_step_br_gt_s_si`, end to end
;; on every configuration. Not from a divergence: each loop is the smallest shape that
;; makes the rule fire (LLVM's bottom-tested `br_if` loops, a rotated `while` loop, the
;; counter on either side of `ne`), with bounds that tell signed from unsigned (a counter
;; crossing from -2 to 2, a step that wraps past 0x7fffffff), a step that is not 1, and a
;; compare whose other operand is the counter itself. Expectations are the spec's.
(module
  ;; do { n++; i += step } while (i != end): counts iterations.
  (func (export "ne_count") (param $i i32) (param $end i32) (param $step i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $l (i32.ne (local.get $i) (local.get $end))))
    (local.get $n))
  ;; The counter as the second operand of `ne`.
  (func (export "ne_swapped") (param $i i32) (param $end i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.ne (local.get $end) (local.get $i))))
    (local.get $n))
  ;; do { ... } while (++i < end), unsigned and signed.
  (func (export "lt_u_count") (param $i i32) (param $end i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $end))))
    (local.get $n))
  (func (export "lt_s_count") (param $i i32) (param $end i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_s (local.get $i) (local.get $end))))
    (local.get $n))
  ;; A step of -1 (`sub` by 1 is not the rule's shape; `add` of -1 is).
  (func (export "lt_s_down") (param $i i32) (param $end i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const -1)))
      (br_if $l (i32.lt_s (local.get $end) (local.get $i))))
    (local.get $n))
  ;; A rotated `while (i < end) i += 2`: the test copied to the back edge fuses with the
  ;; step; returns the final counter.
  (func (export "while_lt_u") (param $i i32) (param $end i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $l)))
    (local.get $i))
  ;; Against immediates: do { n++; i += step } while (i CMP c).
  (func (export "ne_imm") (param $i i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $l (i32.ne (local.get $i) (i32.const 30))))
    (local.get $n))
  (func (export "lt_u_imm") (param $i i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 7))))
    (local.get $n))
  (func (export "le_u_imm") (param $i i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.le_u (local.get $i) (i32.const 7))))
    (local.get $n))
  (func (export "gt_u_imm") (param $i i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const -1)))
      (br_if $l (i32.gt_u (local.get $i) (i32.const 3))))
    (local.get $n))
  (func (export "ge_u_imm") (param $i i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const -1)))
      (br_if $l (i32.ge_u (local.get $i) (i32.const 5))))
    (local.get $n))
  ;; An unsigned test whose counter wraps past 0: do { n++; i++ } while (i > 3).
  (func (export "gt_u_wrap") (param $i i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.gt_u (local.get $i) (i32.const 3))))
    (local.get $n))
  ;; i64 count-downs, rotated `while (n > 1) n -= 2` and `while (n > -5) n -= 3` (signed:
  ;; the counter goes below 0): the iterations times 1000 plus the final n.
  (func (export "down_i64") (param $n i64) (result i64)
    (local $count i64)
    (block $done
      (loop $l
        (br_if $done (i64.le_s (local.get $n) (i64.const 1)))
        (local.set $count (i64.add (local.get $count) (i64.const 1000)))
        (local.set $n (i64.sub (local.get $n) (i64.const 2)))
        (br $l)))
    (i64.add (local.get $count) (local.get $n)))
  (func (export "down_i64_signed") (param $n i64) (result i64)
    (local $count i64)
    (block $done
      (loop $l
        (br_if $done (i64.le_s (local.get $n) (i64.const -5)))
        (local.set $count (i64.add (local.get $count) (i64.const 1000)))
        (local.set $n (i64.sub (local.get $n) (i64.const 3)))
        (br $l)))
    (i64.add (local.get $count) (local.get $n)))
  ;; The compare reads the counter twice: never taken, runs once.
  (func (export "ne_self") (param $i i32) (result i32)
    (local $n i32)
    (loop $l
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 5)))
      (br_if $l (i32.ne (local.get $i) (local.get $i))))
    (i32.add (local.get $n) (local.get $i)))
)

;;> (assert_return (invoke "ne_count" (i32.const 0) (i32.const 30) (i32.const 3)) (i32.const 10))
;;> (assert_return (invoke "ne_count" (i32.const -9) (i32.const 0) (i32.const 3)) (i32.const 3))
;;> (assert_return (invoke "ne_swapped" (i32.const 5) (i32.const 9)) (i32.const 4))
;;> (assert_return (invoke "ne_swapped" (i32.const -1) (i32.const 0)) (i32.const 1))
;;> (assert_return (invoke "lt_u_count" (i32.const 0) (i32.const 7)) (i32.const 7))
;;> (assert_return (invoke "lt_u_count" (i32.const -2) (i32.const 2)) (i32.const 1))
;;> (assert_return (invoke "lt_u_count" (i32.const 5) (i32.const 2)) (i32.const 1))
;;> (assert_return (invoke "lt_s_count" (i32.const -2) (i32.const 2)) (i32.const 4))
;;> (assert_return (invoke "lt_s_count" (i32.const 2147483646) (i32.const 2147483647)) (i32.const 1))
;;> (assert_return (invoke "lt_s_count" (i32.const 2147483647) (i32.const -2147483643)) (i32.const 6))
;;> (assert_return (invoke "lt_s_down" (i32.const 3) (i32.const -2)) (i32.const 5))
;;> (assert_return (invoke "lt_s_down" (i32.const 3) (i32.const 3)) (i32.const 1))
;;> (assert_return (invoke "while_lt_u" (i32.const 0) (i32.const 9)) (i32.const 10))
;;> (assert_return (invoke "while_lt_u" (i32.const 4) (i32.const 4)) (i32.const 4))
;;> (assert_return (invoke "while_lt_u" (i32.const 0x7ffffffc) (i32.const 0x80000001)) (i32.const 0x80000002))
;;> (assert_return (invoke "ne_self" (i32.const 1)) (i32.const 7))
;;> (assert_return (invoke "ne_imm" (i32.const 0)) (i32.const 10))
;;> (assert_return (invoke "ne_imm" (i32.const -9)) (i32.const 13))
;;> (assert_return (invoke "lt_u_imm" (i32.const 0)) (i32.const 7))
;;> (assert_return (invoke "lt_u_imm" (i32.const -2)) (i32.const 1))
;;> (assert_return (invoke "le_u_imm" (i32.const 0)) (i32.const 8))
;;> (assert_return (invoke "le_u_imm" (i32.const 7)) (i32.const 1))
;;> (assert_return (invoke "gt_u_imm" (i32.const 10)) (i32.const 7))
;;> (assert_return (invoke "gt_u_imm" (i32.const 1)) (i32.const 1))
;;> (assert_return (invoke "ge_u_imm" (i32.const 10)) (i32.const 6))
;;> (assert_return (invoke "ge_u_imm" (i32.const 5)) (i32.const 1))
;;> (assert_return (invoke "down_i64" (i64.const 10)) (i64.const 5000))
;;> (assert_return (invoke "down_i64" (i64.const 11)) (i64.const 5001))
;;> (assert_return (invoke "down_i64" (i64.const -3)) (i64.const -3))
;;> (assert_return (invoke "down_i64" (i64.const 0x8000000000000001)) (i64.const 0x8000000000000001))
;;> (assert_return (invoke "gt_u_wrap" (i32.const -2)) (i32.const 2))
;;> (assert_return (invoke "gt_u_wrap" (i32.const 2)) (i32.const 1))
;;> (assert_return (invoke "down_i64_signed" (i64.const 4)) (i64.const 2995))
