(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i32) (result i32)))
  (type (;3;) (func (result i32)))
  (type (;4;) (func (param i32 i32 i32) (result i32)))
  (type (;5;) (func (param i32 i32 i32 i32) (result i32)))
  (import "trace" "hook" (func (;0;) (type 0)))
  (import "trace" "enter" (func (;1;) (type 0)))
  (func (;2;) (type 1)
    i32.const 100
    call 0)
  (func (;3;) (type 1)
    i32.const 101
    call 0)
  (func (;4;) (type 1)
    i32.const 4
    call 1)
  (func (;5;) (type 2) (param i32 i32) (result i32)
    i32.const 5
    call 1
    local.get 1)
  (func (;6;) (type 0) (param i32)
    i32.const 6
    call 1)
  (func (;7;) (type 3) (result i32)
    i32.const 7
    call 1
    i32.const 1)
  (func (;8;) (type 4) (param i32 i32 i32) (result i32)
    i32.const 8
    call 1
    i32.const 0)
  (func (;9;) (type 0) (param i32)
    i32.const 9
    call 1)
  (func (;10;) (type 5) (param i32 i32 i32 i32) (result i32)
    i32.const 10
    call 1
    i32.const 0)
  (func (;11;) (type 0) (param i32)
    i32.const 11
    call 1)
  (func (;12;) (type 1)
    i32.const 12
    call 1)
  (func (;13;) (type 1)
    call 2
    call 4)
  (func (;14;) (type 2) (param i32 i32) (result i32)
    call 2
    local.get 0
    local.get 1
    call 5)
  (func (;15;) (type 3) (result i32)
    call 3
    call 7)
  (func (;16;) (type 0) (param i32)
    call 3
    local.get 0
    call 9)
  (func (;17;) (type 1)
    call 2
    call 12)
  (memory (;0;) 1)
  (export "memory" (memory 0))
  (export "_initialize" (func 13))
  (export "sync" (func 14))
  (export "cabi_post_sync" (func 6))
  (export "[async-lift]cb" (func 15))
  (export "[callback][async-lift]cb" (func 8))
  (export "[async-lift-stackful]st" (func 16))
  (export "cabi_realloc" (func 10))
  (export "x#[dtor]r" (func 11))
  (export "x#plain" (func 17)))
