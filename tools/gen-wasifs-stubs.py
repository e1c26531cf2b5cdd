#!/usr/bin/env python3
"""Write src/wasifs_stubs.inc from src/wasifs-stubs.wat.

    tools/gen-wasifs-stubs.py [--check]   (env WAT2WASM: wat2wasm, default from PATH)

The .wat file's ;;@NAME lines are macros (expanded here); the module is
assembled with wat2wasm, and each function body becomes a list of
tw_stub_insn rows (src/stubs.h). References to the module's frame become
symbolic: call 0 is the table lookup (TW_REF_ROM_FUNC), global k a
descriptor slot (TW_REF_SLOT0 + k), data segment 0 the embedded segment
(TW_REF_DATA_SEGMENT). --check compares instead of writing (exit 1 when
the file is stale).
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, 'src', 'wasifs-stubs.wat')
OUT = os.path.join(ROOT, 'src', 'wasifs_stubs.inc')
NSLOTS = 16


def field(n):
    return f'(i32.add (i32.mul (local.get $e) (i32.const 5)) (i32.const {n}))'


def slot_read(k):
    s = '(local.set $st (i64.const 0))\n'
    for i in range(NSLOTS):
        s += f'(if (i32.eq (local.get {k}) (i32.const {i})) (then (local.set $st (global.get $s{i}))))\n'
    return s


def slot_set(v):
    return ''.join(f'(if (i32.eq (local.get $k) (i32.const {i})) (then (global.set $s{i} (local.get {v}))))\n'
                   for i in range(NSLOTS))


ENTRY = '(local.set $e (i32.sub (i32.wrap_i64 (i64.and (local.get $st) (i64.const 0xffff))) (i32.const 1)))\n'
IS_DIR = f'(i32.and (call $rom {field(0)}) (i32.const 1))'
TIME = '1700000000000000000'


def macro(name, arg):
    if name == 'SLOT_GET':
        return '(local.set $k (i32.sub (local.get $fd) (i32.const 3)))\n' + slot_read('$k')
    if name == 'SLOT_READ':
        return slot_read(arg)
    if name == 'SLOT_SET':
        return slot_set(arg)
    if name == 'ENTRY':
        return ENTRY
    if name == 'FIELD':
        return field(int(arg))
    if name == 'FILE_OR_EBADF':
        return ('(if (i64.eqz (local.get $st)) (then (return (i32.const 8))))\n' + ENTRY +
                f'(if {IS_DIR} (then (return (i32.const 8))))\n')
    if name == 'READONLY':
        return ''.join(f'(if (i32.eq (local.get $fd) (i32.const {i + 3})) (then (return (select '
                       f'(i32.const 2) (i32.const 8) (i64.ne (global.get $s{i}) (i64.const 0))))))\n'
                       for i in range(NSLOTS))
    if name == 'FILESTAT':
        return f'''
(i64.store (local.get $buf) (i64.const 1))
(i64.store offset=8 (local.get $buf) (i64.extend_i32_u (i32.add (local.get $e) (i32.const 1))))
(i64.store offset=16 (local.get $buf) (select (i64.const 3) (i64.const 4) {IS_DIR}))
(i64.store offset=24 (local.get $buf) (i64.const 1))
(i64.store offset=32 (local.get $buf) (select (i64.const 0) (i64.extend_i32_u (call $rom {field(1)})) {IS_DIR}))
(i64.store offset=40 (local.get $buf) (i64.const {TIME}))
(i64.store offset=48 (local.get $buf) (i64.const {TIME}))
(i64.store offset=56 (local.get $buf) (i64.const {TIME}))
'''
    if name == 'READ_IOVS':
        # Only the first non-empty iovec is served, as wasmtime 49 does: each
        # iovec is read before anything is written, so no file byte can pick
        # the next address. An iovec past 2^32 traps (wasmtime: "Pointer
        # overflow") where the i32 step would wrap to address 0.
        return f'''
(local.set $size (call $rom {field(1)}))
(local.set $data (call $rom {field(2)}))
(block $rdone (loop $riov
  (br_if $rdone (i32.eqz (local.get $n)))
  (local.set $len (i32.load offset=4 (local.get $iovs)))
  (if (local.get $len) (then
    (local.set $c (i32.const 0))
    (if (i64.lt_u (local.get $pos) (i64.extend_i32_u (local.get $size)))
      (then (local.set $c (i32.sub (local.get $size) (i32.wrap_i64 (local.get $pos))))))
    (if (i32.lt_u (local.get $len) (local.get $c)) (then (local.set $c (local.get $len))))
    (if (local.get $c) (then
      (memory.init 0 (i32.load (local.get $iovs))
        (i32.add (local.get $data) (i32.wrap_i64 (local.get $pos))) (local.get $c))))
    (local.set $pos (i64.add (local.get $pos) (i64.extend_i32_u (local.get $c))))
    (local.set $total (local.get $c))
    (br $rdone)))
  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
  (br_if $rdone (i32.eqz (local.get $n)))
  (local.set $iovs (i32.add (local.get $iovs) (i32.const 8)))
  (if (i32.lt_u (local.get $iovs) (i32.const 8)) (then (unreachable)))
  (br $riov)))
'''
    if name == 'RESOLVE':
        # A path whose end passes 2^32 traps, as wasmtime's "Pointer
        # overflow": path + i must never wrap to address 0. Then wasmtime's
        # checks of the whole string, in its order: not UTF-8 EILSEQ (25),
        # a NUL EINVAL (28), 4096 bytes or more ENAMETOOLONG (37); and, on
        # the walk, a name longer than 255 bytes ENAMETOOLONG.
        slash_after_file = '' if arg == 'lenient' else f'''
    (if (i32.and (i32.gt_u (local.get $i) (i32.add (local.get $start) (local.get $clen)))
                 (i32.eqz {IS_DIR}))
      (then (local.set $err (i32.const 54)) (br $rdone)))'''
        return f'''
(block $rdone
  (if (i64.gt_u (i64.add (i64.extend_i32_u (local.get $path)) (i64.extend_i32_u (local.get $plen)))
                (i64.const 0x100000000))
    (then (unreachable)))
  (local.set $i (i32.const 0))
  (block $utf (loop $ubyte
    (br_if $utf (i32.ge_u (local.get $i) (local.get $plen)))
    (local.set $w (i32.load8_u (i32.add (local.get $path) (local.get $i))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (if (i32.eqz (local.get $w)) (then (local.set $err (i32.const 28))))
    (br_if $ubyte (i32.lt_u (local.get $w) (i32.const 0x80)))
    (local.set $start (i32.const 0))
    (local.set $c (i32.const 0x80))
    (local.set $end (i32.const 0xbf))
    (if (i32.and (i32.ge_u (local.get $w) (i32.const 0xc2)) (i32.le_u (local.get $w) (i32.const 0xdf)))
      (then (local.set $start (i32.const 1))))
    (if (i32.and (i32.ge_u (local.get $w) (i32.const 0xe0)) (i32.le_u (local.get $w) (i32.const 0xef)))
      (then (local.set $start (i32.const 2))))
    (if (i32.and (i32.ge_u (local.get $w) (i32.const 0xf0)) (i32.le_u (local.get $w) (i32.const 0xf4)))
      (then (local.set $start (i32.const 3))))
    (if (i32.eq (local.get $w) (i32.const 0xe0)) (then (local.set $c (i32.const 0xa0))))
    (if (i32.eq (local.get $w) (i32.const 0xed)) (then (local.set $end (i32.const 0x9f))))
    (if (i32.eq (local.get $w) (i32.const 0xf0)) (then (local.set $c (i32.const 0x90))))
    (if (i32.eq (local.get $w) (i32.const 0xf4)) (then (local.set $end (i32.const 0x8f))))
    (if (i32.eqz (local.get $start)) (then (local.set $err (i32.const 25)) (br $utf)))
    (loop $cont
      (if (i32.ge_u (local.get $i) (local.get $plen)) (then (local.set $err (i32.const 25)) (br $utf)))
      (local.set $w (i32.load8_u (i32.add (local.get $path) (local.get $i))))
      (if (i32.or (i32.lt_u (local.get $w) (local.get $c)) (i32.gt_u (local.get $w) (local.get $end)))
        (then (local.set $err (i32.const 25)) (br $utf)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $c (i32.const 0x80))
      (local.set $end (i32.const 0xbf))
      (local.set $start (i32.sub (local.get $start) (i32.const 1)))
      (br_if $cont (local.get $start)))
    (br $ubyte)))
  (br_if $rdone (local.get $err))
  (local.set $i (i32.const 0))
  (if (i32.ge_u (local.get $plen) (i32.const 4096)) (then (local.set $err (i32.const 37)) (br $rdone)))
  (if (i32.eqz (local.get $plen)) (then (local.set $err (i32.const 44)) (br $rdone)))
  (if (i32.eq (i32.load8_u (local.get $path)) (i32.const 47))
    (then (local.set $err (i32.const 63)) (br $rdone)))
  (loop $comp
    (br_if $rdone (i32.ge_u (local.get $i) (local.get $plen)))
    (if (i32.eqz {IS_DIR}) (then (local.set $err (i32.const 54)) (br $rdone)))
    (local.set $start (local.get $i))
    (block $cend (loop $cscan
      (br_if $cend (i32.ge_u (local.get $i) (local.get $plen)))
      (br_if $cend (i32.eq (i32.load8_u (i32.add (local.get $path) (local.get $i))) (i32.const 47)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $cscan)))
    (local.set $clen (i32.sub (local.get $i) (local.get $start)))
    (if (i32.gt_u (local.get $clen) (i32.const 255)) (then (local.set $err (i32.const 37)) (br $rdone)))
    (block $send (loop $sscan
      (br_if $send (i32.ge_u (local.get $i) (local.get $plen)))
      (br_if $send (i32.ne (i32.load8_u (i32.add (local.get $path) (local.get $i))) (i32.const 47)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sscan)))
    (if (i32.and (i32.eq (local.get $clen) (i32.const 1))
                 (i32.eq (i32.load8_u (i32.add (local.get $path) (local.get $start))) (i32.const 46)))
      (then (br $comp)))
    (if (i32.and (i32.eq (local.get $clen) (i32.const 2))
                 (i32.eq (i32.load16_u (i32.add (local.get $path) (local.get $start))) (i32.const 0x2e2e)))
      (then
        (if (i32.eqz (local.get $depth)) (then (local.set $err (i32.const 63)) (br $rdone)))
        (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
        (local.set $e (i32.shr_u (call $rom {field(0)}) (i32.const 1)))
        (br $comp)))
    (local.set $c (call $rom {field(1)}))
    (local.set $end (i32.add (local.get $c) (call $rom {field(2)})))
    (block $found
      (loop $child
        (if (i32.ge_u (local.get $c) (local.get $end)) (then (local.set $err (i32.const 44)) (br $rdone)))
        (local.set $w (call $rom (i32.add (i32.mul (local.get $c) (i32.const 5)) (i32.const 3))))
        (if (i32.eq (i32.and (local.get $w) (i32.const 0xff)) (local.get $clen))
          (then
            (local.set $w (i32.shr_u (local.get $w) (i32.const 8)))
            (local.set $j (i32.const 0))
            (block $differ
              (loop $byte
                (br_if $found (i32.ge_u (local.get $j) (local.get $clen)))
                (br_if $differ (i32.ne
                  (i32.load8_u (i32.add (local.get $path) (i32.add (local.get $start) (local.get $j))))
                  (i32.and (i32.shr_u (call $rom (i32.add (local.get $w) (i32.shr_u (local.get $j) (i32.const 2))))
                                      (i32.shl (i32.and (local.get $j) (i32.const 3)) (i32.const 3)))
                           (i32.const 0xff))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $byte)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $child)))
    (local.set $e (local.get $c))
    (local.set $depth (i32.add (local.get $depth) (i32.const 1))){slash_after_file}
    (br $comp)))
'''
    raise SystemExit(f'unknown macro {name}')


def expand(text):
    # A macro runs to the end of its line (a ;; comment there).
    return re.sub(r';;@(\w+)[ \t]*(\S*)[ \t]*$', lambda m: macro(m.group(1), m.group(2)), text,
                  flags=re.M)


def leb(b, i, signed=False):
    result = shift = 0
    while True:
        byte = b[i]
        i += 1
        result |= (byte & 0x7f) << shift
        shift += 7
        if not byte & 0x80:
            break
    if signed and byte & 0x40:
        result -= 1 << shift
    return result, i


def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        yield sid, b[j:j + size]
        i = j + size


MEMARG = set(range(0x28, 0x3f))
U32 = {0x0c, 0x0d, 0x10, 0x20, 0x21, 0x22, 0x23, 0x24}
BLOCK = {0x02, 0x03, 0x04}


def decode_body(body, nparams):
    i = 0
    ngroups, i = leb(body, i)
    groups = []
    for _ in range(ngroups):
        n, i = leb(body, i)
        groups.append((n, body[i]))
        i += 1
    rows = []
    while i < len(body):
        op = body[i]
        i += 1
        if op in BLOCK:
            rows.append((op, 'TW_IMM_BYTE', 'TW_REF_NONE', body[i], 0))
            i += 1
        elif op in U32:
            v, i = leb(body, i)
            ref = 'TW_REF_NONE'
            if op == 0x10:
                if v != 0:
                    raise SystemExit('a call other than the table lookup')
                ref = 'TW_REF_ROM_FUNC'
            elif op in (0x23, 0x24):
                ref, v = 'TW_REF_SLOT0', v
            rows.append((op, 'TW_IMM_U32', ref, v if ref != 'TW_REF_ROM_FUNC' else 0, 0))
        elif op in MEMARG:
            a, i = leb(body, i)
            o, i = leb(body, i)
            rows.append((op, 'TW_IMM_MEMARG', 'TW_REF_NONE', a, o))
        elif op == 0x41:
            v, i = leb(body, i, True)
            rows.append((op, 'TW_IMM_S32', 'TW_REF_NONE', v, 0))
        elif op == 0x42:
            v, i = leb(body, i, True)
            rows.append((op, 'TW_IMM_S64', 'TW_REF_NONE', v, 0))
        elif op == 0xfc:
            sub, i = leb(body, i)
            if sub != 8:
                raise SystemExit(f'prefixed opcode 0xfc {sub}')
            seg, i = leb(body, i)
            if seg != 0 or body[i] != 0:
                raise SystemExit('memory.init of another segment or memory')
            i += 1
            rows.append((op, 'TW_IMM_MEMORY_INIT', 'TW_REF_DATA_SEGMENT', 0, 0))
        elif op in (0x0e, 0x11, 0x1c) or op >= 0xc0:
            raise SystemExit(f'opcode 0x{op:02x} is not in the stub format')
        else:
            rows.append((op, 'TW_IMM_NONE', 'TW_REF_NONE', 0, 0))
    return groups, rows


def generate():
    with open(SRC) as f:
        text = expand(f.read())
    names = re.findall(r'^  \(func \$(\w+)', text, re.M)
    with tempfile.TemporaryDirectory() as d:
        wat, wasm = os.path.join(d, 's.wat'), os.path.join(d, 's.wasm')
        with open(wat, 'w') as f:
            f.write(text)
        subprocess.run([os.environ.get('WAT2WASM', 'wat2wasm'), wat, '-o', wasm], check=True)
        with open(wasm, 'rb') as f:
            b = f.read()
    bodies = []
    for sid, payload in sections(b):
        if sid == 10:
            n, i = leb(payload, 0)
            for _ in range(n):
                size, i = leb(payload, i)
                bodies.append(payload[i:i + size])
                i += size
    assert len(bodies) == len(names), (len(bodies), names)
    vt = {0x7f: 'VT_I32', 0x7e: 'VT_I64'}
    out = ['/* Generated by tools/gen-wasifs-stubs.py from src/wasifs-stubs.wat: do not',
           ' * edit. The stubs over embedded files as instruction lists (stubs.h). */', '']
    specs = []
    for name, body in zip(names, bodies):
        groups, rows = decode_body(body, 0)
        if len(groups) > 2 or (len(groups) == 2 and (groups[0][1], groups[1][1]) != (0x7f, 0x7e)):
            raise SystemExit(f'{name}: locals must be i32s, then i64s')
        out.append(f'static const tw_stub_insn fs_{name}[] = {{')
        for op, imm, ref, a, bb in rows:
            out.append(f'    ROW(0x{op:02x}, {imm}, {ref}, TW_REF_NONE, {a}, {bb}),')
        out.append('};')
        if not groups:
            specs.append((name, 0, '0', 0))
        elif len(groups) == 1:
            specs.append((name, groups[0][0], vt[groups[0][1]], 0))
        else:
            specs.append((name, groups[0][0], 'VT_I32', groups[1][0]))
    out.append('')
    out.append('#define FS_SPECS \\')
    for name, n, t, n64 in specs:
        out.append(f'    [TW_STUB_FS_{name.upper()}] = {{{n}, {t}, fs_{name}, '
                   f'sizeof fs_{name} / sizeof fs_{name}[0], {n64}}}, \\')
    out.append('    /* the end of FS_SPECS */')
    out.append('')
    return '\n'.join(out)


def main():
    text = generate()
    if '--check' in sys.argv[1:]:
        with open(OUT) as f:
            if f.read() != text:
                print(f'{OUT} is stale: run tools/gen-wasifs-stubs.py', file=sys.stderr)
                sys.exit(1)
        return
    with open(OUT, 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()
