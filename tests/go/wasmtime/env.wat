;; The "env" module preloaded into the wasmtime CLI (--preload env=env.wasm).
;; The CLI cannot define host functions, and a module instantiated before the
;; guest cannot read the guest's memory, so env.log is a trampoline: it calls
;; whatever function sits in slot 0 of the exported table "sink". driver.wat,
;; the main module, is instantiated after the guest and puts its real log
;; function there. A call of env.log before that traps (null element), so
;; output can never be lost silently.
(module
  (type $log (func (param i32 i32 i32)))
  (table $sink (export "sink") 1 funcref)
  (func (export "log") (param $fd i32) (param $ptr i32) (param $len i32)
    local.get $fd
    local.get $ptr
    local.get $len
    i32.const 0
    call_indirect $sink (type $log)))
