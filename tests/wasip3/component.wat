;; A wasip3 reactor core module shaped as current toolchains emit it
;; (../../../shared/ABI.md, last section), for the world in wasip3.wit:
;; LLVM's wasip3 ABI (stack pointer and TLS base behind the imported
;; env.__wasm_{get,set}_{stack_pointer,tls_base} libcalls; the defined
;; globals __init_stack_pointer and __init_tls_base), passive TLS data
;; segments, an exported table, extended-const initialisers, and
;; wasi-libc's __wasm_task_hook (libc.wat). build.sh assembles it, pads
;; every function, type, table and global index, load/store offset and
;; i32.const in the code to 5 bytes as wasm-ld leaves them (call_indirect's
;; table index 0 as 80 80 80 80 00), and appends the producers and
;; target_features sections wasm-ld writes.
;;
;; The extended-const initialisers here use only i32.const operands: a
;; component's core module may import functions only, so no __memory_base
;; global can be imported, and wabt 1.0.32 refuses a global.get of a defined
;; global in an initialiser. pie.wat has the global.get __memory_base form.
(module
  (import "env" "__wasm_get_stack_pointer" (func $get_sp (result i32)))
  (import "env" "__wasm_set_stack_pointer" (func $set_sp (param i32)))
  (import "env" "__wasm_get_tls_base" (func $get_tls (result i32)))
  (import "env" "__wasm_set_tls_base" (func $set_tls (param i32)))
  (import "[export]$root" "[task-return]acb" (func $acb_return (param i32 i32)))

  (table $__indirect_function_table (export "__indirect_function_table") 3 3 funcref)
  (memory $memory (export "memory") 2)
  (global $__init_stack_pointer i32 (i32.const 0x6000))
  (global $__init_tls_base i32 (i32.const 0x7000))
  (global $hook_stack_top i32 (i32.add (i32.const 0x1000) (i32.const 0x400)))
  (global $trace_base i32 (i32.const 0x6000))
  (global $stack_pool i32 (i32.mul (i32.const 0x4000) (i32.const 4)))
  (global $tls_pool i32 (i32.sub (i32.const 0x18000) (i32.const 0x4000)))
  (global $heap_base i32 (i32.const 0x18000))
  (global $data_base i32 (i32.const 0x400))
  (global $data_word_addr i32 (i32.add (i32.const 0x400) (i32.const 4)))
  (elem (i32.const 1) func $double $negate)

;; @include libc.wat

  ;; echo: a string in (cabi_realloc, hook codes 12/13) and out, with a
  ;; post-return (the finish hook moves behind it).
  (func $echo (export "echo") (param $ptr i32) (param $len i32) (result i32)
    (local $ret i32)
    (local.set $ret (call $cabi_realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
    (i32.store (local.get $ret) (local.get $ptr))
    (i32.store offset=4 (local.get $ret) (local.get $len))
    (local.get $ret))
  (func $cabi_post_echo (export "cabi_post_echo") (param i32))

  ;; acb: async callback-style. It yields once (1 = YIELD); the callback
  ;; runs as a resumed task (hook code 3) and returns the trace, which then
  ;; shows the task's start (2), its block (4) and its resumption (3).
  (func $acb (export "[async-lift]acb") (result i32)
    (i32.const 1))
  (func $acb_callback (export "[callback][async-lift]acb") (param i32 i32 i32) (result i32)
    (call $acb_return (global.get $trace_base) (global.get $trace_len))
    (i32.const 0))
)
