// Run every engine fixture in Node.js before and after wasm-taskwrap and check
// the calls the wrappers make against docs/abi.md.
//
// usage: node run.mjs --cli WASM_TASKWRAP --wat2wasm WAT2WASM --fixtures DIR --work DIR
//          [--only NAME] [--mutate swap|original]
//
// Fixtures are the fixtures/*.wat (not *.out.wat, not bad-*) that import
// "trace" "enter": every original defined function first calls
// trace.enter(own index), the task hook forwards its code to trace.hook and the
// init-task functions call trace.hook(100) / trace.hook(101). Other function
// imports are provided here and record enter(their own index).
//
// Every export of the rewritten module is called with zero arguments and the
// trace (H<code> for hook codes, E<index> for entries) is compared with the
// sequence docs/abi.md's wrapper tables give for the export's role; the same
// export of the original module must give only [E<index>] and the same return
// value. Roles are classified here from the export names (docs/abi.md, "The
// name rules, without a world") and must agree with the plan; the plan's
// "hooks" arrays must agree with the tables below.
//
// --mutate corrupts the rewritten module on purpose (swap: swap the hook codes
// / init calls inside each wrapper; original: use the original module as if it
// were the output). The run then succeeds only if every corrupted export is
// reported as failing: it proves the check can fail.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({ options: {
  cli: { type: 'string' }, wat2wasm: { type: 'string' }, fixtures: { type: 'string' },
  work: { type: 'string' }, only: { type: 'string' }, mutate: { type: 'string' },
} });
for (const k of ['cli', 'wat2wasm', 'fixtures', 'work'])
  if (!opt[k]) { console.error(`run.mjs: missing --${k}`); process.exit(2); }
if (opt.mutate && !['swap', 'original'].includes(opt.mutate)) {
  console.error(`run.mjs: unknown --mutate ${opt.mutate}`); process.exit(2);
}

// ------------------------------------------------------- docs/abi.md tables
// A body is a list of steps: a number is H(code), 'f' the call of the wrapped
// function, 'r' the callback-result hook H(r != 0 ? 4 : 5).
const TASK_HOOK_BODIES = {             // "Task-hook ABI: wrapper bodies"
  'sync': [0, 'f', 1],
  'sync-post': [0, 'f'],               // finish hook moves into the post-return wrapper
  'post-return': ['f', 1],
  'async-callback': [2, 'f', 'r'],
  'callback': [3, 'f', 'r'],
  'async-stackful': [2, 'f', 5],
  'realloc': [12, 'f', 13],
  'dtor': [8, 'f', 9],
  'initialize': [6, 'f', 7],
};
// "Init-task ABI: wrapper bodies": sync lifted and _initialize call
// __wasm_init_task (fixture: H100), async ones __wasm_init_async_task (H101)
// or, when the module has none, __wasm_init_task. Others are not wrapped.
const INIT_TASK_BODIES = {
  'sync': ['init', 'f'], 'sync-post': ['init', 'f'], 'initialize': ['init', 'f'],
  'async-callback': ['init-async', 'f'], 'async-stackful': ['init-async', 'f'],
};
const INIT_CODE = { 'init': 100, 'init-async': 101 };

// The plan's "hooks" array as the tables above give it (null: not wrapped):
// numbers, [4,5] for the callback result's choice, "init"/"init-async".
function hooksWanted(abi, role, hasInitAsync) {
  if (abi === 'task-hook') {
    const b = TASK_HOOK_BODIES[role];
    return b ? b.filter((s) => s !== 'f').map((s) => (s === 'r' ? [4, 5] : s)) : null;
  }
  const b = INIT_TASK_BODIES[role];
  if (!b) return null;
  return [b[0] === 'init-async' && !hasInitAsync ? 'init' : b[0]];
}

// Expected trace of one call of the rewritten export.
function expectedTrace(abi, role, index, ret, hasInitAsync) {
  const body = abi === 'task-hook' ? TASK_HOOK_BODIES[role] : INIT_TASK_BODIES[role];
  if (!body) return [`E${index}`];     // never wrapped in this ABI
  return body.map((s) => {
    if (s === 'f') return `E${index}`;
    if (s === 'r') return `H${ret !== 0 ? 4 : 5}`;
    if (s === 'init-async') return `H${hasInitAsync ? 101 : 100}`;
    if (s === 'init') return 'H100';
    return `H${s}`;
  });
}

// docs/abi.md, "The name rules, without a world": from the name alone (plus the set of function exports
// for cabi_post_<N>). "init" names are the init-task pair.
const REALLOCS = ['cabi_realloc', 'canonical_abi_realloc', 'cabi_export_realloc', 'cabi_import_realloc'];
function classify(name, funcNames) {
  if (name === '__wasm_task_hook') return 'hook';
  if (name === '__wasm_init_task' || name === '__wasm_init_async_task') return 'init';
  if (name.startsWith('cm32p2')) return 'standard';
  if (name === '_start' || name.startsWith('__') || name === 'cabi_realloc_adapter') return 'internal';
  if (name === '_initialize') return 'initialize';
  if (REALLOCS.includes(name)) return 'realloc';
  if (name.startsWith('cabi_post_') && funcNames.has(name.slice('cabi_post_'.length))) return 'post-return';
  if (name.startsWith('[async-lift]')) return 'async-callback';
  if (name.startsWith('[async-lift-stackful]')) return 'async-stackful';
  if (name.startsWith('[callback][async-lift]')) return 'callback';
  if (name.includes('#[dtor]')) return 'dtor';
  return funcNames.has(`cabi_post_${name}`) ? 'sync-post' : 'sync';
}

// ------------------------------------------------ minimal binary reader
// Type (func types, also inside rec groups), import, function, export and code
// sections; enough to know every function's type and every export's index.
const VALTYPE = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128' };
function readModule(bytes) {
  let p = 8;
  const u32 = () => { let r = 0, s = 0, b; do { b = bytes[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  const name = () => { const n = u32(); const s = Buffer.from(bytes.subarray(p, p + n)).toString('utf8'); p += n; return s; };
  const valtype = () => {
    const t = bytes[p++];
    if (VALTYPE[t]) return VALTYPE[t];
    if (t === 0x63 || t === 0x64) { while (bytes[p++] & 0x80); return 'ref'; } // (ref null? ht), s33 heap type
    if (t >= 0x69 && t <= 0x74) return 'ref';                                    // abbreviated ref types
    throw new Error(`unsupported value type 0x${t.toString(16)}`);
  };
  const m = { types: [], funcs: [], imports: [], exports: [], code: [] }; // funcs: type index per function
  const functype = () => {
    if (bytes[p++] !== 0x60) throw new Error('only function types are supported');
    const params = Array.from({ length: u32() }, valtype);
    const results = Array.from({ length: u32() }, valtype);
    m.types.push({ params, results });
  };
  while (p < bytes.length) {
    const id = bytes[p++], size = u32(), end = p + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        if (bytes[p] === 0x4e) { p++; for (let k = u32(); k > 0; k--) subtype(); } else subtype();
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        const imp = { module: name(), name: name(), kind: bytes[p++] };
        // Tables, memories, globals and tags: no engine fixture imports one.
        if (imp.kind !== 0) throw new Error(`unsupported import kind ${KIND[imp.kind]}`);
        imp.type = u32(); imp.index = m.funcs.length; m.funcs.push(imp.type);
        m.imports.push(imp);
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) m.funcs.push(u32());
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) m.exports.push({ name: name(), kind: bytes[p++], index: u32() });
    } else if (id === 10) {
      for (let n = u32(); n > 0; n--) { const sz = u32(); m.code.push({ start: p, end: p + sz }); p += sz; }
    }
    p = end;
  }
  return m;
  function subtype() {
    if (bytes[p] === 0x50 || bytes[p] === 0x4f) { p++; for (let k = u32(); k > 0; k--) u32(); }
    functype();
  }
}
const KIND = ['func', 'table', 'memory', 'global', 'tag'];
const zero = (t) => (t === 'i64' ? 0n : t === 'ref' ? null : 0);
const show = (v) => (v === undefined ? '-' : JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? `${x}n` : x)));

// Instantiate with the recording imports; returns { instance, trace }.
function instantiate(bytes, info) {
  const trace = [];
  const imports = {};
  for (const imp of info.imports) {
    let fn;
    if (imp.module === 'trace' && imp.name === 'hook') fn = (c) => { trace.push(`H${c}`); };
    else if (imp.module === 'trace' && imp.name === 'enter') fn = (i) => { trace.push(`E${i}`); };
    else {
      const { results } = info.types[imp.type];
      fn = () => {
        trace.push(`E${imp.index}`);
        return results.length > 1 ? results.map(zero) : results.length ? zero(results[0]) : undefined;
      };
    }
    (imports[imp.module] ??= {})[imp.name] = fn;
  }
  return { instance: new WebAssembly.Instance(new WebAssembly.Module(bytes), imports), trace };
}

// ------------------------------------------------ --mutate swap
// Decode each wrapper body (local.get/set, i32.const, call, select only) and
// corrupt it: task-hook: swap the select's 4/5, else swap the first two hook
// codes, else flip a lone code (0 <-> 1 ...); init-task: swap the calls of the
// two init functions, or replace the lone init call by nops. Returns the set of
// wrapper function indices that were changed.
function mutateSwap(bytes, info, plan) {
  const changed = new Set();
  const nImported = info.imports.filter((i) => i.kind === 0).length;
  for (const wrapper of new Set(plan.exports.map((e) => e.wrapper).filter((w) => w !== null))) {
    const { start, end } = info.code[wrapper - nImported];
    let p = start;
    const u32 = () => { let r = 0, s = 0, b; do { b = bytes[p++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
    for (let n = u32(); n > 0; n--) { u32(); p++; } // locals
    const ins = [];
    while (p < end) {
      const at = p, op = bytes[p++];
      if (op === 0x0b || op === 0x1b) ins.push({ op, at });
      else if ([0x10, 0x20, 0x21, 0x41].includes(op)) ins.push({ op, at, imm: u32(), len: p - at - 1 });
      else throw new Error(`wrapper ${wrapper}: unexpected opcode 0x${op.toString(16)}`);
    }
    const isHookCall = (k) => ins[k].op === 0x41 && ins[k + 1]?.op === 0x10 && ins[k + 1].imm === plan.hook;
    if (plan.abi === 'task-hook') {
      const sel = ins.findIndex((x, k) => x.op === 0x41 && x.imm === 4 && ins[k + 1]?.op === 0x41 && ins[k + 1].imm === 5);
      const codes = ins.map((x, k) => k).filter(isHookCall);
      if (sel >= 0) { bytes[ins[sel].at + 1] = 5; bytes[ins[sel + 1].at + 1] = 4; }
      else if (codes.length >= 2) {
        const [a, b] = codes.map((k) => ins[k].at + 1);
        [bytes[a], bytes[b]] = [bytes[b], bytes[a]];
      } else if (codes.length === 1) bytes[ins[codes[0]].at + 1] ^= 1;
      else continue;
    } else {
      const call = ins.find((x) => x.op === 0x10 && (x.imm === plan.init || x.imm === plan.init_async));
      if (!call) continue;
      const other = call.imm === plan.init ? plan.init_async : plan.init;
      const leb = [];
      for (let v = other ?? 0; ; v >>>= 7) { leb.push(v & 0x7f); if (v < 0x80) break; }
      if (other !== null && leb.length === call.len) leb.forEach((b, k) => { bytes[call.at + 1 + k] = b | (k < leb.length - 1 ? 0x80 : 0); });
      else bytes.fill(0x01, call.at, call.at + 1 + call.len); // nop
    }
    changed.add(wrapper);
  }
  return changed;
}

// ------------------------------------------------ per fixture
mkdirSync(opt.work, { recursive: true });
let passed = 0, failed = 0, mutated = 0, detected = 0;

function checkFixture(file) {
  const name = file.replace(/\.wat$/, '');
  const src = readFileSync(join(opt.fixtures, file), 'utf8');
  const args = (src.match(/^;; ARGS: (.*)$/m)?.[1] ?? '').split(/\s+/).filter(Boolean);
  const watflags = (src.match(/^;; WAT2WASM: (.*)$/m)?.[1] ?? '').split(/\s+/).filter(Boolean);
  const inPath = join(opt.work, `${name}.wasm`), outPath = join(opt.work, `${name}.out.wasm`);
  execFileSync(opt.wat2wasm, ['--enable-all', ...watflags, join(opt.fixtures, file), '-o', inPath]);
  const plan = JSON.parse(execFileSync(opt.cli, [...args, inPath, '-o', outPath, '--json'], { encoding: 'utf8' }));

  const origBytes = readFileSync(inPath);
  let newBytes = new Uint8Array(readFileSync(outPath));
  const orig = readModule(origBytes);
  let changedWrappers = new Set();
  if (opt.mutate === 'original') newBytes = new Uint8Array(origBytes);
  if (opt.mutate === 'swap') changedWrappers = mutateSwap(newBytes, readModule(newBytes), plan);
  if (opt.mutate) writeFileSync(join(opt.work, `${name}.mutated.wasm`), newBytes);
  const rewritten = readModule(newBytes);
  const A = instantiate(origBytes, orig), B = instantiate(newBytes, rewritten);

  const keep = args.includes('--keep-hook-export');
  const hasInitAsync = plan.abi === 'init-task' && plan.init_async !== null;
  const funcNames = new Set(orig.exports.filter((e) => e.kind === 0).map((e) => e.name));
  const origByName = new Map(orig.exports.map((e) => [e.name, e]));
  const newByName = new Map(rewritten.exports.map((e) => [e.name, e]));
  const planByName = new Map(plan.exports.map((e) => [e.name, e]));

  const report = (exp, problems, what) => {
    const bad = problems.length > 0;
    if (bad) failed++; else passed++;
    const pe = planByName.get(exp);
    const isMutated = opt.mutate === 'original' ? (pe?.wrapper ?? null) !== null || (!keep && ['hook', 'init'].includes(pe?.role))
      : pe && changedWrappers.has(pe.wrapper);
    if (isMutated) { mutated++; if (bad) detected++; }
    console.log(`${bad ? 'FAIL' : 'ok'} ${name} ${exp} ${what}${bad ? `: ${problems.join('; ')}` : ''}`);
  };

  // Every export of the rewritten module, in export order.
  for (const ne of rewritten.exports) {
    const problems = [];
    const oe = origByName.get(ne.name), pe = planByName.get(ne.name);
    if (!oe) { report(ne.name, ['not exported by the original module'], '[]'); continue; }
    if (!pe) { report(ne.name, ['missing from the plan'], '[]'); continue; }
    if (ne.kind !== oe.kind) problems.push(`kind ${KIND[ne.kind]}, was ${KIND[oe.kind]}`);
    if (ne.kind !== 0) {
      if (ne.index !== oe.index) problems.push(`${KIND[ne.kind]} index ${ne.index}, was ${oe.index}`);
      report(ne.name, problems, `[${KIND[ne.kind]} kept]`);
      continue;
    }
    const role = classify(ne.name, funcNames);
    if (role !== pe.role) problems.push(`plan role ${pe.role}, docs/abi.md role ${role}`);
    if (pe.index !== oe.index) problems.push(`plan index ${pe.index}, original export index ${oe.index}`);
    if (role === 'hook' || role === 'init') {
      if (!keep) problems.push('hook export not removed');
      if (role === 'init') { report(ne.name, problems, '[kept]'); continue; } // not called
    }
    const want = hooksWanted(plan.abi, role, hasInitAsync);
    if (role !== 'hook' && JSON.stringify(pe.hooks) !== JSON.stringify(want))
      problems.push(`plan hooks ${show(pe.hooks)}, docs/abi.md ${show(want)}`);
    const wrapped = want !== null;
    if (wrapped && pe.wrapper !== ne.index) problems.push(`exported func ${ne.index}, plan wrapper ${pe.wrapper}`);
    if (!wrapped && (pe.wrapper !== null || ne.index !== oe.index)) problems.push(`not wrapped, but exports func ${ne.index} (was ${oe.index})`);
    if (rewritten.funcs[ne.index] !== orig.funcs[oe.index]) problems.push(`type index ${rewritten.funcs[ne.index]}, was ${orig.funcs[oe.index]}`);

    // Zero arguments, then distinct ones (1, 2, 3...) so that a wrapper that
    // dropped or reordered parameters shows in the return value.
    const params = orig.types[orig.funcs[oe.index]].params;
    const argSets = [params.map(zero)];
    if (params.length) argSets.push(params.map((t, k) => (t === 'i64' ? BigInt(k + 1) : t === 'ref' ? null : t.startsWith('f') ? k + 1.5 : k + 1)));
    const call = (side, e, args) => {
      side.trace.length = 0;
      try { return { ret: side.instance.exports[e](...args), trace: [...side.trace] }; }
      catch (err) { problems.push(`trap: ${err.message}`); return { ret: undefined, trace: [...side.trace] }; }
    };
    let shown;
    for (const [n, args] of argSets.entries()) {
      const with_ = n === 0 ? '' : ` with (${args.map(show)})`;
      const a = call(A, ne.name, args), b = call(B, ne.name, args);
      const origWant = role === 'hook' ? [`H${args[0] ?? 0}`] : [`E${oe.index}`];
      if (a.trace.join() !== origWant.join()) problems.push(`original traced [${a.trace}]${with_}, expected [${origWant}]`);
      const expected = role === 'hook' ? origWant : expectedTrace(plan.abi, role, oe.index, a.ret, hasInitAsync);
      if (b.trace.join() !== expected.join()) problems.push(`traced [${b.trace}]${with_}, docs/abi.md says [${expected}]`);
      if (show(a.ret) !== show(b.ret)) problems.push(`returned ${show(b.ret)}${with_}, original ${show(a.ret)}`);
      if (n === 0) shown = `[${b.trace}]${a.ret === undefined ? '' : ` -> ${show(a.ret)}`}`;
    }
    report(ne.name, problems, shown);
  }

  // Exports of the original the rewritten module lacks: only the hook exports,
  // and only without --keep-hook-export.
  for (const oe of orig.exports) {
    if (newByName.has(oe.name)) continue;
    const role = oe.kind === 0 ? classify(oe.name, funcNames) : 'not-func';
    const pe = planByName.get(oe.name);
    const problems = [];
    if (!(role === 'hook' || role === 'init')) problems.push('export lost');
    else if (keep) problems.push('removed despite --keep-hook-export');
    if (!pe || !pe.removed) problems.push('plan does not say "removed"');
    report(oe.name, problems, '[removed]');
  }
  // Plan-wide facts (reported only when wrong): one entry per original
  // export; async_uses_init_task exactly when __wasm_init_async_task is absent.
  const planProblems = [];
  if (plan.exports.length !== orig.exports.length) planProblems.push(`${plan.exports.length} plan entries, ${orig.exports.length} exports`);
  if (plan.abi === 'init-task' && plan.async_uses_init_task !== !hasInitAsync) planProblems.push(`async_uses_init_task ${plan.async_uses_init_task}`);
  if (planProblems.length) report('(plan)', planProblems, '');
}

// Fixture selection by content; fixtures whose golden .stderr records a
// failing run (exit != 0) are skipped, any other tool failure is a failure.
const files = readdirSync(opt.fixtures).filter((f) => f.endsWith('.wat') && !f.endsWith('.out.wat') && !f.startsWith('bad-'))
  .filter((f) => !opt.only || f === `${opt.only}.wat`)
  .filter((f) => /\(import\s+"trace"\s+"enter"/.test(readFileSync(join(opt.fixtures, f), 'utf8')))
  .filter((f) => {
    const golden = join(opt.fixtures, f.replace(/\.wat$/, '.stderr'));
    return !existsSync(golden) || /^exit: 0$/m.test(readFileSync(golden, 'utf8'));
  }).sort();
if (files.length === 0) { console.log('no engine fixtures found'); process.exit(1); }
for (const f of files) {
  try { checkFixture(f); } catch (err) {
    failed++;
    console.log(`FAIL ${f} (fixture): ${err.message.split('\n')[0]}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
if (opt.mutate) {
  // Self-test: every corrupted export must have been reported.
  console.log(`selftest --mutate ${opt.mutate}: ${detected} of ${mutated} corrupted exports detected`);
  process.exit(mutated > 0 && detected === mutated ? 0 : 1);
}
process.exit(failed === 0 ? 0 : 1);
