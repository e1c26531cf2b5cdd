;; The main module run by the wasmtime CLI, after --preload env=env.wasm and
;; --preload guest=GUEST (the rewritten Go module, which imports only env.log).
;; It is the host's side of the test, written in wasm because the CLI offers
;; nothing else:
;;  - $log, put into env's table at instantiation, copies the guest's bytes
;;    (memory 0, imported) into its own memory (memory 1, exported as
;;    "memory", which is the memory wasmtime's WASI reads) and writes them
;;    with the real WASI fd_write to the same fd: fmt output of the guest
;;    arrives on wasmtime's stdout/stderr through env.log;
;;  - shout_demo and tally_demo write a string into guest memory obtained
;;    from guest.alloc, as a host would, and call the export;
;;  - the guest's scalar exports are re-exported as they are.
(module
  (type $log_t (func (param i32 i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "guest" "memory" (memory $g 0))
  (import "env" "sink" (table $sink 1 funcref))
  (import "guest" "alloc" (func $alloc (param i32) (result i32)))
  (import "guest" "shout" (func $shout (param i32 i32) (result i64)))
  (import "guest" "tally" (func $tally (param i32 i32) (result i32)))
  (import "guest" "greet" (func $greet))
  (import "guest" "now_unix" (func $now_unix (result i64)))
  (import "guest" "elapsed_ok" (func $elapsed_ok (result i32)))
  (import "guest" "rand_n" (func $rand_n (param i32) (result i32)))
  (import "guest" "pinned_count" (func $pinned_count (result i32)))

  ;; 0: iovec {buf, len}, 8: nwritten, 16: "\n", 64..: the text of shout
  ;; and tally, 256..: the copy buffer (the rest of the page).
  (memory $m 1)
  (export "memory" (memory $m))
  (data (memory $m) (i32.const 16) "\n")
  (data (memory $m) (i32.const 64) "h\c3\a9llo w\c3\b6rld")   ;; 13 bytes
  (data (memory $m) (i32.const 96) "go wasm go host")        ;; 15 bytes

  (elem (table $sink) (i32.const 0) func $log)

  ;; write len bytes of memory 1 at buf to fd; trap on any error
  (func $write (param $fd i32) (param $buf i32) (param $len i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store $m (i32.const 0) (local.get $buf))
        (i32.store $m (i32.const 4) (local.get $len))
        (if (call $fd_write (local.get $fd) (i32.const 0) (i32.const 1) (i32.const 8))
          (then unreachable))
        (local.set $buf (i32.add (local.get $buf) (i32.load $m (i32.const 8))))
        (local.set $len (i32.sub (local.get $len) (i32.load $m (i32.const 8))))
        (br $more))))

  ;; env.log(fd, ptr, len): ptr/len in the guest's memory
  (func $log (type $log_t) (param $fd i32) (param $ptr i32) (param $len i32)
    (local $n i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (local.set $n (select (local.get $len) (i32.const 65024)
                        (i32.lt_u (local.get $len) (i32.const 65024))))
        (memory.copy $m $g (i32.const 256) (local.get $ptr) (local.get $n))
        (call $write (local.get $fd) (i32.const 256) (local.get $n))
        (local.set $ptr (i32.add (local.get $ptr) (local.get $n)))
        (local.set $len (i32.sub (local.get $len) (local.get $n)))
        (br $more))))

  ;; copy len bytes of memory 1 at src into a fresh guest buffer
  (func $put (param $src i32) (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (call $alloc (local.get $len)))
    (memory.copy $g $m (local.get $p) (local.get $src) (local.get $len))
    (local.get $p))

  ;; shout("héllo wörld"): prints the result and a newline to stdout,
  ;; returns its length in bytes
  (func (export "shout_demo") (result i32)
    (local $r i64) (local $len i32)
    (local.set $r (call $shout (call $put (i32.const 64) (i32.const 13)) (i32.const 13)))
    (local.set $len (i32.wrap_i64 (local.get $r)))
    (call $log (i32.const 1) (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32)))
               (local.get $len))
    (call $write (i32.const 1) (i32.const 16) (i32.const 1))
    (local.get $len))

  ;; tally("go wasm go host"): the guest prints the counts itself
  (func (export "tally_demo") (result i32)
    (call $tally (call $put (i32.const 96) (i32.const 15)) (i32.const 15)))

  (export "greet" (func $greet))
  (export "now_unix" (func $now_unix))
  (export "elapsed_ok" (func $elapsed_ok))
  (export "rand_n" (func $rand_n))
  (export "pinned_count" (func $pinned_count)))
