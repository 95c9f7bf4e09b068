;; register+fuse: loop rotation (ir/src/peephole.rs: `rotate_loop`), end to end on every
;; configuration. Not from a divergence. A `br` back to a loop whose header is its exit
;; test becomes a copy of that header with the test negated, jumping back past the header,
;; and a `br_charged` to the exit. Loops that rotate: a one-op header (compare-and-branch
;; on a slot and an immediate, on two slots, on i64, `br_if_nez_s`, `br_if_eqz_s`), a
;; two-op header (`global.get` then the compare), a loop written as an `if`, two back edges
;; (one from a nested block), an exit label that is not right after the loop, nested loops
;; that share their header, a value left on the stack by the `br`, a trap in the body, an
;; empty body (the rotated test branches to itself).
;; Loops that must not: loop parameters, a float comparison in the header, a store or a
;; call in the header, a label bound inside the header. Each (but the empty body) runs for
;; 0, 1 and many iterations. Expectations are the spec's.
(module
  (memory 1)
  (global $g (export "g") (mut i32) (i32.const 0))
  (global $calls (mut i32) (i32.const 0))
  (func $tick (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (global.get $calls))

  ;; Header: br_i32_le_s_si (slot, immediate). Sum of n, n-1, ..., 1.
  (func (export "sum_down") (param $n i32) (result i32)
    (local $acc i32)
    (block $exit
      (loop $head
        (br_if $exit (i32.le_s (local.get $n) (i32.const 0)))
        (local.set $acc (i32.add (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $head)))
    (local.get $acc))

  ;; Header: br_i32_ge_u_ss (two slots). Sum of 0..n-1 times 3.
  (func (export "sum_up") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $exit
      (loop $head
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $i) (i32.const 3))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $head)))
    (local.get $acc))

  ;; Header: an i64 compare; fib(n) by iteration (the fib_iter workload).
  (func (export "fib") (param $n i64) (result i64)
    (local $a i64) (local $b i64) (local $next i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $step
        (br_if $done (i64.le_s (local.get $n) (i64.const 0)))
        (local.set $next (i64.add (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $next))
        (local.set $n (i64.sub (local.get $n) (i64.const 1)))
        (br $step)))
    (local.get $a))

  ;; Header: br_if_eqz_s (eqz of a local). Counts n down to 0, doubling x each time.
  (func (export "eqz_header") (param $n i32) (result i32)
    (local $x i32)
    (local.set $x (i32.const 1))
    (block $exit
      (loop $head
        (br_if $exit (i32.eqz (local.get $n)))
        (local.set $x (i32.shl (local.get $x) (i32.const 1)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $head)))
    (local.get $x))

  ;; Header: br_if_nez_s (a local flag). Steps until i reaches n; returns the steps.
  (func (export "nez_header") (param $n i32) (result i32)
    (local $done i32) (local $i i32)
    (local.set $done (i32.ge_s (local.get $i) (local.get $n)))
    (block $exit
      (loop $head
        (br_if $exit (local.get $done))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $done (i32.ge_s (local.get $i) (local.get $n)))
        (br $head)))
    (local.get $i))

  ;; Two-op header: global.get, then the compare (the global_counter kernel).
  (func (export "global_count") (param $n i32) (result i32)
    (global.set $g (i32.const 0))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (global.get $g) (local.get $n)))
        (global.set $g (i32.add (global.get $g) (i32.const 1)))
        (br $step)))
    (global.get $g))

  ;; A loop written as an `if` whose then-arm branches back: the header's test goes to
  ;; the `if`'s else label.
  (func (export "if_loop") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $head
      (if (i32.lt_u (local.get $i) (local.get $n))
        (then
          (local.set $acc (i32.add (local.get $acc) (i32.const 5)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $head))))
    (i32.add (local.get $acc) (local.get $i)))

  ;; Two back edges, one from a nested block: odd i add 100, even i add 1.
  (func (export "two_edges") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $exit
      (loop $head
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (block $even
          (br_if $even (i32.eqz (i32.and (local.get $i) (i32.const 1))))
          (local.set $acc (i32.add (local.get $acc) (i32.const 100)))
          (br $head))
        (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
        (br $head)))
    (local.get $acc))

  ;; The exit label is not right after the loop: the code between runs only when the
  ;; loop is left by the other branch (n > 50: i reaches 50 first).
  (func (export "far_exit") (param $n i32) (result i32)
    (local $i i32)
    (block $exit
      (block $early
        (loop $head
          (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
          (br_if $early (i32.eq (local.get $i) (i32.const 50)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $head)))
      (local.set $i (i32.add (local.get $i) (i32.const 1000))))
    (local.get $i))

  ;; Nested loops bound at the same op: both back edges rotate with the same header.
  ;; Inner runs while j < n (j counts up), the outer restarts it with j = 0 twice more.
  (func (export "shared_header") (param $n i32) (result i32)
    (local $j i32) (local $rounds i32) (local $acc i32)
    (block $exit
      (loop $outer
        (loop $inner
          (br_if $exit (i32.ge_u (local.get $rounds) (i32.const 3)))
          (if (i32.lt_u (local.get $j) (local.get $n))
            (then
              (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $inner)))
          (local.set $j (i32.const 0))
          (local.set $rounds (i32.add (local.get $rounds) (i32.const 1)))
          (br $outer))))
    (i32.add (i32.mul (local.get $rounds) (i32.const 1000)) (local.get $acc)))

  ;; The `br` leaves a value on the stack (discarded).
  (func (export "value_left") (param $n i32) (result i32)
    (local $i i32)
    (block $exit
      (loop $head
        (br_if $exit (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (i32.const 7)
        (br $head)))
    (local.get $i))

  ;; A body that traps on some iteration (division by n - i).
  (func (export "trap_in_body") (param $n i32) (param $k i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $exit
      (loop $head
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $acc
          (i32.add (local.get $acc) (i32.div_u (i32.const 60) (i32.sub (local.get $k) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $head)))
    (local.get $acc))

  ;; An empty body: the rotated test branches to itself (run here only when it exits).
  (func (export "empty_body") (param $stop i32) (result i32)
    (block $exit
      (loop $head
        (br_if $exit (local.get $stop))
        (br $head)))
    (i32.const 7))

  ;; Not rotated: the loop has a parameter (the running sum).
  (func (export "loop_param") (param $n i32) (result i32)
    (i32.const 0)
    (loop $head (param i32) (result i32)
      (if (param i32) (result i32) (i32.gt_s (local.get $n) (i32.const 0))
        (then
          (i32.add (local.get $n))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $head)))))

  ;; Not rotated: a float comparison (`!(x > 10)` is not `x <= 10` with NaN). The body's
  ;; own exit stops a NaN after 20 steps.
  (func (export "float_header") (param $x f64) (result i32)
    (local $steps i32)
    (block $exit
      (loop $head
        (br_if $exit (f64.gt (local.get $x) (f64.const 10)))
        (local.set $x (f64.add (local.get $x) (f64.const 1)))
        (local.set $steps (i32.add (local.get $steps) (i32.const 1)))
        (br_if $exit (i32.ge_u (local.get $steps) (i32.const 20)))
        (br $head)))
    (local.get $steps))

  ;; Not rotated: the header stores (the store runs once more than the body).
  (func (export "store_header") (param $n i32) (result i32)
    (local $i i32)
    (i32.store (i32.const 0) (i32.const 0))
    (block $exit
      (loop $head
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))
        (br_if $exit (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $head)))
    (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 100)) (local.get $i)))

  ;; Not rotated: the header calls (the test is on the call's result).
  (func (export "call_header") (param $n i32) (result i32)
    (local $i i32)
    (global.set $calls (i32.const 0))
    (block $exit
      (loop $head
        (br_if $exit (i32.gt_u (call $tick) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $head)))
    (i32.add (i32.mul (global.get $calls) (i32.const 100)) (local.get $i)))

  ;; Not rotated: a label is bound between the header's first op and its test (the end
  ;; of an empty block).
  (func (export "label_in_header") (param $n i32) (result i32)
    (local $i i32) (local $t i32)
    (block $exit
      (loop $head
        (local.set $t (local.get $i))
        (block $empty)
        (br_if $exit (i32.ge_u (local.get $t) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $head)))
    (local.get $i))
)
;;> (assert_return (invoke "sum_down" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "sum_down" (i32.const -3)) (i32.const 0))
;;> (assert_return (invoke "sum_down" (i32.const 1)) (i32.const 1))
;;> (assert_return (invoke "sum_down" (i32.const 100)) (i32.const 5050))
;;> (assert_return (invoke "sum_up" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "sum_up" (i32.const 1)) (i32.const 0))
;;> (assert_return (invoke "sum_up" (i32.const 2)) (i32.const 3))
;;> (assert_return (invoke "sum_up" (i32.const 10)) (i32.const 135))
;;> (assert_return (invoke "fib" (i64.const 0)) (i64.const 0))
;;> (assert_return (invoke "fib" (i64.const 1)) (i64.const 1))
;;> (assert_return (invoke "fib" (i64.const 2)) (i64.const 1))
;;> (assert_return (invoke "fib" (i64.const 50)) (i64.const 12586269025))
;;> (assert_return (invoke "eqz_header" (i32.const 0)) (i32.const 1))
;;> (assert_return (invoke "eqz_header" (i32.const 1)) (i32.const 2))
;;> (assert_return (invoke "eqz_header" (i32.const 10)) (i32.const 1024))
;;> (assert_return (invoke "nez_header" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "nez_header" (i32.const 1)) (i32.const 1))
;;> (assert_return (invoke "nez_header" (i32.const 37)) (i32.const 37))
;;> (assert_return (invoke "global_count" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "global_count" (i32.const 1)) (i32.const 1))
;;> (assert_return (invoke "global_count" (i32.const 1000)) (i32.const 1000))
;;> (assert_return (get "g") (i32.const 1000))
;;> (assert_return (invoke "if_loop" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "if_loop" (i32.const 1)) (i32.const 6))
;;> (assert_return (invoke "if_loop" (i32.const 9)) (i32.const 54))
;;> (assert_return (invoke "two_edges" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "two_edges" (i32.const 1)) (i32.const 100))
;;> (assert_return (invoke "two_edges" (i32.const 2)) (i32.const 101))
;;> (assert_return (invoke "two_edges" (i32.const 7)) (i32.const 403))
;;> (assert_return (invoke "far_exit" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "far_exit" (i32.const 1)) (i32.const 1))
;;> (assert_return (invoke "far_exit" (i32.const 50)) (i32.const 50))
;;> (assert_return (invoke "far_exit" (i32.const 51)) (i32.const 1050))
;;> (assert_return (invoke "shared_header" (i32.const 0)) (i32.const 3000))
;;> (assert_return (invoke "shared_header" (i32.const 1)) (i32.const 3003))
;;> (assert_return (invoke "shared_header" (i32.const 4)) (i32.const 3012))
;;> (assert_return (invoke "value_left" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "value_left" (i32.const 1)) (i32.const 2))
;;> (assert_return (invoke "value_left" (i32.const 9)) (i32.const 10))
;;> (assert_return (invoke "trap_in_body" (i32.const 0) (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "trap_in_body" (i32.const 3) (i32.const 6)) (i32.const 37))
;;> (assert_trap (invoke "trap_in_body" (i32.const 3) (i32.const 2)) "integer divide by zero")
;;> (assert_return (invoke "empty_body" (i32.const 1)) (i32.const 7))
;;> (assert_return (invoke "loop_param" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "loop_param" (i32.const 1)) (i32.const 1))
;;> (assert_return (invoke "loop_param" (i32.const 10)) (i32.const 55))
;;> (assert_return (invoke "float_header" (f64.const 11)) (i32.const 0))
;;> (assert_return (invoke "float_header" (f64.const 10)) (i32.const 1))
;;> (assert_return (invoke "float_header" (f64.const 0)) (i32.const 11))
;;> (assert_return (invoke "float_header" (f64.const nan)) (i32.const 20))
;;> (assert_return (invoke "store_header" (i32.const 0)) (i32.const 100))
;;> (assert_return (invoke "store_header" (i32.const 1)) (i32.const 201))
;;> (assert_return (invoke "store_header" (i32.const 6)) (i32.const 706))
;;> (assert_return (invoke "call_header" (i32.const 0)) (i32.const 100))
;;> (assert_return (invoke "call_header" (i32.const 1)) (i32.const 201))
;;> (assert_return (invoke "call_header" (i32.const 6)) (i32.const 706))
;;> (assert_return (invoke "label_in_header" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "label_in_header" (i32.const 1)) (i32.const 1))
;;> (assert_return (invoke "label_in_header" (i32.const 8)) (i32.const 8))
