;; n! by plain (non-tail) recursion, wrapping modulo 2^64: measures call/return cost.
(module
  (func $fac (param $n i64) (result i64)
    (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else
        (i64.mul
          (local.get $n)
          (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
  (export "run" (func $fac)))
