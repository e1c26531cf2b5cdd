(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func))
  (import "trace" "hook" (func (;0;) (type 0)))
  (import "trace" "enter" (func (;1;) (type 0)))
  (func (;2;) (type 0) (param i32)
    local.get 0
    call 0)
  (func (;3;) (type 1)
    i32.const 100
    call 0)
  (func (;4;) (type 1)
    i32.const 101
    call 0)
  (func (;5;) (type 1)
    i32.const 5
    call 1)
  (func (;6;) (type 1)
    i32.const 6
    call 1)
  (func (;7;) (type 1)
    i32.const 0
    call 2
    call 5
    i32.const 1
    call 2)
  (func (;8;) (type 1)
    i32.const 2
    call 2
    call 6
    i32.const 5
    call 2)
  (export "sync" (func 7))
  (export "[async-lift-stackful]st" (func 8)))
