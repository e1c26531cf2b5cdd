// The hook calls of the wrappers inside rewritten libraries, export by
// export, and wit-component's fixup wrappers of a linked component in the
// same form, to compare them (fixtures.mjs, diff.mjs).
import { parseModule as parseImports } from '../consumers/wasm.mjs';
import { parseModule, hookCallsOf } from '../diff/wasmbin.mjs';
import { fixupHooks } from '../common/fixup.mjs';
import { HOOK, PRIVATE_HOOK } from './harness.mjs';

// The function index of a library's hook: the import env.PRIVATE_HOOK, or
// the function it exports as PRIVATE_HOOK (or HOOK, before a rewrite);
// null when it has none.
export function hookIndex(buf) {
  const m = parseImports(buf);
  let fi = 0;
  for (const i of m.imports) {
    if (i.kind !== 0) continue;
    if (i.module === 'env' && i.name === PRIVATE_HOOK) return fi;
    fi++;
  }
  const e = m.exports.find((x) => x.kind === 0 && (x.name === PRIVATE_HOOK || x.name === HOOK));
  return e ? e.index : null;
}

// A library's exported functions -> the hook codes its export calls
// directly, in order ([] for an export that is no wrapper); and, for each
// wrapper, whether it calls exactly one other function.
export function libraryHooks(buf) {
  const m = parseModule(buf);
  const hook = hookIndex(buf);
  const out = new Map();
  for (const e of m.exports) {
    if (e.kind !== 0) continue;
    if (hook === null || e.index === hook) { out.set(e.name, { codes: [], callees: [] }); continue; }
    out.set(e.name, hookCallsOf(buf, m, e.index, hook));
  }
  return out;
}

// wit-component's fixup wrappers of a printed linked component, by library:
// Map(library -> Map(export -> codes)). Wrappers of `main`'s own exports
// (main re-exports a library's cabi_realloc) are under 'main'.
export function fixupByLibrary(wat) {
  const { result } = fixupHooks(wat);
  const out = new Map();
  for (const [key, codes] of result) {
    const dot = key.indexOf('.');
    const [lib, name] = dot < 0 ? ['main', key] : [key.slice(0, dot), key.slice(dot + 1)];
    if (!out.has(lib)) out.set(lib, new Map());
    out.get(lib).set(name, codes);
  }
  return out;
}

// Differences between wit-component's wrappers of library `lib` (from
// fixupByLibrary) and the wrappers inside its rewrite: ["export: ..."].
export function compareLibrary(lib, witc, rewritten) {
  const want = witc.get(lib) ?? new Map();
  const got = libraryHooks(rewritten);
  const out = [];
  const show = (x) => JSON.stringify(x);
  for (const [name, codes] of want) {
    const g = got.get(name);
    if (!g) out.push(`${lib}.${name}: wit-component wraps it with ${show(codes)}, the rewritten library does not export it`);
    else if (show(g.codes) !== show(codes)) out.push(`${lib}.${name}: wit-component ${show(codes)}, rewritten library ${show(g.codes)}`);
    else if (g.callees.length !== 1) out.push(`${lib}.${name}: the wrapper calls ${show(g.callees)}, not one function`);
  }
  for (const [name, g] of got) {
    if (!want.has(name) && g.codes.length) out.push(`${lib}.${name}: the rewritten library wraps it with ${show(g.codes)}, wit-component does not`);
  }
  return out;
}
