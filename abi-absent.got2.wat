(module
  (type (;0;) (func))
  (func (;0;) (type 0))
  (func (;1;) (type 0))
  (export "__wasm_init_task" (func 0))
  (export "sync" (func 1)))
