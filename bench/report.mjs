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
const modInfo = new Map(lines('modules.tsv').map((l) => { const [n, , init, wasi] = l.split('\t'); return [n, { init: init === '1', wasi: Number(wasi) }]; }));
const failures = lines('failures.tsv').map((l) => { const [module, tool, code, msg] = l.split('\t'); return { module, tool, code, msg }; });
const hasCheck = machine.check === '1';
const failed = (name, t) => failures.find((f) => f.module === name && f.tool === t);
const initNA = (name, t) => t === 'init' && modInfo.has(name) && !modInfo.get(name).init;

// every column: [tool, header]
const cols = [
  ['floor', '`floor` ⁰'], ['dd', '`dd`+fsync ¹'], ['none', '`--verify=none`'], ['fast', 'default (`fast`)'],
  ['stub', '`--stub-wasi`'], ['init', '`--init-once` ⁶'], ['check', '`--check` ⁷'], ['check-stub', '`--check --stub-wasi` ⁷'],
  ['full', '`--verify=full`'], ['wasm-opt', '`wasm-opt`'],
];
// a cell with no measurement says why
const missing = (name, t) => {
  const f = failed(name, t);
  if (f) return `**failed** (exit ${f.code}) ⁸`;
  if (initNA(name, t)) return 'n/a';
  if (t.startsWith('check') && !hasCheck) return 'skipped ⁷';
  return '—';
};

p('### Wall time (median ms, and × `cp` of the same run)');
p();
p(`| module | MB | \`cp\` | ${cols.map(([, h]) => h).join(' | ')} | \`componentNew\` ² | default ns/B ³ |`);
p(`| --- | ---: | ---: | ${cols.map(() => '---:').join(' | ')} | ---: | ---: |`);
for (const [name, m] of mods) {
  const cp = median(m.tools.cp.wall);
  const cell = (t) => (m.tools[t] ? `${f1(median(m.tools[t].wall) * 1e3)} (${ratio(median(m.tools[t].wall) / cp)})` : missing(name, t));
  const w = witc.get(name);
  const cn = !w ? '—' : w.error ? `failed ⁴` : `${f1(median(w.ms))} (${ratio(median(w.ms) / 1e3 / cp)})`;
  const fast = median(m.tools.fast.wall);
  p(`| ${name} | ${(m.bytes / MB).toFixed(1)} | ${f1(cp * 1e3)} | ${cols.map(([t]) => cell(t)).join(' | ')} | ${cn} | ${(fast * 1e9 / m.bytes).toFixed(2)} |`);
}
p();
p('Every tool writes onto an existing output (a copy of the input before the first round, then its own previous output), synced to disk before each run.');
p('⁰ what a safe rewriter minimally costs: `floor.c` copies the input inside the kernel (`copy_file_range`) into a new temporary file beside the output and `rename`s it over the existing output; no fsync.');
p('¹ reference, not a target: `dd bs=256M conv=fsync` reads the whole file into memory, writes it and fsyncs it, with no parsing and no second buffer.');
p('² in-process time of `componentNew` alone in Node.js (`performance.now`, median; Node start-up, loading jco and `componentEmbed` excluded), on the original (hooked) module; its ratio is against the whole-process `cp`.');
p('³ whole-process wall time of the default rewrite per input byte.');
p('⁶ only on modules that export `_initialize` (n/a: the wasi-testsuite programs are commands, without one).');
p(hasCheck
  ? '⁷ `wasm-taskwrap --check IN OUT` on the output the default rewrite wrote in the same round (`--check --stub-wasi IN OUT` on the `--stub-wasi` one); it writes nothing.'
  : '⁷ skipped: this wasm-taskwrap\'s `--help` does not mention `--check`.');
const stubless = [...mods.keys()].filter((n) => modInfo.get(n)?.wasi === 0);
if (stubless.length) p(`Modules without \`wasi_snapshot_preview1\` function imports (${stubless.join(', ')}): \`--stub-wasi\` has nothing to replace there.`);
p();
p('### Peak resident memory (MB, and × input size)');
p();
const baseRss = baseline ? median(baseline.tools.fast.rss) : 0;
const baseWall = baseline ? median(baseline.tools.fast.wall) : 0;
p(`| module | MB | \`cp\` | ${cols.map(([, h]) => h.replace(/ [⁰¹⁶⁷]$/, '')).join(' | ')} | default above its footprint ⁵ | \`componentNew\` ⁹ |`);
p(`| --- | ---: | ---: | ${cols.map(() => '---:').join(' | ')} | ---: | ---: |`);
for (const [name, m] of mods) {
  const cell = (t) => (m.tools[t] ? `${f1(median(m.tools[t].rss) / MB)} (${ratio(median(m.tools[t].rss) / m.bytes)})` : missing(name, t));
  const w = witc.get(name);
  const cn = !w ? '—' : w.error ? 'failed ⁴' : `${f1(w.rssKB * 1024 / MB)} (${ratio(w.rssKB * 1024 / m.bytes)})`;
  const rss = median(m.tools.fast.rss);
  const above = `${f1((rss - baseRss) / MB)} (${ratio((rss - baseRss) / m.bytes)})`;
  p(`| ${name} | ${(m.bytes / MB).toFixed(1)} | ${cell('cp')} | ${cols.map(([t]) => cell(t)).join(' | ')} | ${above} | ${cn} |`);
}
const base = [...witc.values()].find((w) => w.baseRssKB);
p();
p(`⁹ peak RSS of the whole Node.js process (${base ? `${(base.baseRssKB * 1024 / MB).toFixed(0)} MB of it is Node.js with jco loaded` : 'includes Node.js and jco'}).`);
for (const w of witc.values()) if (w.error) p(`⁴ ${w.module}: componentNew failed: \`${w.error}\` (Node.js peak RSS ${f1(w.rssKB * 1024 / MB)} MB).`);
if (baseline) p(`⁵ the default rewrite's peak RSS minus wasm-taskwrap's own footprint, ${f1(baseRss / MB)} MB (its peak RSS on a ${(baseline.bytes / 1e3).toFixed(0)} KB module: program, libc, libstdc++ and libwabt's code): what the module itself costs.`);
for (const f of failures) p(`⁸ ${f.module}: \`${f.tool}\` exit ${f.code}: ${f.msg ? `\`${f.msg}\`` : '(no message)'}`);
p();

// time per byte across the generated sizes
const gen = [...mods].filter(([n]) => n.startsWith('gen-'));
if (gen.length > 1) {
  const nsb = (m, t) => median(m.tools[t].wall) * 1e9 / m.bytes;
  p('### Time per byte across the generated sizes (ns/B, whole process)');
  p();
  p(`| tool | ${gen.map(([n]) => n).join(' | ')} |`);
  p(`| --- | ${gen.map(() => '---:').join(' | ')} |`);
  for (const t of ['cp', 'floor', 'dd', 'none', 'fast', 'stub', 'init', 'check', 'check-stub', 'full', 'wasm-opt']) {
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

// micro.mjs's timings are Node.js only: the run-time comparison is
// bench/runtime's (bench/README.md, "Run-time cost of the hooks"), so they
// are not printed as a result; its sizes are above.
if (micro) {
  p('The run-time cost of the hooks is measured by `bench/runtime/run.sh` (wasmtime and Node.js), not here: `micro.mjs` times Node.js only.');
  p();
}

// The report's targets, all onto an existing output.
p('### Targets (onto an existing output)');
p();
p('| target | module | measured | |');
p('| --- | --- | --- | :---: |');
const T = 'npm:ruby.debug+stdlib';
const verdict = (ok) => (ok ? 'met' : '**missed**');
const wallTarget = (tool, label, limit) => {
  const m = mods.get(T);
  if (!m || !m.tools[tool]) return p(`| ${label} wall time ≤ ${limit}× \`cp\` | ${T} | not measured${m ? ` (${missing(T, tool)})` : ''} | — |`);
  const w = median(m.tools[tool].wall), cp = median(m.tools.cp.wall);
  p(`| ${label} wall time ≤ ${limit}× \`cp\` | ${T} | ${f1(w * 1e3)} ms, \`cp\` ${f1(cp * 1e3)} ms: **${ratio(w / cp)}** | ${verdict(w <= limit * cp)} |`);
};
const rssTarget = (tool, label, limit) => {
  const m = mods.get(T);
  if (!m || !m.tools[tool]) return p(`| ${label} peak RSS ≤ ${limit}× input | ${T} | not measured | — |`);
  const r = median(m.tools[tool].rss);
  p(`| ${label} peak RSS ≤ ${limit}× input | ${T} | ${f1(r / MB)} MB of ${f1(m.bytes / MB)} MB: **${ratio(r / m.bytes)}** | ${verdict(r <= limit * m.bytes)} |`);
};
wallTarget('fast', 'default rewrite:', '2.0');
rssTarget('fast', 'default rewrite:', 0.25);
wallTarget('stub', '`--stub-wasi`:', 5);
rssTarget('stub', '`--stub-wasi`:', '1.0');
{
  // flat: the default rewrite's ns/B net of start-up (wall minus the 75 KB
  // module's) stays within FLAT× its smallest value over the generated sizes
  const FLAT = 1.25;
  // over the sizes the target names (--sizes may add smaller ones)
  const g = [...mods].filter(([n, m]) => n.startsWith('gen-') && m.bytes >= 0.9 * MB).sort((a, b) => a[1].bytes - b[1].bytes);
  const label = `default rewrite: time per byte flat from 1 MB to 200 MB (net ns/B, max ≤ ${FLAT}× min) ¹⁰`;
  if (g.length < 2) p(`| ${label} | gen-* | not measured (needs at least two generated sizes) | — |`);
  else {
    const net = g.map(([, m]) => (median(m.tools.fast.wall) - baseWall) * 1e9 / m.bytes);
    const raw = g.map(([, m]) => median(m.tools.fast.wall) * 1e9 / m.bytes);
    const spread = Math.max(...net) / Math.min(...net);
    const spans = g[0][1].bytes <= 1.1 * MB && g[g.length - 1][1].bytes >= 199 * MB;
    const fig = `${net.map((x) => x.toFixed(2)).join(', ')} ns/B net (${raw.map((x) => x.toFixed(2)).join(', ')} whole process): max/min **${ratio(spread)}**`;
    // A net time at or below zero (the 75 KB module took as long as a larger
    // one: a noisy machine) makes max/min meaningless: not judged then.
    const judged = net.every((x) => x > 0) ? (spans ? verdict(spread <= FLAT) : `${verdict(spread <= FLAT)} on these sizes; not judged (needs gen-1MB … gen-200MB)`) : 'not judged: a net time ≤ 0 (the machine was noisy)';
    p(`| ${label} | ${g[0][0]} … ${g[g.length - 1][0]} | ${fig} | ${judged} |`);
    // The same sizes against floor, which pays the kernel's copy and the
    // rename that every safe rewriter pays, and whose own time per byte is
    // not flat either (whole process; its max/min is printed beside).
    const fl = g.filter(([, m]) => m.tools.floor);
    if (fl.length === g.length) {
      const x = g.map(([, m]) => median(m.tools.fast.wall) / median(m.tools.floor.wall));
      const own = g.map(([, m]) => median(m.tools.floor.wall) * 1e9 / m.bytes);
      const worst = Math.max(...x);
      const fig2 = `${x.map((v) => v.toFixed(2)).join(', ')} × \`floor\` (medians); \`floor\`'s own ns/B max/min ${ratio(Math.max(...own) / Math.min(...own))}: max **${ratio(worst)}**`;
      p(`| default rewrite: wall time ≤ ${FLAT}× \`floor\` at every generated size | ${g[0][0]} … ${g[g.length - 1][0]} | ${fig2} | ${spans ? verdict(worst <= FLAT) : `${verdict(worst <= FLAT)} on these sizes; not judged (needs gen-1MB … gen-200MB)`} |`);
    }
  }
}
p();
p(`¹⁰ net of start-up: the median wall time of the default rewrite of the ${baseline ? `${(baseline.bytes / 1e3).toFixed(0)} KB module (${f1(baseWall * 1e3)} ms)` : 'smallest module'} is subtracted first. "Flat" has no tolerance of its own; ${'1.25×'} is this report's.`);
console.log(out.join('\n'));
