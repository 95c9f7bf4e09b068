;; register+fuse: a shift or rotation into a temporary merged with the xor (or add) that
;; reads it, once the code is final (`fuse_pairs`, ir/src/peephole.rs: `rotl_si; xor_ss`,
;; `rotl_si; xor_aas`, `rotl_si; xor_ass`, `shr_u_si; xor_ss`, `shr_u_si; xor_aas`,
;; `shl_si; add_aas`), end to end on every configuration. Not from a divergence: SHA-256's
;; sums of rotations and message schedule, CoreMark's CRC bit steps (the xor writing the
;; shift's own slot), a shift count of 34 (taken mod 32), an xor reading the rotated slot
;; twice, and an xor that a branch lands on (not merged). Expectations are the spec's.
(module
  (memory 1)
  ;; i32 0x01020304 at 64; i32 [10, 20, 30] at 128.
  (data (i32.const 64) "\04\03\02\01")
  (data (i32.const 128) "\0a\00\00\00\14\00\00\00\1e\00\00\00")
  ;; h + w + Σ1(e), the sum held in the accumulator: `rotl_si; xor_ss` into the first
  ;; rotation's slot, twice.
  (func (export "sigma1") (param $e i32) (param $h i32) (param $w i32) (result i32)
    (i32.add (i32.add (local.get $h) (local.get $w))
      (i32.xor (i32.xor (i32.rotl (local.get $e) (i32.const 26)) (i32.rotl (local.get $e) (i32.const 21)))
               (i32.rotl (local.get $e) (i32.const 7)))))
  ;; Σ0(a) with the first rotation in the accumulator: `rotl_si; xor_aas`.
  (func (export "sigma0") (param $a i32) (result i32)
    (i32.xor (i32.xor (i32.rotl (local.get $a) (i32.const 30)) (i32.rotl (local.get $a) (i32.const 19)))
             (i32.rotl (local.get $a) (i32.const 10))))
  ;; SHA-256's message schedule, w16 + (σ0(w1) + w9 + w14) + σ1(w14): both rotations of
  ;; σ1 in slots and the xor into the accumulator (`rotl_si; xor_ass`), the shifts merged
  ;; too (`shr_u_si; xor_ss` and `shr_u_si; xor_aas`).
  (func (export "sched") (param $w1 i32) (param $w9 i32) (param $w14 i32) (result i32)
    (i32.add (i32.load (i32.const 64))
      (i32.add (i32.add (i32.add
        (i32.xor (i32.xor (i32.rotl (local.get $w1) (i32.const 25)) (i32.rotl (local.get $w1) (i32.const 14)))
                 (i32.shr_u (local.get $w1) (i32.const 3)))
        (local.get $w9)) (local.get $w14))
        (i32.xor (i32.xor (i32.rotl (local.get $w14) (i32.const 15)) (i32.rotl (local.get $w14) (i32.const 13)))
                 (i32.shr_u (local.get $w14) (i32.const 10))))))
  ;; Three bit steps of CoreMark's CRC-16: bit = ((data >> k) ^ crc) & 1, crc = (crc >>
  ;; 1) ^ (bit ? 0xa001 : 0): `shr_u_si; xor_ss` writing the shift's own slot.
  (func (export "crc3") (param $data i32) (param $crc i32) (result i32)
    (local.set $crc (select (i32.xor (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0xa001))
                            (i32.shr_u (local.get $crc) (i32.const 1))
                            (i32.and (i32.xor (local.get $data) (local.get $crc)) (i32.const 1))))
    (local.set $crc (select (i32.xor (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0xa001))
                            (i32.shr_u (local.get $crc) (i32.const 1))
                            (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 1)) (local.get $crc)) (i32.const 1))))
    (local.set $crc (select (i32.xor (i32.shr_u (local.get $crc) (i32.const 1)) (i32.const 0xa001))
                            (i32.shr_u (local.get $crc) (i32.const 1))
                            (i32.and (i32.xor (i32.shr_u (local.get $data) (i32.const 2)) (local.get $crc)) (i32.const 1))))
    (local.get $crc))
  ;; The i32 at base + j + (i << 34): `shl_si; add_aas`, the count taken mod 32.
  (func (export "scaled") (param $i i32) (param $j i32) (param $base i32) (result i32)
    (i32.load (i32.add (i32.add (local.get $base) (local.get $j)) (i32.shl (local.get $i) (i32.const 34)))))
  ;; t = rotl(x, 5); u = t ^ t (zero: the xor reads the slot the rotation wrote, twice); u + t.
  (func (export "self_xor") (param $x i32) (param $t i32) (param $u i32) (result i32)
    (local.set $t (i32.rotl (local.get $x) (i32.const 5)))
    (local.set $u (i32.xor (local.get $t) (local.get $t)))
    (i32.add (local.get $u) (local.get $t)))
  ;; A rotation before a loop whose first op is the xor reading it: the loop's branch
  ;; lands on the xor, so the two stay apart. s = t ^ (t+1) ^ ... over n steps.
  (func (export "into_loop") (param $x i32) (param $n i32) (result i32) (local $t i32) (local $s i32)
    (local.set $t (i32.rotl (local.get $x) (i32.const 8)))
    (loop $l
      (local.set $s (i32.xor (local.get $s) (local.get $t)))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s))
)

;;> (assert_return (invoke "sigma1" (i32.const 1779033703) (i32.const 1) (i32.const 2)) (i32.const 1438012691))
;;> (assert_return (invoke "sigma1" (i32.const -1) (i32.const 2147483647) (i32.const 1)) (i32.const 2147483647))
;;> (assert_return (invoke "sigma0" (i32.const 1359893119)) (i32.const 2129715625))
;;> (assert_return (invoke "sigma0" (i32.const 1)) (i32.const 1074267136))
;;> (assert_return (invoke "sched" (i32.const 305419896) (i32.const 100) (i32.const -19088743)) (i32.const -1308877686))
;;> (assert_return (invoke "sched" (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 16909060))
;;> (assert_return (invoke "crc3" (i32.const 5) (i32.const 65535)) (i32.const 61438))
;;> (assert_return (invoke "crc3" (i32.const 2) (i32.const 4660)) (i32.const 21062))
;;> (assert_return (invoke "crc3" (i32.const -1) (i32.const 0)) (i32.const 34817))
;;> (assert_return (invoke "scaled" (i32.const 1) (i32.const 4) (i32.const 124)) (i32.const 20))
;;> (assert_return (invoke "scaled" (i32.const 2) (i32.const 0) (i32.const 128)) (i32.const 30))
;;> (assert_return (invoke "self_xor" (i32.const -2147483647) (i32.const 7) (i32.const 9)) (i32.const 48))
;;> (assert_return (invoke "self_xor" (i32.const 3) (i32.const 0) (i32.const 0)) (i32.const 96))
;;> (assert_return (invoke "into_loop" (i32.const 16777217) (i32.const 3)) (i32.const 256))
;;> (assert_return (invoke "into_loop" (i32.const 5) (i32.const 1)) (i32.const 1280))
