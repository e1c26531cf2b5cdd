/* Hosts without the component model (issue 8): --init-once and --stub-wasi.
 *
 * This stage runs on the task-hook stage's output. It removes the
 * wasi_snapshot_preview1 function imports, appends their stubs and the
 * init-once guards as new functions, and renumbers every function index:
 * calls, return_call and ref.func in code and constant expressions, element
 * segments, exports, start and the name section. A function index keeps the
 * width of its original LEB128 whenever the new value fits (wasm-ld writes
 * them 5 bytes wide), so bodies keep their sizes and offsets, and DWARF stays
 * valid unless an index had to grow. Sections it does not touch are copied
 * as input slices. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tw_internal.h"

#define NONE UINT32_MAX
#define MALFORMED(err, at, ...) tw_err_set((err), TW_ERR_MALFORMED, (at), __VA_ARGS__)

static const char wasi_module[] = "wasi_snapshot_preview1";

static bool name_is(const tw_module *m, size_t at, uint32_t len, const char *s) {
  return strlen(s) == len && memcmp(m->data + at, s, len) == 0;
}

static void *alloc_array(size_t n, size_t elem, tw_err *err) {
  void *p = (n && elem > SIZE_MAX / n) ? NULL : calloc(n ? n : 1, elem);
  if (!p) tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory");
  return p;
}

static long find_section(const tw_module *m, uint8_t id) {
  for (size_t i = 0; i < m->nsections; i++)
    if (m->sections[i].id == id) return (long)i;
  return -1;
}

/* Memory 0: imported or defined; *is64 when it is a memory64 memory. */
static bool memory0(const tw_module *m, bool *is64, tw_err *err) {
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == 2) return *is64 = m->imports[i].flags & 0x04, true;
  const long s = find_section(m, TW_SEC_MEMORY);
  if (s < 0) return false;
  tw_cursor c = tw_cursor_make(m->data, m->sections[s].body, m->sections[s].end, err);
  uint32_t count = 0;
  uint8_t flags = 0;
  if (!tw_read_u32(&c, &count, "memory section") || count == 0 ||
      !tw_read_limits(&c, false, &flags, "memory limits"))
    return false;
  *is64 = flags & 0x04;
  return true;
}

static uint32_t count_globals(const tw_module *m, tw_err *err) {
  uint32_t k = 0, defined = 0;
  for (uint32_t i = 0; i < m->nimports; i++) k += m->imports[i].kind == 3;
  const long s = find_section(m, TW_SEC_GLOBAL);
  if (s >= 0) {
    tw_cursor c = tw_cursor_make(m->data, m->sections[s].body, m->sections[s].end, err);
    if (!tw_read_u32(&c, &defined, "global section")) return 0;
  }
  return k + defined;
}

/* A function type [i32 i32 i32] -> [] for the output import, or NONE. */
static uint32_t find_output_type(const tw_module *m) {
  for (uint32_t t = 0; t < m->ntypes; t++) {
    const tw_functype *f = &m->types[t];
    if (f->is_func && f->nparams == 3 && f->nresults == 0 && f->params_end - f->params == 3 &&
        memcmp(m->data + f->params, "\x7f\x7f\x7f", 3) == 0)
      return t;
  }
  return NONE;
}

/* ---- planning ------------------------------------------------------------ */

static bool plan_stubs(tw_host *h, const tw_module *m, const tw_options *o, tw_err *err) {
  const tw_import *ims = m->imports;
  const uint32_t nims = m->nimports;
  if (!(h->import_removed = alloc_array(nims, sizeof(bool), err))) return false;
  if (!(h->stubs = alloc_array(m->nfunc_imports, sizeof(tw_host_stub), err))) return false;
  uint32_t func = 0;
  bool memory_needed = false, fd_write = false;
  const char *needs = NULL;
  for (uint32_t i = 0; i < nims; i++) {
    const tw_import *im = &ims[i];
    if (im->kind != 0) continue;
    if (o->stub_wasi && name_is(m, im->mod, im->mod_len, wasi_module)) {
      tw_host_stub *s = &h->stubs[h->nstubs++];
      s->import_func = func;
      s->type = im->type;
      s->name = im->name;
      s->name_len = im->name_len;
      s->kind = tw_stub_classify(m, m->data + im->name, im->name_len,
                                 tw_module_func_type(m, func), &s->signature_mismatch);
      if (tw_stub_needs_memory(s->kind) && !needs) needs = tw_stub_kind_name(s->kind);
      memory_needed |= tw_stub_needs_memory(s->kind);
      fd_write |= s->kind == TW_STUB_FD_WRITE;
      h->import_removed[i] = true;
    } else {
      h->map[func] = h->nkept_imports++;
    }
    func++;
  }
  if (memory_needed) {
    bool is64 = false;
    tw_err scratch = {0};
    if (!memory0(m, &is64, &scratch)) {
      tw_err_set(err, TW_ERR_UNSUPPORTED, 0,
                 "--stub-wasi: the %s stub writes to memory 0, and the module has no memory", needs);
      return false;
    }
    if (is64) {
      tw_err_set(err, TW_ERR_UNSUPPORTED, 0,
                 "--stub-wasi: memory 0 is a 64-bit memory; WASI preview 1 uses 32-bit pointers");
      return false;
    }
  }
  if (o->stub_output_module && o->stub_output_name && fd_write) {
    h->output_type = find_output_type(m);
    if (h->output_type == NONE) {
      h->output_type = m->ntypes;
      h->output_type_new = true;
    }
    h->output_func = h->nkept_imports;
  }
  return true;
}

static bool plan_globals(tw_host *h, const tw_module *m, const tw_options *o, tw_err *err) {
  uint32_t g = h->nglobals = count_globals(m, err);
  if (tw_err_failed(err)) return false;
  h->guard_global = h->exit_global = h->clock_global = h->random_global = NONE;
  if (o->init_once && !h->already_guarded) h->guard_global = g++;
  if (h->nstubs) h->exit_global = g++; /* always there, so hosts can rely on it */
  /* In the order build_globals writes them: guard, exit code, clock, random. */
  bool clock = false, random = false;
  for (uint32_t i = 0; i < h->nstubs; i++) {
    clock |= h->stubs[i].kind == TW_STUB_CLOCK_TIME_GET;
    random |= h->stubs[i].kind == TW_STUB_RANDOM_GET;
  }
  if (clock) h->clock_global = g++;
  if (random) h->random_global = g++;
  return true;
}

/* The names the task-hook ABIs reserve (ABI.md's roles hook and init, as
 * plan.c classifies them): kept hook exports stay unguarded. */
static bool is_hook_export(const tw_module *m, const tw_export *e) {
  const tw_role r = tw_classify_name(m->data + e->name, e->name_len, TW_ABI_AUTO);
  return r == TW_ROLE_HOOK || r == TW_ROLE_INIT;
}

/* The guard prelude: no locals; global.get G; i32.eqz; if; i32.const 1;
 * global.set G; call X; end. */
static bool read_guard_prelude(tw_cursor *c, uint32_t *global, uint32_t *init) {
  uint32_t g1 = 0, g2 = 0;
  uint8_t op = 0;
  if (!tw_read_u8(c, &op, "") || op != 0 || !tw_read_u8(c, &op, "") || op != 0x23 ||
      !tw_read_u32(c, &g1, ""))
    return false;
  static const uint8_t mid[] = {0x45, 0x04, 0x40, 0x41, 0x01, 0x24};
  for (size_t i = 0; i < sizeof mid; i++)
    if (!tw_read_u8(c, &op, "") || op != mid[i]) return false;
  if (!tw_read_u32(c, &g2, "") || g1 != g2 || !tw_read_u8(c, &op, "") || op != 0x10 ||
      !tw_read_u32(c, init, "") || !tw_read_u8(c, &op, "") || op != 0x0b)
    return false;
  *global = g1;
  return true;
}

bool tw_guard_target(const tw_module *m, uint32_t f, uint32_t *target, uint32_t *global) {
  if (f < m->nfunc_imports || f >= m->nfuncs) return false;
  const tw_body *b = &m->bodies[f - m->nfunc_imports];
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, b->code, b->end, &scratch);
  uint32_t init = 0, idx = 0;
  uint8_t op = 0;
  if (!read_guard_prelude(&c, global, &init)) return false;
  *target = init; /* _initialize's own guard: no forward call */
  for (uint32_t i = 0; tw_read_u8(&c, &op, ""); i++) {
    if (op == 0x0b) return c.pos == c.end;
    if (op == 0x20 && tw_read_u32(&c, &idx, "") && idx == i) continue;
    if (op != 0x10 || !tw_read_u32(&c, target, "") || !tw_read_u8(&c, &op, "") || op != 0x0b)
      return false;
    return c.pos == c.end;
  }
  return false;
}

/* Is _initialize's export already its guard (a second run of the tool)? */
static bool is_guard(const tw_module *m, uint32_t f, uint32_t *global) {
  uint32_t target = 0;
  return tw_guard_target(m, f, &target, global);
}

static bool plan_guards(tw_host *h, const tw_module *m, tw_err *err) {
  h->initialize = h->initialize_export = NONE;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *e = &m->exports[i];
    if (e->kind == 0 && name_is(m, e->name, e->name_len, "_initialize")) {
      h->initialize = e->index;
      h->initialize_export = i;
    }
  }
  if (h->initialize == NONE) {
    tw_err_set(err, TW_ERR_UNSUPPORTED, 0,
               "--init-once: the module exports no _initialize function (a command module "
               "runs _start instead; leave out --init-once)");
    return false;
  }
  const tw_functype *t = tw_module_func_type(m, h->initialize);
  if (h->initialize >= m->nfuncs || !t || t->nparams || t->nresults) {
    tw_err_set(err, TW_ERR_TYPE_MISMATCH, m->exports[h->initialize_export].start,
               "--init-once: _initialize must have type [] -> []");
    return false;
  }
  if (!(h->guards = alloc_array(m->nexports, sizeof(tw_host_guard), err))) return false;
  if (is_guard(m, h->initialize, &h->already_guarded_global)) {
    h->already_guarded = true; /* idempotent: guards are not guarded again */
    return true;
  }
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *e = &m->exports[i];
    if (e->kind != 0 || is_hook_export(m, e)) continue;
    if (e->index >= m->nfuncs) {
      tw_err_set(err, TW_ERR_MALFORMED, e->start, "export names function %u of %u", e->index,
                 m->nfuncs);
      return false;
    }
    if (!tw_module_func_type(m, e->index)) {
      tw_err_set(err, TW_ERR_MALFORMED, e->start, "export names function %u, whose type %u is "
                 "not a function type", e->index, m->func_types[e->index]);
      return false;
    }
    if (h->guard_of[e->index] != NONE) continue; /* one guard per function */
    h->guard_of[e->index] = h->nguards;
    tw_host_guard *g = &h->guards[h->nguards++];
    g->target = e->index;
    g->export_i = i;
  }
  return true;
}

bool tw_host_plan(tw_host *h, const tw_module *m, const tw_options *o, tw_err *err) {
  memset(h, 0, sizeof *h);
  h->output_func = h->output_type = NONE;
  h->guard_global = h->exit_global = h->clock_global = h->random_global = NONE;
  h->initialize = h->initialize_export = NONE;
  h->active = o->init_once || o->stub_wasi;
  if (!h->active) return true;
  h->nold = m->nfuncs;
  bool ok = (h->map = alloc_array(m->nfuncs, sizeof(uint32_t), err)) &&
            (h->guard_of = alloc_array(m->nfuncs, sizeof(uint32_t), err)) &&
            plan_stubs(h, m, o, err);
  for (uint32_t i = 0; ok && i < m->nfuncs; i++) h->guard_of[i] = NONE;
  if (ok && o->init_once) ok = plan_guards(h, m, err);
  if (!ok || !plan_globals(h, m, o, err)) return false;
  /* After: kept imports, the output import, the defined functions, the
   * stubs, the guards. */
  const uint32_t first_defined = h->nkept_imports + (h->output_func != NONE);
  const uint64_t total = (uint64_t)first_defined + (m->nfuncs - m->nfunc_imports) + h->nstubs +
                         h->nguards;
  if (total > UINT32_MAX) {
    tw_err_set(err, TW_ERR_UNSUPPORTED, 0, "too many functions");
    return false;
  }
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++)
    h->map[i] = first_defined + (i - m->nfunc_imports);
  uint32_t next = first_defined + (m->nfuncs - m->nfunc_imports);
  for (uint32_t i = 0; i < h->nstubs; i++) h->map[h->stubs[i].import_func] = h->stubs[i].index = next++;
  for (uint32_t i = 0; i < h->nguards; i++) h->guards[i].index = next++;
  h->new_nfuncs = next;
  for (uint32_t i = 0; i < m->nfuncs; i++) h->renumbered |= h->map[i] != i;
  return true;
}

void tw_host_free(tw_host *h) {
  if (!h) return;
  free(h->map);
  free(h->stubs);
  free(h->guards);
  free(h->guard_of);
  free(h->import_removed);
  memset(h, 0, sizeof *h);
}

/* ---- renumbering ---------------------------------------------------------- */

typedef struct patches {
  tw_patch *v;
  size_t n, cap;
} patches;

static bool add_patch(patches *p, const tw_host *h, size_t pos, size_t len, uint32_t old,
                      tw_err *err) {
  if (old >= h->nold) {
    MALFORMED(err, pos, "function index %u out of range (%u functions)", old, h->nold);
    return false;
  }
  const uint32_t v = h->map[old];
  if (v == old) return true;
  if (p->n == p->cap) {
    const size_t nc = p->cap ? p->cap * 2 : 64;
    tw_patch *q = realloc(p->v, nc * sizeof *q);
    if (!q) return tw_err_set(err, TW_ERR_NOMEM, pos, "out of memory"), false;
    p->v = q;
    p->cap = nc;
  }
  p->v[p->n++] = (tw_patch){pos, (uint32_t)len, v};
  return true;
}

/* Instructions from c->pos: a whole constant expression (to the end that
 * closes it) when `to` is 0, else everything up to `to` (a function body). */
static bool scan_instrs(tw_cursor *c, size_t to, const tw_host *h, patches *p) {
  int depth = 0;
  for (;;) {
    if (to && c->pos == to) return true;
    tw_instr in;
    if (!tw_instr_next(c, &in)) return false;
    if (in.has_func && !add_patch(p, h, in.func_pos, in.func_len, in.func, c->err)) return false;
    depth += in.nest;
    if (!to && depth < 0) return true;
  }
}

static bool scan_funcidx(tw_cursor *c, const tw_host *h, patches *p) {
  const size_t at = c->pos;
  uint32_t f = 0;
  return tw_read_u32(c, &f, "function index") && add_patch(p, h, at, c->pos - at, f, c->err);
}

/* Elements (spec 5.5.12): flags 0-7 say whether a table index, an offset,
 * an element kind or type, and function indices or expressions follow. */
static bool scan_elem(tw_cursor *c, const tw_host *h, patches *p) {
  uint32_t n = 0;
  if (!tw_read_u32(c, &n, "element section")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const size_t at = c->pos;
    uint32_t flags = 0, u = 0, k = 0;
    uint8_t b = 0;
    if (!tw_read_u32(c, &flags, "element segment flags")) return false;
    if (flags > 7) return MALFORMED(c->err, at, "malformed element segment flags %u", flags), false;
    if ((flags & 3) == 2 && !tw_read_u32(c, &u, "table index")) return false;
    if (!(flags & 1) && !scan_instrs(c, 0, h, p)) return false; /* active: offset */
    if (flags & 3) {
      if ((flags & 4) ? !tw_read_val_type(c, false, "element type")
                      : !tw_read_u8(c, &b, "element kind"))
        return false;
    }
    if (!tw_read_u32(c, &k, "element count")) return false;
    for (uint32_t j = 0; j < k; j++)
      if ((flags & 4) ? !scan_instrs(c, 0, h, p) : !scan_funcidx(c, h, p)) return false;
  }
  return true;
}

static bool scan_globals(tw_cursor *c, const tw_host *h, patches *p) {
  uint32_t n = 0;
  uint8_t mut = 0;
  if (!tw_read_u32(c, &n, "global section")) return false;
  for (uint32_t i = 0; i < n; i++)
    if (!tw_read_val_type(c, false, "global type") || !tw_read_u8(c, &mut, "mutability") ||
        !scan_instrs(c, 0, h, p))
      return false;
  return true;
}

/* Tables: `reftype limits`, or `0x40 0x00 reftype limits expr` with an
 * initialiser (function references). */
static bool scan_tables(tw_cursor *c, const tw_host *h, patches *p) {
  uint32_t n = 0;
  if (!tw_read_u32(c, &n, "table section")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const bool init = c->pos + 1 < c->end && c->base[c->pos] == 0x40 && c->base[c->pos + 1] == 0;
    if (init) c->pos += 2;
    if (!tw_read_val_type(c, false, "table type") ||
        !tw_read_limits(c, true, NULL, "table limits"))
      return false;
    if (init && !scan_instrs(c, 0, h, p)) return false;
  }
  return true;
}

/* [from, to) with the patches from *k on applied; each patched index keeps
 * its width when the new value fits. */
static void put_patched(tw_buf *out, const tw_module *m, size_t from, size_t to,
                        const patches *p, size_t *k) {
  for (; *k < p->n && p->v[*k].pos < to; ++*k) {
    const tw_patch *q = &p->v[*k];
    tw_buf_put(out, m->data + from, q->pos - from);
    tw_buf_put_uleb_width(out, q->value, q->len);
    from = q->pos + q->len;
  }
  tw_buf_put(out, m->data + from, to - from);
}

static long patched_delta(const patches *p, size_t from, size_t to, size_t k) {
  long d = 0;
  for (; k < p->n && p->v[k].pos < to; k++)
    if (p->v[k].pos >= from) d += (long)tw_leb_size_u64(p->v[k].value) > (long)p->v[k].len
                                      ? (long)tw_leb_size_u64(p->v[k].value) - (long)p->v[k].len
                                      : 0;
  return d;
}

/* ---- sections ------------------------------------------------------------- */

static size_t size_width(const tw_section *s) { return s ? s->body - s->start - 1 : 0; }

static void put_section(tw_buf *out, uint8_t id, const tw_buf *c, const tw_section *old) {
  tw_buf_put_u8(out, id);
  const size_t w = size_width(old);
  tw_buf_put_uleb_width(out, c->len, tw_leb_size_u64(c->len) <= w ? w : 0);
  tw_buf_put(out, c->data, c->len);
  if (c->failed) out->failed = true;
}

/* A section's leading count, its width and the offset after it. */
static bool read_count_at(const tw_module *m, const tw_section *s, uint32_t *n, size_t *width,
                          size_t *after, tw_err *err) {
  tw_cursor c = tw_cursor_make(m->data, s->body, s->end, err);
  if (!tw_read_u32(&c, n, "section count")) return false;
  *width = c.pos - s->body;
  *after = c.pos;
  return true;
}

static void put_count(tw_buf *b, uint64_t n, size_t width) {
  tw_buf_put_uleb_width(b, n, tw_leb_size_u64(n) <= width ? width : 0);
}

static void put_name(tw_buf *b, const char *s) {
  tw_buf_put_uleb(b, strlen(s));
  tw_buf_put(b, s, strlen(s));
}

typedef struct emit_ctx {
  const tw_module *m;
  tw_host *h;
  const tw_options *o;
  tw_err *err;
} emit_ctx;

static void build_types(tw_buf *c, const emit_ctx *x, const tw_section *s) {
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (s) read_count_at(x->m, s, &n, &w, &after, x->err);
  put_count(c, (uint64_t)n + 1, w);
  if (s) tw_buf_put(c, x->m->data + after, s->end - after);
  tw_buf_put(c, "\x60\x03\x7f\x7f\x7f\x00", 6); /* [i32 i32 i32] -> [] */
}

static void build_imports(tw_buf *c, const emit_ctx *x, const tw_section *s) {
  const tw_module *m = x->m;
  uint32_t n = 0, kept = 0;
  size_t w = 0, after = 0;
  if (s && !read_count_at(m, s, &n, &w, &after, x->err)) return;
  for (uint32_t i = 0; i < m->nimports; i++) kept += !x->h->import_removed[i];
  const bool output = x->h->output_func != NONE;
  put_count(c, (uint64_t)kept + output, w);
  for (uint32_t i = 0; i < m->nimports; i++) {
    if (x->h->import_removed[i]) continue;
    tw_buf_put(c, m->data + m->imports[i].start, m->imports[i].end - m->imports[i].start);
  }
  if (output) {
    put_name(c, x->o->stub_output_module);
    put_name(c, x->o->stub_output_name);
    tw_buf_put_u8(c, 0);
    tw_buf_put_uleb(c, x->h->output_type);
  }
}

static uint32_t guard_type(const tw_module *m, const tw_host_guard *g) {
  return m->func_types[g->target];
}

static void build_functions(tw_buf *c, const emit_ctx *x, const tw_section *s) {
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (s) read_count_at(x->m, s, &n, &w, &after, x->err);
  put_count(c, (uint64_t)n + x->h->nstubs + x->h->nguards, w);
  if (s) tw_buf_put(c, x->m->data + after, s->end - after);
  for (uint32_t i = 0; i < x->h->nstubs; i++) tw_buf_put_uleb(c, x->h->stubs[i].type);
  for (uint32_t i = 0; i < x->h->nguards; i++) tw_buf_put_uleb(c, guard_type(x->m, &x->h->guards[i]));
}

/* A section whose only change is function indices inside it. */
static bool build_patched(tw_buf *c, const emit_ctx *x, const tw_section *s,
                          bool (*scan)(tw_cursor *, const tw_host *, patches *)) {
  patches p = {0};
  tw_cursor cur = tw_cursor_make(x->m->data, s->body, s->end, x->err);
  size_t k = 0;
  const bool ok = scan(&cur, x->h, &p);
  if (ok) put_patched(c, x->m, s->body, s->end, &p, &k);
  free(p.v);
  return ok;
}

static void put_global(tw_buf *c, uint8_t vt, int64_t init) {
  tw_buf_put_u8(c, vt);
  tw_buf_put_u8(c, 1); /* mutable */
  tw_buf_put_u8(c, vt == 0x7f ? 0x41 : 0x42);
  tw_buf_put_sleb(c, init);
  tw_buf_put_u8(c, 0x0b);
}

static bool build_globals(tw_buf *c, const emit_ctx *x, const tw_section *s) {
  const tw_host *h = x->h;
  uint32_t n = 0, added = 0;
  size_t w = 0, after = 0;
  if (s && !read_count_at(x->m, s, &n, &w, &after, x->err)) return false;
  added = (h->guard_global != NONE) + (h->exit_global != NONE) + (h->clock_global != NONE) +
          (h->random_global != NONE);
  put_count(c, (uint64_t)n + added, w);
  if (s) {
    patches p = {0};
    tw_cursor cur = tw_cursor_make(x->m->data, s->body, s->end, x->err);
    size_t k = 0;
    const bool ok = scan_globals(&cur, h, &p);
    if (ok) put_patched(c, x->m, after, s->end, &p, &k);
    free(p.v);
    if (!ok) return false;
  }
  /* In the order plan_globals numbered them. */
  if (h->guard_global != NONE) put_global(c, 0x7f, 0);
  if (h->exit_global != NONE) put_global(c, 0x7f, -1);
  if (h->clock_global != NONE) put_global(c, 0x7e, TW_STUB_CLOCK_START - TW_STUB_CLOCK_STEP);
  if (h->random_global != NONE) put_global(c, 0x7e, TW_STUB_RANDOM_SEED);
  return true;
}

static uint32_t export_target(const tw_host *h, const tw_module *m, const tw_export *e) {
  if (e->kind != 0 || e->index >= h->nold) return e->index;
  if (h->guard_of[e->index] != NONE && !is_hook_export(m, e))
    return h->guards[h->guard_of[e->index]].index;
  return h->map[e->index];
}

static bool build_exports(tw_buf *c, const emit_ctx *x, const tw_section *s) {
  const tw_module *m = x->m;
  size_t w = 0, after = 0;
  uint32_t n = 0;
  if (s && !read_count_at(m, s, &n, &w, &after, x->err)) return false;
  const bool exit_code = x->h->exit_global != NONE;
  for (uint32_t i = 0; exit_code && i < m->nexports; i++) {
    if (name_is(m, m->exports[i].name, m->exports[i].name_len, TW_EXIT_CODE_EXPORT)) {
      tw_err_set(x->err, TW_ERR_UNSUPPORTED, m->exports[i].start,
                 "--stub-wasi: the module already exports \"%s\"", TW_EXIT_CODE_EXPORT);
      return false;
    }
  }
  put_count(c, (uint64_t)m->nexports + exit_code, w);
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *e = &m->exports[i];
    const uint32_t t = export_target(x->h, m, e);
    if (t == e->index) {
      tw_buf_put(c, m->data + e->start, e->end - e->start);
    } else {
      tw_buf_put(c, m->data + e->start, e->name + e->name_len - e->start);
      tw_buf_put_u8(c, 0);
      tw_buf_put_uleb(c, t);
    }
  }
  if (exit_code) {
    put_name(c, TW_EXIT_CODE_EXPORT);
    tw_buf_put_u8(c, 3);
    tw_buf_put_uleb(c, x->h->exit_global);
  }
  return true;
}

/* The guard of ABI-free --init-once:
 *   global.get g; i32.eqz; if; i32.const 1; global.set g; call init; end
 *   local.get 0..n-1; call target        (not for _initialize itself) */
static void encode_guard(tw_buf *b, const tw_module *m, const tw_host *h, const tw_host_guard *g) {
  tw_buf_put_u8(b, 0);
  tw_buf_put_u8(b, 0x23), tw_buf_put_uleb(b, h->guard_global);
  tw_buf_put_u8(b, 0x45);
  tw_buf_put_u8(b, 0x04), tw_buf_put_u8(b, 0x40);
  tw_buf_put_u8(b, 0x41), tw_buf_put_u8(b, 1);
  tw_buf_put_u8(b, 0x24), tw_buf_put_uleb(b, h->guard_global);
  tw_buf_put_u8(b, 0x10), tw_buf_put_uleb(b, h->map[h->initialize]);
  tw_buf_put_u8(b, 0x0b);
  if (g->target != h->initialize) {
    const tw_functype *t = tw_module_func_type(m, g->target);
    for (uint32_t i = 0; t && i < t->nparams; i++) tw_buf_put_u8(b, 0x20), tw_buf_put_uleb(b, i);
    tw_buf_put_u8(b, 0x10), tw_buf_put_uleb(b, h->map[g->target]);
  }
  tw_buf_put_u8(b, 0x0b);
}

static void put_body(tw_buf *c, tw_buf *scratch) {
  tw_buf_put_uleb(c, scratch->len);
  tw_buf_put(c, scratch->data, scratch->len);
  if (scratch->failed) c->failed = true;
  scratch->len = 0;
}

static void append_new_bodies(tw_buf *c, const emit_ctx *x) {
  const tw_host *h = x->h;
  tw_buf body = {0};
  const tw_stub_env env = {h->output_func, h->exit_global, h->clock_global, h->random_global};
  for (uint32_t i = 0; i < h->nstubs; i++) {
    tw_stub_encode(&body, h->stubs[i].kind, &env);
    put_body(c, &body);
  }
  for (uint32_t i = 0; i < h->nguards; i++) {
    encode_guard(&body, x->m, h, &h->guards[i]);
    put_body(c, &body);
  }
  tw_buf_free(&body);
}

static bool build_code(tw_buf *c, const emit_ctx *x, const tw_section *s) {
  const tw_module *m = x->m;
  tw_host *h = x->h;
  const uint64_t count = (uint64_t)m->nbodies + h->nstubs + h->nguards;
  const size_t w = s ? m->code_count_width : 0;
  put_count(c, count, w);
  if (s && tw_leb_size_u64(count) > w) h->code_moved = true;
  if (s && !h->renumbered) {
    tw_buf_put(c, m->data + m->code_entries, s->end - m->code_entries); /* copied once */
  } else if (s) {
    patches p = {0};
    bool ok = true;
    for (uint32_t i = 0; ok && i < m->nbodies; i++) {
      tw_cursor cur = tw_cursor_make(m->data, m->bodies[i].code, m->bodies[i].end, x->err);
      ok = tw_skip_locals(&cur) && scan_instrs(&cur, m->bodies[i].end, h, &p);
      if (!ok && !tw_err_failed(x->err)) MALFORMED(x->err, cur.pos, "malformed function body");
    }
    size_t k = 0;
    for (uint32_t i = 0; ok && i < m->nbodies; i++) {
      const tw_body *b = &m->bodies[i];
      const long grow = patched_delta(&p, b->code, b->end, k);
      const size_t size = b->end - b->code + (size_t)grow;
      if (grow) h->code_moved = true;
      put_count(c, size, b->code - b->start);
      put_patched(c, m, b->code, b->end, &p, &k);
    }
    free(p.v);
    if (!ok) return false;
  }
  append_new_bodies(c, x);
  return true;
}

/* ---- the name section ------------------------------------------------------
 * Function names (1), local names (2) and labels (3) are keyed by function
 * index: entries of removed imports go, the others are renumbered (kept
 * order: the map is increasing on them), and the new functions are named
 * after the entries, in index order. Other subsections are copied. */

/* Names for the new functions: "taskwrap:wasi_snapshot_preview1.NAME" for a
 * stub, "taskwrap:init-once:EXPORT" for a guard. */
static uint32_t put_new_names(tw_buf *entries, const emit_ctx *x) {
  const tw_module *m = x->m;
  char name[300];
  for (uint32_t i = 0; i < x->h->nstubs; i++) {
    const tw_host_stub *st = &x->h->stubs[i];
    snprintf(name, sizeof name, "taskwrap:%s.%.*s", wasi_module, (int)st->name_len,
             (const char *)m->data + st->name);
    tw_buf_put_uleb(entries, st->index);
    put_name(entries, name);
  }
  for (uint32_t i = 0; i < x->h->nguards; i++) {
    const tw_export *e = &m->exports[x->h->guards[i].export_i];
    snprintf(name, sizeof name, "taskwrap:init-once:%.*s", (int)e->name_len,
             (const char *)m->data + e->name);
    tw_buf_put_uleb(entries, x->h->guards[i].index);
    put_name(entries, name);
  }
  return x->h->nstubs + x->h->nguards;
}

/* A name map (indirect: an indirect name map) renumbered into c. */
static bool put_name_map(tw_buf *c, const emit_ctx *x, size_t from, size_t to, bool indirect) {
  const tw_module *m = x->m;
  const uint32_t first_new = x->h->new_nfuncs - x->h->nstubs - x->h->nguards;
  tw_err scratch = {0};
  tw_cursor cur = tw_cursor_make(m->data, from, to, &scratch);
  uint32_t n = 0, kept = 0, last = 0;
  if (!tw_read_u32(&cur, &n, "name map")) return false;
  tw_buf entries = {0};
  for (uint32_t i = 0; i < n; i++) {
    uint32_t idx = 0, inner = 0, li = 0, len = 0;
    size_t s = 0;
    const size_t at = cur.pos;
    if (!tw_read_u32(&cur, &idx, "function index")) goto bad;
    const size_t after_idx = cur.pos;
    if (indirect) {
      if (!tw_read_u32(&cur, &inner, "name map")) goto bad;
      for (uint32_t j = 0; j < inner; j++)
        if (!tw_read_u32(&cur, &li, "index") || !tw_read_name(&cur, &s, &len, "name")) goto bad;
    } else if (!tw_read_name(&cur, &s, &len, "name")) {
      goto bad;
    }
    if (idx >= x->h->nold || (i && idx <= last)) goto bad; /* unsorted: not renumberable */
    last = idx;
    if (x->h->map[idx] >= first_new) continue; /* a removed import */
    kept++;
    tw_buf_put_uleb_width(&entries, x->h->map[idx], after_idx - at);
    tw_buf_put(&entries, m->data + after_idx, cur.pos - after_idx);
  }
  if (cur.pos != cur.end) goto bad;
  if (!indirect) kept += put_new_names(&entries, x);
  tw_buf_put_uleb(c, kept);
  tw_buf_put(c, entries.data, entries.len);
  if (entries.failed) c->failed = true;
  tw_buf_free(&entries);
  return true;
bad:
  tw_buf_free(&entries);
  return false;
}

static void put_subsection(tw_buf *c, uint8_t id, const tw_buf *sub, size_t old_width) {
  tw_buf_put_u8(c, id);
  tw_buf_put_uleb_width(c, sub->len, tw_leb_size_u64(sub->len) <= old_width ? old_width : 0);
  tw_buf_put(c, sub->data, sub->len);
  if (sub->failed) c->failed = true;
}

/* A function-names subsection with only the new functions. */
static void put_new_names_subsection(tw_buf *c, const emit_ctx *x) {
  tw_buf tmp = {0};
  tw_buf_put_uleb(&tmp, x->h->nstubs + x->h->nguards);
  put_new_names(&tmp, x);
  put_subsection(c, 1, &tmp, 0);
  tw_buf_free(&tmp);
}

/* False when the section cannot be renumbered (the caller drops it). */
static bool build_names(tw_buf *c, const emit_ctx *x, const tw_section *s) {
  const tw_module *m = x->m;
  tw_err scratch = {0};
  tw_cursor cur = tw_cursor_make(m->data, s->name_start + s->name_len, s->end, &scratch);
  tw_buf_put(c, m->data + s->body, s->name_start + s->name_len - s->body);
  const bool new_names = x->h->nstubs + x->h->nguards > 0;
  bool func_names = false, ok = true;
  int last_id = -1;
  tw_buf sub = {0};
  while (ok && cur.pos < cur.end) {
    const size_t start = cur.pos;
    uint8_t id = 0;
    size_t body = 0;
    uint32_t len = 0;
    if (!tw_read_u8(&cur, &id, "subsection") || !tw_read_bytes(&cur, &body, &len, "subsection") ||
        (int)id <= last_id) {
      ok = false;
      break;
    }
    last_id = id;
    if (id > 1 && !func_names && new_names) { /* function names go before this one */
      put_new_names_subsection(c, x);
      func_names = true;
    }
    if (id >= 1 && id <= 3) {
      sub.len = 0;
      ok = put_name_map(&sub, x, body, body + len, id != 1);
      put_subsection(c, id, &sub, body - start - 1);
      func_names |= id == 1;
    } else {
      tw_buf_put(c, m->data + start, cur.pos - start);
    }
  }
  if (ok && !func_names && new_names) put_new_names_subsection(c, x);
  tw_buf_free(&sub);
  return ok;
}

/* ---- the output ------------------------------------------------------------ */

static bool custom_named(const tw_module *m, const tw_section *s, const char *prefix, bool whole) {
  const size_t k = strlen(prefix);
  return s->id == TW_SEC_CUSTOM && (whole ? s->name_len == k : s->name_len >= k) &&
         memcmp(m->data + s->name_start, prefix, k) == 0;
}

static bool scan_start(tw_cursor *c, const tw_host *h, patches *p) { return scan_funcidx(c, h, p); }

/* The sections this stage rewrites, by id; NULL old: the section is new. */
static bool build_section(tw_buf *c, const emit_ctx *x, uint8_t id, const tw_section *old) {
  switch (id) {
  case TW_SEC_TYPE: build_types(c, x, old); return !tw_err_failed(x->err);
  case TW_SEC_IMPORT: build_imports(c, x, old); return !tw_err_failed(x->err);
  case TW_SEC_FUNCTION: build_functions(c, x, old); return !tw_err_failed(x->err);
  case TW_SEC_TABLE: return build_patched(c, x, old, scan_tables);
  case TW_SEC_GLOBAL: return build_globals(c, x, old);
  case TW_SEC_EXPORT: return build_exports(c, x, old);
  case TW_SEC_START: return build_patched(c, x, old, scan_start);
  case TW_SEC_ELEM: return build_patched(c, x, old, scan_elem);
  case TW_SEC_CODE: return build_code(c, x, old);
  default: return false;
  }
}

/* Which sections change: the rest are copied. */
static bool rewrites(const tw_host *h, uint8_t id) {
  const bool new_funcs = h->nstubs + h->nguards > 0;
  const bool new_globals = h->guard_global != NONE || h->exit_global != NONE;
  switch (id) {
  case TW_SEC_TYPE: return h->output_type_new;
  case TW_SEC_IMPORT: return h->nstubs > 0 || h->output_func != NONE;
  case TW_SEC_FUNCTION: case TW_SEC_CODE: return new_funcs || h->renumbered;
  case TW_SEC_GLOBAL: return new_globals || h->renumbered;
  case TW_SEC_EXPORT: return true;
  case TW_SEC_TABLE: case TW_SEC_START: case TW_SEC_ELEM: return h->renumbered;
  default: return false;
  }
}

/* Sections that may have to be created: in their rank order. */
static const uint8_t creatable[] = {TW_SEC_TYPE, TW_SEC_FUNCTION, TW_SEC_GLOBAL, TW_SEC_EXPORT,
                                    TW_SEC_CODE};

static bool needs_new(const tw_host *h, uint8_t id) {
  switch (id) {
  case TW_SEC_TYPE: return h->output_type_new;
  case TW_SEC_FUNCTION: case TW_SEC_CODE: return h->nstubs + h->nguards > 0;
  case TW_SEC_GLOBAL: return h->guard_global != NONE || h->exit_global != NONE;
  case TW_SEC_EXPORT: return h->exit_global != NONE;
  default: return false;
  }
}

static bool emit_one(tw_buf *out, const emit_ctx *x, uint8_t id, const tw_section *old) {
  tw_buf c = {0};
  const bool ok = build_section(&c, x, id, old);
  /* An import section left empty is dropped rather than kept as "0". */
  const bool empty_imports = id == TW_SEC_IMPORT && c.len == 1 && c.data[0] == 0;
  if (ok && !empty_imports) put_section(out, id, &c, old);
  tw_buf_free(&c);
  return ok;
}

static bool emit_missing_before(tw_buf *out, const emit_ctx *x, int rank, bool *done) {
  for (size_t k = 0; k < sizeof creatable; k++) {
    const uint8_t id = creatable[k];
    if (done[k] || tw_section_rank(id) >= rank) continue;
    done[k] = true;
    if (find_section(x->m, id) < 0 && needs_new(x->h, id) && !emit_one(out, x, id, NULL))
      return false;
  }
  return true;
}

static bool refuse_relocatable(const tw_module *m, tw_err *err) {
  for (size_t i = 0; i < m->nsections; i++) {
    const tw_section *s = &m->sections[i];
    if (custom_named(m, s, "linking", true) || custom_named(m, s, "reloc.", false)) {
      tw_err_set(err, TW_ERR_UNSUPPORTED, s->start,
                 "a relocatable object file (custom section \"%.*s\"): run wasm-taskwrap on "
                 "wasm-ld's output", (int)s->name_len, (const char *)m->data + s->name_start);
      return false;
    }
  }
  return true;
}

bool tw_host_emit(const tw_module *m, tw_host *h, const tw_options *o, tw_buf *out, tw_err *err) {
  const emit_ctx x = {m, h, o, err};
  if (!refuse_relocatable(m, err)) return false;
  bool done[sizeof creatable] = {false};
  tw_buf_reserve(out, m->size + 256 + (size_t)(h->nstubs + h->nguards) * 64);
  tw_buf_put(out, m->data, 8);
  for (size_t i = 0; i < m->nsections; i++) {
    const tw_section *s = &m->sections[i];
    const bool debug = custom_named(m, s, ".debug_", false);
    h->has_dwarf |= debug;
    if (s->id != TW_SEC_CUSTOM) {
      if (!emit_missing_before(out, &x, tw_section_rank(s->id), done)) return false;
      if (!rewrites(h, s->id)) tw_buf_put(out, m->data + s->start, s->end - s->start);
      else if (!emit_one(out, &x, s->id, s)) return false;
      continue;
    }
    if (debug && o->strip_debug) {
      h->dropped_debug = true;
    } else if ((long)i == m->sec_name && (h->renumbered || h->nstubs + h->nguards)) {
      tw_buf c = {0};
      if (build_names(&c, &x, s)) put_section(out, TW_SEC_CUSTOM, &c, s);
      else h->names_dropped = true; /* malformed or unsorted: no longer true */
      tw_buf_free(&c);
    } else if (h->renumbered && custom_named(m, s, "metadata.code.", false)) {
      h->dropped_branch_hints = true; /* keyed by function index and code offset */
    } else {
      tw_buf_put(out, m->data + s->start, s->end - s->start);
    }
  }
  if (!emit_missing_before(out, &x, 100, done)) return false;
  if (out->failed) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory while building the output");
    return false;
  }
  return true;
}

/* ---- verification ------------------------------------------------------------
 * The output is re-read and compared with the stage's input, without the
 * emitter's code: every original body must decode to the same instructions
 * with each function index renumbered through the map, every export must
 * name the renumbered function or a guard that calls it, and the guards must
 * be exactly the sequence below. */

#define FAIL(...) (tw_err_set(err, TW_ERR_VERIFY, __VA_ARGS__), false)

static bool same_bytes(const tw_module *a, size_t pa, const tw_module *b, size_t pb, size_t n) {
  return memcmp(a->data + pa, b->data + pb, n) == 0;
}

static bool check_body(const tw_module *in, const tw_module *out, const tw_host *h, uint32_t f,
                       tw_err *err) {
  const tw_body *a = &in->bodies[f - in->nfunc_imports];
  const tw_body *b = &out->bodies[h->map[f] - out->nfunc_imports];
  if (!h->renumbered) { /* copied, never decoded: must be the same bytes */
    if (a->end - a->start != b->end - b->start || !same_bytes(in, a->start, out, b->start, a->end - a->start))
      return FAIL(b->start, "function body %u is not byte-identical", f);
    return true;
  }
  tw_err scratch = {0};
  tw_cursor ca = tw_cursor_make(in->data, a->code, a->end, &scratch);
  tw_cursor cb = tw_cursor_make(out->data, b->code, b->end, &scratch);
  if (!tw_skip_locals(&ca) || !tw_skip_locals(&cb) || ca.pos - a->code != cb.pos - b->code ||
      !same_bytes(in, a->code, out, b->code, ca.pos - a->code))
    return FAIL(b->code, "function %u (was %u): locals differ", h->map[f], f);
  while (ca.pos < ca.end) {
    tw_instr x, y;
    if (!tw_instr_next(&ca, &x)) return FAIL(ca.pos, "function %u: cannot decode the input", f);
    if (!tw_instr_next(&cb, &y) || x.prefix != y.prefix || x.code != y.code ||
        x.has_func != y.has_func)
      return FAIL(y.start, "function %u (was %u): instruction at input 0x%zx differs",
                  h->map[f], f, x.start);
    if (x.has_func) {
      if (x.func >= h->nold || y.func != h->map[x.func] ||
          x.func_pos - x.start != y.func_pos - y.start ||
          !same_bytes(in, x.start, out, y.start, x.func_pos - x.start) ||
          x.end - (x.func_pos + x.func_len) != y.end - (y.func_pos + y.func_len) ||
          !same_bytes(in, x.func_pos + x.func_len, out, y.func_pos + y.func_len,
                      x.end - (x.func_pos + x.func_len)))
        return FAIL(y.start, "function %u (was %u): function index %u not renumbered to %u",
                    h->map[f], f, x.func, x.func < h->nold ? h->map[x.func] : 0);
    } else if (x.end - x.start != y.end - y.start || !same_bytes(in, x.start, out, y.start, x.end - x.start)) {
      return FAIL(y.start, "function %u (was %u): instruction at input 0x%zx changed", h->map[f],
                  f, x.start);
    }
  }
  if (cb.pos != cb.end) return FAIL(cb.pos, "function %u: extra code at the end", h->map[f]);
  return true;
}

/* The guard, as a list of (opcode, immediate) pairs; -1: no immediate. */
static bool check_guard(const tw_module *in, const tw_module *out, const tw_host *h,
                        const tw_host_guard *g, tw_err *err) {
  int64_t seq[64][2];
  size_t n = 0;
#define OP(o, i) (seq[n][0] = (o), seq[n][1] = (i), n++)
  OP(0x23, h->guard_global), OP(0x45, -1), OP(0x04, 0x40), OP(0x41, 1), OP(0x24, h->guard_global);
  OP(0x10, h->map[h->initialize]), OP(0x0b, -1);
  const tw_functype *t = tw_module_func_type(in, g->target);
  if (g->target != h->initialize) {
    if (!t || t->nparams > 50) return FAIL(0, "guard %u: unexpected type", g->index);
    for (uint32_t i = 0; i < t->nparams; i++) OP(0x20, i);
    OP(0x10, h->map[g->target]);
  }
  OP(0x0b, -1);
#undef OP
  tw_buf want = {0};
  tw_buf_put_u8(&want, 0); /* no locals */
  for (size_t i = 0; i < n; i++) {
    tw_buf_put_u8(&want, (uint8_t)seq[i][0]);
    if (seq[i][1] >= 0 && seq[i][0] == 0x04) tw_buf_put_u8(&want, 0x40);
    else if (seq[i][1] >= 0 && seq[i][0] == 0x41) tw_buf_put_sleb(&want, seq[i][1]);
    else if (seq[i][1] >= 0) tw_buf_put_uleb(&want, (uint64_t)seq[i][1]);
  }
  const tw_body *b = &out->bodies[g->index - out->nfunc_imports];
  const bool ok = !want.failed && want.len == b->end - b->code &&
                  memcmp(want.data, out->data + b->code, want.len) == 0;
  tw_buf_free(&want);
  if (!ok) return FAIL(b->code, "init-once guard %u is not the specified sequence", g->index);
  if (out->func_types[g->index] != in->func_types[g->target])
    return FAIL(b->start, "init-once guard %u does not have its target's type", g->index);
  return true;
}

static bool check_exports_renumbered(const tw_module *in, const tw_module *out, const tw_host *h,
                                     const tw_options *o, tw_err *err) {
  const bool exit_code = h->exit_global != NONE;
  if (out->nexports != in->nexports + exit_code)
    return FAIL(0, "output has %u exports, expected %u", out->nexports, in->nexports + exit_code);
  for (uint32_t i = 0; i < in->nexports; i++) {
    const tw_export *a = &in->exports[i], *b = &out->exports[i];
    if (a->name_len != b->name_len || a->kind != b->kind ||
        !same_bytes(in, a->name, out, b->name, a->name_len))
      return FAIL(b->start, "export %u changed its name or kind", i);
    if (a->kind != 0 || a->index >= h->nold) {
      if (b->index != a->index) return FAIL(b->start, "export %u was re-pointed", i);
    } else if (o->init_once && !h->already_guarded && !is_hook_export(in, a)) {
      const uint32_t gi = b->index - (h->new_nfuncs - h->nguards);
      if (b->index < h->new_nfuncs - h->nguards || b->index >= h->new_nfuncs ||
          h->guards[gi].target != a->index)
        return FAIL(b->start, "export %u does not name the init-once guard of function %u", i,
                    a->index);
      if (!check_guard(in, out, h, &h->guards[gi], err)) return false;
    } else if (b->index != h->map[a->index]) {
      return FAIL(b->start, "export %u names function %u, expected %u", i, b->index,
                  h->map[a->index]);
    }
  }
  if (exit_code) {
    const tw_export *e = &out->exports[in->nexports];
    if (!name_is(out, e->name, e->name_len, TW_EXIT_CODE_EXPORT) || e->kind != 3 ||
        e->index != h->exit_global)
      return FAIL(e->start, "the exit code global is not exported as \"%s\"", TW_EXIT_CODE_EXPORT);
  }
  return true;
}

bool tw_host_verify(const tw_module *in, const tw_host *h, const tw_options *o,
                    const uint8_t *data, size_t size, tw_err *err) {
  tw_module out;
  tw_err perr = {0};
  if (!tw_module_parse(&out, data, size, &perr)) {
    tw_err_set(err, TW_ERR_VERIFY, perr.offset, "output is malformed: %s", perr.message);
    return false;
  }
  bool ok = true;
  const uint32_t imports = h->nkept_imports + (h->output_func != NONE);
  if (out.nfuncs != h->new_nfuncs || out.nfunc_imports != imports)
    ok = FAIL(0, "output has %u functions (%u imported), expected %u (%u)", out.nfuncs,
              out.nfunc_imports, h->new_nfuncs, imports);
  for (uint32_t i = 0; ok && o->stub_wasi && i < out.nimports; i++) {
    const tw_import *im = &out.imports[i];
    if (im->kind == 0 && name_is(&out, im->mod, im->mod_len, wasi_module))
      ok = FAIL(im->start, "a %s function import is left", wasi_module);
  }
  for (uint32_t f = 0; ok && f < in->nfuncs; f++)
    if (out.func_types[h->map[f]] != in->func_types[f])
      ok = FAIL(0, "function %u (was %u) changed its type", h->map[f], f);
  for (uint32_t f = in->nfunc_imports; ok && f < in->nfuncs; f++) ok = check_body(in, &out, h, f, err);
  if (ok) ok = check_exports_renumbered(in, &out, h, o, err);
  tw_module_free(&out);
  return ok;
}
