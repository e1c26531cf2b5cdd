// Turn bench/run.sh's measurements into Markdown tables.
// usage: node report.mjs WORKDIR   (reads raw.tsv, witc.jsonl, micro.json, machine.txt)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const work = process.argv[2];
const lines = (f) => (existsSync(join(work, f)) ? readFileSync(join(work, f), 'utf8').split('\n').filter(Boolean) : []);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2; };
const MB = 1e6;

// module -> {bytes, tool -> {wall: [], rss: []}}
const mods = new Map();
for (const l of lines('raw.tsv')) {
  const [name, bytes, tool, , wall, rss] = l.split('\t');
  if (!mods.has(name)) mods.set(name, { bytes: Number(bytes), tools: {} });
  const t = (mods.get(name).tools[tool] ??= { wall: [], rss: [] });
  t.wall.push(Number(wall));
  t.rss.push(Number(rss) * 1024);
}
const baseline = mods.get('baseline');
mods.delete('baseline');
const witc = new Map(lines('witc.jsonl').map((l) => { const j = JSON.parse(l); return [j.module, j]; }));
const micro = existsSync(join(work, 'micro.json')) ? JSON.parse(readFileSync(join(work, 'micro.json'), 'utf8')) : null;
const machine = Object.fromEntries(lines('machine.txt').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

const f1 = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (x) => `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
const out = [];
const p = (s = '') => out.push(s);

p('## Results');
p();
p(`Machine: ${machine.machine}; ${machine.kernel}; file system ${machine.fs}, warm page cache. ` +
  `Run ${machine.date}, ${machine.duration}; load average ${machine.load}.`);
p(`Tools: ${machine.taskwrap}, ${machine['wasm-opt']}, ${machine.cp}, Node.js ${machine.node}, jco 1.35.0 (wit-component 0.259.0).`);
p();
p('### Wall time (median ms, and × `cp` of the same run)');
p();
const tools = ['none', 'fast', 'full', 'wasm-opt'];
p('| module | MB | `cp` | `dd`+fsync ⁰ | `--verify=none` | default (`fast`) | `--verify=full` | `wasm-opt` | `componentNew` ¹ | default ns/B ² | default ≤ 1.5× `cp` |');
p('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |');
const missed = [];
for (const [name, m] of mods) {
  const cp = median(m.tools.cp.wall);
  const cell = (t) => (m.tools[t] ? `${f1(median(m.tools[t].wall) * 1e3)} (${ratio(median(m.tools[t].wall) / cp)})` : '—');
  const w = witc.get(name);
  const cn = !w ? '—' : w.error ? `failed ⁴` : `${f1(median(w.ms))} (${ratio(median(w.ms) / 1e3 / cp)})`;
  const fast = median(m.tools.fast.wall);
  const ok = fast <= 1.5 * cp;
  if (!ok) missed.push(`${name}: default ${ratio(fast / cp)} cp`);
  p(`| ${name} | ${(m.bytes / MB).toFixed(1)} | ${f1(cp * 1e3)} | ${cell('dd')} | ${tools.map(cell).join(' | ')} | ${cn} | ${(fast * 1e9 / m.bytes).toFixed(2)} | ${ok ? 'yes' : '**no**'} |`);
}
p();
p('⁰ reference, not a target: `dd bs=256M conv=fsync` reads the whole file into memory, writes it and fsyncs it, which is the I/O wasm-taskwrap does (it fsyncs its temporary file before renaming it into place), with no parsing and no second buffer.');
p('¹ in-process time of `componentNew` alone in Node.js (`performance.now`, median; Node start-up, loading jco and `componentEmbed` excluded), on the original (hooked) module; its ratio is against the whole-process `cp`.');
p('² whole-process wall time of the default rewrite per input byte.');
p();
p('### Peak resident memory (MB, and × input size)');
p();
const baseRss = baseline ? median(baseline.tools.fast.rss) : 0;
p('| module | MB | `cp` | `dd`+fsync | `--verify=none` | default (`fast`) | default above its footprint ⁵ | `--verify=full` | `wasm-opt` | `componentNew` ³ | default ≤ 2.5× input |');
p('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |');
for (const [name, m] of mods) {
  const cell = (t) => (m.tools[t] ? `${f1(median(m.tools[t].rss) / MB)} (${ratio(median(m.tools[t].rss) / m.bytes)})` : '—');
  const w = witc.get(name);
  const cn = !w ? '—' : w.error ? 'failed ⁴' : `${f1(w.rssKB * 1024 / MB)} (${ratio(w.rssKB * 1024 / m.bytes)})`;
  const rss = median(m.tools.fast.rss);
  const above = `${f1((rss - baseRss) / MB)} (${ratio((rss - baseRss) / m.bytes)})`;
  const ok = rss <= 2.5 * m.bytes;
  if (!ok) missed.push(`${name}: default peak RSS ${ratio(rss / m.bytes)} input`);
  const tc = tools.map(cell);
  p(`| ${name} | ${(m.bytes / MB).toFixed(1)} | ${cell('cp')} | ${cell('dd')} | ${tc[0]} | ${tc[1]} | ${above} | ${tc[2]} | ${tc[3]} | ${cn} | ${ok ? 'yes' : '**no**'} |`);
}
const base = [...witc.values()].find((w) => w.baseRssKB);
p();
p(`³ peak RSS of the whole Node.js process (${base ? `${(base.baseRssKB * 1024 / MB).toFixed(0)} MB of it is Node.js with jco loaded` : 'includes Node.js and jco'}).`);
for (const w of witc.values()) if (w.error) p(`⁴ ${w.module}: componentNew failed: \`${w.error}\` (Node.js peak RSS ${f1(w.rssKB * 1024 / MB)} MB).`);
if (baseline) p(`⁵ the default rewrite's peak RSS minus wasm-taskwrap's own footprint, ${f1(baseRss / MB)} MB (its peak RSS on a ${(baseline.bytes / 1e3).toFixed(0)} KB module: program, libc, libstdc++ and libwabt's code): what the module itself costs.`);
p();

// time per byte across the generated sizes
const gen = [...mods].filter(([n]) => n.startsWith('gen-'));
if (gen.length > 1) {
  const nsb = (m, t) => median(m.tools[t].wall) * 1e9 / m.bytes;
  p('### Time per byte across the generated sizes (ns/B, whole process)');
  p();
  p(`| tool | ${gen.map(([n]) => n).join(' | ')} |`);
  p(`| --- | ${gen.map(() => '---:').join(' | ')} |`);
  for (const t of ['cp', 'dd', 'none', 'fast', 'full', 'wasm-opt']) {
    if (gen.every(([, m]) => m.tools[t])) p(`| ${t} | ${gen.map(([, m]) => nsb(m, t).toFixed(2)).join(' | ')} |`);
  }
  p();
}

if (witc.size || micro) {
  p('### Component size (bytes; jco 1.35.0 `componentNew`)');
  p();
  p('| module | core module | rewritten core module | component of the original | component of the rewritten | difference |');
  p('| --- | ---: | ---: | ---: | ---: | ---: |');
  const row = (n, a, b, c, d) => p(`| ${n} | ${a} | ${b} | ${c} | ${d} | ${d - c} |`);
  for (const w of witc.values()) if (!w.error && w.rewrittenComponent) row(w.module, w.bytes, w.rewritten, w.component, w.rewrittenComponent);
  if (micro) row('micro (`work`)', micro.coreOrig, micro.coreRw, micro.componentOrig, micro.componentRw);
  p();
}

if (micro) {
  p(`### Runtime cost of the hooks (Node.js ${machine.node}, ns per call, median of 7 rounds of ${micro.calls / 7 | 0} calls)`);
  p();
  p('| path | from a JS loop | from a wasm loop |');
  p('| --- | ---: | ---: |');
  p(`| (a) wasm-taskwrap: in-module wrapper | ${micro.js_a} | ${micro.wasm_a} |`);
  p(`| (b) wit-component: \`wit-component-fixup\` module → main | ${micro.js_b} | ${micro.wasm_b} |`);
  p(`| (c) no hooks: the original export called directly | ${micro.js_c} | ${micro.wasm_c} |`);
  p(`| ratio (b) / (a) | ${ratio(micro.js_b / micro.js_a)} | ${ratio(micro.wasm_b / micro.wasm_a)} |`);
  p(`| hook overhead (a) − (c), (b) − (c) | ${(micro.js_a - micro.js_c).toFixed(1)}, ${(micro.js_b - micro.js_c).toFixed(1)} | ${(micro.wasm_a - micro.wasm_c).toFixed(1)}, ${(micro.wasm_b - micro.wasm_c).toFixed(1)} |`);
  p();
}

p('### Targets (default verification)');
p();
if (missed.length) for (const m of missed) p(`- missed: ${m}`);
else p('- all met: wall time ≤ 1.5× `cp` and peak RSS ≤ 2.5× the input size on every module');
console.log(out.join('\n'));
