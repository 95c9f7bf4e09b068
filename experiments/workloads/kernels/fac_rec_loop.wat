;; Calls without the embedding API: run(reps) computes 25! by plain recursion (25 calls deep)
;; reps times, folding the results with xor, so the call and return sequence is measured
;; without the cost of entering the engine from the host.
(module
  (func $fac (param $n i64) (result i64)
    (if (result i64) (i64.le_s (local.get $n) (i64.const 1))
      (then (i64.const 1))
      (else
        (i64.mul
          (local.get $n)
          (call $fac (i64.sub (local.get $n) (i64.const 1)))))))
  (func (export "run") (param $reps i32) (result i64)
    (local $acc i64)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $reps)))
        (local.set $acc (i64.xor (local.get $acc) (call $fac (i64.const 25))))
        (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
        (br $again)))
    (local.get $acc)))
