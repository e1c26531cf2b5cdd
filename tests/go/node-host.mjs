// The Node.js host: the scenario of host/main.go (same transcript format,
// compared with the same expected.txt), with WebAssembly.instantiate and an
// import object that holds env.log and nothing else: no WASI, and
// _initialize is never called.
//   node node-host.mjs GUEST.wasm
import { readFileSync } from 'node:fs';

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
const out = (line) => process.stdout.write(line + '\n');
function fail(what, err) {
  out(`error ${what}: ${String(err).split('\n')[0]}`);
  process.exit(1);
}

let memory = null;
const imports = {
  env: {
    log(fd, ptr, len) {
      // JSON.stringify quotes the ASCII, \t, \n, É and Ö of these texts
      // exactly as Go's strconv.Quote does.
      out(`log ${fd} ${JSON.stringify(decoder.decode(new Uint8Array(memory.buffer, ptr, len)))}`);
    },
  },
};

let bytes, instance;
try {
  bytes = readFileSync(process.argv[2]);
} catch (err) {
  fail('read', err);
}
try {
  ({ instance } = await WebAssembly.instantiate(bytes, imports));
} catch (err) {
  fail('instantiate', err);
}
const e = instance.exports;
memory = e.memory;

function call(name, ...args) {
  if (typeof e[name] !== 'function') fail(name, 'no such export');
  try {
    return e[name](...args);
  } catch (err) {
    fail(name, err);
  }
}
function put(s) {
  const bytes = encoder.encode(s);
  const ptr = call('alloc', bytes.length);
  new Uint8Array(memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}

call('greet');
out('greet');

const [p1, n1] = put('go wasm go host');
out(`tally ${call('tally', p1, n1)}`);

const [p2, n2] = put('héllo wörld');
const packed = call('shout', p2, n2); // i64 arrives as a BigInt
const p3 = Number(packed >> 32n), n3 = Number(packed & 0xffffffffn);
out(`shout ${JSON.stringify(decoder.decode(new Uint8Array(memory.buffer, p3, n3)))}`);

out(`pinned_count ${call('pinned_count')}`);
for (const p of [p1, p2, p3]) call('release', p);
out(`pinned_count ${call('pinned_count')}`);

out(`now_unix ${call('now_unix')}`);
out(`elapsed_ok ${call('elapsed_ok')}`);
for (let i = 0; i < 5; i++) out(`rand_n 10 ${call('rand_n', 10)}`);

const ec = e.taskwrap_exit_code;
out(`exit_code ${ec instanceof WebAssembly.Global ? ec.value : 'none'}`);
