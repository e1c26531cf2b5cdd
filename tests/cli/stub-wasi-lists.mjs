// node stub-wasi-lists.mjs MODULE JSON: instantiate MODULE with no imports,
// read its arguments and environment through the stubs into buffers at
// fixed places of a memory filled with 0xAA, and compare them with the
// JSON's {"args": [...], "env": [...]}. Every byte outside the buffers the
// calls were given must still be 0xAA. Exit 0 when all holds.
import { readFileSync } from 'node:fs';

const [wasmPath, jsonPath] = process.argv.slice(2);
const want = JSON.parse(readFileSync(jsonPath, 'utf8'));
const { exports: ex } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasmPath)), {});
const mem = new Uint8Array(ex.memory.buffer);
mem.fill(0xaa);
const view = new DataView(ex.memory.buffer);
const problems = [];
const written = new Uint8Array(mem.length); // 1: a byte some call may write

function mark(at, n) { written.fill(1, at, at + n); }

function readList(sizes, get, wantList, base) {
  const countAt = base, sizeAt = base + 4, ptrs = base + 64, buf = base + 1024;
  let rc = sizes(countAt, sizeAt);
  mark(countAt, 8);
  if (rc !== 0) problems.push(`sizes returned ${rc}`);
  const count = view.getUint32(countAt, true), size = view.getUint32(sizeAt, true);
  rc = get(ptrs, buf);
  mark(ptrs, 4 * count);
  mark(buf, size);
  if (rc !== 0) problems.push(`get returned ${rc}`);
  const got = [];
  for (let i = 0; i < count; i++) {
    const p = view.getUint32(ptrs + 4 * i, true);
    let end = p;
    while (mem[end] !== 0) end++;
    got.push(Buffer.from(mem.subarray(p, end)).toString('utf8'));
  }
  const wantSize = wantList.reduce((n, s) => n + Buffer.byteLength(s) + 1, 0);
  if (JSON.stringify(got) !== JSON.stringify(wantList))
    problems.push(`got ${JSON.stringify(got)}, want ${JSON.stringify(wantList)}`);
  if (size !== wantSize) problems.push(`size ${size}, want ${wantSize}`);
}

readList(ex.args_sizes, ex.args_get, want.args, 0);
readList(ex.env_sizes, ex.env_get, want.env, 16384);
for (let i = 0; i < mem.length; i++)
  if (!written[i] && mem[i] !== 0xaa) { problems.push(`byte ${i} outside the buffers changed`); break; }
if (problems.length) {
  console.log(`FAIL ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`ok ${want.args.length} arguments, ${want.env.length} variables`);
