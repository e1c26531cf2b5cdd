;; The driver of the runtime benchmark (world bench:rt/driver, wit/api.wit):
;; loops of calls into the subject, composed with it by `wasm-tools
;; compose`. Every result is checked (a wrong one traps); each loop is timed
;; with wasi:clocks/monotonic-clock and returns its nanoseconds. The driver
;; has no hook.
(module
  (import "bench:rt/api" "f" (func $f (param i32) (result i32)))
  (import "bench:rt/api" "g" (func $g (param i32 i32)))
  (import "bench:rt/api" "h" (func $h (param i32) (result i32)))
  (import "bench:rt/api" "probe" (func $probe (param i32)))
  (import "wasi:clocks/monotonic-clock@0.2.0" "now" (func $now (result i64)))
  ;; 0x10 g's return area, 0x20 probe's; lists land on the heap from 0x1000
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 0x1000))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (if (local.get $old) (then unreachable))
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.const 0x20000)) (then unreachable))
    (local.get $p))

  (func (export "run-f") (param $n i32) (result i64)
    (local $i i32) (local $t0 i64)
    (local.set $t0 (call $now))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ne (call $f (local.get $i)) (i32.add (local.get $i) (i32.const 1))) (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i64.sub (call $now) (local.get $t0)))

  ;; the list g returns is copied into the heap by cabi_realloc: the heap is
  ;; reset before each call
  (func (export "run-g") (param $n i32) (result i64)
    (local $i i32) (local $t0 i64)
    (local.set $t0 (call $now))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (global.set $heap (i32.const 0x1000))
      (call $g (local.get $i) (i32.const 0x10))
      (if (i32.ne (i32.load (i32.const 0x14)) (i32.const 1)) (then unreachable))
      (if (i32.ne (i32.load (i32.load (i32.const 0x10))) (i32.add (local.get $i) (i32.const 1))) (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i64.sub (call $now) (local.get $t0)))

  (func (export "run-h") (param $n i32) (result i64)
    (local $i i32) (local $t0 i64)
    (local.set $t0 (call $now))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ne (call $h (local.get $i)) (i32.add (local.get $i) (i32.const 1))) (then unreachable))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (i64.sub (call $now) (local.get $t0)))

  ;; [f(41), g(41)[0], len g(41), h(41), probe...] as one list at 0x1000
  (func (export "probe") (result i32)
    (local $p i32) (local $len i32)
    (global.set $heap (i32.const 0x2000))
    (i32.store (i32.const 0x1000) (call $f (i32.const 41)))
    (call $g (i32.const 41) (i32.const 0x10))
    (i32.store (i32.const 0x1004) (i32.load (i32.load (i32.const 0x10))))
    (i32.store (i32.const 0x1008) (i32.load (i32.const 0x14)))
    (i32.store (i32.const 0x100c) (call $h (i32.const 41)))
    (call $probe (i32.const 0x20))
    (local.set $len (i32.load (i32.const 0x24)))
    (memory.copy (i32.const 0x1010) (i32.load (i32.const 0x20)) (i32.shl (local.get $len) (i32.const 2)))
    (i32.store (i32.const 0x10) (i32.const 0x1000))
    (i32.store (i32.const 0x14) (i32.add (local.get $len) (i32.const 4)))
    (i32.const 0x10))
)
