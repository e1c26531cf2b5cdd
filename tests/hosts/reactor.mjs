// hosts-reactor: a Go-style reactor (c/reactor.c) rewritten with
// `--init-once --stub-wasi` runs in a host that never calls _initialize and
// supplies no imports; the constructor runs exactly once, before the first
// export body. The original module, with a tiny WASI shim, shows the
// uninitialised state such a host would otherwise see.
//
//   node reactor.mjs PLAIN.wasm PLAIN.stub.wasm HOOK.wasm HOOK.stub.wasm
//
// HOOK is reactor.c built with -DWITH_HOOK (exports __wasm_task_hook and
// __log_len/__log_at); its record checks the documented order
//   first call: 6, _initialize (constructor = 50), 7, 0, body, 1
//   later calls: 0, body, 1
// Marker codes: 50 constructor, 100 get_state, 101 init_runs, 102 add, 104 mix.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const [plainPath, plainStubPath, hookPath, hookStubPath] = process.argv.slice(2);
if (!hookStubPath) {
  console.error('usage: node reactor.mjs PLAIN.wasm PLAIN.stub.wasm HOOK.wasm HOOK.stub.wasm');
  process.exit(2);
}
const load = (p) => new WebAssembly.Module(readFileSync(p));
let checks = 0;
const eq = (actual, expected, what) => { assert.deepStrictEqual(actual, expected, what); checks++; };

// Just enough WASI for the original modules: fd_write (collected),
// clock_time_get (a counter), everything else ENOSYS.
function wasiShim(mod, getMemory, text) {
  let clock = 1n;
  const fns = {
    fd_write(fd, iovs, n, nwritten) {
      const dv = new DataView(getMemory().buffer);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const ptr = dv.getUint32(iovs + 8 * i, true), len = dv.getUint32(iovs + 8 * i + 4, true);
        text.push(Buffer.from(new Uint8Array(getMemory().buffer, ptr, len)).toString());
        total += len;
      }
      dv.setUint32(nwritten, total, true);
      return 0;
    },
    clock_time_get(id, precision, out) {
      new DataView(getMemory().buffer).setBigUint64(out, clock++, true);
      return 0;
    },
  };
  const wasi = {};
  for (const imp of WebAssembly.Module.imports(mod)) {
    assert.equal(imp.module, 'wasi_snapshot_preview1', `unexpected import ${imp.module}.${imp.name}`);
    wasi[imp.name] = fns[imp.name] ?? (() => 52);
  }
  return { wasi_snapshot_preview1: wasi };
}
function instantiateOriginal(mod) {
  const text = [];
  let inst = null;
  inst = new WebAssembly.Instance(mod, wasiShim(mod, () => inst.exports.memory, text));
  return { ex: inst.exports, text };
}
// The rewritten modules: no imports at all.
function instantiateStub(mod) {
  eq(WebAssembly.Module.imports(mod), [], 'imports left after --stub-wasi');
  return new WebAssembly.Instance(mod, {}).exports;
}

// 1. The original plain reactor: a host that never calls _initialize sees
//    the uninitialised state (this is what the rewrite must fix).
{
  const mod = load(plainPath);
  assert.ok(WebAssembly.Module.imports(mod).length > 0, 'original has WASI imports');
  const { ex, text } = instantiateOriginal(mod);
  eq(ex.get_state(), 0, 'original: state before _initialize');
  eq(ex.init_runs(), 0, 'original: constructor runs before _initialize');
  eq(ex.add(2, 3), 5, 'original: add before _initialize');
  ex._initialize();
  eq([ex.get_state(), ex.init_runs(), text.join('')], [1234, 1, 'initialised\n'],
     'original after _initialize');
  ex._initialize(); // this wasi-libc has no guard of its own: reported only
  console.log(`original: a second explicit _initialize leaves init_runs = ${ex.init_runs()}`);
}

// 2. The rewritten plain reactor, host calls only its exports.
{
  const mod = load(plainStubPath);
  let ex = instantiateStub(mod);
  eq(ex.taskwrap_exit_code.value, -1, 'exit code global before any call');
  eq(ex.add(2, 3), 1239, 'first export call sees the constructor state');
  eq(ex.get_state(), 1234, 'state');
  eq(ex.init_runs(), 1, 'constructor ran once');
  eq(ex.clock_advanced(), 1, 'stub clock advanced since the constructor');
  ex._initialize(); // explicit call afterwards: no second run
  eq([ex.init_runs(), ex.add(1, 1)], [1, 1236], 'after an explicit _initialize');
  eq(ex.taskwrap_exit_code.value, -1, 'exit code global after the calls');

  ex = instantiateStub(mod); // a fresh instance has its own guard
  eq(ex.init_runs(), 1, 'fresh instance: first call is init_runs itself');
  ex = instantiateStub(mod); // i64, f64, f32 and i32 parameters forwarded
  eq(ex.mix(1n << 40n, 0.5, 0.25, 3), 2 ** 40 + 0.75 + 3 + 1234, 'fresh instance: mix first');
  ex = instantiateStub(mod);
  ex._initialize();
  ex._initialize();
  eq([ex.init_runs(), ex.get_state()], [1, 1234], 'fresh instance: _initialize called twice first');
}

// 3. The task-hook variant: the documented order of hooks and _initialize.
const readLog = (ex) => Array.from({ length: ex.__log_len() }, (_, i) => ex.__log_at(i));
{
  const { ex } = instantiateOriginal(load(hookPath));
  eq(ex.add(2, 3), 5, 'original hook variant: uninitialised');
  eq(readLog(ex), [102], 'original hook variant: no hook calls');
}
{
  const mod = load(hookStubPath);
  let ex = instantiateStub(mod);
  eq(ex.__wasm_task_hook, undefined, 'hook export removed');
  eq(ex.add(2, 3), 1239, 'hook variant: first call initialised');
  eq(readLog(ex), [6, 50, 7, 0, 102, 1], 'first export call');
  eq(ex.add(1, 1), 1236, 'second call');
  eq(readLog(ex), [6, 50, 7, 0, 102, 1, 0, 102, 1], 'second export call');
  ex._initialize();
  eq(readLog(ex).length, 9, 'explicit _initialize afterwards calls nothing');

  ex = instantiateStub(mod); // "__" exports get no task hooks, but the guard
  eq(readLog(ex), [6, 50, 7], 'fresh instance: __log_len first');
  ex = instantiateStub(mod);
  ex._initialize();
  eq(ex.get_state(), 1234, 'fresh instance after _initialize');
  eq(readLog(ex), [6, 50, 7, 0, 100, 1], 'fresh instance: _initialize first, then get_state');
  eq(ex.init_runs(), 1, 'constructor ran once');
  eq(ex.mix(-5n, 1.5, -0.5, 7), -5 + 1 + 7 + 1234, 'mix');
  eq(readLog(ex), [6, 50, 7, 0, 100, 1, 0, 101, 1, 0, 104, 1], 'then init_runs and mix');
}
console.log(`reactor: ${checks} checks passed`);
