// Run WASI command modules rewritten with `wasm-taskwrap --stub-wasi` in a
// host that supplies no WASI at all, and check wasi-testsuite expectations.
//
//   node run.mjs WASM JSON [WASM JSON ...]   (JSON '-': none)
//
// Expectation JSON (wasi-testsuite format): exit_code (default 0), stdout.
// Its args, env and root are not this runner's business: the host passes
// nothing, and they are baked into the module when it is rewritten
// (suite-flags.mjs gives the options).
// Extensions used by tests/hosts/c: stderr (exact text routed from fd 2) and
// exit_via ("return": _start returned, proc_exit never called; "proc_exit":
// proc_exit was called and trapped).
//
// A module must have no imports at all, except that when the expectation
// checks stdout/stderr it was rewritten with --stub-wasi-output=host:write and
// must import exactly host.write(fd, ptr, len), which collects the text.
//
// Exit code of a run: taskwrap_exit_code. proc_exit stores it and traps
// (that trap is expected); a _start that returns stores 0 (the exit-code
// wrapper of --stub-wasi), so a return that leaves -1 is a failure, and so
// is a trap without proc_exit. Prints one line per module; exits 1 if any
// module fails.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { problems } from './expect.mjs';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv.length % 2 !== 0) {
  console.error('usage: node run.mjs WASM JSON|- [WASM JSON|- ...]');
  process.exit(2);
}

function runOne(wasmPath, jsonPath) {
  const exp = jsonPath === '-' ? {} : JSON.parse(readFileSync(jsonPath, 'utf8'));
  const wantOutput = exp.stdout !== undefined || exp.stderr !== undefined;

  const mod = new WebAssembly.Module(readFileSync(wasmPath));
  const imports = WebAssembly.Module.imports(mod);
  const names = imports.map((i) => `${i.module}.${i.name}:${i.kind}`).join(', ');
  if (wantOutput) {
    if (imports.length !== 1 || names !== 'host.write:function')
      throw new Error(`expected exactly the import host.write, got [${names}]`);
  } else if (imports.length !== 0) {
    throw new Error(`imports left after --stub-wasi: [${names}]`);
  }

  const out = { 1: [], 2: [] };
  let memory = null;
  const importObject = wantOutput ? {
    host: {
      write(fd, ptr, len) {
        if (fd !== 1 && fd !== 2) throw new Error(`host.write called with fd ${fd}`);
        // Copy now: memory may grow (detaching the buffer) later.
        out[fd].push(Buffer.from(new Uint8Array(memory.buffer, ptr >>> 0, len >>> 0)));
      },
    },
  } : {};
  // Must succeed with {} (no imports left) when no output is checked.
  const inst = new WebAssembly.Instance(mod, importObject);
  const ex = inst.exports;
  memory = ex.memory;
  if (typeof ex._start !== 'function') throw new Error('no _start export');
  if (!(ex.taskwrap_exit_code instanceof WebAssembly.Global))
    throw new Error('no taskwrap_exit_code global export');
  if (ex.taskwrap_exit_code.value !== -1)
    throw new Error(`taskwrap_exit_code is ${ex.taskwrap_exit_code.value} before _start, not -1`);

  let trap = null;
  try { ex._start(); } catch (e) { trap = e; }
  const recorded = ex.taskwrap_exit_code.value;
  let code, via;
  if (trap === null) {
    if (recorded !== 0) throw new Error(`_start returned, and taskwrap_exit_code is ${recorded}, not 0`);
    code = 0; via = 'return';
  } else {
    if (recorded === -1) throw new Error(`trap without proc_exit: ${trap && trap.message}`);
    if (!(trap instanceof WebAssembly.RuntimeError))
      throw new Error(`proc_exit(${recorded}) then a non-trap exception: ${trap}`);
    code = recorded; via = 'proc_exit';
  }

  const text = { 1: Buffer.concat(out[1]).toString('utf8'), 2: Buffer.concat(out[2]).toString('utf8') };
  const found = problems(exp, { code, via, stdout: text[1], stderr: text[2] });
  if (found.length) throw new Error(found.join('; '));
  const shown = wantOutput ? ` stdout=${JSON.stringify(text[1])} stderr=${JSON.stringify(text[2])}` : '';
  return `exit ${code} via ${via}${shown}`;
}

let failed = 0;
for (let i = 0; i < argv.length; i += 2) {
  const name = basename(argv[i]);
  try {
    console.log(`PASS ${name}: ${runOne(argv[i], argv[i + 1])}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e.message}`);
  }
}
console.log(`${argv.length / 2 - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
