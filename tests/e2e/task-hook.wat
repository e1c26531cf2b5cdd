;; Core module for the task-hook end-to-end test (world in task-hook.wit).
;; __wasm_task_hook and every export append a code to a log in linear memory:
;; hooks their code (0..13), bodies a marker 100+id, post-returns and
;; callbacks 200+id. Hooks called around realloc and post-return may not call
;; the host, hence the in-memory log, read back by get-log.
(module
  (import "[export]$root" "[task-return]acb" (func $acb-return))
  (import "[export]$root" "[task-return]aecho" (func $aecho-return (param i32 i32)))
  (import "[export]$root" "[task-return]ast" (func $ast-return))
  (import "[export]x" "[resource-new]r" (func $r-new (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; log: u32 entries at 0x1000 (up to 1024); get-log copies it to 0x2000;
  ;; 8-byte return area at 0x10; bump heap from 0x4000 to the end of memory.
  (global $len (mut i32) (i32.const 0))
  (global $heap (mut i32) (i32.const 0x4000))
  (global $initialized (mut i32) (i32.const 0))

  (func $log (param $v i32)
    (if (i32.ge_u (global.get $len) (i32.const 1024)) (then unreachable))
    (i32.store offset=0x1000 (i32.shl (global.get $len) (i32.const 2)) (local.get $v))
    (global.set $len (i32.add (global.get $len) (i32.const 1))))

  (func (export "__wasm_task_hook") (param $code i32)
    (call $log (local.get $code)))

  (func (export "_initialize")
    (call $log (i32.const 106))
    (global.set $initialized (i32.const 1)))

  ;; Bump allocator; the canonical ABI only allocates afresh (old ptr 0)
  ;; when lowering arguments into the module.
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (call $log (i32.const 110))
    (if (local.get $old) (then unreachable))
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.const 0x10000)) (then unreachable))
    (local.get $p))

  (func (export "sync")
    (call $log (i32.const 101)))

  (func (export "sync-post")
    (call $log (i32.const 102)))
  (func (export "cabi_post_sync-post")
    (call $log (i32.const 202)))

  ;; echo returns its argument: (ptr, len) in the return area
  (func (export "echo") (param $ptr i32) (param $n i32) (result i32)
    (call $log (i32.const 103))
    (i32.store (i32.const 0x10) (local.get $ptr))
    (i32.store (i32.const 0x14) (local.get $n))
    (i32.const 0x10))
  (func (export "cabi_post_echo") (param i32)
    (call $log (i32.const 203)))

  (func (export "add") (param i32 i32) (result i32)
    (call $log (i32.const 104))
    (i32.add (local.get 0) (local.get 1)))

  ;; async callback-style: YIELD (1) first; the callback returns the value and EXIT (0)
  (func (export "[async-lift]acb") (result i32)
    (call $log (i32.const 112))
    (i32.const 1))
  (func (export "[callback][async-lift]acb") (param i32 i32 i32) (result i32)
    (call $log (i32.const 212))
    (call $acb-return)
    (i32.const 0))

  (func (export "[async-lift]aecho") (param $ptr i32) (param $n i32) (result i32)
    (call $log (i32.const 113))
    (call $aecho-return (local.get $ptr) (local.get $n))
    (i32.const 0))
  (func (export "[callback][async-lift]aecho") (param i32 i32 i32) (result i32)
    (call $log (i32.const 213))
    unreachable)

  (func (export "[async-lift-stackful]ast")
    (call $log (i32.const 114))
    (call $ast-return))

  ;; get-log: copy the log (including this call's own start hook and marker)
  ;; to 0x2000 and clear it; the finish hook then starts the next log.
  (func (export "get-log") (result i32)
    (local $i i32)
    (call $log (i32.const 111))
    (block $done
      (loop $copy
        (br_if $done (i32.ge_u (local.get $i) (global.get $len)))
        (i32.store offset=0x2000 (i32.shl (local.get $i) (i32.const 2))
                   (i32.load offset=0x1000 (i32.shl (local.get $i) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (i32.store (i32.const 0x10) (i32.const 0x2000))
    (i32.store (i32.const 0x14) (global.get $len))
    (global.set $len (i32.const 0))
    (i32.const 0x10))

  (func (export "x#sync")
    (call $log (i32.const 105)))
  ;; resource r: the rep is the constructor's value
  (func (export "x#[constructor]r") (param $v i32) (result i32)
    (call $log (i32.const 107))
    (call $r-new (local.get $v)))
  (func (export "x#[method]r.get") (param $rep i32) (result i32)
    (call $log (i32.const 108))
    (local.get $rep))
  (func (export "x#[dtor]r") (param $rep i32)
    (call $log (i32.const 109)))
)
