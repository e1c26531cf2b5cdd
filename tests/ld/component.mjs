// Hook traces of the components that wasm-component-ld links from
// component.c (world component.wit), read back through get-log.
//
//   node component.mjs jco JCO_DIR WORK PLAIN.wasm WRAPPED.wasm
//     transpiles both components with jco (1.35.0, resolved from JCO_DIR),
//     runs them in Node.js, checks each trace against its expectation below
//     and the two against each other, step by step. Exit 1 on any mismatch.
//   node component.mjs wast KIND COMPONENT.wasm
//     prints a wast script for `wasmtime wast` that instantiates COMPONENT
//     and asserts, step by step, the results and traces expected of KIND
//     (wit-component | taskwrap).
//
// PLAIN is linked by wasm-component-ld with the real wasm-ld: wit-component
// (0.257.0 inside wasm-component-ld 0.5.30) adds the hook wrappers in its
// fixup module. WRAPPED is linked through wasm-taskwrap-ld: the wrappers are
// inside the core module and wit-component adds none.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Each step: name, the call (jco), the call (wast), the result, the trace
// that get-log returns after it. The trace of a step starts with get-log's
// own finish hook (1) of the step before and ends with its start hook (0).
// Codes: hooks 0..13 (docs/abi.md), bodies 100+n, post-return / callback 200+n.
const steps = [
  // instantiation: wit-component's start function runs _initialize (100)
  ['instantiate', null, null, undefined, [6, 100, 7, 0]],
  ['sync', (m) => m.sync(), '(invoke "sync")', undefined, [1, 0, 101, 1, 0]],
  ['add', (m) => m.add(2, 40), '(invoke "add" (u32.const 2) (u32.const 40))', 42, [1, 0, 102, 1, 0]],
  // realloc (12, 110, 13) lowers the string before the call
  ['count', (m) => m.count('héllo'), '(invoke "count" (str.const "héllo"))', 6, [1, 12, 110, 13, 0, 106, 1, 0]],
  // yields (4), the callback runs (3) and exits (5)
  ['acb', (m) => m.acb(), '(invoke "acb")', undefined, [1, 2, 103, 4, 3, 203, 5, 0]],
  ['aadd', (m) => m.aadd(2, 40), '(invoke "aadd" (u32.const 2) (u32.const 40))', 42, [1, 2, 104, 5, 0]],
  // The one difference. wit-component 0.257 (in wasm-component-ld 0.5.30)
  // wraps a post-return in hooks 10 and 11 and keeps 1 after the body;
  // wasm-taskwrap emits what wit-component 0.259 does: the finish hook (1)
  // moves after the post-return (docs/abi.md, "Wrapper bodies: task-hook ABI").
  ['sync-post', (m) => m.syncPost(), '(invoke "sync-post")', 7,
    { 'wit-component': [1, 0, 105, 1, 10, 205, 11, 0], taskwrap: [1, 0, 105, 205, 1, 0] }],
  ['sync again', (m) => m.sync(), '(invoke "sync")', undefined, [1, 0, 101, 1, 0]],
];
const want = (kind, t) => (Array.isArray(t) ? t : t[kind]);
const show = (a) => JSON.stringify(a);

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'wast') {
  const [kind, file] = rest;
  if (!['wit-component', 'taskwrap'].includes(kind) || !file) {
    console.error('usage: node component.mjs wast wit-component|taskwrap COMPONENT.wasm');
    process.exit(2);
  }
  const list = (a) => `(list.const${a.map((v) => ` (u32.const ${v})`).join('')})`;
  const value = (v) => (v === undefined ? '' : ` (u32.const ${v})`);
  let bytes = '';
  for (const b of readFileSync(file)) bytes += `\\${b.toString(16).padStart(2, '0')}`;
  const out = [`;; ${kind} expectations for ${file} (tests/ld/component.mjs)`,
    `(component binary "${bytes}")`];
  for (const [name, , wast, result, trace] of steps) {
    out.push(`;; ${name}`);
    if (wast) out.push(result === undefined ? wast : `(assert_return ${wast}${value(result)})`);
    out.push(`(assert_return (invoke "get-log") ${list(want(kind, trace))})`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  process.exit(0);
}
if (mode !== 'jco' || rest.length !== 4) {
  console.error('usage: node component.mjs jco JCO_DIR WORK PLAIN.wasm WRAPPED.wasm');
  process.exit(2);
}
const [jcoDir, workArg, plainFile, wrappedFile] = rest;
const work = resolve(workArg);
mkdirSync(work, { recursive: true });

// Node 20 has no JSPI; jco wraps every async-lifted export in
// WebAssembly.promising. No call here suspends, so "call f and return a
// promise of its result" is exactly what promising does for them.
if (typeof WebAssembly.promising !== 'function') {
  WebAssembly.promising = (f) => (...args) => new Promise((ok) => ok(f(...args)));
}
let jcoPath;
try {
  jcoPath = createRequire(join(resolve(jcoDir), 'resolve.js')).resolve('@bytecodealliance/jco');
} catch {
  console.error(`component.mjs: @bytecodealliance/jco not found from ${jcoDir} (test e2e-setup installs it)`);
  process.exit(1);
}
const jco = await import(pathToFileURL(jcoPath).href);
const failures = [];
const check = (cond, msg) => {
  if (!cond) {
    failures.push(msg);
    console.log(`FAIL ${msg}`);
  }
};
const version = JSON.parse(readFileSync(join(jcoPath, '../../package.json'), 'utf8')).version;
check(version === '1.35.0', `jco ${version}, expected 1.35.0`);

async function run(kind, file) {
  const { files } = await jco.transpile(readFileSync(file), { name: 'component', noTypescript: true });
  const dir = join(work, kind);
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const m = await import(pathToFileURL(join(dir, 'component.js')).href);
  const seen = [];
  for (const [name, call, , result, trace] of steps) {
    let got;
    try {
      got = call ? await call(m) : undefined;
    } catch (e) {
      got = `error: ${e.message}`;
    }
    check(got === result, `${kind} ${name}: returned ${show(got)}, expected ${show(result)}`);
    const log = Array.from(m.getLog());
    check(show(log) === show(want(kind, trace)), `${kind} ${name}: trace ${show(log)}, expected ${show(want(kind, trace))}`);
    seen.push({ name, log, got });
  }
  return seen;
}
const plain = await run('wit-component', plainFile);
const wrapped = await run('taskwrap', wrappedFile);
// The point of the wrapper: call by call, the same hooks as wit-component's
// own wrappers, but for the post-return step stated above.
plain.forEach((p, i) => {
  const w = wrapped[i];
  if (p.name !== 'sync-post') check(show(p.log) === show(w.log), `${p.name}: ${show(p.log)} without the wrapper, ${show(w.log)} with it`);
  check(show(p.got) === show(w.got), `${p.name}: returned ${show(p.got)} without the wrapper, ${show(w.got)} with it`);
});
for (let i = 0; i < plain.length; i++) {
  const p = plain[i], w = wrapped[i];
  console.log(`  ${p.name.padEnd(12)} ${show(p.log)}${show(p.log) === show(w.log) ? ' (with the wrapper: same)' : `, with the wrapper ${show(w.log)}`}`);
}
console.log(failures.length ? `${failures.length} mismatch(es)` : 'jco: all traces as expected');
process.exit(failures.length ? 1 : 0);
