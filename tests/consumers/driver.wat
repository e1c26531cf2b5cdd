;; The driver component (world tw:consumers/driver): one call of `drive`
;; makes a fixed sequence of calls into the subject component, in one
;; instance, and returns the subject's whole log (`trace`). wasm-tools
;; compose links the two. The driver has no hook: only the subject's hooks
;; are logged.
(module
  (import "tw:consumers/api" "sync" (func $sync (param i32)))
  (import "tw:consumers/api" "echo" (func $echo (param i32 i32 i32)))
  (import "tw:consumers/api" "acb" (func $acb (param i32)))
  (import "tw:consumers/api" "aecho" (func $aecho (param i32 i32 i32)))
  (import "tw:consumers/api" "ast" (func $ast (param i32 i32 i32)))
  (import "tw:consumers/api" "[constructor]r" (func $r-new (param i32) (result i32)))
  (import "tw:consumers/api" "[method]r.get" (func $r-get (param i32) (result i32)))
  (import "tw:consumers/api" "[resource-drop]r" (func $r-drop (param i32)))
  (import "tw:consumers/api" "trace" (func $trace (param i32)))
  (import "[export]$root" "[task-return]drive" (func $drive-return (param i32 i32)))
  (memory (export "memory") 4)
  (data (i32.const 0x100) "hello")
  (global $heap (mut i32) (i32.const 0x4000))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (if (local.get $old) (then unreachable))
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.const 0x40000)) (then unreachable))
    (local.get $p))
  ;; Stackful, so that it may block while the subject's acb yields. The
  ;; lists the calls return land at 0x20 and are not looked at: the final
  ;; trace has everything.
  (func (export "[async-lift-stackful]drive")
    (local $r i32)
    (call $sync (i32.const 0x20))
    (call $echo (i32.const 0x100) (i32.const 5) (i32.const 0x20))
    (call $acb (i32.const 0x20))
    (call $aecho (i32.const 0x100) (i32.const 3) (i32.const 0x20))
    (call $ast (i32.const 0x100) (i32.const 4) (i32.const 0x20))
    (local.set $r (call $r-new (i32.const 7)))
    (if (i32.ne (call $r-get (local.get $r)) (i32.const 7)) (then unreachable))
    (call $r-drop (local.get $r))
    (call $acb (i32.const 0x20))
    (call $sync (i32.const 0x20))
    (call $trace (i32.const 0x10))
    (call $drive-return (i32.load (i32.const 0x10)) (i32.load (i32.const 0x14))))
)
