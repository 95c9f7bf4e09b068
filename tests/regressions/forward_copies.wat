;; register+fuse: `forward_copies` (ir/src/peephole.rs) renames the next op's reads of a
;; copy's destination to its source, end to end on every configuration. Not from a
;; divergence: the shape it is for (CoreMark's list reversal, whose load reads the
;; address the copy before it wrote) and each shape where renaming would be wrong: a
;; read made after the op's own write (`i32.load_store_s`'s stored value), `copy2`'s
;; first copy undone by its second, and an op that a branch also reaches (a loop's
;; first op, where the slots differ on the next iteration). Expectations are the spec's.
(module
  (memory 1)
  ;; nodes at 8, 16, 24 (next words), reversed: returns the new head (24), and
  ;; `next_of` reads the links back.
  (func (export "reverse") (result i32)
    (local $list i32) (local $next i32) (local $rev i32)
    (i32.store (i32.const 8) (i32.const 16))
    (i32.store (i32.const 16) (i32.const 24))
    (i32.store (i32.const 24) (i32.const 0))
    (local.set $next (i32.const 8))
    (loop $step
      (local.set $list (local.get $next))
      (local.set $next (i32.load (local.get $list)))
      (i32.store (local.get $list) (local.get $rev))
      (local.set $rev (local.get $list))
      (br_if $step (local.get $next)))
    (local.get $rev))
  (func (export "next_of") (param $p i32) (result i32) (i32.load (local.get $p)))
  ;; copy d <- s; s <- [p] and [p] <- d fused: the store must write the old s.
  (func (export "value_after_load") (param $s i32) (param $p i32) (result i32)
    (local $d i32)
    (i32.store (local.get $p) (i32.const 77))
    (local.set $d (local.get $s))
    (local.set $s (i32.load (local.get $p)))
    (i32.store (local.get $p) (local.get $d))
    (i32.add (i32.load (local.get $p)) (i32.mul (local.get $s) (i32.const 1000))))
  ;; a <- b; b <- c as one copy2: a read of a afterwards is the old b, not c.
  (func (export "copy2_undone") (param $b i32) (param $c i32) (result i32)
    (local $a i32)
    (local.set $a (local.get $b))
    (local.set $b (local.get $c))
    (i32.add (local.get $a) (i32.const 0))
    (i32.mul (local.get $b) (i32.const 1000))
    (i32.add))
  ;; d <- s before a loop whose first op reads d; d changes inside the loop.
  (func (export "branch_target") (param $s i32) (result i32)
    (local $d i32) (local $acc i32) (local $n i32)
    (local.set $n (i32.const 3))
    (local.set $d (local.get $s))
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (local.get $d)))
      (local.set $d (i32.const 100))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $acc))
)

;;> (assert_return (invoke "reverse") (i32.const 24))
;;> (assert_return (invoke "next_of" (i32.const 24)) (i32.const 16))
;;> (assert_return (invoke "next_of" (i32.const 16)) (i32.const 8))
;;> (assert_return (invoke "next_of" (i32.const 8)) (i32.const 0))
;;> (assert_return (invoke "value_after_load" (i32.const 5) (i32.const 32)) (i32.const 77005))
;;> (assert_return (invoke "copy2_undone" (i32.const 3) (i32.const 4)) (i32.const 4003))
;;> (assert_return (invoke "branch_target" (i32.const 5)) (i32.const 205))
