// Run command modules rewritten with `wasm-taskwrap --stub-wasi` in the
// wasmtime CLI with every WASI interface off, and check wasi-testsuite
// expectations (expect.mjs) as run.mjs does in Node.js.
//
//   node wasmtime-run.mjs WASMTIME HOST.wasm DRIVER.wasm WORK WASM JSON [WASM JSON ...]
//   node wasmtime-run.mjs --unlinked WASMTIME WASM   (the module must fail to link)
//
// The CLI defines no host functions and, with -S cli=n, no WASI. Each
// program is preloaded as "prog" after HOST.wasm (wasmtime/host.wat, the
// host.write trampoline) and the main module is DRIVER.wasm
// (wasmtime/driver.wat), which collects the output, calls the program's
// _start, and traps in every case. The verdict comes from wasmtime's core
// dump (-D coredump=FILE): the driver's globals and memory (returned flag,
// fd 1 and fd 2 text) and the program's taskwrap_exit_code.
//
// The CLI treats a preloaded module that exports "_start" as a command (a
// fresh instance for every call, no global exports allowed), so the copy
// that is preloaded has that export renamed "tw_run" (the same length: only
// those six bytes of the name differ; the function is the same). The copy
// is WORK/NAME.prog.wasm, the dump WORK/NAME.core.
//
// --unlinked: run WASM as the main module with the same options and require
// wasmtime to refuse it for an undefined wasi_snapshot_preview1 import, the
// proof that these options give the program no WASI (and, the control,
// require the CLI's default options to link it).
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { problems } from './expect.mjs';

// Every WASI interface this CLI can provide to a core module, off.
const NO_WASI = ['-S', 'cli=n', '-S', 'preview0=n', '-S', 'threads=n', '-S', 'nn=n',
  '-S', 'http=n', '-S', 'config=n', '-S', 'keyvalue=n', '-S', 'tls=n'];
// No compilation cache outside the build tree.
const BASE = ['run', '-C', 'cache=n', ...NO_WASI];
const DRIVER_MAGIC = 0x7477686f; // driver.wat's $magic

// --- a minimal reader of the binary format --------------------------------
class Reader {
  constructor(buf, pos = 0, end = buf.length) { this.buf = buf; this.pos = pos; this.end = end; }
  byte() {
    if (this.pos >= this.end) throw new Error('unexpected end of section');
    return this.buf[this.pos++];
  }
  u32() {
    let result = 0, shift = 0, b;
    do { b = this.byte(); result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  }
  sleb(bits) {
    let result = 0n, shift = 0n, b;
    do { b = this.byte(); result |= BigInt(b & 0x7f) << shift; shift += 7n; } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return BigInt.asIntN(bits, result);
  }
  bytes(n) {
    if (this.pos + n > this.end) throw new Error('unexpected end of section');
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  name() { return Buffer.from(this.bytes(this.u32())).toString('utf8'); }
  vec(f) { const n = this.u32(), out = []; for (let i = 0; i < n; i++) out.push(f()); return out; }
}

function sections(buf) {
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm binary');
  const r = new Reader(buf, 8), out = [];
  while (r.pos < r.end) {
    const id = r.byte(), size = r.u32(), start = r.pos;
    let name = null;
    if (id === 0) name = new Reader(buf, start, start + size).name();
    out.push({ id, name, start, end: start + size });
    r.pos = start + size;
  }
  return out;
}

// A constant expression of the core dump's global section: the value as a
// BigInt for integers, null for anything else (floats, references).
function constExpr(r) {
  let value = null;
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return value;
    if (op === 0x41) value = r.sleb(32);
    else if (op === 0x42) value = r.sleb(64);
    else if (op === 0x43) r.bytes(4);
    else if (op === 0x44) r.bytes(8);
    else if (op === 0xd0) r.sleb(33);
    else if (op === 0xfd && r.u32() === 12) r.bytes(16);
    else throw new Error(`core dump: unexpected opcode 0x${op.toString(16)} in a global`);
  }
}

function skipValType(r) {
  const t = r.byte();
  if (t === 0x63 || t === 0x64) r.sleb(33); // (ref null? ht)
}

function skipLimits(r) {
  const flags = r.byte();
  r.u32();
  if (flags & 1) r.u32();
}

// The program: how many globals it imports, which global it exports as
// taskwrap_exit_code, and where the name of its "_start" export is.
function inspectProgram(buf) {
  let importedGlobals = 0, exitGlobal = -1, startName = -1;
  for (const s of sections(buf)) {
    const r = new Reader(buf, s.start, s.end);
    if (s.id === 2) {
      r.vec(() => {
        r.name(); r.name();
        const kind = r.byte();
        if (kind === 0) r.u32();
        else if (kind === 1) { skipValType(r); skipLimits(r); }
        else if (kind === 2) skipLimits(r);
        else if (kind === 3) { skipValType(r); r.byte(); importedGlobals++; }
        else if (kind === 4) { r.byte(); r.u32(); }
        else throw new Error(`import kind ${kind}`);
      });
    } else if (s.id === 7) {
      r.vec(() => {
        const len = r.u32(), at = r.pos, name = Buffer.from(r.bytes(len)).toString('utf8');
        const kind = r.byte(), index = r.u32();
        if (name === '_start' && kind === 0) startName = at;
        if (name === 'taskwrap_exit_code' && kind === 3) exitGlobal = index;
      });
    }
  }
  if (startName < 0) throw new Error('no _start function export');
  if (exitGlobal < importedGlobals) throw new Error('no taskwrap_exit_code global defined by the module');
  return { definedExitGlobal: exitGlobal - importedGlobals, startName };
}

// The core dump (the tool-conventions Coredump.md layout that wasmtime
// writes): globals and memories of every instance, and which are whose.
function readCore(buf) {
  const globals = [], memPages = [], instances = [];
  let data = [];
  for (const s of sections(buf)) {
    const r = new Reader(buf, s.start, s.end);
    if (s.id === 5) {
      r.vec(() => { const flags = r.byte(); memPages.push(r.u32()); if (flags & 1) r.u32(); });
    } else if (s.id === 6) {
      r.vec(() => { skipValType(r); r.byte(); globals.push(constExpr(r)); });
    } else if (s.id === 11) {
      data = r.vec(() => {
        const flags = r.u32();
        if (flags === 1) throw new Error('core dump: a passive data segment');
        const mem = flags === 2 ? r.u32() : 0;
        const offset = Number(constExpr(r));
        return { mem, offset, bytes: r.bytes(r.u32()) };
      });
    } else if (s.id === 0 && s.name === 'coreinstances') {
      r.name();
      r.vec(() => {
        if (r.byte() !== 0) throw new Error('core dump: unknown instance kind');
        const module = r.u32();
        instances.push({ module, memories: r.vec(() => r.u32()), globals: r.vec(() => r.u32()) });
      });
    }
  }
  const memory = (i) => {
    const m = Buffer.alloc(memPages[i] * 65536);
    for (const d of data) if (d.mem === i) m.set(d.bytes, d.offset);
    return m;
  };
  return { globals, instances, memory };
}

function runOne(wasmtime, hostWasm, driverWasm, work, wasmPath, jsonPath) {
  const exp = jsonPath === '-' ? {} : JSON.parse(readFileSync(jsonPath, 'utf8'));
  const name = basename(wasmPath, '.wasm');
  const bin = Buffer.from(readFileSync(wasmPath));
  const prog = inspectProgram(bin);
  bin.write('tw_run', prog.startName, 'latin1');
  const progPath = join(work, `${name}.prog.wasm`), corePath = join(work, `${name}.core`);
  writeFileSync(progPath, bin);
  rmSync(corePath, { force: true });
  const res = spawnSync(wasmtime, [...BASE, '-D', `coredump=${corePath}`,
    '--preload', `host=${hostWasm}`, '--preload', `prog=${progPath}`, driverWasm],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // Nothing reaches the CLI's stdout: the program has no WASI to write with.
  if (res.stdout !== '') throw new Error(`wasmtime wrote to stdout: ${JSON.stringify(res.stdout)}`);
  let core;
  try { core = readCore(readFileSync(corePath)); } catch (e) {
    const first = (res.stderr || '').split('\n').slice(0, 3).join(' | ');
    throw new Error(`no core dump (${e.message}); wasmtime exit ${res.status}: ${first}`);
  }

  // Three instances, in order of instantiation: host, prog, driver.
  if (core.instances.length !== 3) throw new Error(`${core.instances.length} instances in the core dump, not 3`);
  const [, progInst, driverInst] = core.instances;
  const driverGlobals = driverInst.globals.map((g) => core.globals[g]);
  if (driverGlobals.length !== 4 || driverGlobals[3] !== BigInt(DRIVER_MAGIC))
    throw new Error('the third instance of the core dump is not the driver');
  const [returned, len1, len2] = driverGlobals.map(Number);
  const g = progInst.globals[prog.definedExitGlobal];
  if (g === undefined) throw new Error('taskwrap_exit_code missing from the core dump');
  const recorded = Number(BigInt.asIntN(32, core.globals[g]));
  // The driver's own memory: its last one (an imported memory, if listed, comes first).
  const out = core.memory(driverInst.memories[driverInst.memories.length - 1]);
  const stdout = out.subarray(0, len1).toString('utf8');
  const stderr = out.subarray(65536, 65536 + len2).toString('utf8');

  let code, via;
  if (returned === 1) {
    if (recorded !== 0) throw new Error(`_start returned, and taskwrap_exit_code is ${recorded}, not 0`);
    code = 0; via = 'return';
  } else {
    if (recorded === -1) throw new Error(`trap without proc_exit (stderr ${JSON.stringify(stderr)})`);
    code = recorded; via = 'proc_exit';
  }
  const found = problems(exp, { code, via, stdout, stderr });
  if (found.length) throw new Error(found.join('; '));
  const shown = exp.stdout !== undefined || exp.stderr !== undefined
    ? ` stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}` : '';
  return `exit ${code} via ${via}${shown}`;
}

const argv = process.argv.slice(2);
if (argv[0] === '--unlinked' && argv.length === 3) {
  const undefinedWasi = /unknown import: `wasi_snapshot_preview1::[^`]+` has not been defined/;
  const run = (opts) => spawnSync(argv[1], [...opts, argv[2]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const res = run(BASE);
  const m = undefinedWasi.exec(res.stderr);
  // The control: with the CLI's default WASI the same module links.
  const control = run(['run', '-C', 'cache=n']);
  if (res.status !== 0 && m && !undefinedWasi.test(control.stderr)) {
    console.log(`PASS ${basename(argv[2])}: not linked without WASI (${m[0]}), linked with it`);
    process.exit(0);
  }
  console.log(`FAIL ${basename(argv[2])}: wasmtime exit ${res.status}: ${res.stderr.split('\n')[0]}; ` +
    `with WASI, exit ${control.status}: ${control.stderr.split('\n')[0]}`);
  process.exit(1);
}
if (argv.length < 6 || argv.length % 2 !== 0) {
  console.error('usage: node wasmtime-run.mjs WASMTIME HOST.wasm DRIVER.wasm WORK WASM JSON|- [WASM JSON|- ...]\n' +
    '       node wasmtime-run.mjs --unlinked WASMTIME WASM');
  process.exit(2);
}
const [wasmtime, hostWasm, driverWasm, work] = argv;
let failed = 0;
for (let i = 4; i < argv.length; i += 2) {
  const name = basename(argv[i]);
  try {
    console.log(`PASS ${name}: ${runOne(wasmtime, hostWasm, driverWasm, work, argv[i], argv[i + 1])}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
console.log(`${(argv.length - 4) / 2 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
