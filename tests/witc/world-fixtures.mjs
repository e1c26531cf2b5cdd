// The world-driven golden fixtures (fixtures/world-*.wat) against the real
// wit-component, at 0.262 (wasm-tools 1.262 `component new`) and at 0.259
// (jco 1.35.0 `componentNew`): for each fixture without ARGS, the exports
// that wit-component's fixup module wraps in the original module, with the
// hook codes each wrapper passes (a callback's 4|5 choice included), must
// be exactly the exports that wasm-taskwrap's plan wraps, with the same
// codes; and the component of the
// rewritten module must have no hook wrappers at all.
//   node world-fixtures.mjs TASKWRAP WAT2WASM WASM_TOOLS E2E_DIR WORKDIR [--sabotage]
// --sabotage drops one wrapped export from our side (as a rewriter that
// wraps too little would): the run then passes only if that is caught.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fixupHooks, planHooks, sameHooks } from '../common/fixup.mjs';

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
  const ours = planHooks(plan);
  if (sabotage) ours.delete([...ours.keys()].find((k) => k !== '_initialize'));
  for (const [version, componentize] of Object.entries(witcs)) {
    const before = fixupHooks(await componentize(`${base}.wasm`));
    const same = sameHooks(before.result, ours);
    check(same, `${name}: wit-component ${version} wraps ${JSON.stringify([...before.result])}; ` +
      `wasm-taskwrap ${JSON.stringify([...ours])}`);
    const after = fixupHooks(await componentize(`${base}.out.wasm`));
    check(after.result.size === 0 && !after.hookImported,
      `${name}: wit-component ${version} adds no hook wrappers to the rewritten module`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
if (sabotage) {
  console.log(failed ? 'sabotage caught' : 'SABOTAGE NOT CAUGHT');
  process.exit(failed ? 0 : 1);
}
process.exit(failed ? 1 : 0);
