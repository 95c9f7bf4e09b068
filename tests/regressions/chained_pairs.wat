;; threaded-pairs: chained pairs (dispatch/src/exec/threaded_pairs.rs), whose second op
;; takes one operand from the first op's `dst` in a register, on every configuration. Not
;; from a divergence. In register+acc+fuse each function below compiles to a pair listed
;; `via OPERAND` in dispatch/src/exec/pair_table.rs (checked with `weft inspect FILE
;; --ir=register+acc+fuse`): `i32.crc_step_s; i32.crc_step_s` via a (CoreMark's CRC bit
;; steps), `i32.and_ss; i32.xor_ss` via b, `i32.add_si; i32.store_ss` via value,
;; `i32.add_ss; i32.load8_u_s` via addr, `i32.and_si; br_if_nez_s` via cond. Each comes
;; chained and not chained (the second op reads another slot; `xor_a` is chained through
;; `a`, not the listed `b`; `crc_steps_other`'s second step shifts another value): an
;; encoder that picked the chained handler for the latter, or a handler that replaced
;; another operand, would read the first op's result instead and return the chained
;; answer. `crc_chained`, `crc_unchained` and `crc_bits_other` are the parts of a CRC
;; step that do not make one (they were listed pairs before the step was one op).
;; Expectations are the spec's.
(module
  (memory 1)
  (data (i32.const 0) "\01\02\03\04\05\06\07\08")
  ;; shr_u_and_ssii then xor_si, chained through `a`, and not: the xor reads $y.
  (func (export "crc_chained") (param $x i32) (result i32) (local $t i32) (local $u i32)
    (local.set $t (i32.and (i32.shr_u (local.get $x) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $u (i32.xor (local.get $t) (i32.const 0xa001)))
    (i32.add (local.get $u) (i32.mul (local.get $t) (i32.const 3))))
  (func (export "crc_unchained") (param $x i32) (param $y i32) (result i32) (local $t i32) (local $u i32)
    (local.set $t (i32.and (i32.shr_u (local.get $x) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $u (i32.xor (local.get $y) (i32.const 0xa001)))
    (i32.add (local.get $u) (i32.mul (local.get $t) (i32.const 3))))
  ;; and_ss then xor_ss, chained through `b`; not chained; chained through `a` only.
  (func (export "xor_b") (param $x i32) (param $y i32) (param $z i32) (result i32) (local $t i32) (local $u i32)
    (local.set $t (i32.and (local.get $x) (local.get $y)))
    (local.set $u (i32.xor (local.get $z) (local.get $t)))
    (i32.add (local.get $u) (i32.mul (local.get $t) (i32.const 3))))
  (func (export "xor_other") (param $x i32) (param $y i32) (param $z i32) (param $w i32) (result i32) (local $t i32) (local $u i32)
    (local.set $t (i32.and (local.get $x) (local.get $y)))
    (local.set $u (i32.xor (local.get $z) (local.get $w)))
    (i32.add (local.get $u) (i32.mul (local.get $t) (i32.const 3))))
  (func (export "xor_a") (param $x i32) (param $y i32) (param $z i32) (result i32) (local $t i32) (local $u i32)
    (local.set $t (i32.and (local.get $x) (local.get $y)))
    (local.set $u (i32.xor (local.get $t) (local.get $z)))
    (i32.add (local.get $u) (i32.mul (local.get $t) (i32.const 3))))
  ;; add_si then store_ss, chained through `value`, and not.
  (func (export "store_sum") (param $p i32) (param $x i32) (result i32) (local $t i32)
    (local.set $t (i32.add (local.get $x) (i32.const 5)))
    (i32.store (local.get $p) (local.get $t))
    (i32.add (i32.load (local.get $p)) (i32.mul (local.get $t) (i32.const 3))))
  (func (export "store_other") (param $p i32) (param $x i32) (param $y i32) (result i32) (local $t i32)
    (local.set $t (i32.add (local.get $x) (i32.const 5)))
    (i32.store (local.get $p) (local.get $y))
    (i32.add (i32.load (local.get $p)) (i32.mul (local.get $t) (i32.const 3))))
  ;; add_ss then load8_u_s, chained through `addr`, and not.
  (func (export "load_at_sum") (param $p i32) (param $i i32) (result i32) (local $a i32) (local $v i32)
    (local.set $a (i32.add (local.get $p) (local.get $i)))
    (local.set $v (i32.load8_u (local.get $a)))
    (i32.add (local.get $v) (i32.mul (local.get $a) (i32.const 100))))
  (func (export "load_at_other") (param $p i32) (param $i i32) (param $q i32) (result i32) (local $a i32) (local $v i32)
    (local.set $a (i32.add (local.get $p) (local.get $i)))
    (local.set $v (i32.load8_u (local.get $q)))
    (i32.add (local.get $v) (i32.mul (local.get $a) (i32.const 100))))
  ;; and_si then br_if_nez_s, chained through `cond`, and not.
  (func (export "odd") (param $x i32) (result i32) (local $t i32)
    (block $out
      (local.set $t (i32.and (local.get $x) (i32.const 1)))
      (br_if $out (local.get $t))
      (return (i32.const 100)))
    (i32.add (local.get $t) (i32.const 10)))
  (func (export "odd_other") (param $x i32) (param $c i32) (result i32) (local $t i32)
    (block $out
      (local.set $t (i32.and (local.get $x) (i32.const 1)))
      (br_if $out (local.get $c))
      (return (i32.add (local.get $t) (i32.const 100))))
    (i32.add (local.get $t) (i32.const 10)))
  ;; Two CRC bit steps, the second chained to the first through `a`.
  (func (export "crc_bits") (param $crc i32) (param $data i32) (result i32) (local $t i32)
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 2)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 3)) (local.get $crc)) (i32.const 1))))
    (local.get $crc))
  ;; Two CRC bit steps, the second on $e rather than on the first's result.
  (func (export "crc_steps_other") (param $crc i32) (param $data i32) (param $e i32) (result i32) (local $t i32)
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 2)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $e) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $e (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 3)) (local.get $e)) (i32.const 1))))
    (i32.add (i32.mul (local.get $crc) (i32.const 65536)) (local.get $e)))
  ;; The same pair not chained: the select takes the xor's result as `b` and its
  ;; condition from $d (the chained handler would test the xor's low bit instead).
  (func (export "crc_bits_other") (param $crc i32) (param $data i32) (param $d i32) (result i32) (local $t i32)
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001))
      (i32.xor (i32.shr_u (local.get $data) (i32.const 2)) (local.get $crc))
      (i32.and (local.get $d) (i32.const 1))))
    (local.get $crc))
)
;;> (assert_return (invoke "crc_chained" (i32.const 4661)) (i32.const 50281))
;;> (assert_return (invoke "crc_chained" (i32.const -1)) (i32.const 155643))
;;> (assert_return (invoke "crc_unchained" (i32.const 4661) (i32.const 7)) (i32.const 47956))
;;> (assert_return (invoke "xor_b" (i32.const 12) (i32.const 10) (i32.const 5)) (i32.const 37))
;;> (assert_return (invoke "xor_other" (i32.const 12) (i32.const 10) (i32.const 5) (i32.const 3)) (i32.const 30))
;;> (assert_return (invoke "xor_a" (i32.const 12) (i32.const 10) (i32.const 5)) (i32.const 37))
;;> (assert_return (invoke "store_sum" (i32.const 16) (i32.const 10)) (i32.const 60))
;;> (assert_return (invoke "store_other" (i32.const 16) (i32.const 10) (i32.const 7)) (i32.const 52))
;;> (assert_return (invoke "load_at_sum" (i32.const 1) (i32.const 2)) (i32.const 304))
;;> (assert_return (invoke "load_at_other" (i32.const 1) (i32.const 2) (i32.const 6)) (i32.const 307))
;;> (assert_return (invoke "odd" (i32.const 3)) (i32.const 11))
;;> (assert_return (invoke "odd" (i32.const 4)) (i32.const 100))
;;> (assert_return (invoke "odd_other" (i32.const 3) (i32.const 0)) (i32.const 101))
;;> (assert_return (invoke "odd_other" (i32.const 2) (i32.const 1)) (i32.const 10))
;;> (assert_return (invoke "crc_bits" (i32.const 4660) (i32.const 4)) (i32.const 62604))
;;> (assert_return (invoke "crc_bits" (i32.const 4660) (i32.const 8)) (i32.const 42124))
;;> (assert_return (invoke "crc_bits" (i32.const 1) (i32.const 255)) (i32.const 40961))
;;> (assert_return (invoke "crc_bits_other" (i32.const 4660) (i32.const 4) (i32.const 0)) (i32.const 4661))
;;> (assert_return (invoke "crc_bits_other" (i32.const 4660) (i32.const 0) (i32.const 1)) (i32.const 43291))
;;> (assert_return (invoke "crc_steps_other" (i32.const 4660) (i32.const 4) (i32.const 119)) (i32.const -1457807302))
;;> (assert_return (invoke "crc_steps_other" (i32.const 4660) (i32.const 8) (i32.const 4661)) (i32.const 152701210))
;;> (assert_return (invoke "crc_steps_other" (i32.const 1) (i32.const 255) (i32.const 2)) (i32.const 40960))
