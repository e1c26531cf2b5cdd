(module
  (type (;0;) (func (param i32 i32)))
  (func (;0;) (type 0) (param i32 i32)))
