// Run reactor-host.wasm (post-link: --init-once --stub-wasi) the way a host
// without the component model does: no imports, never calls _initialize,
// calls exports directly. Checks the documented order of calls: the first
// export runs _initialize as its own task (6, constructors 100, 7), then its
// own task; later calls only their own.
//   node run-host.mjs build/reactor-host.wasm
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node run-host.mjs REACTOR-HOST.wasm');
  process.exit(2);
}
const module = new WebAssembly.Module(readFileSync(file));
let failures = 0;
function check(what, got, want) {
  const ok = JSON.stringify(got) === JSON.stringify(want);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${JSON.stringify(got)}` +
              (ok ? '' : ` (expected ${JSON.stringify(want)})`));
  if (!ok) failures++;
}

check('imports', WebAssembly.Module.imports(module), []);
const x = new WebAssembly.Instance(module, {}).exports;
function take() {
  const n = x.__log_len();
  const log = Array.from(new Int32Array(x.memory.buffer, x.__log_ptr(), n));
  x.__log_clear();
  return log;
}
x.cabi_realloc(0, 0, 1, 5);
check('first call: cabi_realloc', take(), [6, 100, 7, 12, 101, 13]);
x._initialize();
check('_initialize called by the host afterwards', take(), []);
x.cabi_realloc(0, 0, 1, 5);
check('second call: cabi_realloc', take(), [12, 101, 13]);
process.exit(failures ? 1 : 0);
