(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func))
  (type (;2;) (func (result i32)))
  (import "env" "a" (func (;0;) (type 0)))
  (import "env" "b" (func (;1;) (type 0)))
  (func (;2;) (type 0) (param i32) (result i32)
    local.get 0
    call 0
    call 5
    call 1
    call 6
    ref.func 4
    drop)
  (func (;3;) (type 2) (result i32)
    i32.const 5
    return_call 2)
  (func (;4;) (type 1))
  (func (;5;) (type 0) (param i32) (result i32)
    i32.const 8)
  (func (;6;) (type 0) (param i32) (result i32)
    i32.const 52)
  (table (;0;) 8 funcref)
  (memory (;0;) 1)
  (global (;0;) funcref (ref.func 5))
  (global (;1;) (mut i32) (i32.const -1))
  (export "d1" (func 2))
  (export "d2" (func 3))
  (export "close" (func 5))
  (export "taskwrap_exit_code" (global 1))
  (start 4)
  (elem (;0;) (i32.const 0) func 0 5 1 6 3)
  (elem (;1;) (i32.const 5) funcref (ref.func 6) (ref.null func) (ref.func 2))
  (elem (;2;) declare func 4))
