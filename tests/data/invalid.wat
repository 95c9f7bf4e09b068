;; Well-formed text, but fails validation: the result type is wrong.
(module
  (func (export "f") (result i32)
    i64.const 1))
