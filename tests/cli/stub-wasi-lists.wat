;; The module of stub-wasi-data.sh: each export calls one WASI function
;; with the guest's buffers, so that the test reads what the stubs wrote.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $env_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $env_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "args_sizes") (param i32 i32) (result i32) (call $args_sizes (local.get 0) (local.get 1)))
  (func (export "args_get") (param i32 i32) (result i32) (call $args_get (local.get 0) (local.get 1)))
  (func (export "env_sizes") (param i32 i32) (result i32) (call $env_sizes (local.get 0) (local.get 1)))
  (func (export "env_get") (param i32 i32) (result i32) (call $env_get (local.get 0) (local.get 1))))
