;; WASI imports between other imports, referenced from every place a
;; function index can be: calls, ref.func, element segments (index and
;; expression forms), a global initialiser, an export and the start
;; function. referenced.expected.wat is the output (written by hand): the
;; WASI imports become stubs after $d1 and $d2, in import order.
(module
  (import "env" "a" (func $a (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fake_void" (func $v))
  (import "env" "b" (func $b (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fake_fn" (func $fake (param i32) (result i32)))
  (func $d1 (export "d1") (param i32) (result i32)
    local.get 0
    call $a
    call $close
    call $b
    call $fake
    ref.func $v
    drop)
  (func $d2 (export "d2") (result i32)
    i32.const 5
    return_call $d1)
  (table 8 funcref)
  (elem (i32.const 0) $a $close $b $fake $d2)
  (elem (i32.const 5) funcref (ref.func $fake) (ref.null func) (ref.func $d1))
  (elem declare func $v)
  (global funcref (ref.func $close))
  (start $v)
  (export "close" (func $close))
  (memory 1))
