;; Recursive Fibonacci, plus a few small functions the CLI tests call.
(module
  (func $fib (export "fib") (param $n i64) (result i64)
    (if (result i64) (i64.lt_u (local.get $n) (i64.const 2))
      (then (local.get $n))
      (else (i64.add (call $fib (i64.sub (local.get $n) (i64.const 1)))
                     (call $fib (i64.sub (local.get $n) (i64.const 2)))))))

  ;; Multiple results: quotient and remainder.
  (func (export "divmod") (param i32 i32) (result i32 i32)
    (i32.div_s (local.get 0) (local.get 1))
    (i32.rem_s (local.get 0) (local.get 1)))

  ;; Floats.
  (func (export "half") (param f64) (result f64)
    (f64.mul (local.get 0) (f64.const 0.5)))
  (func (export "scale") (param f32 f32) (result f32)
    (f32.mul (local.get 0) (local.get 1)))

  ;; Never returns: deep recursion must trap, not crash.
  (func $down (export "down") (param i32) (result i32)
    (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))

  (func (export "boom") unreachable)

  (memory (export "memory") 1 2)
  (global (export "counter") (mut i32) (i32.const 0)))
