;; Byte-load loop: run(start, count) returns the sum of the unsigned bytes at [start, start + count).
;;
;; The start function writes a pattern over all of memory (word k holds k * 0x9E3779B1) so
;; the sum depends on every byte read; memory stays untouched by run, so repeated calls agree.
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

  (func (export "run") (param $start i32) (param $count i32) (result i64)
    (local $addr i32)
    (local $end i32)
    (local $sum i64)
    (local.set $addr (local.get $start))
    (local.set $end (i32.add (local.get $start) (local.get $count)))
    (block $done
      (loop $load
        (br_if $done (i32.ge_u (local.get $addr) (local.get $end)))
        (local.set $sum
          (i64.add (local.get $sum) (i64.extend_i32_u (i32.load8_u (local.get $addr)))))
        (local.set $addr (i32.add (local.get $addr) (i32.const 1)))
        (br $load)))
    (local.get $sum)))
