;; register+fuse: `get_after_set` (ir/src/peephole.rs), a `global.get` right after a
;; `global.set` of the same global reads the slot the set read instead of the global, end
;; to end on every configuration. Not from a divergence: the shapes where the rule must
;; fire (a counter kept in a global, whose rotated loop header reads it back), where the
;; slot is a local overwritten while the value is still on the stack, where another
;; global is read, and where the value is read twice (the second read is a real one).
;; Expectations are the spec's.
(module
  (global $g (mut i32) (i32.const 0))
  (global $h (mut i32) (i32.const 7))
  (func (export "from_local") (param $x i32) (result i32)
    (global.set $g (local.get $x))
    (global.get $g)
    (local.set $x (i32.const 5))
    (i32.add (local.get $x)))
  (func (export "other_global") (param $x i32) (result i32)
    (global.set $g (local.get $x))
    (global.get $h))
  (func (export "count") (param $n i32) (result i32)
    (global.set $g (i32.const 0))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (global.get $g) (local.get $n)))
        (global.set $g (i32.add (global.get $g) (i32.const 1)))
        (br $step)))
    (global.get $g))
  (func (export "temp_twice") (param $x i32) (result i32)
    (global.set $g (i32.mul (local.get $x) (i32.const 3)))
    (i32.add (global.get $g) (global.get $g)))
  (func (export "read_g") (result i32) (global.get $g))
)

;;> (assert_return (invoke "from_local" (i32.const 4)) (i32.const 9))
;;> (assert_return (invoke "read_g") (i32.const 4))
;;> (assert_return (invoke "other_global" (i32.const 4)) (i32.const 7))
;;> (assert_return (invoke "count" (i32.const 5)) (i32.const 5))
;;> (assert_return (invoke "count" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "read_g") (i32.const 0))
;;> (assert_return (invoke "temp_twice" (i32.const 4)) (i32.const 24))
;;> (assert_return (invoke "read_g") (i32.const 12))
