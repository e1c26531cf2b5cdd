// node stub-wasi-run.mjs MODULE: run a --stub-wasi command module whose only
// import is host.write (--stub-wasi-output host:write), printing what it
// writes to fd 1 and 2, then "exit N" (taskwrap_exit_code), or "trap ..."
// when it trapped without proc_exit.
import { readFileSync } from 'node:fs';

const mod = new WebAssembly.Module(readFileSync(process.argv[2]));
let memory;
const inst = new WebAssembly.Instance(mod, {
  host: { write(fd, p, n) { process.stdout.write(Buffer.from(new Uint8Array(memory.buffer, p, n))); } },
});
memory = inst.exports.memory;
try {
  inst.exports._start();
} catch (e) {
  if (inst.exports.taskwrap_exit_code.value === -1) console.log('trap', e.message);
}
console.log('exit', inst.exports.taskwrap_exit_code.value);
