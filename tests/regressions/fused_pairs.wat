;; register+fuse: the fused ops chosen from op-pair counts (ir/src/peephole.rs:
;; `eqz_into_producer`, `shift_into_mask`, `copy_into_copy`, `copy_into_br_if`,
;; `result_into_br_if`, `mask_into_compare`,
;; `load_into_store`), end to end on every configuration. Not from a divergence: each function is the smallest
;; shape that makes one rule fire, with cases for the branch taken and not taken, the
;; orders of the two parts of a fused op (a copy whose destination the second part
;; reads), the loops whose back edges are fused (counted iterations), and a trap in the
;; first part of a fused op. Expectations are the spec's.
(module
  (memory 1)
  ;; A list at 16: 16 -> 32 -> 48 -> 0 (next pointer at offset 0, value at offset 4).
  (data (i32.const 16) "\20\00\00\00\01\00\00\00")
  (data (i32.const 32) "\30\00\00\00\02\00\00\00")
  (data (i32.const 48) "\00\00\00\00\04\00\00\00")
  ;; A second list for `reverse`: 64 -> 80 -> 96 -> 0, values 1, 2, 3.
  (data (i32.const 64) "\50\00\00\00\01\00\00\00")
  (data (i32.const 80) "\60\00\00\00\02\00\00\00")
  (data (i32.const 96) "\00\00\00\00\03\00\00\00")
  ;; A pointer at 1024 to 1040 (for `load_store_into_address`).
  (data (i32.const 1024) "\10\04\00\00")

  ;; eqz of a comparison -> the negated comparison (as a value and as a branch).
  (func (export "eqz_lt") (param i32 i32) (result i32)
    (i32.eqz (i32.lt_s (local.get 0) (local.get 1))))
  (func (export "eqz_lt_br") (param i32) (result i32)
    (block $b
      (br_if $b (i32.eqz (i32.lt_u (local.get 0) (i32.const 10))))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "eqz_i64_gt_if") (param i64 i64) (result i32)
    (if (result i32) (i32.eqz (i64.gt_s (local.get 0) (local.get 1)))
      (then (i32.const 10))
      (else (i32.const 20))))
  ;; eqz of xor / sub -> eq.
  (func (export "eqz_xor") (param i32 i32) (result i32)
    (i32.eqz (i32.xor (local.get 0) (local.get 1))))
  (func (export "eqz_xor_br") (param i32 i32) (result i32)
    (block $b
      (br_if $b (i32.eqz (i32.xor (local.get 0) (local.get 1))))
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "eqz_sub_imm") (param i32) (result i32)
    (i32.eqz (i32.sub (local.get 0) (i32.const 7))))
  (func (export "eqz_imm_sub") (param i32) (result i32)
    (i32.eqz (i32.sub (i32.const 7) (local.get 0))))
  (func (export "eqz_i64_xor") (param i64 i64) (result i32)
    (i64.eqz (i64.xor (local.get 0) (local.get 1))))
  (func (export "eqz_i64_sub_if") (param i64) (result i32)
    (if (result i32) (i64.eqz (i64.sub (local.get 0) (i64.const 5)))
      (then (i32.const 10))
      (else (i32.const 20))))
  ;; eqz of a comparison whose result was also kept: nothing to rewrite.
  (func (export "eqz_tee") (param i32 i32) (result i32)
    (local i32)
    (i32.eqz (local.tee 2 (i32.lt_s (local.get 0) (local.get 1))))
    (i32.mul (i32.const 10))
    (i32.add (local.get 2)))

  ;; shr_u by a constant, then and with a constant -> one bit-field extract (into the
  ;; accumulator, and into a local; the shift count is taken mod 32).
  (func (export "bits") (param i32) (result i32)
    (i32.and (i32.shr_u (local.get 0) (i32.const 4)) (i32.const 0xff)))
  (func (export "bits_set") (param i32) (result i32)
    (local i32)
    (local.set 1 (i32.and (i32.shr_u (local.get 0) (i32.const 36)) (i32.const 0xf)))
    (i32.add (local.get 1) (local.get 1)))

  ;; copy; copy -> copy2, the second reading the first's destination.
  (func (export "copy_chain") (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (local.get 0))
    (local.set 2 (local.get 1))
    (i32.add (i32.mul (local.get 1) (i32.const 100)) (local.get 2)))
  ;; Swap through a temporary: t = a; a = b; b = t.
  (func (export "swap") (param i32 i32) (result i32)
    (local i32)
    (local.set 2 (local.get 0))
    (local.set 0 (local.get 1))
    (local.set 1 (local.get 2))
    (i32.sub (i32.mul (local.get 0) (i32.const 100)) (local.get 1)))

  ;; copy; br_if_nez -> copy_br_if_nez, the branch testing the copied value.
  (func (export "copy_br") (param i32) (result i32)
    (local i32)
    (block $b
      (local.set 1 (local.get 0))
      (br_if $b (local.get 1))
      (return (i32.const -1)))
    (local.get 1))
  ;; ... and testing another value.
  (func (export "copy_br_other") (param i32 i32) (result i32)
    (local i32)
    (block $b
      (local.set 2 (local.get 0))
      (br_if $b (local.get 1))
      (return (i32.sub (i32.const 0) (local.get 2))))
    (local.get 2))

  ;; add_si -> x; br_if x: a count-down loop (the back edge is the fused op).
  (func (export "countdown") (param i32) (result i32)
    (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.const 3)))
      (br_if $l (local.tee 0 (i32.add (local.get 0) (i32.const -1)))))
    (local.get 1))
  ;; The same with sub (fused as an add of the negated constant), and i32.sub of
  ;; i32.min wrapping.
  (func (export "countdown_sub") (param i32) (result i32)
    (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 2)))))
    (local.get 1))
  (func (export "sub_min_br") (param i32) (result i32)
    (block $b
      (br_if $b (local.tee 0 (i32.sub (local.get 0) (i32.const 0x80000000))))
      (return (i32.const -1)))
    (local.get 0))
  ;; load -> p; br_if p: walk a list, summing the values.
  (func (export "walk") (param i32) (result i32)
    (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.load offset=4 (local.get 0))))
      (br_if $l (local.tee 0 (i32.load (local.get 0)))))
    (local.get 1))
  ;; The load traps before the branch.
  (func (export "load_br_trap") (param i32) (result i32)
    (local i32)
    (block $b
      (br_if $b (local.tee 1 (i32.load (local.get 0))))
      (return (i32.const 0)))
    (local.get 1))

  ;; and_si -> d; br_i32_eq_ss x d -> and_si_br_eq_ss, the masked value on either side,
  ;; or on both.
  (func (export "mask_eq") (param i32 i32) (result i32)
    (block $b
      (br_if $b (i32.eq (local.get 1) (i32.and (local.get 0) (i32.const 0xffff))))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "mask_eq_left") (param i32 i32) (result i32)
    (block $b
      (br_if $b (i32.eq (i32.and (local.get 0) (i32.const 0xff)) (local.get 1)))
      (return (i32.const 0)))
    (i32.const 1))
  (func (export "mask_eq_self") (param i32) (result i32)
    (local i32)
    (block $b
      (br_if $b (i32.eq (local.tee 1 (i32.and (local.get 0) (i32.const 0xf0))) (local.get 1)))
      (return (i32.const -1)))
    (local.get 1))
  ;; The masked value in a local; and with a label between (not merged).
  (func (export "mask_local") (param i32 i32) (result i32)
    (local i32)
    (local.set 2 (i32.and (local.get 0) (i32.const 0xff)))
    (block $b
      (br_if $b (i32.eq (local.get 1) (local.get 2)))
      (return (local.get 2)))
    (i32.sub (i32.const 0) (local.get 2)))
  (func (export "mask_label_between") (param i32 i32 i32) (result i32)
    (local i32)
    (block $b
      (br_if $b (local.get 2))
      (local.set 3 (i32.and (local.get 0) (i32.const 0xff))))
    (block $o
      (br_if $o (i32.eq (local.get 1) (local.get 3)))
      (return (i32.const -1)))
    (local.get 3))
  ;; The `if` form (`ne`, negated to `eq`).
  (func (export "mask_if") (param i32 i32) (result i32)
    (if (result i32) (i32.ne (local.get 1) (i32.and (local.get 0) (i32.const 0xff)))
      (then (i32.const 1))
      (else (i32.const 2))))
  ;; A fused back edge: count x up while (x & 3) == y.
  (func (export "mask_loop") (param i32 i32) (result i32)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (br_if $l (i32.eq (local.get 1) (i32.and (local.get 0) (i32.const 3)))))
    (local.get 0))
  ;; CoreMark's list search: find the node whose value is `key & 0xff`.
  (func (export "find") (param i32 i32) (result i32)
    (block $found
      (loop $l
        (br_if $found (i32.eq (i32.load offset=4 (local.get 0))
                              (i32.and (local.get 1) (i32.const 0xff))))
        (br_if $l (local.tee 0 (i32.load (local.get 0))))))
    (local.get 0))

  ;; load_s d <- [p]; store_ss [p] <- v -> load_store_s: a list reversal.
  (func (export "reverse") (param i32) (result i32)
    (local i32 i32)
    (loop $l
      (local.set 2 (i32.load (local.get 0)))
      (i32.store (local.get 0) (local.get 1))
      (local.set 1 (local.get 0))
      (br_if $l (local.tee 0 (local.get 2))))
    (local.get 1))
  ;; The values of a list as decimal digits, head first.
  (func (export "digits") (param i32) (result i32)
    (local i32)
    (loop $l
      (local.set 1 (i32.add (i32.mul (local.get 1) (i32.const 10))
                            (i32.load offset=4 (local.get 0))))
      (br_if $l (local.tee 0 (i32.load (local.get 0)))))
    (local.get 1))
  ;; Exchange a word: the old value, and the new one read back; the value stored may be
  ;; the one just loaded.
  (func (export "exchange") (param i32 i32) (result i32)
    (local i32)
    (local.set 2 (i32.load offset=8 (local.get 0)))
    (i32.store offset=8 (local.get 0) (local.get 1))
    (i32.add (i32.mul (local.get 2) (i32.const 1000)) (i32.load offset=8 (local.get 0))))
  (func (export "store_back") (param i32) (result i32)
    (local i32)
    (local.set 1 (i32.load (local.get 0)))
    (i32.store (local.get 0) (local.get 1))
    (i32.load (local.get 0)))
  ;; The load overwrites the address: the store goes to the loaded pointer (not merged).
  (func (export "load_store_into_address") (param i32 i32) (result i32)
    (local.set 0 (i32.load (local.get 0)))
    (i32.store (local.get 0) (local.get 1))
    (i32.add (i32.mul (i32.load (i32.const 1024)) (i32.const 1000))
             (i32.load (i32.const 1040))))
  ;; A label between the load and the store: not merged.
  (func (export "load_store_label") (param i32 i32 i32) (result i32)
    (local i32)
    (block $b
      (br_if $b (local.get 1))
      (local.set 3 (i32.load (local.get 0))))
    (i32.store (local.get 0) (local.get 2))
    (i32.add (i32.mul (local.get 3) (i32.const 1000)) (i32.load (local.get 0))))
  ;; Other offsets: not merged.
  (func (export "load_store_offsets") (param i32 i32) (result i32)
    (local i32)
    (local.set 2 (i32.load offset=4 (local.get 0)))
    (i32.store (local.get 0) (local.get 1))
    (i32.add (i32.mul (local.get 2) (i32.const 1000)) (i32.load (local.get 0))))

  ;; `i32.and_si; select_s` (mask_into_select): CRC-16's bit loop, one select per bit
  ;; on `(crc ^ data) & 1`, and a select on a high bit with the values swapped.
  (func (export "crc8") (param $data i32) (param $crc i32) (result i32)
    (local $i i32)
    (loop $bit
      (local.set $crc
        (select (i32.xor (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0xa001))
                (i32.shr_u (local.get $crc) (i32.const 1))
                (i32.and (i32.xor (local.get $crc) (local.get $data)) (i32.const 1))))
      (local.set $data (i32.shr_u (local.get $data) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $bit (i32.lt_u (local.get $i) (i32.const 8))))
    (local.get $crc))
  (func (export "high_bit") (param i32 i32 i32) (result i32)
    (select (local.get 1) (local.get 2) (i32.and (local.get 0) (i32.const 0x80000000)))))
;;> (assert_return (invoke "eqz_lt" (i32.const 1) (i32.const 2)) (i32.const 0))
;;> (assert_return (invoke "eqz_lt" (i32.const 2) (i32.const 2)) (i32.const 1))
;;> (assert_return (invoke "eqz_lt" (i32.const -5) (i32.const 2)) (i32.const 0))
;;> (assert_return (invoke "eqz_lt_br" (i32.const 3)) (i32.const 1))
;;> (assert_return (invoke "eqz_lt_br" (i32.const 10)) (i32.const 2))
;;> (assert_return (invoke "eqz_lt_br" (i32.const -1)) (i32.const 2))
;;> (assert_return (invoke "eqz_i64_gt_if" (i64.const 1) (i64.const 2)) (i32.const 10))
;;> (assert_return (invoke "eqz_i64_gt_if" (i64.const 3) (i64.const 2)) (i32.const 20))
;;> (assert_return (invoke "eqz_xor" (i32.const 7) (i32.const 7)) (i32.const 1))
;;> (assert_return (invoke "eqz_xor" (i32.const 7) (i32.const 6)) (i32.const 0))
;;> (assert_return (invoke "eqz_xor_br" (i32.const 7) (i32.const 7)) (i32.const 2))
;;> (assert_return (invoke "eqz_xor_br" (i32.const 7) (i32.const 8)) (i32.const 1))
;;> (assert_return (invoke "eqz_sub_imm" (i32.const 7)) (i32.const 1))
;;> (assert_return (invoke "eqz_sub_imm" (i32.const 8)) (i32.const 0))
;;> (assert_return (invoke "eqz_imm_sub" (i32.const 7)) (i32.const 1))
;;> (assert_return (invoke "eqz_imm_sub" (i32.const -7)) (i32.const 0))
;;> (assert_return (invoke "eqz_i64_xor" (i64.const 0x100000000) (i64.const 0)) (i32.const 0))
;;> (assert_return (invoke "eqz_i64_xor" (i64.const -1) (i64.const -1)) (i32.const 1))
;;> (assert_return (invoke "eqz_i64_sub_if" (i64.const 5)) (i32.const 10))
;;> (assert_return (invoke "eqz_i64_sub_if" (i64.const 0x100000005)) (i32.const 20))
;;> (assert_return (invoke "eqz_tee" (i32.const 1) (i32.const 2)) (i32.const 1))
;;> (assert_return (invoke "eqz_tee" (i32.const 2) (i32.const 1)) (i32.const 10))
;;> (assert_return (invoke "bits" (i32.const 0x12345678)) (i32.const 0x67))
;;> (assert_return (invoke "bits" (i32.const -1)) (i32.const 0xff))
;;> (assert_return (invoke "bits_set" (i32.const 0x12345678)) (i32.const 14))
;;> (assert_return (invoke "copy_chain" (i32.const 7)) (i32.const 707))
;;> (assert_return (invoke "swap" (i32.const 3) (i32.const 5)) (i32.const 497))
;;> (assert_return (invoke "copy_br" (i32.const 0)) (i32.const -1))
;;> (assert_return (invoke "copy_br" (i32.const 9)) (i32.const 9))
;;> (assert_return (invoke "copy_br_other" (i32.const 4) (i32.const 0)) (i32.const -4))
;;> (assert_return (invoke "copy_br_other" (i32.const 4) (i32.const 1)) (i32.const 4))
;;> (assert_return (invoke "countdown" (i32.const 1)) (i32.const 3))
;;> (assert_return (invoke "countdown" (i32.const 5)) (i32.const 15))
;;> (assert_return (invoke "countdown_sub" (i32.const 6)) (i32.const 3))
;;> (assert_return (invoke "countdown_sub" (i32.const 2)) (i32.const 1))
;;> (assert_return (invoke "sub_min_br" (i32.const 0x80000000)) (i32.const -1))
;;> (assert_return (invoke "sub_min_br" (i32.const 1)) (i32.const 0x80000001))
;;> (assert_return (invoke "walk" (i32.const 16)) (i32.const 7))
;;> (assert_return (invoke "walk" (i32.const 32)) (i32.const 6))
;;> (assert_return (invoke "walk" (i32.const 48)) (i32.const 4))
;;> (assert_return (invoke "load_br_trap" (i32.const 16)) (i32.const 32))
;;> (assert_return (invoke "load_br_trap" (i32.const 0)) (i32.const 0))
;;> (assert_trap (invoke "load_br_trap" (i32.const 65534)) "out of bounds memory access")
;;> (assert_return (invoke "mask_eq" (i32.const 0x12345678) (i32.const 0x5678)) (i32.const 1))
;;> (assert_return (invoke "mask_eq" (i32.const 0x12345678) (i32.const 0x1234)) (i32.const 0))
;;> (assert_return (invoke "mask_eq" (i32.const -1) (i32.const 0xffff)) (i32.const 1))
;;> (assert_return (invoke "mask_eq" (i32.const -1) (i32.const -1)) (i32.const 0))
;;> (assert_return (invoke "mask_eq_left" (i32.const 0x1ff) (i32.const 0xff)) (i32.const 1))
;;> (assert_return (invoke "mask_eq_left" (i32.const 0x1ff) (i32.const 0x1ff)) (i32.const 0))
;;> (assert_return (invoke "mask_eq_self" (i32.const 0x1234)) (i32.const 0x30))
;;> (assert_return (invoke "find" (i32.const 16) (i32.const 0x102)) (i32.const 32))
;;> (assert_return (invoke "find" (i32.const 16) (i32.const 0x304)) (i32.const 48))
;;> (assert_return (invoke "find" (i32.const 16) (i32.const 0x108)) (i32.const 0))
;;> (assert_return (invoke "digits" (i32.const 64)) (i32.const 123))
;;> (assert_return (invoke "reverse" (i32.const 64)) (i32.const 96))
;;> (assert_return (invoke "digits" (i32.const 96)) (i32.const 321))
;;> (assert_return (invoke "reverse" (i32.const 96)) (i32.const 64))
;;> (assert_return (invoke "digits" (i32.const 64)) (i32.const 123))
;;> (assert_trap (invoke "reverse" (i32.const 65533)) "out of bounds memory access")
;;> (assert_return (invoke "exchange" (i32.const 2000) (i32.const 5)) (i32.const 5))
;;> (assert_return (invoke "exchange" (i32.const 2000) (i32.const 9)) (i32.const 5009))
;;> (assert_return (invoke "exchange" (i32.const 65524) (i32.const 3)) (i32.const 3))
;;> (assert_trap (invoke "exchange" (i32.const 65525) (i32.const 4)) "out of bounds memory access")
;;> (assert_return (invoke "exchange" (i32.const 65524) (i32.const 6)) (i32.const 3006))
;;> (assert_return (invoke "store_back" (i32.const 32)) (i32.const 48))
;;> (assert_return (invoke "load_store_into_address" (i32.const 1024) (i32.const 77)) (i32.const 1040077))
;;> (assert_return (invoke "load_store_offsets" (i32.const 3000) (i32.const 8)) (i32.const 8))
;;> (assert_return (invoke "load_store_offsets" (i32.const 2996) (i32.const 1)) (i32.const 8001))
;;> (assert_return (invoke "mask_local" (i32.const 0x1234) (i32.const 0x34)) (i32.const -0x34))
;;> (assert_return (invoke "mask_local" (i32.const 0x1234) (i32.const 0x1234)) (i32.const 0x34))
;;> (assert_return (invoke "mask_label_between" (i32.const 0x1234) (i32.const 0x34) (i32.const 0)) (i32.const 0x34))
;;> (assert_return (invoke "mask_label_between" (i32.const 0x1234) (i32.const 0x35) (i32.const 0)) (i32.const -1))
;;> (assert_return (invoke "mask_label_between" (i32.const 0x1234) (i32.const 0) (i32.const 1)) (i32.const 0))
;;> (assert_return (invoke "mask_label_between" (i32.const 0x1234) (i32.const 0x34) (i32.const 1)) (i32.const -1))
;;> (assert_return (invoke "load_store_label" (i32.const 4000) (i32.const 0) (i32.const 5)) (i32.const 5))
;;> (assert_return (invoke "load_store_label" (i32.const 4000) (i32.const 1) (i32.const 7)) (i32.const 7))
;;> (assert_return (invoke "load_store_label" (i32.const 4000) (i32.const 0) (i32.const 9)) (i32.const 7009))
;;> (assert_return (invoke "mask_if" (i32.const 0x1234) (i32.const 0x34)) (i32.const 2))
;;> (assert_return (invoke "mask_if" (i32.const 0x1234) (i32.const 0x35)) (i32.const 1))
;;> (assert_return (invoke "mask_loop" (i32.const 0) (i32.const 1)) (i32.const 2))
;;> (assert_return (invoke "mask_loop" (i32.const 4) (i32.const 1)) (i32.const 6))
;;> (assert_return (invoke "mask_loop" (i32.const 0) (i32.const 5)) (i32.const 1))
;;> (assert_return (invoke "mask_loop" (i32.const -3) (i32.const 2)) (i32.const -1))
;;> (assert_return (invoke "crc8" (i32.const 0) (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "crc8" (i32.const 49) (i32.const 0)) (i32.const 54465))
;;> (assert_return (invoke "crc8" (i32.const 255) (i32.const 65535)) (i32.const 255))
;;> (assert_return (invoke "crc8" (i32.const 90) (i32.const 4660)) (i32.const 60563))
;;> (assert_return (invoke "high_bit" (i32.const -1) (i32.const 5) (i32.const 6)) (i32.const 5))
;;> (assert_return (invoke "high_bit" (i32.const 0x7fffffff) (i32.const 5) (i32.const 6)) (i32.const 6))
;;> (assert_return (invoke "high_bit" (i32.const 0x80000000) (i32.const 5) (i32.const 6)) (i32.const 5))
