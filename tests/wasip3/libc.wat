;; The C-library half shared by component.wat and pie.wat (build.sh puts it
;; where a fixture says ";; @include libc.wat"): a model of wasi-libc's task
;; support under LLVM's wasip3 ABI (../../../shared/ABI.md, last section).
;;
;; The stack pointer and the TLS base live outside the module: they are read
;; and written only through the imported env.__wasm_{get,set}_* functions
;; ($get_sp, $set_sp, $get_tls, $set_tls), which wit-component connects to
;; context.get/set (component.wat) and env.wat to globals (pie.wat).
;; The including fixture defines the address globals used here:
;; $__init_stack_pointer, $__init_tls_base, $hook_stack_top, $trace_base,
;; $stack_pool, $tls_pool, $heap_base, $data_base, $data_word_addr.
;;
;; Memory layout (2 pages): .data at 0x400 (16 bytes), hook stack 1 KiB
;; 0x1000-0x1400, main stack 0x2000-0x6000, trace 0x6000-0x7000, main TLS
;; block 0x7000, stack pool 4 x 4 KiB at 0x10000, TLS pool 4 x 16 bytes at
;; 0x14000, cabi_realloc's bump heap from 0x18000.

  ;; Passive segments, as wasm-ld writes them for a module whose memory may
  ;; be shared: .tdata, the TLS image (copied into every task's TLS block by
  ;; __wasm_init_tls, never dropped), and .data (copied once by
  ;; __wasm_init_memory, then dropped).
  (data $.tdata "TLS1" "\29\00\00\00" "\00\00\00\00" "\00\00\00\00")
  (data $.data "p3!\00" "\78\56\34\12" "\ef\be\ad\de" "\00\00\00\00")

  ;; Which pooled stacks / TLS blocks are taken (bit i = slot i), and
  ;; whether the main stack and the main TLS block are free.
  (global $stacks_used (mut i32) (i32.const 0))
  (global $tls_used (mut i32) (i32.const 0))
  (global $main_stack_free (mut i32) (i32.const 1))
  (global $main_tls_free (mut i32) (i32.const 1))
  (global $trace_len (mut i32) (i32.const 0))
  (global $heap (mut i32) (i32.const 0))

  (func $__wasm_init_memory
    (memory.init $.data (global.get $data_base) (i32.const 0) (i32.const 16))
    (data.drop $.data))

  ;; wasm-ld's __wasm_init_tls(ptr): the TLS base is set through the
  ;; libcall, then the passive image is copied in.
  (func $__wasm_init_tls (param $ptr i32)
    (call $set_tls (local.get $ptr))
    (memory.init $.tdata (local.get $ptr) (i32.const 0) (i32.const 16)))

  ;; A slot from a 4-slot pool: the index of the lowest clear bit of *used.
  (func $slot (param $used i32) (result i32)
    (local $i i32)
    (block $found
      (loop $next
        (br_if $found (i32.eqz (i32.and (local.get $used)
                                         (i32.shl (i32.const 1) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 4)))
        unreachable))
    (local.get $i))

  ;; The main stack when it is free, else a pooled one (wasi-libc: malloc).
  ;; Returns the stack's top.
  (func $stack_take (result i32)
    (local $i i32)
    (if (global.get $main_stack_free)
      (then (global.set $main_stack_free (i32.const 0))
            (return (global.get $__init_stack_pointer))))
    (local.set $i (call $slot (global.get $stacks_used)))
    (global.set $stacks_used (i32.or (global.get $stacks_used)
                                     (i32.shl (i32.const 1) (local.get $i))))
    (i32.add (global.get $stack_pool) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 12))))

  (func $stack_release (param $top i32)
    (if (i32.eq (local.get $top) (global.get $__init_stack_pointer))
      (then (global.set $main_stack_free (i32.const 1)) (return)))
    (global.set $stacks_used
      (i32.and (global.get $stacks_used)
               (i32.xor (i32.const -1)
                        (i32.shl (i32.const 1)
                                 (i32.sub (i32.shr_u (i32.sub (local.get $top) (global.get $stack_pool))
                                                     (i32.const 12))
                                          (i32.const 1)))))))

  (func $tls_take (result i32)
    (local $i i32)
    (if (global.get $main_tls_free)
      (then (global.set $main_tls_free (i32.const 0))
            (return (global.get $__init_tls_base))))
    (local.set $i (call $slot (global.get $tls_used)))
    (global.set $tls_used (i32.or (global.get $tls_used)
                                  (i32.shl (i32.const 1) (local.get $i))))
    (i32.add (global.get $tls_pool) (i32.shl (local.get $i) (i32.const 4))))

  (func $tls_release (param $tls i32)
    (if (i32.eq (local.get $tls) (global.get $__init_tls_base))
      (then (global.set $main_tls_free (i32.const 1)) (return)))
    (global.set $tls_used
      (i32.and (global.get $tls_used)
               (i32.xor (i32.const -1)
                        (i32.shl (i32.const 1)
                                 (i32.shr_u (i32.sub (local.get $tls) (global.get $tls_pool))
                                            (i32.const 4)))))))

  (func $trace_word (param $v i32)
    (if (i32.ge_u (global.get $trace_len) (i32.const 1000)) (then unreachable))
    (i32.store (i32.add (global.get $trace_base) (i32.shl (global.get $trace_len) (i32.const 2)))
               (local.get $v))
    (global.set $trace_len (i32.add (global.get $trace_len) (i32.const 1))))

  ;; __wasilibc_task_hook(code, prev_sp, hook_stack) -> the stack pointer to
  ;; install. A running task's stack pointer is just below its 16-byte task
  ;; record (TLS block, stack top) at the top of its stack. A blocked task
  ;; has no stack: its saved "stack pointer" (the per-task context slot) is
  ;; its TLS block. Every call appends five words to the trace: code,
  ;; prev_sp, the stack pointer the hook itself runs on, the stack pointer
  ;; it returns, the TLS base it leaves.
  (func $__wasilibc_task_hook (param $code i32) (param $prev i32) (param $hs i32) (result i32)
    (local $sp i32) (local $tls i32) (local $top i32)
    (block $done
      ;; start codes: 0 sync, 2 async, 6 _initialize, 8 destructor, 12 realloc
      (if (i32.and (i32.le_u (local.get $code) (i32.const 12))
                   (i32.and (i32.shr_u (i32.const 0x1145) (local.get $code)) (i32.const 1)))
        (then
          (local.set $tls (call $tls_take))
          (call $__wasm_init_tls (local.get $tls))
          (local.set $top (call $stack_take))
          (local.set $sp (i32.sub (local.get $top) (i32.const 16)))
          (i32.store (local.get $sp) (local.get $tls))
          (i32.store offset=4 (local.get $sp) (local.get $top))
          (br $done)))
      ;; finish codes: 1, 5, 7, 9, 13: free what the start took
      (if (i32.and (i32.le_u (local.get $code) (i32.const 13))
                   (i32.and (i32.shr_u (i32.const 0x22a2) (local.get $code)) (i32.const 1)))
        (then
          (call $tls_release (i32.load (local.get $prev)))
          (call $stack_release (i32.load offset=4 (local.get $prev)))
          (call $set_tls (i32.const 0))
          (local.set $sp (i32.const 0))
          (br $done)))
      ;; 4, blocked: the stack is freed, the TLS block kept
      (if (i32.eq (local.get $code) (i32.const 4))
        (then
          (call $stack_release (i32.load offset=4 (local.get $prev)))
          (local.set $sp (i32.load (local.get $prev)))
          (call $set_tls (i32.const 0))
          (br $done)))
      ;; 3, resumed: a new stack, the task's own TLS block again
      (if (i32.eq (local.get $code) (i32.const 3))
        (then
          (local.set $tls (local.get $prev))
          (call $set_tls (local.get $tls))
          (local.set $top (call $stack_take))
          (local.set $sp (i32.sub (local.get $top) (i32.const 16)))
          (i32.store (local.get $sp) (local.get $tls))
          (i32.store offset=4 (local.get $sp) (local.get $top))
          (br $done)))
      (local.set $sp (local.get $prev)))
    (call $trace_word (local.get $code))
    (call $trace_word (local.get $prev))
    (call $trace_word (call $get_sp))
    (call $trace_word (local.get $sp))
    (call $trace_word (call $get_tls))
    (local.get $sp))

  ;; wasi-libc's __wasm_task_hook.S: switch to the hook's own 1 KiB stack,
  ;; let the C part decide, install the stack pointer it returns.
  (func $__wasm_task_hook (export "__wasm_task_hook") (param $code i32)
    (local $prev i32)
    (local.set $prev (call $get_sp))
    (call $set_sp (global.get $hook_stack_top))
    (call $set_sp (call $__wasilibc_task_hook (local.get $code) (local.get $prev)
                                              (global.get $hook_stack_top))))

  (func $_initialize (export "_initialize")
    (call $__wasm_init_memory)
    (global.set $heap (global.get $heap_base)))

  ;; sp: the stack pointer the body runs with (a C function with a frame:
  ;; it moves the stack pointer down and back).
  (func $sp (export "sp") (result i32)
    (local $sp i32)
    (local.set $sp (call $get_sp))
    (call $set_sp (i32.sub (local.get $sp) (i32.const 32)))
    (i32.store (i32.sub (local.get $sp) (i32.const 4)) (local.get $sp))
    (call $set_sp (local.get $sp))
    (local.get $sp))

  (func $tls_base (export "tls-base") (result i32)
    (call $get_tls))

  ;; counter: a thread-local u32 at TLS offset 4, initialised to 41 by .tdata.
  (func $counter (export "counter") (result i32)
    (local $p i32)
    (local.set $p (i32.add (call $get_tls) (i32.const 4)))
    (i32.store (local.get $p) (i32.add (i32.load (local.get $p)) (i32.const 1)))
    (i32.load (local.get $p)))

  ;; The functions in the table (elements 1 and 2; 0 stays null, as wasm-ld
  ;; leaves it).
  (type $unop (func (param i32) (result i32)))
  (func $double (type $unop) (i32.shl (local.get 0) (i32.const 1)))
  (func $negate (type $unop) (i32.sub (i32.const 0) (local.get 0)))
  ;; dispatch: an indirect call. build.sh pads its type and table index
  ;; to 5 bytes (table 0 as 80 80 80 80 00), as wasm-ld writes them.
  (func $dispatch (export "dispatch") (param $slot i32) (param $x i32) (result i32)
    (call_indirect $__indirect_function_table (type $unop) (local.get $x) (local.get $slot)))

  (func $data_word (export "data-word") (result i32)
    (i32.load (global.get $data_word_addr)))

  ;; cabi_realloc: a bump allocator (the canonical ABI only allocates afresh here).
  (func $cabi_realloc (export "cabi_realloc")
        (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (if (local.get $old) (then unreachable))
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.const 0x20000)) (then unreachable))
    (local.get $p))

  ;; trace: the trace so far (this call's own start hook included) as a
  ;; list<u32>: (pointer, length) in a return area on the heap.
  (func $trace (export "trace") (result i32)
    (local $ret i32)
    (local.set $ret (call $cabi_realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
    (i32.store (local.get $ret) (global.get $trace_base))
    (i32.store offset=4 (local.get $ret) (global.get $trace_len))
    (local.get $ret))
