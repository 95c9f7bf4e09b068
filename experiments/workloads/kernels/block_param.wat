;; A loop carrying its running sum as a block parameter (multi-value): run(n) returns
;; n + (n-1) + ... + 1 modulo 2^32, the sum never stored in a local.
(module
  (func (export "run") (param $n i32) (result i32)
    (i32.const 0)
    (loop $step (param i32) (result i32)
      (i32.add (local.get $n))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $step (local.get $n)))))
