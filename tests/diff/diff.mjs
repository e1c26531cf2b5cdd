/**
 * Differential test: wasm-taskwrap against wit-component (jco 1.35.0 =
 * wit-component 0.259.0), on random worlds and core modules.
 *
 *   node tests/diff/diff.mjs --seeds A..B [--sabotage KIND] [options]
 *     --seeds A..B        seeds A to B inclusive (or one seed N)
 *     --sabotage KIND     hook-code | drop-wrapper | extra-wrap | by-name (below)
 *     --taskwrap PATH     wasm-taskwrap (default: $TW_CLI)
 *     --rewriter oracle   rewrite with the reference rewriter instead (below):
 *                         the harness's own self-check, it must always agree
 *     --wat2wasm PATH     wabt's wat2wasm (default: $TW_WAT2WASM, else on PATH)
 *     --jco-dir DIR       a directory with node_modules/@bytecodealliance/jco
 *                         (default: $TW_E2E_DIR; tests/e2e's e2e-setup installs it)
 *     --work DIR          scratch directory (default: a fresh one under /tmp)
 *     --wasm-tools PATH --wasmtime PATH --native-seeds N
 *                         also componentize the first N seeds with wasm-tools
 *                         (wit-component 0.262) and run them in wasmtime;
 *                         what differs is reported, it does not fail the run
 *     --show              print each seed's WIT and WAT
 *     -v                  also list the seeds that agree (or that a sabotage
 *                         does not change) and every fresh disagreement
 *   Exit 0 when every seed agrees (with --sabotage: when every seed the
 *   sabotage applies to is caught), 1 otherwise, 2 on usage errors.
 *
 * THE GENERATOR (gen.mjs; a pure function of the seed, reproducible with
 * `--seeds N --show`). PRNG: mulberry32 on a splitmix32 scramble of the seed.
 * One world `w` in package `diff:gen`, its version drawn from none, 1.0.0,
 * 0.2.3, 0.0.4, 2.1.7, 1.0.0-rc.1, 0.3.0, 3.0.0+b7. It exports:
 *  - 0..4 world functions (1..4 when there is no interface) and always
 *    `get-trace: func() -> list<u32>`, which returns and clears the trace;
 *  - 0..2 inline interfaces (`export i-x: interface {...}`), 0..2 interfaces
 *    of the main package, and with p = 0.4 one interface of a nested package
 *    (`package other:p@V { interface ... }`, its own version);
 *  - each interface: 1..3 functions (inline) or 0..3 (package), and with
 *    p = 0.45 a resource with a constructor (p = 0.8), 0..2 methods (at
 *    least one without a constructor), a static function returning the
 *    resource (always when there is no constructor, else p = 0.4) and a
 *    destructor export (p = 0.75); never empty;
 *  - functions: 0..3 parameters of u32 s32 u64 s64 f32 f64 string (a
 *    constructor 0..2), a result of none (p = 2/8) u32 s32 u64 f32 f64
 *    string; with p = 0.3 a (non-resource) function is `async func` (at
 *    most 4 flat parameters); get-trace too has a random mangling and maybe
 *    a post-return, and is hooked like any other export;
 *  - rarely (p = 0.08) a world function `(code: u32)` exported as the very
 *    function `__wasm_task_hook` exports.
 * Core names: every export picks its mangling independently (p = 0.5 each),
 * so one module mixes both: legacy `f`, `IFACE#f` (IFACE = the inline name, or
 * `ns:pkg/iface@FULL-VERSION`), `[constructor]r`, `[method]r.m`,
 * `[static]r.s`; `[async-lift]X` with `[callback][async-lift]X`, or
 * `[async-lift-stackful]X`; `cabi_post_X`; `IFACE#[dtor]r`. Standard:
 * `cm32p2||f`, `cm32p2|IFACE|f` with IFACE canonicalised (the version cut to
 * 1, 0.2, 0.0.4, 2, 1.0.0-rc.1, 0.3, 3 respectively: wit-parser's
 * version_compat_track_string), `..._post`, `cm32p2|IFACE|r_dtor`,
 * `cm32p2_realloc`, `cm32p2_initialize`, `cm32p2_memory`. The cm32p2 mangling
 * has no async forms (validation.rs: Standard's async_lift_* return None), so
 * an `async func` in that mangling is lifted synchronously (wit-component
 * accepts it). A post-return (p = 0.35 for each sync lift) picks its own
 * mangling: `cabi_post_f` is the post-return of `cm32p2||f` and
 * `cm32p2||f_post` that of `f` (both accepted by 0.259). Callback-style async
 * exports return EXIT (0) after `task.return` at once, or YIELD (1) 1 or 2
 * times, the callback returning EXIT after `task.return`; stackful ones call
 * `task.return` and return; nothing ever waits, so Node 20 (no JSPI) runs
 * them with a synchronous stand-in for WebAssembly.promising.
 * Realloc: one of cabi_realloc, cm32p2_realloc, canonical_abi_realloc, plus
 * (p = 0.15 each) a second of those, cabi_export_realloc, cabi_import_realloc.
 * Initialize: none (p = 0.4), `_initialize` or `cm32p2_initialize`, rarely both.
 * Sharing: a sync function may reuse the core function of an earlier one
 * with the same WIT signature (one core function lifted under two names),
 * post-returns and destructors of the same core type share one function, a
 * second realloc may be the first one's function.
 * Unlifted exports: 1..4 of malloc, free, helper, cabi_post_notinworld,
 * cm32p2||not-lifted(_post), [async-lift]not-lifted and its callback,
 * [async-lift-stackful]not-lifted, wasi_thread_start, _start,
 * __internal_helper, cabi_realloc_adapter, IFACE#not-lifted,
 * cm32p2|IFACE|not-lifted, IFACE#[dtor]not-a-resource,
 * cm32p2|IFACE|not-a-resource_dtor, cabi_post_<lifted>-not, and a lifted
 * interface function spelled again with the other mangling's version
 * (`cm32p2|ns:pkg/i@1.0.0|f`, `ns:pkg/i@1#f`: cm32p2 names match only the
 * canonical form, legacy ones only the world key); each with a function of
 * its own or (p = 0.35) that of an export of the same type (the hook's
 * included). Non-function exports: the memory, maybe a global
 * (`__stack_pointer`, `g-extra`, `cm32p2||ghost`) and a table
 * (`__indirect_function_table`, `tbl`). Exports appear in a shuffled order.
 * What wit-component 0.259 refuses is not generated: two exports for one
 * WIT function (it panics: encoding.rs "assertion failed: prev.is_none()"),
 * two memories, an async lift without its callback.
 * Bodies: the hook appends its code to a log in linear memory; every other
 * function appends its marker (100 + its index) and a digest of its
 * parameters (strings by length and byte sum), then returns a value computed
 * from the digest (strings: a constant). Calls from the canonical ABI's
 * realloc and post-return may not leave the instance, hence the log in memory.
 * Calls: every world and interface function 1..2 times with random
 * arguments, every resource made 1..2 times (constructor or static), its
 * methods called, usually disposed; interleaved at random; each step is
 * followed by a call of get-trace.
 *
 * THE CHECKS, per seed. The module is embedded once (componentEmbed), then
 * (a) componentNew of the embedded module (wit-component's own hooks) and
 * (b) componentNew of wasm-taskwrap's rewrite of the embedded module:
 *  plan:     the exports of wasm-taskwrap's --json plan with hooks equal, name
 *            for name and code for code, the hook calls of (a)'s
 *            wit-component-fixup wrappers (including the start function's);
 *  module:   the rewritten module itself: each export's function calls the
 *            hook with exactly (a)'s codes for that name (none for names (a)
 *            does not wrap) and calls the export's original function;
 *  fixup-b:  (b)'s fixup module has no hook wrapper and no hook import;
 *  check:    `wasm-taskwrap --check` accepts its own output;
 *  trace:    both components, transpiled by jco and run in Node, give the
 *            same trace and the same result or error for every step.
 * With --sabotage, each seed also runs with a sabotaged rewriter and is
 * caught when the sabotaged run reports a disagreement the clean run does
 * not: hook-code changes one hook code byte in one wrapper, drop-wrapper
 * re-points one wrapped export back at its original function, extra-wrap
 * wraps one unlifted export (H(0); call f; H(1)), by-name rewrites the module
 * without its component-type sections (name-only decisions) and puts them
 * back. Victims are drawn from the seed: for hook-code and drop-wrapper among
 * the exports wit-component wraps too (dropping a wrapper it does not have
 * would be a fix), for extra-wrap among the unlifted exports left unwrapped.
 * A seed the sabotage cannot change is not counted; at least one must be.
 * by-name changes nothing while wasm-taskwrap decides by name alone, so it
 * fails until wasm-taskwrap reads the world.
 *
 * THE ORACLE (--rewriter oracle) puts the wrappers of (a)'s fixup module,
 * code for code, into the module itself (wasmbin.mjs, oracleRewrite) and
 * removes the hook export: what wasm-taskwrap should do. Every check must
 * pass with it, so a disagreement the harness reports is never the harness's.
 *
 * REPORT: every disagreement with the export, its category (what the
 * generator made it: role/where/mangling/post-return/sharing), and both
 * sides' hook codes; then the kinds with a count and the first seed; trace
 * differences in a seed that also has an export-level disagreement are
 * counted apart, as its consequences.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gen, prng } from './gen.mjs';
import { parseModule, hookCallsOf, bodyOps, stripCustom, appendSections, repointExport, patchByte, addSyncWrapper, oracleRewrite } from './wasmbin.mjs';
import { fixupHooks } from '../common/fixup.mjs';

// --- arguments ------------------------------------------------------------------
const argv = process.argv.slice(2);
const opt = { taskwrap: process.env.TW_CLI, wat2wasm: process.env.TW_WAT2WASM || 'wat2wasm', jcoDir: process.env.TW_E2E_DIR, nativeSeeds: 0 };
const usage = (m) => { console.error(`diff.mjs: ${m}\nusage: node diff.mjs --seeds A..B [--sabotage hook-code|drop-wrapper|extra-wrap|by-name] [--taskwrap P] [--rewriter oracle] [--wat2wasm P] [--jco-dir D] [--work D] [--wasm-tools P --wasmtime P --native-seeds N] [--show] [-v]`); process.exit(2); };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i], v = () => { if (i + 1 >= argv.length) usage(`${a} needs a value`); return argv[++i]; };
  if (a === '--seeds') {
    const m = v().match(/^(\d+)(?:\.\.(\d+))?$/);
    if (!m) usage('--seeds takes A..B or N');
    opt.from = Number(m[1]); opt.to = Number(m[2] ?? m[1]);
  } else if (a === '--sabotage') opt.sabotage = v();
  else if (a === '--taskwrap') opt.taskwrap = v();
  else if (a === '--rewriter') { opt.rewriter = v(); if (!['taskwrap', 'oracle'].includes(opt.rewriter)) usage('--rewriter is taskwrap or oracle'); }
  else if (a === '--wat2wasm') opt.wat2wasm = v();
  else if (a === '--jco-dir') opt.jcoDir = v();
  else if (a === '--work') opt.work = v();
  else if (a === '--wasm-tools') opt.wasmTools = v();
  else if (a === '--wasmtime') opt.wasmtime = v();
  else if (a === '--native-seeds') opt.nativeSeeds = Number(v());
  else if (a === '--show') opt.show = true;
  else if (a === '-v') opt.verbose = true;
  else usage(`unknown argument ${a}`);
}
if (opt.from === undefined) usage('--seeds is required');
if (!opt.taskwrap) usage('--taskwrap (or TW_CLI) is required');
if (!opt.jcoDir) usage('--jco-dir (or TW_E2E_DIR) is required');
const SABOTAGES = ['hook-code', 'drop-wrapper', 'extra-wrap', 'by-name'];
if (opt.sabotage && !SABOTAGES.includes(opt.sabotage)) usage(`unknown sabotage ${opt.sabotage}`);
if (opt.rewriter === 'oracle' && opt.sabotage === 'by-name') usage('by-name sabotages wasm-taskwrap, not the oracle');
const work = resolve(opt.work ?? mkdtempSync(join(tmpdir(), 'tw-diff-')));
mkdirSync(work, { recursive: true });

let jco;
try {
  const req = createRequire(join(resolve(opt.jcoDir), 'x.js'));
  const p = req.resolve('@bytecodealliance/jco');
  jco = await import(pathToFileURL(p).href);
  const ver = JSON.parse(readFileSync(join(p, '../../package.json'), 'utf8')).version;
  if (ver !== '1.35.0') { console.error(`diff.mjs: jco ${ver}, expected 1.35.0`); process.exit(1); }
} catch (e) {
  console.error(`diff.mjs: @bytecodealliance/jco not found from ${opt.jcoDir}: ${e.message}`);
  process.exit(1);
}
// Node 20 has no JSPI; jco wraps every async-lifted entry in
// WebAssembly.promising. No generated export ever suspends, so "call and
// return a promise of the result" is exact here.
if (typeof WebAssembly.promising !== 'function') {
  WebAssembly.promising = (f) => (...args) => new Promise((ok) => ok(f(...args)));
}
const dispose = Symbol.dispose ?? Symbol.for('dispose');
const show = (x) => JSON.stringify(x, (k, v) => (typeof v === 'bigint' ? `${v}n` : v));

// --- running a component ---------------------------------------------------------------
async function load(dir, component) {
  const { files } = await jco.transpile(component, { name: 'component', noTypescript: true });
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return import(pathToFileURL(join(dir, 'component.js')).href);
}
class HarnessError extends Error {}
const resolvePath = (m, path) => path.reduce((o, k) => {
  const x = o?.[k];
  if (x === undefined) throw new HarnessError(`no JS binding ${path.join('.')}`);
  return x;
}, m);
const ser = (v) => (v === undefined ? 'ok' : typeof v === 'object' && v !== null && !Array.isArray(v) ? 'resource' : `= ${show(v)}`);
async function runSteps(m, steps, traceFn) {
  const out = [];
  const trace = () => { try { return Array.from(traceFn()); } catch (e) { return [`trace error: ${e.message}`]; } };
  out.push({ label: 'instantiate', outcome: 'ok', trace: trace() });
  const state = {};
  for (const s of steps) {
    let outcome;
    try {
      let r;
      if (s.op === 'call') r = resolvePath(m, s.path)(...s.args);
      else if (s.op === 'new') { const C = resolvePath(m, s.path); r = new C(...s.args); }
      else if (s.op === 'method') {
        const o = state[s.obj];
        if (!o) throw new HarnessError(`no object ${s.obj}`);
        if (typeof o[s.name] !== 'function') throw new HarnessError(`no method ${s.name}`);
        r = o[s.name](...s.args);
      } else if (s.op === 'dispose') { const o = state[s.obj]; if (!o) throw new HarnessError(`no object ${s.obj}`); r = o[dispose](); }
      if (r instanceof Promise) r = await r;
      if (s.save) state[s.save] = r;
      outcome = ser(r);
    } catch (e) {
      if (e instanceof HarnessError) throw e;
      outcome = `error: ${e.message}`;
    }
    out.push({ label: s.label, outcome, trace: trace() });
  }
  return out;
}
// jco 1.35.0: an async stackful export that calls task.return (as it must)
// makes jco resolve the task twice and reject with "is already resolved".
const JCO_STACKFUL_BUG = /task \[\d+\] +is already resolved/;

// Trace for humans: H<code> for hook codes, f<marker>(digest) for bodies.
function render(t) {
  const out = [];
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (typeof v !== 'number') out.push(String(v));
    else if (v < 100) out.push(`H${v}`);
    else if (v < 1000 && i + 1 < t.length) { out.push(`f${v}(${(t[i + 1] >>> 0).toString(16)})`); i++; }
    else out.push(String(v));
  }
  return out.join(' ');
}

// --- wasm-tools and wasmtime (informational) ------------------------------------------------
function native(seed, g, dir, fixA, rwFrom) {
  const notes = [];
  const run = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 60000 });
  const wt = (args) => { const r = run(opt.wasmTools, args); if (r.status !== 0) throw new Error(`wasm-tools ${args.join(' ')}: ${r.stderr.trim()}`); return r.stdout; };
  try {
    wt(['component', 'embed', '--world', 'w', join(dir, 'w.wit'), join(dir, 'orig.wasm'), '-o', join(dir, 'emb.wt.wasm')]);
    wt(['component', 'new', join(dir, 'emb.wt.wasm'), '-o', join(dir, 'a.wt.wasm')]);
    execFileSync(opt.taskwrap, [join(dir, 'emb.wt.wasm'), '-o', join(dir, 'rw.wt.wasm')]);
    wt(['component', 'new', join(dir, 'rw.wt.wasm'), '-o', join(dir, 'b.wt.wasm')]);
    const fa = fixupHooks(wt(['print', join(dir, 'a.wt.wasm')]));
    const fb = fixupHooks(wt(['print', join(dir, 'b.wt.wasm')]));
    const names = new Set([...fa.result.keys(), ...fixA.keys()]);
    for (const n of names) {
      const x = show(fa.result.get(n) ?? null), y = show(fixA.get(n) ?? null);
      if (x !== y) notes.push(`wit-component 0.262 wraps ${n} with ${x}, 0.259 with ${y}`);
    }
    if (fb.wrappers || fb.hookImported) notes.push(`wasm-tools: the rewritten module's fixup still has ${fb.wrappers} hook wrappers`);
    // wasmtime: one instance per invocation, so only get-trace right after
    // instantiation (the initialize hooks) and the world functions' results
    const wflags = ['-W', 'component-model-async=y,component-model-async-stackful=y'];
    const inv = (comp, call) => {
      const r = run(opt.wasmtime, ['run', ...wflags, '--invoke', call, comp]);
      return `${r.status} ${r.stdout.trim()} ${r.status ? r.stderr.trim().split('\n').slice(0, 3).join(' | ').replaceAll(comp, 'COMPONENT') : ''}`;
    };
    const calls = [`${g.traceExport.replace(/^cm32p2\|\|/, '')}()`];
    const wave = (v) => (typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? v.toString() : String(v));
    for (const s of g.steps) if (s.op === 'call' && s.world && !s.await) calls.push(`${s.world}(${s.args.map(wave).join(', ')})`);
    let same = 0;
    for (const c of calls) {
      const x = inv(join(dir, 'a.wt.wasm'), c), y = inv(join(dir, 'b.wt.wasm'), c);
      if (x !== y) notes.push(`wasmtime ${c}: original "${x}", rewritten "${y}"`);
      else same++;
      if (c === calls[0]) notes.push(`wasmtime instantiation trace: ${x}`);
    }
    notes.push(`wasmtime: ${same} of ${calls.length} invocations agree`);
  } catch (e) {
    notes.push(`native: ${e.message.split('\n')[0]}`);
  }
  return notes;
}

// --- one seed ---------------------------------------------------------------------------
async function runSeed(seed, sabotage) {
  const g = gen(seed);
  const dir = join(work, `seed-${seed}${sabotage ? `-${sabotage}` : ''}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'w.wit'), g.wit);
  writeFileSync(join(dir, 'm.wat'), g.wat);
  if (opt.show && !sabotage) console.log(`--- seed ${seed}: w.wit\n${g.wit}--- m.wat\n${g.wat}`);
  const catByName = new Map(g.exports.map((e) => [e.name, e.category]));
  const cat = (n) => catByName.get(n) ?? (g.others.some((o) => o.name === n) ? 'non-func' : '?');
  const dis = []; // disagreements
  const add = (d) => dis.push(d);

  execFileSync(opt.wat2wasm, [join(dir, 'm.wat'), '-o', join(dir, 'orig.wasm')]);
  const orig = readFileSync(join(dir, 'orig.wasm'));
  let embedded, compA;
  try {
    embedded = Buffer.from(await jco.componentEmbed({ binary: orig, witSource: g.wit, world: g.world }));
    compA = await jco.componentNew(embedded);
  } catch (e) {
    add({ check: 'generator', detail: `wit-component refused the original: ${String(e.message ?? e).split('\n')[0]}` });
    return { seed, g, dis };
  }
  writeFileSync(join(dir, 'emb.wasm'), embedded);
  const watA = await jco.print(compA);
  const fixA = fixupHooks(watA).result;

  // (b): wasm-taskwrap on the embedded module (its component-type section included)
  let twIn = join(dir, 'emb.wasm');
  let stripped = null;
  if (sabotage === 'by-name') {
    stripped = stripCustom(embedded, 'component-type');
    twIn = join(dir, 'emb.noworld.wasm');
    writeFileSync(twIn, stripped.module);
  }
  let plan, rw;
  if (opt.rewriter === 'oracle') {
    const hookAt = parseModule(embedded).exports.find((e) => e.name === '__wasm_task_hook').index;
    rw = oracleRewrite(embedded, [...fixA].map(([name, codes]) => ({ name, codes })), hookAt);
    plan = { exports: [...fixA].map(([name, hooks]) => ({ name, hooks })) };
  } else try {
    plan = JSON.parse(execFileSync(opt.taskwrap, [twIn, '-o', join(dir, 'rw.wasm'), '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    rw = readFileSync(join(dir, 'rw.wasm'));
  } catch (e) {
    add({ check: 'taskwrap', detail: `wasm-taskwrap failed: ${(e.stderr || e.message).toString().trim().split('\n')[0]}` });
    return { seed, g, dis };
  }
  if (stripped) rw = appendSections(rw, stripped.removed);

  const embM = parseModule(embedded);
  const hook = embM.exports.find((e) => e.name === '__wasm_task_hook' && e.kind === 0).index;
  const origIdx = new Map(embM.exports.filter((e) => e.kind === 0).map((e) => [e.name, e.index]));
  let applied = sabotage ? false : null;
  if (sabotage && sabotage !== 'by-name') {
    const r = prng(seed ^ 0x5ab07a9e);
    const m = parseModule(rw);
    // victims: wrappers of exports wit-component wraps too (dropping a
    // wrapper wit-component does not have would be a fix, not a sabotage)
    const wrapped = m.exports.filter((e) => e.kind === 0 && e.index >= embM.funcCount && fixA.has(e.name));
    if (sabotage === 'hook-code' && wrapped.length) {
      const victim = r.pick(wrapped);
      const ops = bodyOps(rw, m.bodies[victim.index - m.funcImports]);
      const k = ops.findIndex((o, i) => o.op === 'i32.const' && o.v >= 0 && o.v <= 13 && ops[i + 1]?.op === 'call' && ops[i + 1].v === hook);
      if (k >= 0) {
        const v = ops[k].v;
        rw = patchByte(rw, ops[k].at, (v + 1 + r.int(0, 12)) % 14);
        applied = `code ${v} of ${victim.name}`;
      }
    } else if (sabotage === 'drop-wrapper' && wrapped.length) {
      const victim = r.pick(wrapped);
      rw = repointExport(rw, victim.name, origIdx.get(victim.name));
      applied = `export ${victim.name} re-pointed at its original function`;
    } else if (sabotage === 'extra-wrap') {
      const unwrapped = m.exports.filter((e) => e.kind === 0 && e.index < embM.funcCount && e.index >= m.funcImports && !fixA.has(e.name));
      const pref = unwrapped.filter((e) => g.extras.includes(e.name));
      const pool = pref.length ? pref : unwrapped;
      if (pool.length) {
        const victim = r.pick(pool);
        rw = addSyncWrapper(rw, victim.name, victim.index, hook);
        applied = `export ${victim.name} wrapped`;
      }
    }
  }
  writeFileSync(join(dir, 'rw.final.wasm'), rw);
  // wasm-taskwrap's own verifier: it accepts its output, and (reported with
  // --sabotage) refuses the sabotaged one
  let checkRefused = null;
  if (opt.rewriter !== 'oracle') {
    const r = spawnSync(opt.taskwrap, ['--check', twIn, join(dir, 'rw.final.wasm')], { encoding: 'utf8' });
    checkRefused = r.status !== 0;
    if (!sabotage && r.status !== 0) add({ check: 'check', detail: `wasm-taskwrap --check refuses its own output: ${r.stderr.trim().split('\n')[0]}` });
  }

  // check "plan": the wrapped exports of the plan against (a)'s fixup
  const planHooks = new Map(plan.exports.filter((e) => e.hooks !== null).map((e) => [e.name, e.hooks]));
  for (const n of new Set([...fixA.keys(), ...planHooks.keys()])) {
    const a = fixA.get(n) ?? null, b = planHooks.get(n) ?? null;
    if (show(a) !== show(b)) add({ check: 'plan', export: n, category: cat(n), witc: a, taskwrap: b });
  }
  // check "module": the rewritten module's own hook calls, export by export
  const rwM = parseModule(rw);
  const rwNames = new Set();
  for (const e of rwM.exports) {
    rwNames.add(e.name);
    if (e.kind !== 0) continue;
    const { codes, callees } = hookCallsOf(rw, rwM, e.index, hook);
    const want = fixA.get(e.name) ?? [];
    if (show(codes) !== show(want)) add({ check: 'module', export: e.name, category: cat(e.name), witc: want.length ? want : null, taskwrap: codes.length ? codes : null });
    else if (codes.length && (callees.length !== 1 || callees[0] !== origIdx.get(e.name))) add({ check: 'module', export: e.name, category: cat(e.name), detail: `wrapper calls ${show(callees)}, the export's function is ${origIdx.get(e.name)}` });
  }
  for (const e of embM.exports) if (e.name !== '__wasm_task_hook' && !rwNames.has(e.name)) add({ check: 'module', export: e.name, category: cat(e.name), detail: 'export missing from the rewritten module' });

  let compB;
  try {
    compB = await jco.componentNew(rw);
  } catch (e) {
    add({ check: 'componentNew-b', detail: String(e.message ?? e).split('\n')[0] });
    return { seed, g, dis, applied, checkRefused };
  }
  const watB = await jco.print(compB);
  const fb = fixupHooks(watB);
  if (fb.wrappers || fb.hookImported || watB.includes('"__wasm_task_hook"')) {
    add({ check: 'fixup-b', detail: `the rewritten module's component still has ${fb.wrappers} hook wrappers (${[...fb.result.keys()].join(', ')})` });
  }

  // check "trace": run both
  let ta, tb;
  try {
    const ma = await load(join(dir, 'a'), compA);
    const mb = await load(join(dir, 'b'), compB);
    const tname = g.traceExport.replace(/^cm32p2\|\|/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    ta = await runSteps(ma, g.steps, ma[tname]);
    tb = await runSteps(mb, g.steps, mb[tname]);
  } catch (e) {
    add({ check: 'harness', detail: `${e instanceof HarnessError ? '' : 'while running: '}${e.message}` });
    return { seed, g, dis, applied, checkRefused };
  }
  // not vacuous: wit-component's hooks show in the original's trace
  const codesSeen = [];
  for (const { trace: t } of ta) {
    for (let i = 0; i < t.length; i++) {
      if (t[i] >= 100 && t[i] < 1000) i++; // a marker and its digest
      else if (t[i] <= 13) codesSeen.push(t[i]);
    }
  }
  if (!codesSeen.length) add({ check: 'harness', detail: 'no hook code in the original component\'s trace' });
  for (let i = 0; i < ta.length; i++) {
    const a = ta[i], b = tb[i];
    const label = a.label;
    const exportName = label.replace(/ \(again\)$/, '');
    if (a.outcome.startsWith('error') && !JCO_STACKFUL_BUG.test(a.outcome)) add({ check: 'harness', detail: `step ${label} fails in the original: ${a.outcome}` });
    if (show(a.trace) !== show(b.trace) || a.outcome !== b.outcome) {
      add({ check: 'trace', export: label, category: label === 'instantiate' ? 'instantiate' : cat(exportName) !== '?' ? cat(exportName) : label.split(' ')[0],
        detail: `original ${render(a.trace)} [${a.outcome}] / rewritten ${render(b.trace)} [${b.outcome}]` });
    }
  }
  const nativeNotes = !sabotage && seed - opt.from < opt.nativeSeeds && opt.wasmTools && opt.wasmtime ? native(seed, g, dir, fixA) : [];
  return { seed, g, dis, applied, fixA, plan, ta, nativeNotes, codesSeen, checkRefused };
}

// --- main --------------------------------------------------------------------------------
// a kind of disagreement: the check, the export's category (versions
// folded), and what each side does
const key = (d) => {
  const c = d.category ? ` [${d.category.replace(/pkg-iface@[^/]*/, 'pkg-iface@V')}]` : '';
  return d.witc !== undefined || d.taskwrap !== undefined
    ? `${d.check}${c} wit-component ${show(d.witc ?? null)}, wasm-taskwrap ${show(d.taskwrap ?? null)}`
    : `${d.check}${c}`;
};
const coverage = new Map();
const cover = (k) => coverage.set(k, (coverage.get(k) ?? 0) + 1);
const full = (d) => `${d.check} ${d.export ?? ''} ${show(d.witc ?? null)} ${show(d.taskwrap ?? null)} ${d.detail ?? ''}`;
const kinds = new Map();
const t0 = Date.now();
let seeds = 0, agreeing = 0, applicable = 0, caught = 0, steps = 0, checkCaught = 0;
const nativeAll = [];
for (let seed = opt.from; seed <= opt.to; seed++) {
  seeds++;
  const clean = await runSeed(seed, null);
  steps += clean.ta?.length ?? 0;
  for (const c of new Set((clean.codesSeen ?? []).map(String))) cover(`H${c}`);
  for (const e of clean.g.exports) cover(e.category.split('/')[0].replace(/^extra:.*/, 'unlifted'));
  if (clean.nativeNotes?.length) nativeAll.push(...clean.nativeNotes.map((n) => `seed ${seed}: ${n}`));
  if (!opt.sabotage) {
    if (!clean.dis.length) agreeing++;
    // for the summary: a plan and a module disagreement about the same export
    // with the same codes count once; trace differences count as their own
    // kind only in seeds where no export disagrees (elsewhere they follow)
    const same = (a, b) => a.export === b.export && show(a.witc) === show(b.witc) && show(a.taskwrap) === show(b.taskwrap);
    const exportLevel = clean.dis.some((d) => d.check === 'plan' || d.check === 'module');
    const summary = [];
    for (const d of clean.dis) {
      if (d.check === 'module' && d.witc !== undefined && clean.dis.some((p) => p.check === 'plan' && same(p, d))) continue;
      if (d.check === 'plan' && clean.dis.some((m) => m.check === 'module' && same(m, d))) summary.push({ ...d, check: 'plan+module' });
      else if (d.check === 'trace' && exportLevel) summary.push({ check: 'trace (follows from an export disagreement of the same seed)', export: d.export, detail: d.detail });
      else summary.push(d);
    }
    for (const d of summary) {
      const k = key(d);
      if (!kinds.has(k)) kinds.set(k, { n: 0, seed, d });
      kinds.get(k).n++;
    }
    if (clean.dis.length || opt.verbose) {
      console.log(`seed ${seed}: ${clean.dis.length ? `${clean.dis.length} disagreement(s)` : 'agrees'} (${clean.g.exports.length} function exports, ${clean.g.steps.length} steps)`);
      for (const d of clean.dis) console.log(`  ${d.check} ${d.export ?? ''}${d.category ? ` [${d.category}]` : ''}${d.witc !== undefined || d.taskwrap !== undefined ? `: wit-component ${show(d.witc ?? null)}, wasm-taskwrap ${show(d.taskwrap ?? null)}` : ''}${d.detail ? `: ${d.detail}` : ''}`);
    }
    continue;
  }
  const sab = await runSeed(seed, opt.sabotage);
  let changed;
  if (opt.sabotage === 'by-name') {
    changed = Buffer.compare(readFileSync(join(work, `seed-${seed}`, 'rw.final.wasm')), readFileSync(join(work, `seed-${seed}-by-name`, 'rw.final.wasm'))) !== 0;
    if (changed) sab.applied = 'rewritten without the world';
  } else changed = !!sab.applied;
  if (!changed) { if (opt.verbose) console.log(`seed ${seed}: sabotage ${opt.sabotage} does not apply`); continue; }
  applicable++;
  if (sab.checkRefused) checkCaught++;
  const before = new Set(clean.dis.map(full));
  const fresh = sab.dis.filter((d) => !before.has(full(d)));
  if (fresh.length) caught++;
  if (!fresh.length || opt.verbose) {
    console.log(`seed ${seed}: sabotage ${opt.sabotage} (${sab.applied}) ${fresh.length ? 'caught' : 'NOT CAUGHT'}`);
    for (const d of fresh.slice(0, 4)) console.log(`  ${d.check} ${d.export ?? ''}: ${d.detail ?? `wit-component ${show(d.witc ?? null)}, wasm-taskwrap ${show(d.taskwrap ?? null)}`}`);
  }
}
const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (nativeAll.length) {
  console.log('wasm-tools 1.262 / wasmtime 49:');
  for (const n of nativeAll) console.log(`  ${n}`);
}
if (!opt.sabotage) {
  if (kinds.size) {
    console.log(`disagreements by kind (${kinds.size}):`);
    for (const [k, v] of [...kinds].sort((a, b) => b[1].n - a[1].n)) console.log(`  ${v.n} x ${k}  e.g. seed ${v.seed} ${v.d.export ?? ''}${v.d.detail ? `: ${v.d.detail.slice(0, 200)}` : ''}`);
  }
  console.log(`coverage (seeds with each hook code in the original's trace; exports by role): ${[...coverage].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`diff: seeds ${opt.from}..${opt.to}: ${agreeing} of ${seeds} agree, ${steps} steps run, ${secs} s (work dir ${work})`);
  console.log(`${agreeing} passed, ${seeds - agreeing} failed`);
  process.exit(agreeing === seeds ? 0 : 1);
} else {
  const ok = applicable > 0 && caught === applicable;
  console.log(`diff --sabotage ${opt.sabotage}: seeds ${opt.from}..${opt.to}: caught ${caught} of ${applicable} sabotaged seeds (${seeds - applicable} unaffected), ${secs} s`);
  if (opt.rewriter !== 'oracle') console.log(`  (wasm-taskwrap --check refused ${checkCaught} of the ${applicable} sabotaged outputs)`);
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  process.exit(ok ? 0 : 1);
}
