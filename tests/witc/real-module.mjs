// A real module with its WIT world: StarlingMonkey's embedding
// (starlingmonkey_embedding.wasm of npm @bytecodealliance/componentize-js
// 0.22.0, which jco 1.35.0 depends on, pinned by tests/e2e/package-lock.json)
// with a __wasm_task_hook added.
// It exports 19 items, most of them helpers its world does not lift
// (coreabi_*, call, post_call, check_init, wizer entry points). wit-component
// (jco's 0.259 and wasm-tools' 0.262, with the preview1 reactor adapter jco
// ships) must wrap exactly the exports wasm-taskwrap wraps, with the same
// hook codes, and none in the rewritten module.
//   node real-module.mjs TASKWRAP WASM_TOOLS E2E_DIR WORKDIR [--sabotage]
// --sabotage adds an unlifted export to our side (what deciding by name did)
// and passes only if the comparison catches it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fixupHooks, planHooks, sameHooks } from '../common/fixup.mjs';

const [taskwrap, wasmTools, e2eDir, workArg, flag] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
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

const orig = join(work, 'starlingmonkey-hook.wasm'), out = join(work, 'starlingmonkey-hook.out.wasm');
// The project's own hook adder (bench/addhook.mjs): an empty
// __wasm_task_hook function and its export, every other byte kept.
run(process.execPath, [join(here, '..', '..', 'bench', 'addhook.mjs'),
  join(cjsDir, 'lib', 'starlingmonkey_embedding.wasm'), orig]);
const plan = JSON.parse(run(taskwrap, [orig, '-o', out, '--json']));
check(plan.world !== null, `the plan has the module's world (${JSON.stringify(plan.world)})`);
const ours = planHooks(plan);
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
  // The preview1 adapter is another core module: wit-component hooks its
  // cabi_import_realloc too, which no rewrite of the main module can do.
  const main = new Map([...before.result].filter(([k]) => !before.foreign.has(k)));
  check(JSON.stringify([...before.foreign]) === '["wasi_snapshot_preview1.cabi_import_realloc"]',
    `wit-component ${version} also wraps the adapter's ${[...before.foreign].join(', ')}`);
  const same = sameHooks(main, ours);
  check(same, `wit-component ${version} wraps ${JSON.stringify([...main])} of the module; ` +
    `wasm-taskwrap ${JSON.stringify([...ours])}`);
  const after = fixupHooks(await componentize(out));
  check(after.result.size === 0 && !after.hookImported,
    `wit-component ${version} adds no hook wrappers to the rewritten module`);
}
console.log(`${passed} passed, ${failed} failed`);
if (flag === '--sabotage') {
  console.log(failed ? 'sabotage caught' : 'SABOTAGE NOT CAUGHT');
  process.exit(failed ? 0 : 1);
}
process.exit(failed ? 1 : 0);
