(module
  (type (;0;) (func (param i32)))
  (func (;0;) (type 0) (param i32))
  (func (;1;) (type 0) (param i32)
    i32.const 0
    call 0
    local.get 0
    call 0
    i32.const 1
    call 0)
  (export "__wasm_task_hook" (func 0))
  (export "f" (func 1)))
