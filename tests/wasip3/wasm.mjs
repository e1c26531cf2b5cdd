// Byte-level helpers for the wasip3 tests: what wat2wasm cannot write, and
// an independent account of what wasm-taskwrap changed. The instruction
// decoder knows the opcodes the fixtures (and clang's code for hook.c) use
// and throws on any other, so a body it cannot walk is an error, never
// skipped.
//
//   node wasm.mjs widen IN OUT          the immediates wasm-ld leaves padded
//                                       to 5 bytes (indices, load/store
//                                       offsets, i32.const), so padded: the
//                                       call_indirect table index 00 becomes
//                                       80 80 80 80 00 (call-indirect-overlong)
//   node wasm.mjs narrow IN OUT         the opposite (for the self-check)
//   node wasm.mjs toolchain IN OUT      append producers and target_features
//                                       (with +libcall-thread-context), as
//                                       wasm-ld does after the name section
//   node wasm.mjs compare IN OUT [--stub NAME]
//                                       what changed between input and
//                                       rewritten output: only the sections a
//                                       rewrite must change, each checked;
//                                       with --stub, the WASI import NAME was
//                                       replaced by a stub (--stub-wasi), so
//                                       function indices are renumbered
//   node wasm.mjs set-hook-code IN OUT EXPORT FROM TO
//                                       sabotage: the first hook call of
//                                       EXPORT's wrapper passes TO, not FROM
//   node wasm.mjs inspect IN            JSON: imports, exports, global names
//                                       and initialisers, passive segments,
//                                       memory.init/data.drop, call_indirect
//                                       immediates, target_features; and the
//                                       file offsets of the first call_indirect
//                                       table index, the first 5-byte call
//                                       index, target_features' contents
import { readFileSync, writeFileSync } from 'node:fs';

// ---- LEB128 ----
const uleb = (v) => { const o = []; do { let b = v & 0x7f; v >>>= 7; if (v) b |= 0x80; o.push(b); } while (v); return o; };
const uleb5 = (v) => [0, 1, 2, 3, 4].map((i) => ((v >>> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0));
const sleb = (v) => {
  const o = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && (b & 0x40))) { o.push(b); return o; }
    o.push(b | 0x80);
  }
};
// an i32 as a 5-byte signed LEB128 (the last byte: bits 28-34, sign-extended)
const sleb5 = (v) => [0, 1, 2, 3, 4].map((i) => ((v >> (7 * i)) & 0x7f) | (i < 4 ? 0x80 : 0));
const str = (s) => [...uleb(Buffer.byteLength(s)), ...Buffer.from(s)];

class Reader {
  constructor(buf, pos = 0, end = buf.length) { this.buf = buf; this.pos = pos; this.end = end; }
  byte() { if (this.pos >= this.end) throw new Error(`read past the end at 0x${this.pos.toString(16)}`); return this.buf[this.pos++]; }
  u32() { let r = 0, s = 0, b; do { b = this.byte(); r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; }
  sleb() { let r = 0n, s = 0n, b; do { b = this.byte(); r |= BigInt(b & 0x7f) << s; s += 7n; } while (b & 0x80); if (b & 0x40) r -= 1n << s; return r; }
  name() { const n = this.u32(); const t = this.buf.subarray(this.pos, this.pos + n).toString(); this.pos += n; return t; }
}

// Sections: id, the offset of the id byte, of the contents, and the end.
function sections(buf) {
  if (buf.readUInt32BE(0) !== 0x0061736d) throw new Error('not a wasm module');
  const out = [];
  const r = new Reader(buf, 8);
  while (r.pos < buf.length) {
    const at = r.pos, id = r.byte(), size = r.u32(), start = r.pos;
    const s = { id, at, start, end: start + size, bytes: buf.subarray(at, start + size),
                contents: buf.subarray(start, start + size) };
    if (id === 0) { const n = new Reader(buf, start); s.name = n.name(); s.payload = buf.subarray(n.pos, s.end); }
    out.push(s);
    r.pos = s.end;
  }
  return out;
}
const label = (s) => (s.id === 0 ? `custom "${s.name}"` : ['custom', 'type', 'import', 'function', 'table', 'memory',
  'global', 'export', 'start', 'element', 'code', 'data', 'datacount'][s.id] ?? `section ${s.id}`);
const section = (id, bytes) => [id, ...uleb(bytes.length), ...bytes];

// ---- instructions ----
const BLOCKTYPES = new Set([0x40, 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f]);
// One instruction from r: { op, at, end, imm: [[start, end], ...] } (each
// immediate's byte range), plus func / table for call and call_indirect.
function instr(r) {
  const at = r.pos, op = r.byte(), imm = [];
  const u = () => { const s = r.pos; const v = r.u32(); imm.push([s, r.pos]); return v; };
  const i = { op, at, imm };
  if (op === 0x02 || op === 0x03 || op === 0x04) { // block, loop, if
    const s = r.pos;
    if (BLOCKTYPES.has(r.buf[s])) r.pos++; else r.sleb();
    imm.push([s, r.pos]);
  } else if (op === 0x0c || op === 0x0d) u();                       // br, br_if
  else if (op === 0x0e) { for (let n = u(); n >= 0; n--) u(); }    // br_table: labels, default
  else if (op === 0x1c) { for (let n = u(); n > 0; n--) r.byte(); } // select t*
  else if (op === 0x10 || op === 0x12 || op === 0xd2) i.func = u(); // call, return_call, ref.func
  else if (op === 0x11 || op === 0x13) { i.type = u(); i.table = u(); } // call_indirect, return_call_indirect
  else if (op === 0x25 || op === 0x26) u();                         // table.get, table.set
  else if (op === 0xd0) r.byte();                                   // ref.null t
  else if (op >= 0x20 && op <= 0x24) u();                           // local.*, global.*
  else if (op >= 0x28 && op <= 0x3e) { u(); u(); }                  // loads, stores: memarg
  else if (op === 0x3f || op === 0x40) u();                         // memory.size, memory.grow
  else if (op === 0x41 || op === 0x42) { const s = r.pos; r.sleb(); imm.push([s, r.pos]); }
  else if (op === 0xfc) {
    const sub = u(); i.sub = sub;
    if (sub === 8 || sub === 10) { u(); u(); }                      // memory.init, memory.copy
    else if (sub === 9 || sub === 11) u();                          // data.drop, memory.fill
    else if (sub === 12 || sub === 14) { u(); u(); }                // table.init, table.copy
    else if (sub === 13 || (sub >= 15 && sub <= 17)) u();          // elem.drop, table.grow/size/fill
    else if (sub > 7) throw new Error(`decoder: 0xfc ${sub} at 0x${at.toString(16)}`);
  } else if ([0x00, 0x01, 0x05, 0x0b, 0x0f, 0x1a, 0x1b, 0xd1].includes(op) || (op >= 0x45 && op <= 0xc4)) { /* none */ }
  else throw new Error(`decoder: opcode 0x${op.toString(16)} at 0x${at.toString(16)}`);
  i.end = r.pos;
  return i;
}

// Function bodies of a code section: { at, end, codeAt (after the locals), instrs }.
function bodies(buf, code) {
  const r = new Reader(buf, code.start, code.end);
  const n = r.u32();
  const countEnd = r.pos;
  const out = [];
  for (let k = 0; k < n; k++) {
    const size = r.u32(), at = r.pos, end = at + size;
    const b = new Reader(buf, at, end);
    for (let l = b.u32(); l > 0; l--) { b.u32(); b.byte(); }
    const codeAt = b.pos, instrs = [];
    while (b.pos < end) instrs.push(instr(b));
    if (instrs.at(-1)?.op !== 0x0b) throw new Error(`body ${k} does not end with end`);
    out.push({ at, end, codeAt, instrs });
    r.pos = end;
  }
  if (r.pos !== code.end) throw new Error('code section: bytes after the last body');
  return { count: n, countEnd, bodies: out };
}

// Re-encode the immediates wasm-ld fills in from relocations and leaves
// padded to 5 bytes (it compresses them only with --compress-relocations):
// the function index of call, return_call and ref.func, the type and table
// index of call_indirect and return_call_indirect, global.get/set's global
// index, a load's or store's offset and i32.const (memory addresses; every
// one here, which is as valid). enc and senc are uleb5 and sleb5 (widen) or
// the minimal uleb and sleb (narrow). Body and section sizes are recomputed, minimal, as wat2wasm
// and wasm-ld write them.
function recodeIndices(buf, enc, senc) {
  const secs = sections(buf);
  const code = secs.find((s) => s.id === 10);
  const { bodies: bs } = bodies(buf, code);
  const n = { call_indirect: 0, call: 0, global: 0, 'i32.const': 0, memarg: 0 };
  const out = [...uleb(bs.length)];
  for (const b of bs) {
    const bytes = [...buf.subarray(b.at, b.codeAt)];
    for (const i of b.instrs) {
      const value = (k) => new Reader(buf, i.imm[k][0], i.imm[k][1]).u32();
      if (i.op === 0x11 || i.op === 0x13) { bytes.push(i.op, ...enc(i.type), ...enc(i.table)); n.call_indirect++; }
      else if (i.func !== undefined) { bytes.push(i.op, ...enc(i.func)); n.call++; }
      else if (i.op === 0x23 || i.op === 0x24) { bytes.push(i.op, ...enc(value(0))); n.global++; }
      else if (i.op === 0x41) {
        const v = Number(new Reader(buf, i.imm[0][0], i.imm[0][1]).sleb());
        bytes.push(0x41, ...senc(v | 0)); n['i32.const']++;
      } else if (i.op >= 0x28 && i.op <= 0x3e) { // the alignment as it is, the offset padded
        bytes.push(...buf.subarray(i.at, i.imm[1][0]), ...enc(value(1))); n.memarg++;
      }
      else bytes.push(...buf.subarray(i.at, i.end));
    }
    out.push(...uleb(bytes.length), ...bytes);
  }
  const parts = secs.map((s) => (s === code ? Buffer.from(section(10, out)) : s.bytes));
  return { buf: Buffer.concat([buf.subarray(0, 8), ...parts]), n };
}

// ---- what a module holds ----
function decodeModule(buf) {
  const secs = sections(buf);
  const m = { secs, imports: [], funcImports: 0, funcs: 0, exports: [] };
  for (const s of secs) {
    const r = new Reader(buf, s.start, s.end);
    if (s.id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        const at = r.pos, module = r.name(), name = r.name(), kind = r.byte();
        if (kind === 0) { r.u32(); m.funcImports++; }
        else if (kind === 1) { r.byte(); const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
        else if (kind === 2) { const f = r.byte(); r.u32(); if (f & 1) r.u32(); }
        else if (kind === 3) { r.byte(); r.byte(); }
        else throw new Error(`import kind ${kind}`);
        m.imports.push({ module, name, kind, bytes: buf.subarray(at, r.pos) });
      }
    } else if (s.id === 3) {
      m.funcs = r.u32();
      m.funcEntries = buf.subarray(r.pos, s.end);
      m.funcCountWidth = r.pos - s.start;
    } else if (s.id === 7) {
      for (let n = r.u32(); n > 0; n--) {
        const at = r.pos, name = r.name(), kind = r.byte(), idxAt = r.pos, index = r.u32();
        m.exports.push({ name, kind, index, head: buf.subarray(at, idxAt), idxWidth: r.pos - idxAt });
      }
    } else if (s.id === 9) {
      m.elems = [];
      for (let n = r.u32(); n > 0; n--) {
        // the forms with function indices: 0 (active, table 0), 1
        // (passive), 2 (active, a table), 3 (declarative)
        const flags = r.u32();
        if (flags > 3) throw new Error(`element segment form ${flags} not handled`);
        const exprAt = r.pos;
        if (flags === 2) r.u32();
        if (flags !== 1 && flags !== 3) while (instr(r).op !== 0x0b) { /* the offset expression */ }
        if (flags !== 0) r.byte(); // elemkind 0x00: funcref
        const expr = buf.subarray(exprAt, r.pos), funcs = [];
        for (let k = r.u32(); k > 0; k--) { const a = r.pos; funcs.push({ index: r.u32(), width: 0 }); funcs.at(-1).width = r.pos - a; }
        m.elems.push({ expr, funcs });
      }
    } else if (s.id === 10) m.code = bodies(buf, s);
  }
  return m;
}

// ---- compare ----
function compare(inBuf, outBuf, stubName) {
  const problems = [];
  const bad = (msg) => problems.push(msg);
  const a = decodeModule(inBuf), b = decodeModule(outBuf);
  const same = (x, y) => Buffer.compare(x, y) === 0;
  const nDefIn = a.funcs;
  // old function index -> new (the verifier's numbering, docs/output-layout.md)
  let removed = -1;
  if (stubName !== undefined) {
    removed = a.imports.filter((i) => i.kind === 0).findIndex((i) => i.module === 'wasi_snapshot_preview1' && i.name === stubName);
    if (removed < 0) bad(`no WASI import ${stubName} in the input`);
  }
  // The removed import's calls go to its stub, the last function (kept
  // imports, defined functions, wrappers, stubs; no guards here).
  const stub = b.funcImports + b.funcs - 1;
  const map = (f) => (removed < 0 || f < removed ? f : f > removed ? f - 1 : stub);
  const keptImports = a.funcImports - (removed < 0 ? 0 : 1);
  if (b.funcImports !== keptImports) bad(`function imports: ${b.funcImports}, expected ${keptImports}`);

  // Which sections may change: function, export, code, name; with a stub
  // also import, element and global (--stub-wasi appends the exit-code
  // global and exports it). Everything else is byte-identical.
  const mayChange = new Set([3, 7, 10, 'name']);
  if (removed >= 0) { mayChange.add(2); mayChange.add(6); mayChange.add(9); }
  // A global section may be inserted (--stub-wasi's exit code, in a module
  // with no globals); otherwise the sections are the input's, in order.
  const key = (s) => (s.id === 0 ? s.name : s.id);
  const inserted = removed >= 0 && !a.secs.some((x) => x.id === 6) ? [6] : [];
  const kept = b.secs.filter((y) => !inserted.includes(key(y)));
  if (a.secs.map(key).join() !== kept.map(key).join() || kept.length + inserted.length !== b.secs.length)
    bad(`section order: ${a.secs.map(label).join(', ')} -> ${b.secs.map(label).join(', ')}`);
  const report = inserted.map((id) => `${label({ id })}: inserted`);
  for (let k = 0; k < Math.min(a.secs.length, kept.length); k++) {
    const x = a.secs[k], y = kept[k];
    const identical = same(x.bytes, y.bytes);
    report.push(`${label(x)}: ${identical ? 'identical' : 'changed'}`);
    if (!identical && !mayChange.has(key(x))) bad(`${label(x)} changed`);
  }

  // function: the input's entries, then the added functions' types
  if (!b.funcEntries || !same(b.funcEntries.subarray(0, a.funcEntries.length), a.funcEntries))
    bad('function section: the input entries are not copied');
  if (b.funcCountWidth !== a.funcCountWidth) bad('function section: count width changed');
  const added = b.funcs - a.funcs;
  if (added < 1) bad(`function section: ${added} functions added`);

  // import: the kept entries, byte for byte, in order
  const keptImp = a.imports.filter((i) => !(i.kind === 0 && i.module === 'wasi_snapshot_preview1' && i.name === stubName));
  if (keptImp.length !== b.imports.length || keptImp.some((i, k) => !same(i.bytes, b.imports[k].bytes)))
    bad('import section: the kept imports are not the input entries');

  // export: each one kept, removed (the hook), or re-pointed at an added function
  const firstAdded = keptImports + nDefIn;
  for (const e of a.exports) {
    const o = b.exports.find((x) => x.name === e.name);
    if (!o) { if (e.name !== '__wasm_task_hook') bad(`export "${e.name}" removed`); continue; }
    if (!same(o.head, e.head) || o.kind !== e.kind) bad(`export "${e.name}": name or kind changed`);
    if (e.kind !== 0) { if (o.index !== e.index) bad(`export "${e.name}": index changed`); continue; }
    if (o.index === map(e.index)) continue;
    if (o.index < firstAdded) bad(`export "${e.name}": func ${e.index} -> ${o.index}, not an added function`);
  }
  if (b.exports.some((x) => x.name === '__wasm_task_hook')) bad('the hook is still exported');
  const extra = b.exports.filter((x) => !a.exports.some((e) => e.name === x.name)).map((x) => x.name);
  if (extra.join() !== (removed >= 0 ? 'taskwrap_exit_code' : '')) bad(`exports added: ${extra}`);

  // element: the same offset expressions, function indices renumbered, widths kept
  if (a.elems) {
    a.elems.forEach((e, k) => {
      const o = b.elems?.[k];
      if (!o || !same(o.expr, e.expr)) { bad(`element segment ${k}: offset expression changed`); return; }
      e.funcs.forEach((f, j) => {
        const g = o.funcs[j];
        if (!g || g.index !== map(f.index) || g.width !== f.width)
          bad(`element segment ${k} entry ${j}: ${f.index} -> ${g?.index}, expected ${map(f.index)}`);
      });
    });
  }

  // code: the count keeps its width; without renumbering the input bodies
  // are one copied range; with it, every body is the same instructions with
  // the same immediate bytes, but a call's function index renumbered (its
  // width kept).
  const ca = a.code, cb = b.code;
  const codeA = a.secs.find((s) => s.id === 10), codeB = b.secs.find((s) => s.id === 10);
  if (cb.countEnd - codeB.start !== ca.countEnd - codeA.start) bad('code section: count width changed');
  if (cb.count !== ca.count + added) bad(`code section: ${cb.count} bodies, expected ${ca.count + added}`);
  if (removed < 0) {
    const range = inBuf.subarray(ca.countEnd, codeA.end);
    if (!same(outBuf.subarray(cb.countEnd, cb.countEnd + range.length), range))
      bad('code section: the input bodies are not copied unchanged at their offset');
  } else {
    ca.bodies.forEach((x, k) => {
      const y = cb.bodies[k];
      if (!same(inBuf.subarray(x.at, x.codeAt), outBuf.subarray(y.at, y.codeAt))) bad(`body ${k}: locals changed`);
      if (x.instrs.length !== y.instrs.length) { bad(`body ${k}: ${x.instrs.length} -> ${y.instrs.length} instructions`); return; }
      x.instrs.forEach((i, j) => {
        const o = y.instrs[j];
        if (i.func !== undefined) { // call, return_call, ref.func
          const w = (v) => v.imm[0][1] - v.imm[0][0];
          if (o.op !== i.op || o.func !== map(i.func) || w(o) !== w(i))
            bad(`body ${k} instruction ${j}: 0x${i.op.toString(16)} ${i.func} -> 0x${o.op.toString(16)} ${o.func}, expected ${map(i.func)}`);
        } else if (!same(inBuf.subarray(i.at, i.end), outBuf.subarray(o.at, o.end)))
          bad(`body ${k} instruction ${j} (0x${i.op.toString(16)}): bytes changed`);
      });
    });
  }

  // call_indirect: every input one has its 5-byte table index, and so has
  // the output (the check above would miss a body the decoder skipped).
  const wide = (m, buf) => m.code.bodies.flatMap((x) => x.instrs.filter((i) => i.op === 0x11))
    .map((i) => Buffer.from(buf.subarray(i.imm[1][0], i.imm[1][1])).toString('hex'));
  const wa = wide(a, inBuf), wb = wide(b, outBuf);
  if (wa.length === 0) bad('the input has no call_indirect');
  if (wa.some((h) => h !== '8080808000')) bad(`input call_indirect table indices: ${wa}`);
  if (wb.join() !== wa.join()) bad(`output call_indirect table indices: ${wb}, input ${wa}`);

  // name: function names (1) and local names (2) renumbered, the removed
  // import's entries left out, a "taskwrap:..." name for each added
  // function; every other subsection (globals, data segments, ...) copied.
  const na = names(inBuf, a.secs), nb = names(outBuf, b.secs);
  for (const id of new Set([...na.keys(), ...nb.keys()])) {
    const x = na.get(id), y = nb.get(id);
    if (!x || !y) { bad(`name subsection ${id} ${x ? 'lost' : 'added'}`); continue; }
    if (id !== 1 && id !== 2) { if (!same(x.raw, y.raw)) bad(`name subsection ${id} changed`); continue; }
    const want = x.entries.filter(([i]) => map(i) !== stub || removed < 0).map(([i, v]) => [map(i), v]);
    const got = y.entries.slice(0, want.length);
    if (JSON.stringify(got) !== JSON.stringify(want)) bad(`name subsection ${id}: the input's entries are not renumbered right`);
    const rest = y.entries.slice(want.length);
    if (id === 1 && (rest.length !== added || rest.some(([i, v], k) => i !== firstAdded + k || !v.startsWith('taskwrap:'))))
      bad(`function names of the added functions: ${JSON.stringify(rest)}`);
    if (id === 2 && rest.length) bad('local names added');
  }

  // the toolchain's custom sections (also covered by the section loop)
  for (const n of ['target_features', 'producers']) {
    const x = a.secs.find((s) => s.id === 0 && s.name === n), y = b.secs.find((s) => s.id === 0 && s.name === n);
    if (!x) bad(`the input has no ${n}`); else if (!y || !same(x.bytes, y.bytes)) bad(`${n} not byte-identical`);
  }
  // The globals, with their extended-const initialisers: byte-identical,
  // or (--stub-wasi) the same count width and entries with one appended.
  const ga = a.secs.find((s) => s.id === 6), gb = b.secs.find((s) => s.id === 6);
  if (!gb) bad('no global section in the output');
  else if (!ga) { if (!inserted.includes(6)) bad('a global section inserted'); }
  else if (removed < 0 ? !same(ga.bytes, gb.bytes)
    : (() => { const ra = new Reader(inBuf, ga.start), rb = new Reader(outBuf, gb.start);
               const na = ra.u32(), nb = rb.u32();
               return nb !== na + 1 || ra.pos - ga.start !== rb.pos - gb.start ||
                 !same(inBuf.subarray(ra.pos, ga.end), outBuf.subarray(rb.pos, rb.pos + ga.end - ra.pos)); })())
    bad('global section: the input globals (extended-const initialisers) are not copied byte for byte');
  return { problems, report, calls: wa.length, added };
}

// The name section's subsections by id: raw bytes, and for 1 (function
// names) and 2 (local names) the entries as [index, name or [[local, name]]].
function names(buf, secs) {
  const out = new Map();
  const s = secs.find((x) => x.id === 0 && x.name === 'name');
  if (!s) return out;
  const r = new Reader(buf, s.end - s.payload.length, s.end);
  const map = (rr) => Array.from({ length: rr.u32() }, () => [rr.u32(), rr.name()]);
  while (r.pos < s.end) {
    const id = r.byte(), size = r.u32(), at = r.pos;
    const sub = { raw: buf.subarray(at, at + size) };
    const rr = new Reader(buf, at, at + size);
    if (id === 1) sub.entries = map(rr);
    if (id === 2) sub.entries = Array.from({ length: rr.u32() }, () => [rr.u32(), map(rr)]);
    out.set(id, sub);
    r.pos = at + size;
  }
  return out;
}

function targetFeatures(payload) {
  const r = new Reader(payload);
  const out = [];
  for (let n = r.u32(); n > 0; n--) { const p = String.fromCharCode(r.byte()); out.push(p + r.name()); }
  if (r.pos !== payload.length) throw new Error('target_features: trailing bytes');
  return out;
}

// ---- commands ----
const [cmd, ...args] = process.argv.slice(2);
const read = (f) => readFileSync(f);
switch (cmd) {
  case 'widen':
  case 'narrow': {
    const { buf, n } = recodeIndices(read(args[0]), ...(cmd === 'widen' ? [uleb5, sleb5] : [uleb, sleb]));
    if (n.call_indirect === 0) { console.error(`${cmd}: no call_indirect in ${args[0]}`); process.exit(1); }
    writeFileSync(args[1], buf);
    console.log(`${cmd}: ${Object.entries(n).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    break;
  }
  case 'toolchain': {
    // producers: fields (name, vec of (name, version)); target_features:
    // vec of (prefix byte, name), '+' = used. The feature set of a
    // clang 22 -mcpu=lime1 wasip3 build.
    const producers = [...uleb(2),
      ...str('language'), ...uleb(1), ...str('C11'), ...str(''),
      ...str('processed-by'), ...uleb(1), ...str('clang'), ...str('22.1.0')];
    const features = ['bulk-memory', 'bulk-memory-opt', 'call-indirect-overlong', 'extended-const',
      'libcall-thread-context', 'multivalue', 'mutable-globals', 'nontrapping-fptoint',
      'reference-types', 'sign-ext'];
    const tf = [...uleb(features.length), ...features.flatMap((f) => [0x2b, ...str(f)])];
    const custom = (name, bytes) => Buffer.from(section(0, [...str(name), ...bytes]));
    writeFileSync(args[1], Buffer.concat([read(args[0]), custom('producers', producers), custom('target_features', tf)]));
    break;
  }
  case 'compare': {
    const stub = args[2] === '--stub' ? args[3] : undefined;
    const { problems, report, calls, added } = compare(read(args[0]), read(args[1]), stub);
    for (const l of report) console.log(`  ${l}`);
    console.log(`  ${added} functions added, ${calls} call_indirect with a 5-byte table index`);
    for (const p of problems) console.log(`  problem: ${p}`);
    process.exit(problems.length ? 1 : 0);
  }
  case 'set-hook-code': {
    const [inF, outF, exp, from, to] = args;
    const buf = Buffer.from(read(inF));
    const m = decodeModule(buf);
    const e = m.exports.find((x) => x.name === exp && x.kind === 0);
    if (!e) throw new Error(`no function export ${exp}`);
    const body = m.code.bodies[e.index - m.funcImports];
    const [c, call] = body.instrs;
    if (c.op !== 0x41 || call.op !== 0x10 || buf[c.imm[0][0]] !== Number(from) || c.imm[0][1] - c.imm[0][0] !== 1)
      throw new Error(`${exp}: its body does not start with i32.const ${from}; call`);
    buf[c.imm[0][0]] = Number(to); // a 1-byte signed LEB128 for 0..63
    writeFileSync(outF, buf);
    break;
  }
  case 'inspect': {
    // What a fixture claims to carry, and where the self-checks corrupt it.
    const buf = read(args[0]);
    const m = decodeModule(buf);
    const all = m.code.bodies.flatMap((x) => x.instrs);
    const ci = all.find((i) => i.op === 0x11);
    const call = all.find((i) => i.op === 0x10 && i.imm[0][1] - i.imm[0][0] === 5);
    const tf = m.secs.find((s) => s.id === 0 && s.name === 'target_features');
    const nm = names(buf, m.secs).get(7);
    const r7 = nm && new Reader(nm.raw);
    const globals = r7 ? Array.from({ length: r7.u32() }, () => (r7.u32(), r7.name())) : [];
    // each global's initialiser, as instruction names
    const inits = [];
    const gs = m.secs.find((s) => s.id === 6);
    const opName = { 0x23: 'global.get', 0x41: 'i32.const', 0x6a: 'i32.add', 0x6b: 'i32.sub', 0x6c: 'i32.mul' };
    if (gs) {
      const r = new Reader(buf, gs.start, gs.end);
      for (let n = r.u32(); n > 0; n--) {
        r.byte(); r.byte();
        const ops = [];
        for (let i = instr(r); i.op !== 0x0b; i = instr(r)) ops.push(opName[i.op] ?? `0x${i.op.toString(16)}`);
        inits.push(ops.join(' '));
      }
    }
    let passiveData = 0;
    const ds = m.secs.find((s) => s.id === 11);
    if (ds) {
      const r = new Reader(buf, ds.start, ds.end);
      for (let n = r.u32(); n > 0; n--) {
        const flags = r.u32();
        if (flags === 1) passiveData++;
        else if (flags === 0) while (instr(r).op !== 0x0b) { /* offset */ }
        else throw new Error(`data segment form ${flags}`);
        const size = r.u32();
        r.pos += size;
      }
    }
    console.log(JSON.stringify({
      imports: m.imports.map((i) => `${i.module}.${i.name}`),
      exports: m.exports.map((e) => `${['func', 'table', 'memory', 'global'][e.kind]}:${e.name}`),
      globals, inits, passiveData,
      memoryInit: all.filter((i) => i.op === 0xfc && i.sub === 8).length,
      dataDrop: all.filter((i) => i.op === 0xfc && i.sub === 9).length,
      callIndirect: all.filter((i) => i.op === 0x11).map((i) => Buffer.from(buf.subarray(i.at + 1, i.end)).toString('hex')),
      // call (10), return_call (12), ref.func (d2): how many have a 5-byte index
      paddedFuncRefs: Object.fromEntries([0x10, 0x12, 0xd2].map((op) => [op.toString(16),
        all.filter((i) => i.op === op && i.imm[0][1] - i.imm[0][0] === 5).length])),
      calls: all.filter((i) => i.op === 0x10).length,
      memargs: all.filter((i) => i.op >= 0x28 && i.op <= 0x3e).length,
      paddedMemarg: all.filter((i) => i.op >= 0x28 && i.op <= 0x3e && i.imm[1][1] - i.imm[1][0] === 5).length,
      consts: all.filter((i) => i.op === 0x41).length,
      paddedConst: all.filter((i) => i.op === 0x41 && i.imm[0][1] - i.imm[0][0] === 5).length,
      returnCallIndirect: all.filter((i) => i.op === 0x13).map((i) => Buffer.from(buf.subarray(i.at + 1, i.end)).toString('hex')),
      features: tf ? targetFeatures(tf.payload) : [],
      // file offsets for the self-checks
      callIndirectTable: ci?.imm[1][0], paddedCall: call?.imm[0][0], targetFeatures: tf && tf.end - tf.payload.length,
    }));
    break;
  }
  default:
    console.error('usage: node wasm.mjs widen|narrow|toolchain|compare|set-hook-code|inspect ...');
    process.exit(2);
}
