;; The main module the wasmtime CLI runs (with no WASI) after
;; --preload host=host.wasm --preload prog=PROGRAM: the host's side of the
;; test, in wasm because the CLI offers nothing else.
;;  - $write, put into host's table, appends the program's output (fd 1 or 2,
;;    read from the program's memory) to this module's own memory: fd 1 at
;;    [0, 64 KiB), fd 2 at [64 KiB, 128 KiB), lengths in $len1 and $len2;
;;  - _start runs the program's _start (preloaded renamed tw_run), sets
;;    $returned, then traps.
;; Every run therefore ends in a trap (the program's proc_exit stub or the
;; unreachable here), and wasmtime's core dump (-D coredump=FILE) holds what
;; the checker needs: this module's globals and memory and the program's
;; taskwrap_exit_code. $magic tells this instance apart in the dump.
;; Another fd, or more than 64 KiB on one, traps at once (the program then
;; looks like one that crashed: never a pass).
(module
  (type $write_t (func (param i32 i32 i32)))
  (import "prog" "memory" (memory $p 0))
  (import "prog" "tw_run" (func $start)) ;; the program's _start, renamed (wasmtime-run.mjs)
  (import "host" "sink" (table $sink 1 funcref))
  (memory $out 2)
  (global $returned (mut i32) (i32.const 0))
  (global $len1 (mut i32) (i32.const 0))
  (global $len2 (mut i32) (i32.const 0))
  (global $magic i32 (i32.const 0x7477686f))
  (elem (table $sink) (i32.const 0) func $write)

  (func $write (type $write_t) (param $fd i32) (param $ptr i32) (param $len i32)
    (local $at i32)
    (if (i32.eq (local.get $fd) (i32.const 1))
      (then
        (local.set $at (global.get $len1))
        (global.set $len1 (i32.add (global.get $len1) (local.get $len))))
      (else
        (if (i32.ne (local.get $fd) (i32.const 2)) (then unreachable))
        (local.set $at (i32.add (i32.const 65536) (global.get $len2)))
        (global.set $len2 (i32.add (global.get $len2) (local.get $len)))))
    (if (i32.or (i32.gt_u (global.get $len1) (i32.const 65536))
                (i32.gt_u (global.get $len2) (i32.const 65536)))
      (then unreachable))
    (memory.copy $out $p (local.get $at) (local.get $ptr) (local.get $len)))

  (func (export "_start")
    (call $start)
    (global.set $returned (i32.const 1))
    unreachable))
