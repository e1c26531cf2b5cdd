// Run the rewritten reactor in Node.js and check the hook sequence of each
// export against docs/abi.md's task-hook table (wit-component 0.259.0):
//   node run.mjs build/reactor.wasm
// reactor.c records each hook code, and a marker 100+n inside each function
// body, in linear memory; __log_* (internal, never wrapped) read it back.
// Exits 1 on any difference.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const file = process.argv[2];
if (!file) {
  console.error('usage: node run.mjs REACTOR.wasm');
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

// The hook export is removed by the rewrite; everything else stays.
const names = WebAssembly.Module.exports(module).map((e) => e.name).sort();
check('exports', names, [
  '[async-lift]fetch', '[callback][async-lift]fetch', '__log_clear', '__log_len',
  '__log_ptr', '_initialize', 'add', 'cabi_post_example:demo/api#echo', 'cabi_realloc',
  'example:demo/api#echo', 'memory',
]);

const wasi = new WASI({ version: 'preview1', args: [], env: {}, returnOnExit: true });
const instance = new WebAssembly.Instance(module, wasi.getImportObject());
const x = instance.exports;

// The record since the last call: hook codes and body markers, in order.
function take() {
  const n = x.__log_len();
  const log = Array.from(new Int32Array(x.memory.buffer, x.__log_ptr(), n));
  x.__log_clear();
  return log;
}

// _initialize (wrapped): 6, the constructors (100), 7.
wasi.initialize(instance);
check('_initialize', take(), [6, 100, 7]);

// cabi_realloc: 12, body, 13.
const buf = x.cabi_realloc(0, 0, 1, 5);
check('cabi_realloc', take(), [12, 101, 13]);
if (buf === 0) { console.error('FAIL cabi_realloc returned NULL'); failures++; }
new Uint8Array(x.memory.buffer, buf, 5).set(new TextEncoder().encode('hello'));

// Sync with cabi_post_: 0 and the call; the finish hook 1 comes after the
// post-return function.
const ret = x['example:demo/api#echo'](buf, 5);
check('example:demo/api#echo', take(), [0, 102]);
const [ptr, len] = new Uint32Array(x.memory.buffer, ret, 2);
check('echo result', new TextDecoder().decode(new Uint8Array(x.memory.buffer, ptr, len)), 'hello');
x['cabi_post_example:demo/api#echo'](ret);
check('cabi_post_example:demo/api#echo', take(), [103, 1]);

// Sync without post-return: 0, call, 1.
check('add result', x.add(2, 40), 42);
check('add', take(), [0, 104, 1]);

// Async callback-style: 2, call, then 5 if it returned 0 (exit), 4 if not.
check('[async-lift]fetch(1) result', x['[async-lift]fetch'](1), 1);
check('[async-lift]fetch(1)', take(), [2, 105, 4]);
check('[async-lift]fetch(0) result', x['[async-lift]fetch'](0), 0);
check('[async-lift]fetch(0)', take(), [2, 105, 5]);

// Its callback: 3, call, then 4 or 5 the same way.
check('[callback] result', x['[callback][async-lift]fetch'](2, 0, 0), 2);
check('[callback][async-lift]fetch(2)', take(), [3, 106, 4]);
check('[callback] result', x['[callback][async-lift]fetch'](0, 0, 0), 0);
check('[callback][async-lift]fetch(0)', take(), [3, 106, 5]);

// Internal exports are not wrapped: reading the log adds nothing to it.
x.__log_len();
check('__log_* unwrapped', take(), []);

if (failures) {
  console.error(`${failures} check(s) failed`);
  process.exit(1);
}
console.log('all hook sequences match docs/abi.md');
