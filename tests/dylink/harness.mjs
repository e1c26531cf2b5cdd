// Shared by the dylink tests: shared libraries (dylink.0 modules with an
// embedded world) linked by `wasm-tools component link` (wit-component
// 0.262) as they are and after wasm-taskwrap rewrote each of them, then run
// in wasmtime 49.
//
// How a linked component is run: `wasm-tools compose` only fills instance
// imports, and a library's world imports plain functions, so the three
// components are put together in component text instead:
//   host     exports every function the libraries import (driver.mjs);
//   subject  the linked component, its imports filled from host;
//   driver   imports every export of the subject and exports
//            `drive: func() -> list<u32>`, which makes a fixed sequence of
//            calls in one instance and returns, for each, the digest of its
//            result and the subject's log as the subject's `trace` export
//            returns it (driver.mjs says the layout).
// `wasmtime run --invoke 'drive()'` prints that list.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { coreModules, parseModule } from '../consumers/wasm.mjs';

export const HOOK = '__wasm_task_hook';
// The private name of the renamed hook (docs/abi.md, "Shared libraries").
export const PRIVATE_HOOK = '__taskwrap_task_hook';

// A runner bound to a scratch directory and the tools.
export function tools({ work, taskwrap, wasmTools, wasmtime }) {
  // the commands run in `work`: a relative path given is the caller's
  const abs = (p) => (p && p.includes('/') ? resolve(p) : p);
  [taskwrap, wasmTools, wasmtime] = [taskwrap, wasmTools, wasmtime].map(abs);
  const env = { ...process.env, RUST_BACKTRACE: '0' };
  const file = (...p) => join(work, ...p);
  const put = (path, bytes) => { mkdirSync(dirname(path), { recursive: true }); writeFileSync(path, bytes); return path; };
  function run(cmd, args, input) {
    try {
      return execFileSync(cmd, args, { cwd: work, env, input, maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      const err = new Error(`${cmd} ${args.join(' ')}: exit ${e.status}\n${e.stderr}`);
      err.status = e.status;
      err.stderr = String(e.stderr ?? '');
      throw err;
    }
  }
  const wt = (...args) => run(wasmTools, args);
  const t = {
    file, put, run, wt,
    // WAT text -> core module bytes, with `world` of `witPath` embedded
    library(tag, wat, witPath, world) {
      const src = put(file(`${tag}.wat`), wat);
      wt('parse', src, '-o', file(`${tag}.core.wasm`));
      wt('component', 'embed', witPath, '--world', world, file(`${tag}.core.wasm`), '-o', file(`${tag}.wasm`));
      return file(`${tag}.wasm`);
    },
    // `wasm-taskwrap ARGS... IN -o OUT --json`: the plan
    rewrite(input, out, args = []) {
      return JSON.parse(run(taskwrap, [...args, input, '-o', out, '--json']).toString());
    },
    // libs: [{name, path, dlOpenable}] -> the linked component's path
    link(tag, libs) {
      const args = ['component', 'link'];
      for (const l of libs) {
        if (l.dlOpenable) args.push('--dl-openable');
        args.push(`${l.name}=${l.path}`);
      }
      const out = file(`${tag}.component.wasm`);
      wt(...args, '-o', out);
      wt('validate', out);
      return out;
    },
    // a component from a core module with its world embedded
    componentOf(tag, wat, wit, world) {
      put(file(`${tag}.wit`), wit);
      const core = t.library(tag, wat, file(`${tag}.wit`), world);
      wt('component', 'new', core, '-o', file(`${tag}.component.wasm`));
      return file(`${tag}.component.wasm`);
    },
    // host + subject + driver in one component (see the top of this file);
    // returns its path. imports / exports: the subject's function names
    // (an instance import as `instance NAME`).
    compose(tag, host, subject, driver, imports, exports) {
      const nested = (path, id) => wt('print', path).toString().replace(/^\(component/, `(component $${id}`);
      const fn = (inst, name) => (name.startsWith('instance ') ? `(instance $${inst} "${name.slice(9)}")` : `(func $${inst} "${name}")`);
      const key = (name) => name.replace(/^instance /, '');
      const lines = ['(component', host ? nested(host, 'host') : '', nested(subject, 'subject'), nested(driver, 'driver')];
      if (host) lines.push('(instance $h (instantiate $host))');
      lines.push(`(instance $s (instantiate $subject ${imports.map((n) => `(with "${key(n)}" ${fn('h', n)})`).join(' ')}))`);
      lines.push(`(instance $d (instantiate $driver ${exports.map((n) => `(with "${n}" ${fn('s', n)})`).join(' ')}))`);
      lines.push('(export "drive" (func $d "drive"))', ')');
      const out = file(`${tag}.composed.wasm`);
      wt('parse', put(file(`${tag}.composed.wat`), lines.join('\n')), '-o', out);
      return out;
    },
    // wasm-tools print of a core module's bytes
    print(bytes) {
      return wt('print', put(file('print.tmp.wasm'), bytes)).toString();
    },
    // `drive()` in wasmtime: the list it returns, or the error's first lines
    drive(composed) {
      try {
        // wasmtime 49 enables component-model-async by default; the driver's
        // [async-lift-stackful] needs component-model-async-stackful
        const out = run(wasmtime, ['run', '-C', 'cache=n', '-W', 'component-model-async-stackful=y', '--invoke', 'drive()', composed]).toString().trim();
        if (!/^\[[\d, ]*\]$/.test(out)) return `unexpected output: ${out.slice(0, 200)}`;
        return JSON.parse(out);
      } catch (e) {
        return `error: ${e.stderr.split('\n').filter((l) => l.trim()).slice(0, 3).join(' | ')}`;
      }
    },
  };
  return t;
}

// The hook-related problems of a linked component's core modules outside
// the libraries (`libNames`; [] when none). wit-component must not see the
// hook: none of them imports or exports it under its public name. Under the
// private name they may only pass it on: when the libraries import from
// each other in a cycle, `main` exports a trampoline (call_indirect through
// its table) and the fixup module imports the library's hook to put it in
// that table; but no function of theirs may call the hook itself (a
// wrapper outside the libraries). `print` prints a core module (wasm-tools
// print) and names the libraries found.
export function outsideHookProblems(component, libNames, print) {
  const problems = [];
  for (const m of coreModules(component)) {
    if (libNames.includes(m.name)) continue;
    const who = m.name ?? `module ${m.index}`;
    const p = parseModule(m.bytes);
    for (const i of p.imports) if (i.name === HOOK) problems.push(`${who} imports ${i.module}.${i.name}`);
    for (const e of p.exports) if (e.name === HOOK) problems.push(`${who} exports ${e.name}`);
    if (!p.imports.some((i) => i.kind === 0 && i.name.includes('task_hook'))) continue;
    const text = print(m.bytes);
    for (const i of text.matchAll(/^ *\(import "([^"]*)" "([^"]*task_hook[^"]*)" \(func (\$\S+ |\$"[^"]*" )?(?:\(@name "[^"]*"\) )?\(;(\d+);\)/gm)) {
      const refs = [i[4], ...(i[3] ? [i[3].trim()] : [])];
      const calls = text.split('\n').filter((l) => { const c = l.trim().match(/^(?:return_)?call (\S+|\$"[^"]*")$/); return c && refs.includes(c[1]); });
      if (calls.length) problems.push(`${who} calls ${i[1]}.${i[2]} (${calls.length} times)`);
    }
  }
  return problems;
}

// The names of the libraries that are core modules of a linked component
// (wit-component leaves out a library that no library with component
// exports needs: linking.rs, find_reachable).
export function librariesIn(component, libNames) {
  return coreModules(component).map((m) => m.name).filter((n) => libNames.includes(n));
}

// The libraries' core modules as linked: name -> parsed module.
export function libraryModules(component, libNames) {
  const out = new Map();
  for (const m of coreModules(component)) if (libNames.includes(m.name)) out.set(m.name, { bytes: m.bytes, ...parseModule(m.bytes) });
  return out;
}
