;; The "host" module preloaded into the wasmtime CLI for programs rewritten
;; with --stub-wasi-output=host:write. The CLI defines no host functions, and
;; a module instantiated before the program cannot read the program's memory,
;; so host.write is a trampoline into slot 0 of the exported table "sink",
;; which driver.wat (instantiated after the program) fills with its collector.
;; A call before that traps (null element): output is never lost silently.
(module
  (type $write (func (param i32 i32 i32)))
  (table $sink (export "sink") 1 funcref)
  (func (export "write") (param $fd i32) (param $ptr i32) (param $len i32)
    local.get $fd
    local.get $ptr
    local.get $len
    i32.const 0
    call_indirect $sink (type $write)))
