// The wasm-taskwrap options that bake a wasi-testsuite program's run
// configuration into its --stub-wasi rewrite, printed NUL-separated (for
// bash's mapfile -d ''):
//
//   node suite-flags.mjs WASM JSON|- [ROOTS]
//
// What wasi-testsuite's runners pass, baked in instead:
//   --stub-wasi-arg NAME.wasm   argv[0], always: the module's file name, as
//                               the wasmtime and wazero CLIs pass it
//   --stub-wasi-arg ARG         each of "args", in order
//   --stub-wasi-env K=V         each of "env", in order
//   --stub-wasi-dir /=DIR       "root", a directory relative to the JSON's,
//                               preopened as "/" (the runners' adapters:
//                               wasmtime --dir DIR::/, wazero -mount=DIR:/);
//                               a DIR that does not exist is looked for
//                               under ROOTS by the same relative name
// Any other key than these and the expectations (exit_code, stdout, stderr)
// is an error, so a new kind of configuration is not silently dropped.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const [wasm, json, roots] = process.argv.slice(2);
if (!json) {
  console.error('usage: node suite-flags.mjs WASM JSON|- [ROOTS]');
  process.exit(2);
}
const spec = json === '-' ? {} : JSON.parse(readFileSync(json, 'utf8'));
const known = new Set(['args', 'env', 'root', 'exit_code', 'stdout', 'stderr']);
for (const key of Object.keys(spec)) {
  if (!known.has(key)) {
    console.error(`${json}: unknown key "${key}"`);
    process.exit(1);
  }
}
const opts = ['--stub-wasi-arg', basename(wasm)];
for (const arg of spec.args ?? []) opts.push('--stub-wasi-arg', arg);
for (const [name, value] of Object.entries(spec.env ?? {}))
  opts.push('--stub-wasi-env', `${name}=${value}`);
if (spec.root !== undefined) {
  let dir = join(dirname(json), spec.root);
  if (!existsSync(dir) && roots !== undefined) dir = join(roots, spec.root);
  opts.push('--stub-wasi-dir', `/=${dir}`);
}
for (const o of opts) {
  if (o.includes('\0')) {
    console.error(`${json}: a NUL byte in ${JSON.stringify(o)}`);
    process.exit(1);
  }
}
process.stdout.write(opts.map((o) => `${o}\0`).join(''));
