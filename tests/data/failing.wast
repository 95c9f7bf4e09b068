;; A spec-style script for `weft wast` with two wrong assertions (lines 4 and 5).
(module (func (export "mul2") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
(assert_return (invoke "mul2" (i32.const 2)) (i32.const 4))
(assert_return (invoke "mul2" (i32.const 2)) (i32.const 5))
(assert_trap (invoke "mul2" (i32.const 2)) "unreachable")
