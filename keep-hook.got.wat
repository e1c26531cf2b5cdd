(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func (param i32) (result i32)))
  (type (;2;) (func (param i32 i32 i32 i32) (result i32)))
  (import "trace" "hook" (func (;0;) (type 0)))
  (import "trace" "enter" (func (;1;) (type 0)))
  (func (;2;) (type 0) (param i32)
    local.get 0
    call 0)
  (func (;3;) (type 1) (param i32) (result i32)
    i32.const 3
    call 1
    local.get 0)
  (func (;4;) (type 2) (param i32 i32 i32 i32) (result i32)
    i32.const 4
    call 1
    i32.const 0)
  (func (;5;) (type 1) (param i32) (result i32)
    i32.const 0
    call 2
    local.get 0
    call 3
    i32.const 1
    call 2)
  (func (;6;) (type 2) (param i32 i32 i32 i32) (result i32)
    i32.const 12
    call 2
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call 4
    i32.const 13
    call 2)
  (export "__wasm_task_hook" (func 2))
  (export "work" (func 5))
  (export "cabi_realloc" (func 6)))
