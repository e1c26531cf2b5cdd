// A sabotaged rewrite for the self-check: every --init-once guard keeps
// testing its flag but never sets it, so _initialize runs again on every
// call. The guard body (docs/output-layout.md, "Added function bodies") is
//   global.get G  i32.eqz  if  i32.const 1  global.set G  call INIT  end ...
// and this turns its `i32.const 1` into `i32.const 0`. Go's runtime does not
// survive a second initialisation ("fatal error: randinit twice"), so a host
// that calls two exports, or _initialize and then an export, must fail.
//   node sabotage-flag.mjs IN OUT FLAG_GLOBAL GUARDS
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output, flagArg, guardsArg] = process.argv.slice(2);
const uleb = (n) => {
  const b = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    b.push(byte);
  } while (n);
  return b;
};
const g = uleb(Number(flagArg));
const pattern = [0x23, ...g, 0x45, 0x04, 0x40, 0x41, 0x01, 0x24, ...g];
const one = 1 + g.length + 4; // offset of the 0x01 in the pattern
const bytes = readFileSync(input);
let patched = 0;
for (let i = 0; i + pattern.length <= bytes.length; i++) {
  if (pattern.every((b, k) => bytes[i + k] === b)) {
    bytes[i + one] = 0x00;
    patched++;
  }
}
if (patched !== Number(guardsArg)) {
  console.error(`sabotage-flag: patched ${patched} guards, expected ${guardsArg}`);
  process.exit(1);
}
writeFileSync(output, bytes);
