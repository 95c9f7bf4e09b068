;; register+acc+fuse: a value left on the stack below a chain of ops gives the accumulator
;; up to the chain (`emit_to_acc` in ir/src/register_emitter.rs: the holder moves to its
;; home slot at its producer), and a select's `x & 1` condition whose `x` is in the
;; accumulator still fuses into `select_and_s` (the `x` producer writes the condition's
;; slot). End to end on every configuration. Not from a divergence: the shapes of
;; SHA-256's round (a term computed first and kept below the sum of the others) and of
;; CRC's bit step, and the evicted value read afterwards as either operand of a
;; non-commutative op. Expectations are the spec's.
(module
  ;; s = a * 3 kept below b and the chain t = (c << 1) + d (which takes the
  ;; accumulator); returns s + (b + t).
  (func (export "sum_over_idle") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (i32.mul (local.get $a) (i32.const 3))
    (local.get $b)
    (i32.add (i32.shl (local.get $c) (i32.const 1)) (local.get $d))
    (i32.add)
    (i32.add))
  ;; s - (b - t), t = (c << 1) ^ d.
  (func (export "sub_over_idle") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (i32.mul (local.get $a) (i32.const 3))
    (local.get $b)
    (i32.xor (i32.shl (local.get $c) (i32.const 1)) (local.get $d))
    (i32.sub)
    (i32.sub))
  ;; b - (s - (c + ((d << 1) ^ c))), s = a * 3: the evicted s is the first operand of a
  ;; subtraction whose second is the chain.
  (func (export "sub_under_idle") (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (local.get $b)
    (i32.mul (local.get $a) (i32.const 3))
    (local.get $c)
    (i32.xor (i32.shl (local.get $d) (i32.const 1)) (local.get $c))
    (i32.add)
    (i32.sub)
    (i32.sub))
  ;; (data + 100) + (((crc >> 1) ^ data) & 1 ? p : q)
  (func (export "crc_bit") (param $crc i32) (param $data i32) (param $p i32) (param $q i32) (result i32)
    (i32.add (local.get $data) (i32.const 100))
    (select (local.get $p) (local.get $q)
      (i32.and (i32.xor (i32.shr_u (local.get $crc) (i32.const 1)) (local.get $data))
               (i32.const 1)))
    (i32.add))
)

;;> (assert_return (invoke "sum_over_idle" (i32.const 5) (i32.const 7) (i32.const 11) (i32.const 13)) (i32.const 57))
;;> (assert_return (invoke "sub_over_idle" (i32.const 5) (i32.const 100) (i32.const 7) (i32.const 3)) (i32.const -72))
;;> (assert_return (invoke "sub_under_idle" (i32.const 5) (i32.const 100) (i32.const 7) (i32.const 3)) (i32.const 93))
;;> (assert_return (invoke "crc_bit" (i32.const 2) (i32.const 0) (i32.const 1000) (i32.const 2000)) (i32.const 1100))
;;> (assert_return (invoke "crc_bit" (i32.const 2) (i32.const 2) (i32.const 1000) (i32.const 2000)) (i32.const 1102))
;;> (assert_return (invoke "crc_bit" (i32.const 0) (i32.const 4) (i32.const 1000) (i32.const 2000)) (i32.const 2104))
;;> (assert_return (invoke "crc_bit" (i32.const 2) (i32.const 1) (i32.const 1000) (i32.const 2000)) (i32.const 2101))
;;> (assert_return (invoke "crc_bit" (i32.const 0) (i32.const 3) (i32.const 1000) (i32.const 2000)) (i32.const 1103))
