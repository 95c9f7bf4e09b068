;; Imports something `weft run` does not provide.
(module
  (import "env" "print" (func $print (param i32)))
  (func (export "_start") (call $print (i32.const 1))))
