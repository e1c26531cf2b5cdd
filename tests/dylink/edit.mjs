// The one edit of a library the sabotages need beyond tests/diff/wasmbin.mjs.
import { parseModule } from '../diff/wasmbin.mjs';

const enc = (v) => { const o = []; do { let b = v & 0x7f; v >>>= 7; if (v) b |= 0x80; o.push(b); } while (v); return o; };
const encName = (s) => [...enc(Buffer.byteLength(s)), ...Buffer.from(s)];

// The module with export `name` exported a second time as `alias` (the
// export section rebuilt in place).
export function exportAgain(buf, name, alias) {
  const m = parseModule(buf);
  const e = m.exports.find((x) => x.name === name);
  if (!e) throw new Error(`exportAgain: no export ${name}`);
  const exps = [...m.exports, { ...e, name: alias }];
  const payload = Buffer.from([...enc(exps.length), ...exps.flatMap((x) => [...encName(x.name), x.kind, ...enc(x.index)])]);
  const s = m.secs.find((x) => x.id === 7);
  return Buffer.concat([buf.subarray(0, s.start), Buffer.from([7, ...enc(payload.length)]), payload, buf.subarray(s.end)]);
}
