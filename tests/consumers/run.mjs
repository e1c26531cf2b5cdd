// The real consumers of wasm-taskwrap's output, end to end: wit-component
// (wasm-tools 1.262 = wit-component 0.262, or jco 1.35.0 = wit-component
// 0.259) makes components of the original and of the rewritten module,
// following the README's flow (`component embed` -> wasm-taskwrap ->
// `component new`), and wasmtime 49 runs both.
//
//   node run.mjs wasm-tools TASKWRAP WASM_TOOLS WASMTIME WORKDIR
//   node run.mjs jco        TASKWRAP WASM_TOOLS WASMTIME WORKDIR E2E_DIR
//   node run.mjs selfcheck  TASKWRAP WASM_TOOLS WASMTIME WORKDIR
//
// For each fixture (subject.wat; small.wat with two component-type
// sections; small.wat with an imported memory) it checks
//  (a) the rewritten component's `wit-component-fixup` module has no hook
//      wrapper: it imports no `__wasm_task_hook`, defines no function, and
//      its start function (if any) is `main`'s `_initialize`; the original's
//      fixup module has one function per wrapper of wasm-taskwrap's plan;
//  (b) both components run in wasmtime with identical hook logs, each equal
//      to the sequence docs/abi.md prescribes: one export per process
//      (`wasmtime run --invoke`), and, for the subject, a whole sequence of
//      calls in one instance: a driver component (driver.wat) composed with
//      the subject by `wasm-tools compose` calls every export and returns
//      the subject's log.
// wasm-tools mode also runs the pipeline form (stdin to stdout) of
// docs/usage.md, "Without the wrapper: the core module".
// jco mode also checks that wit-component 0.259 and 0.262 make the same
// components from the same input: the same fixup module, the same main
// module and the same component around them, byte for byte apart from the
// custom sections of the core modules (0.262 adds `name` sections to its
// shim and fixup modules) and the version in `producers`; and that wasmtime
// prints the same for both.
// selfcheck: sabotaged rewrites (a hook code changed in the output bytes,
// the finish codes of a callback-style wrapper swapped, a wrapper left out,
// the hook export kept) must each fail the trace comparison.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { componentSkeleton, coreModules, customSections, parseModule, withoutCustomSections } from './wasm.mjs';

const t0 = Date.now();
const [mode, taskwrap, wasmTools, wasmtime, workArg, e2eDir] = process.argv.slice(2);
if (!workArg || !['wasm-tools', 'jco', 'selfcheck'].includes(mode) || (mode === 'jco' && !e2eDir)) {
  console.error('usage: node run.mjs wasm-tools|jco|selfcheck TASKWRAP WASM_TOOLS WASMTIME WORKDIR [E2E_DIR]');
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const work = resolve(workArg);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

let passed = 0;
const failures = [];
const fail = (msg) => { failures.push(msg); console.log(`FAIL ${msg}`); };
const check = (cond, msg) => { if (cond) passed++; else fail(msg); return cond; };
const show = (v) => JSON.stringify(v);

// wasmtime prints a Rust backtrace on a trap when RUST_BACKTRACE is set.
const env = { ...process.env, RUST_BACKTRACE: '0' };
function run(cmd, args, input) {
  try {
    return execFileSync(cmd, args, { cwd: work, env, input, maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = new Error(`${cmd} ${args.join(' ')}: exit ${e.status}\n${e.stderr}`);
    err.status = e.status;
    err.stderr = String(e.stderr);
    throw err;
  }
}
const file = (...p) => join(work, ...p);
const put = (path, bytes) => { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, bytes); return path; };

// --- componentizers -------------------------------------------------------
const wasmToolsCz = {
  name: 'wit-component 0.262 (wasm-tools 1.262)',
  version: '0.262.0',
  async embed(core, wit, world, tag) {
    const out = file(`${tag}.embed.wasm`);
    run(wasmTools, ['component', 'embed', join(here, wit), '--world', world, put(file(`${tag}.in.wasm`), core), '-o', out]);
    return readFileSync(out);
  },
  async create(core, tag) {
    const out = file(`${tag}.component.wasm`);
    run(wasmTools, ['component', 'new', put(file(`${tag}.core.wasm`), core), '-o', out]);
    return readFileSync(out);
  },
};

async function jcoCz() {
  const jcoPath = createRequire(join(resolve(e2eDir), 'resolve.js')).resolve('@bytecodealliance/jco');
  const jco = await import(pathToFileURL(jcoPath).href);
  const version = JSON.parse(readFileSync(join(jcoPath, '../../package.json'), 'utf8')).version;
  check(version === '1.35.0', `jco version is ${version}, expected 1.35.0`);
  return {
    name: `wit-component 0.259 (jco ${version})`,
    version: '0.259.0',
    // componentEmbed cannot read files in its sandbox: the WIT goes as text
    async embed(core, wit, world) {
      return Buffer.from(await jco.componentEmbed({ binary: core, witSource: readFileSync(join(here, wit), 'utf8'), world }));
    },
    async create(core) {
      return Buffer.from(await jco.componentNew(core));
    },
  };
}

// --- the fixtures ----------------------------------------------------------
const parseWat = (text, tag) => {
  const src = put(file(`${tag}.wat`), text);
  const out = file(`${tag}.wasm`);
  run(wasmTools, ['parse', src, '-o', out]);
  return readFileSync(out);
};
const smallWat = readFileSync(join(here, 'small.wat'), 'utf8');
const memoryLine = '(memory (export "memory") 1) ;; MEMORY';
if (!smallWat.includes(memoryLine)) throw new Error('small.wat: the MEMORY line is missing');

// Expected logs (codes as in api.wit): a fresh instance starts with
// _initialize run by the component's start function: 6, 106, 7.
const INIT = [6, 106, 7];
const fixtures = [
  {
    tag: 'subject',
    core: () => parseWat(readFileSync(join(here, 'subject.wat'), 'utf8'), 'subject'),
    embeds: [['api.wit', 'consumers']],
    invokes: [
      ['sync()', [...INIT, 0, 101]],
      ['echo("héllo")', [...INIT, 12, 110, 13, 0, 103]],
      ['acb()', [...INIT, 2, 112, 4, 3, 212]],
      ['aecho("abc")', [...INIT, 12, 110, 13, 2, 113]],
      ['ast("xyz")', [...INIT, 12, 110, 13, 2, 114]],
      ['trace()', [...INIT, 0, 111]],
    ],
    // driver.wat's sequence, every hook of every call, in one instance
    drive: [
      ...INIT,
      0, 101, 1, //                     sync
      12, 110, 13, 0, 103, 203, 1, //   echo: realloc, body, post-return, finish
      2, 112, 4, 3, 212, 5, //          acb: yields, the callback finishes
      12, 110, 13, 2, 113, 5, //        aecho
      12, 110, 13, 2, 114, 5, //        ast
      0, 107, 1, //                     [constructor]r
      0, 108, 1, //                     [method]r.get
      8, 109, 9, //                     [resource-drop]r runs the destructor
      2, 112, 4, 3, 212, 5, //          acb again
      0, 101, 1, //                     sync again
      0, 111, //                        trace (its finish hook comes after the copy)
    ],
  },
  {
    tag: 'two-worlds',
    core: () => parseWat(smallWat, 'two-worlds'),
    embeds: [['api.wit', 'mem'], ['extra.wit', 'extra']],
    sections: 2,
    invokes: [
      ['echo("héllo")', [...INIT, 12, 110, 13, 0, 103]],
      ['ping(7)', [...INIT, 0, 120, 7]],
      ['trace()', [...INIT, 0, 111]],
    ],
  },
  {
    // wit-component accepts a memory imported from "env": it defines the
    // memory in its shim module and passes it in (both versions)
    tag: 'imported-memory',
    core: () => parseWat(smallWat.replace(memoryLine, '(import "env" "memory" (memory 1))'), 'imported-memory'),
    embeds: [['api.wit', 'mem'], ['extra.wit', 'extra']],
    sections: 2,
    importedMemory: true,
    invokes: [
      ['echo("héllo")', [...INIT, 12, 110, 13, 0, 103]],
      ['ping(7)', [...INIT, 0, 120, 7]],
      ['trace()', [...INIT, 0, 111]],
    ],
  },
];

// --- building ----------------------------------------------------------------
// The README's flow: embed the world(s), rewrite, make the component; and
// the original (hook still exported) made into a component the same way.
async function build(cz, fx, tag, rewriteArgs = [], patch = null) {
  let embedded = fx.core();
  for (const [wit, world] of fx.embeds) embedded = await cz.embed(embedded, wit, world, `${tag}.${world}`);
  const embeddedPath = put(file(`${tag}.embedded.wasm`), embedded);
  const rwPath = file(`${tag}.rewritten.wasm`);
  const plan = JSON.parse(run(taskwrap, [embeddedPath, '-o', rwPath, '--json', ...rewriteArgs]).toString());
  let rewritten = readFileSync(rwPath);
  if (patch) {
    rewritten = patch(Buffer.from(rewritten), plan);
    put(rwPath, rewritten);
  }
  return {
    embedded,
    rewritten,
    plan,
    original: await cz.create(embedded, `${tag}.original`),
    component: await cz.create(rewritten, `${tag}.rewritten`),
  };
}

// --- (a) the fixup module --------------------------------------------------------
function modulesOf(component) {
  const mods = coreModules(component);
  const byName = Object.fromEntries(mods.filter((m) => m.name).map((m) => [m.name, m]));
  return { mods, byName };
}
const HOOK = '__wasm_task_hook';

// Problems with a rewritten component's fixup module ([] when none).
function fixupProblems(component) {
  const { byName } = modulesOf(component);
  const problems = [];
  if (!byName.main) return ['no core module named main'];
  const main = parseModule(byName.main.bytes);
  if (main.exports.some((e) => e.name === HOOK)) problems.push(`main still exports ${HOOK}`);
  const fx = byName['wit-component-fixup'];
  if (fx) {
    const m = parseModule(fx.bytes);
    if (m.imports.some((i) => i.name === HOOK)) problems.push(`the fixup module imports ${HOOK}`);
    if (m.defined !== 0) problems.push(`the fixup module defines ${m.defined} functions`);
    const funcImports = m.imports.filter((i) => i.kind === 0);
    if (m.start !== null) {
      const s = funcImports[m.start];
      if (!s || s.module !== 'main' || s.name !== '_initialize') problems.push(`the fixup start function ${m.start} is not main's _initialize`);
    }
  }
  return problems;
}

function checkComponents(cz, fx, b, label) {
  for (const [what, c] of [['original', b.original], ['rewritten', b.component]]) {
    const text = run(wasmTools, ['print', put(file(`${label}.${what}.component.wasm`), c)]).toString();
    writeFileSync(file(`${label}.${what}.component.wat`), text);
    check(text.includes(`(processed-by "wit-component" "${cz.version}")`), `${label} ${what}: not made by wit-component ${cz.version}`);
  }
  const problems = fixupProblems(b.component);
  check(problems.length === 0, `${label}: rewritten component: ${problems.join('; ')}`);
  // the original: wit-component's own wrappers, one per wrapper of the plan
  const { byName } = modulesOf(b.original);
  const fo = byName['wit-component-fixup'] && parseModule(byName['wit-component-fixup'].bytes);
  check(fo && fo.imports.some((i) => i.module === 'main' && i.name === HOOK),
    `${label}: the original's fixup module does not import ${HOOK}`);
  check(fo && fo.defined === b.plan.wrappers,
    `${label}: the original's fixup module defines ${fo && fo.defined} functions, the plan has ${b.plan.wrappers} wrappers`);
  // what wit-component was given: the component-type sections unchanged
  const sec = (m) => customSections(m, 'component-type').map((s) => s.toString('hex'));
  check(sec(b.embedded).length === (fx.sections ?? 1), `${label}: ${sec(b.embedded).length} component-type sections, expected ${fx.sections ?? 1}`);
  check(show(sec(b.rewritten)) === show(sec(b.embedded)), `${label}: the rewritten module's component-type sections differ from the input's`);
  // the same interface: the WIT of both components
  const wit = (c, w) => run(wasmTools, ['component', 'wit', put(file(`${label}.${w}.component.wasm`), c)]).toString();
  check(wit(b.original, 'original') === wit(b.component, 'rewritten'), `${label}: the components' WIT differs`);
  if (fx.importedMemory) {
    const main = parseModule(modulesOf(b.component).byName.main.bytes);
    check(main.imports.some((i) => i.module === 'env' && i.name === 'memory' && i.kind === 2),
      `${label}: the rewritten main module does not import env.memory`);
  }
}

// --- (b) wasmtime ----------------------------------------------------------------
// wasmtime 49 enables component-model-async by default; [async-lift-stackful]
// needs component-model-async-stackful. No compilation cache: nothing is
// written outside WORKDIR.
const WASMTIME_FLAGS = ['-C', 'cache=n', '-W', 'component-model-async-stackful=y'];
function invoke(component, call, tag) {
  try {
    return run(wasmtime, ['run', ...WASMTIME_FLAGS, '--invoke', call, put(file(`${tag}.wasm`), component)]).toString().trim();
  } catch (e) {
    return `error: ${e.stderr.split('\n').filter((l) => l.trim()).slice(0, 3).join(' | ')}`;
  }
}
const wave = (list) => `[${list.join(', ')}]`;

let driverComponent = null;
function driver() {
  if (!driverComponent) {
    put(file('driver.core.wasm'), parseWat(readFileSync(join(here, 'driver.wat'), 'utf8'), 'driver'));
    run(wasmTools, ['component', 'embed', join(here, 'api.wit'), '--world', 'driver', file('driver.core.wasm'), '-o', file('driver.embed.wasm')]);
    run(wasmTools, ['component', 'new', file('driver.embed.wasm'), '-o', file('driver.component.wasm')]);
    driverComponent = file('driver.component.wasm');
  }
  return driverComponent;
}
// The driver's import `tw:consumers/api` is satisfied by the export of the
// same name of the definition component, found by its file name.
function drive(component, tag) {
  const dir = file(`${tag}.compose`);
  const subject = put(join(dir, 'subject.wasm'), component);
  const composed = join(dir, 'composed.wasm');
  run(wasmTools, ['compose', '-q', driver(), '-d', subject, '-o', composed]);
  return invoke(readFileSync(composed), 'drive()', `${tag}.compose/run`);
}

// Runs every call of the fixture on both components. Returns the outputs
// and the problems: an original whose log is not the expected one, a
// rewritten one whose output differs from the original's.
function traces(fx, b, label, quiet = false) {
  const out = { original: [], rewritten: [] };
  const problems = [];
  const calls = [...fx.invokes];
  if (fx.drive) calls.push(['drive()', fx.drive, true]);
  for (const [call, want, composed] of calls) {
    const got = {};
    for (const [what, c] of [['original', b.original], ['rewritten', b.component]]) {
      const tag = `${label}.${what}.${call.replace(/\W+/g, '_')}`;
      got[what] = composed ? drive(c, tag) : invoke(c, call, tag);
      out[what].push(got[what]);
    }
    if (got.original !== wave(want)) problems.push(`${label} original ${call}: ${got.original}, expected ${wave(want)}`);
    if (got.rewritten !== got.original) problems.push(`${label} ${call}: rewritten ${got.rewritten} != original ${got.original}`);
    if (!quiet) console.log(`  ${label.padEnd(28)} ${call.padEnd(14)} ${got.rewritten === got.original ? 'same' : 'DIFFERENT'}: ${got.rewritten}`);
  }
  return { out, problems };
}
// Each call makes two checks: the expected log, and original == rewritten.
function checkTraces(fx, b, label) {
  const { out, problems } = traces(fx, b, label);
  for (const p of problems) fail(p);
  passed += (fx.invokes.length + (fx.drive ? 1 : 0)) * 2 - problems.length;
  return out;
}

// --- the modes ------------------------------------------------------------------
async function componentizerRun(cz) {
  console.log(`${cz.name}:`);
  const built = {};
  for (const fx of fixtures) {
    const b = await build(cz, fx, `${fx.tag}`);
    built[fx.tag] = b;
    checkComponents(cz, fx, b, fx.tag);
    checkTraces(fx, b, fx.tag);
  }
  return built;
}

if (mode === 'wasm-tools') {
  const built = await componentizerRun(wasmToolsCz);
  // The pipeline form of docs/usage.md, "Without the wrapper: the core
  // module", `wasm-taskwrap - -o - < app.core.wasm |
  // wasm-tools component new - -o app.wasm`: standard input and output
  const b = built.subject;
  // (wasm-tools writes `-o -` to a file called "-": its stdout is no -o)
  run(wasmTools, ['component', 'new', '-', '-o', file('subject.piped.component.wasm')],
    run(taskwrap, ['-', '-o', '-'], readFileSync(file('subject.embedded.wasm'))));
  check(Buffer.compare(readFileSync(file('subject.piped.component.wasm')), b.component) === 0,
    'through stdin/stdout: a different component than from files');
} else if (mode === 'jco') {
  const cz = await jcoCz();
  const built = await componentizerRun(cz);
  // wit-component 0.259 and 0.262: the same fixup module, apart from its
  // custom sections (0.262 adds a name section, `producers` says its version)
  console.log('wit-component 0.259 vs 0.262:');
  for (const fx of fixtures) {
    const other = await build(wasmToolsCz, fx, `${fx.tag}.0262`);
    for (const what of ['original', 'component']) {
      const f = (c) => modulesOf(c).byName['wit-component-fixup'];
      const a = f(built[fx.tag][what]), z = f(other[what]);
      const same = !!a && !!z && Buffer.compare(withoutCustomSections(a.bytes), withoutCustomSections(z.bytes)) === 0;
      if (!same && a && z) {
        for (const [v, m] of [['0259', a], ['0262', z]]) {
          writeFileSync(file(`${fx.tag}.${what}.fixup.${v}.wat`), run(wasmTools, ['print', put(file(`${fx.tag}.${what}.fixup.${v}.wasm`), m.bytes)]));
        }
      }
      check(same, `${fx.tag} ${what}: the fixup modules of wit-component 0.259 and 0.262 differ (see ${fx.tag}.${what}.fixup.*.wat)`);
      // and the same main module
      const mainA = modulesOf(built[fx.tag][what]).byName.main, mainZ = modulesOf(other[what]).byName.main;
      check(Buffer.compare(withoutCustomSections(mainA.bytes), withoutCustomSections(mainZ.bytes)) === 0,
        `${fx.tag} ${what}: the main modules of wit-component 0.259 and 0.262 differ`);
      // and the whole component, apart from the core modules' custom sections
      const whole = Buffer.compare(componentSkeleton(built[fx.tag][what]), componentSkeleton(other[what])) === 0;
      check(whole, `${fx.tag} ${what}: the components of wit-component 0.259 and 0.262 differ beyond custom sections`);
      console.log(`  ${fx.tag.padEnd(16)} ${what === 'original' ? 'original ' : 'rewritten'}: fixup module ${same ? 'the same' : 'DIFFERENT'}, ` +
        `component ${whole ? 'the same' : 'DIFFERENT'} (apart from custom sections)`);
    }
    // the 0.259 and 0.262 components behave alike too
    const t259 = traces(fx, built[fx.tag], `${fx.tag}.0259`, true).out;
    const t262 = traces(fx, other, `${fx.tag}.0262`, true).out;
    check(show(t259) === show(t262), `${fx.tag}: wasmtime output of the 0.259 components ${show(t259)} != 0.262 ${show(t262)}`);
  }
} else {
  // selfcheck: each sabotage must make the comparison fail
  const fx = fixtures[0];
  const good = await build(wasmToolsCz, fx, 'good');
  // the good rewrite passes the comparison the normal runs make
  const goodRun = traces(fx, good, 'good', true);
  check(goodRun.problems.length === 0, `the good rewrite: ${goodRun.problems.join('; ')}`);
  const wrapperBody = (buf, plan, exportName) => {
    const e = plan.exports.find((x) => x.name === exportName);
    const m = parseModule(buf);
    return m.bodies[e.wrapper - m.funcImports];
  };
  // replaces the first `from` byte sequence inside the export's wrapper by `to` (same length)
  const patchBody = (exportName, from, to) => (buf, plan) => {
    const body = wrapperBody(buf, plan, exportName);
    const at = buf.subarray(body.start, body.end).indexOf(Buffer.from(from));
    if (at < 0) throw new Error(`${exportName}: ${Buffer.from(from).toString('hex')} not in its wrapper`);
    Buffer.from(to).copy(buf, body.start + at);
    return buf;
  };
  const sabotages = [
    // H(3) before the callback becomes H(0): a resume reported as a sync start
    ['hook code 3 -> 0 in the callback wrapper of acb', [], patchBody('[callback][async-lift]tw:consumers/api#acb', [0x41, 0x03, 0x10], [0x41, 0x00, 0x10])],
    // i32.const 4; i32.const 5; local.get; select -> 5 and 4: a yield reported as a finish
    ['finish codes 4|5 swapped in the async-callback wrapper of acb', [], patchBody('[async-lift]tw:consumers/api#acb', [0x41, 0x04, 0x41, 0x05], [0x41, 0x05, 0x41, 0x04])],
    // a rewriter that forgot the wrappers of echo and its post-return
    ['no wrapper for echo (--exclude)', ['--exclude', 'tw:consumers/api#echo'], null],
    // the hook export kept: wit-component hooks the wrappers a second time
    ['hook export kept (--keep-hook-export)', ['--keep-hook-export'], null],
  ];
  for (const [i, [what, args, patch]] of sabotages.entries()) {
    const tag = `sabotage${i}`;
    const bad = await build(wasmToolsCz, fx, tag, args, patch);
    bad.original = good.original; // compared with wit-component's own hooking, as always
    const { problems } = traces(fx, bad, tag, true);
    check(problems.length > 0, `sabotage "${what}": the trace comparison did not notice`);
    console.log(`  sabotage: ${what}: ${problems.length} of ${fx.invokes.length + 1} calls differ, e.g. ${problems[0]}`);
    if (patch) {
      // wasm-taskwrap's own verifier refuses the edited bytes too
      let status = 0;
      try { run(taskwrap, ['--check', file(`${tag}.embedded.wasm`), file(`${tag}.rewritten.wasm`)]); } catch (e) { status = e.status; }
      check(status === 1, `sabotage "${what}": wasm-taskwrap --check exit ${status}, expected 1`);
    }
    if (args.includes('--keep-hook-export')) {
      check(fixupProblems(bad.component).length > 0, `sabotage "${what}": the fixup check did not notice`);
    }
  }
}

console.log(`${passed} passed, ${failures.length} failed (${mode}, ${Date.now() - t0} ms)`);
process.exit(failures.length ? 1 : 0);
