// Add a `__wasm_task_hook: [i32] -> []` function and export to a binary core
// module without re-encoding it: every section is copied as bytes except
// the type (only when it has no [i32] -> [] type), function, code and
// export sections, which get one entry appended. Counts keep their LEB128
// width (padded), so existing bodies keep their offsets in the code section.
//
// usage: node addhook.mjs IN.wasm OUT.wasm [EXPORT_FN=NEW_NAME ...]
//   EXPORT_FN=NEW_NAME also exports the function that export EXPORT_FN names
//   under NEW_NAME (e.g. _start=wasi:cli/run@0.2.0#run, so a command module
//   gets a lifted export for wasm-taskwrap to wrap).
import { readFileSync, writeFileSync } from 'node:fs';

const [inFile, outFile, ...aliases] = process.argv.slice(2);
if (!outFile) {
  console.error('usage: node addhook.mjs IN.wasm OUT.wasm [EXPORT_FN=NEW_NAME ...]');
  process.exit(2);
}
const buf = readFileSync(inFile);
if (buf.readUInt32LE(0) !== 0x6d736100 || buf.readUInt32LE(4) !== 1) throw new Error(`${inFile}: not a core module`);

function leb(pos) { // -> [value, byteLength]
  let v = 0, shift = 0, p = pos;
  for (;;) {
    const b = buf[p++];
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return [v, p - pos];
  }
}
function encLeb(v, width = 0) {
  const out = [];
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v || out.length + 1 < width) b |= 0x80;
    out.push(b);
  } while (v || out.length < width);
  return Buffer.from(out);
}
const name = (s) => Buffer.concat([encLeb(Buffer.byteLength(s)), Buffer.from(s)]);
// a vector section's contents with a new count (old width kept) and entries appended
function appendVec(contents, extra, added) {
  const [count, w] = [contents.count, contents.countWidth];
  return Buffer.concat([encLeb(count + added, w), buf.subarray(contents.start + w, contents.end), ...extra]);
}

// --- sections ----------------------------------------------------------------
const sections = []; // {id, start, end (contents), head (section start), count, countWidth}
for (let p = 8; p < buf.length;) {
  const id = buf[p];
  const [size, sw] = leb(p + 1);
  const start = p + 1 + sw, end = start + size;
  const s = { id, head: p, start, end };
  if (id !== 0 && id !== 12 && id !== 8) [s.count, s.countWidth] = leb(start);
  sections.push(s);
  p = end;
}
const sec = (id) => sections.find((s) => s.id === id);
for (const id of [1, 3, 7, 10]) if (!sec(id)) throw new Error(`${inFile}: no section ${id}`);

// type section: find [i32] -> [] (plain func types only)
let hookType = -1;
{
  const s = sec(1);
  let p = s.start + s.countWidth;
  for (let i = 0; i < s.count; i++) {
    if (buf[p] !== 0x60) throw new Error('type section has non-function types (not supported)');
    const [np, w1] = leb(p + 1);
    const params = buf.subarray(p + 1 + w1, p + 1 + w1 + np);
    const [nr, w2] = leb(p + 1 + w1 + np);
    if (np === 1 && params[0] === 0x7f && nr === 0 && hookType < 0) hookType = i;
    p += 1 + w1 + np + w2 + nr; // value types are one byte each here
  }
}
// imported functions
let importedFuncs = 0;
if (sec(2)) {
  const s = sec(2);
  let p = s.start + s.countWidth;
  const skipName = () => { const [n, w] = leb(p); p += w + n; };
  const skipLimits = () => { const f = buf[p++]; p += leb(p)[1]; if (f & 1) p += leb(p)[1]; };
  for (let i = 0; i < s.count; i++) {
    skipName(); skipName();
    const kind = buf[p++];
    if (kind === 0) { importedFuncs++; p += leb(p)[1]; }
    else if (kind === 1) { p++; skipLimits(); }
    else if (kind === 2) skipLimits();
    else if (kind === 3) p += 2;
    else if (kind === 4) p += 1 + leb(p + 1)[1];
    else throw new Error(`import kind ${kind}`);
  }
}
const hookIndex = importedFuncs + sec(3).count;

// exports: names and function indices (for aliases)
const exportsByName = new Map();
{
  const s = sec(7);
  let p = s.start + s.countWidth;
  for (let i = 0; i < s.count; i++) {
    const [n, w] = leb(p);
    const nm = buf.toString('utf8', p + w, p + w + n);
    p += w + n;
    const kind = buf[p++];
    const [idx, iw] = leb(p);
    p += iw;
    exportsByName.set(nm, { kind, idx });
  }
}
if (exportsByName.has('__wasm_task_hook')) throw new Error(`${inFile}: already exports __wasm_task_hook`);

// --- output --------------------------------------------------------------------
const replaced = new Map(); // section id -> new contents
let typeIndex = hookType;
if (hookType < 0) {
  typeIndex = sec(1).count;
  replaced.set(1, appendVec(sec(1), [Buffer.from([0x60, 0x01, 0x7f, 0x00])], 1));
}
replaced.set(3, appendVec(sec(3), [encLeb(typeIndex)], 1));
// body: no locals, then end
replaced.set(10, appendVec(sec(10), [Buffer.from([0x02, 0x00, 0x0b])], 1));
const newExports = [Buffer.concat([name('__wasm_task_hook'), Buffer.from([0]), encLeb(hookIndex)])];
for (const a of aliases) {
  const [from, to] = a.split('=');
  const e = exportsByName.get(from);
  if (!e || e.kind !== 0) throw new Error(`${inFile}: no function export ${from}`);
  newExports.push(Buffer.concat([name(to), Buffer.from([0]), encLeb(e.idx)]));
}
replaced.set(7, appendVec(sec(7), newExports, newExports.length));

const parts = [buf.subarray(0, 8)];
for (const s of sections) {
  const c = replaced.get(s.id);
  if (c && s.id !== 0) parts.push(Buffer.from([s.id]), encLeb(c.length), c);
  else parts.push(buf.subarray(s.head, s.end));
}
writeFileSync(outFile, Buffer.concat(parts));
