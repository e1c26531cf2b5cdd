(module $only_module_name
  (type (;0;) (func (param i32)))
  (type (;1;) (func (param i32 i32)))
  (func (;0;) (type 0) (param i32))
  (func (;1;) (type 1) (param i32 i32))
  (func $taskwrap:sync (type 1) (param i32 i32)
    i32.const 0
    call 0
    local.get 0
    local.get 1
    call 1
    i32.const 1
    call 0)
  (export "sync" (func $taskwrap:sync)))
