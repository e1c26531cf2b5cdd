// Compare the wrappers wasm-taskwrap emits inside a module with the wrappers
// wit-component generated for the same module in an auxiliary core module
// (golden component.wat of a ../shared/wit-component/<folder>).
//
// usage: node compare.mjs --cli WASM_TASKWRAP --wat2wasm P --wasm2wat P
//          --fixture DIR --aux MODULE [--aux MODULE...] [--abi ABI]
//          [--known-diff EXPORT...] [--mutate swap|drop|hook] [--verbose]
//
// Both sides are reduced to canonical `wasm2wat --no-debug-names` text and then
// to instruction lists in which the hook call reads `call HOOK` (init-task:
// `call INIT` / `call INIT_ASYNC`) and the call of the wrapped export reads
// `call TARGET`; everything else (constants, locals, select, ...) is literal.
// --known-diff names an export whose golden wrapper is known to follow an older
// rule (0.257's post-return hooks): it must still be wrapped on both sides and
// must DIFFER. --mutate corrupts our side on purpose; the run then succeeds only
// if the corruption is detected (proves the comparison can fail).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({ options: {
  cli: { type: 'string' }, wat2wasm: { type: 'string' }, wasm2wat: { type: 'string' },
  fixture: { type: 'string' }, aux: { type: 'string', multiple: true },
  abi: { type: 'string' }, 'known-diff': { type: 'string', multiple: true, default: [] },
  mutate: { type: 'string' }, verbose: { type: 'boolean' },
} });
for (const k of ['cli', 'wat2wasm', 'wasm2wat', 'fixture', 'aux'])
  if (!opt[k]) { console.error(`compare.mjs: missing --${k}`); process.exit(2); }

const work = mkdtempSync(join(tmpdir(), 'witc-'));
const run = (cmd, args) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
let failures = 0;
const fail = (msg) => { failures++; console.log(`MISMATCH: ${msg}`); };

// ---- s-expression reader for the text format (keeps source offsets) ----
function parseSexpr(src) {
  let i = 0;
  function skip() {
    for (;;) {
      while (i < src.length && /\s/.test(src[i])) i++;
      if (src.startsWith(';;', i)) { while (i < src.length && src[i] !== '\n') i++; continue; }
      if (src.startsWith('(;', i)) { // block comments nest
        let depth = 0;
        do {
          if (src.startsWith('(;', i)) { depth++; i += 2; }
          else if (src.startsWith(';)', i)) { depth--; i += 2; }
          else i++;
        } while (depth > 0 && i < src.length);
        continue;
      }
      return;
    }
  }
  function item() {
    skip();
    const start = i;
    if (src[i] === '(') {
      i++;
      const list = [];
      for (;;) {
        skip();
        if (i >= src.length) throw new Error('unbalanced parentheses');
        if (src[i] === ')') { i++; break; }
        list.push(item());
      }
      return { list, start, end: i };
    }
    if (src.startsWith('$"', i)) { // quoted identifier $"x#[dtor]r": keep it as one atom
      i += 2;
      while (src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      i++;
      return { atom: src.slice(start, i), start, end: i };
    }
    if (src[i] === '"') {
      let s = ''; i++;
      while (src[i] !== '"') {
        if (src[i] === '\\') {
          const c = src[++i];
          if (c === 'n') s += '\n'; else if (c === 't') s += '\t';
          else if (/[0-9a-fA-F]/.test(c)) { s += String.fromCharCode(parseInt(src.substr(i, 2), 16)); i++; }
          else s += c; // \" \\ \'
          i++;
        } else s += src[i++];
      }
      i++;
      return { str: s, start, end: i };
    }
    while (i < src.length && !/[\s()"]/.test(src[i])) i++;
    if (i === start) throw new Error(`unexpected character at ${i}`);
    return { atom: src.slice(start, i), start, end: i };
  }
  return item();
}
const head = (n) => n.list && n.list[0] && n.list[0].atom;
const kids = (n, h) => n.list.filter((c) => head(c) === h);

// ---- a canonical (wasm2wat) core module: types, func index space, exports ----
function parseModule(text) {
  const m = parseSexpr(text);
  const sigOf = (node) => { // (func (param ..) (result ..)) or a func header
    const p = [], r = [];
    for (const c of node.list) {
      if (head(c) === 'param') p.push(...c.list.slice(1).map((a) => a.atom));
      if (head(c) === 'result') r.push(...c.list.slice(1).map((a) => a.atom));
    }
    return `[${p.join(' ')}] -> [${r.join(' ')}]`;
  };
  const types = kids(m, 'type').map((t) => sigOf(t.list.find((c) => head(c) === 'func')));
  const funcs = []; // function index space: imports first
  for (const imp of kids(m, 'import')) {
    const desc = imp.list[3];
    if (head(desc) !== 'func') continue;
    const t = desc.list.find((c) => head(c) === 'type');
    funcs.push({ import: [imp.list[1].str, imp.list[2].str], type: +t.list[1].atom });
  }
  for (const f of kids(m, 'func')) {
    const typeNode = f.list.find((c) => head(c) === 'type');
    const locals = [], body = [];
    for (const c of f.list.slice(1)) {
      if (head(c) === 'local') locals.push(...c.list.slice(1).map((a) => a.atom));
      else if (c.atom) {
        // an instruction starts with a keyword; numbers and `offset=..` are immediates
        if (/^[a-z]/.test(c.atom) && !c.atom.includes('=')) body.push([c.atom]);
        else body[body.length - 1].push(c.atom);
      } else if (c.list && !['type', 'param', 'result'].includes(head(c))) {
        body[body.length - 1].push(text.slice(c.start, c.end)); // e.g. call_indirect (type 0)
      }
    }
    funcs.push({ type: +typeNode.list[1].atom, locals, body });
  }
  const exports = new Map();
  for (const e of kids(m, 'export')) {
    const d = e.list[2];
    if (head(d) === 'func') exports.set(e.list[1].str, +d.list[1].atom);
  }
  const start = kids(m, 'start').map((s) => +s.list[1].atom)[0];
  const sig = (idx) => types[funcs[idx].type];
  return { types, funcs, exports, start, sig };
}

const wat2wasm = (watFile, wasmFile) =>
  run(opt.wat2wasm, ['--enable-annotations', watFile, '-o', wasmFile]); // golden text has (@producers ...)
const wasm2wat = (wasmFile) => run(opt.wasm2wat, ['--no-debug-names', wasmFile]);

// Instruction list of a function with calls renamed through `names` (index -> symbolic).
function normalise(fn, names) {
  const lines = [];
  if (fn.locals.length) lines.push(`(local ${fn.locals.join(' ')})`);
  for (const ins of fn.body) {
    if (ins[0] === 'call' && names.has(+ins[1])) lines.push(`call ${names.get(+ins[1])}`);
    else lines.push(ins.join(' '));
  }
  return lines;
}

// ---- golden side: the auxiliary modules of component.wat ----
const compSrc = readFileSync(join(opt.fixture, 'component.wat'), 'utf8');
const comp = parseSexpr(compSrc);
const coreModules = new Map(), coreInstances = new Map(), funcAliases = new Map();
for (const c of comp.list) {
  if (head(c) !== 'core' && head(c) !== 'alias') continue;
  const kind = c.list[1].atom;
  if (head(c) === 'core' && kind === 'module') coreModules.set(c.list[2].atom, c);
  if (head(c) === 'core' && kind === 'instance') {
    const body = c.list.filter((x) => x.list);
    const inst = head(body[0]) === 'instantiate'
      ? { module: body[0].list[1].atom,
          with: new Map(kids(body[0], 'with').map((w) => [w.list[1].str, w.list[2].list[1].atom])) }
      : { exports: new Map(kids(c, 'export').map((e) => [e.list[1].str, e.list[2].list[1].atom])) };
    coreInstances.set(c.list[2].atom, inst);
  }
  // (alias core export $INSTANCE "name" (core func $F ...))
  if (head(c) === 'alias' && kind === 'core' && c.list[2].atom === 'export' && head(c.list[5]) === 'core')
    funcAliases.set(c.list[5].list[2].atom, { instance: c.list[3].atom, name: c.list[4].str });
}
// The original module is the one also given to wasm-taskwrap: `$main` in every fixture.
const mainInstances = [...coreInstances].filter(([, v]) => v.module === '$main').map(([k]) => k);
if (mainInstances.length !== 1) throw new Error('expected one instance of $main');

// Which core export of $main does import (mod, field) of the aux instance receive?
// Either a direct `(with "main" (instance $main))`, or an instance built from
// exports (e.g. `$actual` "0" -> alias of $main "x#[dtor]r").
function resolveImport(auxInstance, mod, field) {
  const inst = coreInstances.get(auxInstance.with.get(mod));
  if (!inst) return null;
  if (inst.module) return inst.module === '$main' ? field : null;
  const alias = funcAliases.get(inst.exports.get(field));
  return alias && alias.instance === mainInstances[0] ? alias.name : null;
}

// Hook exports of the original module and their symbolic names.
const HOOKS = new Map([['__wasm_task_hook', 'HOOK'], ['__wasm_init_task', 'INIT'],
  ['__wasm_init_async_task', 'INIT_ASYNC']]);

// A `(core module $NAME ...)` of component.wat, assembled and printed canonically.
function coreModule(name) {
  const node = coreModules.get(`$${name}`);
  if (!node) throw new Error(`no core module $${name} in component.wat`);
  // `(core module $X ...)` -> `(module $X ...)`: a plain core module text
  const text = ('(module' + compSrc.slice(node.list[1].end, node.end))
    // wabt 1.0.32 cannot read quoted identifiers $"..." (0.257 fixtures use them)
    .replace(/\$"((?:[^"\\]|\\.)*)"/g, (_, id) => `\$q${Buffer.from(id).toString('hex')}`);
  const base = join(work, `golden-${name}`);
  writeFileSync(`${base}.wat`, text);
  wat2wasm(`${base}.wat`, `${base}.wasm`);
  return parseModule(wasm2wat(`${base}.wasm`));
}

const golden = new Map(); // core export name -> { sig, lines, where }
for (const auxName of opt.aux) {
  const instantiations = [...coreInstances.values()].filter((v) => v.module === `$${auxName}`);
  if (instantiations.length !== 1) throw new Error(`$${auxName} must be instantiated once`);
  const mod = coreModule(auxName);
  const names = new Map(), targetOf = new Map();
  mod.funcs.forEach((f, idx) => {
    if (!f.import) return;
    const exp = resolveImport(instantiations[0], ...f.import);
    if (exp === null) return;
    names.set(idx, HOOKS.get(exp) || 'TARGET');
    if (!HOOKS.has(exp)) targetOf.set(idx, exp);
  });
  mod.funcs.forEach((f, idx) => {
    if (f.import) return;
    // a golden wrapper calls exactly one original export besides the hook
    const targets = new Set(f.body.filter((i) => i[0] === 'call' && targetOf.has(+i[1])).map((i) => targetOf.get(+i[1])));
    if (targets.size !== 1) throw new Error(`$${auxName} func ${idx} calls ${targets.size} original exports`);
    const exp = [...targets][0];
    if (golden.has(exp)) throw new Error(`two golden wrappers for ${exp}`);
    const role = mod.start === idx ? 'start function' : `func ${idx}`;
    golden.set(exp, { sig: mod.sig(idx), lines: normalise(f, names), where: `$${auxName} ${role}` });
  });
}

// ---- our side: wasm-taskwrap on module.wat ----
wat2wasm(join(opt.fixture, 'module.wat'), join(work, 'in.wasm'));
const cliArgs = [join(work, 'in.wasm'), '-o', join(work, 'out.wasm'), '--json'];
if (opt.abi) cliArgs.push('--abi', opt.abi);
const plan = JSON.parse(run(opt.cli, cliArgs));
const input = parseModule(wasm2wat(join(work, 'in.wasm')));
const output = parseModule(wasm2wat(join(work, 'out.wasm')));

// The component's `$main` must be this fixture's module.wat: same function
// exports with the same types (otherwise the comparison is meaningless).
const exportSigs = (m) => [...m.exports].map(([n, i]) => `${n}: ${m.sig(i)}`).sort().join('\n');
if (exportSigs(coreModule('main')) !== exportSigs(input))
  fail(`component.wat's $main and module.wat export different functions`);

// Symbolic names of the hook functions, taken from the input's exports and
// checked against the plan.
const hookNames = new Map();
for (const [exp, sym] of HOOKS) {
  if (!input.exports.has(exp)) continue;
  const idx = input.exports.get(exp);
  const planIdx = { HOOK: plan.hook, INIT: plan.init, INIT_ASYNC: plan.init_async }[sym];
  if (planIdx !== idx) fail(`plan names ${sym} ${planIdx}, input exports ${exp} as func ${idx}`);
  hookNames.set(idx, sym);
}

// Wrapped = an export that now names a function appended by wasm-taskwrap.
const ours = new Map();
for (const [exp, outIdx] of output.exports) {
  if (outIdx < input.funcs.length) continue;
  const origIdx = input.exports.get(exp);
  const entry = plan.exports.find((e) => e.name === exp);
  if (!entry || entry.wrapper !== outIdx || entry.index !== origIdx)
    fail(`${exp}: plan entry ${JSON.stringify(entry)} disagrees with the output (func ${outIdx} wraps ${origIdx})`);
  const names = new Map(hookNames).set(origIdx, 'TARGET');
  const fn = output.funcs[outIdx];
  if (fn.type !== input.funcs[origIdx].type) fail(`${exp}: wrapper type index ${fn.type} != wrapped ${input.funcs[origIdx].type}`);
  ours.set(exp, { sig: output.sig(outIdx), lines: normalise(fn, names), where: `func ${outIdx}` });
}
for (const e of plan.exports)
  if (e.wrapper !== null && output.exports.get(e.name) !== e.wrapper) fail(`${e.name}: plan says wrapper ${e.wrapper}, not exported`);

// ---- optional self-test corruption of our side ----
if (opt.mutate) {
  const [first] = [...ours.keys()].sort();
  const w = ours.get(first);
  if (opt.mutate === 'swap') w.lines.splice(-2, 2, w.lines.at(-1), w.lines.at(-2));
  else if (opt.mutate === 'drop') ours.delete(first);
  else if (opt.mutate === 'hook') // another hook code, or the other init function
    w.lines = w.lines.map((l) => l.replace(/^i32\.const (\d+)$/, (_, n) => `i32.const ${+n + 1}`)
      .replace(/^call (INIT|INIT_ASYNC)$/, (_, s) => (s === 'INIT' ? 'call INIT_ASYNC' : 'call INIT')));
  else { console.error(`compare.mjs: unknown --mutate ${opt.mutate}`); process.exit(2); }
  console.log(`self-test: corrupted our wrapper of ${first} (${opt.mutate})`);
}

// ---- comparison ----
// No exception list is needed for these fixtures: wit-component wraps exactly
// the exports our name-based classification wraps (cabi_realloc, [callback]
// and cabi_post_* are not wrapped under init-task on either side).
let compared = 0, differ = 0;
const knownDiff = new Set(opt['known-diff']);
for (const exp of [...new Set([...golden.keys(), ...ours.keys()])].sort()) {
  const g = golden.get(exp), o = ours.get(exp);
  if (!o) { fail(`${exp}: wit-component wraps it (${g.where}), wasm-taskwrap does not`); continue; }
  if (!g) { fail(`${exp}: wasm-taskwrap wraps it (${o.where}), wit-component does not`); continue; }
  compared++;
  if (opt.verbose) console.log(`${exp}: golden ${g.where} vs ours ${o.where}\n${diff(g, o)}`);
  const same = g.sig === o.sig && g.lines.join('\n') === o.lines.join('\n');
  if (knownDiff.has(exp)) {
    if (same) fail(`${exp}: expected to differ from this older wit-component, but is equal`);
    else { differ++; console.log(`known difference (older rule) for ${exp}:\n${diff(g, o)}`); }
  } else if (!same) {
    fail(`${exp}: wrapper differs\n${diff(g, o)}`);
  }
}
for (const exp of knownDiff) if (!golden.has(exp)) fail(`--known-diff ${exp} has no golden wrapper`);

function diff(g, o) {
  const out = [`    golden ${g.where}: ${g.sig}    |  ours ${o.where}: ${o.sig}`];
  for (let i = 0; i < Math.max(g.lines.length, o.lines.length); i++) {
    const a = g.lines[i] ?? '', b = o.lines[i] ?? '';
    out.push(`  ${a === b ? ' ' : '!'} ${a.padEnd(30)}|  ${b}`);
  }
  return out.join('\n');
}

console.log(`${opt.fixture}: compared ${compared} wrappers (golden ${golden.size}, ours ${ours.size})` +
  (knownDiff.size ? `, ${differ} known to differ` : '') + `, ${failures} mismatches`);
const detected = failures > 0;
if (opt.mutate) {
  rmSync(work, { recursive: true });
  console.log(detected ? 'self-test: corruption detected' : 'self-test: corruption NOT detected');
  process.exit(detected ? 0 : 1);
}
if (detected) { console.log(`scratch files kept in ${work}`); process.exit(1); }
rmSync(work, { recursive: true });
