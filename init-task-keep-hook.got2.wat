(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32) (result i32)))
  (import "trace" "hook" (func (;0;) (type 0)))
  (import "trace" "enter" (func (;1;) (type 0)))
  (func (;2;) (type 1)
    i32.const 100
    call 0)
  (func (;3;) (type 1)
    i32.const 101
    call 0)
  (func (;4;) (type 2) (param i32) (result i32)
    i32.const 4
    call 1
    local.get 0)
  (func (;5;) (type 1)
    i32.const 5
    call 1)
  (func (;6;) (type 1)
    i32.const 6
    call 1)
  (func (;7;) (type 2) (param i32) (result i32)
    call 2
    local.get 0
    call 4)
  (func (;8;) (type 1)
    call 3
    call 5)
  (func (;9;) (type 1)
    call 2
    call 6)
  (export "__wasm_init_task" (func 2))
  (export "__wasm_init_async_task" (func 3))
  (export "sync" (func 7))
  (export "[async-lift-stackful]st" (func 8))
  (export "_initialize" (func 9)))
