// node stub-wasi-guest.mjs SMALL BIG: run each case below on a fresh
// instance of stub-wasi-guest.wat rewritten with --stub-wasi-dir /d=tree
// (SMALL: one page of memory, BIG: 4 GiB), compare the errno (or the trap)
// and require that no byte outside the case's own buffers changed. The
// preopen is fd 3; tree/bin holds "AAAA", 0x400 (le32), "PWNED!!!".
import { readFileSync } from 'node:fs';

const mods = { small: new WebAssembly.Module(readFileSync(process.argv[2])),
               big: new WebAssembly.Module(readFileSync(process.argv[3])) };
const G = 2 ** 32;
const NREAD = [0x90, 0x94];

function put(x, addr, s) {
  new Uint8Array(x.memory.buffer).set(Buffer.from(s, 'latin1'), addr);
  return [addr, s.length];
}
function openFile(x, name) {
  const e = x.open(3, ...put(x, 0x20, name), 0, 0);
  if (e !== 0) throw new Error(`open ${name}: errno ${e}`);
  return new DataView(x.memory.buffer).getUint32(0x80, true);
}
const u32 = (x, a) => new DataView(x.memory.buffer).getUint32(a, true);
const iovecs = (x, at, list) => list.forEach(([b, n], k) => { x.poke(at + 8 * k, b); x.poke(at + 8 * k + 4, n); });

// Each case: memory, setup (before the snapshot), the call, the errno or
// 'trap', the byte ranges it may write, and an extra check on the result.
const cases = [
  { name: 'fd_read: buffer 0 over iovec 1 (file bytes must not pick an address)', mem: 'small',
    setup: x => { x.fd = openFile(x, 'bin'); iovecs(x, 0x100, [[0x104, 8], [0x200, 8]]); },
    call: x => x.read(x.fd, 0x100, 2), want: 0, allow: [[0x104, 0x10c], NREAD],
    after: x => u32(x, 0x90) === 8 || 'nread ' + u32(x, 0x90) },
  { name: 'fd_read: only the first non-empty iovec is served', mem: 'small',
    setup: x => { x.fd = openFile(x, 'a.txt'); iovecs(x, 0x100, [[0x200, 0], [0x300, 4], [0x400, 4]]); },
    call: x => x.read(x.fd, 0x100, 3), want: 0, allow: [[0x300, 0x304], NREAD],
    after: x => u32(x, 0x90) === 4 || 'nread ' + u32(x, 0x90) },
  { name: 'fd_read: iovecs at 2^32 - 8, the first served', mem: 'big',
    setup: x => { x.fd = openFile(x, 'a.txt'); iovecs(x, G - 8, [[0x1000, 4]]); iovecs(x, 0, [[0x2000, 8]]); },
    call: x => x.read(x.fd, G - 8, 2), want: 0, allow: [[0x1000, 0x1004], NREAD] },
  { name: 'fd_read: an empty iovec at 2^32 - 8, the next past 2^32', mem: 'big',
    setup: x => { x.fd = openFile(x, 'a.txt'); iovecs(x, G - 8, [[0x1000, 0]]); iovecs(x, 0, [[0x2000, 8]]); },
    call: x => x.read(x.fd, G - 8, 2), want: 'trap', allow: [] },
  { name: 'fd_pread: an empty iovec at 2^32 - 8, the next past 2^32', mem: 'big',
    setup: x => { x.fd = openFile(x, 'a.txt'); iovecs(x, G - 8, [[0x1000, 0]]); iovecs(x, 0, [[0x2000, 8]]); },
    call: x => x.pread(x.fd, G - 8, 2, 0n), want: 'trap', allow: [] },
  { name: 'fd_readdir: a buffer past 2^32', mem: 'big',
    call: x => x.readdir(3, G - 24, 200), want: 'trap', allow: [] },
  { name: 'fd_readdir: a buffer ending at 2^32', mem: 'big',
    call: x => x.readdir(3, G - 256, 256), want: 0, allow: [[G - 256, G], NREAD] },
  { name: 'path_filestat_get: a path past 2^32', mem: 'big',
    setup: x => x.poke(G - 4, 0x2e2e2e2e),
    call: x => x.stat(3, G - 4, 8), want: 'trap', allow: [] },
  // The stubs without files step pointers too.
  { name: 'fd_write: an empty iovec at 2^32 - 8, the next past 2^32', mem: 'big',
    setup: x => { iovecs(x, G - 8, [[0x1000, 0]]); iovecs(x, 0, [[0x2000, 8]]); },
    call: x => x.write(1, G - 8, 2), want: 'trap', allow: [] },
  { name: 'random_get: 2 bytes at 2^32 - 1', mem: 'big',
    call: x => x.random(G - 1, 2), want: 'trap', allow: [[G - 1, G]] },
  { name: 'random_get: 4 bytes ending at 2^32', mem: 'big',
    call: x => x.random(G - 4, 4), want: 0, allow: [[G - 4, G]] },
  { name: 'poll_oneoff: the second event past 2^32', mem: 'big',
    call: x => x.poll(0x100, G - 32, 2), want: 'trap', allow: [[G - 32, G], NREAD] },
  { name: 'poll_oneoff: the second subscription past 2^32', mem: 'big',
    call: x => x.poll(G - 48, 0x1000, 2), want: 'trap', allow: [[0x1000, 0x1020], NREAD] },
  { name: 'fd_pread: offset 2^63 EINVAL', mem: 'small',
    setup: x => { x.fd = openFile(x, 'a.txt'); iovecs(x, 0x100, [[0x200, 4]]); },
    call: x => x.pread(x.fd, 0x100, 1, -(2n ** 63n)), want: 28, allow: [] },
  { name: 'fd_advise: offset -1 EINVAL', mem: 'small', setup: x => { x.fd = openFile(x, 'a.txt'); },
    call: x => x.advise(x.fd, -1n, 0n), want: 28, allow: [] },
  { name: 'fd_advise: length -1 EINVAL', mem: 'small', setup: x => { x.fd = openFile(x, 'a.txt'); },
    call: x => x.advise(x.fd, 0n, -1n), want: 28, allow: [] },
];
// path_open's errnos (oflags: CREAT 1, DIRECTORY 2, EXCL 4, TRUNC 8;
// fdflags: DSYNC 2, SYNC 16), as wasmtime 49 answers on a read-only tree.
for (const [path, oflags, fdflags, want, from] of [
  ['nodir/x', 1, 0, 44], ['nodir/x', 5, 0, 44], ['x', 1, 0, 2],
  ['sub', 1, 0, 31], ['sub', 8, 0, 31], ['.', 8, 0, 31],
  ['sub', 10, 0, 28], ['sub', 3, 0, 28],
  ['a.txt', 0, 2, 58], ['a.txt', 0, 16, 58],
  ['', 0, 0, 54, 'a.txt'], ['/x', 0, 0, 54, 'a.txt'], ['x', 0, 0, 54, 'a.txt'],
  ['a.txt/', 1, 0, 31], ['x/', 1, 0, 31], ['nodir/x/', 1, 0, 44], ['a.txt/x', 1, 0, 54],
  ['a.txt\0', 0, 0, 28], ['\0', 0, 0, 28], ['\xff', 0, 0, 25], ['\xff\0', 0, 0, 25],
  ['\xc3', 0, 0, 25], ['\xe0\x80\x80', 0, 0, 25], ['\xed\xa0\x80', 0, 0, 25], ['\xf4\x90\x80\x80', 0, 0, 25],
  ['\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80', 0, 0, 0],
  ['x'.repeat(256), 0, 0, 37], ['x'.repeat(255), 0, 0, 44], ['nodir/' + 'x'.repeat(256), 0, 0, 44],
  ['./'.repeat(2045) + 'a.txt', 0, 0, 0], ['./'.repeat(2045) + 'a.txt/', 0, 0, 37],
]) {
  const shown = path.length > 40 ? `${JSON.stringify(path.slice(0, 12))}... (${path.length} bytes)` : JSON.stringify(path);
  cases.push({ name: `path_open ${shown} oflags ${oflags} fdflags ${fdflags}` +
                     (from ? ` from ${from}` : '') + ` errno ${want}`, mem: 'small',
    setup: x => { x.dir = from ? openFile(x, from) : 3; x.path = put(x, 0x1000, path); },
    call: x => x.open(x.dir, ...x.path, oflags, fdflags), want, allow: want ? [] : [[0x80, 0x84]] });
}
cases.push({ name: 'path_filestat_get "\\xff" errno 25', mem: 'small', setup: x => { x.path = put(x, 0x40, '\xff'); },
             call: x => x.stat(3, ...x.path), want: 25, allow: [] });

// The calls a read-only tree answers without touching memory, on each kind
// of descriptor: the preopen (3), a file and a directory opened from it, a
// closed slot (9) and stdout. Each errno is what wasmtime 49 answers on a
// read-only preopen run by a user that owns nothing in it; the three rows
// marked "differs" are the differences docs/usage.md lists.
function openDir(x, name) {
  const e = x.open(3, ...put(x, 0x20, name), 2, 0);
  if (e !== 0) throw new Error(`open ${name}: errno ${e}`);
  return u32(x, 0x80);
}
const fdOf = { pre: () => 3, file: x => openFile(x, 'a.txt'), dir: x => openDir(x, 'sub'),
               closed: () => 9, stdout: () => 1 };
const kinds = Object.keys(fdOf);
// [what, call, errno per kind in the order of kinds, the kind of fd_renumber's target]
for (const [what, call, wants, to] of [
  ['fd_sync', (x, fd) => x.sync(fd), [8, 0, 8, 8, 8]],
  ['fd_datasync', (x, fd) => x.datasync(fd), [8, 0, 8, 8, 8]],
  ...[0, 1, 4, 5].map(f => [`fd_fdstat_set_flags ${f}`, (x, fd) => x.setflags(fd, f), [8, 0, 8, 8, 8]]),
  ...[2, 3, 8, 16].map(f => [`fd_fdstat_set_flags ${f}`, (x, fd) => x.setflags(fd, f), [8, 28, 8, 8, 8]]),
  // differs: an unknown flag traps in wasmtime
  ['fd_fdstat_set_flags 32 (differs)', (x, fd) => x.setflags(fd, 32), [8, 28, 8, 8, 8]],
  ['fd_filestat_set_times 0', (x, fd) => x.settimes(fd, 0), [0, 0, 0, 8, 8]],
  ...[1, 2, 4, 8, 5, 10].map(f => [`fd_filestat_set_times ${f}`, (x, fd) => x.settimes(fd, f), [8, 63, 63, 8, 8]]),
  ...[3, 12, 15].map(f => [`fd_filestat_set_times ${f}`, (x, fd) => x.settimes(fd, f), [28, 28, 28, 28, 28]]),
  // differs: an unknown flag traps in wasmtime
  ['fd_filestat_set_times 16 (differs)', (x, fd) => x.settimes(fd, 16), [28, 28, 28, 28, 28]],
  ['fd_allocate', (x, fd) => x.allocate(fd), [8, 58, 8, 8, 8]],
  ...[0n, 100n, -1n].map(n => [`fd_filestat_set_size ${n}`, (x, fd) => x.setsize(fd, n), [8, 28, 8, 8, 8]]),
  ['fd_fdstat_set_rights', (x, fd) => x.setrights(fd), [58, 58, 58, 8, 8]],
  // differs: wasmtime renumbers from and to stdin, stdout and stderr (0)
  ...kinds.map(k => [`fd_renumber to ${k}`, (x, fd) => x.renumber(fd, x.to),
                     k === 'closed' || k === 'stdout' ? [8, 8, 8, 8, 8] : [0, 0, 0, 8, 8], k]),
  ['fd_renumber to itself', (x, fd) => x.renumber(fd, fd), [0, 0, 0, 8, 8]],
]) {
  kinds.forEach((k, i) => cases.push({ name: `${what} on ${k} errno ${wants[i]}`, mem: 'small',
    setup: x => { x.fd = fdOf[k](x); if (to) x.to = fdOf[to](x); }, call: x => call(x, x.fd),
    want: wants[i], allow: [] }));
}
// path_readlink: no name in the tree is a link. From the preopen and from
// sub (where a.txt is missing); from a file, a closed slot or stdout EBADF.
for (const [path, fromPre, fromSub] of [
  ['a.txt', 28, 44], ['sub', 28, 44], ['x', 44, 44], ['.', 28, 28], ['', 44, 44],
  ['a.txt/', 54, 44], ['sub/', 28, 44], ['nodir/x', 44, 44], ['/x', 63, 63], ['..', 63, 63],
  ['sub/..', 28, 44], ['sub/../..', 63, 44], ['\xff', 25, 25], ['a\0', 28, 28],
  ['x'.repeat(256), 37, 37], ['sub/z.txt', 28, 44], ['sub/z.txt/', 54, 44], ['a.txt/.', 54, 44],
  ['a.txt/x', 54, 44], ['z.txt', 44, 28], ['./'.repeat(2048), 37, 37],
]) {
  const shown = path.length > 40 ? `${JSON.stringify(path.slice(0, 12))}... (${path.length} bytes)` : JSON.stringify(path);
  for (const [k, want] of [['pre', fromPre], ['dir', fromSub], ['file', 8], ['closed', 8], ['stdout', 8]])
    cases.push({ name: `path_readlink ${shown} from ${k} errno ${want}`, mem: 'small',
      setup: x => { x.fd = fdOf[k](x); x.path = put(x, 0x1000, path); },
      call: x => x.readlink(x.fd, ...x.path), want, allow: [] });
}
// What fd_renumber moves: the slot, with its offset and whether it is a preopen.
const iov4 = x => iovecs(x, 0x100, [[0x200, 4]]);
cases.push(
  { name: 'fd_renumber a file onto the preopen: 3 is no preopen', mem: 'small',
    setup: x => { x.renumber(openFile(x, 'a.txt'), 3); }, call: x => x.prestat(3), want: 8, allow: [] },
  { name: 'fd_renumber a file onto the preopen: 3 reads the file', mem: 'small',
    setup: x => { x.renumber(openFile(x, 'a.txt'), 3); iov4(x); }, call: x => x.read(3, 0x100, 1), want: 0,
    allow: [[0x200, 0x204], NREAD], after: x => u32(x, 0x200) === 0x6c6c6568 || 'read ' + u32(x, 0x200).toString(16) },
  { name: 'fd_renumber a file onto the preopen: the file\'s descriptor is closed', mem: 'small',
    setup: x => { x.fd = openFile(x, 'a.txt'); x.renumber(x.fd, 3); }, call: x => x.close(x.fd), want: 8, allow: [] },
  { name: 'fd_renumber the preopen onto a file: that descriptor is the preopen', mem: 'small',
    setup: x => { x.fd = openFile(x, 'a.txt'); x.renumber(3, x.fd); }, call: x => x.prestat(x.fd), want: 0,
    allow: [[0xa0, 0xa8]], after: x => u32(x, 0xa4) === 2 || 'name length ' + u32(x, 0xa4) },
  { name: 'fd_renumber keeps the offset', mem: 'small',
    setup: x => { x.fd = openFile(x, 'a.txt'); x.to = openFile(x, 'sub/z.txt'); iovecs(x, 0x100, [[0x200, 2]]);
                  x.read(x.fd, 0x100, 1); x.renumber(x.fd, x.to); iovecs(x, 0x100, [[0x300, 1]]); },
    call: x => x.read(x.to, 0x100, 1), want: 0, allow: [[0x300, 0x301], NREAD],
    after: x => new Uint8Array(x.memory.buffer)[0x300] === 0x6c || 'read ' + new Uint8Array(x.memory.buffer)[0x300] },
  { name: 'fd_renumber onto a closed slot: nothing moves', mem: 'small',
    setup: x => { x.fd = openFile(x, 'a.txt'); x.renumber(x.fd, 9); }, call: x => x.close(x.fd), want: 0, allow: [] });

// The watched ranges: all of a small memory; both ends of a big one.
const watched = mem => mem === 'small' ? [[0, 65536]] : [[0, 0x10000], [G - 0x10000, G]];

function run(c, allow) {
  const x = { ...new WebAssembly.Instance(mods[c.mem], {}).exports };
  if (c.setup) c.setup(x);
  const before = watched(c.mem).map(([lo, hi]) => new Uint8Array(x.memory.buffer, lo, hi - lo).slice());
  let got;
  try { got = c.call(x); } catch (e) { got = e instanceof WebAssembly.RuntimeError ? 'trap' : 'error ' + e; }
  const problems = [];
  if (got !== c.want) problems.push(`got ${got}, want ${c.want}`);
  watched(c.mem).forEach(([lo, hi], r) => {
    const now = new Uint8Array(x.memory.buffer, lo, hi - lo);
    for (let i = 0; i < now.length; i++) {
      const a = lo + i;
      if (now[i] !== before[r][i] && !allow.some(([s, e]) => a >= s && a < e)) {
        problems.push(`wrote 0x${a.toString(16)} outside the buffers`);
        break;
      }
    }
  });
  if (!problems.length && c.after) { const r = c.after(x); if (r !== true) problems.push(r); }
  return problems;
}

let failed = 0;
for (const c of cases) {
  const p = run(c, c.allow);
  console.log(p.length ? `FAIL ${c.name}: ${p.join('; ')}` : `ok   ${c.name}`);
  failed += p.length ? 1 : 0;
}
// Sabotage: the first case with none of its buffers allowed must be caught.
if (run(cases[0], []).some(p => p.startsWith('wrote'))) console.log('ok   sabotage: a write into an unlisted buffer is caught');
else { console.log('FAIL sabotage: a write into an unlisted buffer went unnoticed'); failed++; }
process.exit(failed ? 1 : 0);
