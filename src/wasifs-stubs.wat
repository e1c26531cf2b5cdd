;; The --stub-wasi stubs over embedded files (docs/abi.md, "Embedded WASI
;; data"), in the text format. tools/gen-wasifs-stubs.py expands the @MACRO
;; lines, assembles this module and writes src/wasifs_stubs.inc: each
;; function below becomes the instruction list of the stub of the same
;; name. Only this module's frame stands in for the output's: import 0 is
;; the embedded table's lookup function (its calls refer to it), globals
;; 0..15 are the descriptor slots, data segment 0 is the embedded segment.
;;
;; A slot (fd 3 + k) holds an i64: bits 0-15 the entry + 1 (0: closed),
;; bit 16 set for a preopened directory, bits 17-63 the file offset.
;; The table (call $rom N) is 32-bit words: 5 per entry (kind and parent,
;; first child or size, child count or data offset, name length and the
;; word of its bytes, name offset in the segment), then names, 4 bytes a word.
;; Errno values: wasi_snapshot_preview1's witx, as wasmtime 49 returns them
;; for a read-only preopen (docs/usage.md, "What the stubs do").
(module
  (import "taskwrap" "rom" (func $rom (param i32) (result i32)))
  (memory 1)
  (global $s0 (mut i64) (i64.const 0)) (global $s1 (mut i64) (i64.const 0))
  (global $s2 (mut i64) (i64.const 0)) (global $s3 (mut i64) (i64.const 0))
  (global $s4 (mut i64) (i64.const 0)) (global $s5 (mut i64) (i64.const 0))
  (global $s6 (mut i64) (i64.const 0)) (global $s7 (mut i64) (i64.const 0))
  (global $s8 (mut i64) (i64.const 0)) (global $s9 (mut i64) (i64.const 0))
  (global $s10 (mut i64) (i64.const 0)) (global $s11 (mut i64) (i64.const 0))
  (global $s12 (mut i64) (i64.const 0)) (global $s13 (mut i64) (i64.const 0))
  (global $s14 (mut i64) (i64.const 0)) (global $s15 (mut i64) (i64.const 0))
  (data "")

  ;; fd_prestat_get(fd, buf): a preopened directory's name length.
  (func $fd_prestat_get (param $fd i32) (param $buf i32) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    (if (i64.eqz (i64.and (local.get $st) (i64.const 0x10000))) (then (return (i32.const 8))))
    ;;@ENTRY
    (i32.store (local.get $buf) (i32.const 0))
    (i32.store offset=4 (local.get $buf) (i32.and (call $rom ;;@FIELD 3
      ) (i32.const 0xff)))
    (i32.const 0))

  ;; fd_prestat_dir_name(fd, path, len): its name (no NUL); ENAMETOOLONG
  ;; when it does not fit.
  (func $fd_prestat_dir_name (param $fd i32) (param $path i32) (param $len i32) (result i32)
    (local $k i32) (local $e i32) (local $n i32) (local $st i64)
    ;;@SLOT_GET
    (if (i64.eqz (i64.and (local.get $st) (i64.const 0x10000))) (then (return (i32.const 8))))
    ;;@ENTRY
    (local.set $n (i32.and (call $rom ;;@FIELD 3
      ) (i32.const 0xff)))
    (if (i32.lt_u (local.get $len) (local.get $n)) (then (return (i32.const 37))))
    (memory.init 0 (local.get $path) (call $rom ;;@FIELD 4
      ) (local.get $n))
    (i32.const 0))

  ;; fd_close(fd): an open slot is closed (preopens too).
  (func $fd_close (param $fd i32) (result i32)
    (local $k i32) (local $v i32) (local $st i64) (local $zero i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    ;;@SLOT_SET $zero
    (i32.const 0))

  ;; fd_read(fd, iovs, iovs_len, nread): from the file's offset on.
  (func $fd_read (param $fd i32) (param $iovs i32) (param $n i32) (param $nread i32) (result i32)
    (local $k i32) (local $e i32) (local $len i32) (local $c i32) (local $total i32)
    (local $size i32) (local $data i32)
    (local $st i64) (local $pos i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    (local.set $pos (i64.shr_u (local.get $st) (i64.const 17)))
    ;;@READ_IOVS
    (i32.store (local.get $nread) (local.get $total))
    (local.set $st (i64.or (i64.and (local.get $st) (i64.const 0x1ffff))
                           (i64.shl (local.get $pos) (i64.const 17))))
    ;;@SLOT_SET $st
    (i32.const 0))

  ;; fd_pread(fd, iovs, iovs_len, offset, nread): at offset; the file's
  ;; offset stays.
  (func $fd_pread (param $fd i32) (param $iovs i32) (param $n i32) (param $offset i64) (param $nread i32) (result i32)
    (local $k i32) (local $e i32) (local $len i32) (local $c i32) (local $total i32)
    (local $size i32) (local $data i32)
    (local $st i64) (local $pos i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    ;; an offset of 2^63 or more is EINVAL, as in wasmtime
    (if (i64.lt_s (local.get $offset) (i64.const 0)) (then (return (i32.const 28))))
    (local.set $pos (local.get $offset))
    ;;@READ_IOVS
    (i32.store (local.get $nread) (local.get $total))
    (i32.const 0))

  ;; fd_seek(fd, delta, whence, newoffset): SET, CUR, END; a negative
  ;; result or one past 2^47 - 1 is EINVAL.
  (func $fd_seek (param $fd i32) (param $delta i64) (param $whence i32) (param $out i32) (result i32)
    (local $k i32) (local $e i32) (local $v i32) (local $st i64) (local $pos i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    (block $set
      (block $bad
        (block $end
          (block $cur
            (block $start
              (br_if $start (i32.eqz (local.get $whence)))
              (br_if $cur (i32.eq (local.get $whence) (i32.const 1)))
              (br_if $end (i32.eq (local.get $whence) (i32.const 2)))
              (br $bad))
            (local.set $pos (local.get $delta))
            (br $set))
          (local.set $pos (i64.add (i64.shr_u (local.get $st) (i64.const 17)) (local.get $delta)))
          (br $set))
        (local.set $pos (i64.add (i64.extend_i32_u (call $rom ;;@FIELD 1
          )) (local.get $delta)))
        (br $set))
      (return (i32.const 28)))
    (if (i64.gt_u (local.get $pos) (i64.const 0x7fffffffffff)) (then (return (i32.const 28))))
    (i64.store (local.get $out) (local.get $pos))
    (local.set $st (i64.or (i64.and (local.get $st) (i64.const 0x1ffff))
                           (i64.shl (local.get $pos) (i64.const 17))))
    ;;@SLOT_SET $st
    (i32.const 0))

  ;; fd_tell(fd, offset)
  (func $fd_tell (param $fd i32) (param $out i32) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    (i64.store (local.get $out) (i64.shr_u (local.get $st) (i64.const 17)))
    (i32.const 0))

  ;; fd_advise(fd, offset, len, advice): files only; advice 0-5.
  (func $fd_advise (param $fd i32) (param $off i64) (param $len i64) (param $advice i32) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    (if (i32.gt_u (local.get $advice) (i32.const 5)) (then (return (i32.const 28))))
    ;; a negative offset or length is EINVAL, as in wasmtime
    (if (i32.or (i64.lt_s (local.get $off) (i64.const 0)) (i64.lt_s (local.get $len) (i64.const 0)))
      (then (return (i32.const 28))))
    (i32.const 0))

  ;; fd_fdstat_get(fd, stat): file type and rights (read-only).
  (func $fd_fdstat_get (param $fd i32) (param $buf i32) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    ;;@ENTRY
    (if (i32.and (call $rom ;;@FIELD 0
        ) (i32.const 1))
      (then
        (i64.store (local.get $buf) (i64.const 3))
        (i64.store offset=8 (local.get $buf) (i64.const 0x7b7fe00))
        (i64.store offset=16 (local.get $buf) (i64.const 0xff7ffff)))
      (else
        (i64.store (local.get $buf) (i64.const 4))
        (i64.store offset=8 (local.get $buf) (i64.const 0x3fffffbf))
        (i64.store offset=16 (local.get $buf) (i64.const 0x3fffffbf))))
    (i32.const 0))

  ;; fd_filestat_get(fd, buf)
  (func $fd_filestat_get (param $fd i32) (param $buf i32) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    ;;@ENTRY
    ;;@FILESTAT
    (i32.const 0))

  ;; path_filestat_get(fd, flags, path, path_len, buf)
  (func $path_filestat_get (param $fd i32) (param $flags i32) (param $path i32) (param $plen i32) (param $buf i32) (result i32)
    (local $k i32) (local $e i32) (local $err i32) (local $i i32) (local $start i32)
    (local $clen i32) (local $c i32) (local $end i32) (local $j i32) (local $w i32)
    (local $depth i32)
    (local $st i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    ;;@ENTRY
    ;; from a file: EBADF here (path_open says ENOTDIR), as wasmtime does
    (if (i32.eqz (i32.and (call $rom ;;@FIELD 0
      ) (i32.const 1))) (then (return (i32.const 8))))
    ;; a slash after a file's name is taken, as wasmtime takes it
    ;;@RESOLVE lenient
    (if (local.get $err) (then (return (local.get $err))))
    ;;@FILESTAT
    (i32.const 0))

  ;; path_open(fd, dirflags, path, path_len, oflags, rights, inheriting,
  ;; fdflags, fd_out): read access only.
  (func $path_open (param $fd i32) (param $dirflags i32) (param $path i32) (param $plen i32)
    (param $oflags i32) (param $rights i64) (param $inh i64) (param $fdflags i32) (param $out i32) (result i32)
    (local $k i32) (local $e i32) (local $err i32) (local $i i32) (local $start i32)
    (local $clen i32) (local $c i32) (local $end i32) (local $j i32) (local $w i32)
    (local $depth i32)
    (local $st i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    ;;@ENTRY
    ;; O_DIRECTORY with O_CREAT, O_EXCL or O_TRUNC: EINVAL before the path,
    ;; as in wasmtime; so are DSYNC and SYNC (ENOTSUP)
    (if (i32.and (i32.ne (i32.and (local.get $oflags) (i32.const 2)) (i32.const 0))
                 (i32.ne (i32.and (local.get $oflags) (i32.const 13)) (i32.const 0)))
      (then (return (i32.const 28))))
    (if (i32.and (local.get $fdflags) (i32.const 18)) (then (return (i32.const 58))))
    ;; from a file's descriptor: ENOTDIR whatever the path
    (if (i32.eqz (i32.and (call $rom ;;@FIELD 0
      ) (i32.const 1))) (then (return (i32.const 54))))
    ;;@RESOLVE
    ;; O_CREAT on a last name with a / after it that is missing or a file:
    ;; EISDIR, as Linux answers ($i is 0 only for the empty path, which
    ;; stays ENOENT)
    (if (i32.and (i32.and (i32.ne (i32.and (local.get $oflags) (i32.const 1)) (i32.const 0))
                          (i32.ge_u (local.get $i) (local.get $plen)))
                 (i32.and (i32.ne (local.get $i) (i32.const 0))
                          (i32.or (i32.eq (local.get $err) (i32.const 44)) (i32.eq (local.get $err) (i32.const 54)))))
      (then
        (if (i32.eq (i32.load8_u (i32.sub (i32.add (local.get $path) (local.get $plen)) (i32.const 1))) (i32.const 47))
          (then (return (i32.const 31))))))
    ;; a missing last name: creating it is refused (a missing parent stays ENOENT)
    (if (i32.and (i32.and (i32.eq (local.get $err) (i32.const 44)) (i32.ge_u (local.get $i) (local.get $plen)))
                 (i32.ne (i32.and (local.get $oflags) (i32.const 1)) (i32.const 0)))
      (then (return (i32.const 2))))
    (if (local.get $err) (then (return (local.get $err))))
    ;; O_CREAT|O_EXCL: it exists
    (if (i32.eq (i32.and (local.get $oflags) (i32.const 5)) (i32.const 5)) (then (return (i32.const 20))))
    ;; O_DIRECTORY on a file
    (if (i32.and (i32.ne (i32.and (local.get $oflags) (i32.const 2)) (i32.const 0))
                 (i32.eqz (i32.and (call $rom ;;@FIELD 0
                   ) (i32.const 1))))
      (then (return (i32.const 54))))
    ;; O_CREAT, O_TRUNC, or the right to write: read-only; a directory EISDIR
    (if (i32.and (local.get $oflags) (i32.const 9))
      (then (return (select (i32.const 31) (i32.const 2) (i32.and (call $rom ;;@FIELD 0
        ) (i32.const 1))))))
    (if (i64.ne (i64.and (local.get $rights) (i64.const 0x40)) (i64.const 0))
      (then (return (select (i32.const 31) (i32.const 2) (i32.and (call $rom ;;@FIELD 0
        ) (i32.const 1))))))
    ;; the first closed slot
    (local.set $k (i32.const 0))
    (block $found
      (loop $next
        (br_if $found (i32.ge_u (local.get $k) (i32.const 16)))
        ;;@SLOT_READ $k
        (br_if $found (i64.eqz (local.get $st)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (if (i32.ge_u (local.get $k) (i32.const 16)) (then (return (i32.const 33))))
    (local.set $st (i64.extend_i32_u (i32.add (local.get $e) (i32.const 1))))
    ;;@SLOT_SET $st
    (i32.store (local.get $out) (i32.add (local.get $k) (i32.const 3)))
    (i32.const 0))

  ;; fd_readdir(fd, buf, buf_len, cookie, bufused): ".", "..", then the
  ;; children; cookie n is the n-th entry; the last may be cut off.
  (func $fd_readdir (param $fd i32) (param $buf i32) (param $blen i32) (param $cookie i64) (param $used i32) (result i32)
    (local $k i32) (local $e i32) (local $u i32) (local $idx i32) (local $n i32)
    (local $child i32) (local $nlen i32) (local $type i32) (local $rem i32) (local $j i32)
    (local $sh i32) (local $c i32)
    (local $st i64) (local $ino i64) (local $v i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    ;;@ENTRY
    (if (i32.eqz (i32.and (call $rom ;;@FIELD 0
        ) (i32.const 1))) (then (return (i32.const 8))))
    ;; a buffer whose end passes 2^32 traps (wasmtime: "Pointer overflow"):
    ;; buf + used must never wrap to address 0
    (if (i64.gt_u (i64.add (i64.extend_i32_u (local.get $buf)) (i64.extend_i32_u (local.get $blen)))
                  (i64.const 0x100000000))
      (then (unreachable)))
    (local.set $n (i32.add (call $rom ;;@FIELD 2
      ) (i32.const 2)))
    (local.set $idx (select (i32.wrap_i64 (local.get $cookie)) (local.get $n)
                            (i64.lt_u (local.get $cookie) (i64.extend_i32_u (local.get $n)))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $idx) (local.get $n)))
        (br_if $done (i32.ge_u (local.get $u) (local.get $blen)))
        ;; the entry: . (the directory), .. (its parent, itself at a root), a child
        (local.set $child (local.get $e))
        (local.set $nlen (i32.const 1))
        (if (i32.eq (local.get $idx) (i32.const 1))
          (then (local.set $child (i32.shr_u (call $rom (i32.mul (local.get $e) (i32.const 5))) (i32.const 1)))
                (local.set $nlen (i32.const 2))))
        (if (i32.ge_u (local.get $idx) (i32.const 2))
          (then (local.set $child (i32.add (call $rom ;;@FIELD 1
                  ) (i32.sub (local.get $idx) (i32.const 2))))
                (local.set $nlen (i32.and (call $rom (i32.add (i32.mul (local.get $child) (i32.const 5)) (i32.const 3))) (i32.const 0xff)))))
        (local.set $type (select (i32.const 3) (i32.const 4)
          (i32.and (call $rom (i32.mul (local.get $child) (i32.const 5))) (i32.const 1))))
        (if (i32.lt_u (local.get $idx) (i32.const 2)) (then (local.set $type (i32.const 3))))
        (local.set $ino (i64.extend_i32_u (i32.add (local.get $child) (i32.const 1))))
        ;; the header, byte by byte when it does not fit
        (local.set $rem (i32.sub (local.get $blen) (local.get $u)))
        (if (i32.ge_u (local.get $rem) (i32.const 24))
          (then
            (i64.store (i32.add (local.get $buf) (local.get $u)) (i64.extend_i32_u (i32.add (local.get $idx) (i32.const 1))))
            (i64.store offset=8 (i32.add (local.get $buf) (local.get $u)) (local.get $ino))
            (i32.store offset=16 (i32.add (local.get $buf) (local.get $u)) (local.get $nlen))
            (i32.store offset=20 (i32.add (local.get $buf) (local.get $u)) (local.get $type)))
          (else
            (local.set $j (i32.const 0))
            (block $hdone
              (loop $hbyte
                (br_if $hdone (i32.ge_u (local.get $j) (local.get $rem)))
                (local.set $v (i64.const 0))
                (local.set $sh (local.get $j))
                (if (i32.lt_u (local.get $j) (i32.const 8))
                  (then (local.set $v (i64.extend_i32_u (i32.add (local.get $idx) (i32.const 1))))))
                (if (i32.and (i32.ge_u (local.get $j) (i32.const 8)) (i32.lt_u (local.get $j) (i32.const 16)))
                  (then (local.set $v (local.get $ino)) (local.set $sh (i32.sub (local.get $j) (i32.const 8)))))
                (if (i32.and (i32.ge_u (local.get $j) (i32.const 16)) (i32.lt_u (local.get $j) (i32.const 20)))
                  (then (local.set $v (i64.extend_i32_u (local.get $nlen))) (local.set $sh (i32.sub (local.get $j) (i32.const 16)))))
                (if (i32.ge_u (local.get $j) (i32.const 20))
                  (then (local.set $v (i64.extend_i32_u (local.get $type))) (local.set $sh (i32.sub (local.get $j) (i32.const 20)))))
                (i64.store8 (i32.add (i32.add (local.get $buf) (local.get $u)) (local.get $j))
                  (i64.shr_u (local.get $v) (i64.extend_i32_u (i32.shl (local.get $sh) (i32.const 3)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $hbyte)))))
        (local.set $u (i32.add (local.get $u) (select (i32.const 24) (local.get $rem) (i32.ge_u (local.get $rem) (i32.const 24)))))
        ;; the name, cut off at the end of the buffer
        (local.set $rem (i32.sub (local.get $blen) (local.get $u)))
        (local.set $c (select (local.get $nlen) (local.get $rem) (i32.le_u (local.get $nlen) (local.get $rem))))
        (if (i32.ge_u (local.get $idx) (i32.const 2))
          (then (memory.init 0 (i32.add (local.get $buf) (local.get $u))
                  (call $rom (i32.add (i32.mul (local.get $child) (i32.const 5)) (i32.const 4)))
                  (local.get $c)))
          (else
            (if (local.get $c) (then (i32.store8 (i32.add (local.get $buf) (local.get $u)) (i32.const 46))))
            (if (i32.ge_u (local.get $c) (i32.const 2)) (then (i32.store8 offset=1 (i32.add (local.get $buf) (local.get $u)) (i32.const 46))))))
        (local.set $u (i32.add (local.get $u) (local.get $c)))
        (local.set $idx (i32.add (local.get $idx) (i32.const 1)))
        (br $each)))
    (i32.store (local.get $used) (local.get $u))
    (i32.const 0))

  ;; fd_sync, fd_datasync(fd): a file 0 (nothing to write back); a
  ;; directory EBADF, as wasmtime answers for one.
  (func $fd_sync (param $fd i32) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    (i32.const 0))

  ;; fd_fdstat_set_flags(fd, flags): a file takes APPEND and NONBLOCK (0)
  ;; and refuses DSYNC, RSYNC and SYNC (EINVAL); a directory EBADF. The
  ;; flags are not kept: fd_fdstat_get still says 0.
  (func $fd_fdstat_set_flags (param $fd i32) (param $flags i32) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    (if (i32.and (local.get $flags) (i32.const -6)) (then (return (i32.const 28))))
    (i32.const 0))

  ;; fd_filestat_set_times(fd, atim, mtim, fst_flags): a time given both as
  ;; a value and as NOW is EINVAL before the descriptor is looked at; no
  ;; time to set is 0 on any open descriptor; a time to set is EPERM on a
  ;; file or directory (the caller does not own the tree) and EBADF on a
  ;; preopen, as in wasmtime.
  (func $fd_filestat_set_times (param $fd i32) (param $atim i64) (param $mtim i64) (param $flags i32) (result i32)
    (local $k i32) (local $st i64)
    (if (i32.or (i32.gt_u (local.get $flags) (i32.const 15))
          (i32.or (i32.eq (i32.and (local.get $flags) (i32.const 3)) (i32.const 3))
                  (i32.eq (i32.and (local.get $flags) (i32.const 12)) (i32.const 12))))
      (then (return (i32.const 28))))
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    (if (i32.eqz (local.get $flags)) (then (return (i32.const 0))))
    (if (i64.ne (i64.and (local.get $st) (i64.const 0x10000)) (i64.const 0)) (then (return (i32.const 8))))
    (i32.const 63))

  ;; fd_allocate(fd, offset, len): a file ENOTSUP; a directory EBADF.
  (func $fd_allocate (param $fd i32) (param $off i64) (param $len i64) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    (i32.const 58))

  ;; fd_filestat_set_size(fd, size): a file opened for reading EINVAL; a
  ;; directory EBADF.
  (func $fd_filestat_set_size (param $fd i32) (param $size i64) (result i32)
    (local $k i32) (local $e i32) (local $st i64)
    ;;@SLOT_GET
    ;;@FILE_OR_EBADF
    (i32.const 28))

  ;; fd_fdstat_set_rights(fd, base, inheriting): ENOTSUP on any open
  ;; descriptor, as in wasmtime.
  (func $fd_fdstat_set_rights (param $fd i32) (param $base i64) (param $inh i64) (result i32)
    (local $k i32) (local $st i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    (i32.const 58))

  ;; path_readlink(fd, path, path_len, buf, buf_len, bufused): the tree
  ;; holds no symbolic link, so a name that resolves is EINVAL and nothing
  ;; is written; otherwise path_open's errno for the path. From a file's
  ;; descriptor EBADF, whatever the path, as wasmtime answers.
  (func $path_readlink (param $fd i32) (param $path i32) (param $plen i32) (param $buf i32) (param $blen i32) (param $used i32) (result i32)
    (local $k i32) (local $e i32) (local $err i32) (local $i i32) (local $start i32)
    (local $clen i32) (local $c i32) (local $end i32) (local $j i32) (local $w i32)
    (local $depth i32)
    (local $st i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    ;;@ENTRY
    (if (i32.eqz (i32.and (call $rom ;;@FIELD 0
      ) (i32.const 1))) (then (return (i32.const 8))))
    ;;@RESOLVE
    (if (local.get $err) (then (return (local.get $err))))
    (i32.const 28))

  ;; fd_renumber(fd, to): both open: `to` takes fd's slot (a preopen stays
  ;; one, the offset moves with it) and fd is closed; the same descriptor
  ;; twice is 0 and changes nothing. Stdin, stdout and stderr are no slots:
  ;; EBADF.
  (func $fd_renumber (param $fd i32) (param $to i32) (result i32)
    (local $k i32) (local $t i32) (local $st i64) (local $from i64) (local $zero i64)
    ;;@SLOT_GET
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    (local.set $from (local.get $st))
    (local.set $t (i32.sub (local.get $to) (i32.const 3)))
    ;;@SLOT_READ $t
    (if (i64.eqz (local.get $st)) (then (return (i32.const 8))))
    (if (i32.eq (local.get $t) (local.get $k)) (then (return (i32.const 0))))
    ;;@SLOT_SET $zero
    (local.set $k (local.get $t))
    ;;@SLOT_SET $from
    (i32.const 0))

  ;; path_create_directory, path_remove_directory, path_unlink_file,
  ;; path_rename, path_link, path_filestat_set_times (the directory
  ;; descriptor first; no locals, so one body serves every signature):
  ;; the tree is read-only (EACCES), on a descriptor that is open.
  (func $readonly (param $fd i32) (result i32)
    ;;@READONLY
    (i32.const 8))

  ;; path_symlink(old_path, old_len, fd, new_path, new_len): the same, with
  ;; the directory descriptor third.
  (func $readonly3 (param i32) (param i32) (param $fd i32) (result i32)
    ;;@READONLY
    (i32.const 8))
)
