// wit-component's fixup module, read out of a printed component (wasm-tools
// print or jco print; 0.259 and 0.262), for the tests that compare
// wasm-taskwrap's wrappers with wit-component's: tests/diff, tests/witc and
// tests/e2e.

// Returns Map(export name of the main module -> hook codes in call order) for
// every fixup function that calls the hook, plus whether the hook is imported.
// A wrapped function of another core module (an adapter's
// cabi_import_realloc) is keyed MODULE.NAME and listed in `foreign` too.
export function fixupHooks(wat) {
  const result = new Map();
  const m = wat.match(/^ {2}\(core module \$wit-component-fixup[^\n]*\n([\s\S]*?)^ {2}\)$/m);
  const foreign = new Set();
  if (!m) return { result, foreign, hookImported: false, wrappers: 0, present: false };
  const text = m[1];
  // `actual` imports reach main's exports through a core instance of aliases
  const alias = new Map();
  const ID = String.raw`(\$"(?:[^"\\]|\\.)*"|\$[^\s()]+)`;
  for (const a of wat.matchAll(new RegExp(String.raw`\(alias core export \$main "((?:[^"\\]|\\.)*)" \(core func ${ID}`, 'g'))) alias.set(a[2], a[1]);
  for (const a of wat.matchAll(new RegExp(String.raw`\(core func ${ID} [^\n]*\(canon (task\.return|[a-z.-]+)`, 'g'))) if (!alias.has(a[1])) alias.set(a[1], `canon ${a[2]}`);
  const actual = new Map();
  const act = wat.match(/^ {2}\(core instance \$actual[^\n]*\n([\s\S]*?)^ {2}\)$/m);
  if (act) for (const e of act[1].matchAll(new RegExp(String.raw`\(export "([^"]*)" \(func ${ID}\)\)`, 'g'))) actual.set(e[1], alias.get(e[2]));
  // wasmprinter names functions where the names section (0.262) has them:
  // `(func $name (;N;) ...` and `call $name`
  const names = new Map();
  const ident = new Map();
  let hook;
  for (const i of text.matchAll(new RegExp(String.raw`^ {4}\(import "([^"]*)" "((?:[^"\\]|\\.)*)" \(func (?:${ID} )?(?:\(@name "(?:[^"\\]|\\.)*"\) )?\(;(\d+);\)`, 'gm'))) {
    const idx = Number(i[4]);
    if (i[3]) ident.set(i[3], idx);
    const name = i[1] === 'main' ? i[2] : i[1] === 'actual' ? actual.get(i[2]) : `${i[1]}.${i[2]}`;
    if (i[1] !== 'main' && i[1] !== 'actual') foreign.add(name);
    names.set(idx, name);
    if (i[1] === 'main' && i[2] === '__wasm_task_hook') hook = idx;
  }
  let wrappers = 0;
  for (const f of text.matchAll(new RegExp(String.raw`^ {4}\(func (?:${ID} )?(?:\(@name "(?:[^"\\]|\\.)*"\) )?\(;(\d+);\)[^\n]*\n([\s\S]*?)\n {4}\)`, 'gm'))) {
    const lines = f[3].split('\n').map((l) => l.trim());
    const codes = [];
    let target = null;
    lines.forEach((l, i) => {
      const c = l.match(/^call (\d+|\$.*)$/);
      if (!c) return;
      const callee = /^\d/.test(c[1]) ? Number(c[1]) : ident.get(c[1]);
      c[1] = callee;
      if (callee === hook) {
        const prev = lines[i - 1];
        if (prev === 'select' && lines[i - 3] === 'i32.const 5' && lines[i - 4] === 'i32.const 4') codes.push([4, 5]);
        else if (prev.startsWith('i32.const ')) codes.push(Number(prev.slice(10)));
        else codes.push('?');
      } else target = names.get(Number(c[1])) ?? `func ${c[1]}`;
    });
    if (codes.length) {
      wrappers++;
      if (result.has(target)) throw new Error(`two fixup wrappers for ${target}`);
      result.set(target, codes);
    }
  }
  return { result, foreign, hookImported: hook !== undefined, wrappers, present: true };
}

// The plan's wrapped exports (wasm-taskwrap --json) -> their hook codes,
// in the form fixupHooks().result has them.
export function planHooks(plan) {
  return new Map(plan.exports.filter((x) => x.hooks !== null).map((x) => [x.name, x.hooks]));
}

// The same exports with the same codes in the same order?
export function sameHooks(a, b) {
  return a.size === b.size && [...a].every(([k, v]) => JSON.stringify(b.get(k)) === JSON.stringify(v));
}
