;; fib(n) by doubly recursive calls: fib(32) makes 7_049_155 calls, so this is a call-cost benchmark.
(module
  (func $fib (param $n i64) (result i64)
    (if (result i64) (i64.lt_s (local.get $n) (i64.const 2))
      (then (local.get $n))
      (else
        (i64.add
          (call $fib (i64.sub (local.get $n) (i64.const 1)))
          (call $fib (i64.sub (local.get $n) (i64.const 2)))))))
  (export "run" (func $fib)))
