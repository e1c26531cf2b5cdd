;; The subject of the consumers tests: every kind of export that
;; wit-component hooks, under the interface tw:consumers/api (api.wit).
;; __wasm_task_hook and every body append a code to a log in linear memory
;; (hooks around realloc and post-return may not call the host); each export
;; returns a copy of the log as it stands, `trace` also clears it.
(module
  (import "[export]tw:consumers/api" "[task-return]acb" (func $acb-return (param i32 i32)))
  (import "[export]tw:consumers/api" "[task-return]aecho" (func $aecho-return (param i32 i32)))
  (import "[export]tw:consumers/api" "[task-return]ast" (func $ast-return (param i32 i32)))
  (import "[export]tw:consumers/api" "[resource-new]r" (func $r-new (param i32) (result i32)))
  ;; log: u32 entries at 0x1000 (up to 1024); (ptr, len) return area at 0x10;
  ;; bump heap from 0x4000 (copies of the log and realloc'd arguments).
  (memory (export "memory") 4)
  (global $len (mut i32) (i32.const 0))
  (global $heap (mut i32) (i32.const 0x4000))

  (func $log (param $v i32)
    (if (i32.ge_u (global.get $len) (i32.const 1024)) (then unreachable))
    (i32.store offset=0x1000 (i32.shl (global.get $len) (i32.const 2)) (local.get $v))
    (global.set $len (i32.add (global.get $len) (i32.const 1))))

  (func $alloc (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.const 0x40000)) (then unreachable))
    (local.get $p))

  ;; A copy of the log so far, (ptr, len) at 0x10; returns 0x10. A copy,
  ;; because the finish hook appends to the log after the body returned but
  ;; before the canonical ABI reads the result.
  (func $snapshot (result i32)
    (local $p i32) (local $n i32)
    (local.set $n (i32.shl (global.get $len) (i32.const 2)))
    (local.set $p (call $alloc (i32.const 4) (local.get $n)))
    (memory.copy (local.get $p) (i32.const 0x1000) (local.get $n))
    (i32.store (i32.const 0x10) (local.get $p))
    (i32.store (i32.const 0x14) (global.get $len))
    (i32.const 0x10))

  (func (export "__wasm_task_hook") (param $code i32)
    (call $log (local.get $code)))

  (func (export "_initialize")
    (call $log (i32.const 106)))

  ;; Only fresh allocations (old ptr 0): the canonical ABI lowering arguments.
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (call $log (i32.const 110))
    (if (local.get $old) (then unreachable))
    (call $alloc (local.get $align) (local.get $size)))

  (func (export "tw:consumers/api#sync") (result i32)
    (call $log (i32.const 101))
    (call $snapshot))

  (func (export "tw:consumers/api#echo") (param i32 i32) (result i32)
    (call $log (i32.const 103))
    (call $snapshot))
  (func (export "cabi_post_tw:consumers/api#echo") (param i32)
    (call $log (i32.const 203)))

  ;; callback-style: YIELD (1) first; the callback returns the log and EXIT (0)
  (func (export "[async-lift]tw:consumers/api#acb") (result i32)
    (call $log (i32.const 112))
    (i32.const 1))
  (func (export "[callback][async-lift]tw:consumers/api#acb") (param i32 i32 i32) (result i32)
    (call $log (i32.const 212))
    (drop (call $snapshot))
    (call $acb-return (i32.load (i32.const 0x10)) (i32.load (i32.const 0x14)))
    (i32.const 0))

  ;; callback-style that finishes in its first call: its callback never runs
  (func (export "[async-lift]tw:consumers/api#aecho") (param i32 i32) (result i32)
    (call $log (i32.const 113))
    (drop (call $snapshot))
    (call $aecho-return (i32.load (i32.const 0x10)) (i32.load (i32.const 0x14)))
    (i32.const 0))
  (func (export "[callback][async-lift]tw:consumers/api#aecho") (param i32 i32 i32) (result i32)
    (call $log (i32.const 213))
    unreachable)

  (func (export "[async-lift-stackful]tw:consumers/api#ast") (param i32 i32)
    (call $log (i32.const 114))
    (drop (call $snapshot))
    (call $ast-return (i32.load (i32.const 0x10)) (i32.load (i32.const 0x14))))

  ;; resource r: the rep is the constructor's argument
  (func (export "tw:consumers/api#[constructor]r") (param $v i32) (result i32)
    (call $log (i32.const 107))
    (call $r-new (local.get $v)))
  (func (export "tw:consumers/api#[method]r.get") (param $rep i32) (result i32)
    (call $log (i32.const 108))
    (local.get $rep))
  (func (export "tw:consumers/api#[dtor]r") (param $rep i32)
    (call $log (i32.const 109)))

  (func (export "tw:consumers/api#trace") (result i32)
    (local $r i32)
    (call $log (i32.const 111))
    (local.set $r (call $snapshot))
    (global.set $len (i32.const 0))
    (local.get $r))
)
