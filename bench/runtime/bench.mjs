// Runtime cost of the task-hook wrappers in wasmtime (see README.md).
//
//   node bench.mjs --taskwrap BIN --wasm-tools BIN --wasmtime BIN --work DIR
//                  [--rounds N] [--target-ms MS] [--selfcheck-only]
//                  [--sabotage f-plus-2|wrapper-code|no-wrapper]
//                  [--jco-dir DIR | --no-v8] [--out FILE]
//
// Builds three variants of the subject component from subject.wat and
// wit/api.wit: a = the hooked module through `wasm-tools component new`
// (wit-component's fixup wrappers), b = wasm-taskwrap first, then
// `component new` (the wrappers inside the module), c = the module without
// the hook export (no wrappers). Each is composed with the driver
// (driver.wat) by `wasm-tools compose` and compiled by `wasmtime compile`
// for each flag set; the driver times its loop of calls inside the
// component with wasi:clocks/monotonic-clock.
//
// Every run starts with the self-check: the driver's probe() on every
// variant and flag set must return the expected values and hook trace, or
// the benchmark stops (exit 1). --selfcheck-only stops after it (exit 0).
// --sabotage builds variant b wrongly, so that the self-check must fail.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const t0 = Date.now();

// --- options --------------------------------------------------------------------
const opt = { rounds: 9, targetMs: 400, selfcheckOnly: false, sabotage: null, jcoDir: null, v8: true, out: null };
{
  const a = process.argv.slice(2);
  const take = (i) => { if (i + 1 >= a.length) usage(`${a[i]} needs a value`); return a[i + 1]; };
  for (let i = 0; i < a.length; i++) {
    switch (a[i]) {
      case '--taskwrap': opt.taskwrap = take(i++); break;
      case '--wasm-tools': opt.wasmTools = take(i++); break;
      case '--wasmtime': opt.wasmtime = take(i++); break;
      case '--work': opt.work = resolve(take(i++)); break;
      case '--rounds': opt.rounds = Number(take(i++)); break;
      case '--target-ms': opt.targetMs = Number(take(i++)); break;
      case '--selfcheck-only': opt.selfcheckOnly = true; break;
      case '--sabotage': opt.sabotage = take(i++); break;
      case '--jco-dir': opt.jcoDir = resolve(take(i++)); break;
      case '--no-v8': opt.v8 = false; break;
      case '--out': opt.out = resolve(take(i++)); break;
      default: usage(`unknown option ${a[i]}`);
    }
  }
  if (!opt.taskwrap || !opt.wasmTools || !opt.wasmtime || !opt.work) usage('--taskwrap, --wasm-tools, --wasmtime and --work are required');
  if (!(opt.rounds >= 1)) usage('--rounds must be at least 1');
  if (opt.sabotage && !['f-plus-2', 'wrapper-code', 'no-wrapper'].includes(opt.sabotage)) usage(`unknown sabotage ${opt.sabotage}`);
}
function usage(msg) {
  console.error(`bench.mjs: ${msg}\nusage: node bench.mjs --taskwrap BIN --wasm-tools BIN --wasmtime BIN --work DIR [--rounds N] [--target-ms MS] [--selfcheck-only] [--sabotage KIND] [--jco-dir DIR | --no-v8] [--out FILE]`);
  process.exit(2);
}
const log = (msg) => console.error(`runtime-bench: ${msg}`);
function die(msg) {
  console.error(`runtime-bench: FAIL: ${msg}`);
  process.exit(1);
}

// wasmtime prints a Rust backtrace with its errors when RUST_BACKTRACE is set
const env = { ...process.env, RUST_BACKTRACE: '0' };
function run(cmd, args) {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) die(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    const err = new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim().split('\n').slice(0, 4).join(' | ')}`);
    err.status = r.status;
    throw err;
  }
  return r.stdout;
}
const work = opt.work;
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const file = (...p) => join(work, ...p);

const VARIANTS = ['a', 'b', 'c'];
const FLAGS = {
  default: [],
  'inlining=y': ['-C', 'inlining=y'],
  'inlining=inter-module': ['-C', 'inlining=inter-module'],
};
const EXPORTS = ['f', 'g', 'h'];

// --- build ---------------------------------------------------------------------
// The subject's core modules: a (the hook exported), c (the line marked
// HOOK removed), b (a rewritten by wasm-taskwrap); each embedded with the
// world first, as the README's flow does.
function subjectSource() {
  let wat = readFileSync(join(here, 'subject.wat'), 'utf8');
  if (!/;; HOOK$/m.test(wat) || !/;; F-RESULT$/m.test(wat)) die('subject.wat: a HOOK or F-RESULT marker is missing');
  return wat;
}
function embed(wat, world, tag) {
  writeFileSync(file(`${tag}.wat`), wat);
  run(opt.wasmTools, ['parse', file(`${tag}.wat`), '-o', file(`${tag}.core.wasm`)]);
  run(opt.wasmTools, ['component', 'embed', join(here, 'wit'), '--world', world, file(`${tag}.core.wasm`), '-o', file(`${tag}.embed.wasm`)]);
  return file(`${tag}.embed.wasm`);
}
function rewrite(input, tag, args = []) {
  const out = file(`${tag}.embed.wasm`);
  const plan = JSON.parse(run(opt.taskwrap, [input, '-o', out, '--json', ...args]));
  return { path: out, plan };
}
// wrapper-code: f's wrapper (H(0); call f; H(1)) ends with H(4) instead of
// H(1): a finish reported as a block
function breakWrapper(path, plan) {
  const f = plan.exports.find((e) => e.name === 'bench:rt/api#f');
  const leb = (n) => { const o = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; o.push(b); } while (n); return o; };
  const body = Buffer.from([0x00, 0x41, 0x00, 0x10, ...leb(plan.hook), 0x20, 0x00, 0x10, ...leb(f.index), 0x41, 0x01, 0x10, ...leb(plan.hook), 0x0b]);
  const buf = readFileSync(path);
  const at = buf.indexOf(body);
  if (at < 0 || buf.indexOf(body, at + 1) >= 0) die(`sabotage: f's wrapper ${body.toString('hex')} not found exactly once`);
  buf[at + body.length - 2 - leb(plan.hook).length - 1] = 0x04;
  writeFileSync(path, buf);
}
function buildSubjects() {
  const wat = subjectSource();
  const a = embed(wat, 'subject', 'a');
  const c = embed(wat.replace(/^.*;; HOOK$/m, ''), 'subject', 'c');
  let b;
  if (opt.sabotage === 'f-plus-2') {
    // f returns x + 2 in b only
    const bad = wat.replace(/\(i32\.const 1\)\)\) ;; F-RESULT$/m, '(i32.const 2))) ;; F-RESULT');
    if (bad === wat) die('sabotage: the F-RESULT line has no (i32.const 1)');
    b = rewrite(embed(bad, 'subject', 'b-in'), 'b').path;
  } else if (opt.sabotage === 'no-wrapper') {
    b = rewrite(a, 'b', ['--exclude', 'bench:rt/api#f']).path;
  } else {
    const r = rewrite(a, 'b');
    if (opt.sabotage === 'wrapper-code') breakWrapper(r.path, r.plan);
    b = r.path;
  }
  const embedded = { a, b, c };
  const out = {};
  for (const v of VARIANTS) {
    // compose finds the definition component by its file name (kebab case)
    mkdirSync(file(v), { recursive: true });
    run(opt.wasmTools, ['component', 'new', embedded[v], '-o', file(v, 'subject.wasm')]);
    out[v] = { embedded: embedded[v], component: file(v, 'subject.wasm') };
  }
  return out;
}
function buildDriver() {
  const e = embed(readFileSync(join(here, 'driver.wat'), 'utf8'), 'driver', 'driver');
  run(opt.wasmTools, ['component', 'new', e, '-o', file('driver.wasm')]);
  return file('driver.wasm');
}

log(`building the variants in ${work}${opt.sabotage ? ` (sabotage: ${opt.sabotage})` : ''}`);
const subjects = buildSubjects();
const driver = buildDriver();
for (const v of VARIANTS) {
  subjects[v].composed = file(v, 'composed.wasm');
  run(opt.wasmTools, ['compose', '-q', driver, '-d', subjects[v].component, '-o', subjects[v].composed]);
}
// the fixup module: a has wrappers in it, b and c none
for (const v of VARIANTS) {
  const text = run(opt.wasmTools, ['print', subjects[v].component]);
  subjects[v].fixupWrappers = (text.match(/^\s*\(func \$"?hook-/gm) || []).length;
}

// --- compile -------------------------------------------------------------------
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
// wall ms of `wasmtime compile` (a process of its own) and its peak RSS in KiB
function compile(input, flags, output) {
  const args = ['compile', '-C', 'cache=n', ...flags, input, '-o', output];
  const rss = file('time.out');
  const s = process.hrtime.bigint();
  if (TIME) run(TIME, ['-f', '%M', '-o', rss, opt.wasmtime, ...args]);
  else run(opt.wasmtime, args);
  const ms = Number(process.hrtime.bigint() - s) / 1e6;
  return { ms, rssKiB: TIME ? Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) : NaN };
}
const cwasm = (v, fl) => file(v, `composed.${fl}.cwasm`);
for (const v of VARIANTS) for (const [fl, flags] of Object.entries(FLAGS)) compile(subjects[v].composed, flags, cwasm(v, fl));

// --- self-check ------------------------------------------------------------------
// probe() returns f(41), g(41)[0], the length of g(41), h(41), the hook
// counters of codes 0..13, then the subject's log (docs/abi.md, "Hook
// codes"; bodies 100 + n, the post-return 202, _initialize 106).
const COUNTS = (c) => Array.from({ length: 14 }, (_, i) => c[i] ?? 0);
const EXPECTED = {
  hooked: [42, 42, 1, 42, ...COUNTS({ 0: 3, 1: 2, 2: 1, 5: 1, 6: 1, 7: 1 }),
    6, 106, 7, 0, 101, 1, 0, 102, 202, 1, 2, 103, 5, 0],
  none: [42, 42, 1, 42, ...COUNTS({}), 106, 101, 102, 202, 103],
};
const invoke = (v, fl, call) => run(opt.wasmtime, ['run', '--allow-precompiled', ...FLAGS[fl], '--invoke', call, cwasm(v, fl)]).trim();
function selfCheck() {
  const problems = [];
  const wantWrappers = { a: 6, b: 0, c: 0 };
  for (const v of VARIANTS) {
    if (subjects[v].fixupWrappers !== wantWrappers[v]) problems.push(`variant ${v}: ${subjects[v].fixupWrappers} fixup wrappers, expected ${wantWrappers[v]}`);
  }
  for (const fl of Object.keys(FLAGS)) {
    for (const v of VARIANTS) {
      const want = `[${EXPECTED[v === 'c' ? 'none' : 'hooked'].join(', ')}]`;
      let got;
      try { got = invoke(v, fl, 'probe()'); } catch (e) { got = `error: ${e.message}`; }
      if (got !== want) problems.push(`variant ${v}, ${fl}: probe() = ${got}, expected ${want}`);
      // a tiny loop of each export too: every result is checked in the driver
      for (const x of EXPORTS) {
        try {
          const ns = invoke(v, fl, `run-${x}(100)`);
          if (!/^\d+$/.test(ns)) problems.push(`variant ${v}, ${fl}: run-${x}(100) printed ${ns}`);
        } catch (e) { problems.push(`variant ${v}, ${fl}: run-${x}(100): ${e.message}`); }
      }
    }
  }
  return problems;
}
log('self-check: probe() and run-f/g/h(100) on every variant and flag set');
const problems = selfCheck();
if (problems.length) {
  for (const p of problems) console.error(`runtime-bench: self-check: ${p}`);
  die(`self-check: ${problems.length} problem(s)`);
}
log(`self-check passed (${VARIANTS.length * Object.keys(FLAGS).length} probes)`);
if (opt.selfcheckOnly) {
  console.log(`runtime-bench: self-check passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(0);
}

// --- measure ---------------------------------------------------------------------
const machine = () => ({ load: loadavg().map((x) => x.toFixed(2)).join(' '), date: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
const start = machine();
const nsOf = (v, fl, x, n) => Number(invoke(v, fl, `run-${x}(${n})`));
// N per export and flag set: a run of variant a takes about --target-ms
const N = {};
const CAL = { f: 2_000_000, g: 1_000_000, h: 200_000 };
for (const x of EXPORTS) {
  for (const fl of Object.keys(FLAGS)) {
    const per = nsOf('a', fl, x, CAL[x]) / CAL[x];
    const n = Math.min(4e9, Math.max(1e4, (opt.targetMs * 1e6) / per));
    const p = 10 ** Math.floor(Math.log10(n) - 1);
    N[`${x}/${fl}`] = Math.round(n / p) * p;
  }
}
log(`calls per run: ${JSON.stringify(N)}`);
const samples = {}; // `${engine}/${x}/${fl}/${v}` -> ns per call
const comp = {}; // `${v}/${fl}` -> [{ms, rssKiB}]
const push = (m, k, val) => { (m[k] ||= []).push(val); };
for (let r = 0; r < opt.rounds; r++) {
  for (const x of EXPORTS) {
    for (const fl of Object.keys(FLAGS)) {
      const n = N[`${x}/${fl}`];
      for (const v of VARIANTS) push(samples, `wasmtime/${x}/${fl}/${v}`, nsOf(v, fl, x, n) / n);
    }
  }
  // compile time of the subject component alone, interleaved alike
  for (const fl of Object.keys(FLAGS)) for (const v of VARIANTS) push(comp, `${v}/${fl}`, compile(subjects[v].component, FLAGS[fl], file(v, `subject.${fl}.cwasm`)));
  log(`round ${r + 1}/${opt.rounds}: f default a/b/c ${VARIANTS.map((v) => samples[`wasmtime/f/default/${v}`][r].toFixed(2)).join(' / ')} ns/call`);
}

// --- V8 (Node.js): v8.mjs, in a process of its own ----------------------------------
let v8 = null;
if (opt.v8) {
  if (!opt.jcoDir) die('--jco-dir is required for the V8 figures (or --no-v8)');
  const args = [join(here, 'v8.mjs'), opt.jcoDir, file('v8'), String(opt.rounds), String(opt.targetMs),
    ...VARIANTS.flatMap((v) => [subjects[v].embedded, subjects[v].component])];
  log('V8: node v8.mjs');
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (r.status !== 0) die(`v8.mjs: exit ${r.status}`);
  v8 = JSON.parse(r.stdout.trim().split('\n').pop());
  for (const [k, list] of Object.entries(v8.samples)) samples[k] = list;
}
const end = machine();

// --- report ----------------------------------------------------------------------
const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8' }).trim(); } catch { return '?'; } };
// the checkout's commit, and whether the working tree differs from it
function commit() {
  const root = join(here, '..', '..');
  const head = sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  const dirty = sh('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no']);
  return dirty && dirty !== '?' ? `${head}, working tree modified` : head;
}
const cpuModel = (readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [, '?'])[1];
const size = (p) => statSync(p).size;
const md = report({
  samples, N, comp, flags: Object.keys(FLAGS), variants: VARIANTS, exports: EXPORTS, v8,
  sizes: Object.fromEntries(VARIANTS.map((v) => [v, {
    core: size(subjects[v].embedded), component: size(subjects[v].component),
    cwasm: Object.fromEntries(Object.keys(FLAGS).map((fl) => [fl, size(file(v, `subject.${fl}.cwasm`))])),
    composed: Object.fromEntries(Object.keys(FLAGS).map((fl) => [fl, size(cwasm(v, fl))])),
  }])),
  machine: {
    nproc: sh('nproc', []), cpu: cpuModel, cores: cpus().length, ramGiB: (totalmem() / 2 ** 30).toFixed(1),
    kernel: sh('uname', ['-r']), start, end, seconds: Math.round((Date.now() - t0) / 1000), rounds: opt.rounds,
  },
  tools: {
    wasmtime: sh(opt.wasmtime, ['--version']), wasmTools: sh(opt.wasmTools, ['--version']),
    taskwrap: `${sh(opt.taskwrap, ['--version']).split('\n')[0]} (${commit()})`, node: process.version, jco: v8 ? v8.jco : 'not run',
  },
});
if (opt.out) writeFileSync(opt.out, md);
console.log(md);
log(`done in ${Math.round((Date.now() - t0) / 1000)} s${opt.out ? `, written to ${opt.out}` : ''}`);
