(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func))
  (type (;2;) (func (result i32)))
  (type (;3;) (func (param i32 i64) (result i32)))
  (import "env" "log" (func (;0;) (type 0)))
  (func (;1;) (type 1)
    i32.const 42
    global.set 0)
  (func (;2;) (type 2) (result i32)
    global.get 0)
  (func (;3;) (type 3) (param i32 i64) (result i32)
    local.get 0
    local.get 1
    i32.wrap_i64
    i32.add)
  (func (;4;) (type 1)
    i32.const 1
    call 0)
  (func (;5;) (type 1)
    global.get 2
    i32.eqz
    if  ;; label = @1
      i32.const 1
      global.set 2
      call 1
    end)
  (func (;6;) (type 2) (result i32)
    global.get 2
    i32.eqz
    if  ;; label = @1
      i32.const 1
      global.set 2
      call 1
    end
    call 2)
  (func (;7;) (type 3) (param i32 i64) (result i32)
    global.get 2
    i32.eqz
    if  ;; label = @1
      i32.const 1
      global.set 2
      call 1
    end
    local.get 0
    local.get 1
    call 3)
  (memory (;0;) 1)
  (global (;0;) (mut i32) (i32.const 0))
  (global (;1;) (mut i32) (i32.const 0))
  (global (;2;) (mut i32) (i32.const 0))
  (export "memory" (memory 0))
  (export "state" (global 1))
  (export "_initialize" (func 5))
  (export "get" (func 6))
  (export "add" (func 7))
  (export "add-again" (func 7))
  (start 4))
