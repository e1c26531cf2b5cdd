// Reading wit-component's fixup module out of a component's text (wasm-tools
// print / jco print), shared by the witc tests.

// The fixup module of a component's text: export name -> constant hook codes
// of its wrapper, in call order. Wrappers call the hook import and one
// import, the export they wrap: from "main" by its name, or (destructors)
// from "actual", an instance of aliases of main's exports (a start
// function wraps _initialize the same way).
export function fixupHooks(text) {
  const m = text.match(/\(core module \$wit-component-fixup[\s\S]*?\n {2}\)\n/);
  if (!m) return { wrapped: new Map(), hookImported: false };
  const aliasOf = new Map([...text.matchAll(/\(alias core export \$main "([^"]*)" \(core func (\$(?:"[^"]*"|\S+))/g)]
    .map((a) => [a[2], a[1]]));
  const actual = new Map();
  const inst = text.match(/\(core instance \$actual[\s\S]*?\n {2}\)\n/);
  if (inst) for (const x of inst[0].matchAll(/\(export "([^"]*)" \(func (\$(?:"[^"]*"|\S+))\)\)/g))
    actual.set(x[1], aliasOf.get(x[2]));
  const imports = new Map();
  for (const i of m[0].matchAll(/\(import "(main|actual)" "([^"]*)" \(func (?:(\$(?:"[^"]*"|\S+)) )?\(;(\d+);\)/g)) {
    const target = i[1] === 'main' ? i[2] : actual.get(i[2]);
    imports.set(`${i[4]}`, target);
    if (i[3]) imports.set(i[3], target);
  }
  const hookRefs = [...imports].filter(([, n]) => n === '__wasm_task_hook').map(([k]) => k);
  const wrapped = new Map();
  for (const f of m[0].split(/\n {4}\(func /).slice(1)) {
    const lines = f.split('\n').map((l) => l.trim());
    const codes = [];
    let target = null;
    for (let i = 0; i < lines.length; i++) {
      const c = lines[i].match(/^call (\$"[^"]*"|\S+)$/);
      if (!c) continue;
      if (hookRefs.includes(c[1])) {
        const k = lines[i - 1].match(/^i32\.const (\d+)$/);
        if (k) codes.push(Number(k[1]));
      } else if (imports.has(c[1])) target = imports.get(c[1]);
    }
    if (target && codes.length) wrapped.set(target, codes);
  }
  return { wrapped, hookImported: hookRefs.length > 0 };
}


// The plan's wrapped exports (wasm-taskwrap --json) -> their constant hook
// codes, comparable with fixupHooks().wrapped (a callback's 4|5 choice is
// not a constant there).
export function planHooks(plan) {
  return new Map(plan.exports.filter((x) => x.hooks !== null)
    .map((x) => [x.name, x.hooks.filter((c) => typeof c === 'number')]));
}

// The same exports with the same codes in the same order?
export function sameHooks(a, b) {
  return a.size === b.size && [...a].every(([k, v]) => JSON.stringify(b.get(k)) === JSON.stringify(v));
}
