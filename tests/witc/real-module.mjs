// A real module with its WIT world: StarlingMonkey's embedding
// (starlingmonkey_embedding.wasm of npm @bytecodealliance/componentize-js
// 0.22.0, which jco 1.35.0 depends on, pinned by tests/e2e/package-lock.json)
// with one of its own [i32] -> [] functions exported as __wasm_task_hook.
// It exports 19 items, most of them helpers its world does not lift
// (coreabi_*, call, post_call, check_init, wizer entry points). wit-component
// (jco's 0.259 and wasm-tools' 0.262, with the preview1 reactor adapter jco
// ships) must wrap exactly the exports wasm-taskwrap wraps, with the same
// constant codes, and none in the rewritten module.
//   node real-module.mjs TASKWRAP WASM_TOOLS E2E_DIR WORKDIR [--sabotage]
// --sabotage adds an unlifted export to our side (what deciding by name did)
// and passes only if the comparison catches it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixupHooks } from './fixup.mjs';

const [taskwrap, wasmTools, e2eDir, workArg, flag] = process.argv.slice(2);
const work = resolve(workArg);
mkdirSync(work, { recursive: true });
const require = createRequire(pathToFileURL(join(resolve(e2eDir), 'x.js')));
const jco = await import(pathToFileURL(require.resolve('@bytecodealliance/jco')));
const modules = join(resolve(e2eDir), 'node_modules', '@bytecodealliance');
const cjsDir = join(modules, 'componentize-js');
const adapter = join(modules, 'jco', 'lib', 'wasi_snapshot_preview1.reactor.wasm');
const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });

let passed = 0, failed = 0;
const check = (cond, msg) => {
  if (cond) passed++; else failed++;
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${msg}`);
};
const version = JSON.parse(readFileSync(join(cjsDir, 'package.json'), 'utf8')).version;
check(version === '0.22.0', `componentize-js ${version} (the lock pins 0.22.0)`);

// ---- export the module's first [i32] -> [] function as the hook ----------
function withHook(d) {
  let p = 8;
  const u32 = () => { let r = 0, s = 0, b; do { b = d[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  const leb = (n) => { const o = []; do { let b = n & 0x7f; n = Math.floor(n / 128); if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const sections = [];
  while (p < d.length) { const id = d[p++]; const size = u32(); sections.push({ id, head: p, start: p, end: p + size }); p += size; }
  const sec = (id) => sections.find((s) => s.id === id);
  p = sec(1).start;
  let n = u32(), hookType = -1;
  for (let i = 0; i < n; i++) {
    if (d[p++] !== 0x60) throw new Error('a type that is not a function type');
    const np = u32(), params = d.subarray(p, p + np); p += np;
    const nr = u32(); p += nr;
    if (hookType < 0 && np === 1 && params[0] === 0x7f && nr === 0) hookType = i;
  }
  let imported = 0;
  p = sec(2).start; n = u32();
  for (let i = 0; i < n; i++) {
    let l = u32(); p += l; l = u32(); p += l;
    const kind = d[p++];
    if (kind === 0) { u32(); imported++; } else if (kind === 1) { p++; if (d[p++] & 1) u32(); u32(); }
    else if (kind === 2) { if (d[p++] & 1) u32(); u32(); } else if (kind === 3) p += 2; else { p++; u32(); }
  }
  p = sec(3).start; n = u32();
  let fn = -1;
  for (let i = 0; i < n && fn < 0; i++) if (u32() === hookType) fn = imported + i;
  const ex = sec(7); p = ex.start;
  const count = u32(), rest = d.subarray(p, ex.end), name = Buffer.from('__wasm_task_hook');
  const body = Buffer.from([...leb(count + 1), ...rest, ...leb(name.length), ...name, 0, ...leb(fn)]);
  const sizeLen = leb(ex.end - ex.start).length;
  return Buffer.concat([d.subarray(0, ex.start - sizeLen - 1), Buffer.from([7, ...leb(body.length)]), body, d.subarray(ex.end)]);
}

const orig = join(work, 'starlingmonkey-hook.wasm'), out = join(work, 'starlingmonkey-hook.out.wasm');
writeFileSync(orig, withHook(readFileSync(join(cjsDir, 'lib', 'starlingmonkey_embedding.wasm'))));
const plan = JSON.parse(run(taskwrap, [orig, '-o', out, '--json']));
check(plan.world !== null, `the plan has the module's world (${JSON.stringify(plan.world)})`);
const ours = new Map(plan.exports.filter((x) => x.hooks !== null)
  .map((x) => [x.name, x.hooks.filter((c) => typeof c === 'number')]));
if (flag === '--sabotage') {
  const extra = plan.exports.find((x) => x.role === 'unlifted');
  ours.set(extra.name, [0, 1]);
}
const unlifted = plan.exports.filter((x) => x.role === 'unlifted').length;
console.log(`wasm-taskwrap wraps ${ours.size} of ${plan.exports.length} exports; ${unlifted} unlifted`);

const componentizers = {
  '0.259': async (file) => jco.print(await jco.componentNew(readFileSync(file),
    [['wasi_snapshot_preview1', readFileSync(adapter)]])),
  '0.262': (file) => {
    run(wasmTools, ['component', 'new', file, '--adapt', `wasi_snapshot_preview1=${adapter}`, '-o', `${file}.c.wasm`]);
    run(wasmTools, ['print', `${file}.c.wasm`, '-o', `${file}.c.wat`]); // ~70 MB of text
    return readFileSync(`${file}.c.wat`, 'utf8');
  },
};
for (const [version, componentize] of Object.entries(componentizers)) {
  const before = fixupHooks(await componentize(orig));
  const same = before.wrapped.size === ours.size &&
    [...before.wrapped].every(([k, v]) => JSON.stringify(ours.get(k)) === JSON.stringify(v));
  check(same, `wit-component ${version} wraps ${JSON.stringify([...before.wrapped])}; ` +
    `wasm-taskwrap ${JSON.stringify([...ours])}`);
  const after = fixupHooks(await componentize(out));
  check(after.wrapped.size === 0 && !after.hookImported,
    `wit-component ${version} adds no hook wrappers to the rewritten module`);
}
console.log(`${passed} passed, ${failed} failed`);
if (flag === '--sabotage') {
  console.log(failed ? 'sabotage caught' : 'SABOTAGE NOT CAUGHT');
  process.exit(failed ? 0 : 1);
}
process.exit(failed ? 1 : 0);
