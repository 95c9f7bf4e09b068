;; A counter kept in a mutable global: run(n) counts the global from 0 up to n, reading and
;; writing it on every iteration, and returns it (n).
(module
  (global $g (mut i32) (i32.const 0))
  (func (export "run") (param $n i32) (result i32)
    (global.set $g (i32.const 0))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (global.get $g) (local.get $n)))
        (global.set $g (i32.add (global.get $g) (i32.const 1)))
        (br $step)))
    (global.get $g)))
