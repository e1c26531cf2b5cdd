// Function-index renumbering of --stub-wasi, checked on whole modules against
// an oracle that does not use wasm-taskwrap's own checks.
//
// For each module O (a .wasm of the list, or a .wat fixture given directly):
//   T  = wasm2wat --generate-names O: every reference is symbolic, so adding
//        a field to the text does not change what any reference means.
//   V1 (import only, no name section):
//        I1 = T with `(import "wasi_snapshot_preview1" "fake_fn" (func ...))`
//        as its first field (function 0: every other function moves up one);
//        R1 = wasm-taskwrap --stub-wasi I1. Oracle: the top-level fields of
//        `wasm2wat --no-debug-names` (numeric indices) of R1 are those of O,
//        in order and identical text, plus exactly: the stub function (last
//        function, `i32.const 52`, ENOSYS), its type if O had none equal,
//        the mutable i32 global -1 after O's globals and its export
//        "taskwrap_exit_code" after O's exports.
//   V2 (the import is called, with names):
//        I2 = I1 + an exported function that calls the import and takes its
//        ref.func (declared by an elem segment), assembled with --debug-names;
//        B2 = T + the same function calling a defined function with the stub's
//        name and body placed last, the global and the export: what R2 must be.
//        Oracle: wasm2wat of R2 and B2 identical, names included (the name
//        section is renumbered; a call left pointing elsewhere prints as
//        another function's name).
// Every R also passes wasm-validate. Modules wabt cannot print or
// re-assemble, and those wasm-taskwrap declines to verify fully (GC), are
// skipped and counted, and so is a V1 difference when wabt's own round trip
// (T re-assembled) already differs from O; everything else is a failure.
//
// usage: node corpus.mjs --cli TASKWRAP --work DIR [--verify full|fast]
//          [--jobs N] [--min-checked N] [--groups REGEX] [--sample N] [--keep 1]
//          (--list corpus.list | FILE.wat|.wasm ...)
//   env WAT2WASM WASM2WAT WASM_VALIDATE (default: from PATH)
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

const t0 = Date.now();
const args = process.argv.slice(2);
const opt = { verify: 'full', jobs: '2', 'min-checked': '1', sample: '1', groups: '^(spec|proposal-.*)$' };
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i].startsWith('--')) opt[args[i].slice(2)] = args[++i];
  else files.push(args[i]);
}
if (!opt.cli || !opt.work || (!opt.list && !files.length)) {
  console.error('usage: node corpus.mjs --cli TASKWRAP --work DIR [--verify M] [--jobs N] ' +
                '[--min-checked N] [--groups RE] [--sample N] [--keep 1] (--list LIST | FILE...)');
  process.exit(2);
}
const WAT2WASM = process.env.WAT2WASM || 'wat2wasm';
const WASM2WAT = process.env.WASM2WAT || 'wasm2wat';
const WASM_VALIDATE = process.env.WASM_VALIDATE || 'wasm-validate';
const work = resolve(opt.work);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// The modules: the groups of corpus.list matching --groups, by default the
// spec and proposal ones. spec-leb5-names holds the spec modules again with
// padded LEBs (lost when re-assembled) and source names (T has generated
// ones); it doubles the run time for little, so it is opt-in. The
// wasi-testsuite and C programs already import real WASI functions, whose
// stubs have behaviour of their own: out of scope here (dwarf.sh rewrites a
// clang-built program).
const modules = [];
const skippedGroups = {};
if (opt.list) {
  let group = '', listed = 0;
  for (const line of readFileSync(opt.list, 'utf8').split('\n')) {
    const m = /^# corpus: (\S+)/.exec(line);
    if (m) { group = m[1]; continue; }
    if (!line || line.startsWith('#')) continue;
    if (!new RegExp(opt.groups).test(group)) skippedGroups[group] = (skippedGroups[group] || 0) + 1;
    else if (++listed % +opt.sample === 0) modules.push({ path: line, group }); // --sample N: every Nth
  }
}
for (const f of files) modules.push({ path: resolve(f), group: 'fixture' });

const run = (cmd, argv) => new Promise((ok) => {
  execFile(cmd, argv, { maxBuffer: 1 << 28, encoding: 'utf8' }, (err, stdout, stderr) =>
    ok({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
});

const ALL_BUT_FUNCTION_REFERENCES = ['--enable-exceptions', '--enable-threads', '--enable-tail-call',
  '--enable-annotations', '--enable-code-metadata', '--enable-memory64', '--enable-multi-memory',
  '--enable-extended-const', '--enable-relaxed-simd'];
const STUB = 'taskwrap:wasi_snapshot_preview1.fake_fn';
const IMPORT = '(import "wasi_snapshot_preview1" "fake_fn" (func $tw_fake (param i32) (result i32)))';
// V2's extra function, calling `callee`; exported so that it stays visible.
const caller = (callee) =>
  `(func $tw_caller (export "tw_caller") (param $x i32) (result i32)\n` +
  `    local.get $x\n    call ${callee}\n    ref.func ${callee}\n    drop)\n` +
  `  (elem declare func ${callee})`;

// Splits wasm2wat text into its header line and top-level fields (each starts
// at a line indented by exactly two spaces; the closing paren of the module
// is removed).
function fields(text) {
  const t = text.trimEnd();
  if (!t.endsWith(')')) throw new Error('wasm2wat text does not end with )');
  const lines = t.slice(0, -1).split('\n');
  const out = [];
  for (const l of lines.slice(1)) {
    if (/^ {2}\(/.test(l)) out.push(l);
    else if (out.length) out[out.length - 1] += '\n' + l;
    else throw new Error(`unexpected line: ${l}`);
  }
  return { header: lines[0], fields: out };
}
const count = (text, re) => (text.match(re) || []).length;

// A function reference still printed as a number in T (the premise of the
// oracle is that there is none).
const NUMERIC_FUNC_REF =
  /(?:call|return_call|ref\.func) \d|\(func \d|\(start \d|^ {2}\(elem [^;\n]* func(?: \$[^ ()]+)* \d/m;

// wasm2wat 1.0.32 --generate-names prints the function list of some elem
// segments with numbers (spec bulk.wast: `(elem funcref (ref.func 0))` in a
// module without a table comes out as `(elem $e0 func 0)`). Replace each
// such number by the name of that function.
function symbolicElems(text) {
  const names = [];
  for (const m of text.matchAll(/^ {2}\((?:import "(?:[^"\\]|\\.)*" "(?:[^"\\]|\\.)*" \(func|func) (\$[^ ()]+)/gm))
    names.push(m[1]);
  return text.replace(/^( {2}\(elem [^;\n]*? func)((?: [^ ()\n]+)+)(\)\)?)$/gm, (all, head, list, end) =>
    head + list.replace(/ (\d+)(?= |$)/g, (n, i) => (names[+i] ? ` ${names[+i]}` : n)) + end);
}

// The first difference between two texts, with a few lines of context.
function diffExcerpt(want, got) {
  const a = want.split('\n'), b = got.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 3);
  const ctx = (xs) => xs.slice(from, i + 4).map((l, k) => `    ${from + k + 1}: ${l}`).join('\n');
  return `first difference at line ${i + 1}\n  expected:\n${ctx(a)}\n  got:\n${ctx(b)}`;
}

// Oracle of V1: R's fields are O's plus exactly the allowed additions.
function checkV1(oText, rText) {
  const o = fields(oText), r = fields(rText);
  if (o.header !== r.header) return `module header: ${o.header} vs ${r.header}`;
  const ntypes = count(oText, /\(type \(;\d+;\)/g);
  const nfuncs = count(oText, /\(func \(;\d+;\)/g);
  const nglobals = count(oText, /\(global \(;\d+;\)/g);
  const stubType = /^ {2}\(type \(;(\d+);\) \(func \(param i32\) \(result i32\)\)\)$/;
  const extras = {
    type: `  (type (;${ntypes};) (func (param i32) (result i32)))`,
    global: `  (global (;${nglobals};) (mut i32) (i32.const -1))`,
    export: `  (export "taskwrap_exit_code" (global ${nglobals}))`,
  };
  const funcRe = new RegExp(`^ {2}\\(func \\(;${nfuncs};\\) \\(type (\\d+)\\) ` +
                            `\\(param i32\\) \\(result i32\\)\\n {4}i32\\.const 52\\)$`);
  const seen = { type: 0, global: 0, export: 0, func: 0 };
  let stubTypeIndex = -1;
  const kept = [];
  for (const f of r.fields) {
    const k = Object.keys(extras).find((key) => extras[key] === f);
    const fm = funcRe.exec(f);
    if (k) seen[k]++;
    else if (fm) { seen.func++; stubTypeIndex = +fm[1]; }
    else kept.push(f);
  }
  if (seen.func !== 1) return `expected one stub function (func (;${nfuncs};) ... i32.const 52), found ${seen.func}`;
  if (seen.global !== 1 || seen.export !== 1)
    return `expected the global ${nglobals} (mut i32) -1 and its export once each, ` +
           `found ${seen.global} and ${seen.export}`;
  if (seen.type > 1) return 'the stub type was added more than once';
  // The stub's type: the new one, or one of O's equal to (i32) -> i32.
  const typeField = r.fields.find((f) => f.startsWith(`  (type (;${stubTypeIndex};) `));
  if (!typeField || !stubType.test(typeField))
    return `the stub's type ${stubTypeIndex} is not (func (param i32) (result i32))`;
  if (seen.type === 1 && stubTypeIndex !== ntypes) return 'a new type was added but the stub does not use it';
  // Every other field: O's, same text, same order. The stub and the global
  // are the last of their kind: wasm2wat prints in index order, so a stub
  // before an original function would have shown up as a different index.
  const want = o.fields.join('\n'), got = kept.join('\n');
  if (want !== got) return diffExcerpt(want, got);
  return null;
}

async function checkModule(mod, dir) {
  const skip = (why, detail = '') => ({ skip: why, detail });
  const fail = (why) => ({ fail: why });
  // --no-check: wasm-validate checks the outputs, with the features they were
  // assembled with (see ALL_BUT_FUNCTION_REFERENCES).
  const w2w = async (file, ...flags) => run(WASM2WAT, ['--enable-all', '--no-check', ...flags, file]);
  let src = mod.path;
  if (src.endsWith('.wat')) { // a fixture: assemble it first
    const asm = (f) => run(WAT2WASM, [...f, '--debug-names', src, '-o', join(dir, 'o.wasm')]);
    let r = await asm(['--enable-all']);
    if (r.code) r = await asm(ALL_BUT_FUNCTION_REFERENCES);
    if (r.code) return fail(`wat2wasm of the fixture: ${r.stderr}`);
    src = join(dir, 'o.wasm');
  }
  const t = await w2w(src, '--generate-names');
  if (t.code) return skip('wasm2wat cannot print it');
  if (t.stdout.includes('"wasi_snapshot_preview1"')) return skip('imports from wasi_snapshot_preview1');
  const body = symbolicElems(t.stdout).trimEnd();
  if (NUMERIC_FUNC_REF.test(body)) return skip('a function reference in T is still numeric');
  if (!body.endsWith(')')) return fail('wasm2wat output does not end with )');
  const nl = body.indexOf('\n');
  const header = nl < 0 ? body.slice(0, -1) : body.slice(0, nl);
  const rest = nl < 0 ? '' : body.slice(nl, -1);
  const nglobals = count(t.stdout, /^ {2}\(global |^ {2}\(import "[^\n]*\(global /gm);
  const exitGlobal = `  (global (mut i32) (i32.const -1))\n  (export "taskwrap_exit_code" (global ${nglobals}))`;
  const stubFunc = `  (func $${STUB} (param i32) (result i32)\n    i32.const 52)`;
  const i1 = `${header}\n  ${IMPORT}${rest})\n`;
  const i2 = `${header}\n  ${IMPORT}${rest}\n  ${caller('$tw_fake')})\n`;
  const b2 = `${header}${rest}\n  ${caller(`$${STUB}`)}\n${stubFunc}\n${exitGlobal})\n`;
  const p = (n) => join(dir, n);
  writeFileSync(p('i1.wat'), i1);
  writeFileSync(p('i2.wat'), i2);
  writeFileSync(p('b2.wat'), b2);
  // wat2wasm 1.0.32 with function-references (part of --enable-all) types
  // ref.func as (ref N) and then refuses it where a funcref is expected, so a
  // module it refuses is tried once more without that proposal.
  let features = ['--enable-all'];
  for (const [wat, flags] of [['i1', []], ['i2', ['--debug-names']], ['b2', ['--debug-names']]]) {
    const asm = (f) => run(WAT2WASM, [...f, ...flags, p(`${wat}.wat`), '-o', p(`${wat}.wasm`)]);
    let r = await asm(features);
    if (r.code && wat === 'i1') r = await asm((features = ALL_BUT_FUNCTION_REFERENCES));
    if (r.code) return skip('wat2wasm cannot re-assemble it', `${wat}: ${r.stderr.split('\n')[0]}`);
  }
  for (const v of ['1', '2']) {
    const r = await run(opt.cli, ['--stub-wasi', `--verify=${opt.verify}`, p(`i${v}.wasm`), '-o', p(`r${v}.wasm`)]);
    if (r.code && /cannot verify fully/.test(r.stderr)) return skip(`wasm-taskwrap: cannot verify fully`);
    if (r.code) return fail(`V${v}: wasm-taskwrap exit ${r.code}: ${r.stderr.trim()}`);
    if (r.stderr.trim()) return fail(`V${v}: unexpected stderr: ${r.stderr.trim()}`);
    const val = await run(WASM_VALIDATE, [...features, p(`r${v}.wasm`)]);
    if (val.code) return fail(`V${v}: wasm-validate rejects the output: ${val.stderr.trim()}`);
  }
  // V1 against the original module O, numeric.
  const o = await w2w(src, '--no-debug-names');
  const r1 = await w2w(p('r1.wasm'), '--no-debug-names');
  if (o.code || r1.code) return fail(`V1: wasm2wat: ${o.stderr}${r1.stderr}`);
  const why1 = checkV1(o.stdout, r1.stdout);
  if (why1) {
    // Is it wabt's own round trip (T re-assembled differs from O)?
    writeFileSync(p('t.wat'), t.stdout);
    const tb = await run(WAT2WASM, [...features, p('t.wat'), '-o', p('t.wasm')]);
    const tt = tb.code ? null : await w2w(p('t.wasm'), '--no-debug-names');
    if (!tt || tt.stdout !== o.stdout) return skip('wasm2wat/wat2wasm round trip not faithful');
    return fail(`V1 (import only) differs from the original:\n${why1}`);
  }
  // V2 against B2, with names.
  const r2 = await w2w(p('r2.wasm')), b = await w2w(p('b2.wasm'));
  if (r2.code || b.code) return fail(`V2: wasm2wat: ${r2.stderr}${b.stderr}`);
  if (r2.stdout !== b.stdout)
    return fail(`V2 (import called, names) differs from the expected module:\n` + diffExcerpt(b.stdout, r2.stdout));
  return { ok: true };
}

const results = { checked: 0, skipped: {}, failures: [] };
let next = 0;
async function worker() {
  while (next < modules.length) {
    const k = next++;
    const mod = modules[k];
    const dir = join(work, String(k));
    mkdirSync(dir);
    let r;
    try { r = await checkModule(mod, dir); } catch (e) { r = { fail: `exception: ${e.stack}` }; }
    if (r.ok) { results.checked++; if (!opt.keep) rmSync(dir, { recursive: true }); }
    else if (r.skip) {
      (results.skipped[r.skip] ||= []).push(`${mod.group}: ${basename(mod.path)}${r.detail ? ` [${r.detail}]` : ''}`);
      rmSync(dir, { recursive: true });
    } else {
      results.failures.push(mod.path);
      console.log(`FAIL ${mod.path} (files in ${dir})\n  ${r.fail.replace(/\n/g, '\n  ')}`);
    }
  }
}
await Promise.all(Array.from({ length: +opt.jobs }, worker));

let nskip = 0;
for (const [why, list] of Object.entries(results.skipped)) {
  nskip += list.length;
  console.log(`skipped ${list.length}: ${why}:\n  ${list.slice(0, 40).join('\n  ')}${list.length > 40 ? '\n  ...' : ''}`);
}
for (const [g, n] of Object.entries(skippedGroups)) console.log(`not in scope: ${n} modules of ${g}`);
console.log(`modules: ${modules.length}, checked: ${results.checked}, skipped: ${nskip}, ` +
            `failed: ${results.failures.length} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
if (results.checked < +opt['min-checked']) {
  console.log(`FAIL: only ${results.checked} modules checked, expected at least ${opt['min-checked']}`);
  process.exit(1);
}
process.exit(results.failures.length ? 1 : 0);
