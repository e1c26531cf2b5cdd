// End-to-end test through the real consumer: npm @bytecodealliance/jco 1.35.0
// (wit-component 0.259.0). For one scenario it componentizes the original
// core module and the one rewritten by wasm-taskwrap, inspects both
// components, transpiles both, runs them in Node.js and compares the hook
// sequences each call leaves in the module's in-memory log.
//
// usage: node run.mjs SCENARIO TASKWRAP WAT2WASM|MODULE.wasm WORKDIR
//   SCENARIO  task-hook | init-task (uses <SCENARIO>.wat/.wit next to this file)
//   WORKDIR   scratch dir; jco is resolved from here upwards (node_modules
//             installed by `npm ci` in a parent directory)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const t0 = Date.now();
const [scenario, taskwrap, wat2wasm, workArg] = process.argv.slice(2);
if (!workArg || !['task-hook', 'init-task'].includes(scenario)) {
  console.error('usage: node run.mjs task-hook|init-task TASKWRAP WAT2WASM|MODULE.wasm WORKDIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const work = resolve(workArg);
mkdirSync(work, { recursive: true });

const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL: ${msg}`); };
const check = (cond, msg) => { if (!cond) fail(msg); };
const show = (a) => JSON.stringify(a);

// Node 20 has no JSPI. jco wraps the entry of every async-lifted export in
// WebAssembly.promising, even when nothing can suspend. For calls that never
// suspend (no export here waits on anything) promising(f) is exactly "call f
// and return a promise of its result", so this stand-in is faithful here.
// A Node with native JSPI keeps its own.
if (typeof WebAssembly.promising !== 'function') {
  WebAssembly.promising = (f) => (...args) => new Promise((ok) => ok(f(...args)));
}

let jcoPath;
try {
  jcoPath = createRequire(join(work, 'resolve.js')).resolve('@bytecodealliance/jco');
} catch {
  console.error(`run.mjs: @bytecodealliance/jco not found from ${work}: run \`npm ci\` (package.json and package-lock.json of tests/e2e) in a parent directory`);
  process.exit(1);
}
const jco = await import(pathToFileURL(jcoPath).href);
const jcoVersion = JSON.parse(readFileSync(join(jcoPath, '../../package.json'), 'utf8')).version;
check(jcoVersion === '1.35.0', `jco version is ${jcoVersion}, expected 1.35.0`);

// --- 1. core modules ------------------------------------------------------
const origWasm = join(work, 'original.wasm');
const rwWasm = join(work, 'rewritten.wasm');
if (wat2wasm.endsWith('.wasm')) writeFileSync(origWasm, readFileSync(wat2wasm));
else execFileSync(wat2wasm, [join(here, `${scenario}.wat`), '-o', origWasm]);

const abiArgs = scenario === 'init-task' ? ['--abi', 'init-task'] : [];
const plan = JSON.parse(execFileSync(taskwrap, [origWasm, '-o', rwWasm, '--json', ...abiArgs], { encoding: 'utf8' }));
check(plan.abi === scenario, `plan abi ${plan.abi}, expected ${scenario}`);
if (scenario === 'init-task') {
  // auto-detection must pick the same ABI and produce the same bytes
  const autoWasm = join(work, 'rewritten-auto.wasm');
  execFileSync(taskwrap, [origWasm, '-o', autoWasm, '--abi', 'auto']);
  check(Buffer.compare(readFileSync(autoWasm), readFileSync(rwWasm)) === 0, '--abi auto output differs from --abi init-task');
}

// --- 2. componentize and inspect ------------------------------------------
const witSource = readFileSync(join(here, `${scenario}.wit`), 'utf8');
async function componentize(file) {
  const embedded = await jco.componentEmbed({ binary: readFileSync(file), witSource, world: scenario });
  const component = await jco.componentNew(embedded);
  return { component, wat: await jco.print(component) };
}
const orig = await componentize(origWasm);
const rw = await componentize(rwWasm);
writeFileSync(join(work, 'original.component.wat'), orig.wat);
writeFileSync(join(work, 'rewritten.component.wat'), rw.wat);
check(orig.wat.includes('(processed-by "wit-component" "0.259.0")'), 'component not made by wit-component 0.259.0');

// Core modules of a printed component, by name: the text between
// "  (core module $NAME" and the next line "  )".
function coreModules(wat) {
  const mods = {};
  for (const m of wat.matchAll(/^ {2}\(core module \$(\S+)[^\n]*\n([\s\S]*?)^ {2}\)$/gm)) mods[m[1]] = m[2];
  return mods;
}
// The fixup module: its defined functions, imports and start function.
function fixupOf(wat) {
  const text = coreModules(wat)['wit-component-fixup'];
  if (text === undefined) return null;
  const imports = [...text.matchAll(/^ {4}\(import "([^"]*)" "([^"]*)" \(func \(;(\d+);\)/gm)]
    .map((m) => ({ module: m[1], name: m[2], index: Number(m[3]) }));
  const defined = [...text.matchAll(/^ {4}\(func \(;(\d+);\)/gm)].length;
  const start = text.match(/^ {4}\(start (\d+)\)/m);
  return { imports, defined, start: start ? Number(start[1]) : null };
}
const fo = fixupOf(orig.wat);
const fr = fixupOf(rw.wat);
const hookNames = scenario === 'task-hook' ? ['__wasm_task_hook'] : ['__wasm_init_task', '__wasm_init_async_task'];
// Rewritten: no hook wrapper anywhere outside $main, at most a start
// function that is the imported _initialize, and no hook name at all (the
// hook exports were removed).
if (fr) {
  check(fr.defined === 0, `rewritten fixup module defines ${fr.defined} functions, expected 0`);
  const startImport = fr.imports.find((i) => i.index === fr.start);
  check(fr.start === null || (startImport && startImport.module === 'main' && startImport.name === '_initialize'),
    `rewritten fixup start function ${fr.start} is not the imported _initialize`);
}
for (const h of hookNames) check(!rw.wat.includes(`"${h}"`), `rewritten component still mentions ${h}`);
if (scenario === 'task-hook') {
  // Original: wit-component put one wrapper per hooked export in the fixup
  // module, the same count as wasm-taskwrap's plan.
  check(fo && fo.imports.some((i) => i.module === 'main' && i.name === '__wasm_task_hook'),
    'original fixup module does not import __wasm_task_hook');
  check(fo && fo.defined === plan.wrappers,
    `original fixup module defines ${fo && fo.defined} functions, plan has ${plan.wrappers} wrappers`);
} else {
  // wit-component 0.259.0 ignores the init-task names: no wrapper module,
  // no wrapper in the fixup module, the names only in $main's exports.
  const mods = coreModules(orig.wat);
  check(!('init-task-wrappers' in mods), 'original component has an init-task-wrappers module');
  check(!fo || fo.defined === 0, `original fixup module defines ${fo && fo.defined} functions, expected 0`);
  for (const [name, text] of Object.entries(mods)) {
    if (name !== 'main') for (const h of hookNames) check(!text.includes(h), `core module ${name} mentions ${h}`);
  }
  check(mods.main && hookNames.every((h) => mods.main.includes(`(export "${h}"`)), 'original $main does not export the init pair');
}

// --- 3. transpile, import and run -------------------------------------------
async function load(kind, component) {
  const { files } = await jco.transpile(component, { name: 'component', noTypescript: true });
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(work, kind, name)), { recursive: true });
    writeFileSync(join(work, kind, name), bytes);
  }
  return import(pathToFileURL(join(work, kind, 'component.js')).href);
}

// Each step calls exports, then reads the log; `want` is the exact log.
// Codes: hooks 0..13 (docs/abi.md, "Hook codes"), bodies 100+id, post-return/callback 200+id,
// init-task 1000 / init-async-task 1001. get-log itself shows up as
// "0, 111" at the end of a log and "1" at the start of the next (task-hook).
// jco 1.35.0 bug: an async stackful export that calls task.return (as it
// must) makes jco resolve the task twice and reject with "is already
// resolved" after the core function has returned; tolerated, and the
// outcome must still be the same for both components.
// jco's key for the resource destructor call
const dispose = Symbol.dispose ?? Symbol.for('dispose');
const JCO_STACKFUL_BUG = /task \[\d+\] +is already resolved/;
const steps = {
  'task-hook': [
    // instantiation runs _initialize from wit-component's start function
    ['instantiate', () => {}, [6, 106, 7, 0, 111]],
    ['sync', (m) => m.sync(), [1, 0, 101, 1, 0, 111]],
    // the finish hook moves after cabi_post_sync-post
    ['sync-post', (m) => m.syncPost(), [1, 0, 102, 202, 1, 0, 111]],
    // realloc for the argument (12, 110, 13) before the call
    ['echo', (m) => m.echo('héllo'), [1, 12, 110, 13, 0, 103, 203, 1, 0, 111], 'héllo'],
    ['add', (m) => m.add(2, 40), [1, 0, 104, 1, 0, 111], 42],
    ['x.sync', (m) => m.x.sync(), [1, 0, 105, 1, 0, 111]],
    ['x.r constructor', (m, s) => { s.r = new m.x.R(7); }, [1, 0, 107, 1, 0, 111]],
    ['x.r.get', (m, s) => s.r.get(), [1, 0, 108, 1, 0, 111], 7],
    ['x.r dispose', (m, s) => s.r[dispose](), [1, 8, 109, 9, 0, 111]],
    // yields (4), the callback runs (3) and exits (5)
    ['acb', (m) => m.acb(), [1, 2, 112, 4, 3, 212, 5, 0, 111]],
    ['aecho', (m) => m.aecho('abc'), [1, 12, 110, 13, 2, 113, 5, 0, 111], 'abc'],
    ['ast', (m) => m.ast(), [1, 2, 114, 5, 0, 111], undefined, JCO_STACKFUL_BUG],
    ['sync again', (m) => m.sync(), [1, 0, 101, 1, 0, 111]],
  ],
  'init-task': {
    // wit-component 0.259.0 ignores the init pair: no init marker anywhere
    original: [
      ['instantiate', () => {}, [106, 111]],
      ['sync', (m) => m.sync(), [101, 111]],
      ['echo', (m) => m.echo('héllo'), [110, 103, 203, 111], 'héllo'],
      ['x.r constructor', (m, s) => { s.r = new m.x.R(7); }, [107, 111]],
      ['x.r dispose', (m, s) => s.r[dispose](), [109, 111]],
      ['acb', (m) => m.acb(), [112, 212, 111]],
      ['ast', (m) => m.ast(), [114, 111], undefined, JCO_STACKFUL_BUG],
    ],
    // rewritten: 1000 before every sync export body and _initialize, 1001
    // before async ones; realloc, post-return, callback, dtor unwrapped
    rewritten: [
      ['instantiate', () => {}, [1000, 106, 1000, 111]],
      ['sync', (m) => m.sync(), [1000, 101, 1000, 111]],
      ['echo', (m) => m.echo('héllo'), [110, 1000, 103, 203, 1000, 111], 'héllo'],
      ['x.r constructor', (m, s) => { s.r = new m.x.R(7); }, [1000, 107, 1000, 111]],
      ['x.r dispose', (m, s) => s.r[dispose](), [109, 1000, 111]],
      ['acb', (m) => m.acb(), [1001, 112, 212, 1000, 111]],
      ['ast', (m) => m.ast(), [1001, 114, 1000, 111], undefined, JCO_STACKFUL_BUG],
    ],
  },
}[scenario];

async function run(kind, component, plan) {
  const m = await load(kind, component);
  const state = {};
  const observed = [];
  for (const [name, call, want, result, tolerated] of plan) {
    let outcome;
    try {
      const r = await call(m, state);
      outcome = result === undefined ? 'ok' : show(r);
      if (result !== undefined) check(r === result, `${kind} ${name}: returned ${show(r)}, expected ${show(result)}`);
    } catch (e) {
      outcome = `error: ${e.message}`;
      if (!(tolerated && tolerated.test(e.message))) fail(`${kind} ${name}: ${e.stack}`);
    }
    const log = Array.from(m.getLog());
    check(show(log) === show(want), `${kind} ${name}: log ${show(log)}, expected ${show(want)}`);
    observed.push({ name, log, outcome });
  }
  return observed;
}

const planOf = (kind) => (Array.isArray(steps) ? steps : steps[kind]);
const obsOrig = await run('original', orig.component, planOf('original'));
const obsRw = await run('rewritten', rw.component, planOf('rewritten'));

if (scenario === 'task-hook') {
  // the point of wasm-taskwrap: the same hook sequence, call by call
  obsOrig.forEach((o, i) => {
    const r = obsRw[i];
    check(show(o.log) === show(r.log), `${o.name}: original ${show(o.log)} != rewritten ${show(r.log)}`);
    check(o.outcome === r.outcome, `${o.name}: original outcome "${o.outcome}" != rewritten "${r.outcome}"`);
  });
} else {
  // the bug, stated directly: no init marker in any original log; and in the
  // rewritten one every body marker (100..199) follows an init marker
  for (const o of obsOrig) check(!o.log.some((c) => c >= 1000), `original ${o.name}: init marker in ${show(o.log)}`);
  for (const r of obsRw) {
    r.log.forEach((c, i) => {
      if (c >= 100 && c < 200 && c !== 110 && c !== 109) {
        check(r.log[i - 1] >= 1000, `rewritten ${r.name}: body ${c} not preceded by an init marker in ${show(r.log)}`);
      }
    });
  }
}

// --- 4. summary ---------------------------------------------------------------
console.log(`e2e ${scenario}: jco ${jcoVersion}, plan abi ${plan.abi}, ${plan.wrappers} wrappers`);
console.log(`  core module: original ${readFileSync(origWasm).length} B, rewritten ${readFileSync(rwWasm).length} B`);
console.log(`  component:   original ${orig.component.length} B, rewritten ${rw.component.length} B`);
const fx = (f) => (f ? `${f.defined} defined functions, start ${f.start === null ? 'none' : f.start}` : 'absent');
console.log(`  fixup module: original ${fx(fo)}; rewritten ${fx(fr)}`);
for (let i = 0; i < obsOrig.length; i++) {
  const o = obsOrig[i], r = obsRw[i];
  const err = (x) => (x.outcome.startsWith('error') ? `  [${x.outcome}]` : '');
  const same = show(o.log) === show(r.log) && o.outcome === r.outcome;
  console.log(`  ${o.name.padEnd(16)} original  ${show(o.log)}${err(o)}` +
    (same ? ' (rewritten: same)' : `\n  ${''.padEnd(16)} rewritten ${show(r.log)}${err(r)}`));
}
console.log(`  ${failures.length ? `${failures.length} FAILURE(S)` : 'all checks passed'} in ${Date.now() - t0} ms`);
process.exit(failures.length ? 1 : 0);
