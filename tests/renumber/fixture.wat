;; Every place a function index lives, for tests/renumber/corpus.mjs (which
;; puts a wasi_snapshot_preview1 import in front of all of this, so every
;; index below moves up by one, and checks wasm-taskwrap --stub-wasi moves
;; it back). Assembled with wat2wasm --debug-names: name subsections 1
;; (functions) and 2 (locals); labels (3) and table initialisers are in
;; binary.mjs, which wabt 1.0.32 cannot write.
(module
  (type $v (func))
  (type $ii (func (param i32) (result i32)))
  ;; Imported functions: indices below the defined ones.
  (import "env" "imp0" (func $imp0 (param i32) (result i32)))
  (import "env" "imp1" (func $imp1))
  (import "env" "tab" (table $timp 1 funcref))
  (import "env" "gimp" (global $gimp i32))

  (table $t0 8 funcref)
  (table $t1 4 funcref)
  (memory 1)

  ;; Global initialisers with ref.func.
  (global $gf funcref (ref.func $b))
  (global $gf2 (mut funcref) (ref.func $imp1))

  ;; Element segments, one per flag value (wasm-objdump shows flags=0..7;
  ;; the expression forms hold a ref.null so wabt keeps them expressions).
  (elem (i32.const 0) $a $b $imp0)                                        ;; 0
  (elem $passive func $b $a $imp1)                                        ;; 1
  (elem (table $t1) (i32.const 1) func $c $imp0)                          ;; 2
  (elem declare func $declared)                                           ;; 3
  (elem (i32.const 4) funcref (ref.func $c) (ref.null func) (ref.func $imp1)) ;; 4
  (elem $pexpr funcref (ref.func $a) (ref.null func))                     ;; 5
  (elem (table $t1) (i32.const 0) funcref (ref.null func) (ref.func $b))  ;; 6
  (elem declare funcref (ref.func $declared2) (ref.null func))            ;; 7

  (func $a (type $v)
    (local $tmp i32)
    i32.const 7
    local.set $tmp
    call $b
    block $out
      loop $again
        i32.const 0
        br_if $out
        br $again
      end
    end)
  (func $b (type $v)
    i32.const 3
    call $imp0
    drop
    call $imp1)
  (func $c (type $ii) (param $x i32) (result i32)
    local.get $x
    call $imp0
    drop
    ref.func $declared
    drop
    ref.func $declared2
    drop
    i32.const 0
    call_indirect $t0 (type $v)
    local.get $x)
  (func $declared (type $v))
  (func $declared2 (type $v))
  (func $tail (type $ii) (param $y i32) (result i32)
    local.get $y
    return_call $c)
  (func $init (type $v)
    elem.drop $passive
    i32.const 0
    i32.const 0
    i32.const 1
    table.init $t0 $pexpr)

  (start $init)
  (export "a" (func $a))
  (export "c" (func $c))
  (export "tail" (func $tail))
  (export "imp0" (func $imp0))
  (export "t0" (table $t0))
  (export "gf" (global $gf)))
