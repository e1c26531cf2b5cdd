;; Core module of the cm32p2 end-to-end check (world in cm32p2.wit): every
;; export in the standard name mangling that wit-component 0.259 hooks.
(module
  (memory (export "memory") 1)
  (func (export "__wasm_task_hook") (param i32))
  (func (export "cm32p2_realloc") (param i32 i32 i32 i32) (result i32) i32.const 64)
  (func (export "cm32p2_initialize"))
  (func (export "cm32p2||run"))
  (func (export "cm32p2||get") (result i32) i32.const 16)
  (func (export "cm32p2||get_post") (param i32))
  (func (export "cm32p2|e2e:cm/handler|handle") (param i32) (result i32) local.get 0)
  (data (i32.const 16) "\20\00\00\00\00\00\00\00"))
