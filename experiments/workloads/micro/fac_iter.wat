;; n! by a counting-down loop, wrapping modulo 2^64 (for n >= 66 the product is 0).
(module
  (func (export "run") (param $n i64) (result i64)
    (local $acc i64)
    (local.set $acc (i64.const 1))
    (block $done
      (loop $step
        (br_if $done (i64.le_s (local.get $n) (i64.const 1)))
        (local.set $acc (i64.mul (local.get $acc) (local.get $n)))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $step)))
    (local.get $acc)))
