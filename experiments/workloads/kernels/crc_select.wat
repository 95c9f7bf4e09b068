;; CoreMark's `crcu8` bit step as LLVM emits it (papers/notes-speed.md section 24): per bit,
;; t = (crc >> 1) & 0x7fff, then crc = t ^ 0xa001 if bit k of the data differs from
;; crc's low bit, else t, as a `select`. The running value passes through the select's
;; condition and both its operands, so the select's latency is on the loop's critical path.
;; run(n) folds the bytes i & 255 for i = 0..n into a CRC starting at 0 (one-liner in
;; manifest.toml).
(module
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $crc i32) (local $data i32) (local $t i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $data (i32.and (local.get $i) (i32.const 255)))
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
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $crc)))
