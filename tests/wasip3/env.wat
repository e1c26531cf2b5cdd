;; The "env" a position-independent pie.wat links against in wasmtime
;; (--preload env=env.wasm): __memory_base, __table_base, and the wasip3
;; libcalls kept in two globals, one context for the whole instance, as a
;; host without tasks has it.
(module
  (global (export "__memory_base") i32 (i32.const 0x400))
  (global (export "__table_base") i32 (i32.const 0))
  (global $sp (mut i32) (i32.const 0))
  (global $tls (mut i32) (i32.const 0))
  (func (export "__wasm_get_stack_pointer") (result i32) (global.get $sp))
  (func (export "__wasm_set_stack_pointer") (param i32) (global.set $sp (local.get 0)))
  (func (export "__wasm_get_tls_base") (result i32) (global.get $tls))
  (func (export "__wasm_set_tls_base") (param i32) (global.set $tls (local.get 0))))
