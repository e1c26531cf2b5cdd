;; Function references in code, as LLVM writes them with -mtail-call and
;; funcref tables: ref.func, return_call and return_call_indirect, whose
;; indices wasm-ld leaves padded to 5 bytes like a call's (build.sh pads
;; them). A WASI import sits before the functions they name, so --stub-wasi
;; must renumber every one of them and keep its width. A core module, run
;; with env.wat preloaded.
(module
  (import "env" "__wasm_get_stack_pointer" (func $get_sp (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (import "env" "__wasm_set_stack_pointer" (func $set_sp (param i32)))
  (type $t (func (result i32)))
  (table $__indirect_function_table (export "__indirect_function_table") 4 funcref)
  (memory (export "memory") 1)
  (elem declare func $seven $sp)

  ;; the task's stack: 0x800 from start (0) to finish (1)
  (func $__wasm_task_hook (export "__wasm_task_hook") (param $code i32)
    (if (i32.eqz (local.get $code)) (then (call $set_sp (i32.const 0x800))))
    (if (i32.eq (local.get $code) (i32.const 1)) (then (call $set_sp (i32.const 0)))))
  (func $seven (type $t) (i32.const 7))
  (func $sp (type $t) (call $get_sp))
  ;; 7 + the stack pointer, both through table slots filled by ref.func
  (func $via_ref (export "via-ref") (result i32)
    (table.set $__indirect_function_table (i32.const 2) (ref.func $seven))
    (table.set $__indirect_function_table (i32.const 3) (ref.func $sp))
    (i32.add (call_indirect $__indirect_function_table (type $t) (i32.const 2))
             (call_indirect $__indirect_function_table (type $t) (i32.const 3))))
  (func $tail (export "tail") (result i32)
    (drop (call $sched_yield))
    (return_call $sp))
  (func $tail_indirect (export "tail-indirect") (result i32)
    (table.set $__indirect_function_table (i32.const 1) (ref.func $sp))
    (return_call_indirect $__indirect_function_table (type $t) (i32.const 1)))
)
