(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func (param i64) (result i64)))
  (import "trace" "hook" (func (;0;) (type 0)))
  (import "trace" "enter" (func (;1;) (type 0)))
  (import "env" "ext" (func (;2;) (type 1)))
  (func (;3;) (type 1) (param i64) (result i64)
    i32.const 0
    call 0
    local.get 0
    call 2
    i32.const 1
    call 0)
  (func (;4;) (type 1) (param i64) (result i64)
    i32.const 2
    call 0
    local.get 0
    call 2
    i32.const 5
    call 0)
  (memory (;0;) 1)
  (export "ext" (func 3))
  (export "[async-lift-stackful]ext-async" (func 4))
  (data (;0;) (i32.const 16) "data stays"))
