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

async function fixup(file) {
  const embedded = await jco.componentEmbed({ binary: readFileSync(file), witSource, world: 'cm' });
  const wat = await jco.print(await jco.componentNew(embedded));
  const m = wat.match(/\(core module \$wit-component-fixup[\s\S]*?\n {2}\)\n/);
  if (!m) throw new Error('no fixup module');
  return m[0];
}

// export name -> hook codes in call order, from the fixup's functions.
function hooksOf(text) {
  const imports = [...text.matchAll(/\(import "main" "([^"]*)" \(func \(;(\d+);\)/g)];
  const name = new Map(imports.map((i) => [Number(i[2]), i[1]]));
  const hook = [...name].find(([, n]) => n === '__wasm_task_hook')?.[0];
  const result = new Map();
  for (const f of text.matchAll(/\(func \(;\d+;\)[^\n]*\n([\s\S]*?)\n {4}\)/g)) {
    const lines = f[1].split('\n').map((l) => l.trim());
    const codes = [];
    let target = null;
    for (let i = 0; i < lines.length; i++) {
      const c = lines[i].match(/^call (\d+)$/);
      if (!c) continue;
      const callee = Number(c[1]);
      if (callee === hook) codes.push(Number(lines[i - 1].replace('i32.const ', '')));
      else target = name.get(callee);
    }
    if (target && codes.length) result.set(target, codes);
  }
  return { result, hookImported: hook !== undefined };
}

const before = hooksOf(await fixup(orig));
const after = hooksOf(await fixup(out));
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
