;; A store whose address and value are the same local, set by `local.tee` from
;; `memory.size`, with an offset of 65536 or more.
;;
;; wasmi-known-bug: wasmi 2.0.0's translator panics on this valid function ("internal
;; error: entered unreachable code" in `encode_store`, engine/translator/func/mod.rs:2583)
;; for `i32.store`, `i32.store8` and `i32.store16`, when it compiles the function. With
;; `i32.const` instead of `memory.size`, a parameter instead of the `local.tee`, or an
;; offset of 0 or 1, it compiles.
;;
;; Found by the fuzzing campaign of issue 11: the harness skipped seeds 10259465 and
;; 10751925 because wasmi panicked on them (weft ran both on all 15 configurations without
;; a panic); 10751925 reduced by hand after `wasm-tools shrink` to the function below.
(module
  (memory 4 4)
  (func (export "store") (local i32)
    memory.size
    local.tee 0
    local.get 0
    i32.store16 offset=136009 align=1)
  (func (export "load") (result i32)
    i32.const 0
    i32.load16_u offset=136013))
;;> (assert_return (invoke "load") (i32.const 0))
;;> (assert_return (invoke "store"))
;;> (assert_return (invoke "load") (i32.const 4))
