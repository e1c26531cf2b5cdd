// Random WIT worlds and matching core modules for the differential test
// (diff.mjs describes the generator as a whole; this file is its code).
// Everything here is a pure function of the seed: gen(seed) returns the WIT
// text, the WAT text, a catalogue of every export (with its category) and the
// list of calls the harness makes.

// --- PRNG: mulberry32 on a splitmix32-scrambled seed ---------------------------
export function prng(seed) {
  let s = (seed >>> 0) ^ 0x9e3779b9;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b);
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35);
  s = (s ^ (s >>> 16)) >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    chance: (p) => next() < p,
    pick: (a) => a[Math.floor(next() * a.length)],
    u32: () => Math.floor(next() * 4294967296) >>> 0,
    shuffle: (a) => {
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    },
  };
  return r;
}

// --- names ----------------------------------------------------------------------
const WORDS = ['alpha', 'bravo', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet',
  'kilo', 'lima', 'mike', 'nova', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango',
  'ultra', 'victor', 'whisky', 'xray', 'yankee', 'zulu', 'amber', 'basil', 'cedar', 'dune', 'ember'];
// Package versions and their canonical form in the cm32p2 mangling (wit-parser's
// version_compat_track_string: major if non-zero, else 0.minor if non-zero, else
// the whole version; a pre-release keeps the whole version, build metadata goes).
export const VERSIONS = [
  [null, null], ['1.0.0', '1'], ['0.2.3', '0.2'], ['0.0.4', '0.0.4'], ['2.1.7', '2'],
  ['1.0.0-rc.1', '1.0.0-rc.1'], ['0.3.0', '0.3'], ['3.0.0+b7', '3'],
];

export const camel = (k) => k.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
export const pascal = (k) => camel(k).replace(/^./, (c) => c.toUpperCase());

// --- types ----------------------------------------------------------------------
// WIT value types used for parameters and results, with their flattening.
const FLAT = { u32: ['i32'], s32: ['i32'], u64: ['i64'], s64: ['i64'], f32: ['f32'], f64: ['f64'], string: ['i32', 'i32'] };
const PARAM_TYPES = ['u32', 's32', 'u64', 's64', 'f32', 'f64', 'string'];
const RESULT_TYPES = [null, null, 'u32', 's32', 'u64', 'f32', 'f64', 'string'];
const flat = (t) => (t.startsWith('own<') || t.startsWith('borrow<') ? ['i32'] : FLAT[t]);

function jsValue(rng, t) {
  switch (t) {
    case 'u32': return rng.u32();
    case 's32': return rng.u32() | 0;
    case 'u64': return (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
    case 's64': return BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()));
    case 'f32': return Math.fround((rng.u32() % 200000) / 64 - 1000);
    case 'f64': return (rng.u32() - 2147483648) / 1024;
    case 'string': {
      const alpha = ['a', 'b', 'z', ' ', 'é', '✓', '0', '-'];
      let s = '';
      for (let i = rng.int(0, 7); i > 0; i--) s += rng.pick(alpha);
      return s;
    }
    default: throw new Error(`no value for ${t}`);
  }
}

// --- the generator ----------------------------------------------------------------
export function gen(seed) {
  const rng = prng(seed);
  const used = new Set(['get-trace']);
  const fresh = (pre = '') => {
    for (;;) {
      const n = pre + (rng.chance(0.3) ? `${rng.pick(WORDS)}-${rng.pick(WORDS)}` : rng.pick(WORDS));
      if (!used.has(n)) { used.add(n); return n; }
    }
  };
  const [ver, canonVer] = rng.pick(VERSIONS);
  const mainPkg = { ns: 'diff', name: 'gen', ver, canonVer };
  const mangling = () => (rng.chance(0.5) ? 'cm32p2' : 'legacy');

  // A WIT function. kind: func | ctor | method | static; async: none |
  // callback | stackful (the lifted form); a world `async func` may also be
  // lifted synchronously in the cm32p2 mangling (which has no async forms).
  const mkFunc = (owner, kind, opts = {}) => {
    const name = opts.name ?? (kind === 'ctor' ? null : fresh());
    const nparams = rng.int(0, kind === 'ctor' ? 2 : 3);
    const params = [];
    for (let i = 0; i < nparams; i++) params.push([`p${i}`, rng.pick(PARAM_TYPES)]);
    let result = kind === 'ctor' || kind === 'static' ? `own<${owner.res.name}>` : rng.pick(RESULT_TYPES);
    if (opts.result !== undefined) { result = opts.result; params.length = 0; }
    let wasync = false, async = 'none', mang = opts.mangling ?? mangling();
    if (kind === 'func' && opts.async !== false && rng.chance(0.3)) {
      wasync = true;
      // async exports: at most 4 flat parameters (jco's async lift takes flat
      // parameters only), no own/borrow
      while (params.reduce((n, [, t]) => n + flat(t).length, 0) > 4) params.pop();
      async = mang === 'cm32p2' ? 'none' : rng.pick(['callback', 'callback', 'stackful']);
    }
    const f = { owner, kind, name, params, result, wasync, async, mangling: mang, post: null, yields: 0 };
    if (async === 'callback') f.yields = rng.pick([0, 0, 1, 2]);
    // a post-return, for sync lifts only, in either mangling
    if (async === 'none' && opts.post !== false && rng.chance(0.35)) f.post = mangling();
    return f;
  };

  // interfaces: inline (`export x: interface {...}`), of the main package, of a nested package
  const ifaces = [];
  const nested = [];
  const mkIface = (kind, pkg) => {
    const name = fresh('i-');
    const it = { kind, name, pkg, funcs: [], resources: [] };
    for (let i = rng.int(kind === 'inline' ? 1 : 0, 3); i > 0; i--) it.funcs.push(mkFunc({ iface: it }, 'func'));
    if (rng.chance(0.45)) {
      const res = { name: fresh('r-'), iface: it, ctor: null, methods: [], statics: [], dtor: null };
      const owner = { iface: it, res };
      if (rng.chance(0.8)) res.ctor = mkFunc(owner, 'ctor');
      for (let i = rng.int(res.ctor ? 0 : 1, 2); i > 0; i--) res.methods.push(mkFunc(owner, 'method'));
      if (!res.ctor || rng.chance(0.4)) res.statics.push(mkFunc(owner, 'static'));
      if (rng.chance(0.75)) res.dtor = mangling();
      it.resources.push(res);
    }
    if (it.funcs.length === 0 && it.resources.length === 0) it.funcs.push(mkFunc({ iface: it }, 'func'));
    return it;
  };
  for (let i = rng.int(0, 2); i > 0; i--) ifaces.push(mkIface('inline', null));
  for (let i = rng.int(0, 2); i > 0; i--) ifaces.push(mkIface('pkg', mainPkg));
  if (rng.chance(0.4)) {
    const [v, cv] = rng.pick(VERSIONS);
    const pkg = { ns: 'other', name: rng.pick(['p', 'q', 'lib']), ver: v, canonVer: cv };
    const it = mkIface('pkg', pkg);
    nested.push({ pkg, iface: it });
    ifaces.push(it);
  }
  const worldFuncs = [];
  for (let i = rng.int(ifaces.length ? 0 : 1, 4); i > 0; i--) worldFuncs.push(mkFunc({ iface: null }, 'func'));
  // the trace reader: a lifted world function like any other, hooked alike
  const traceFn = mkFunc({ iface: null }, 'func', { name: 'get-trace', result: 'list<u32>', async: false });
  worldFuncs.push(traceFn);
  // the hook itself exported again as a lifted world function (rare)
  let hookAlias = null;
  if (rng.chance(0.08)) {
    hookAlias = mkFunc({ iface: null }, 'func', { async: false, post: false });
    hookAlias.params = [['code', 'u32']];
    hookAlias.result = null;
    hookAlias.isHook = true;
    worldFuncs.push(hookAlias);
  }

  // --- names of the world items -----------------------------------------------
  const pkgId = (p) => `${p.ns}:${p.name}`;
  const keyOf = (it) => (it.kind === 'inline' ? it.name : `${pkgId(it.pkg)}/${it.name}${it.pkg.ver ? `@${it.pkg.ver}` : ''}`);
  const canonKeyOf = (it) => (it.kind === 'inline' ? it.name : `${pkgId(it.pkg)}/${it.name}${it.pkg.canonVer ? `@${it.pkg.canonVer}` : ''}`);
  const itemName = (f) => {
    if (f.kind === 'ctor') return `[constructor]${f.owner.res.name}`;
    if (f.kind === 'method') return `[method]${f.owner.res.name}.${f.name}`;
    if (f.kind === 'static') return `[static]${f.owner.res.name}.${f.name}`;
    return f.name;
  };
  const legacyBase = (f) => (f.owner.iface ? `${keyOf(f.owner.iface)}#${itemName(f)}` : itemName(f));
  const cmBase = (f) => (f.owner.iface ? `cm32p2|${canonKeyOf(f.owner.iface)}|${itemName(f)}` : `cm32p2||${itemName(f)}`);
  const exportName = (f) => {
    if (f.mangling === 'cm32p2') return cmBase(f);
    const b = legacyBase(f);
    return f.async === 'callback' ? `[async-lift]${b}` : f.async === 'stackful' ? `[async-lift-stackful]${b}` : b;
  };
  const postName = (f) => (f.post === 'cm32p2' ? `${cmBase(f)}_post` : `cabi_post_${legacyBase(f)}`);

  // --- core types -----------------------------------------------------------------
  const allFuncs = [...worldFuncs];
  for (const it of ifaces) {
    allFuncs.push(...it.funcs);
    for (const r of it.resources) allFuncs.push(...(r.ctor ? [r.ctor] : []), ...r.methods, ...r.statics);
  }
  const paramsFlat = (f) => [...(f.kind === 'method' ? ['i32'] : []), ...f.params.flatMap(([, t]) => flat(t))];
  const resultFlat = (f) => {
    if (!f.result) return [];
    const fl = f.result === 'list<u32>' ? ['i32', 'i32'] : flat(f.result);
    return fl.length > 1 ? ['i32'] : fl;
  };
  const coreSig = (f) => {
    if (f.async === 'callback') return { params: paramsFlat(f), results: ['i32'] };
    if (f.async === 'stackful') return { params: paramsFlat(f), results: [] };
    return { params: paramsFlat(f), results: resultFlat(f) };
  };

  // --- core functions -----------------------------------------------------------------
  // Each core function: { id, marker, sig, body: kind, ... }. Markers 100+id
  // are logged on entry, then a digest of the parameters.
  const cores = [];
  const mkCore = (kind, sig, extra = {}) => {
    const c = { id: cores.length, marker: 100 + cores.length, kind, sig, ...extra };
    cores.push(c);
    return c;
  };
  const exportsList = []; // { name, core, category, lifted }
  const addExport = (name, core, category) => exportsList.push({ name, kind: 'func', core, category });

  const hookCore = mkCore('hook', { params: ['i32'], results: [] });
  addExport('__wasm_task_hook', hookCore, 'hook');
  if (hookAlias) addExport(exportName(hookAlias), hookCore, `hook-as-lifted/${hookAlias.mangling}`);

  const sigKey = (s) => `${s.params.join(',')}->${s.results.join(',')}`;
  const plainByWit = new Map(); // WIT signature -> core (shared plain functions)
  for (const f of allFuncs) {
    if (f.isHook) continue;
    const sig = coreSig(f);
    let core;
    const witSig = `${f.kind}|${f.async}|${f.params.map((p) => p[1]).join(',')}->${f.result}`;
    if (f === traceFn) core = mkCore('trace', sig);
    else if (f.kind === 'func' && f.async === 'none' && plainByWit.has(witSig) && rng.chance(0.5)) {
      core = plainByWit.get(witSig); // one core function lifted twice
      core.shared = true;
    } else {
      core = mkCore(f.async === 'none' ? f.kind : f.async, sig, { f, res: f.owner.res, c: rng.u32() });
      if (f.kind === 'func' && f.async === 'none') plainByWit.set(witSig, core);
    }
    f.core = core;
    const where = f.owner.iface ? (f.owner.iface.kind === 'inline' ? 'inline-iface' : `pkg-iface${f.owner.iface.pkg.ver ? '@' + f.owner.iface.pkg.ver : ''}`) : 'world';
    const what = f.kind === 'func' ? (f.wasync ? `async-${f.async === 'none' ? 'lifted-sync' : f.async}` : 'func') : f.kind;
    addExport(exportName(f), core, `${what}/${where}/${f.mangling}${f.post ? `/with-${f.post}-post` : ''}${core.shared ? '/shared' : ''}`);
    if (f.async === 'callback') {
      const cb = mkCore('cb', { params: ['i32', 'i32', 'i32'], results: ['i32'] }, { f });
      f.cbCore = cb;
      addExport(`[callback]${exportName(f)}`, cb, `callback/${where}${f.yields ? `/yields-${f.yields}` : ''}`);
    }
  }
  // post-returns: type = the function's flat results -> []; shared between
  // functions of the same type, and with destructors ([i32] -> [])
  const postBySig = new Map();
  for (const f of allFuncs) {
    if (!f.post) continue;
    const sig = { params: resultFlat(f), results: [] };
    let core = postBySig.get(sigKey(sig));
    if (core && rng.chance(0.4)) core.shared = true;
    else { core = mkCore('post', sig); postBySig.set(sigKey(sig), core); }
    addExport(postName(f), core, `post-return/${f.post}-of-${f.mangling}${core.shared ? '/shared' : ''}`);
  }
  for (const it of ifaces) {
    for (const r of it.resources) {
      if (!r.dtor) continue;
      const sig = { params: ['i32'], results: [] };
      let core = postBySig.get(sigKey(sig));
      if (core && rng.chance(0.4)) core.shared = true;
      else { core = mkCore('dtor', sig); postBySig.set(sigKey(sig), core); }
      const name = r.dtor === 'cm32p2' ? `cm32p2|${canonKeyOf(it)}|${r.name}_dtor` : `${keyOf(it)}#[dtor]${r.name}`;
      addExport(name, core, `dtor/${it.kind}/${r.dtor}${core.shared ? '/shared' : ''}`);
    }
  }
  // realloc: always one general-purpose one (string arguments need it), maybe more
  const reallocSig = { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] };
  const rnames = rng.shuffle(['cabi_realloc', 'cm32p2_realloc', 'canonical_abi_realloc']);
  const reallocs = [rnames[0]];
  if (rng.chance(0.15)) reallocs.push(rnames[1]);
  if (rng.chance(0.15)) reallocs.push('cabi_export_realloc');
  if (rng.chance(0.15)) reallocs.push('cabi_import_realloc');
  let lastRealloc = null;
  for (const n of reallocs) {
    const core = lastRealloc && rng.chance(0.3) ? lastRealloc : mkCore('realloc', reallocSig);
    if (core === lastRealloc) core.shared = true;
    lastRealloc = core;
    addExport(n, core, `realloc/${n}${n === reallocs[0] ? '' : '/extra'}`);
  }
  // initialize: none, one, or (rarely) both spellings
  if (rng.chance(0.6)) {
    const names = rng.shuffle(['_initialize', 'cm32p2_initialize']);
    const core = mkCore('init', { params: [], results: [] });
    addExport(names[0], core, `initialize/${names[0]}`);
    if (rng.chance(0.12)) addExport(names[1], rng.chance(0.5) ? core : mkCore('init', { params: [], results: [] }), `initialize/${names[1]}`);
  }
  // unlifted function exports: names that look lifted but name nothing of the world
  const extras = [];
  const anyIface = ifaces.length ? rng.pick(ifaces) : null;
  const cand = [
    ['malloc', { params: ['i32'], results: ['i32'] }],
    ['free', { params: ['i32'], results: [] }],
    ['helper', { params: [], results: [] }],
    ['cabi_post_notinworld', { params: [], results: [] }],
    ['cm32p2||not-lifted', { params: [], results: [] }],
    ['cm32p2||not-lifted_post', { params: [], results: [] }],
    ['[async-lift]not-lifted', { params: [], results: ['i32'] }],
    ['[callback][async-lift]not-lifted', { params: ['i32', 'i32', 'i32'], results: ['i32'] }],
    ['[async-lift-stackful]not-lifted', { params: [], results: [] }],
    ['wasi_thread_start', { params: ['i32', 'i32'], results: [] }],
    ['_start', { params: [], results: [] }],
    ['__internal_helper', { params: [], results: [] }],
    ['cabi_realloc_adapter', reallocSig],
  ];
  if (anyIface) {
    cand.push([`${keyOf(anyIface)}#not-lifted`, { params: [], results: [] }]);
    cand.push([`cm32p2|${canonKeyOf(anyIface)}|not-lifted`, { params: [], results: [] }]);
    cand.push([`${keyOf(anyIface)}#[dtor]not-a-resource`, { params: ['i32'], results: [] }]);
    cand.push([`cm32p2|${canonKeyOf(anyIface)}|not-a-resource_dtor`, { params: ['i32'], results: [] }]);
    const f = anyIface.funcs[0];
    if (f && anyIface.kind === 'pkg' && anyIface.pkg.ver && anyIface.pkg.canonVer !== anyIface.pkg.ver) {
      // a lifted interface function spelled again with the other mangling's
      // version: cm32p2 with the full version, legacy with the canonical one;
      // neither matches (cm32p2 names take the canonical form, legacy ones
      // the world key), so wit-component ignores both
      cand.push([`cm32p2|${pkgId(anyIface.pkg)}/${anyIface.name}@${anyIface.pkg.ver}|${f.name}`, coreSig(f), 'extra:cm32p2|IFACE@FULL|f']);
      cand.push([`${pkgId(anyIface.pkg)}/${anyIface.name}@${anyIface.pkg.canonVer}#${f.name}`, coreSig(f), 'extra:IFACE@CANON#f']);
    }
  }
  for (const f of allFuncs) {
    // a post-return for a function that has none and a different name: unknown
    if (!f.post && f.async === 'none' && rng.chance(0.1)) {
      cand.push([`cabi_post_${legacyBase(f)}-not`, { params: [], results: [] }, 'extra:cabi_post_<lifted>-not']);
    }
  }
  rng.shuffle(cand);
  const nextra = rng.int(1, 4); // at least one: the sabotage check "extra-wrap" needs it
  for (const [name, sig, category] of cand.slice(0, nextra)) {
    // share a lifted core function of the same type, or have one of its own
    const same = cores.filter((c) => sigKey(c.sig) === sigKey(sig) && c.kind !== 'trace');
    const core = same.length && rng.chance(0.35) ? rng.pick(same) : mkCore('extra', sig);
    if (core.kind !== 'extra') core.shared = true;
    addExport(name, core, category ?? `extra:${name.replace(/^cm32p2\|[^|]+\|/, 'cm32p2|IFACE|').replace(/^[a-z]+:[a-z]+\/[^#]*#/, 'IFACE#').replace(/^i-[a-z-]+#/, 'IFACE#')}`);
    extras.push(name);
  }
  // non-function exports
  const memName = rng.pick(['memory', 'memory', 'cm32p2_memory']);
  const others = [{ name: memName, kind: 'memory' }];
  if (rng.chance(0.4)) others.push({ name: rng.pick(['__stack_pointer', 'g-extra', 'cm32p2||ghost']), kind: 'global' });
  if (rng.chance(0.3)) others.push({ name: rng.pick(['__indirect_function_table', 'tbl']), kind: 'table' });

  // --- WIT text ---------------------------------------------------------------------
  const witSig = (f) => {
    const ps = f.params.map(([n, t]) => `${n}: ${t}`).join(', ');
    if (f.kind === 'ctor') return `constructor(${ps});`;
    const r = f.result ? ` -> ${f.kind === 'static' ? f.owner.res.name : f.result}` : '';
    return `${f.name}: ${f.kind === 'static' ? 'static ' : ''}${f.wasync ? 'async ' : ''}func(${ps})${r};`;
  };
  const ifaceBody = (it, ind) => {
    const l = [];
    for (const f of it.funcs) l.push(`${ind}${witSig(f)}`);
    for (const r of it.resources) {
      l.push(`${ind}resource ${r.name} {`);
      for (const f of [...(r.ctor ? [r.ctor] : []), ...r.methods, ...r.statics]) l.push(`${ind}  ${witSig(f)}`);
      l.push(`${ind}}`);
    }
    return l.join('\n');
  };
  const w = [`package ${pkgId(mainPkg)}${mainPkg.ver ? `@${mainPkg.ver}` : ''};`, ''];
  for (const it of ifaces.filter((i) => i.kind === 'pkg' && i.pkg === mainPkg)) w.push(`interface ${it.name} {`, ifaceBody(it, '  '), '}', '');
  w.push('world w {');
  // world items in a shuffled order
  const items = [];
  for (const f of worldFuncs) items.push(`  export ${witSig(f)}`);
  for (const it of ifaces) {
    if (it.kind === 'inline') items.push(`  export ${it.name}: interface {\n${ifaceBody(it, '    ')}\n  }`);
    else if (it.pkg === mainPkg) items.push(`  export ${it.name};`);
    else items.push(`  export ${keyOf(it)};`);
  }
  w.push(...rng.shuffle(items), '}');
  for (const { pkg, iface } of nested) {
    w.push('', `package ${pkgId(pkg)}${pkg.ver ? `@${pkg.ver}` : ''} {`, `  interface ${iface.name} {`, ifaceBody(iface, '    '), '  }', '}');
  }
  const wit = w.join('\n') + '\n';

  // --- WAT text ---------------------------------------------------------------------
  // Memory layout: return areas at 0x100 + 8*id, constant strings from 0x800,
  // the log (u32 entries) at 0x1000 (4096 entries), get-trace's copy at
  // 0x5000, bump heap from 0x9000 to the end of page 3.
  const LOG = 0x1000, COPY = 0x5000, HEAP = 0x9000;
  const types = [];
  const typeIdx = (sig) => {
    const k = sigKey(sig);
    let i = types.indexOf(k);
    if (i < 0) { types.push(k); i = types.length - 1; }
    return i;
  };
  const imports = [];
  const importIdx = new Map();
  const imp = (mod, field, sig) => {
    const k = `${mod}\u0000${field}`;
    if (!importIdx.has(k)) { importIdx.set(k, `$imp${imports.length}`); imports.push({ mod, field, sig, id: `$imp${imports.length}` }); }
    return importIdx.get(k);
  };
  const exportModule = (f) => (f.owner.iface ? `[export]${keyOf(f.owner.iface)}` : '[export]$root');
  const rnewOf = (res) => imp(`[export]${keyOf(res.iface)}`, `[resource-new]${res.name}`, { params: ['i32'], results: ['i32'] });
  const taskReturnOf = (f) => {
    const fl = f.result ? flat(f.result) : [];
    return imp(exportModule(f), `[task-return]${itemName(f)}`, { params: fl.length > 16 ? ['i32'] : fl, results: [] });
  };
  const data = [];
  let dataAt = 0x800;
  const constString = (s) => {
    const bytes = Buffer.from(s, 'utf8');
    const at = dataAt;
    data.push({ at, bytes });
    dataAt += bytes.length + (8 - (bytes.length % 8));
    return { at, len: bytes.length };
  };
  const watStr = (s) => [...Buffer.from(s, 'utf8')].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b.toString(16).padStart(2, '0')}`)).join('');
  // digest of the parameters: d = d*31 ^ word, words in order; i64 and f64 as
  // two words (low, high); string parameters (known from the WIT types) as
  // their length and the sum of their bytes.
  const digest = (c) => {
    const out = [];
    const mix = (word) => out.push(`    (local.set $d (i32.xor (i32.mul (local.get $d) (i32.const 31)) ${word}))`);
    const f = c.f && c.kind !== 'cb' ? c.f : null;
    const strAt = new Set();
    if (f) {
      let i = f.kind === 'method' ? 1 : 0;
      for (const [, t] of f.params) { if (t === 'string') strAt.add(i); i += flat(t).length; }
    }
    c.sig.params.forEach((t, i) => {
      if (strAt.has(i)) { mix(`(local.get ${i + 1})`); mix(`(call $strsum (local.get ${i}) (local.get ${i + 1}))`); return; }
      if (strAt.has(i - 1)) return;
      if (t === 'i32') mix(`(local.get ${i})`);
      else if (t === 'i64' || t === 'f64') {
        const v = t === 'i64' ? `(local.get ${i})` : `(i64.reinterpret_f64 (local.get ${i}))`;
        mix(`(i32.wrap_i64 ${v})`);
        mix(`(i32.wrap_i64 (i64.shr_u ${v} (i64.const 32)))`);
      } else mix(`(i32.reinterpret_f32 (local.get ${i}))`);
    });
    return out;
  };
  // a value of WIT type t computed from the digest (results and task.return arguments)
  const valueOf = (c, t) => {
    const k = `(i32.xor (local.get $d) (i32.const ${c.c | 0}))`;
    switch (t) {
      case 'u32': case 's32': return [k];
      case 'u64': return [`(i64.or (i64.shl (i64.extend_i32_u ${k}) (i64.const 16)) (i64.const 7))`];
      case 's64': return [`(i64.sub (i64.const 0) (i64.extend_i32_u ${k}))`];
      case 'f32': return [`(f32.convert_i32_u (i32.and ${k} (i32.const 0xffffff)))`];
      case 'f64': return [`(f64.div (f64.convert_i32_s ${k}) (f64.const 8))`];
      case 'string': { const s = constString(`r${c.id}-é${'x'.repeat(c.id % 5)}`); return [`(i32.const ${s.at})`, `(i32.const ${s.len})`]; }
      default: throw new Error(t);
    }
  };
  const bodies = [];
  for (const c of cores) {
    const ps = c.sig.params.map((t) => ` ${t}`).join('');
    const head = `  (func $c${c.id} (type ${typeIdx(c.sig)})${ps ? ` (param${ps})` : ''}${c.sig.results.length ? ` (result ${c.sig.results.join(' ')})` : ''}`;
    const b = [head];
    if (c.kind === 'hook') {
      b.push('    (call $log (local.get 0)))');
      bodies.push(b.join('\n'));
      continue;
    }
    b.push('    (local $d i32) (local $p i32) (local $i i32)');
    b.push(`    (call $log (i32.const ${c.marker}))`);
    b.push(...digest(c));
    b.push('    (call $log (local.get $d))');
    const f = c.f;
    const retArea = 0x100 + 8 * c.id;
    const results = (t) => {
      const v = valueOf(c, t);
      if (v.length === 1) return v;
      return [`(i32.store (i32.const ${retArea}) ${v[0]})`, `(i32.store (i32.const ${retArea + 4}) ${v[1]})`, `(i32.const ${retArea})`];
    };
    const retDefault = () => c.sig.results.map((t) => `(${t}.const ${c.marker})`);
    switch (c.kind) {
      case 'func': case 'method':
        if (f.result) b.push(...results(f.result).map((x) => `    ${x}`));
        break;
      case 'ctor': case 'static':
        b.push(`    (call ${rnewOf(c.res)} (local.get $d))`);
        break;
      case 'callback': {
        const tr = taskReturnOf(f);
        b.push(`    (if (i32.eqz (i32.const ${f.yields})) (then (call ${tr} ${f.result ? valueOf(c, f.result).join(' ') : ''}) (return (i32.const 0))))`);
        b.push(`    (global.set $y${c.id} (i32.const ${f.yields}))`, '    (i32.const 1)');
        break;
      }
      case 'cb': {
        // the callback of an entry that yielded: yield again until the count is used up
        const entry = f.core;
        const tr = taskReturnOf(f);
        b.push(`    (global.set $y${entry.id} (i32.sub (global.get $y${entry.id}) (i32.const 1)))`);
        b.push(`    (if (global.get $y${entry.id}) (then (return (i32.const 1))))`);
        b.push(`    (call ${tr} ${f.result ? valueOf(c, f.result).join(' ') : ''})`, '    (i32.const 0)');
        break;
      }
      case 'stackful':
        b.push(`    (call ${taskReturnOf(f)} ${f.result ? valueOf(c, f.result).join(' ') : ''})`);
        break;
      case 'realloc':
        // bump allocator; the canonical ABI only allocates afresh here
        b.push('    (if (local.get 0) (then unreachable))');
        b.push('    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1))) (i32.sub (i32.const 0) (local.get 2))))');
        b.push('    (global.set $heap (i32.add (local.get $p) (local.get 3)))');
        b.push('    (if (i32.gt_u (global.get $heap) (i32.const 0x40000)) (then unreachable))');
        b.push('    (local.get $p)');
        break;
      case 'trace':
        // copy the log (with this call's own start hook and marker) and clear it
        b.push(`    (block $done (loop $copy
      (br_if $done (i32.ge_u (local.get $i) (global.get $len)))
      (i32.store offset=${COPY} (i32.shl (local.get $i) (i32.const 2)) (i32.load offset=${LOG} (i32.shl (local.get $i) (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $copy)))`);
        b.push(`    (i32.store (i32.const ${retArea}) (i32.const ${COPY}))`, `    (i32.store (i32.const ${retArea + 4}) (global.get $len))`);
        b.push('    (global.set $len (i32.const 0))', `    (i32.const ${retArea})`);
        break;
      default: // post, dtor, init, extra
        b.push(...retDefault().map((x) => `    ${x}`));
    }
    bodies.push(b.join('\n') + ')');
  }
  for (const im of imports) typeIdx(im.sig); // every type before the type section is printed
  const wat = [];
  wat.push(`;; seed ${seed}`, '(module');
  types.forEach((k, i) => {
    const [p, r] = k.split('->');
    wat.push(`  (type (;${i};) (func${p ? ` (param ${p.split(',').join(' ')})` : ''}${r ? ` (result ${r.split(',').join(' ')})` : ''}))`);
  });
  for (const im of imports) wat.push(`  (import "${watStr(im.mod)}" "${watStr(im.field)}" (func ${im.id} (type ${typeIdx(im.sig)})))`);
  wat.push('  (memory $mem 5)');
  wat.push('  (global $len (mut i32) (i32.const 0))', `  (global $heap (mut i32) (i32.const ${HEAP}))`);
  for (const c of cores) if (c.kind === 'callback') wat.push(`  (global $y${c.id} (mut i32) (i32.const 0))`);
  if (others.some((o) => o.kind === 'global')) wat.push('  (global $gx (mut i32) (i32.const 42))');
  if (others.some((o) => o.kind === 'table')) wat.push('  (table $tbl 1 funcref)');
  wat.push(`  (func $log (param $v i32)
    (if (i32.ge_u (global.get $len) (i32.const 4096)) (then unreachable))
    (i32.store offset=${LOG} (i32.shl (global.get $len) (i32.const 2)) (local.get $v))
    (global.set $len (i32.add (global.get $len) (i32.const 1))))`);
  wat.push(`  (func $strsum (param $p i32) (param $n i32) (result i32) (local $s i32)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))`);
  wat.push(...bodies);
  // exports in a shuffled order (the first of two initialize exports is the one used)
  const allExports = rng.shuffle([...exportsList, ...others]);
  // with both initialize names, wit-component uses the first export (its
  // export map keeps the module's order)
  const inits = allExports.filter((e) => e.category?.startsWith('initialize/'));
  if (inits.length === 2) { inits[0].category += '/first-of-two'; inits[1].category += '/second-of-two'; }
  for (const e of allExports) {
    const ref = e.kind === 'func' ? `(func $c${e.core.id})` : e.kind === 'memory' ? '(memory $mem)' : e.kind === 'global' ? '(global $gx)' : '(table $tbl)';
    wat.push(`  (export "${watStr(e.name)}" ${ref})`);
  }
  for (const d of data) wat.push(`  (data (i32.const ${d.at}) "${[...d.bytes].map((x) => `\\${x.toString(16).padStart(2, '0')}`).join('')}")`);
  wat.push(')');

  // --- calls ----------------------------------------------------------------------
  // Steps the harness runs, in order, each followed by a call of get-trace.
  const steps = [];
  const jsPath = (f) => {
    if (!f.owner.iface) return [camel(f.name)];
    const it = f.owner.iface;
    return [it.kind === 'inline' ? camel(it.name) : keyOf(it)];
  };
  const args = (f) => f.params.map(([, t]) => jsValue(rng, t));
  const work = [];
  for (const f of allFuncs) {
    if (f === traceFn || f.kind !== 'func') continue;
    for (let i = rng.int(1, 2); i > 0; i--) work.push(() => {
      const p = jsPath(f);
      steps.push({ label: exportName(f), op: 'call', path: f.owner.iface ? [...p, camel(f.name)] : p, args: f.isHook ? [rng.int(20, 99)] : args(f), await: f.wasync, world: f.owner.iface ? null : f.name });
    });
  }
  let objN = 0;
  for (const it of ifaces) {
    for (const r of it.resources) {
      for (let k = rng.int(1, 2); k > 0; k--) {
        const obj = `o${objN++}`;
        const path = [it.kind === 'inline' ? camel(it.name) : keyOf(it), pascal(r.name)];
        const seq = [];
        if (r.ctor && (!r.statics.length || rng.chance(0.6))) seq.push(() => steps.push({ label: exportName(r.ctor), op: 'new', path, args: args(r.ctor), save: obj }));
        else seq.push(() => { const s = r.statics[0]; steps.push({ label: exportName(s), op: 'call', path: [...path, camel(s.name)], args: args(s), save: obj }); });
        for (const m of r.methods) if (rng.chance(0.8)) seq.push(() => steps.push({ label: exportName(m), op: 'method', obj, name: camel(m.name), args: args(m) }));
        if (rng.chance(0.85)) seq.push(() => steps.push({ label: `dispose ${r.name}`, op: 'dispose', obj }));
        work.push(...seq.map((fn, i) => ({ fn, obj, i })));
      }
    }
  }
  // interleave: plain calls anywhere, an object's steps in their order
  const pending = work.map((w) => (typeof w === 'function' ? { fn: w } : w));
  const queues = new Map();
  for (const p of pending) if (p.obj) { if (!queues.has(p.obj)) queues.set(p.obj, []); queues.get(p.obj).push(p); }
  const heads = pending.filter((p) => !p.obj || p.i === 0);
  while (heads.length) {
    const i = Math.floor(rng.next() * heads.length);
    const h = heads.splice(i, 1)[0];
    h.fn();
    if (h.obj) {
      const q = queues.get(h.obj);
      q.shift();
      if (q.length) heads.push(q[0]);
    }
  }
  // a last repeat of the first step, to see a second call of the same export
  if (steps.length && steps[0].op === 'call' && !steps[0].save) steps.push({ ...steps[0], label: `${steps[0].label} (again)` });

  return { seed, wit, world: 'w', wat: wat.join('\n') + '\n', exports: exportsList, others, steps, extras, traceExport: exportName(traceFn) };
}
