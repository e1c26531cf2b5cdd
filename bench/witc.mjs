// wit-component (jco 1.35.0 = wit-component 0.259.0) on one module:
// componentEmbed once, then componentNew RUNS times, each timed in-process
// with performance.now (Node start-up, loading jco and the embed step are
// not included). Optionally the same for a second (rewritten) module, for
// the component sizes. Prints one JSON line:
//   {"ms":[...],"rssKB":N,"baseRssKB":N,"component":BYTES,"rewrittenComponent":BYTES|null}
// or {"error":"...","rssKB":N,"baseRssKB":N} when componentNew fails.
// rssKB is the Node process's peak resident memory after everything
// (process.resourceUsage().maxRSS); baseRssKB the same right after loading
// jco, before reading any module.
//
// usage: node witc.mjs NPM_DIR MODULE.wasm WORLD.wit RUNS [REWRITTEN.wasm [WARMUP.wasm]]
//   WARMUP.wasm: a small module of the same world, componentized twice
//   before any timing so V8 has compiled and tiered up jco's wasm code
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [npmDir, wasm, wit, runsArg, rewritten, warmup] = process.argv.slice(2);
if (!runsArg) {
  console.error('usage: node witc.mjs NPM_DIR MODULE.wasm WORLD.wit RUNS [REWRITTEN.wasm]');
  process.exit(2);
}
const jcoPath = createRequire(join(resolve(npmDir), 'x.js')).resolve('@bytecodealliance/jco');
const jco = await import(pathToFileURL(jcoPath).href);
const baseRssKB = process.resourceUsage().maxRSS;
const witSource = readFileSync(wit, 'utf8');
const world = witSource.match(/^world (\S+)/m)[1];

async function build(file, runs) {
  const embedded = await jco.componentEmbed({ binary: readFileSync(file), witSource, world });
  const ms = [];
  let component;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    component = await jco.componentNew(embedded);
    ms.push(performance.now() - t0);
  }
  return { ms, bytes: component.length };
}
if (warmup) await build(warmup, 2);
let orig, rw = null;
try {
  orig = await build(wasm, Number(runsArg));
} catch (e) { // e.g. wit-component (wasm32) running out of its 4 GiB of memory
  console.log(JSON.stringify({ error: String(e && e.message || e).split('\n')[0].slice(0, 120), baseRssKB, rssKB: process.resourceUsage().maxRSS }));
  process.exit(0);
}
const rssKB = process.resourceUsage().maxRSS; // before the rewritten module adds its own
try {
  if (rewritten) rw = await build(rewritten, 1);
} catch { /* its size is then unknown */ }
console.log(JSON.stringify({ ms: orig.ms, rssKB, baseRssKB, component: orig.bytes, rewrittenComponent: rw && rw.bytes }));
