// C shared libraries built by clang 14 and wasm-ld 14, linked through
// wasm-taskwrap-ld, then linked into a component by `wasm-tools component
// link` and run in wasmtime 49 against the same libraries linked without
// the rewrite.
//
//   node c.mjs TASKWRAP TASKWRAP_LD CLANG WASM_LD WASM_TOOLS WASMTIME WORKDIR
//
// The toolchain here cannot build a wasm32-wasi shared library as such:
// clang 14's WebAssembly backend uses the static relocation model for
// every target but Emscripten whatever -fPIC says, and wasm-ld -shared then
// stops at the first static variable ("relocation R_WASM_MEMORY_ADDR_LEB
// cannot be used against symbol ...; recompile with -fPIC"); Debian's
// wasi-libc has no PIC build either; and clang 14 ignores -shared for wasm
// (it passes it to no one). So the objects are compiled for
// wasm32-unknown-emscripten with -fPIC, freestanding (the code is the same
// wasm32 C ABI), and linked by clang's wasm32-wasi driver with -nostdlib
// and -Wl,-shared,--experimental-pic. The world of each library is an
// object of its own: a module with the embedded component-type section and
// an empty `linking` section, which wasm-ld copies into its output. This
// script checks the first of those reasons again each run and says so.
//
// Checks: the -shared link through wasm-taskwrap-ld (TASKWRAP_FLAGS=
// "--abi task-hook") equals wasm-ld's link rewritten by `wasm-taskwrap
// --abi task-hook`, byte for byte, for both libraries; the plans say
// libc.so defines the hook and app.so imports it; both component links
// validate; no core module outside the libraries has a hook; app's wrappers
// call the hook with wit-component's codes; the logs in wasmtime are equal
// step for step (the constructors: one init task per library, as
// init.mjs) and the original's is the one written below; and app.so linked
// unrewritten beside the rewritten libc.so gives another log (self-check).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tools, outsideHookProblems } from './harness.mjs';
import { hostWat, hostWorld, driverWat, driverWorld, records } from './driver.mjs';
import { fixupByLibrary, compareLibrary } from './wrappers.mjs';
import { perLibraryInit } from './init.mjs';
import { sections } from '../consumers/wasm.mjs';

const t0 = Date.now();
const [taskwrap, taskwrapLd, clang, wasmLd, wasmTools, wasmtime, workArg] = process.argv.slice(2);
if (!workArg) {
  console.error('usage: node c.mjs TASKWRAP TASKWRAP_LD CLANG WASM_LD WASM_TOOLS WASMTIME WORKDIR');
  process.exit(2);
}
const here = join(dirname(fileURLToPath(import.meta.url)), 'c');
const work = resolve(workArg);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const T = tools({ work, taskwrap, wasmTools, wasmtime });
const file = T.file;

let passed = 0;
const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL ${msg}`); };
const check = (cond, msg) => { if (cond) passed++; else fail(msg); return cond; };
const show = (v) => JSON.stringify(v);

const LIBS = { c: 'libc', app: 'app' };
const CFLAGS = ['--target=wasm32-unknown-emscripten', '-fPIC', '-O2', '-ffreestanding', '-nostdlib', '-fvisibility=hidden',
  '-std=c11', '-Wall', '-Wextra', '-Werror'];
const shared = (ld, objs, out, env = {}) => spawnSync(clang, ['--target=wasm32-wasi', '-nostdlib', `-fuse-ld=${ld}`,
  '-Wl,-shared,--experimental-pic', ...objs, '-o', out], { cwd: work, encoding: 'utf8', env: { ...process.env, ...env } });

try {
  // the reason the objects are not compiled for wasm32-wasi (a note, not a check)
  T.run(clang, ['--target=wasm32-wasi', '-fPIC', '-O2', '-ffreestanding', '-c', join(here, 'app.c'), '-o', file('wasi.o')]);
  const wasi = shared(wasmLd, [file('wasi.o')], file('wasi.so'));
  console.log(`note: clang 14 --target=wasm32-wasi -fPIC, linked -shared: ${wasi.status === 0 ? 'links now: the Emscripten triple may no longer be needed'
    : `exit ${wasi.status}: ${wasi.stderr.trim().split('\n')[0]}`}`);

  const built = {};
  for (const [name, src] of Object.entries(LIBS)) {
    T.run(clang, [...CFLAGS, '-c', join(here, `${src}.c`), '-o', file(`${src}.o`)]);
    // the world object: an empty module with the world embedded, made
    // relocatable by an empty `linking` section (version 2)
    T.wt('parse', T.put(file('empty.wat'), '(module)'), '-o', file('empty.wasm'));
    T.wt('component', 'embed', join(here, `${src}.wit`), '--world', src, file('empty.wasm'), '-o', file(`${src}.world.wasm`));
    const linking = Buffer.from([0, 9, 7, ...Buffer.from('linking'), 2]);
    writeFileSync(file(`${src}.world.o`), Buffer.concat([readFileSync(file(`${src}.world.wasm`)), linking]));
    const objs = [file(`${src}.o`), file(`${src}.world.o`)];
    const plain = shared(wasmLd, objs, file(`${src}.plain.so`));
    if (!check(plain.status === 0, `${src}: wasm-ld -shared: ${plain.stderr.trim()}`)) continue;
    const hasWorld = sections(readFileSync(file(`${src}.plain.so`))).some((s) => s.id === 0 && s.name.startsWith('component-type'));
    check(hasWorld, `${src}.plain.so: no component-type section: the world object was dropped`);
    const ld = shared(taskwrapLd, objs, file(`${src}.so`), { TASKWRAP_WASM_LD: wasmLd, TASKWRAP_FLAGS: '--abi task-hook' });
    if (!check(ld.status === 0, `${src}: wasm-taskwrap-ld -shared: exit ${ld.status}: ${ld.stderr.trim()}`)) continue;
    const plan = T.rewrite(file(`${src}.plain.so`), file(`${src}.post.so`), ['--abi', 'task-hook']);
    check(Buffer.compare(readFileSync(file(`${src}.so`)), readFileSync(file(`${src}.post.so`))) === 0,
      `${src}: wasm-taskwrap-ld's -shared link differs from wasm-ld's rewritten by wasm-taskwrap`);
    const want = name === 'c' ? 'defines-hook' : 'imports-hook';
    check(plan.library?.kind === want, `${src}: the plan says library ${show(plan.library)}, expected ${want}`);
    check(Buffer.compare(readFileSync(file(`${src}.so`)), readFileSync(file(`${src}.plain.so`))) !== 0, `${src}: the rewrite changed nothing`);
    built[name] = { plain: file(`${src}.plain.so`), rewritten: file(`${src}.so`) };
  }
  if (Object.keys(built).length === 2) {
    const names = Object.keys(LIBS);
    const linkOf = (tag, what) => T.link(tag, names.map((n) => ({ name: n, path: built[n][what] })));
    const a = linkOf('original', 'plain');
    const b = linkOf('rewritten', 'rewritten');
    passed += 2; // both validate (T.link throws otherwise)
    const outside = outsideHookProblems(readFileSync(b), names, T.print);
    check(outside.length === 0, `the rewritten link: ${outside.join('; ')}`);
    check(outsideHookProblems(readFileSync(a), names, T.print).length > 0, 'the original link has no hook outside the libraries: the check proves nothing');
    const byLib = fixupByLibrary(T.wt('print', a).toString());
    const diffs = compareLibrary('app', byLib, readFileSync(built.app.rewritten))
      .filter((d) => !/^app\.(_initialize|__wasm_call_ctors):/.test(d));
    check(diffs.length === 0, `app's wrappers: ${diffs.join('; ')}`);
    check(byLib.get('app')?.has('greet'), 'wit-component does not wrap app\'s greet: the comparison proves nothing');

    const imports = [{ name: 'shout', params: ['string'], pnames: ['s'], result: 'u32' }];
    const exports = [
      { name: 'greet', params: ['string'], pnames: ['s'], result: 'string' },
      { name: 'count', params: [], result: 'u32' },
      { name: 'trace', params: [], result: 'list-u32' },
    ];
    const steps = [{ fn: 'count', args: [] }, { fn: 'greet', args: ['héllo'] }, { fn: 'count', args: [] }, { fn: 'greet', args: [''] }];
    const host = T.componentOf('host', hostWat(imports), hostWorld(imports), 'host');
    const driver = T.componentOf('driver', driverWat(exports, steps, 'trace'), driverWorld(exports), 'driver');
    const run = (tag, c) => {
      const out = T.drive(T.compose(tag, host, c, driver, ['shout'], exports.map((f) => f.name)));
      return typeof out === 'string' ? out : records(out);
    };
    const ra = run('original', a), rb = run('rewritten', b);
    if (check(typeof ra !== 'string', `the original link: ${ra}`) && check(typeof rb !== 'string', `the rewritten link: ${rb}`)) {
      // shout(s) = digest(s) + 7; "héllo" = (6 << 16) + 795
      const h = (6 << 16) + 795 + 7;
      const want = [
        // both constructors in one init task; count: 40 + 1
        { step: 0, digest: 41, trace: [6, 4000, 0, 4001, 0, 7, 0, 1001, 0, 1, 0] },
        // the argument through app's cabi_realloc; greet; its post-return
        { step: 1, digest: ((1 + h % 4) << 16) + (1 + h % 4) * 0x67, trace: [1, 12, 3000, 6, 13, 0, 1000, (6 << 16) + 795, h, 2000, 0, 1, 0] },
        { step: 2, digest: 42, trace: [1, 0, 1001, 0, 1, 0] },
        { step: 3, digest: ((1 + 7 % 4) << 16) + (1 + 7 % 4) * 0x67, trace: [1, 12, 3000, 0, 13, 0, 1000, 0, 7, 2000, 0, 1, 0] },
      ];
      check(show(ra) === show(want), `the original link's log\n  ${show(ra)}\nexpected\n  ${show(want)}`);
      const wantB = ra.map((r, i) => (i === 0 ? { ...r, trace: perLibraryInit(r.trace) } : r));
      wantB.forEach((r, i) => check(show(rb[i]) === show(r), `step ${i}: rewritten ${show(rb[i])}, expected ${show(r)}`));
      check(rb.length === ra.length, `${rb.length} steps in the rewritten link's log, ${ra.length} in the original's`);
      console.log(`  C libraries: ${ra.length} steps; the rewritten link's log: ${show(rb.map((r) => r.trace))}`);
      // self-check: app.so linked as wasm-ld wrote it, beside the rewritten
      // libc.so, must not pass (its exports are wrapped by no one)
      const bad = T.link('sabotage', names.map((n) => ({ name: n, path: built[n][n === 'app' ? 'plain' : 'rewritten'] })));
      const rs = run('sabotage', bad);
      check(typeof rs === 'string' || show(rs) !== show(rb), 'self-check: app.so not rewritten gives the same log');
      console.log(`  self-check, app.so not rewritten: ${typeof rs === 'string' ? rs : show(rs.map((r) => r.trace))}`);
    }
  }
} catch (e) {
  fail(e.message);
}
console.log(`${passed} passed, ${failures.length} failed (${Date.now() - t0} ms)`);
process.exit(failures.length ? 1 : 0);
