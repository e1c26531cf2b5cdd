;; The same C library (libc.wat) linked as a position-independent
;; executable: the address globals are extended-const initialisers relative
;; to the imported env.__memory_base (global.get __memory_base; i32.const N;
;; i32.add, as wasm-ld writes them with extended-const), the element segment
;; is placed at env.__table_base + 1, and a WASI import sits among the env
;; imports, so that --stub-wasi must renumber every function index behind
;; it. A core module only (a component's core module may import functions
;; only): it runs in wasmtime with env.wat preloaded as "env", which keeps
;; the stack pointer and TLS base in globals. No component-type section:
;; the export names decide the roles.
(module
  (import "env" "__wasm_get_stack_pointer" (func $get_sp (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (import "env" "__wasm_set_stack_pointer" (func $set_sp (param i32)))
  (import "env" "__wasm_get_tls_base" (func $get_tls (result i32)))
  (import "env" "__wasm_set_tls_base" (func $set_tls (param i32)))
  (import "env" "__memory_base" (global $__memory_base i32))
  (import "env" "__table_base" (global $__table_base i32))

  (table $__indirect_function_table (export "__indirect_function_table") 3 3 funcref)
  (memory $memory (export "memory") 2)
  ;; __memory_base is 0x400 (env.wat): the same addresses as component.wat.
  (global $__init_stack_pointer i32 (i32.add (global.get $__memory_base) (i32.const 0x5c00)))
  (global $__init_tls_base i32 (i32.add (global.get $__memory_base) (i32.const 0x6c00)))
  (global $hook_stack_top i32 (i32.add (global.get $__memory_base) (i32.const 0x1000)))
  (global $trace_base i32 (i32.add (global.get $__memory_base) (i32.const 0x5c00)))
  (global $stack_pool i32 (i32.add (global.get $__memory_base) (i32.const 0xfc00)))
  (global $tls_pool i32 (i32.add (global.get $__memory_base) (i32.const 0x13c00)))
  (global $heap_base i32 (i32.add (global.get $__memory_base) (i32.const 0x17c00)))
  (global $data_base i32 (global.get $__memory_base))
  (global $data_word_addr i32 (i32.add (global.get $__memory_base) (i32.const 4)))
  (elem (offset (i32.add (global.get $__table_base) (i32.const 1))) func $double $negate)

;; @include libc.wat

  ;; yield: calls the WASI import (0, from wasmtime's WASI or from the stub)
  (func $yield (export "yield") (result i32)
    (call $sched_yield))
  ;; trace-at: word i of the trace (a core export cannot return a list)
  (func $trace_at (export "trace-at") (param $i i32) (result i32)
    (i32.load (i32.add (global.get $trace_base) (i32.shl (local.get $i) (i32.const 2)))))
)
