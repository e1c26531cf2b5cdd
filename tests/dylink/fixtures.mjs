// wit-component's two link fixtures (WITC/v0.257-realloc-task-hook-link and
// -link-no-cabi-realloc: lib-c defines the hook, lib-foo has the lifted
// exports), each library rewritten by wasm-taskwrap and linked by
// `wasm-tools component link` (wit-component 0.262).
//
//   node fixtures.mjs run|selfcheck TASKWRAP WASM_TOOLS WASMTIME WITC WORKDIR
//
// run, for each fixture:
//  (a) the fixture's own libraries (bodies `unreachable`): the plan says
//      which kind each library is; both links validate; in the rewritten
//      link no core module outside the libraries imports or exports a hook
//      and the fixup module has no hook wrapper, while the original link's
//      fixup module has them; each library's wrappers call the hook with
//      the codes of wit-component's fixup wrappers for that library, export
//      for export; both components have the same WIT; `--check-link`
//      accepts the rewritten set;
//  (b) runnable variants (fixtures/*.wat: the same shapes, a hook that logs
//      its code, bodies that log markers; harness.mjs, driver.mjs): both
//      links run a sequence of calls in one wasmtime 49 instance (and
//      `--check` accepts each rewritten library); the
//      original's log is the one written below, and the rewritten link's
//      equals it, step for step, results included.
// selfcheck: broken library sets must fail: lib-foo left as it was, lib-c
// left as it was, a hook code changed in a lib-foo wrapper, the hook
// exported again under its public name. Each must give a failed link, a
// different log, or (the public name) a hook wrapper outside the libraries;
// `--check-link` must refuse the sets it can judge, and `--check` the
// changed hook code.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { tools, outsideHookProblems, librariesIn, HOOK, PRIVATE_HOOK } from './harness.mjs';
import { hostWat, hostWorld, driverWat, driverWorld, records } from './driver.mjs';
import { fixupByLibrary, compareLibrary, libraryHooks, hookIndex } from './wrappers.mjs';
import { parseModule, bodyOps, patchByte } from '../diff/wasmbin.mjs';
import { fixupHooks } from '../common/fixup.mjs';
import { exportAgain } from './edit.mjs';

const t0 = Date.now();
const [mode, taskwrap, wasmTools, wasmtime, witcArg, workArg] = process.argv.slice(2);
if (!workArg || !['run', 'selfcheck'].includes(mode)) {
  console.error('usage: node fixtures.mjs run|selfcheck TASKWRAP WASM_TOOLS WASMTIME WITC WORKDIR');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const witc = resolve(witcArg);
const work = resolve(workArg);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const T = tools({ work, taskwrap, wasmTools, wasmtime });

let passed = 0;
const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL ${msg}`); };
const check = (cond, msg) => { if (cond) passed++; else fail(msg); return cond; };
const show = (v) => JSON.stringify(v);

// fixtures/NAME.wat with its `;; @include FILE` lines expanded
const runnable = (name) => readFileSync(join(here, 'fixtures', name), 'utf8')
  .replace(/^;; @include (\S+)$/gm, (_, f) => readFileSync(join(here, 'fixtures', f), 'utf8'));

// Codes: hooks < 100; markers as the fixtures/*.wat comments say, each
// followed by one digest word. H = hook codes, the rest as logged.
const INIT = []; // neither fixture has an _initialize or constructors
const FIXTURES = [
  {
    tag: 'link',
    dir: 'v0.257-realloc-task-hook-link',
    libs: { c: 'link.lib-c.wat', foo: 'link.lib-foo.wat' },
    wits: { c: null, foo: 'link.lib-foo.wit' },
    kinds: { c: 'defines-hook', foo: 'imports-hook' },
    hostImports: [{ name: 'foo1', params: [], result: null }, { name: 'bar', params: [], result: 'string' }],
    composeImports: ['foo1', 'bar'],
    exports: [
      { name: 'baz', params: [], result: null },
      { name: 'foo2', params: ['string'], pnames: ['x'], result: 'opt-list-u8' },
      { name: 'trace', params: [], result: 'list-u32' },
    ],
    steps: [{ fn: 'baz', args: [] }, { fn: 'foo2', args: ['héllo'] }, { fn: 'foo2', args: [''] }, { fn: 'baz', args: [] }],
    // bar() returns 1 + 0 % 5 = 1 byte "x": digest (1 << 16) + 0x78 = 65656
    want: [
      // baz: H0, 101, bar's string through foo's cabi_import_realloc
      // (12 111 size 13), bar's digest, H1, then trace's own H0
      { digest: 0, trace: [...INIT, 0, 101, 12, 111, 1, 13, 65656, 1, 0] },
      // trace's H1; foo2's argument through cabi_export_realloc; 102 and
      // its digest ("héllo": 6 bytes, sum 795); the post-return, then H1
      { digest: (1 << 24) + (6 << 16) + 795, trace: [1, 12, 112, 6, 13, 0, 102, (6 << 16) + 795, 202, 1, 0] },
      // an empty string: the realloc is called for 0 bytes
      { digest: (1 << 24), trace: [1, 12, 112, 0, 13, 0, 102, 0, 202, 1, 0] },
      { digest: 0, trace: [1, 0, 101, 12, 111, 1, 13, 65656, 1, 0] },
    ],
  },
  {
    tag: 'nocr',
    dir: 'v0.257-realloc-task-hook-link-no-cabi-realloc',
    libs: { c: 'nocr.lib-c.wat', foo: 'nocr.lib-foo.wat' },
    wits: { c: null, foo: 'nocr.lib-foo.wit' },
    kinds: { c: 'defines-hook', foo: 'imports-hook' },
    hostImports: [{ name: 'bar', params: ['string'], pnames: ['v'], result: 'string', iface: true }],
    composeImports: ['instance test:test/test'],
    exports: [
      { name: 'run', params: [], result: 'u32' },
      { name: 'greet', params: ['string'], pnames: ['name'], result: 'string' },
      { name: 'trace', params: [], result: 'list-u32' },
    ],
    steps: [{ fn: 'run', args: [] }, { fn: 'greet', args: ['wörld'] }, { fn: 'greet', args: [''] }, { fn: 'run', args: [] }],
    // bar(s) returns 1 + digest(s) % 5 bytes "x": digest("ab") = 0x200c3
    // -> 3 bytes; digest("wörld") = (6 << 16) + 818 -> 5 bytes; "" -> 1
    want: [
      // run: bar's result through lib-c's cabi_realloc (the only realloc)
      { digest: (3 << 16) + 3 * 0x78, trace: [...INIT, 0, 101, 12, 110, 3, 13, 1, 0] },
      // greet: the argument through cabi_realloc, bar's result too; then
      // the post-return and H1
      { digest: (5 << 16) + 5 * 0x78, trace: [1, 12, 110, 6, 13, 0, 102, (6 << 16) + 818, 12, 110, 5, 13, 202, 1, 0] },
      { digest: (1 << 16) + 0x78, trace: [1, 12, 110, 0, 13, 0, 102, 0, 12, 110, 1, 13, 202, 1, 0] },
      { digest: (3 << 16) + 3 * 0x78, trace: [1, 0, 101, 12, 110, 3, 13, 1, 0] },
    ],
  },
];

// --- building ------------------------------------------------------------------
const libWit = (fx, lib, source) => (source === 'shared' || !fx.wits[lib]
  ? join(witc, fx.dir, `lib-${lib}.wit`) : join(here, 'fixtures', fx.wits[lib]));
function buildLibs(fx, source, tag) {
  const out = {};
  for (const lib of Object.keys(fx.libs)) {
    const wat = source === 'shared' ? readFileSync(join(witc, fx.dir, `lib-${lib}.wat`), 'utf8') : runnable(fx.libs[lib]);
    out[lib] = T.library(`${tag}.lib-${lib}`, wat, libWit(fx, lib, source), `lib-${lib}`);
  }
  return out;
}
// every library with --abi task-hook (docs/abi.md, "Shared libraries")
function rewriteLibs(libs, tag) {
  const out = {}, plans = {};
  for (const [lib, path] of Object.entries(libs)) {
    out[lib] = T.file(`${tag}.lib-${lib}.rw.wasm`);
    plans[lib] = T.rewrite(path, out[lib], ['--abi', 'task-hook']);
  }
  return { out, plans };
}
const linkOf = (tag, libs) => T.link(tag, Object.entries(libs).map(([name, path]) => ({ name, path })));
const checkLink = (libs) => spawnSync(taskwrap, ['--check-link', ...Object.entries(libs).map(([n, p]) => `${n}=${p}`)], { encoding: 'utf8' });

function runLinked(fx, component, tag) {
  const host = T.componentOf(`${tag}.host`, hostWat(fx.hostImports), hostWorld(fx.hostImports), 'host');
  const driver = T.componentOf(`${tag}.driver`, driverWat(fx.exports, fx.steps, 'trace'), driverWorld(fx.exports), 'driver');
  const composed = T.compose(tag, host, component, driver, fx.composeImports, fx.exports.map((f) => f.name));
  const out = T.drive(composed);
  return typeof out === 'string' ? out : records(out);
}

// --- run -----------------------------------------------------------------------------
function staticChecks(fx) {
  const tag = `${fx.tag}.shared`;
  const libs = buildLibs(fx, 'shared', tag);
  const { out, plans } = rewriteLibs(libs, tag);
  for (const [lib, kind] of Object.entries(fx.kinds)) {
    check(plans[lib].library?.kind === kind, `${tag}: the plan of lib-${lib} says library ${show(plans[lib].library)}, expected kind ${kind}`);
  }
  const orig = readFileSync(linkOf(`${tag}.original`, libs));
  const rw = readFileSync(linkOf(`${tag}.rewritten`, out));
  passed += 2; // both linked and validated (T.link throws otherwise)
  const names = Object.keys(fx.libs);
  check(show(librariesIn(rw, names)) === show(names), `${tag}: the rewritten link has the libraries ${librariesIn(rw, names)}`);
  const problems = outsideHookProblems(rw, names, T.print);
  check(problems.length === 0, `${tag}: outside the libraries: ${problems.join('; ')}`);
  const watA = T.wt('print', T.file(`${tag}.original.component.wasm`)).toString();
  const watB = T.wt('print', T.file(`${tag}.rewritten.component.wasm`)).toString();
  const fa = fixupHooks(watA), fb = fixupHooks(watB);
  check(fa.wrappers > 0 && fa.hookImported, `${tag}: the original link has no hook wrappers: the check above proves nothing`);
  check(outsideHookProblems(orig, names, T.print).length > 0, `${tag}: the outside check does not see the original link's hook`);
  check(fb.wrappers === 0 && !fb.hookImported, `${tag}: the rewritten link's fixup module has ${fb.wrappers} hook wrappers`);
  const byLib = fixupByLibrary(watA);
  for (const lib of names) {
    const diffs = compareLibrary(lib, byLib, readFileSync(out[lib]));
    check(diffs.length === 0, `${tag}: lib-${lib}: ${diffs.join('; ')}`);
  }
  const wit = (p) => T.wt('component', 'wit', p).toString();
  check(wit(T.file(`${tag}.original.component.wasm`)) === wit(T.file(`${tag}.rewritten.component.wasm`)), `${tag}: the linked components' WIT differs`);
  const cl = checkLink(out);
  check(cl.status === 0, `${tag}: --check-link refuses the rewritten set: exit ${cl.status} ${cl.stderr.trim()}`);
  console.log(`  ${tag}: wrappers ${[...byLib].map(([l, m]) => `${l}: ${[...m.keys()].join(' ')}`).join('; ')}; rewritten link: no hook outside the libraries`);
}

function runChecks(fx) {
  const tag = `${fx.tag}.run`;
  const libs = buildLibs(fx, 'runnable', tag);
  const { out } = rewriteLibs(libs, tag);
  for (const lib of Object.keys(libs)) {
    const v = spawnSync(taskwrap, ['--check', '--abi', 'task-hook', libs[lib], out[lib]], { encoding: 'utf8' });
    check(v.status === 0, `${tag}: --check refuses the rewritten lib-${lib}: ${v.stderr.trim()}`);
  }
  const a = runLinked(fx, linkOf(`${tag}.original`, libs), `${tag}.original`);
  const b = runLinked(fx, linkOf(`${tag}.rewritten`, out), `${tag}.rewritten`);
  check(outsideHookProblems(readFileSync(T.file(`${tag}.rewritten.component.wasm`)), Object.keys(fx.libs), T.print).length === 0,
    `${tag}: a hook outside the libraries of the rewritten link`);
  if (!check(typeof a !== 'string', `${tag}: the original link: ${a}`)) return;
  const wantA = fx.want.map((w, step) => ({ step, ...w }));
  check(show(a) === show(wantA), `${tag}: the original link's log\n  ${show(a)}\nexpected\n  ${show(wantA)}`);
  if (!check(typeof b !== 'string', `${tag}: the rewritten link: ${b}`)) return;
  a.forEach((r, i) => check(show(b[i]) === show(r), `${tag}: step ${i} ${fx.steps[i].fn}: rewritten ${show(b[i])} != original ${show(r)}`));
  check(b.length === a.length, `${tag}: ${b.length} steps in the rewritten link's log, ${a.length} in the original's`);
  console.log(`  ${tag}: ${a.length} steps, the same log: ${show(b.map((r) => r.trace))}`);
}

// --- selfcheck ------------------------------------------------------------------------
function selfcheck() {
  const fx = FIXTURES[0];
  const tag = 'sc';
  const libs = buildLibs(fx, 'runnable', tag);
  const { out } = rewriteLibs(libs, tag);
  const good = runLinked(fx, linkOf(`${tag}.good`, out), `${tag}.good`);
  check(typeof good !== 'string' && show(good) === show(fx.want.map((w, step) => ({ step, ...w }))), `selfcheck: the good set: ${show(good)}`);
  // a hook code in lib-foo's wrapper of foo2: 0 -> 3
  const foo = readFileSync(out.foo);
  const fm = parseModule(foo);
  const hook = hookIndex(foo);
  const wrapper = fm.exports.find((e) => e.name === 'foo2').index;
  const ops = bodyOps(foo, fm.bodies[wrapper - fm.funcImports]);
  const k = ops.findIndex((o, i) => o.op === 'i32.const' && o.v === 0 && ops[i + 1]?.op === 'call' && ops[i + 1].v === hook);
  check(k >= 0, 'selfcheck: no `i32.const 0; call hook` in lib-foo\'s foo2 wrapper');
  const badCode = T.put(T.file(`${tag}.foo.badcode.wasm`), patchByte(foo, ops[Math.max(k, 0)].at, 3));
  const verify = (input, output) => spawnSync(taskwrap, ['--check', '--abi', 'task-hook', input, output], { encoding: 'utf8' });
  check(verify(libs.foo, out.foo).status === 0, 'selfcheck: --check refuses the good lib-foo');
  const vc = verify(libs.foo, badCode);
  check(vc.status === 1, `selfcheck: --check accepts lib-foo with a changed hook code: exit ${vc.status}`);
  console.log(`  sabotage: a hook code changed in lib-foo's foo2 wrapper: --check exit ${vc.status}: ${vc.stderr.trim().split('\n')[0]}`);
  const c = readFileSync(out.c);
  const sets = [
    ['lib-foo not rewritten', { c: out.c, foo: libs.foo }, true],
    ['lib-c not rewritten', { c: libs.c, foo: out.foo }, true],
    ['a hook code changed in lib-foo\'s foo2 wrapper', { c: out.c, foo: badCode }, false],
    ['the hook exported again as __wasm_task_hook', { c: T.put(T.file(`${tag}.c.public.wasm`), exportAgain(c, PRIVATE_HOOK, HOOK)), foo: out.foo }, true],
  ];
  check(libraryHooks(readFileSync(out.foo)).get('foo2').codes.length > 0, 'selfcheck: lib-foo\'s foo2 is not wrapped');
  for (const [i, [what, set, judged]] of sets.entries()) {
    const t = `${tag}.bad${i}`;
    let component = null, result;
    try { component = linkOf(t, set); } catch (e) { result = `link fails: ${e.message.split('\n').find((l) => /error/i.test(l)) ?? e.message.split('\n')[1]}`; }
    if (component) {
      const got = runLinked(fx, component, t);
      const outside = outsideHookProblems(readFileSync(component), Object.keys(set), T.print);
      const differs = typeof got === 'string' || show(got) !== show(good);
      result = differs ? `the log differs: ${typeof got === 'string' ? got : show(got.map((r) => r.trace)).slice(0, 160)}` : outside.length ? `outside the libraries: ${outside[0]}` : null;
    }
    check(result !== null, `sabotage "${what}" is not caught`);
    console.log(`  sabotage: ${what}: ${result ?? 'NOT CAUGHT'}`);
    if (judged) {
      const cl = checkLink(set);
      check(cl.status === 1 && /error: /.test(cl.stderr), `sabotage "${what}": --check-link exit ${cl.status}, expected 1 with an error: ${cl.stderr.trim()}`);
      console.log(`    --check-link: exit ${cl.status}: ${cl.stderr.trim().split('\n')[0]}`);
    }
  }
}

try {
  if (mode === 'run') {
    for (const fx of FIXTURES) {
      console.log(`${fx.dir}:`);
      staticChecks(fx);
      runChecks(fx);
    }
  } else selfcheck();
} catch (e) {
  fail(`${e.message}`);
}
console.log(`${passed} passed, ${failures.length} failed (${mode}, ${Date.now() - t0} ms)`);
process.exit(failures.length ? 1 : 0);
