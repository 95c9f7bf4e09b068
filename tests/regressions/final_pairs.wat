;; register+fuse: the pairs `fuse_pairs` (ir/src/peephole.rs) merges once the code is
;; final: `i32.add_si; i32.add_si` (two pointers stepped together), `i32.mul_aas;
;; i32.add_sas` (a multiply-accumulate), `i32.shl_asi; i32.add_aas` (a scaled index),
;; end to end on every configuration. Not from a divergence: a dot product (CoreMark's
;; matrix loop), a second add stepping the slot the first stepped, a shift count of 33 (taken
;; mod 32), and an add that a branch lands on (not merged, the targets renumbered).
;; Expectations are the spec's.
(module
  (memory 1)
  ;; i16 [1, -2, 3, 4] at 0 and [5, 6, 7, -8] at 8; i32 [10, 20, 30, 40] at 16.
  (data (i32.const 0) "\01\00\fe\ff\03\00\04\00\05\00\06\00\07\00\f8\ff")
  (data (i32.const 16) "\0a\00\00\00\14\00\00\00\1e\00\00\00\28\00\00\00")
  ;; The dot product of the first n i16 of each vector.
  (func (export "dot") (param $n i32) (result i32) (local $p i32) (local $q i32) (local $s i32)
    (local.set $q (i32.const 8))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $l
        (local.set $s (i32.add (i32.mul (i32.load16_s (local.get $p)) (i32.load16_s (local.get $q)))
                               (local.get $s)))
        (local.set $p (i32.add (local.get $p) (i32.const 2)))
        (local.set $q (i32.add (local.get $q) (i32.const 2)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
    (local.get $s))
  ;; x += 1; x += 2 (the second add reads what the first wrote); y += 7; x * 1000 + y.
  (func (export "chained") (param $x i32) (param $y i32) (result i32)
    (local.set $x (i32.add (local.get $x) (i32.const 1)))
    (local.set $x (i32.add (local.get $x) (i32.const 2)))
    (local.set $y (i32.add (local.get $y) (i32.const 7)))
    (i32.add (i32.mul (local.get $x) (i32.const 1000)) (local.get $y)))
  ;; The i32 at base + (i << 2), the base added second and first.
  (func (export "scaled") (param $i i32) (param $base i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get $i) (i32.const 2)) (local.get $base))))
  (func (export "scaled_base_first") (param $i i32) (param $base i32) (result i32)
    (i32.load (i32.add (local.get $base) (i32.shl (local.get $i) (i32.const 2)))))
  ;; The i32 at base + (i << 33): the count is taken mod 32.
  (func (export "shift_wraps") (param $i i32) (param $base i32) (result i32)
    (i32.load (i32.add (i32.shl (local.get $i) (i32.const 33)) (local.get $base))))
  ;; a += 100 before a loop whose first op is b += 1 and next c += 2: the loop's branch
  ;; lands on b's add, so the pair is b and c, not a and b. a * 1000 + b * 10 + c.
  (func (export "into_second") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i32)
    (local.set $a (i32.add (local.get $a) (i32.const 100)))
    (loop $l
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (local.set $c (i32.add (local.get $c) (i32.const 2)))
      (br_if $l (i32.lt_u (local.get $b) (local.get $n))))
    (i32.add (i32.add (i32.mul (local.get $a) (i32.const 1000))
                      (i32.mul (local.get $b) (i32.const 10)))
             (local.get $c)))
)

;;> (assert_return (invoke "dot" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "dot" (i32.const 2)) (i32.const -7))
;;> (assert_return (invoke "dot" (i32.const 4)) (i32.const -18))
;;> (assert_return (invoke "chained" (i32.const 5) (i32.const 1)) (i32.const 8008))
;;> (assert_return (invoke "chained" (i32.const -3) (i32.const -7)) (i32.const 0))
;;> (assert_return (invoke "scaled" (i32.const 2) (i32.const 16)) (i32.const 30))
;;> (assert_return (invoke "scaled" (i32.const 1) (i32.const 24)) (i32.const 40))
;;> (assert_return (invoke "scaled_base_first" (i32.const 3) (i32.const 16)) (i32.const 40))
;;> (assert_return (invoke "scaled_base_first" (i32.const 0) (i32.const 20)) (i32.const 20))
;;> (assert_return (invoke "shift_wraps" (i32.const 4) (i32.const 16)) (i32.const 30))
;;> (assert_return (invoke "shift_wraps" (i32.const 2) (i32.const 16)) (i32.const 20))
;;> (assert_return (invoke "into_second" (i32.const 5)) (i32.const 100060))
;;> (assert_return (invoke "into_second" (i32.const 0)) (i32.const 100012))
