// Generate a large binary core module with a task hook and a minimal world,
// written directly as bytes (fast: a 200 MB module takes about a second).
//
// usage: node gen.mjs SIZE_MB OUT.wasm [OUT.wit]
//
// Shape (about 70% code, 30% data, like a linked C/Rust program):
//   types   0: [] -> []   1: [i32] -> []   2: [i32] -> [i32]   3: [i32 i32 i32 i32] -> [i32]
//   funcs   0 __wasm_task_hook, 1 _initialize, 2 cabi_realloc,
//           3 .. 3+E-1 lifted exports f0..f{E-1} ([] -> [], each calls an internal function),
//           then internal functions [i32] -> [i32] with bodies of 200..4000 bytes
//           (arithmetic on locals and calls to earlier internal functions)
//   memory  exported, large enough for the data
//   data    active segments of 64 KiB of pseudo-random bytes
//   name    a function name for every function (so the rewrite also rebuilds
//           the name section's function-names map, as it does for debug builds)
// OUT.wit gets the world: `export fN: func();` for every lifted export, so
// wit-component's componentNew accepts the module.
import { closeSync, openSync, writeFileSync, writevSync } from 'node:fs';

const [sizeArg, outFile, witFile] = process.argv.slice(2);
if (!outFile) {
  console.error('usage: node gen.mjs SIZE_MB OUT.wasm [OUT.wit]');
  process.exit(2);
}
const target = Math.round(Number(sizeArg) * 1e6);
const E = 16; // lifted exports
const FIRST_INTERNAL = 3 + E;

function leb(v) {
  const out = [];
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
const sleb = (v) => { // signed LEB128 of a 32-bit value
  const out = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40))) { out.push(b); return out; }
    out.push(b | 0x80);
  }
};
const str = (s) => [...leb(Buffer.byteLength(s)), ...Buffer.from(s)];
const section = (id, bytes) => Buffer.from([id, ...leb(bytes.length), ...bytes]);

// deterministic PRNG (xorshift32)
let seed = 0x9e3779b9;
const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; };

// Internal function bodies: 64 templates of different sizes; template t of
// function i calls function i-1-(t%7) when that is internal, so call targets
// differ between functions (the call's LEB is patched per function).
function internalBody(size, callee) {
  const code = [1, 1, 0x7f]; // one i32 local
  while (code.length < size - 16) {
    const k = rnd() % 100000;
    // local.get 0; i32.const k; i32.add; local.set 1; local.get 1; i32.const 7; i32.mul; local.set 0
    code.push(0x20, 0, 0x41, ...sleb(k), 0x6a, 0x21, 1, 0x20, 1, 0x41, 7, 0x6c, 0x21, 0);
  }
  if (callee >= 0) code.push(0x20, 0, 0x10, ...leb(callee), 0x21, 0);
  code.push(0x20, 0, 0x0b);
  return Buffer.from([...leb(code.length), ...code]);
}
const templateSizes = Array.from({ length: 64 }, () => 200 + (rnd() % 3800));
const avgBody = templateSizes.reduce((a, b) => a + b, 0) / templateSizes.length;

const codeBytes = target * 0.7;
const N = Math.max(FIRST_INTERNAL + 1, FIRST_INTERNAL + Math.round(codeBytes / avgBody)); // all functions
const dataBytes = Math.max(65536, Math.round(target * 0.3 / 65536) * 65536);

// --- sections ------------------------------------------------------------------
const types = section(1, [4,
  0x60, 0, 0,
  0x60, 1, 0x7f, 0,
  0x60, 1, 0x7f, 1, 0x7f,
  0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f]);
const funcTypes = [1, 0, 3, ...Array(E).fill(0)];
const funcSec = Buffer.alloc(N - funcTypes.length, 2); // internal: type 2
const funcs = Buffer.concat([Buffer.from(leb(N)), Buffer.from(funcTypes), funcSec]);
const pages = Math.ceil((1024 + dataBytes) / 65536) + 16;
const memory = section(5, [1, 0, ...leb(pages)]);
// global 0: heap pointer for cabi_realloc
const globals = section(6, [1, 0x7f, 1, 0x41, ...sleb(1024), 0x0b]);
const exp = [...leb(4 + E),
  ...str('memory'), 2, 0,
  ...str('__wasm_task_hook'), 0, 0,
  ...str('_initialize'), 0, 1,
  ...str('cabi_realloc'), 0, 2];
for (let i = 0; i < E; i++) exp.push(...str(`f${i}`), 0, ...leb(3 + i));
const exports = section(7, exp);

// code: hook (stores its code in memory at 0), _initialize (nothing),
// cabi_realloc (bump allocator), lifted exports, internal functions
const small = [
  [0, 0x41, 0, 0x20, 0, 0x36, 2, 0, 0x0b],
  [0, 0x0b],
  [1, 1, 0x7f, 0x23, 0, 0x21, 4, 0x23, 0, 0x20, 3, 0x6a, 0x24, 0, 0x20, 4, 0x0b],
];
for (let i = 0; i < E; i++) {
  const callee = FIRST_INTERNAL + (i * 7919) % (N - FIRST_INTERNAL);
  small.push([0, 0x41, ...sleb(i), 0x10, ...leb(callee), 0x1a, 0x0b]);
}
const codeParts = small.map((b) => Buffer.from([...leb(b.length), ...b]));
const templates = templateSizes.map((s) => internalBody(s, -1));
const withCall = new Map(); // (template, callee) bodies are made on demand
for (let f = FIRST_INTERNAL; f < N; f++) {
  const t = (f * 2654435761 >>> 7) % 64;
  const callee = f - 1 - (t % 7);
  if (t % 4 === 0 && callee >= FIRST_INTERNAL) {
    // about a quarter of the functions call an earlier one
    const key = t * 8 + (t % 7);
    let tpl = withCall.get(key);
    if (!tpl) withCall.set(key, tpl = internalBody(templateSizes[t], 0x7fffffff));
    // patch the callee: the call's LEB is 5 bytes (0x7fffffff) at a fixed
    // place from the end (then local.set 0, local.get 0, end: 5 bytes)
    const b = Buffer.from(tpl);
    const at = b.length - 10;
    let v = callee;
    for (let k = 0; k < 5; k++) { b[at + k] = (v & 0x7f) | (k < 4 ? 0x80 : 0); v >>>= 7; }
    codeParts.push(b);
  } else {
    codeParts.push(templates[t]);
  }
}
const codeSize = codeParts.reduce((a, b) => a + b.length, 0) + leb(N).length;
const codeHead = Buffer.from([10, ...leb(codeSize), ...leb(N)]);

// data: segments of 64 KiB from a pseudo-random 1 MiB pool
const pool = Buffer.alloc(1 << 20);
for (let i = 0; i < pool.length; i += 4) pool.writeUInt32LE(rnd(), i);
const SEG = 65536, nseg = dataBytes / SEG;
const dataParts = [];
for (let s = 0; s < nseg; s++) {
  const off = 1024 + s * SEG;
  dataParts.push(Buffer.from([0, 0x41, ...sleb(off), 0x0b, ...leb(SEG)]));
  const p = (s * SEG) % pool.length;
  dataParts.push(pool.subarray(p, p + SEG));
}
const dataSize = dataParts.reduce((a, b) => a + b.length, 0) + leb(nseg).length;
const dataHead = Buffer.from([11, ...leb(dataSize), ...leb(nseg)]);
const dataCount = section(12, leb(nseg));

// name section: subsection 1 (function names)
const nameParts = [];
const fname = (i) => (i === 0 ? '__wasm_task_hook' : i === 1 ? '_initialize' : i === 2 ? 'cabi_realloc'
  : i < FIRST_INTERNAL ? `f${i - 3}` : `internal_${i}`);
for (let i = 0; i < N; i++) nameParts.push(Buffer.from([...leb(i), ...str(fname(i))]));
const mapSize = nameParts.reduce((a, b) => a + b.length, 0) + leb(N).length;
const sub = Buffer.from([1, ...leb(mapSize), ...leb(N)]);
const nameId = Buffer.from(str('name'));
const nameSize = nameId.length + 1 + leb(mapSize).length + mapSize;
const nameHead = Buffer.from([0, ...leb(nameSize), ...nameId, ...sub]);

// --- write -----------------------------------------------------------------------
const header = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
const all = [header, types, section(3, funcs), memory, globals, exports, dataCount, codeHead,
  ...codeParts, dataHead, ...dataParts, nameHead, ...nameParts];
const fd = openSync(outFile, 'w');
for (let i = 0; i < all.length; i += 1024) writevSync(fd, all.slice(i, i + 1024));
closeSync(fd);

if (witFile) {
  const lines = ['package bench:gen;', '', 'world gen {'];
  for (let i = 0; i < E; i++) lines.push(`  export f${i}: func();`);
  lines.push('}', '');
  writeFileSync(witFile, lines.join('\n'));
}
