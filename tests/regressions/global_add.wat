;; register+fuse: `add_into_global_set` (ir/src/peephole.rs) fuses `global.get; i32.add
;; (or sub) of a constant; global.set` of one global into `i32.global_add_si`, and an add
;; of a constant whose sum is stored in a global into `i32.add_si_global_set`, end to end
;; on every configuration. Not from a divergence: the shapes it is for (a counter kept in
;; a global, a compiled function's stack-pointer prologue and epilogue, the sum also kept
;; in a local by `local.tee`) and those where it must not fuse all three ops (another
;; global set than the one read; the value read first teed into a local, which must
;; still hold the old value). Expectations are the spec's.
(module
  (memory 1)
  (global $sp (mut i32) (i32.const 1024))
  (global $g (mut i32) (i32.const 0))
  (global $h (mut i32) (i32.const 0))
  ;; sp -= 16 kept as the frame pointer, a store through it, sp restored from it.
  (func (export "frame") (param $v i32) (result i32)
    (local $fp i32)
    (global.set $sp (local.tee $fp (i32.sub (global.get $sp) (i32.const 16))))
    (i32.store offset=4 (local.get $fp) (local.get $v))
    (global.set $sp (i32.add (local.get $fp) (i32.const 16)))
    (i32.add (i32.load offset=4 (local.get $fp)) (local.get $fp)))
  (func (export "sp") (result i32) (global.get $sp))
  ;; The old value teed into a local before the add: the local keeps it.
  (func (export "old_in_local") (result i32)
    (local $x i32)
    (global.set $g (i32.add (local.tee $x (global.get $g)) (i32.const 5)))
    (i32.add (i32.mul (local.get $x) (i32.const 1000)) (global.get $g)))
  ;; Read the sum back at once, then through the global in another function.
  (func (export "bump") (param $k i32) (result i32)
    (global.set $g (i32.add (global.get $g) (i32.const 3)))
    (global.get $g))
  ;; g read, h set: h = g + 1, g unchanged.
  (func (export "other_global") (result i32)
    (global.set $h (i32.add (global.get $g) (i32.const 1)))
    (i32.add (i32.mul (global.get $h) (i32.const 1000)) (global.get $g)))
  ;; i32 wrapping both ways: 0 - 1 is 0xffffffff, and + 1 is 0 again.
  (func (export "wrap") (result i32)
    (global.set $g (i32.const 0))
    (global.set $g (i32.sub (global.get $g) (i32.const 1)))
    (if (i32.ne (global.get $g) (i32.const -1)) (then (return (i32.const 1))))
    (global.set $g (i32.add (global.get $g) (i32.const 1)))
    (i64.extend_i32_u (global.get $g))
    (i64.eqz))
  (func (export "count") (param $n i32) (result i32)
    (global.set $g (i32.const 0))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (global.get $g) (local.get $n)))
        (global.set $g (i32.add (global.get $g) (i32.const 1)))
        (br $step)))
    (global.get $g))
  (func (export "read_g") (result i32) (global.get $g))
  (func (export "read_h") (result i32) (global.get $h))
)

;;> (assert_return (invoke "frame" (i32.const 7)) (i32.const 1015))
;;> (assert_return (invoke "sp") (i32.const 1024))
;;> (assert_return (invoke "old_in_local") (i32.const 5))
;;> (assert_return (invoke "old_in_local") (i32.const 5010))
;;> (assert_return (invoke "bump" (i32.const 0)) (i32.const 13))
;;> (assert_return (invoke "read_g") (i32.const 13))
;;> (assert_return (invoke "other_global") (i32.const 14013))
;;> (assert_return (invoke "read_h") (i32.const 14))
;;> (assert_return (invoke "read_g") (i32.const 13))
;;> (assert_return (invoke "wrap") (i32.const 1))
;;> (assert_return (invoke "read_g") (i32.const 0))
;;> (assert_return (invoke "count" (i32.const 6)) (i32.const 6))
;;> (assert_return (invoke "count" (i32.const 0)) (i32.const 0))
;;> (assert_return (invoke "read_g") (i32.const 0))
