// The world-driven golden fixtures (fixtures/world-*.wat) against the real
// wit-component, at 0.262 (wasm-tools 1.262 `component new`) and at 0.259
// (jco 1.35.0 `componentNew`): for each fixture without ARGS, the exports
// that wit-component's fixup module wraps in the original module, with the
// constant hook codes each wrapper passes, must be exactly the exports that
// wasm-taskwrap's plan wraps, with the same codes; and the component of the
// rewritten module must have no hook wrappers at all.
//   node world-fixtures.mjs TASKWRAP WAT2WASM WASM_TOOLS E2E_DIR WORKDIR [--sabotage]
// --sabotage drops one wrapped export from our side (as a rewriter that
// wraps too little would): the run then passes only if that is caught.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [taskwrap, wat2wasm, wasmTools, e2eDir, workArg, flag] = process.argv.slice(2);
const sabotage = flag === '--sabotage';
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = resolve(here, '../../fixtures');
const work = resolve(workArg);
mkdirSync(work, { recursive: true });
const require = createRequire(pathToFileURL(join(resolve(e2eDir), 'x.js')));
const jco = await import(pathToFileURL(require.resolve('@bytecodealliance/jco')));
const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

let passed = 0, failed = 0;
const check = (cond, msg) => {
  if (cond) passed++; else failed++;
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${msg}`);
};

// The fixup module of a component's text: export name -> constant hook codes
// of its wrapper, in call order. Wrappers call the hook import and one
// import, the export they wrap: from "main" by its name, or (destructors)
// from "actual", an instance of aliases of main's exports (a start
// function wraps _initialize the same way).
function fixupHooks(text) {
  const m = text.match(/\(core module \$wit-component-fixup[\s\S]*?\n {2}\)\n/);
  if (!m) return { wrapped: new Map(), hookImported: false };
  const aliasOf = new Map([...text.matchAll(/\(alias core export \$main "([^"]*)" \(core func (\$(?:"[^"]*"|\S+))/g)]
    .map((a) => [a[2], a[1]]));
  const actual = new Map();
  const inst = text.match(/\(core instance \$actual[\s\S]*?\n {2}\)\n/);
  if (inst) for (const x of inst[0].matchAll(/\(export "([^"]*)" \(func (\$(?:"[^"]*"|\S+))\)\)/g))
    actual.set(x[1], aliasOf.get(x[2]));
  const imports = new Map();
  for (const i of m[0].matchAll(/\(import "(main|actual)" "([^"]*)" \(func (?:(\$(?:"[^"]*"|\S+)) )?\(;(\d+);\)/g)) {
    const target = i[1] === 'main' ? i[2] : actual.get(i[2]);
    imports.set(`${i[4]}`, target);
    if (i[3]) imports.set(i[3], target);
  }
  const hookRefs = [...imports].filter(([, n]) => n === '__wasm_task_hook').map(([k]) => k);
  const wrapped = new Map();
  for (const f of m[0].split(/\n {4}\(func /).slice(1)) {
    const lines = f.split('\n').map((l) => l.trim());
    const codes = [];
    let target = null;
    for (let i = 0; i < lines.length; i++) {
      const c = lines[i].match(/^call (\$"[^"]*"|\S+)$/);
      if (!c) continue;
      if (hookRefs.includes(c[1])) {
        const k = lines[i - 1].match(/^i32\.const (\d+)$/);
        if (k) codes.push(Number(k[1]));
      } else if (imports.has(c[1])) target = imports.get(c[1]);
    }
    if (target && codes.length) wrapped.set(target, codes);
  }
  return { wrapped, hookImported: hookRefs.length > 0 };
}

const witcs = {
  '0.262': (file) => run(wasmTools, ['print', run(wasmTools, ['component', 'new', file, '-o', `${file}.c.wasm`]) || `${file}.c.wasm`]),
  '0.259': async (file) => jco.print(await jco.componentNew(readFileSync(file))),
};

const names = readdirSync(fixtures).filter((f) => /^world-.*\.wat$/.test(f) && !f.endsWith('.out.wat'));
check(names.length >= 5, `${names.length} world fixtures found`);
for (const name of names) {
  const src = readFileSync(join(fixtures, name), 'utf8');
  if (/^;; ARGS: /m.test(src)) continue; // options narrow the world on purpose
  const base = join(work, name.replace(/\.wat$/, ''));
  run(wat2wasm, ['--enable-all', join(fixtures, name), '-o', `${base}.wasm`]);
  for (const e of src.matchAll(/^;; EMBED: (\S+) (.*)$/gm))
    run(wasmTools, ['component', 'embed', join(fixtures, e[1]), ...e[2].split(' '), `${base}.wasm`, '-o', `${base}.wasm`]);
  const plan = JSON.parse(run(taskwrap, [`${base}.wasm`, '-o', `${base}.out.wasm`, '--json']));
  const ours = new Map(plan.exports.filter((x) => x.hooks !== null)
    .map((x) => [x.name, x.hooks.filter((c) => typeof c === 'number')]));
  if (sabotage) ours.delete([...ours.keys()].find((k) => k !== '_initialize'));
  for (const [version, componentize] of Object.entries(witcs)) {
    const before = fixupHooks(await componentize(`${base}.wasm`));
    const same = before.wrapped.size === ours.size &&
      [...before.wrapped].every(([k, v]) => JSON.stringify(ours.get(k)) === JSON.stringify(v));
    check(same, `${name}: wit-component ${version} wraps ${JSON.stringify([...before.wrapped])}; ` +
      `wasm-taskwrap ${JSON.stringify([...ours])}`);
    const after = fixupHooks(await componentize(`${base}.out.wasm`));
    check(after.wrapped.size === 0 && !after.hookImported,
      `${name}: wit-component ${version} adds no hook wrappers to the rewritten module`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
if (sabotage) {
  console.log(failed ? 'sabotage caught' : 'SABOTAGE NOT CAUGHT');
  process.exit(failed ? 0 : 1);
}
process.exit(failed ? 1 : 0);
