;; register+fuse: the pairs `fuse_pairs` (ir/src/peephole.rs) merges once the code is
;; final: `i32.add_si; i32.add_si` (two pointers stepped together), `i32.mul_aas;
;; i32.add_sas` (a multiply-accumulate), `i32.shl_asi; i32.add_aas` (a scaled index),
;; end to end on every configuration. Not from a divergence: a dot product (CoreMark's
;; matrix loop), a second add stepping the slot the first stepped, a shift count of 33 (taken
;; mod 32), an add that a branch lands on (not merged, the targets renumbered),
;; `copy; i32.load_store_s` (a linked list reversed in place), loads through a loaded
;; pointer, a slot stepped by a stride beside one stepped by a constant, the whole reversal
;; step with its loop test (`i32.reverse_step_s`; here its whole loop, so
;; `i32.reverse_loop_s`, iterating in its handler), a separator test before a table
;; dispatch (`br_i32_eq_si_br_table_s`) and CRC bit steps (`i32.crc_step_s`).
;; Expectations are the spec's.
(module
  (memory 1)
  ;; i16 [1, -2, 3, 4] at 0 and [5, 6, 7, -8] at 8; i32 [10, 20, 30, 40] at 16.
  (data (i32.const 0) "\01\00\fe\ff\03\00\04\00\05\00\06\00\07\00\f8\ff")
  (data (i32.const 16) "\0a\00\00\00\14\00\00\00\1e\00\00\00\28\00\00\00")
  ;; A list of four nodes [next, value] at 256 (values 1 to 4 in order), and at 512 one
  ;; whose next pointer is out of bounds.
  (data (i32.const 256) "\08\01\00\00\01\00\00\00\10\01\00\00\02\00\00\00\18\01\00\00\03\00\00\00\00\00\00\00\04\00\00\00")
  (data (i32.const 512) "\f0\ff\ff\ff\09\00\00\00")
  ;; At 520 another node whose next pointer is out of bounds, for `reverse_count`.
  (data (i32.const 520) "\f8\ff\ff\ff")
  ;; At 88 a node [next 80, info 128], for `find16` and `find8`: its successor's info
  ;; pointer is out of bounds.
  (data (i32.const 88) "\50\00\00\00\80\00\00\00")
  ;; Nodes [next, info] at 64 and 72, info records [u16, u8] at 128 and 132; at 80 a node
  ;; whose info pointer is out of bounds.
  (data (i32.const 64) "\48\00\00\00\80\00\00\00\00\00\00\00\84\00\00\00\00\00\00\00\fe\ff\ff\ff")
  (data (i32.const 128) "\34\12\07\00\ff\ff\09\00")
  ;; Three nodes at 768 (next pointers only), for `self_links`.
  (data (i32.const 768) "\08\03\00\00\00\00\00\00\10\03\00\00\00\00\00\00\00\00\00\00")
  ;; Text for `scan` at 1024, zero-terminated.
  (data (i32.const 1024) "abc,ab,abcd\00,,a\00")
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
  ;; CoreMark's list reversal (`copy; i32.load_store_s`: the node kept, its next pointer
  ;; loaded into the list slot and overwritten with the previous node), then a walk reading
  ;; the values as decimal digits. Reversing twice restores the list; the node at 512 traps
  ;; at its second step, having written its own next pointer.
  (func $reverse (param $list i32) (result i32) (local $next i32) (local $tmp i32)
    (block $done
      (br_if $done (i32.eqz (local.get $list)))
      (loop $l
        (local.set $tmp (local.get $list))
        (local.set $list (i32.load (local.get $tmp)))
        (i32.store (local.get $tmp) (local.get $next))
        (local.set $next (local.get $tmp))
        (br_if $l (local.get $list))))
    (local.get $next))
  (func (export "reverse_walk") (param $p i32) (result i32) (local $n i32)
    (local.set $p (call $reverse (local.get $p)))
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $p)))
        (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10)) (i32.load offset=4 (local.get $p))))
        (local.set $p (i32.load (local.get $p)))
        (br $l)))
    (local.get $n))
  ;; The reversal with a count in its loop: the step is not the loop's whole body, so it
  ;; stays `i32.reverse_step_s`, branching to the count. The new head * 100 + the count.
  (func (export "reverse_count") (param $list i32) (result i32) (local $next i32) (local $tmp i32) (local $n i32)
    (block $done
      (br_if $done (i32.eqz (local.get $list)))
      (loop $l
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set $tmp (local.get $list))
        (local.set $list (i32.load (local.get $tmp)))
        (i32.store (local.get $tmp) (local.get $next))
        (local.set $next (local.get $tmp))
        (br_if $l (local.get $list))))
    (i32.add (i32.mul (local.get $next) (i32.const 100)) (local.get $n)))
  ;; List searches (CoreMark's `core_list_find`), each its loop's whole body, so one op
  ;; that iterates in its handler (`i32.find_load16_u_and_s`, `i32.find_load8_u_and_s`):
  ;; the first node from `p` whose record's u16 at 0 (u8 at 2) is the key, masked; 0 at
  ;; the list's end.
  (func (export "find16") (param $p i32) (param $key i32) (result i32)
    (block $out
      (loop $l
        (br_if $out (i32.eq (i32.load16_u (i32.load offset=4 (local.get $p)))
                            (i32.and (local.get $key) (i32.const 0xffff))))
        (br_if $l (local.tee $p (i32.load (local.get $p))))))
    (local.get $p))
  (func (export "find8") (param $p i32) (param $key i32) (result i32)
    (block $out
      (loop $l
        (br_if $out (i32.eq (i32.load8_u offset=2 (i32.load offset=4 (local.get $p)))
                            (i32.and (local.get $key) (i32.const 0xff))))
        (br_if $l (local.tee $p (i32.load (local.get $p))))))
    (local.get $p))
  ;; A walk over nodes summing two fields of the record each points to (`i32.load_as;
  ;; i32.load16_u_aa` and `i32.load_as; i32.load8_u_aa`: a load through a loaded pointer).
  (func (export "chase") (param $p i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.load16_u offset=0 (i32.load offset=4 (local.get $p)))))
      (local.set $s (i32.add (local.get $s) (i32.load8_u offset=2 (i32.load offset=4 (local.get $p)))))
      (br_if $l (local.tee $p (i32.load (local.get $p)))))
    (local.get $s))
  ;; The i32 at 16 + 4k plus k * stride, summed for k < n: two slots stepped in place, one
  ;; by 4 and one by a stride in a slot (`i32.add_si; i32.add_ss`). s * 1000 + the last.
  (func (export "strided") (param $n i32) (param $stride i32) (result i32) (local $p i32) (local $q i32) (local $s i32)
    (local.set $p (i32.const 16))
    (loop $l
      (local.set $s (i32.add (local.get $s) (i32.add (i32.load (local.get $p)) (local.get $q))))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $q (i32.add (local.get $q) (local.get $stride)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (i32.add (i32.mul (local.get $s) (i32.const 1000)) (local.get $q)))
  ;; The same walk storing each node into its own next pointer (`copy; i32.load_store_s`
  ;; whose stored value is the copy: read after the copy is written). The sum of the three
  ;; next pointers afterwards is the sum of the nodes.
  (func (export "self_links") (param $list i32) (result i32) (local $tmp i32)
    (block $done
      (br_if $done (i32.eqz (local.get $list)))
      (loop $l
        (local.set $tmp (local.get $list))
        (local.set $list (i32.load (local.get $tmp)))
        (i32.store (local.get $tmp) (local.get $tmp))
        (br_if $l (local.get $list))))
    (i32.add (i32.add (i32.load (i32.const 768)) (i32.load (i32.const 776))) (i32.load (i32.const 784))))
  ;; A scanner (CoreMark's `core_state_transition`): a separator test before the state
  ;; machine's table dispatch (`br_i32_eq_si; br_table_s`). States 0, 1 and 2 add 1, 10 and
  ;; 100; state 2 moves to 7, out of the table's range (its default, state 2 again); a
  ;; comma adds 1000 and resets the state. The bytes from `p` up to a zero.
  (func (export "scan") (param $p i32) (result i32) (local $c i32) (local $state i32) (local $n i32)
    (block $done
      (loop $l
        (local.set $c (i32.load8_u (local.get $p)))
        (br_if $done (i32.eqz (local.get $c)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (block $next
          (block $sep
            (block $s2
              (block $s1
                (block $s0
                  (br_if $sep (i32.eq (local.get $c) (i32.const 44)))
                  (br_table $s0 $s1 $s2 (local.get $state)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (local.set $state (i32.const 1))
                (br $next))
              (local.set $n (i32.add (local.get $n) (i32.const 10)))
              (local.set $state (i32.const 2))
              (br $next))
            (local.set $n (i32.add (local.get $n) (i32.const 100)))
            (local.set $state (i32.const 7))
            (br $next))
          (local.set $n (i32.add (local.get $n) (i32.const 1000)))
          (local.set $state (i32.const 0)))
        (br $l)))
    (local.get $n))
  ;; CRC bit steps (`i32.crc_step_s`, CoreMark's `crcu8`): `crc8` is one byte's eight
  ;; steps as compilers unroll them; in `crc_data_t1` the shifted data is the masked
  ;; value the step wrote first, in `crc_y_t1` the value xored with it is, so both must
  ;; be read after that write.
  (func (export "crc8") (param $data i32) (param $crc i32) (result i32) (local $t i32) (local $i i32)
    (loop $l
      (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
      (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
        (i32.and (i32.xor (i32.shr_u (local.get $data) (local.get $i)) (local.get $crc)) (i32.const 1))))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 8))))
    (local.get $crc))
  (func (export "crc8_unrolled") (param $data i32) (param $crc i32) (result i32) (local $t i32)
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 0)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 1)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 2)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 3)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 4)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 5)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 6)) (local.get $crc)) (i32.const 1))))
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (local.set $crc (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 7)) (local.get $crc)) (i32.const 1))))
    (local.get $crc))
  (func (export "crc_data_t1") (param $crc i32) (result i32) (local $t i32)
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $t) (i32.const 2)) (local.get $crc)) (i32.const 1))))
  (func (export "crc_y_t1") (param $crc i32) (param $data i32) (result i32) (local $t i32)
    (local.set $t (i32.and (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0x7fff)))
    (select (i32.xor (local.get $t) (i32.const 0xa001)) (local.get $t)
      (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 2)) (local.get $t)) (i32.const 1))))
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
;;> (assert_return (invoke "reverse_walk" (i32.const 256)) (i32.const 4321))
;;> (assert_return (invoke "reverse_walk" (i32.const 280)) (i32.const 1234))
;;> (assert_return (invoke "reverse_walk" (i32.const 0)) (i32.const 0))
;;> (assert_trap (invoke "reverse_walk" (i32.const 512)) "out of bounds memory access")
;;> (assert_return (invoke "reverse_walk" (i32.const 256)) (i32.const 4321))
;;> (assert_return (invoke "reverse_count" (i32.const 280)) (i32.const 25604))
;;> (assert_return (invoke "reverse_count" (i32.const 256)) (i32.const 28004))
;;> (assert_return (invoke "reverse_count" (i32.const 0)) (i32.const 0))
;;> (assert_trap (invoke "reverse_count" (i32.const 520)) "out of bounds memory access")
;;> (assert_return (invoke "reverse_walk" (i32.const 280)) (i32.const 1234))
;;> (assert_return (invoke "find16" (i32.const 64) (i32.const 0x1234)) (i32.const 64))
;;> (assert_return (invoke "find16" (i32.const 64) (i32.const 0x1ffff)) (i32.const 72))
;;> (assert_return (invoke "find16" (i32.const 64) (i32.const 5)) (i32.const 0))
;;> (assert_trap (invoke "find16" (i32.const 88) (i32.const 5)) "out of bounds memory access")
;;> (assert_return (invoke "find16" (i32.const 88) (i32.const 0x1234)) (i32.const 88))
;;> (assert_return (invoke "find8" (i32.const 64) (i32.const 9)) (i32.const 72))
;;> (assert_return (invoke "find8" (i32.const 64) (i32.const 0x107)) (i32.const 64))
;;> (assert_return (invoke "find8" (i32.const 64) (i32.const 3)) (i32.const 0))
;;> (assert_trap (invoke "find8" (i32.const 88) (i32.const 3)) "out of bounds memory access")
;;> (assert_return (invoke "chase" (i32.const 64)) (i32.const 70211))
;;> (assert_return (invoke "chase" (i32.const 72)) (i32.const 65544))
;;> (assert_trap (invoke "chase" (i32.const 80)) "out of bounds memory access")
;;> (assert_return (invoke "strided" (i32.const 4) (i32.const 3)) (i32.const 118012))
;;> (assert_return (invoke "strided" (i32.const 1) (i32.const -5)) (i32.const 9995))
;;> (assert_return (invoke "self_links" (i32.const 768)) (i32.const 2328))
;;> (assert_return (invoke "scan" (i32.const 1024)) (i32.const 2333))
;;> (assert_return (invoke "scan" (i32.const 1028)) (i32.const 1222))
;;> (assert_return (invoke "scan" (i32.const 1036)) (i32.const 2001))
;;> (assert_return (invoke "scan" (i32.const 1035)) (i32.const 0))
;;> (assert_return (invoke "crc8" (i32.const 90) (i32.const 0)) (i32.const 15232))
;;> (assert_return (invoke "crc8_unrolled" (i32.const 90) (i32.const 0)) (i32.const 15232))
;;> (assert_return (invoke "crc8" (i32.const 255) (i32.const 65535)) (i32.const 255))
;;> (assert_return (invoke "crc8_unrolled" (i32.const 255) (i32.const 65535)) (i32.const 255))
;;> (assert_return (invoke "crc8" (i32.const 19) (i32.const 4660)) (i32.const 6738))
;;> (assert_return (invoke "crc8_unrolled" (i32.const 19) (i32.const 4660)) (i32.const 6738))
;;> (assert_return (invoke "crc8" (i32.const 128) (i32.const 1)) (i32.const 24768))
;;> (assert_return (invoke "crc8_unrolled" (i32.const 128) (i32.const 1)) (i32.const 24768))
;;> (assert_return (invoke "crc_data_t1" (i32.const 4660)) (i32.const 2330))
;;> (assert_return (invoke "crc_data_t1" (i32.const 18)) (i32.const 9))
;;> (assert_return (invoke "crc_data_t1" (i32.const 65535)) (i32.const 32767))
;;> (assert_return (invoke "crc_data_t1" (i32.const 7)) (i32.const 40962))
;;> (assert_return (invoke "crc_y_t1" (i32.const 4660) (i32.const 4)) (i32.const 43291))
;;> (assert_return (invoke "crc_y_t1" (i32.const 4660) (i32.const 0)) (i32.const 2330))
;;> (assert_return (invoke "crc_y_t1" (i32.const 19) (i32.const 0)) (i32.const 40968))
;;> (assert_return (invoke "crc_y_t1" (i32.const 19) (i32.const 4)) (i32.const 9))
