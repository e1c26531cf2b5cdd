;; A module of stub-wasi-data.sh that reads a file through the stubs and
;; has no function type [i32] -> [i32] (no fd_close import, no such
;; function): the embedded table's lookup gets an appended type of that
;; shape (docs/abi.md, "Embedded WASI data"). Every function here takes
;; two i32 and returns one, so that no [i32] -> [i32] hides among them.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 1000) "f.txt")
  (func (export "args_sizes") (param i32 i32) (result i32) (call $args_sizes (local.get 0) (local.get 1)))
  (func (export "args_get") (param i32 i32) (result i32) (call $args_get (local.get 0) (local.get 1)))
  (func (export "env_sizes") (param i32 i32) (result i32) (call $env_sizes (local.get 0) (local.get 1)))
  (func (export "env_get") (param i32 i32) (result i32) (call $env_get (local.get 0) (local.get 1)))
  ;; read_file(buf, len): "f.txt" of the first preopen (fd 3) read into
  ;; buf, at most len bytes: the count, or minus the errno.
  (func (export "read_file") (param $buf i32) (param $len i32) (result i32)
    (local $e i32)
    (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 1000) (i32.const 5)
                    (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 960)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    (i32.store (i32.const 900) (local.get $buf))
    (i32.store (i32.const 904) (local.get $len))
    (local.set $e (call $fd_read (i32.load (i32.const 960)) (i32.const 900) (i32.const 1)
                    (i32.const 968)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    (i32.load (i32.const 968))))
