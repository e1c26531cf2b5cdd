// The V8 (Node.js) half of the runtime benchmark, run by bench.mjs:
//
//   node v8.mjs JCO_DIR WORKDIR ROUNDS TARGET_MS  A_CORE A_COMPONENT  B_CORE B_COMPONENT  C_CORE C_COMPONENT
//
// JCO_DIR is a directory whose node_modules holds jco 1.35.0. The variants
// are those of bench.mjs (a: wit-component's fixup wrappers, b: wasm-taskwrap's
// in-module wrappers, c: no hook). Three ways of calling them:
//  - core modules, as bench/micro.mjs does: a = the hooked module plus the
//    `wit-component-fixup` module taken from component a and instantiated
//    against it (imports `main`), as the component does; b and c their core
//    module alone. Called from a JS loop (a fresh loop per path, so each call
//    site stays monomorphic) and from a wasm loop (a driver module importing
//    the export); `g` is followed by its post-return, as the canonical ABI does;
//  - jco 1.35.0 `transpile` of each component: the JS bindings called from a
//    JS loop (`h` is awaited).
// Every result is checked. Prints one JSON line:
//   {"samples": {"v8js/f/core/a": [ns, ...], ...}, "calls": {...}, "jco": "1.35.0", "notes": {...}}
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [jcoDir, workArg, roundsArg, targetArg, ...files] = process.argv.slice(2);
if (files.length !== 6) {
  console.error('usage: node v8.mjs JCO_DIR WORKDIR ROUNDS TARGET_MS A_CORE A_COMPONENT B_CORE B_COMPONENT C_CORE C_COMPONENT');
  process.exit(2);
}
const work = resolve(workArg);
mkdirSync(work, { recursive: true });
const ROUNDS = Number(roundsArg);
const TARGET_NS = Number(targetArg) * 1e6;
const VARIANTS = ['a', 'b', 'c'];
const input = Object.fromEntries(VARIANTS.map((v, i) => [v, { core: files[2 * i], component: files[2 * i + 1] }]));
const log = (msg) => console.error(`runtime-bench v8: ${msg}`);

const jcoPath = createRequire(join(resolve(jcoDir), 'resolve.js')).resolve('@bytecodealliance/jco');
const jco = await import(pathToFileURL(jcoPath).href);
const jcoVersion = JSON.parse(readFileSync(join(dirname(jcoPath), '..', 'package.json'), 'utf8')).version;
if (jcoVersion !== '1.35.0') log(`warning: jco ${jcoVersion}, the benchmark was written for 1.35.0`);

// --- core modules ------------------------------------------------------------------
// the core modules of a component: its top-level core module sections (id 1)
function coreModules(bytes) {
  const mods = [];
  let p = 8;
  const uleb = () => { let r = 0, s = 0, b; do { b = bytes[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  while (p < bytes.length) {
    const id = bytes[p++];
    const len = uleb();
    if (id === 1) mods.push(bytes.subarray(p, p + len));
    p += len;
  }
  return mods;
}
const subjectImports = { '[export]bench:rt/api': { '[task-return]h': () => {} } };
const instantiate = (bytes, imports) => new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
async function corePaths(v) {
  const main = instantiate(readFileSync(input[v].core), subjectImports);
  const m = main.exports;
  if (v !== 'a') {
    m._initialize(); // the component's start function does this (b: through its wrapper)
    return { f: m['bench:rt/api#f'], g: m['bench:rt/api#g'], post: m['cabi_post_bench:rt/api#g'], memory: m.memory };
  }
  const fixup = coreModules(readFileSync(input.a.component))
    .find((b) => WebAssembly.Module.imports(new WebAssembly.Module(b)).some((i) => i.module === 'main'));
  if (!fixup) throw new Error('component a has no module importing "main" (the fixup module)');
  const text = await jco.print(fixup);
  const exportOf = (fn) => {
    const r = text.match(new RegExp(`\\(export "([^"]+)" \\(func \\$hook-${fn.replace(/[#:/]/g, (c) => `\\${c}`)}\\)\\)`));
    if (!r) throw new Error(`the fixup module exports no wrapper of ${fn}`);
    return r[1];
  };
  const fx = instantiate(fixup, { main: m }).exports; // its start function runs _initialize
  return { f: fx[exportOf('bench:rt/api#f')], g: fx[exportOf('bench:rt/api#g')], post: fx[exportOf('cabi_post_bench:rt/api#g')], memory: m.memory };
}

const jsLoop = {
  f: () => new Function('p', 'n', `
    const f = p.f; let bad = 0;
    for (let i = 0; i < n; i++) if (f(i) !== i + 1) bad++;
    return bad;`),
  g: () => new Function('p', 'n', `
    const g = p.g, post = p.post, m = new Uint32Array(p.memory.buffer); let bad = 0;
    for (let i = 0; i < n; i++) { const r = g(i); if (m[r >> 2] === 0 || m[m[r >> 2] >> 2] !== i + 1 || m[(r >> 2) + 1] !== 1) bad++; post(r); }
    return bad;`),
};
const driverWat = `(module
  (import "x" "f" (func $f (param i32) (result i32)))
  (import "x" "g" (func $g (param i32) (result i32)))
  (import "x" "post" (func $post (param i32)))
  (import "x" "memory" (memory 1))
  (func (export "f") (param $n i32) (result i32)
    (local $i i32) (local $bad i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ne (call $f (local.get $i)) (i32.add (local.get $i) (i32.const 1)))
        (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $bad))
  (func (export "g") (param $n i32) (result i32)
    (local $i i32) (local $bad i32) (local $r i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $r (call $g (local.get $i)))
      (if (i32.or (i32.ne (i32.load offset=4 (local.get $r)) (i32.const 1))
                  (i32.ne (i32.load (i32.load (local.get $r))) (i32.add (local.get $i) (i32.const 1))))
        (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
      (call $post (local.get $r))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $bad)))`;
const driverModule = new WebAssembly.Module(await jco.parse(driverWat));

// runners[key] = (n) => number of wrong results (sync) or a promise of it
const runners = {};
for (const v of VARIANTS) {
  const p = await corePaths(v);
  const drv = new WebAssembly.Instance(driverModule, { x: p }).exports;
  for (const x of ['f', 'g']) {
    const loop = jsLoop[x]();
    runners[`v8js/${x}/core/${v}`] = (n) => loop(p, n);
    runners[`v8wasm/${x}/core/${v}`] = (n) => drv[x](n);
  }
}

// --- jco transpile -----------------------------------------------------------------
// Node 20 has no JSPI, and jco wraps the entry of every async-lifted export
// in WebAssembly.promising even when nothing can suspend. `h` never
// suspends, so "call f and return a promise of its result" is faithful
// here (tests/e2e/run.mjs uses the same stand-in); its figure includes that
// promise and the await. A Node with native JSPI keeps its own.
if (typeof WebAssembly.promising !== 'function') {
  WebAssembly.promising = (f) => (...args) => new Promise((ok) => ok(f(...args)));
}
const notes = {};
for (const v of VARIANTS) {
  const dir = join(work, `jco-${v}`);
  const { files: out } = await jco.transpile(readFileSync(input[v].component), { name: 'component', noTypescript: true });
  for (const [name, bytes] of Object.entries(out)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const api = (await import(pathToFileURL(join(dir, 'component.js')).href)).api;
  const fLoop = new Function('api', 'n', 'const f = api.f; let bad = 0; for (let i = 0; i < n; i++) if (f(i) !== i + 1) bad++; return bad;');
  const gLoop = new Function('api', 'n', 'const g = api.g; let bad = 0; for (let i = 0; i < n; i++) { const r = g(i); if (r.length !== 1 || r[0] !== i + 1) bad++; } return bad;');
  runners[`jco/f/glue/${v}`] = (n) => fLoop(api, n);
  runners[`jco/g/glue/${v}`] = (n) => gLoop(api, n);
  runners[`jco/h/glue/${v}`] = async (n) => {
    let bad = 0;
    for (let i = 0; i < n; i++) if ((await api.h(i)) !== i + 1) bad++;
    return bad;
  };
}

// --- measure -------------------------------------------------------------------------
async function time(key, n) {
  const t0 = process.hrtime.bigint();
  const bad = await runners[key](n);
  const ns = Number(process.hrtime.bigint() - t0);
  if (bad) throw Object.assign(new Error(`${key}: ${bad} wrong results of ${n}`), { wrong: true });
  return ns / n;
}
const rows = [...new Set(Object.keys(runners).map((k) => k.replace(/\/[abc]$/, '')))];
const calls = {};
const failed = {};
// calls per run: variant a's run takes about TARGET_MS; this first run is
// also the warm-up (tier-up) of every path
for (const row of rows) {
  try {
    for (const v of VARIANTS) await time(`${row}/${v}`, 1000);
    const per = await time(`${row}/a`, row.startsWith('jco/') ? 20_000 : 2_000_000);
    const n = Math.max(1000, TARGET_NS / per);
    const q = 10 ** Math.floor(Math.log10(n) - 1);
    calls[row] = Math.round(n / q) * q;
  } catch (e) {
    if (e.wrong) throw e; // a wrong result fails the benchmark
    failed[row] = e.message;
    log(`${row}: ${e.message}`);
  }
}
const samples = {};
for (let r = 0; r < ROUNDS; r++) {
  for (const row of rows) {
    if (failed[row]) continue;
    for (const v of VARIANTS) (samples[`${row}/${v}`] ||= []).push(await time(`${row}/${v}`, calls[row]));
  }
  log(`round ${r + 1}/${ROUNDS}`);
}
for (const [row, msg] of Object.entries(failed)) {
  const x = row.split('/')[1];
  notes[x] = `${notes[x] ? `${notes[x]} ` : ''}Not measured: ${row}: ${msg}.`;
}
console.log(JSON.stringify({ samples, calls, jco: jcoVersion, notes }));
