// What wabt 1.0.32 cannot write, built byte by byte: tables with an
// initialiser expression (function references: 0x40 0x00 reftype limits
// expr) and name subsection 3 (labels), next to subsections 0, 1, 2 and 7.
// Each module imports wasi_snapshot_preview1.fake_fn as function 0; after
// wasm-taskwrap --stub-wasi every other function moves down by one and the
// stub is the last function. Both modules are decoded here (a small decoder
// of the few instructions used) and compared as structures, so LEB128
// widths do not matter.
//
// usage: node binary.mjs TASKWRAP WORKDIR
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const [cli, work] = process.argv.slice(2);
if (!work) { console.error('usage: node binary.mjs TASKWRAP WORKDIR'); process.exit(2); }
mkdirSync(work, { recursive: true });
let failures = 0;
const fail = (msg) => { failures++; console.log(`FAIL: ${msg}`); };

// ---- encoding ----
const uleb = (v) => { const o = []; do { let b = v & 0x7f; v >>>= 7; if (v) b |= 0x80; o.push(b); } while (v); return o; };
const str = (s) => [...uleb(Buffer.byteLength(s)), ...Buffer.from(s)];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const custom = (name, bytes) => section(0, [...str(name), ...bytes]);
const nameMap = (entries) => vec(entries.map(([i, n]) => [...uleb(i), ...str(n)]));
const indirect = (entries) => vec(entries.map(([i, m]) => [...uleb(i), ...nameMap(m)]));
const sub = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];
const module = (...sections) => Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...sections.flat()]);
const body = (locals, code) => { const b = [...vec(locals), ...code]; return [...uleb(b.length), ...b]; };

// ---- decoding ----
function decode(buf) {
  let pos = 8;
  const u = () => { let r = 0, s = 0, b; do { b = buf[pos++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  const s32 = () => { let r = 0, s = 0, b; do { b = buf[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return s < 32 && (b & 0x40) ? r | (-1 << s) : r; };
  const name = () => { const n = u(); const t = buf.subarray(pos, pos + n).toString(); pos += n; return t; };
  const many = (f) => Array.from({ length: u() }, f);
  const instrs = (end) => { // until the `end` at depth 0 (or pos == end)
    const out = [];
    for (let depth = 0; ;) {
      const op = buf[pos++];
      if (op === 0x0b) { if (depth-- === 0) return out; out.push('end'); continue; }
      if (op === 0x02 || op === 0x03) { depth++; out.push(`${op === 2 ? 'block' : 'loop'} ${buf[pos++]}`); continue; }
      const imm = { 0x10: 'call', 0x12: 'return_call', 0xd2: 'ref.func', 0x20: 'local.get', 0x23: 'global.get',
                    0x24: 'global.set', 0x0c: 'br' }[op];
      if (imm) out.push(`${imm} ${u()}`);
      else if (op === 0x41) out.push(`i32.const ${s32()}`);
      else if (op === 0x1a) out.push('drop');
      else if (op === 0x00) out.push('unreachable');
      else throw new Error(`decoder: opcode 0x${op.toString(16)} at ${pos - 1}`);
      if (end !== undefined && pos > end) throw new Error('decoder: past the end');
    }
  };
  const sections = [];
  while (pos < buf.length) {
    const id = buf[pos++], size = u(), end = pos + size;
    let v;
    if (id === 2) v = many(() => ({ module: name(), name: name(), kind: buf[pos++], desc: u() }));
    else if (id === 3) v = many(() => u());
    else if (id === 4) v = many(() => {
      const init = buf[pos] === 0x40 && buf[pos + 1] === 0;
      if (init) pos += 2;
      const t = { init, type: buf[pos++], flags: buf[pos++], min: u() };
      if (t.init) t.expr = instrs();
      return t;
    });
    else if (id === 6) v = many(() => ({ type: buf[pos++], mut: buf[pos++], expr: instrs() }));
    else if (id === 7) v = many(() => ({ name: name(), kind: buf[pos++], index: u() }));
    else if (id === 10) v = many(() => { const n = u(), e = pos + n; return { locals: many(() => [u(), buf[pos++]]), code: instrs(e) }; });
    else if (id === 0) {
      const nm = name();
      if (nm !== 'name') v = { [nm]: buf.subarray(pos, end).toString('hex') };
      else {
        v = { name: [] };
        while (pos < end) {
          const sid = buf[pos++], send = u() + pos;
          const map = () => many(() => [u(), name()]);
          v.name.push([sid, sid === 0 ? name() : sid === 1 || sid === 7 ? map() : many(() => [u(), map()])]);
          if (pos !== send) throw new Error(`name subsection ${sid}: size`);
        }
      }
    } else v = buf.subarray(pos, end).toString('hex');
    pos = end;
    sections.push([id, v]);
  }
  return sections;
}

// ---- the modules ----
const T_II = [0x60, 1, 0x7f, 1, 0x7f]; // type 0: (i32) -> i32
const T_V = [0x60, 0, 0];              // type 1: () -> ()
const types = section(1, vec([T_II, T_V]));
const fakeImport = section(2, vec([[...str('wasi_snapshot_preview1'), ...str('fake_fn'), 0, 0]]));
// Functions (input numbering): 0 the import, 1 $one () -> (), 2 $two (i32) -> i32.
const funcs = section(3, vec([[1], [0]]));
const codeOne = body([], [0x02, 0x40, 0x0c, 0x00, 0x0b, 0x0b]);                  // block br 0 end
const codeTwo = body([[1, 0x7f]], [0x02, 0x40, 0x0b, 0x20, 0x00, 0x10, 0x00, 0x0b]); // block end; local.get 0; call 0
const code = section(10, vec([codeOne, codeTwo]));
// Two funcref tables with initialisers: ref.func $one, ref.func of the import.
const tables = section(4, vec([
  [0x40, 0x00, 0x70, 0x00, 2, 0xd2, 1, 0x0b],
  [0x40, 0x00, 0x70, 0x00, 1, 0xd2, 0, 0x0b],
]));
const globals = section(6, vec([[0x70, 0x00, 0xd2, 2, 0x0b]])); // funcref global = ref.func $two
const exportsIn = section(7, vec([[...str('two'), 0, 2], [...str('t'), 1, 0]]));

const cases = [
  { name: 'table-init-all-names',
    subs: [sub(0, str('m')), sub(1, nameMap([[0, 'fake'], [1, 'one'], [2, 'two']])),
           sub(2, indirect([[0, [[0, 'p']]], [2, [[0, 'x'], [1, 'y']]]])),
           sub(3, indirect([[1, [[0, 'blk']]], [2, [[0, 'L']]]])), sub(7, nameMap([[0, 'g']]))],
    want: [[0, 'm'], [1, [[0, 'one'], [1, 'two'], [2, 'taskwrap:wasi_snapshot_preview1.fake_fn']]],
           [2, [[1, [[0, 'x'], [1, 'y']]]]], [3, [[0, [[0, 'blk']]], [1, [[0, 'L']]]]], [7, [[0, 'g']]]] },
  // No function names: the stub's subsection 1 goes before subsection 2.
  { name: 'labels-no-function-names',
    subs: [sub(2, indirect([[2, [[0, 'x']]]])), sub(3, indirect([[1, [[0, 'blk']]]]))],
    want: [[1, [[2, 'taskwrap:wasi_snapshot_preview1.fake_fn']]], [2, [[1, [[0, 'x']]]]],
           [3, [[0, [[0, 'blk']]]]]] },
  // Only the module name: subsection 1 is appended after it.
  { name: 'module-name-only',
    subs: [sub(0, str('m'))],
    want: [[0, 'm'], [1, [[2, 'taskwrap:wasi_snapshot_preview1.fake_fn']]]] },
];

for (const c of cases) {
  const input = module(types, fakeImport, funcs, tables, globals, exportsIn, code, custom('name', c.subs.flat()));
  const inPath = join(work, `${c.name}.wasm`), outPath = join(work, `${c.name}.out.wasm`);
  writeFileSync(inPath, input);
  let stderr = '';
  try {
    execFileSync(cli, ['--stub-wasi', inPath, '-o', outPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    fail(`${c.name}: wasm-taskwrap exit ${e.status}: ${e.stderr}`);
    continue;
  }
  const got = decode(readFileSync(outPath));
  // Expected, output numbering: 0 $one, 1 $two, 2 the stub; global 1 the exit code.
  const want = [
    [1, decode(module(types))[0][1]],
    [3, [1, 0, 0]],
    [4, [{ init: true, type: 0x70, flags: 0, min: 2, expr: ['ref.func 0'] },
         { init: true, type: 0x70, flags: 0, min: 1, expr: ['ref.func 2'] }]],
    [6, [{ type: 0x70, mut: 0, expr: ['ref.func 1'] }, { type: 0x7f, mut: 1, expr: ['i32.const -1'] }]],
    [7, [{ name: 'two', kind: 0, index: 1 }, { name: 't', kind: 1, index: 0 },
         { name: 'taskwrap_exit_code', kind: 3, index: 1 }]],
    [10, [{ locals: [], code: ['block 64', 'br 0', 'end'] },
          { locals: [[1, 0x7f]], code: ['block 64', 'end', 'local.get 0', 'call 2'] },
          { locals: [], code: ['i32.const 52'] }]],
    [0, { name: c.want }],
  ];
  if (!isDeepStrictEqual(got, want))
    fail(`${c.name}: output differs\n  want ${JSON.stringify(want)}\n  got  ${JSON.stringify(got)}`);
  else console.log(`ok: ${c.name}`);
}
console.log(failures ? `${failures} of ${cases.length} cases failed` : `all ${cases.length} cases passed`);
process.exit(failures ? 1 : 0);
