;; In-place reversal of a linked list, the loop shape of CoreMark's `core_list_reverse`
;; as LLVM emits it (the step `list = next` at the top, the test on `next` at the bottom):
;; a chain of loads through memory that a register IR also passes through frame slots.
;; run(reps) links 1000 nodes (node i at address 4i, its `next` word pointing at node
;; i+1, the last at 0), reverses the list `reps` times and returns the head's address:
;; 4 after an even number of reversals, 4000 after an odd one.
(module
  (memory 1)
  (func (export "run") (param $reps i32) (result i32)
    (local $i i32) (local $head i32) (local $list i32) (local $next i32) (local $rev i32)
    ;; link node i (address 4i) to node i+1 for i = 1..999; node 1000's next is 0
    (local.set $i (i32.const 1))
    (loop $link
      (i32.store (i32.shl (local.get $i) (i32.const 2))
                 (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $link (i32.lt_u (local.get $i) (i32.const 1000))))
    (i32.store (i32.const 4000) (i32.const 0))
    (local.set $head (i32.const 4))
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $reps)))
        (local.set $rev (i32.const 0))
        (local.set $next (local.get $head))
        (loop $step
          (local.set $list (local.get $next))
          (local.set $next (i32.load (local.get $list)))
          (i32.store (local.get $list) (local.get $rev))
          (local.set $rev (local.get $list))
          (br_if $step (local.get $next)))
        (local.set $head (local.get $rev))
        (local.set $reps (i32.sub (local.get $reps) (i32.const 1)))
        (br $again)))
    (local.get $head)))
