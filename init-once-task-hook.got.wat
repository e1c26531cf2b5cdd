(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32) (result i32)))
  (type (;3;) (func (param i32 i32 i32 i32) (result i32)))
  (import "trace" "hook" (func (;0;) (type 0)))
  (func (;1;) (type 0) (param i32)
    local.get 0
    call 0)
  (func (;2;) (type 1))
  (func (;3;) (type 2) (param i32) (result i32)
    local.get 0)
  (func (;4;) (type 3) (param i32 i32 i32 i32) (result i32)
    i32.const 0)
  (func (;5;) (type 1)
    i32.const 6
    call 1
    call 2
    i32.const 7
    call 1)
  (func (;6;) (type 2) (param i32) (result i32)
    i32.const 0
    call 1
    local.get 0
    call 3
    i32.const 1
    call 1)
  (func (;7;) (type 3) (param i32 i32 i32 i32) (result i32)
    i32.const 12
    call 1
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call 4
    i32.const 13
    call 1)
  (func (;8;) (type 1)
    global.get 0
    i32.eqz
    if  ;; label = @1
      i32.const 1
      global.set 0
      call 5
    end)
  (func (;9;) (type 2) (param i32) (result i32)
    global.get 0
    i32.eqz
    if  ;; label = @1
      i32.const 1
      global.set 0
      call 5
    end
    local.get 0
    call 6)
  (func (;10;) (type 3) (param i32 i32 i32 i32) (result i32)
    global.get 0
    i32.eqz
    if  ;; label = @1
      i32.const 1
      global.set 0
      call 5
    end
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call 7)
  (global (;0;) (mut i32) (i32.const 0))
  (export "_initialize" (func 8))
  (export "run" (func 9))
  (export "cabi_realloc" (func 10)))
