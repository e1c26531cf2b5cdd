/**
 * Differential test of wasm-taskwrap's shared-library rewrite against
 * wit-component's own link path, on random sets of libraries (gen.mjs).
 *
 *   node diff.mjs --seeds A..B [--sabotage KIND] --taskwrap P
 *                 --wasm-tools P --wasmtime P --work DIR [--show] [-v]
 *     --sabotage KIND  hook-code | not-rewritten | hook-public (below)
 *   Exit 0 when every seed agrees (with --sabotage: when every seed the
 *   sabotage applies to is caught, at least one), 1 otherwise, 2 on usage
 *   errors.
 *
 * Per seed: every library is embedded with its world; then
 *  (a) the libraries as they are, linked by `wasm-tools component link`
 *      (wit-component 0.262: its fixup module wraps the exports), and
 *  (b) each library rewritten by `wasm-taskwrap --abi task-hook`, linked
 *      the same way (same names, same order, the same --dl-openable).
 * Checks:
 *  link:     both links validate, with the same libraries in them (in
 *            any order: the rewritten libraries import the hook, so
 *            wit-component's topological order may put the hook library
 *            earlier);
 *  outside:  in (b) no core module outside the libraries imports or
 *            exports a hook, and the fixup module wraps nothing;
 *  module:   each rewritten library's exports call the hook with the codes
 *            of (a)'s fixup wrappers for that library, export for export
 *            (initialisers apart: below);
 *  trace:    both run in wasmtime 49 (harness.mjs: host, subject, driver in
 *            one component): every step's result and log equal, but for
 *            one documented difference: wit-component runs all libraries'
 *            initialisers as one task (6, each initialiser, 7), a rewritten
 *            set one task per library (6, initialiser, 7 each); the
 *            instantiation part of (a)'s first log is turned into that
 *            form before the comparison (docs/abi.md, "Shared libraries").
 *  harness:  (a)'s logs show hook codes at all (not vacuous).
 *  check:    `wasm-taskwrap --check` accepts each rewritten library and
 *            `--check-link` the rewritten set.
 * Sabotages (each seed run clean and sabotaged; caught when the sabotaged
 * run fails a check the clean one passes, and wasm-taskwrap refuses it:
 * --check for hook-code, --check-link for the others): hook-code changes one hook code
 * byte in one wrapper of one rewritten library; not-rewritten links one
 * library the rewrite changed as it was; hook-public exports the hook of
 * the rewritten hook library again as __wasm_task_hook.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tools, outsideHookProblems, librariesIn, HOOK, PRIVATE_HOOK } from './harness.mjs';
import { hostWat, hostWorld, driverWat, driverWorld, records } from './driver.mjs';
import { fixupByLibrary, compareLibrary, hookIndex } from './wrappers.mjs';
import { gen, describe } from './gen.mjs';
import { prng } from '../diff/gen.mjs';
import { parseModule, bodyOps, patchByte } from '../diff/wasmbin.mjs';
import { exportAgain } from './edit.mjs';
import { coreModules, parseModule as parseImports } from '../consumers/wasm.mjs';
import { perLibraryInit } from './init.mjs';

const argv = process.argv.slice(2);
const opt = {};
const usage = (m) => { console.error(`diff.mjs: ${m}\nusage: node diff.mjs --seeds A..B [--sabotage hook-code|not-rewritten|hook-public] --taskwrap P --wasm-tools P --wasmtime P --work DIR [--show] [-v]`); process.exit(2); };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i], v = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
  if (a === '--seeds') {
    const m = v().match(/^(\d+)(?:\.\.(\d+))?$/);
    if (!m) usage('--seeds takes A..B or N');
    opt.from = Number(m[1]); opt.to = Number(m[2] ?? m[1]);
  } else if (a === '--sabotage') opt.sabotage = v();
  else if (a === '--taskwrap') opt.taskwrap = v();
  else if (a === '--wasm-tools') opt.wasmTools = v();
  else if (a === '--wasmtime') opt.wasmtime = v();
  else if (a === '--work') opt.work = v();
  else if (a === '--show') opt.show = true;
  else if (a === '-v') opt.verbose = true;
  else usage(`unknown argument ${a}`);
}
if (opt.from === undefined || !opt.taskwrap || !opt.wasmTools || !opt.wasmtime || !opt.work) usage('--seeds, --taskwrap, --wasm-tools, --wasmtime and --work are required');
const SABOTAGES = ['hook-code', 'not-rewritten', 'hook-public'];
if (opt.sabotage && !SABOTAGES.includes(opt.sabotage)) usage(`unknown sabotage ${opt.sabotage}`);
const work = resolve(opt.work);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const show = (x) => JSON.stringify(x);
// One set, clean (sabotage null) or sabotaged. Returns { problems, applied }.
function runSet(g, sabotage) {
  const dir = join(work, `seed-${g.seed}${sabotage ? `-${sabotage}` : ''}`);
  mkdirSync(dir, { recursive: true });
  const T = tools({ work: dir, taskwrap: opt.taskwrap, wasmTools: opt.wasmTools, wasmtime: opt.wasmtime });
  const problems = [];
  const add = (check, detail) => problems.push({ check, detail });
  const orig = {}, rw = {}, plans = {};
  for (const l of g.libs) {
    writeFileSync(join(dir, `lib-${l.name}.wit`), l.wit);
    orig[l.name] = T.library(`lib-${l.name}`, l.wat, join(dir, `lib-${l.name}.wit`), l.world);
    rw[l.name] = T.file(`lib-${l.name}.rw.wasm`);
    try {
      plans[l.name] = T.rewrite(orig[l.name], rw[l.name], ['--abi', 'task-hook']);
    } catch (e) {
      add('rewrite', `lib-${l.name}: ${e.stderr?.trim().split('\n')[0] ?? e.message}`);
    }
  }
  if (problems.length) return { problems };
  const names = g.libs.map((l) => l.name);
  const linked = {};
  const linkSet = (what, files) => {
    try {
      linked[what] = T.link(what, g.order.map((l) => ({ name: l.name, path: files[l.name], dlOpenable: l.dlOpenable })));
    } catch (e) {
      add(what === 'a' ? 'generator' : 'link', `${what}: ${e.stderr?.trim().split('\n').slice(0, 3).join(' | ') ?? e.message}`);
    }
  };
  // (a) first: a sabotage only counts in a library wit-component links in
  linkSet('a', orig);
  if (!linked.a) return { problems };
  const present = librariesIn(readFileSync(linked.a), names);
  // the sabotage, on the rewritten libraries
  let applied = sabotage ? null : undefined;
  if (sabotage) {
    const r = prng(g.seed ^ 0x5ab07a9e);
    const changed = g.libs.filter((l) => present.includes(l.name) && Buffer.compare(readFileSync(orig[l.name]), readFileSync(rw[l.name])) !== 0);
    if (sabotage === 'hook-code') {
      const cands = [];
      for (const l of changed) {
        const buf = readFileSync(rw[l.name]);
        const m = parseModule(buf);
        const hook = hookIndex(buf);
        for (const e of m.exports) {
          if (e.kind !== 0 || e.index < m.funcImports || e.index === hook) continue;
          const ops = bodyOps(buf, m.bodies[e.index - m.funcImports]);
          ops.forEach((o, k) => { if (o.op === 'i32.const' && o.v >= 0 && o.v <= 13 && ops[k + 1]?.op === 'call' && ops[k + 1].v === hook) cands.push({ l, e, o }); });
        }
      }
      if (cands.length) {
        const { l, e, o } = r.pick(cands);
        const v = (o.v + 1 + r.int(0, 12)) % 14;
        writeFileSync(rw[l.name], patchByte(readFileSync(rw[l.name]), o.at, v));
        applied = `code ${o.v} -> ${v} in lib-${l.name}'s ${e.name}`;
      }
    } else if (sabotage === 'not-rewritten' && changed.some((l) => l.name !== g.hookLib)) {
      // the hook library alone, when it is the only one rewritten, is no
      // sabotage: nothing imports its hook, and wit-component wraps the
      // same exports in the fixup module instead
      const l = r.pick(changed.length > 1 ? changed : changed.filter((x) => x.name !== g.hookLib));
      rw[l.name] = orig[l.name];
      applied = `lib-${l.name} linked as it was`;
    } else if (sabotage === 'hook-public') {
      const buf = readFileSync(rw[g.hookLib]);
      if (parseModule(buf).exports.some((e) => e.name === PRIVATE_HOOK)) {
        writeFileSync(rw[g.hookLib], exportAgain(buf, PRIVATE_HOOK, HOOK));
        applied = `lib-${g.hookLib} exports the hook as ${HOOK} too`;
      }
    }
    if (!applied) return { problems, applied };
  }
  // wasm-taskwrap's own verdicts: --check on each library, --check-link
  // on the set; a clean set must pass both, a sabotaged one fail one
  const refused = {};
  for (const l of g.libs) {
    const c = spawnSync(opt.taskwrap, ['--check', '--abi', 'task-hook', orig[l.name], rw[l.name]], { encoding: 'utf8' });
    if (c.status !== 0) refused.check ??= `lib-${l.name}: ${c.stderr.trim().split('\n')[0]}`;
  }
  const cl = spawnSync(opt.taskwrap, ['--check-link', ...g.order.map((l) => `${l.name}=${rw[l.name]}`)], { encoding: 'utf8' });
  if (cl.status !== 0) refused.checkLink = `exit ${cl.status}: ${cl.stderr.trim().split('\n')[0]}`;
  if (!sabotage) {
    if (refused.check) add('check', `wasm-taskwrap --check refuses its own output: ${refused.check}`);
    if (refused.checkLink) add('check-link', `wasm-taskwrap --check-link refuses the rewritten set: ${refused.checkLink}`);
  }
  linkSet('b', rw);
  if (!linked.b) return { problems, applied, refused };

  const compB = readFileSync(linked.b);
  for (const p of outsideHookProblems(compB, names, T.print)) add('outside', p);
  const presentB = librariesIn(compB, names);
  if (show([...present].sort()) !== show([...presentB].sort())) add('link', `libraries in the component: (a) ${present.join(' ')}, (b) ${presentB.join(' ')}`);
  const byLib = fixupByLibrary(T.wt('print', linked.a).toString());
  const INIT = new Set(['_initialize', '__wasm_call_ctors']);
  for (const l of g.libs.filter((x) => present.includes(x.name))) {
    for (const d of compareLibrary(l.name, byLib, readFileSync(rw[l.name]))) {
      if (![...INIT].some((n) => d.startsWith(`${l.name}.${n}:`))) add('module', d);
    }
  }

  const host = g.imports.length ? T.componentOf('host', hostWat(g.imports), hostWorld(g.imports), 'host') : null;
  const driver = T.componentOf('driver', driverWat(g.exports, g.steps, 'trace'), driverWorld(g.exports), 'driver');
  const out = {};
  for (const what of ['a', 'b']) {
    const composed = T.compose(what, host, linked[what], driver, g.imports.map((f) => f.name), g.exports.map((f) => f.name));
    const list = T.drive(composed);
    out[what] = typeof list === 'string' ? list : records(list);
  }
  if (typeof out.a === 'string') { add('generator', `(a) does not run: ${out.a}`); return { problems, applied }; }
  // the hook codes in (a)'s logs (every other word is a marker, >= 1000,
  // and the digest after it)
  const codes = [];
  for (const rec of out.a) for (let i = 0; i < rec.trace.length; i++) if (rec.trace[i] >= 1000) i++; else codes.push(rec.trace[i]);
  if (!codes.length) add('harness', 'no hook code in (a)\'s logs');
  if (typeof out.b === 'string') { add('trace', `(b) does not run: ${out.b}`); return { problems, applied }; }
  const wantB = out.a.map((rec, i) => (i === 0 ? { ...rec, trace: perLibraryInit(rec.trace) } : rec));
  const cover = [`${g.libs.length} libraries`, g.hookLib === 'c' ? 'hook in c' : 'hook elsewhere'];
  if (g.libs.some((l) => l.dlOpenable)) cover.push('a --dl-openable library');
  if (g.libs.some((l) => l.exports.some((f) => f.async === 'yield'))) cover.push('an async export that yields');
  for (const v of codes) cover.push(`H${v}`);
  if (show(wantB[0]) !== show(out.a[0])) cover.push('initialisers of several libraries');
  const main = coreModules(compB).find((m) => m.name === 'main');
  if (main && parseImports(main.bytes).exports.some((e) => e.name === PRIVATE_HOOK)) cover.push('hook through main\'s table');
  for (let i = 0; i < Math.max(wantB.length, out.b.length); i++) {
    if (show(wantB[i]) !== show(out.b[i])) add('trace', `step ${i} ${g.steps[i]?.fn}: (a) ${show(out.a[i])}${i === 0 && show(out.a[0]) !== show(wantB[0]) ? ` (per library: ${show(wantB[0].trace)})` : ''}, (b) ${show(out.b[i])}`);
  }
  return { problems, applied, out, cover, refused };
}

const t0 = Date.now();
let seeds = 0, agreeing = 0, applicable = 0, caught = 0, steps = 0, refusedBy = 0;
const kinds = new Map();
const coverage = new Map();
for (let seed = opt.from; seed <= opt.to; seed++) {
  seeds++;
  const g = gen(seed);
  if (opt.show) console.log(`--- seed ${seed}: ${describe(g)}`);
  let clean;
  try { clean = runSet(g, null); } catch (e) { clean = { problems: [{ check: 'harness', detail: e.message.split('\n').slice(0, 3).join(' | ') }] }; }
  steps += clean.out?.a?.length ?? 0;
  for (const k of new Set(clean.cover ?? [])) coverage.set(k, (coverage.get(k) ?? 0) + 1);
  if (!opt.sabotage) {
    if (!clean.problems.length) agreeing++;
    for (const p of clean.problems) { if (!kinds.has(p.check)) kinds.set(p.check, { n: 0, seed }); kinds.get(p.check).n++; }
    if (clean.problems.length || opt.verbose) {
      console.log(`seed ${seed}: ${clean.problems.length ? `${clean.problems.length} problem(s)` : 'agrees'} (${describe(g)})`);
      for (const p of clean.problems.slice(0, 6)) console.log(`  ${p.check}: ${p.detail}`);
    }
    continue;
  }
  let sab;
  try { sab = runSet(g, opt.sabotage); } catch (e) { sab = { applied: 'harness error', problems: [{ check: 'harness', detail: e.message.split('\n')[0] }] }; }
  if (!sab.applied) { if (opt.verbose) console.log(`seed ${seed}: sabotage ${opt.sabotage} does not apply`); continue; }
  applicable++;
  const before = new Set(clean.problems.map(show));
  const fresh = sab.problems.filter((p) => !before.has(show(p)) && p.check !== 'harness');
  // wasm-taskwrap must refuse it too: a changed wrapper in --check, a
  // mismatched set in --check-link
  const verdict = opt.sabotage === 'hook-code' ? sab.refused?.check : sab.refused?.checkLink;
  if (verdict) refusedBy++;
  if (fresh.length && verdict) caught++;
  if (!fresh.length || !verdict || opt.verbose) {
    console.log(`seed ${seed}: sabotage ${opt.sabotage} (${sab.applied}) ${fresh.length && verdict ? 'caught' : 'NOT CAUGHT'}: ` +
      `the differential ${fresh.length ? 'fails' : 'passes'}; wasm-taskwrap ${verdict ? `refuses it: ${verdict}` : 'does not refuse it'}`);
    for (const p of fresh.slice(0, 3)) console.log(`  ${p.check}: ${p.detail.slice(0, 300)}`);
  }
}
const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (!opt.sabotage) {
  if (kinds.size) console.log(`problems by check: ${[...kinds].map(([k, v]) => `${k} ${v.n} (first seed ${v.seed})`).join(', ')}`);
  console.log(`coverage (seeds): ${[...coverage].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`dylink diff: seeds ${opt.from}..${opt.to}: ${agreeing} of ${seeds} agree, ${steps} steps run, ${secs} s (work dir ${work})`);
  console.log(`${agreeing} passed, ${seeds - agreeing} failed`);
  process.exit(agreeing === seeds ? 0 : 1);
} else {
  const ok = applicable > 0 && caught === applicable;
  console.log(`dylink diff --sabotage ${opt.sabotage}: seeds ${opt.from}..${opt.to}: caught ${caught} of ${applicable} sabotaged sets (${seeds - applicable} unaffected; wasm-taskwrap ${opt.sabotage === 'hook-code' ? '--check' : '--check-link'} refused ${refusedBy}), ${secs} s`);
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  process.exit(ok ? 0 : 1);
}
