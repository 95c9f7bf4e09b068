;; threaded-pairs: concatenated pairs (dispatch/src/exec/threaded_pairs.rs) whose first op
;; is a branch, on every configuration. Not from a divergence: in register+acc+fuse each
;; function below compiles to a pair listed in dispatch/src/exec/pair_table.rs (checked
;; with `weft inspect FILE --ir=register+acc+fuse`): `br_i32_eq_si; i32.load8_u_s`,
;; `br_i32_ge_u_ss; i32.load_as`, `br_if_eqz_s; i32.sub_ass`, `br_i32_eq_ss; i32.add_ass`.
;; Each is called with the branch taken and not taken: a pair handler that ran its second
;; op after the first branched would continue after the second op instead of at the
;; target, and return the not-taken answer (or trap on `ge_load`'s out-of-bounds address).
;; Expectations are the spec's.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")
  ;; 100 per iteration plus each of the n bytes from p.
  (func (export "bytes_until") (param $p i32) (param $n i32) (result i32) (local $c i32) (local $sum i32)
    (block $out
      (loop $l
        (local.set $sum (i32.add (local.get $sum) (i32.const 100)))
        (br_if $out (i32.eq (local.get $n) (i32.const 0)))
        (local.set $c (i32.load8_u (local.get $p)))
        (local.set $sum (i32.add (local.get $sum) (local.get $c)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (local.get $sum))
  ;; -1 if i >= n (unsigned), else the i32 at p plus 5.
  (func (export "ge_load") (param $i i32) (param $n i32) (param $p i32) (result i32) (local $r i32)
    (local.set $r (i32.const -1))
    (block $out
      (br_if $out (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $r (i32.add (i32.load (local.get $p)) (i32.const 5))))
    (local.get $r))
  ;; 0 if a is 0, else (b - a) * 3.
  (func (export "eqz_sub") (param $a i32) (param $b i32) (result i32) (local $r i32)
    (block $out
      (br_if $out (i32.eqz (local.get $a)))
      (local.set $r (i32.mul (i32.sub (local.get $b) (local.get $a)) (i32.const 3))))
    (local.get $r))
  ;; 0 if a = b, else (b + a) * 3.
  (func (export "eq_add") (param $a i32) (param $b i32) (result i32) (local $r i32)
    (block $out
      (br_if $out (i32.eq (local.get $a) (local.get $b)))
      (local.set $r (i32.mul (i32.add (local.get $b) (local.get $a)) (i32.const 3))))
    (local.get $r))
)
;;> (assert_return (invoke "bytes_until" (i32.const 0) (i32.const 0)) (i32.const 100))
;;> (assert_return (invoke "bytes_until" (i32.const 0) (i32.const 3)) (i32.const 406))
;;> (assert_return (invoke "bytes_until" (i32.const 4) (i32.const 4)) (i32.const 526))
;;> (assert_return (invoke "ge_load" (i32.const 1) (i32.const 2) (i32.const 0)) (i32.const 67305990))
;;> (assert_return (invoke "ge_load" (i32.const 2) (i32.const 2) (i32.const 0)) (i32.const -1))
;;> (assert_return (invoke "ge_load" (i32.const 5) (i32.const 2) (i32.const 65534)) (i32.const -1))
;;> (assert_trap (invoke "ge_load" (i32.const 1) (i32.const 2) (i32.const 65534)) "out of bounds memory access")
;;> (assert_return (invoke "eqz_sub" (i32.const 0) (i32.const 10)) (i32.const 0))
;;> (assert_return (invoke "eqz_sub" (i32.const 2) (i32.const 10)) (i32.const 24))
;;> (assert_return (invoke "eq_add" (i32.const 4) (i32.const 4)) (i32.const 0))
;;> (assert_return (invoke "eq_add" (i32.const 1) (i32.const 2)) (i32.const 9))
