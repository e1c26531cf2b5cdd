// Just enough of the WebAssembly binary formats for the consumers tests: the
// sections of a core module (imports, function count, exports, start, code
// bodies, custom sections) and the core modules of a component, by the
// names its `component-name` section gives them (wit-component names them
// `main`, `wit-component-shim-module`, `wit-component-fixup`, ...).
//
// Nothing here validates; the tools under test do that. A malformed input
// throws.

function reader(buf, pos = 0, end = buf.length) {
  const r = {
    pos,
    end,
    byte() {
      if (r.pos >= r.end) throw new Error(`read past the end at 0x${r.pos.toString(16)}`);
      return buf[r.pos++];
    },
    u32() {
      let result = 0, shift = 0, b;
      do {
        b = r.byte();
        result += (b & 0x7f) * 2 ** shift;
        shift += 7;
      } while (b & 0x80);
      return result;
    },
    bytes(n) {
      if (r.pos + n > r.end) throw new Error(`read past the end at 0x${r.pos.toString(16)}`);
      const out = buf.subarray(r.pos, r.pos + n);
      r.pos += n;
      return out;
    },
    name() {
      return Buffer.from(r.bytes(r.u32())).toString('utf8');
    },
  };
  return r;
}

// Sections of a module or component: {id, start, end} of each payload, and
// `name` for custom sections (id 0). The 8-byte preamble is checked only
// for the magic number.
export function sections(buf) {
  if (buf.length < 8 || buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a WebAssembly binary');
  const r = reader(buf, 8);
  const out = [];
  while (r.pos < buf.length) {
    const headerStart = r.pos;
    const id = r.byte();
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    if (end > buf.length) throw new Error(`section ${id} at 0x${headerStart.toString(16)} runs past the end`);
    const s = { id, start, end, headerStart };
    if (id === 0) {
      const nr = reader(buf, start, end);
      s.name = nr.name();
      s.contentStart = nr.pos;
    }
    out.push(s);
    r.pos = end;
  }
  return out;
}

export function isComponent(buf) {
  // version 0x0d, layer 1 (little-endian u16 pair at offset 4)
  return buf.readUInt16LE(6) === 1;
}

// Skips one import/export descriptor of a core module.
function skipLimits(r) {
  const flags = r.byte();
  r.u32();
  if (flags & 1) r.u32();
  if (flags & 0x08) r.u32(); // custom page size (not used by these tests)
}

// A core module: {imports: [{module, name, kind}], funcImports, defined
// (function section count), exports: [{name, kind, index}], start (index or
// null), bodies: [{start, end}] (offsets of each body's bytes in `buf`,
// after its size), custom: [{name, bytes}] (whole payload after the name)}.
// kind: 0 func, 1 table, 2 memory, 3 global, 4 tag.
export function parseModule(buf) {
  const m = { imports: [], funcImports: 0, defined: 0, exports: [], start: null, bodies: [], custom: [], sections: sections(buf) };
  for (const s of m.sections) {
    const r = reader(buf, s.start, s.end);
    if (s.id === 0) {
      m.custom.push({ name: s.name, bytes: buf.subarray(s.contentStart, s.end) });
    } else if (s.id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        const module = r.name(), name = r.name(), kind = r.byte();
        if (kind === 0) { r.u32(); m.funcImports++; }
        else if (kind === 1) { r.byte(); skipLimits(r); }
        else if (kind === 2) skipLimits(r);
        else if (kind === 3) { r.byte(); r.byte(); }
        else if (kind === 4) { r.byte(); r.u32(); }
        else throw new Error(`import kind ${kind}`);
        m.imports.push({ module, name, kind });
      }
    } else if (s.id === 3) {
      m.defined = r.u32();
    } else if (s.id === 7) {
      for (let n = r.u32(); n > 0; n--) {
        const name = r.name(), kind = r.byte(), index = r.u32();
        m.exports.push({ name, kind, index });
      }
    } else if (s.id === 8) {
      m.start = r.u32();
    } else if (s.id === 10) {
      for (let n = r.u32(); n > 0; n--) {
        const size = r.u32();
        m.bodies.push({ start: r.pos, end: r.pos + size });
        r.pos += size;
      }
    }
  }
  return m;
}

// The core modules defined at the top level of a component, in index
// order: [{index, name, bytes}]. `name` comes from the component-name
// section (subsection 1, sort core module 0x00 0x11), else null.
export function coreModules(buf) {
  if (!isComponent(buf)) throw new Error('not a component');
  const mods = [];
  const names = new Map();
  for (const s of sections(buf)) {
    if (s.id === 1) mods.push({ index: mods.length, name: null, bytes: buf.subarray(s.start, s.end) });
    if (s.id === 0 && s.name === 'component-name') {
      const r = reader(buf, s.contentStart, s.end);
      while (r.pos < r.end) {
        const sub = r.byte();
        const size = r.u32();
        const subEnd = r.pos + size;
        if (sub === 1) {
          const sort = r.byte();
          const coreKind = sort === 0 ? r.byte() : null;
          for (let n = r.u32(); n > 0; n--) {
            const idx = r.u32(), name = r.name();
            if (sort === 0 && coreKind === 0x11) names.set(idx, name);
          }
        }
        r.pos = subEnd;
      }
    }
  }
  for (const m of mods) m.name = names.get(m.index) ?? null;
  return mods;
}

// The module's non-custom sections, concatenated with their ids and
// sizes: what two modules must share to be the same code whatever their
// name and producers sections say.
export function withoutCustomSections(buf) {
  const parts = [buf.subarray(0, 8)];
  for (const s of sections(buf)) if (s.id !== 0) parts.push(buf.subarray(s.headerStart, s.end));
  return Buffer.concat(parts);
}

// The bytes of every custom section called `name`, in order.
export function customSections(buf, name) {
  return sections(buf).filter((s) => s.id === 0 && s.name === name).map((s) => buf.subarray(s.start, s.end));
}

// A component with the custom sections of its top-level core modules and
// its own `producers` section left out (its `component-name` kept): what
// two componentizers must share to have made the same component whatever
// names and versions they record.
export function componentSkeleton(buf) {
  const parts = [buf.subarray(0, 8)];
  for (const s of sections(buf)) {
    if (s.id === 1) parts.push(Buffer.from([1]), withoutCustomSections(buf.subarray(s.start, s.end)));
    else if (s.id !== 0 || s.name === 'component-name') parts.push(buf.subarray(s.headerStart, s.end));
  }
  return Buffer.concat(parts);
}
