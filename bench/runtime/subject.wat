;; The subject of the runtime benchmark (world bench:rt/subject, wit/api.wit).
;; Variant a is this module as it is, b the same after wasm-taskwrap, c the
;; same without the hook export (bench.mjs removes the line marked HOOK).
;;
;; The hook does what wasi-libc's does on its fast path (docs/abi.md, "What
;; current toolchains produce"): a start code (0, 2, 3, 6, 8, 12) gives the
;; task the main stack, a finish or block code (1, 4, 5, 7, 9, 13) takes it
;; back and leaves the stack pointer 0. It also counts every code and logs
;; the first 64 events, for the self-check. Each body opens a 16-byte frame
;; on the stack, as compiled code does: with the stack pointer 0 (a task
;; started without its hook) the store traps.
(module
  (import "[export]bench:rt/api" "[task-return]h" (func $h-return (param i32)))
  ;; 0x10 return area; 0x20 g's list; 0x300 counters of codes 0..13;
  ;; 0x338 log (64 u32); 0x800 probe's copy; stack 0x8000..0x10000
  (memory (export "memory") 2)
  (global $sp (mut i32) (i32.const 0x10000))
  (global $busy (mut i32) (i32.const 0))
  (global $len (mut i32) (i32.const 0))

  (func $log (param $v i32)
    (if (i32.lt_u (global.get $len) (i32.const 64))
      (then
        (i32.store offset=0x338 (i32.shl (global.get $len) (i32.const 2)) (local.get $v))
        (global.set $len (i32.add (global.get $len) (i32.const 1))))))

  (func $hook (param $code i32)
    (local $a i32)
    (if (i32.gt_u (local.get $code) (i32.const 13)) (then unreachable))
    (local.set $a (i32.shl (local.get $code) (i32.const 2)))
    (i32.store offset=0x300 (local.get $a) (i32.add (i32.load offset=0x300 (local.get $a)) (i32.const 1)))
    (call $log (local.get $code))
    ;; start codes: bits 0 2 3 6 8 12 = 0x114d
    (if (i32.and (i32.shl (i32.const 1) (local.get $code)) (i32.const 0x114d))
      (then
        (if (global.get $busy) (then unreachable))
        (global.set $busy (i32.const 1))
        (global.set $sp (i32.const 0x10000))
        (return)))
    ;; finish and block codes: bits 1 4 5 7 9 13 = 0x22b2; the stack must
    ;; be balanced when it is taken back
    (if (i32.eqz (global.get $busy)) (then unreachable))
    (if (i32.ne (global.get $sp) (i32.const 0x10000)) (then unreachable))
    (global.set $busy (i32.const 0))
    (global.set $sp (i32.const 0)))
  (export "__wasm_task_hook" (func $hook)) ;; HOOK

  (func (export "_initialize")
    (call $log (i32.const 106)))

  ;; opens a frame, stores v in it and returns the frame's address
  (func $enter (param $v i32) (result i32)
    (local $fp i32)
    (local.set $fp (i32.sub (global.get $sp) (i32.const 16)))
    (global.set $sp (local.get $fp))
    (i32.store (local.get $fp) (local.get $v))
    (local.get $fp))
  ;; closes the frame, returns the value stored in it
  (func $leave (param $fp i32) (result i32)
    (global.set $sp (i32.add (local.get $fp) (i32.const 16)))
    (i32.load (local.get $fp)))

  (func (export "bench:rt/api#f") (param $x i32) (result i32)
    (local $fp i32)
    (local.set $fp (call $enter (local.get $x)))
    (call $log (i32.const 101))
    (i32.add (call $leave (local.get $fp)) (i32.const 1))) ;; F-RESULT

  (func (export "bench:rt/api#g") (param $x i32) (result i32)
    (local $fp i32)
    (local.set $fp (call $enter (local.get $x)))
    (call $log (i32.const 102))
    (i32.store (i32.const 0x20) (i32.add (call $leave (local.get $fp)) (i32.const 1)))
    (i32.store (i32.const 0x10) (i32.const 0x20))
    (i32.store (i32.const 0x14) (i32.const 1))
    (i32.const 0x10))
  (func (export "cabi_post_bench:rt/api#g") (param i32)
    (call $log (i32.const 202)))

  ;; returns its value with task.return and EXIT (0): the callback never runs
  (func (export "[async-lift]bench:rt/api#h") (param $x i32) (result i32)
    (local $fp i32)
    (local.set $fp (call $enter (local.get $x)))
    (call $log (i32.const 103))
    (call $h-return (i32.add (call $leave (local.get $fp)) (i32.const 1)))
    (i32.const 0))
  (func (export "[callback][async-lift]bench:rt/api#h") (param i32 i32 i32) (result i32)
    unreachable)

  ;; a copy (the finish hook logs after the body returned, before the
  ;; canonical ABI reads the list): counters, then the log
  (func (export "bench:rt/api#probe") (result i32)
    (memory.copy (i32.const 0x800) (i32.const 0x300) (i32.add (i32.const 56) (i32.shl (global.get $len) (i32.const 2))))
    (i32.store (i32.const 0x10) (i32.const 0x800))
    (i32.store (i32.const 0x14) (i32.add (i32.const 14) (global.get $len)))
    (i32.const 0x10))
)
