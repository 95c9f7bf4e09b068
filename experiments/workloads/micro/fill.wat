;; Byte-store loop: run(value, count) stores the low byte of `value` at addresses [0, count).
;;
;; The start function first writes a non-zero pattern over all of memory (word k holds
;; k * 0x9E3779B1), so that filling with 0 is observable. run then returns the sum of every
;; 64th byte over [0, count + 4096): it sees both the filled range and the untouched tail (a
;; fill that runs long or short changes it), costs under 2% of the fill, and repeated calls
;; return the same value.
(module
  (memory (export "memory") 17)

  (func $scribble
    (local $k i32)
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $k) (i32.const 278528))) ;; 17 pages / 4 bytes
        (i32.store
          (i32.shl (local.get $k) (i32.const 2))
          (i32.mul (local.get $k) (i32.const 0x9E3779B1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $step))))
  (start $scribble)

  (func (export "run") (param $value i32) (param $count i32) (result i64)
    (local $addr i32)
    (local $end i32)
    (local $sum i64)
    (block $filled
      (loop $store
        (br_if $filled (i32.ge_u (local.get $addr) (local.get $count)))
        (i32.store8 (local.get $addr) (local.get $value))
        (local.set $addr (i32.add (local.get $addr) (i32.const 1)))
        (br $store)))
    (local.set $addr (i32.const 0))
    (local.set $end (i32.add (local.get $count) (i32.const 4096)))
    (block $sampled
      (loop $sample
        (br_if $sampled (i32.ge_u (local.get $addr) (local.get $end)))
        (local.set $sum
          (i64.add (local.get $sum) (i64.extend_i32_u (i32.load8_u (local.get $addr)))))
        (local.set $addr (i32.add (local.get $addr) (i32.const 64)))
        (br $sample)))
    (local.get $sum)))
