// e2e-cm32p2: wit-component (jco 1.35.0, 0.259.0) hooks exports in the
// standard cm32p2 mangling, and wasm-taskwrap must hook exactly the same:
// for every export that wit-component's fixup module wraps in the original,
// the hook codes it calls (in order) equal the codes of wasm-taskwrap's
// plan; and the component of the rewritten module has no hook wrappers.
//   node cm32p2.mjs TASKWRAP WAT2WASM WORKDIR
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fixupHooks } from '../common/fixup.mjs';

const [taskwrap, wat2wasm, workArg] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const work = resolve(workArg);
mkdirSync(work, { recursive: true });
const require = createRequire(pathToFileURL(join(work, 'x.js')));
const jco = await import(pathToFileURL(require.resolve('@bytecodealliance/jco')));
let passed = 0, failed = 0;
const check = (cond, msg) => { if (cond) { passed++; console.log(`ok   ${msg}`); } else { failed++; console.log(`FAIL ${msg}`); } };

const orig = join(work, 'cm32p2.wasm'), out = join(work, 'cm32p2.out.wasm');
execFileSync(wat2wasm, [join(here, 'cm32p2.wat'), '-o', orig]);
const plan = JSON.parse(execFileSync(taskwrap, [orig, '-o', out, '--json'], { encoding: 'utf8' }));
const witSource = readFileSync(join(here, 'cm32p2.wit'), 'utf8');

// The component's fixup module, as export name -> hook codes in call order.
async function fixup(file) {
  const embedded = await jco.componentEmbed({ binary: readFileSync(file), witSource, world: 'cm' });
  const f = fixupHooks(await jco.print(await jco.componentNew(embedded)));
  if (!f.present) throw new Error('no fixup module');
  return f;
}

const before = await fixup(orig);
const after = await fixup(out);
check(before.result.size === 6, `wit-component wraps 6 cm32p2 exports of the original (${[...before.result.keys()].join(', ')})`);
for (const [exp, codes] of before.result) {
  const e = plan.exports.find((x) => x.name === exp);
  check(e && JSON.stringify(e.hooks) === JSON.stringify(codes),
        `${exp}: wit-component calls hooks ${JSON.stringify(codes)}, wasm-taskwrap ${JSON.stringify(e?.hooks)}`);
}
for (const e of plan.exports)
  if (e.hooks !== null && !before.result.has(e.name)) check(false, `${e.name}: wrapped by wasm-taskwrap only`);
check(after.result.size === 0 && !after.hookImported, 'the rewritten module gets no hook wrappers from wit-component');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
