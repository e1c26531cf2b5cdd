// The host and driver components around a linked component (harness.mjs),
// generated from the function signatures. A function is
//   { name, params: [TYPE...], result: TYPE | null, pnames, async }
// (pnames: the parameters' names, p0 p1 ... when not given; a component
// function's type includes them)
// with TYPE 'u32' or 'string' (parameters and results), 'opt-list-u8'
// (option<list<u8>>) or 'list-u32' (results only).
//
// The driver's `drive` (async, stackful) makes the calls of `steps` ([{ fn, args }]) in
// order and returns one record per step:
//   0xD0000000 + step index, the digest of the result, N, the N words the
//   subject's trace export returned right after the call.
// Digests: none 0, u32 its value, string (len << 16) + byte sum,
// option<list<u8>> (tag << 24) + (len << 16) + byte sum, list<u32> its
// length. The host's functions return a value computed from their
// arguments' digests (u32: digest + 7, string: 1 + digest % 5 bytes 'x').

export const witType = (t) => ({ u32: 'u32', string: 'string', 'opt-list-u8': 'option<list<u8>>', 'list-u32': 'list<u32>' })[t];
export const witFunc = (f) => `${f.name}: ${f.async ? 'async ' : ''}func(${f.params.map((p, i) => `${f.pnames?.[i] ?? `p${i}`}: ${witType(p)}`).join(', ')})${f.result ? ` -> ${witType(f.result)}` : ''}`;
const flatParams = (f) => f.params.flatMap((p) => (p === 'string' ? ['i32', 'i32'] : ['i32']));
// the core signature of a lifted export (callee) and of a lowered import (caller)
export function liftSig(f) {
  const ps = flatParams(f);
  return `${ps.length ? `(param ${ps.join(' ')})` : ''}${f.result ? ' (result i32)' : ''}`;
}
export function lowerSig(f) {
  const ps = flatParams(f);
  if (f.result && f.result !== 'u32') ps.push('i32');
  return `${ps.length ? `(param ${ps.join(' ')})` : ''}${f.result === 'u32' ? ' (result i32)' : ''}`;
}

const watString = (s) => `"${[...Buffer.from(s, 'utf8')].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('')}"`;

// Common helpers of both generated modules: a bump allocator from $heap
// and the byte sum.
const COMMON = `
  (func $alloc (param $align i32) (param $size i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (global.set $heap (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (global.get $heap) (i32.const 0x7f000)) (then unreachable))
    (local.get $p))
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (if (local.get $old) (then unreachable))
    (call $alloc (local.get $align) (local.get $size)))
  (func $sum (param $p i32) (param $n i32) (result i32)
    (local $s i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $s))
  (func $strdigest (param $p i32) (param $n i32) (result i32)
    (i32.add (i32.shl (local.get $n) (i32.const 16)) (call $sum (local.get $p) (local.get $n))))`;

// The host: exports `imports` (the libraries' imported functions).
// A function with `iface` set is one of interface `test` of package
// test:test (the shared fixtures' `test:test/test`), the others are the
// world's own.
export function hostWorld(imports) {
  const own = imports.filter((f) => !f.iface), inIface = imports.filter((f) => f.iface);
  const iface = inIface.length ? `interface test {\n${inIface.map((f) => `  ${witFunc(f)};\n`).join('')}}\n` : '';
  return `package test:test;\n${iface}world host {\n${inIface.length ? '  export test;\n' : ''}${own.map((f) => `  export ${witFunc(f)};\n`).join('')}}\n`;
}
export function hostWat(imports) {
  const fns = imports.map((f) => {
    let local = 0;
    const digest = f.params.map((p) => {
      const at = local;
      local += p === 'string' ? 2 : 1;
      return p === 'string' ? `(call $strdigest (local.get ${at}) (local.get ${at + 1}))` : `(local.get ${at})`;
    }).reduce((a, b) => `(i32.add ${a} ${b})`, '(i32.const 0)');
    let body;
    if (!f.result) body = `(drop ${digest})`;
    else if (f.result === 'u32') body = `(i32.add ${digest} (i32.const 7))`;
    else if (f.result === 'string') {
      body = `(local.set $n (i32.add (i32.const 1) (i32.rem_u ${digest} (i32.const 5))))
    (local.set $r (call $alloc (i32.const 4) (i32.const 8)))
    (local.set $p (call $alloc (i32.const 1) (local.get $n)))
    (memory.fill (local.get $p) (i32.const 0x78) (local.get $n))
    (i32.store (local.get $r) (local.get $p))
    (i32.store offset=4 (local.get $r) (local.get $n))
    (local.get $r)`;
    } else throw new Error(`host: result ${f.result}`);
    return `  (func (export "${f.iface ? `test:test/test#${f.name}` : f.name}") ${liftSig(f)} (local $n i32) (local $r i32) (local $p i32)\n    ${body})`;
  });
  return `(module
  (memory (export "memory") 8)
  (global $heap (mut i32) (i32.const 0x1000))${COMMON}
${fns.join('\n')}
)
`;
}

// The driver: imports `exports` (the subject's), calls `trace` after each step.
export function driverWorld(exports) {
  return `package dl:driver;\nworld driver {\n${exports.map((f) => `  import ${witFunc(f)};\n`).join('')}  export drive: async func() -> list<u32>;\n}\n`;
}
export function driverWat(exports, steps, trace) {
  const byName = new Map(exports.map((f) => [f.name, f]));
  if (byName.get(trace)?.result !== 'list-u32') throw new Error(`driver: no trace export ${trace}`);
  const data = [];
  let dataAt = 0x1000;
  const str = (s) => {
    const b = Buffer.from(s, 'utf8');
    const at = dataAt;
    data.push(`  (data (i32.const ${at}) ${watString(s)})`);
    dataAt += b.length + 1;
    return [at, b.length];
  };
  const code = [];
  steps.forEach((s, k) => {
    const f = byName.get(s.fn);
    if (!f) throw new Error(`driver: no export ${s.fn}`);
    const args = f.params.map((p, i) => {
      const v = s.args[i];
      if (p === 'string') { const [at, n] = str(v); return `(i32.const ${at}) (i32.const ${n})`; }
      return `(i32.const ${v >>> 0})`;
    });
    code.push(`    ;; step ${k}: ${s.fn}`);
    code.push(`    (call $push (i32.const ${(0xd0000000 + k) | 0}))`);
    const call = `(call $f${exports.indexOf(f)} ${args.join(' ')}${f.result && f.result !== 'u32' ? ' (i32.const 0x20)' : ''})`;
    if (!f.result) code.push(`    ${call}`, '    (call $push (i32.const 0))');
    else if (f.result === 'u32') code.push(`    (call $push ${call})`);
    else {
      code.push(`    ${call}`);
      if (f.result === 'string') code.push('    (call $push (call $strdigest (i32.load (i32.const 0x20)) (i32.load (i32.const 0x24))))');
      else if (f.result === 'list-u32') code.push('    (call $push (i32.load (i32.const 0x24)))');
      else if (f.result === 'opt-list-u8') {
        code.push('    (call $push (i32.add (i32.shl (i32.load8_u (i32.const 0x20)) (i32.const 24))',
          '      (if (result i32) (i32.load8_u (i32.const 0x20)) (then (call $strdigest (i32.load (i32.const 0x24)) (i32.load (i32.const 0x28)))) (else (i32.const 0)))))');
      }
    }
    code.push(`    (call $f${exports.indexOf(byName.get(trace))} (i32.const 0x30))`,
      '    (call $push (i32.load (i32.const 0x34)))',
      '    (call $pushwords (i32.load (i32.const 0x30)) (i32.load (i32.const 0x34)))');
  });
  return `(module
${exports.map((f, i) => `  (import "$root" "${f.name}" (func $f${i} ${lowerSig(f)}))`).join('\n')}
  (import "[export]$root" "[task-return]drive" (func $return (param i32 i32)))
  (memory (export "memory") 8)
  (global $heap (mut i32) (i32.const 0x40000))
  (global $out (mut i32) (i32.const 0x10000))${COMMON}
  (func $push (param $v i32)
    (if (i32.ge_u (global.get $out) (i32.const 0x3f000)) (then unreachable))
    (i32.store (global.get $out) (local.get $v))
    (global.set $out (i32.add (global.get $out) (i32.const 4))))
  (func $pushwords (param $p i32) (param $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      (call $push (i32.load (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next))))
  ;; stackful, so that it may block while an async export of the subject
  ;; yields (a sync-lifted caller of an export that yields traps)
  (func (export "[async-lift-stackful]drive")
${code.join('\n')}
    (call $return (i32.const 0x10000) (i32.shr_u (i32.sub (global.get $out) (i32.const 0x10000)) (i32.const 2))))
${data.join('\n')}
)
`;
}

// drive()'s list -> [{ step, digest, trace }]; throws on a malformed list.
export function records(list) {
  const out = [];
  for (let i = 0; i < list.length;) {
    const tag = list[i] >>> 0;
    if ((tag & 0xff000000) >>> 0 !== 0xd0000000 || i + 3 > list.length) throw new Error(`drive(): bad record at ${i}: ${list.slice(i, i + 4)}`);
    const n = list[i + 2];
    out.push({ step: tag & 0xffffff, digest: list[i + 1] >>> 0, trace: list.slice(i + 3, i + 3 + n) });
    i += 3 + n;
  }
  return out;
}
