;; Two worlds in one module: tw:consumers/mem (echo, trace; api.wit) and
;; tw:extra/extra (ping; extra.wit), embedded one after the other, so the
;; module carries two component-type sections. run.mjs also builds it with
;; the memory imported instead: it replaces the line marked MEMORY by
;;   (import "env" "memory" (memory 1))
;; Log codes as in subject.wat.
(module
  (memory (export "memory") 1) ;; MEMORY
  (global $len (mut i32) (i32.const 0))
  (global $heap (mut i32) (i32.const 0x4000))

  (func $log (param $v i32)
    (if (i32.ge_u (global.get $len) (i32.const 512)) (then unreachable))
    (i32.store offset=0x1000 (i32.shl (global.get $len) (i32.const 2)) (local.get $v))
    (global.set $len (i32.add (global.get $len) (i32.const 1))))

  ;; copy of the log to 0x2000, (ptr, len) at 0x10; returns 0x10
  (func $snapshot (result i32)
    (memory.copy (i32.const 0x2000) (i32.const 0x1000) (i32.shl (global.get $len) (i32.const 2)))
    (i32.store (i32.const 0x10) (i32.const 0x2000))
    (i32.store (i32.const 0x14) (global.get $len))
    (i32.const 0x10))

  (func (export "__wasm_task_hook") (param $code i32)
    (call $log (local.get $code)))

  (func (export "_initialize")
    (call $log (i32.const 106)))

  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (call $log (i32.const 110))
    (if (local.get $old) (then unreachable))
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.const 0x10000)) (then unreachable))
    (local.get $p))

  (func (export "echo") (param i32 i32) (result i32)
    (call $log (i32.const 103))
    (call $snapshot))

  (func (export "ping") (param $n i32) (result i32)
    (call $log (i32.const 120))
    (call $log (local.get $n))
    (call $snapshot))
  (func (export "cabi_post_ping") (param i32)
    (call $log (i32.const 220)))

  (func (export "trace") (result i32)
    (local $r i32)
    (call $log (i32.const 111))
    (local.set $r (call $snapshot))
    (global.set $len (i32.const 0))
    (local.get $r))
)
