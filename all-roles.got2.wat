(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func))
  (type (;2;) (func (result i32)))
  (type (;3;) (func (param i32 i32 i32) (result i32)))
  (type (;4;) (func (param i32 i32)))
  (type (;5;) (func (param i32 i32) (result i32)))
  (type (;6;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;7;) (func (param i32) (result i64)))
  (type (;8;) (func (param f32 f64 i64) (result f64)))
  (import "trace" "hook" (func (;0;) (type 0)))
  (import "trace" "enter" (func (;1;) (type 0)))
  (func (;2;) (type 0) (param i32)
    local.get 0
    call 0)
  (func (;3;) (type 1)
    i32.const 3
    call 1)
  (func (;4;) (type 2) (result i32)
    i32.const 4
    call 1
    i32.const 0)
  (func (;5;) (type 3) (param i32 i32 i32) (result i32)
    i32.const 5
    call 1
    i32.const 1)
  (func (;6;) (type 1)
    i32.const 6
    call 1)
  (func (;7;) (type 1)
    i32.const 7
    call 1)
  (func (;8;) (type 1)
    i32.const 8
    call 1)
  (func (;9;) (type 4) (param i32 i32)
    i32.const 9
    call 1)
  (func (;10;) (type 5) (param i32 i32) (result i32)
    i32.const 10
    call 1
    i32.const 1)
  (func (;11;) (type 3) (param i32 i32 i32) (result i32)
    i32.const 11
    call 1
    i32.const 0)
  (func (;12;) (type 5) (param i32 i32) (result i32)
    i32.const 12
    call 1
    local.get 0)
  (func (;13;) (type 6) (param i32 i32 i32 i32) (result i32)
    i32.const 13
    call 1
    i32.const 64)
  (func (;14;) (type 1)
    i32.const 14
    call 1)
  (func (;15;) (type 0) (param i32)
    i32.const 15
    call 1)
  (func (;16;) (type 7) (param i32) (result i64)
    i32.const 16
    call 1
    i64.const 42)
  (func (;17;) (type 2) (result i32)
    i32.const 17
    call 1
    i32.const 1)
  (func (;18;) (type 8) (param f32 f64 i64) (result f64)
    i32.const 18
    call 1
    local.get 1)
  (func (;19;) (type 6) (param i32 i32 i32 i32) (result i32)
    i32.const 19
    call 1
    i32.const 128)
  (func (;20;) (type 1)
    i32.const 20
    call 1)
  (func (;21;) (type 1)
    i32.const 21
    call 1)
  (func (;22;) (type 1)
    i32.const 22
    call 1)
  (func (;23;) (type 6) (param i32 i32 i32 i32) (result i32)
    i32.const 23
    call 1
    i32.const 0)
  (func (;24;) (type 1)
    i32.const 24
    call 1)
  (func (;25;) (type 1)
    i32.const 2
    call 2
    call 3
    i32.const 5
    call 2)
  (func (;26;) (type 2) (result i32)
    (local i32)
    i32.const 2
    call 2
    call 4
    local.set 0
    i32.const 4
    i32.const 5
    local.get 0
    select
    call 2
    local.get 0)
  (func (;27;) (type 3) (param i32 i32 i32) (result i32)
    (local i32)
    i32.const 3
    call 2
    local.get 0
    local.get 1
    local.get 2
    call 5
    local.set 3
    i32.const 4
    i32.const 5
    local.get 3
    select
    call 2
    local.get 3)
  (func (;28;) (type 1)
    i32.const 0
    call 2
    call 6)
  (func (;29;) (type 1)
    call 7
    i32.const 1
    call 2)
  (func (;30;) (type 1)
    i32.const 6
    call 2
    call 8
    i32.const 7
    call 2)
  (func (;31;) (type 4) (param i32 i32)
    i32.const 2
    call 2
    local.get 0
    local.get 1
    call 9
    i32.const 5
    call 2)
  (func (;32;) (type 5) (param i32 i32) (result i32)
    (local i32)
    i32.const 2
    call 2
    local.get 0
    local.get 1
    call 10
    local.set 2
    i32.const 4
    i32.const 5
    local.get 2
    select
    call 2
    local.get 2)
  (func (;33;) (type 3) (param i32 i32 i32) (result i32)
    (local i32)
    i32.const 3
    call 2
    local.get 0
    local.get 1
    local.get 2
    call 11
    local.set 3
    i32.const 4
    i32.const 5
    local.get 3
    select
    call 2
    local.get 3)
  (func (;34;) (type 5) (param i32 i32) (result i32)
    i32.const 0
    call 2
    local.get 0
    local.get 1
    call 12
    i32.const 1
    call 2)
  (func (;35;) (type 6) (param i32 i32 i32 i32) (result i32)
    i32.const 12
    call 2
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call 13
    i32.const 13
    call 2)
  (func (;36;) (type 1)
    i32.const 0
    call 2
    call 14
    i32.const 1
    call 2)
  (func (;37;) (type 0) (param i32)
    i32.const 8
    call 2
    local.get 0
    call 15
    i32.const 9
    call 2)
  (func (;38;) (type 7) (param i32) (result i64)
    i32.const 0
    call 2
    local.get 0
    call 16
    i32.const 1
    call 2)
  (func (;39;) (type 2) (result i32)
    i32.const 0
    call 2
    call 17
    i32.const 1
    call 2)
  (func (;40;) (type 8) (param f32 f64 i64) (result f64)
    i32.const 0
    call 2
    local.get 0
    local.get 1
    local.get 2
    call 18
    i32.const 1
    call 2)
  (func (;41;) (type 6) (param i32 i32 i32 i32) (result i32)
    i32.const 12
    call 2
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call 19
    i32.const 13
    call 2)
  (func (;42;) (type 1)
    i32.const 0
    call 2
    call 20
    i32.const 1
    call 2)
  (table (;0;) 1 funcref)
  (memory (;0;) 1)
  (global (;0;) i32 (i32.const 7))
  (export "memory" (memory 0))
  (export "table" (table 0))
  (export "some-global" (global 0))
  (export "[async-lift-stackful]async-stackful" (func 25))
  (export "[async-lift]async-callback" (func 26))
  (export "[callback][async-lift]async-callback" (func 27))
  (export "sync" (func 28))
  (export "cabi_post_sync" (func 29))
  (export "_initialize" (func 30))
  (export "[async-lift-stackful]async-stackful-argret" (func 31))
  (export "[async-lift]async-callback-argret" (func 32))
  (export "[callback][async-lift]async-callback-argret" (func 33))
  (export "sync-argret" (func 34))
  (export "cabi_realloc" (func 35))
  (export "x#sync" (func 36))
  (export "x#[dtor]r" (func 37))
  (export "[method]r.get" (func 38))
  (export "x#[constructor]r" (func 39))
  (export "x#[static]r.make" (func 40))
  (export "canonical_abi_realloc" (func 41))
  (export "cabi_post_nowhere" (func 42))
  (export "_start" (func 21))
  (export "__internal" (func 22))
  (export "cabi_realloc_adapter" (func 23))
  (export "cm32p2|run" (func 24)))
