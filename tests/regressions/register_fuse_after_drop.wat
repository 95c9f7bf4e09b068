;; register+fuse: an op whose result was dropped must not be fused into a later
;; `local.set`, `local.tee`, `br_if` or `if`: the value they consume is the one below.
;;
;; Found while moving the fusion rules into ir/src/peephole.rs (issue 10): the "last op
;; result" that fusion rewrites was cleared by every push and every op emitted, but not by
;; a pop, and `drop` emits nothing. So after `(i32.add ..) (drop)` a `local.set` retargeted
;; the add to write the local and discarded the value actually stored; `br_if` and `if`
;; branched on the dropped comparison. Fixed by closing the fusion window on every pop
;; (`Window` in ir/src/peephole.rs); these expectations are the spec's.
(module
  (func (export "local_set") (param i32) (result i32)
    (local i32)
    (i32.const 1)
    (i32.add (local.get 0) (local.get 0))
    (drop)
    (local.set 1)
    (local.get 1))
  (func (export "local_tee") (param i32) (result i32)
    (local i32)
    (i32.const 7)
    (i32.mul (local.get 0) (i32.const 3))
    (drop)
    (local.tee 1)
    (i32.add (local.get 1)))
  (func (export "br_if") (param i32) (result i32)
    (block $b
      (i32.const 0)
      (i32.lt_s (local.get 0) (i32.const 10))
      (drop)
      (br_if $b)
      (return (i32.const 1)))
    (i32.const 2))
  (func (export "if") (param i32) (result i32)
    (i32.const 0)
    (i32.lt_s (local.get 0) (i32.const 10))
    (drop)
    (if (result i32) (then (i32.const 100)) (else (i32.const 200))))
)
;;> (assert_return (invoke "local_set" (i32.const 5)) (i32.const 1))
;;> (assert_return (invoke "local_tee" (i32.const 5)) (i32.const 14))
;;> (assert_return (invoke "br_if" (i32.const 3)) (i32.const 1))
;;> (assert_return (invoke "br_if" (i32.const 30)) (i32.const 1))
;;> (assert_return (invoke "if" (i32.const 3)) (i32.const 200))
;;> (assert_return (invoke "if" (i32.const 30)) (i32.const 200))
