// Just enough of the WebAssembly binary format for the differential test:
// sections, the export section, function counts and code bodies, and the
// three edits its sabotaged rewriters make. Independent of wasm-taskwrap.

export function uleb(buf, at) {
  let v = 0, shift = 0, b;
  do {
    b = buf[at++];
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [v, at];
}
export function encU(v) {
  const out = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
const encName = (s) => { const b = Buffer.from(s, 'utf8'); return [...encU(b.length), ...b]; };

export function sections(buf) {
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const out = [];
  let at = 8;
  while (at < buf.length) {
    const id = buf[at];
    const [size, p] = uleb(buf, at + 1);
    const s = { id, start: at, payload: p, end: p + size };
    if (id === 0) { const [n, q] = uleb(buf, p); s.name = buf.subarray(q, q + n).toString('utf8'); }
    out.push(s);
    at = p + size;
  }
  return out;
}
export function assemble(head, secs) {
  // secs: [{id, bytes}] (bytes = payload)
  const parts = [head.subarray(0, 8)];
  for (const s of secs) parts.push(Buffer.from([s.id, ...encU(s.bytes.length)]), Buffer.from(s.bytes));
  return Buffer.concat(parts);
}
const payloadOf = (buf, s) => buf.subarray(s.payload, s.end);

// Function-import count, defined-function type indices, exports, code bodies.
export function parseModule(buf) {
  const secs = sections(buf);
  const m = { secs, funcImports: 0, funcTypes: [], exports: [], bodies: [], types: [] };
  for (const s of secs) {
    let at = s.payload;
    if (s.id === 1) {
      const [n, p] = uleb(buf, at); at = p;
      for (let i = 0; i < n; i++) {
        if (buf[at++] !== 0x60) throw new Error('non-func type');
        const [np, p1] = uleb(buf, at); const params = [...buf.subarray(p1, p1 + np)]; at = p1 + np;
        const [nr, p2] = uleb(buf, at); const results = [...buf.subarray(p2, p2 + nr)]; at = p2 + nr;
        m.types.push({ params, results });
      }
    } else if (s.id === 2) {
      const [n, p] = uleb(buf, at); at = p;
      for (let i = 0; i < n; i++) {
        const [l1, a1] = uleb(buf, at); at = a1 + l1;
        const [l2, a2] = uleb(buf, at); at = a2 + l2;
        const kind = buf[at++];
        if (kind === 0) { m.funcImports++; at = uleb(buf, at)[1]; }
        else if (kind === 1) { at += 1; const fl = buf[at++]; at = uleb(buf, at)[1]; if (fl & 1) at = uleb(buf, at)[1]; }
        else if (kind === 2) { const fl = buf[at++]; at = uleb(buf, at)[1]; if (fl & 1) at = uleb(buf, at)[1]; }
        else if (kind === 3) at += 2;
        else throw new Error('import kind');
      }
    } else if (s.id === 3) {
      const [n, p] = uleb(buf, at); at = p;
      for (let i = 0; i < n; i++) { const [t, q] = uleb(buf, at); m.funcTypes.push(t); at = q; }
    } else if (s.id === 7) {
      const [n, p] = uleb(buf, at); at = p;
      for (let i = 0; i < n; i++) {
        const [l, a] = uleb(buf, at);
        const name = buf.subarray(a, a + l).toString('utf8'); at = a + l;
        const kind = buf[at++];
        const [index, q] = uleb(buf, at); at = q;
        m.exports.push({ name, kind, index });
      }
    } else if (s.id === 10) {
      const [n, p] = uleb(buf, at); at = p;
      for (let i = 0; i < n; i++) {
        const [size, q] = uleb(buf, at);
        m.bodies.push({ start: q, end: q + size, sizeAt: at });
        at = q + size;
      }
    }
  }
  m.funcCount = m.funcImports + m.funcTypes.length;
  m.typeOf = (fi) => m.types[m.funcTypes[fi - m.funcImports]];
  return m;
}

// The instructions of a code body that matter here: i32.const, call,
// local.get/set, select; anything else is reported as 'other'.
export function bodyOps(buf, body) {
  let at = body.start;
  const [groups, p] = uleb(buf, at); at = p;
  for (let i = 0; i < groups; i++) { at = uleb(buf, at)[1]; at++; }
  const ops = [];
  while (at < body.end) {
    const op = buf[at++];
    if (op === 0x41) { // i32.const, signed LEB
      let v = 0, shift = 0, b; const from = at;
      do { b = buf[at++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
      if (shift < 32 && (b & 0x40)) v |= -1 << shift;
      ops.push({ op: 'i32.const', v, at: from });
    } else if (op === 0x10) { const [x, q] = uleb(buf, at); at = q; ops.push({ op: 'call', v: x }); }
    else if (op === 0x20) { const [x, q] = uleb(buf, at); at = q; ops.push({ op: 'local.get', v: x }); }
    else if (op === 0x21) { const [x, q] = uleb(buf, at); at = q; ops.push({ op: 'local.set', v: x }); }
    else if (op === 0x1b) ops.push({ op: 'select' });
    else if (op === 0x0b) ops.push({ op: 'end' });
    else { ops.push({ op: 'other', code: op }); break; } // not a wrapper: stop decoding
  }
  return ops;
}

// The hook codes a function calls directly, in order (a `select` of 4 and 5
// before the hook call is the callback result's choice, [4,5]), and the other
// functions it calls. Only a function of the wrapper shapes yields codes.
export function hookCallsOf(buf, m, fi, hook) {
  if (fi < m.funcImports) return { codes: [], callees: [] };
  const ops = bodyOps(buf, m.bodies[fi - m.funcImports]);
  if (ops.some((o) => o.op === 'other')) return { codes: [], callees: [] };
  const codes = [], callees = [];
  ops.forEach((o, i) => {
    if (o.op !== 'call') return;
    const prev = ops[i - 1];
    // a call of the hook function that forwards parameters is the wrapped
    // call itself (the hook exported again under another name)
    if (o.v === hook && prev?.op === 'i32.const') codes.push(prev.v);
    else if (o.v === hook && prev?.op === 'select' && ops[i - 2]?.op === 'local.get' && ops[i - 3]?.v === 5 && ops[i - 4]?.v === 4) codes.push([4, 5]);
    else callees.push(o.v);
  });
  return { codes, callees };
}

// --- edits ----------------------------------------------------------------------
export function stripCustom(buf, prefix) {
  const secs = sections(buf);
  const kept = [], removed = [];
  for (const s of secs) (s.id === 0 && s.name.startsWith(prefix) ? removed : kept).push({ id: s.id, bytes: payloadOf(buf, s) });
  return { module: assemble(buf, kept), removed };
}
export function appendSections(buf, extra) {
  const secs = sections(buf).map((s) => ({ id: s.id, bytes: payloadOf(buf, s) }));
  return assemble(buf, [...secs, ...extra]);
}
function replaceExports(buf, m, exports) {
  const bytes = [...encU(exports.length)];
  for (const e of exports) bytes.push(...encName(e.name), e.kind, ...encU(e.index));
  return assemble(buf, m.secs.map((s) => ({ id: s.id, bytes: s.id === 7 ? Buffer.from(bytes) : payloadOf(buf, s) })));
}
// Re-point export `name` at function `index`.
export function repointExport(buf, name, index) {
  const m = parseModule(buf);
  return replaceExports(buf, m, m.exports.map((e) => (e.name === name ? { ...e, index } : e)));
}
// Overwrite one byte.
export function patchByte(buf, at, v) {
  const out = Buffer.from(buf);
  out[at] = v;
  return out;
}
// Append a wrapper `H(0); call f; H(1)` for function f (hook = function index)
// and re-point export `name` at it.
export function addSyncWrapper(buf, name, f, hook) {
  const m = parseModule(buf);
  const t = m.funcTypes[f - m.funcImports];
  if (t === undefined) throw new Error('cannot wrap an imported function here');
  const np = m.types[t].params.length;
  const body = [0x00, 0x41, 0x00, 0x10, ...encU(hook)];
  for (let i = 0; i < np; i++) body.push(0x20, ...encU(i));
  body.push(0x10, ...encU(f), 0x41, 0x01, 0x10, ...encU(hook), 0x0b);
  const newIndex = m.funcCount;
  const secs = m.secs.map((s) => {
    const p = payloadOf(buf, s);
    if (s.id === 3) {
      const [n, q] = uleb(p, 0);
      return { id: 3, bytes: Buffer.from([...encU(n + 1), ...p.subarray(q), ...encU(t)]) };
    }
    if (s.id === 10) {
      const [n, q] = uleb(p, 0);
      return { id: 10, bytes: Buffer.from([...encU(n + 1), ...p.subarray(q), ...encU(body.length), ...body]) };
    }
    return { id: s.id, bytes: p };
  });
  const out = assemble(buf, secs);
  return repointExport(out, name, newIndex);
}

// The reference rewriter of the self-check (--rewriter oracle): the wrappers
// wit-component's fixup module has, put into the module itself. wraps:
// [{ name, codes }] with codes as the fixup calls them; start codes (0 2 3 6
// 8 12) before the call, the others after it, [4,5] as the select on the
// result that docs/abi.md describes. The hook export is removed.
const START = new Set([0, 2, 3, 6, 8, 12]);
export function oracleRewrite(buf, wraps, hook) {
  const m = parseModule(buf);
  const exportIndex = new Map(m.exports.filter((e) => e.kind === 0).map((e) => [e.name, e.index]));
  const funcTypes = [], bodies = [], target = new Map();
  for (const w of wraps) {
    const f = exportIndex.get(w.name);
    if (f === undefined || f < m.funcImports) throw new Error(`oracle: cannot wrap ${w.name}`);
    const t = m.funcTypes[f - m.funcImports];
    const np = m.types[t].params.length;
    const needR = w.codes.some(Array.isArray);
    const body = needR ? [0x01, 0x01, 0x7f] : [0x00];
    const H = (c) => body.push(0x41, c, 0x10, ...encU(hook));
    for (const c of w.codes) if (!Array.isArray(c) && START.has(c)) H(c);
    for (let i = 0; i < np; i++) body.push(0x20, ...encU(i));
    body.push(0x10, ...encU(f));
    if (needR) body.push(0x21, ...encU(np));
    for (const c of w.codes) {
      if (Array.isArray(c)) body.push(0x41, 0x04, 0x41, 0x05, 0x20, ...encU(np), 0x1b, 0x10, ...encU(hook));
      else if (!START.has(c)) H(c);
    }
    if (needR) body.push(0x20, ...encU(np));
    body.push(0x0b);
    target.set(w.name, m.funcCount + funcTypes.length);
    funcTypes.push(t);
    bodies.push(body);
  }
  const exports = m.exports.filter((e) => e.name !== '__wasm_task_hook').map((e) => (target.has(e.name) ? { ...e, index: target.get(e.name) } : e));
  const ebytes = [...encU(exports.length)];
  for (const e of exports) ebytes.push(...encName(e.name), e.kind, ...encU(e.index));
  const secs = m.secs.map((s) => {
    const p = payloadOf(buf, s);
    if (s.id === 3) { const [n, q] = uleb(p, 0); return { id: 3, bytes: Buffer.from([...encU(n + funcTypes.length), ...p.subarray(q), ...funcTypes.flatMap(encU)]) }; }
    if (s.id === 10) { const [n, q] = uleb(p, 0); return { id: 10, bytes: Buffer.from([...encU(n + bodies.length), ...p.subarray(q), ...bodies.flatMap((b) => [...encU(b.length), ...b])]) }; }
    if (s.id === 7) return { id: 7, bytes: Buffer.from(ebytes) };
    return { id: s.id, bytes: p };
  });
  return assemble(buf, secs);
}
