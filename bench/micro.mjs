// Runtime cost of the task hooks in an engine (Node.js / V8): ns per call of
// a lifted export `work: func(x: u32) -> u32`
//   (a) through wasm-taskwrap's in-module wrapper (the rewritten module);
//   (b) through wit-component's wrapper: the `$wit-component-fixup` core
//       module that jco 1.35.0's componentNew (wit-component 0.259.0) puts
//       in the component, taken from the printed component, assembled and
//       instantiated against the original module as the component does
//       (imports "main" = the original instance's exports);
//   (c) the original export called directly, with no hooks (reference).
// The hook keeps a task stack pointer as wasi-libc's does (code 0 sets it,
// code 1 clears it); `work` adds it to its argument, so a call through a
// wrapper returns x + 65536 and a direct call x + 0: every call is checked.
// Also prints the component sizes from the original and the rewritten module.
//
// usage: node micro.mjs NPM_DIR TASKWRAP WAT2WASM WORKDIR [CALLS]
// Each path is timed from a JS loop and from a wasm loop (a driver module
// importing the export). Prints one JSON line:
//   {"js_a":ns,"js_b":ns,"js_c":ns,"wasm_a":ns,...,"calls":N,"componentOrig":B,"componentRw":B,...}
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [npmDir, taskwrap, wat2wasm, work, callsArg] = process.argv.slice(2);
if (!work) {
  console.error('usage: node micro.mjs NPM_DIR TASKWRAP WAT2WASM WORKDIR [CALLS]');
  process.exit(2);
}
const CALLS = Number(callsArg || 20_000_000);
mkdirSync(work, { recursive: true });
const jco = await import(pathToFileURL(createRequire(join(resolve(npmDir), 'x.js')).resolve('@bytecodealliance/jco')).href);

const wat = `(module
  (global $sp (mut i32) (i32.const 0))
  (func (export "__wasm_task_hook") (param $code i32)
    (if (i32.eqz (local.get $code))
      (then (global.set $sp (i32.const 65536)))
      (else (if (i32.eq (local.get $code) (i32.const 1))
        (then (global.set $sp (i32.const 0)))))))
  (func (export "work") (param $x i32) (result i32)
    (i32.add (local.get $x) (global.get $sp))))
`;
const witSource = 'package bench:micro;\n\nworld micro {\n  export work: func(x: u32) -> u32;\n}\n';
const f = (n) => join(work, n);
writeFileSync(f('micro.wat'), wat);
execFileSync(wat2wasm, [f('micro.wat'), '-o', f('original.wasm')]);
execFileSync(taskwrap, [f('original.wasm'), '-o', f('rewritten.wasm')]);

async function component(file) {
  const embedded = await jco.componentEmbed({ binary: readFileSync(file), witSource, world: 'micro' });
  return jco.componentNew(embedded);
}
const compOrig = await component(f('original.wasm'));
const compRw = await component(f('rewritten.wasm'));
const text = await jco.print(compOrig);
writeFileSync(f('original.component.wat'), text);
// the fixup module: from "  (core module $wit-component-fixup" to the next "  )"
const m = text.match(/^ {2}\(core module \$wit-component-fixup[^\n]*\n([\s\S]*?)^ {2}\)$/m);
if (!m) throw new Error('no $wit-component-fixup module in the component of the original module');
writeFileSync(f('fixup.wat'), `(module\n${m[1]})\n`);
// jco's own parser (wasm-tools) reads the (@producers) annotation wabt rejects
writeFileSync(f('fixup.wasm'), await jco.parse(readFileSync(f('fixup.wat'), 'utf8')));
// which fixup export is lifted as "work": (func $work ... (canon lift (core func $NAME)
const lift = text.match(/canon lift \(core func \$([^\s)]+)\)/);
const alias = lift && text.match(new RegExp(`alias core export \\$fixup "([^"]+)" \\(core func \\$${lift[1]} `));
if (!alias) throw new Error('cannot find the fixup export lifted as work');

const inst = (file, imports = {}) => new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), imports);
const rewritten = inst(f('rewritten.wasm'));
const main = inst(f('original.wasm'));
const fixup = inst(f('fixup.wasm'), { main: main.exports });
const paths = {
  a: [rewritten.exports.work, 65536],
  b: [fixup.exports[alias[1]], 65536],
  c: [main.exports.work, 0],
};

// JS loop: one fresh copy of the loop per path (new Function), so each call
// site stays monomorphic and V8 can use its fast JS-to-wasm call; every
// result is checked in all paths alike.
const jsLoop = () => new Function('fn', 'off', 'n', `
  let bad = 0;
  for (let i = 0; i < n; i++) if (fn(i) !== i + off) bad++;
  return bad;`);
// wasm loop: a driver module imports the export and calls it n times (no JS
// in between), the way a component's lifted call sits between wasm frames.
const driverWat = `(module
  (import "x" "work" (func $work (param i32) (result i32)))
  (func (export "run") (param $n i32) (param $off i32) (result i32)
    (local $i i32) (local $bad i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.ne (call $work (local.get $i)) (i32.add (local.get $i) (local.get $off)))
        (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
    (local.get $bad)))`;
const driverModule = new WebAssembly.Module(await jco.parse(driverWat));
const runners = {};
for (const [k, [fn, off]] of Object.entries(paths)) {
  const js = jsLoop();
  const wasmRun = new WebAssembly.Instance(driverModule, { x: { work: fn } }).exports.run;
  runners[`js_${k}`] = (n) => js(fn, off, n);
  runners[`wasm_${k}`] = (n) => wasmRun(n, off);
}
function time(run, n) {
  const t0 = process.hrtime.bigint();
  const bad = run(n);
  const ns = Number(process.hrtime.bigint() - t0);
  if (bad) throw new Error(`${bad} wrong results`);
  return ns / n;
}
for (const run of Object.values(runners)) time(run, 2_000_000); // warm up (tier-up)
// 7 rounds, all paths interleaved in each; median per path
const samples = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
for (let r = 0; r < 7; r++) for (const k of Object.keys(runners)) samples[k].push(time(runners[k], Math.round(CALLS / 7)));
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Number(median(v).toFixed(2))]));
console.log(JSON.stringify({
  ...ns, calls: CALLS,
  fixupExport: alias[1], componentOrig: compOrig.length, componentRw: compRw.length,
  coreOrig: readFileSync(f('original.wasm')).length, coreRw: readFileSync(f('rewritten.wasm')).length,
}));
