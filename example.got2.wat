(module
  (type (;0;) (func (param i32)))
  (type (;1;) (func))
  (type (;2;) (func (param i32 i32 i32 i32) (result i32)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i32) (result i32)))
  (type (;5;) (func (param i32 i32 i32) (result i32)))
  (import "trace" "hook" (func $trace_hook (type 0)))
  (import "trace" "enter" (func $enter (type 0)))
  (func $__wasm_task_hook (type 0) (param $code i32)
    local.get $code
    call $trace_hook)
  (func $_initialize (type 1)
    i32.const 3
    call $enter)
  (func $cabi_realloc (type 2) (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    i32.const 4
    call $enter
    global.get $heap
    local.set $p
    local.get $p
    local.get $size
    i32.add
    global.set $heap
    local.get $p)
  (func $greet (type 3) (param $ptr i32) (param $len i32) (result i32)
    i32.const 5
    call $enter
    i32.const 2048)
  (func $cabi_post_greet (type 0) (param $ret i32)
    i32.const 6
    call $enter)
  (func $add (type 3) (param $a i32) (param $b i32) (result i32)
    i32.const 7
    call $enter
    local.get $a
    local.get $b
    i32.add)
  (func $fetch (type 4) (param $url i32) (result i32)
    i32.const 8
    call $enter
    i32.const 1)
  (func $fetch_callback (type 5) (param $event i32) (param $p1 i32) (param $p2 i32) (result i32)
    i32.const 9
    call $enter
    i32.const 0)
  (func $run (type 1)
    i32.const 10
    call $enter)
  (func $taskwrap:_initialize (type 1)
    i32.const 6
    call $__wasm_task_hook
    call $_initialize
    i32.const 7
    call $__wasm_task_hook)
  (func $taskwrap:cabi_realloc (type 2) (param i32 i32 i32 i32) (result i32)
    i32.const 12
    call $__wasm_task_hook
    local.get 0
    local.get 1
    local.get 2
    local.get 3
    call $cabi_realloc
    i32.const 13
    call $__wasm_task_hook)
  (func $taskwrap:greet (type 3) (param i32 i32) (result i32)
    i32.const 0
    call $__wasm_task_hook
    local.get 0
    local.get 1
    call $greet)
  (func $taskwrap:cabi_post_greet (type 0) (param i32)
    local.get 0
    call $cabi_post_greet
    i32.const 1
    call $__wasm_task_hook)
  (func $taskwrap:add (type 3) (param i32 i32) (result i32)
    i32.const 0
    call $__wasm_task_hook
    local.get 0
    local.get 1
    call $add
    i32.const 1
    call $__wasm_task_hook)
  (func $taskwrap:_async-lift_fetch (type 4) (param i32) (result i32)
    (local i32)
    i32.const 2
    call $__wasm_task_hook
    local.get 0
    call $fetch
    local.set 1
    i32.const 4
    i32.const 5
    local.get 1
    select
    call $__wasm_task_hook
    local.get 1)
  (func $taskwrap:_callback__async-lift_fetch (type 5) (param i32 i32 i32) (result i32)
    (local i32)
    i32.const 3
    call $__wasm_task_hook
    local.get 0
    local.get 1
    local.get 2
    call $fetch_callback
    local.set 3
    i32.const 4
    i32.const 5
    local.get 3
    select
    call $__wasm_task_hook
    local.get 3)
  (func $taskwrap:_async-lift-stackful_run (type 1)
    i32.const 2
    call $__wasm_task_hook
    call $run
    i32.const 5
    call $__wasm_task_hook)
  (memory (;0;) 1)
  (global $heap (mut i32) (i32.const 1024))
  (export "memory" (memory 0))
  (export "_initialize" (func $taskwrap:_initialize))
  (export "cabi_realloc" (func $taskwrap:cabi_realloc))
  (export "greet" (func $taskwrap:greet))
  (export "cabi_post_greet" (func $taskwrap:cabi_post_greet))
  (export "add" (func $taskwrap:add))
  (export "[async-lift]fetch" (func $taskwrap:_async-lift_fetch))
  (export "[callback][async-lift]fetch" (func $taskwrap:_callback__async-lift_fetch))
  (export "[async-lift-stackful]run" (func $taskwrap:_async-lift-stackful_run)))
