// Markdown tables of the runtime benchmark (bench.mjs): one table per
// export (ns per call, median [min–max] over the rounds, and ratios of the
// medians), then compile time and sizes, with the machine and the tools.
export const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// three significant digits, thousands separated
const fmt = (x) => {
  if (!Number.isFinite(x)) return '—';
  const d = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
};
const cell = (xs) => (xs && xs.length ? `${fmt(median(xs))} [${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}]` : '—');

const EXPORT_TITLE = {
  f: '(i) sync `f: func(x: u32) -> u32`',
  g: '(ii) sync with a post-return `g: func(x: u32) -> list<u32>`',
  h: '(iii) `[async-lift]` callback-style `h: async func(x: u32) -> u32` (returns at once)',
};
// rows: [label, key prefix]; v8.mjs measures under the `v8js`, `v8wasm`
// and `jco` engines
function rows(flags) {
  return [
    ...flags.map((fl) => [`wasmtime, ${fl === 'default' ? 'default' : `\`-C ${fl}\``}`, `wasmtime/{x}/${fl}`]),
    ['Node.js (V8), JS loop, core modules', 'v8js/{x}/core'],
    ['Node.js (V8), wasm loop, core modules', 'v8wasm/{x}/core'],
    ['Node.js, jco `transpile` glue, JS loop', 'jco/{x}/glue'],
  ];
}

export function report({ samples, N, comp, flags, variants, exports, v8, sizes, machine, tools }) {
  const L = [];
  const m = machine;
  L.push('# Runtime cost of the task-hook wrappers', '');
  L.push(`Machine: ${m.nproc} cores (nproc), ${m.cpu}, ${m.ramGiB} GiB; Linux ${m.kernel}. ` +
    `Run ${m.start.date} to ${m.end.date}, ${m.seconds} s, ${m.rounds} interleaved rounds; ` +
    `load average ${m.start.load} at start, ${m.end.load} at end (1/5/15 min).`);
  L.push(`Tools: ${tools.wasmtime}; ${tools.wasmTools}; ${tools.taskwrap}; Node.js ${tools.node}; jco ${tools.jco}.`, '');
  L.push('Variants: **a** = the hooked module through `wasm-tools component new` (wit-component\'s fixup wrappers), ' +
    '**b** = `wasm-taskwrap`, then `component new` (the wrappers inside the module), **c** = the same module without the hook export (no wrappers).', '');
  L.push('ns per call, median [min–max] over the rounds; b/a is the ratio of the medians; a−c and b−c are what the wrappers ' +
    'and the hook cost per call (medians). wasmtime: timed inside the driver component with `wasi:clocks/monotonic-clock` ' +
    '(loop only: no process start, no compilation); Node.js: `process.hrtime` around the loop.', '');
  for (const x of exports) {
    L.push(`## ${EXPORT_TITLE[x]}`, '');
    L.push('| engine, flags | a (wit-component) | b (wasm-taskwrap) | c (no hook) | b/a | a−c | b−c | calls per run |');
    L.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [label, pat] of rows(flags)) {
      const key = pat.replace('{x}', x);
      const s = Object.fromEntries(variants.map((v) => [v, samples[`${key}/${v}`]]));
      if (!variants.some((v) => s[v])) continue;
      const med = Object.fromEntries(variants.map((v) => [v, s[v] ? median(s[v]) : NaN]));
      const calls = key.startsWith('wasmtime/') ? N[`${x}/${key.split('/')[2]}`] : v8?.calls?.[key];
      L.push(`| ${label} | ${variants.map((v) => cell(s[v])).join(' | ')} | ${Number.isFinite(med.a / med.b) ? (med.b / med.a).toFixed(2) : '—'} | ` +
        `${fmt(med.a - med.c)} | ${fmt(med.b - med.c)} | ${calls ? calls.toLocaleString('en-US') : '—'} |`);
    }
    if (v8?.notes?.[x]) L.push('', v8.notes[x]);
    L.push('');
  }
  L.push('## Compile time and size', '');
  L.push('`wasmtime compile` of the subject component alone (a process of its own, wall time median [min–max] over the rounds, ' +
    'peak RSS median), the `.cwasm` it writes, the component, and the `.cwasm` of the component composed with the driver (what the runs load).', '');
  L.push('| variant | flags | compile ms | peak RSS MB | subject `.cwasm` B | component B | core module B | composed `.cwasm` B |');
  L.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const fl of flags) {
    for (const v of variants) {
      const c = comp[`${v}/${fl}`] || [];
      const sz = sizes[v];
      L.push(`| ${v} | ${fl} | ${cell(c.map((e) => e.ms))} | ${fmt(median(c.map((e) => e.rssKiB)) / 1024)} | ` +
        `${sz.cwasm[fl].toLocaleString('en-US')} | ${sz.component.toLocaleString('en-US')} | ${sz.core.toLocaleString('en-US')} | ${sz.composed[fl].toLocaleString('en-US')} |`);
    }
  }
  L.push('');
  return L.join('\n');
}
