// Random sets of shared libraries for diff.mjs: a pure function of the
// seed (PRNG: tests/diff/gen.mjs's).
//
// 2..4 libraries c, p, q, r, given to `component link` in a shuffled
// order. Every library imports env.memory; c is the "libc": it has the log
// (tw_log, tw_take) and malloc (from GOT.mem __heap_base, growing the
// memory), which the others import from env. One library, any of them,
// defines __wasm_task_hook, which logs its code. The world is split across
// the libraries: each has its own world (package dl:gen, world lib-NAME)
// with 0..3 exported and 0..2 imported functions (parameters u32/string,
// result none/u32/string; p = 0.3 an async func, lifted with a callback,
// that returns EXIT at once or YIELDs once first), at least one export in
// the set; `trace: func() -> list<u32>` is in one of them. Each sync export with a result has a
// cabi_post_ (p = 0.5). Reallocs: cabi_realloc (p = 0.5),
// cabi_import_realloc and cabi_export_realloc (p = 0.25 each), in any
// library, and one cabi_realloc at least in a library with exports (which
// is linked in). Initialisers: _initialize or __wasm_call_ctors (p = 0.25
// each). An export may call one of its library's imports.
// The library with trace imports a function of the hook library (so that
// wit-component links the hook library in: linking.rs, find_reachable).
// Log words: hook codes (< 100); every body logs a marker and one digest:
// export 1000 + id (digest of its arguments), the result of the import it
// calls 6000 + id (its digest), post-return 2000 + id, realloc 3000 + 10 * lib +
// which (0 cabi_realloc, 1 import, 2 export; digest: the size),
// initialiser 4000 + lib.
// With p = 0.2 a library other than c is given to `component link` with
// --dl-openable (its exports in the dlsym table too; nothing here calls
// dlsym).
// Steps: 3..8 calls of the exports (not trace) with random arguments.
import { prng } from '../diff/gen.mjs';
import { liftSig, lowerSig, witFunc } from './driver.mjs';

const NAMES = ['c', 'p', 'q', 'r'];
const REALLOCS = ['cabi_realloc', 'cabi_import_realloc', 'cabi_export_realloc'];
const STRINGS = ['', 'a', 'héllo', 'xyz12', 'wörld!'];

const HELPERS = `
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
    (i32.add (i32.shl (local.get $n) (i32.const 16)) (call $sum (local.get $p) (local.get $n))))
  ;; a fresh string of n bytes b
  (func $mkstr (param $n i32) (param $b i32) (result i32)
    (local $p i32)
    (local.set $p (call $malloc (local.get $n)))
    (memory.fill (local.get $p) (local.get $b) (local.get $n))
    (local.get $p))`;

// the libc part of c
const LIBC = `
  (import "GOT.mem" "__heap_base" (global $__heap_base (mut i32)))
  (global $heap (mut i32) (i32.const 0))
  (global $logp (mut i32) (i32.const 0))
  (func $start
    (global.set $heap (global.get $__heap_base))
    (global.set $logp (call $malloc (i32.const 0x4000)))
    (i32.store (global.get $logp) (i32.const 0)))
  (start $start)
  (func $malloc (export "malloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
    (global.set $heap (i32.add (local.get $p) (local.get $n)))
    (block $ok (loop $again
      (br_if $ok (i32.le_u (global.get $heap) (i32.mul (memory.size) (i32.const 65536))))
      (if (i32.lt_s (memory.grow (i32.const 1)) (i32.const 0)) (then unreachable))
      (br $again)))
    (local.get $p))
  (func $log (export "tw_log") (param $v i32)
    (local $n i32)
    (local.set $n (i32.load (global.get $logp)))
    (if (i32.ge_u (local.get $n) (i32.const 0xffe)) (then unreachable))
    (i32.store offset=4 (i32.add (global.get $logp) (i32.shl (local.get $n) (i32.const 2))) (local.get $v))
    (i32.store (global.get $logp) (i32.add (local.get $n) (i32.const 1))))
  (func $take (export "tw_take") (result i32)
    (local $n i32) (local $r i32)
    (local.set $n (i32.load (global.get $logp)))
    (local.set $r (call $malloc (i32.add (i32.const 8) (i32.shl (local.get $n) (i32.const 2)))))
    (memory.copy (i32.add (local.get $r) (i32.const 8)) (i32.add (global.get $logp) (i32.const 4)) (i32.shl (local.get $n) (i32.const 2)))
    (i32.store (local.get $r) (i32.add (local.get $r) (i32.const 8)))
    (i32.store offset=4 (local.get $r) (local.get $n))
    (i32.store (global.get $logp) (i32.const 0))
    (local.get $r))`;
const LIBC_IMPORTS = `
  (import "env" "tw_log" (func $log (param i32)))
  (import "env" "tw_take" (func $take (result i32)))
  (import "env" "malloc" (func $malloc (param i32) (result i32)))`;

const randomFunc = (r, name, maxParams) => ({
  name,
  params: Array.from({ length: r.int(0, maxParams) }, () => r.pick(['u32', 'string'])),
  result: r.pick([null, 'u32', 'string']),
});

// the flat parameters of f as locals 0.., and their digest expression
function paramDigest(f) {
  let at = 0;
  const parts = f.params.map((p) => {
    const x = p === 'string' ? `(call $strdigest (local.get ${at}) (local.get ${at + 1}))` : `(local.get ${at})`;
    at += p === 'string' ? 2 : 1;
    return x;
  });
  return parts.reduce((a, b) => `(i32.add ${a} ${b})`, '(i32.const 0)');
}

export function gen(seed) {
  const r = prng(seed);
  const n = r.int(2, 4);
  const names = NAMES.slice(0, n);
  const hookLib = r.int(0, n - 1);
  const traceLib = r.int(0, n - 1);
  let id = 0;
  const libs = names.map((name, li) => {
    const exports = Array.from({ length: r.int(0, 3) }, (_, j) => randomFunc(r, `f-${name}-${j}`, 2));
    const imports = Array.from({ length: r.int(0, 2) }, (_, j) => randomFunc(r, `g-${name}-${j}`, 2));
    for (const f of exports) {
      f.id = id++;
      f.calls = imports.length && r.chance(0.6) ? r.pick(imports) : null;
      // async (callback style): returns EXIT at once, or YIELD once and
      // the callback returns EXIT; no post-return
      f.async = r.chance(0.3) ? r.pick(['exit', 'yield']) : null;
      f.post = !f.async && f.result !== null && r.chance(0.5);
    }
    const reallocs = REALLOCS.filter((_, k) => r.chance(k === 0 ? 0.5 : 0.25));
    const init = r.chance(0.5) ? r.pick(['_initialize', '__wasm_call_ctors']) : null;
    return { name, li, exports, imports, reallocs, init, memInfo: r.pick([0, 4, 16]) };
  });
  if (!libs.some((l) => l.exports.length)) {
    const l = r.pick(libs);
    const f = randomFunc(r, `f-${l.name}-0`, 2);
    Object.assign(f, { id: id++, post: false, calls: null });
    l.exports.push(f);
  }
  const trace = { name: 'trace', params: [], result: 'list-u32' };
  libs[traceLib].trace = true;
  // a cabi_realloc in a library that is linked in (one with exports)
  if (!libs.some((l) => (l.exports.length || l.trace) && l.reallocs.includes('cabi_realloc'))) libs[traceLib].reallocs.unshift('cabi_realloc');

  for (const l of libs) {
    const fns = [];
    const lowered = l.imports.map((g, j) => `  (import "$root" "${g.name}" (func $g${j} ${lowerSig(g)}))`);
    for (const f of l.exports) {
      const body = [`(call $log (i32.const ${1000 + f.id}))`, `(call $log ${paramDigest(f)})`];
      if (f.calls) {
        const g = f.calls;
        const args = g.params.map((p, k) => (p === 'string'
          ? `(call $mkstr (i32.const ${k + 1}) (i32.const ${0x61 + ((f.id + k) % 26)})) (i32.const ${k + 1})`
          : `(i32.const ${f.id * 7 + k})`));
        const j = l.imports.indexOf(g);
        if (g.result === 'string') {
          body.push('(local.set $t (call $malloc (i32.const 8)))', `(call $g${j} ${args.join(' ')} (local.get $t))`,
            `(call $log (i32.const ${6000 + f.id}))`, '(call $log (call $strdigest (i32.load (local.get $t)) (i32.load offset=4 (local.get $t))))');
        } else if (g.result === 'u32') body.push(`(call $log (i32.const ${6000 + f.id}))`, `(call $log (call $g${j} ${args.join(' ')}))`);
        else body.push(`(call $g${j} ${args.join(' ')})`);
      }
      // the result: u32 digest + id; string 1 + digest % 4 bytes (a yielding
      // async export's callback has no arguments: digest 0)
      const result = (digest) => {
        if (f.result === 'u32') return [`(i32.add ${digest} (i32.const ${f.id}))`];
        if (f.result !== 'string') return [];
        return [`(local.set $t (call $malloc (i32.const 8)))`,
          `(i32.store offset=4 (local.get $t) (i32.add (i32.const 1) (i32.rem_u ${digest} (i32.const 4))))`,
          `(i32.store (local.get $t) (call $mkstr (i32.load offset=4 (local.get $t)) (i32.const ${0x61 + (f.id % 26)})))`,
          ...(f.async ? ['(i32.load (local.get $t)) (i32.load offset=4 (local.get $t))'] : ['(local.get $t)'])];
      };
      if (!f.async) {
        body.push(...result(paramDigest(f)));
        fns.push(`  (func (export "${f.name}") ${liftSig(f)} (local $t i32)\n    ${body.join('\n    ')})`);
      } else {
        const ret = f.result === 'u32' ? '(param i32)' : f.result === 'string' ? '(param i32 i32)' : '';
        lowered.push(`  (import "[export]$root" "[task-return]${f.name}" (func $ret${f.id} ${ret}))`);
        const flat = liftSig({ ...f, result: null });
        if (f.async === 'exit') body.push(`(call $ret${f.id} ${result(paramDigest(f)).join(' ')})`, '(i32.const 0)');
        else body.push('(i32.const 1)');
        fns.push(`  (func (export "[async-lift]${f.name}") ${flat} (result i32) (local $t i32)\n    ${body.join('\n    ')})`);
        fns.push(`  (func (export "[callback][async-lift]${f.name}") (param i32 i32 i32) (result i32) (local $t i32)
    (call $log (i32.const ${5000 + f.id})) (call $log (local.get 0))
    (call $ret${f.id} ${result('(i32.const 0)').join(' ')})
    (i32.const 0))`);
      }
      if (f.post) fns.push(`  (func (export "cabi_post_${f.name}") (param i32)\n    (call $log (i32.const ${2000 + f.id})) (call $log (i32.const 0)))`);
    }
    for (const name of l.reallocs) {
      fns.push(`  (func (export "${name}") (param i32 i32 i32 i32) (result i32)
    (call $log (i32.const ${3000 + 10 * l.li + REALLOCS.indexOf(name)})) (call $log (local.get 3))
    (call $malloc (local.get 3)))`);
    }
    if (l.init) fns.push(`  (func (export "${l.init}") (call $log (i32.const ${4000 + l.li})) (call $log (i32.const 0)))`);
    // wit-component links only the libraries that a library with component
    // exports needs (linking.rs, find_reachable): the hook library must be
    // one, as a libc is, or the original link loses the hook
    const dep = l.trace && hookLib !== traceLib && hookLib !== 0;
    if (dep) lowered.push(`  (import "env" "tw_dep_${names[hookLib]}" (func $dep (result i32)))`);
    if (l.trace) fns.push(`  (func (export "trace") (result i32)${dep ? ' (drop (call $dep))' : ''} (call $take))`);
    if (l.li === hookLib) {
      fns.push('  (func (export "__wasm_task_hook") (param i32) (call $log (local.get 0)))');
      fns.push(`  (func (export "tw_dep_${l.name}") (result i32) (i32.const 0))`);
    }
    l.wat = `(module
  (@dylink.0
    (mem-info (memory ${l.memInfo} 4))${l.li ? '\n    (needed "c")' : ''}
  )
  (import "env" "memory" (memory 1))
${lowered.join('\n')}${l.li ? LIBC_IMPORTS : LIBC}${HELPERS}
${fns.join('\n')}
)
`;
    const world = [...l.imports.map((g) => `  import ${witFunc(g)};`), ...l.exports.map((f) => `  export ${witFunc(f)};`)];
    if (l.trace) world.push(`  export ${witFunc(trace)};`);
    l.world = `lib-${l.name}`;
    l.wit = `package dl:gen;\nworld lib-${l.name} {\n${world.map((x) => `${x}\n`).join('')}}\n`;
  }

  const exports = [...libs.flatMap((l) => l.exports), trace];
  const callable = exports.filter((f) => f !== trace);
  const steps = Array.from({ length: r.int(3, 8) }, () => {
    const f = r.pick(callable);
    return { fn: f.name, args: f.params.map((p) => (p === 'string' ? r.pick(STRINGS) : r.pick([0, 1, 7, 100, 65535, 0x7fffffff]))) };
  });
  const order = r.shuffle([...libs]);
  // p = 0.2: one library other than c given with --dl-openable
  if (n > 1 && r.chance(0.2)) libs[r.int(1, n - 1)].dlOpenable = true;
  return { seed, libs, order, hookLib: names[hookLib], traceLib: names[traceLib], exports, imports: libs.flatMap((l) => l.imports), steps };
}

// For --show: the set in words.
export function describe(g) {
  return g.order.map((l) => `${l.name}${l.name === g.hookLib ? '(hook)' : ''}${l.dlOpenable ? '(dl-openable)' : ''}: exports [${l.exports.map((f) => f.name + (f.post ? '+post' : '')).join(' ')}${l.trace ? ' trace' : ''}]` +
    ` imports [${l.imports.map((f) => f.name).join(' ')}] reallocs [${l.reallocs.join(' ')}]${l.init ? ` ${l.init}` : ''}`).join('; ');
}
