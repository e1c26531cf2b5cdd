// consumers-cstack: tests/cstack's point under wasmtime with the task-hook
// ABI. cstack.c is a clang-built reactor whose __wasm_task_hook gives every
// task a stack of its own (allocated at a start or resume code, freed at a
// block or finish code, as wasi-libc does). After wasm-taskwrap, every task
// -- sync with realloc and post-return, callback-style blocking and resuming
// twice (a yield, then a wait on a future it writes itself), stackful,
// _initialize -- must start exactly at the top of the stack its start hook
// has just allocated, and the log must equal, word for word, the one of the
// component wit-component hooks itself.
//
//   node cstack.mjs TASKWRAP CLANG WASM_LD WASM_TOOLS WASMTIME WORKDIR
//
// Self-checks: the same analysis must reject a rewrite without any
// wrapper (`--only` matching nothing: no task gets a stack) and one whose
// callback wrapper lost its resume hook (H(3) replaced by nops in the output).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModule } from '../wasm.mjs';

const [taskwrap, clang, wasmLd, wasmTools, wasmtime, workArg] = process.argv.slice(2);
if (!workArg) {
  console.error('usage: node cstack.mjs TASKWRAP CLANG WASM_LD WASM_TOOLS WASMTIME WORKDIR');
  process.exit(2);
}
const t0 = Date.now();
const here = dirname(fileURLToPath(import.meta.url));
const work = resolve(workArg);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const file = (...p) => join(work, ...p);

let passed = 0;
const failures = [];
const check = (cond, msg) => {
  if (cond) passed++;
  else { failures.push(msg); console.log(`FAIL ${msg}`); }
  return cond;
};
const show = (v) => JSON.stringify(v);
const env = { ...process.env, RUST_BACKTRACE: '0' };
function run(cmd, args) {
  try {
    return execFileSync(cmd, args, { cwd: work, env, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    const err = new Error(`${cmd} ${args.join(' ')}: exit ${e.status}\n${e.stderr}`);
    err.stderr = String(e.stderr);
    throw err;
  }
}

// --- build -------------------------------------------------------------------
// -O2 -c, then a link without -O (clang 14 would run wasm-opt on the link);
// -nostartfiles: cstack.c has its own _initialize; malloc comes from wasi-libc
// and imports nothing from WASI, so no adapter is needed.
const cc = (...args) => run(clang, ['--target=wasm32-wasi', ...args]);
cc('-O2', '-std=c11', '-Wall', '-Wextra', '-Werror', '-I', here, '-c', join(here, 'cstack.c'), '-o', file('cstack.o'));
cc('-I', here, '-c', join(here, 'hook.S'), '-o', file('hook.o'));
cc(`-fuse-ld=${wasmLd}`, '-nostartfiles', '-Wl,--no-entry', file('cstack.o'), file('hook.o'), '-o', file('cstack.wasm'));
const core = parseModule(readFileSync(file('cstack.wasm')));
check(!core.imports.some((i) => i.module.startsWith('wasi')), `cstack.wasm imports WASI: ${show(core.imports)}`);

run(wasmTools, ['component', 'embed', join(here, 'cstack.wit'), '--world', 'cstack', file('cstack.wasm'), '-o', file('embedded.wasm')]);
const component = (name, core) => {
  run(wasmTools, ['component', 'new', core, '-o', file(`${name}.component.wasm`)]);
  return file(`${name}.component.wasm`);
};
const rewrite = (name, ...args) => {
  const out = file(`${name}.wasm`);
  const plan = JSON.parse(run(taskwrap, [file('embedded.wasm'), '-o', out, '--json', ...args]));
  return { out, plan };
};

run(wasmTools, ['parse', join(here, 'driver.wat'), '-o', file('driver.wasm')]);
run(wasmTools, ['component', 'embed', join(here, 'cstack.wit'), '--world', 'driver', file('driver.wasm'), '-o', file('driver.embed.wasm')]);
const driver = component('driver', file('driver.embed.wasm'));

// Composes the driver with a cstack component and runs `drive` in wasmtime;
// returns the log as an array of u32 (or the error text).
function drive(name, cstackComponent) {
  const dir = file(`${name}.compose`);
  mkdirSync(dir, { recursive: true });
  // wasm-tools compose finds the definition by its file name: cstack.wasm
  writeFileSync(join(dir, 'cstack.wasm'), readFileSync(cstackComponent));
  run(wasmTools, ['compose', '-q', driver, '-d', join(dir, 'cstack.wasm'), '-o', join(dir, 'composed.wasm')]);
  try {
    const out = run(wasmtime, ['run', '-C', 'cache=n', '-W', 'component-model-async-stackful=y',
      '--invoke', 'drive()', join(dir, 'composed.wasm')]).trim();
    if (!/^\[[\d, ]*\]$/.test(out)) return `unexpected output: ${out}`;
    return JSON.parse(out);
  } catch (e) {
    return `error: ${e.stderr.split('\n').filter((l) => l.trim()).slice(0, 3).join(' | ')}`;
  }
}

// --- the analysis ----------------------------------------------------------------
const START = new Set([0, 2, 3, 6, 8, 12]); // 3 resumes: a new stack too
const END = new Set([1, 4, 5, 7, 9, 13]); //   4 blocks: the stack is freed
// driver.wat's calls: sync("hello"), wait-self, stackful, wait-self, sync("he"), report
const WANT_HOOKS = [6, 7, 12, 13, 0, 1, 2, 4, 3, 4, 3, 5, 2, 5, 2, 4, 3, 4, 3, 5, 12, 13, 0, 1, 0];
const WANT_BODIES = 'IMSPWCCKWCCMSPR';
const ch = (c) => String.fromCharCode(c);

// The problems of one log ([] when every rule holds), and a summary.
function analyse(log) {
  if (typeof log === 'string') return { problems: [log], summary: log };
  const problems = [];
  const recs = [];
  for (let i = 0; i + 4 <= log.length; i += 4) recs.push({ kind: ch(log[i]), a: log[i + 1], b: log[i + 2], c: log[i + 3] });
  if (log.length % 4) problems.push(`log length ${log.length} is not a multiple of 4`);
  const live = new Map(); // top -> base
  let latest = null; //      the top of the stack allocated last
  const hooks = [], bodies = [], events = [];
  let entriesChecked = 0;
  recs.forEach((r, i) => {
    const prev = recs[i - 1];
    switch (r.kind) {
      case 'A':
        if (live.has(r.b)) problems.push(`record ${i}: stack top ${r.b} allocated while live`);
        live.set(r.b, r.a);
        latest = r.b;
        break;
      case 'F':
        if (live.get(r.b) !== r.a) problems.push(`record ${i}: freed stack ${r.a}..${r.b} is not live`);
        live.delete(r.b);
        break;
      case 'H':
        hooks.push(r.a);
        if (START.has(r.a)) {
          // a start or resume: the stack allocated just before, installed
          if (!(prev?.kind === 'A' && prev.c === r.a && r.c === prev.b)) {
            problems.push(`record ${i}: hook ${r.a} did not install a freshly allocated stack (sp ${r.b} -> ${r.c})`);
          }
        } else if (END.has(r.a)) {
          // a finish or block: the task left sp at the top of its stack, freed
          if (!(prev?.kind === 'F' && prev.c === r.a && prev.b === r.b && r.c === 0)) {
            problems.push(`record ${i}: hook ${r.a} did not free the task's stack (sp ${r.b})`);
          }
        }
        break;
      case 'B':
        bodies.push(ch(r.a));
        // the point: each body starts at the top of the live, latest stack
        if (r.b !== latest || !live.has(r.b)) {
          problems.push(`record ${i}: body ${ch(r.a)} entered with sp ${r.b}, not at the top of a freshly allocated stack (${latest})`);
        } else entriesChecked++;
        break;
      case 'E':
        events.push(r.a);
        break;
      case 'w':
        if (r.a !== 0) problems.push(`record ${i}: future.write returned ${r.a}, expected 0 (completed)`);
        break;
      default:
        problems.push(`record ${i}: ${r.kind} ${r.a} ${r.b} ${r.c}`);
    }
  });
  if (show(hooks) !== show(WANT_HOOKS)) problems.push(`hook codes ${show(hooks)}, expected ${show(WANT_HOOKS)}`);
  if (bodies.join('') !== WANT_BODIES) problems.push(`bodies ${bodies.join('')}, expected ${WANT_BODIES}`);
  // each wait-self: first resumed after its yield (EVENT_NONE), then after
  // its wait, by the future read completing (EVENT_FUTURE_READ)
  if (show(events) !== show([0, 4, 0, 4])) problems.push(`callback events ${show(events)}, expected [0,4,0,4]`);
  // when report runs, only its own stack is live
  if (live.size !== 1) problems.push(`${live.size} stacks live at the report, expected 1 (its own)`);
  const count = (c) => hooks.filter((h) => h === c).length;
  return {
    problems,
    summary: `${recs.length} records, ${entriesChecked} of ${bodies.length} task entries at a fresh stack top, ` +
      `${count(4)} blocks and ${count(3)} resumes, stacks ${[...new Set(recs.filter((r) => r.kind === 'A').map((r) => r.b))].join(',')}`,
  };
}

// --- the components ---------------------------------------------------------------
const rw = rewrite('rewritten');
check(rw.plan.abi === 'task-hook' && rw.plan.wrappers === 8, `plan: abi ${rw.plan.abi}, ${rw.plan.wrappers} wrappers, expected task-hook and 8`);
const logs = {
  original: drive('original', component('original', file('embedded.wasm'))),
  rewritten: drive('rewritten', component('rewritten', rw.out)),
};
for (const [what, log] of Object.entries(logs)) {
  const { problems, summary } = analyse(log);
  for (const p of problems) check(false, `${what}: ${p}`);
  if (!problems.length) passed++;
  console.log(`${what}: ${summary}`);
}
check(show(logs.rewritten) === show(logs.original), 'the rewritten component\'s log differs from the original\'s (wit-component hooking it)');

// --- self-checks ------------------------------------------------------------------
// no wrapper at all: every task runs on whatever stack pointer the last left
const none = rewrite('no-wrappers', '--only', 'no-such-export');
check(none.plan.wrappers === 0, `--only no-such-export: ${none.plan.wrappers} wrappers`);
// H(3) of the callback wrapper replaced by nops: resumed tasks run at sp 0
const cb = rewrite('no-resume-hook');
{
  const buf = readFileSync(cb.out);
  const m = parseModule(buf);
  const e = cb.plan.exports.find((x) => x.name === '[callback][async-lift]tw:cstack/tasks#wait-self');
  const body = m.bodies[e.wrapper - m.funcImports];
  const at = buf.subarray(body.start, body.end).indexOf(Buffer.from([0x41, 0x03, 0x10])) + body.start;
  if (at < body.start) throw new Error('no H(3) in the callback wrapper');
  let end = at + 3;
  while (buf[end] & 0x80) end++;
  buf.fill(0x01, at, end + 1); // nop
  writeFileSync(cb.out, buf);
}
for (const [what, r] of [['no wrappers', none], ['no resume hook', cb]]) {
  const log = drive(what.replace(/ /g, '-'), component(what.replace(/ /g, '-'), r.out));
  const { problems, summary } = analyse(log);
  check(problems.length > 0, `self-check "${what}": the analysis found nothing wrong`);
  console.log(`self-check ${what}: caught (${problems.length} problems, e.g. ${problems[0]}); ${summary}`);
}

console.log(`${passed} passed, ${failures.length} failed (${Date.now() - t0} ms)`);
process.exit(failures.length ? 1 : 0);
