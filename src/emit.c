/* The one emitter (emit.h): a finalised edit becomes the output as a list
 * of segments, input ranges and new bytes (what each section becomes:
 * docs/output-layout.md, "Sections"). Untouched sections and untouched
 * bodies are input ranges: the emitter never reads their bytes. */
#include <stdlib.h>
#include <string.h>

#include "bodies.h"
#include "buf.h"
#include "cursor.h"
#include "edit.h"
#include "emit.h"
#include "err.h"
#include "leb.h"
#include "module.h"
#include "opcodes.h"
#include "out.h"
#include "renumber.h"
#include "section.h"
#include "taskwrap.h"
#include "wasifs.h"

/* A field whose value is known only after what follows it is emitted (a
 * section's size, a count): room in the pool, a zero-length segment, filled
 * in later. */
enum { HOLE_ROOM = 11 }; /* an id byte and a 10-byte LEB128 */
typedef struct hole {
  size_t seg;        /* its segment, or SIZE_MAX when out of memory */
  uint64_t after;    /* o->size right after it: where what it measures starts */
} hole;

static hole dig(tw_out *o) {
  hole h = {SIZE_MAX, 0};
  const size_t at = o->pool.len;
  static const uint8_t room[HOLE_ROOM] = {0};
  tw_buf_put(&o->pool, room, sizeof room);
  tw_seg *s = o->pool.failed ? NULL : tw_out_push(o);
  if (!s) {
    o->failed = true;
    return h;
  }
  *s = (tw_seg){at, 0, 0, TW_SEG_NEW};
  h.seg = o->nsegs - 1;
  h.after = o->size;
  return h;
}

static void fill(tw_out *o, hole h, int id, uint64_t v, size_t width) {
  if (h.seg == SIZE_MAX || o->failed) return;
  tw_seg *s = &o->segs[h.seg];
  uint8_t *p = o->pool.data + s->src;
  size_t n = 0;
  if (id >= 0) p[n++] = (uint8_t)id;
  n += tw_leb_write_u64(p + n, v, width);
  s->len = (uint32_t)n;
  o->size += n;
}

/* The width rule (docs/output-layout.md, "Rules for numbers"): the input's
 * width when the value fits in it, minimal otherwise (and for new fields,
 * width 0). */
static size_t width_for(uint64_t v, size_t old_width) {
  return tw_leb_size_u64(v) <= old_width ? old_width : 0;
}

/* A section or subsection: its id and size, measured when it closes. */
static hole open_section(tw_out *o) { return dig(o); }
static void close_section(tw_out *o, hole h, uint8_t id, size_t old_width) {
  const uint64_t len = o->size - h.after;
  fill(o, h, id, len, width_for(len, old_width));
}

/* ---- sections ------------------------------------------------------------ */

typedef struct emitter {
  const tw_module *m;
  const tw_edit *e;
  tw_out *o;
  tw_err *err;
  tw_buf scratch;
} emitter;

static size_t size_width(const tw_section *s) { return s->body - s->start - 1; }

/* A section's leading count, its width and the offset after it. */
static bool read_count_at(emitter *x, const tw_section *s, uint32_t *n, size_t *width,
                          size_t *after) {
  tw_cursor c = tw_cursor_make(x->m->data, s->body, s->end, x->err);
  if (!tw_read_u32(&c, n, "section count")) return false;
  *width = c.pos - s->body;
  *after = c.pos;
  return true;
}

static void put_name(tw_out *o, const char *s) {
  tw_out_uleb(o, strlen(s), 0);
  tw_out_bytes(o, s, strlen(s));
}

/* [from, to) of the input with the patches from *k on applied, each keeping
 * its width when the new value fits. */
static void put_patched(emitter *x, size_t from, size_t to, const tw_patches *p, size_t *k) {
  for (; *k < p->n && p->v[*k].pos < to; ++*k) {
    const tw_patch *q = &p->v[*k];
    tw_out_input(x->o, from, q->pos);
    tw_out_uleb(x->o, q->value, width_for(q->value, q->len));
    from = q->pos + q->len;
  }
  tw_out_input(x->o, from, to);
}

static bool emit_types(emitter *x, const tw_section *s) {
  uint32_t n = 0;
  size_t w = 0, after = s ? s->body : 0;
  if (s && !read_count_at(x, s, &n, &w, &after)) return false;
  const hole h = open_section(x->o);
  const uint64_t added = tw_edit_ntypes_added(x->e);
  tw_out_uleb(x->o, (uint64_t)n + added, width_for((uint64_t)n + added, w));
  if (s) tw_out_input(x->o, after, s->end);
  /* The appended types, in shape order (edit.h, tw_type_shape). */
  for (int k = 0; k < TW_TYPE_SHAPES; k++) {
    size_t len = 0;
    const uint8_t *bytes = tw_type_shape_bytes((tw_type_shape)k, &len);
    if (x->e->add_type[k]) tw_out_bytes(x->o, bytes, len);
  }
  close_section(x->o, h, TW_SEC_TYPE, s ? size_width(s) : 0);
  return true;
}

static bool emit_imports(emitter *x, const tw_section *s) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  const uint64_t kept = (uint64_t)m->nimports - e->nimports_removed + e->nimports_added;
  if (kept == 0) return true; /* an import section left empty is left out */
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (s && !read_count_at(x, s, &n, &w, &after)) return false;
  const hole h = open_section(x->o);
  tw_out_uleb(x->o, kept, width_for(kept, w));
  for (uint32_t i = 0; i < m->nimports; i++)
    if (!e->import_removed[i]) tw_out_input(x->o, m->imports[i].start, m->imports[i].end);
  for (uint32_t k = 0; k < e->nfns; k++) {
    const tw_fn *f = &e->fns[k];
    if (f->kind != TW_FN_IMPORT) continue;
    put_name(x->o, f->imp_module);
    put_name(x->o, f->imp_name);
    tw_out_byte(x->o, TW_KIND_FUNC);
    tw_out_uleb(x->o, f->type, 0);
  }
  close_section(x->o, h, TW_SEC_IMPORT, s ? size_width(s) : 0);
  return true;
}

/* The added defined functions, in output order (src/edit.h). */
#define FOR_DEFINED(e, k, f)                                                              \
  for (size_t d_ = 0; d_ < sizeof tw_defined_order / sizeof tw_defined_order[0]; d_++)          \
    for (uint32_t k = 0; k < (e)->nfns; k++)                                              \
      for (const tw_fn *f = &(e)->fns[k]; f && f->kind == tw_defined_order[d_]; f = NULL)

static bool emit_functions(emitter *x, const tw_section *s) {
  const tw_module *m = x->m;
  const uint64_t n = (uint64_t)m->nfuncs - m->nfunc_imports + tw_edit_ndefined(x->e);
  const hole h = open_section(x->o);
  tw_out_uleb(x->o, n, width_for(n, s ? m->funcsec_count_width : 0));
  if (s) tw_out_input(x->o, m->funcsec_entries, s->end);
  FOR_DEFINED(x->e, k, f) tw_out_uleb(x->o, f->type, 0);
  close_section(x->o, h, TW_SEC_FUNCTION, s ? size_width(s) : 0);
  return true;
}

/* Table, start, element: the input's bytes with function indices patched. */
static bool emit_patched(emitter *x, const tw_section *s) {
  tw_patches p = {0};
  if (!tw_renumber_section(x->e, s->id, s->body, s->end, &p, x->err)) {
    tw_patches_free(&p);
    return false;
  }
  if (p.n == 0) {
    tw_out_input(x->o, s->start, s->end);
  } else {
    size_t k = 0;
    const hole h = open_section(x->o);
    put_patched(x, s->body, s->end, &p, &k);
    close_section(x->o, h, s->id, size_width(s));
  }
  tw_patches_free(&p);
  return true;
}

static void put_global(tw_out *o, const tw_global *g) {
  tw_out_byte(o, g->valtype);
  tw_out_byte(o, TW_MUT_VAR);
  tw_out_byte(o, g->valtype == VT_I32 ? OP_I32_CONST : OP_I64_CONST);
  uint8_t tmp[16];
  tw_out_bytes(o, tmp, tw_leb_write_s64(tmp, g->init));
  tw_out_byte(o, OP_END);
}

static bool emit_globals(emitter *x, const tw_section *s) {
  const tw_edit *e = x->e;
  uint32_t n = 0;
  size_t w = 0, after = 0;
  tw_patches p = {0};
  if (s && (!read_count_at(x, s, &n, &w, &after) ||
            (e->renumbered && !tw_renumber_section(e, TW_SEC_GLOBAL, s->body, s->end, &p, x->err)))) {
    tw_patches_free(&p);
    return false;
  }
  if (s && e->nglobals == 0 && p.n == 0) {
    tw_out_input(x->o, s->start, s->end);
    return true;
  }
  const hole h = open_section(x->o);
  tw_out_uleb(x->o, (uint64_t)n + e->nglobals, width_for((uint64_t)n + e->nglobals, w));
  size_t k = 0;
  if (s) put_patched(x, after, s->end, &p, &k);
  for (uint32_t i = 0; i < e->nglobals; i++) put_global(x->o, &e->globals[i]);
  close_section(x->o, h, TW_SEC_GLOBAL, s ? size_width(s) : 0);
  tw_patches_free(&p);
  return true;
}

/* The output index an export names. */
static uint32_t export_index(const tw_edit *e, uint32_t i) {
  const tw_export *x = &e->m->exports[i];
  if (x->kind != TW_KIND_FUNC || e->exports[i].target >= e->m->nfuncs + e->nfns) return x->index;
  return e->out[e->exports[i].target];
}

static bool exports_change(const tw_edit *e) {
  if (e->add_exit_export) return true;
  for (uint32_t i = 0; i < e->m->nexports; i++)
    if (e->exports[i].removed || e->exports[i].rename ||
        export_index(e, i) != e->m->exports[i].index)
      return true;
  return false;
}

static bool emit_exports(emitter *x, const tw_section *s) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  if (s && !exports_change(e)) {
    tw_out_input(x->o, s->start, s->end);
    return true;
  }
  uint64_t kept = e->add_exit_export;
  for (uint32_t i = 0; i < m->nexports; i++) kept += !e->exports[i].removed;
  const hole h = open_section(x->o);
  tw_out_uleb(x->o, kept, width_for(kept, s ? m->exports_count_width : 0));
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *xp = &m->exports[i];
    if (e->exports[i].removed) continue;
    const uint32_t idx = export_index(e, i);
    if (e->exports[i].rename) { /* a shared library's hook, under its private name */
      put_name(x->o, e->exports[i].rename);
      tw_out_byte(x->o, xp->kind);
      tw_out_uleb(x->o, idx, width_for(idx, xp->end - (xp->name + xp->name_len) - 1));
    } else if (idx == xp->index) {
      tw_out_input(x->o, xp->start, xp->end); /* unchanged entry, original bytes */
    } else {
      tw_out_input(x->o, xp->start, xp->name + xp->name_len);
      tw_out_byte(x->o, xp->kind);
      tw_out_uleb(x->o, idx, width_for(idx, xp->end - (xp->name + xp->name_len) - 1));
    }
  }
  if (e->add_exit_export) {
    put_name(x->o, TW_EXIT_CODE_GLOBAL);
    tw_out_byte(x->o, TW_KIND_GLOBAL);
    tw_out_uleb(x->o, e->global_of[TW_GLOBAL_EXIT], 0);
  }
  close_section(x->o, h, TW_SEC_EXPORT, s ? size_width(s) : 0);
  return true;
}

/* --stub-wasi's embedded data (docs/output-layout.md, "Sections"): the
 * data count section counts one more segment (created when absent); the
 * data section gets the passive segment after the input's. */
static bool emit_datacount(emitter *x, const tw_section *s) {
  uint32_t n = x->e->data_segment;
  size_t w = 0, after = 0;
  if (s && !read_count_at(x, s, &n, &w, &after)) return false;
  const hole h = open_section(x->o);
  tw_out_uleb(x->o, (uint64_t)n + 1, width_for((uint64_t)n + 1, w));
  close_section(x->o, h, TW_SEC_DATACOUNT, s ? size_width(s) : 0);
  return true;
}

static bool emit_data(emitter *x, const tw_section *s) {
  const struct tw_wasi_image *img = x->e->wasi;
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (s && !read_count_at(x, s, &n, &w, &after)) return false;
  const hole h = open_section(x->o);
  tw_out_uleb(x->o, (uint64_t)n + 1, width_for((uint64_t)n + 1, w));
  if (s) tw_out_input(x->o, after, s->end);
  tw_out_byte(x->o, 1); /* passive */
  tw_out_uleb(x->o, img->segment_len, 0);
  tw_out_bytes(x->o, img->segment, img->segment_len);
  close_section(x->o, h, TW_SEC_DATA, s ? size_width(s) : 0);
  return true;
}

static void encode_fn(tw_buf *b, const tw_edit *e, const tw_fn *f) {
  switch (f->kind) {
  case TW_FN_WRAPPER: tw_encode_wrapper(b, e, f); break;
  case TW_FN_STUB: tw_encode_stub(b, e, f); break;
  case TW_FN_GUARD: tw_encode_guard(b, e, f); break;
  case TW_FN_EXIT: tw_encode_exit(b, e, f); break;
  case TW_FN_ROM: tw_encode_rom(b, e); break;
  case TW_FN_IMPORT: b->failed = true; break; /* never a body */
  }
}

/* One existing body, renumbered: its size (under the width rule), then input
 * ranges between the patched indices. Bodies whose indices all stay are one
 * input range, size included. */
static bool emit_renumbered_body(emitter *x, const tw_body *b) {
  tw_patches *p = &(tw_patches){0};
  if (!tw_renumber_body(x->e, b, p, x->err)) {
    tw_patches_free(p);
    return false;
  }
  if (p->n == 0) {
    tw_out_input(x->o, b->start, b->end);
    tw_patches_free(p);
    return true;
  }
  size_t grow = 0;
  for (size_t i = 0; i < p->n; i++) {
    const size_t need = tw_leb_size_u64(p->v[i].value);
    if (need > p->v[i].len) grow += need - p->v[i].len;
  }
  const size_t size = b->end - b->code + grow, old_width = b->code - b->start;
  const size_t w = width_for(size, old_width);
  if (grow || (w ? w : tw_leb_size_u64(size)) != old_width) x->o->code_moved = true;
  if (!grow) {
    tw_out_input(x->o, b->start, b->code); /* the same size, the same bytes */
  } else {
    tw_out_uleb(x->o, size, w);
  }
  size_t k = 0;
  put_patched(x, b->code, b->end, p, &k);
  tw_patches_free(p);
  return true;
}

static bool emit_code(emitter *x, const tw_section *s) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  const uint64_t count = (uint64_t)m->nbodies + tw_edit_ndefined(e);
  const size_t w = s ? m->code_count_width : 0;
  const hole h = open_section(x->o);
  tw_out_uleb(x->o, count, width_for(count, w));
  if (s && tw_leb_size_u64(count) > w) x->o->code_moved = true;
  if (s && !e->renumbered) {
    tw_out_input(x->o, m->code_entries, s->end); /* every existing body: one range */
  } else if (s) {
    tw_module_need(m, s->start, s->end - s->start); /* every body is decoded */
    for (uint32_t i = 0; i < m->nbodies; i++)
      if (!emit_renumbered_body(x, &m->bodies[i])) return false;
  }
  tw_buf *body = &x->scratch;
  FOR_DEFINED(e, k, f) {
    body->len = 0;
    encode_fn(body, e, f);
    if (body->failed) x->o->failed = true;
    tw_out_uleb(x->o, body->len, 0);
    tw_out_bytes(x->o, body->data, body->len);
  }
  close_section(x->o, h, TW_SEC_CODE, s ? size_width(s) : 0);
  return true;
}

/* ---- the name section ----------------------------------------------------- */

/* Names of the added functions, in output index order. */
static uint32_t put_new_names(emitter *x) {
  uint32_t n = 0;
  tw_buf *nm = &x->scratch;
  FOR_DEFINED(x->e, k, f) {
    nm->len = 0;
    tw_fn_name(x->e, f, nm);
    if (nm->failed) x->o->failed = true;
    tw_out_uleb(x->o, x->e->out[tw_edit_fn_id(x->e, k)], 0);
    tw_out_uleb(x->o, nm->len, 0);
    tw_out_bytes(x->o, nm->data, nm->len);
    n++;
  }
  return n;
}

static void put_new_names_subsection(emitter *x) {
  const hole sub = open_section(x->o);
  tw_out_uleb(x->o, tw_edit_ndefined(x->e), 0);
  put_new_names(x);
  close_section(x->o, sub, 1, 0);
}

/* A name map (indirect: an indirect name map) of subsection `id`, whose
 * contents are [from, to): renumbered, without the entries of removed
 * imports; function names also get the new names. edit.c checked that the
 * map is framed, sorted and in range. */
static void put_name_map(emitter *x, uint8_t id, size_t from, size_t to) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  const uint32_t first_added = e->out_nfuncs - tw_edit_ndefined(e);
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, from, to, &scratch);
  uint32_t n = 0, kept = 0;
  tw_read_u32(&c, &n, "name map");
  const size_t count_width = c.pos - from;
  const hole count = dig(x->o);
  if (!e->renumbered) {
    kept = n;
    tw_out_input(x->o, from + count_width, to);
  }
  for (uint32_t i = 0; e->renumbered && i < n; i++) {
    uint32_t idx = 0, inner = 0, li = 0, len = 0;
    size_t s = 0;
    const size_t at = c.pos;
    tw_read_u32(&c, &idx, "function index");
    const size_t after_idx = c.pos;
    if (id == 1) {
      tw_read_name(&c, &s, &len, "name");
    } else {
      tw_read_u32(&c, &inner, "name map");
      for (uint32_t j = 0; j < inner; j++) {
        tw_read_u32(&c, &li, "index");
        tw_read_name(&c, &s, &len, "name");
      }
    }
    if (e->out[idx] >= first_added) continue; /* a removed import */
    kept++;
    tw_out_uleb(x->o, e->out[idx], width_for(e->out[idx], after_idx - at));
    tw_out_input(x->o, after_idx, c.pos);
  }
  if (id == 1) kept += put_new_names(x);
  fill(x->o, count, -1, kept, width_for(kept, count_width));
}

static bool emit_names(emitter *x, const tw_section *s) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  const bool new_names = tw_edit_ndefined(e) > 0;
  if (e->renumbered) tw_module_need(m, s->start, s->end - s->start); /* every entry is decoded */
  const hole h = open_section(x->o);
  tw_out_input(x->o, s->body, s->name_start + s->name_len); /* the section's own name */
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, s->name_start + s->name_len, s->end, &scratch);
  bool func_names = false;
  while (c.pos < c.end) {
    tw_subsection ss;
    if (!tw_read_subsection(&c, &ss)) {
      tw_err_set(x->err, TW_ERR_MALFORMED, c.pos, "name section: malformed subsection");
      return false; /* edit.c checked the framing: never reached */
    }
    const size_t start = ss.start, body = ss.body;
    const uint8_t id = ss.id;
    const uint32_t len = ss.len;
    if (id > 1 && !func_names && new_names) { /* function names go before this one */
      put_new_names_subsection(x);
      func_names = true;
    }
    if (id == 1 || (e->renumbered && id >= 2 && id <= 3)) {
      const hole sub = open_section(x->o);
      put_name_map(x, id, body, body + len);
      close_section(x->o, sub, id, body - start - 1);
      func_names |= id == 1;
    } else {
      tw_out_input(x->o, start, c.pos);
    }
  }
  if (!func_names && new_names) put_new_names_subsection(x);
  close_section(x->o, h, TW_SEC_CUSTOM, size_width(s));
  return true;
}

/* ---- the module ------------------------------------------------------------ */

static bool rebuilds(const tw_edit *e, uint8_t id) {
  const bool defines = tw_edit_ndefined(e) > 0;
  switch (id) {
  case TW_SEC_TYPE: return tw_edit_ntypes_added(e) > 0;
  case TW_SEC_IMPORT: return e->nimports_removed + e->nimports_added > 0;
  case TW_SEC_FUNCTION: return defines;
  case TW_SEC_CODE: return defines || e->renumbered;
  case TW_SEC_GLOBAL: return e->nglobals > 0 || e->renumbered;
  case TW_SEC_EXPORT: return true; /* emit_exports copies it when nothing changes */
  case TW_SEC_TABLE: case TW_SEC_START: case TW_SEC_ELEM: return e->renumbered;
  case TW_SEC_DATACOUNT: case TW_SEC_DATA: return e->add_data;
  default: return false;
  }
}

static bool emit_section(emitter *x, uint8_t id, const tw_section *s) {
  switch (id) {
  case TW_SEC_TYPE: return emit_types(x, s);
  case TW_SEC_IMPORT: return emit_imports(x, s);
  case TW_SEC_FUNCTION: return emit_functions(x, s);
  case TW_SEC_GLOBAL: return emit_globals(x, s);
  case TW_SEC_EXPORT: return emit_exports(x, s);
  case TW_SEC_CODE: return emit_code(x, s);
  case TW_SEC_TABLE: case TW_SEC_START: case TW_SEC_ELEM: return emit_patched(x, s);
  case TW_SEC_DATACOUNT: return emit_datacount(x, s);
  case TW_SEC_DATA: return emit_data(x, s);
  default: return false;
  }
}

/* Sections the edit may have to create, in rank order, and whether it does. */
static const uint8_t creatable[] = {TW_SEC_TYPE,   TW_SEC_IMPORT,    TW_SEC_FUNCTION,
                                    TW_SEC_GLOBAL, TW_SEC_EXPORT,    TW_SEC_DATACOUNT,
                                    TW_SEC_CODE,   TW_SEC_DATA};

static bool needs_new(const tw_edit *e, uint8_t id) {
  switch (id) {
  case TW_SEC_TYPE: return tw_edit_ntypes_added(e) > 0;
  case TW_SEC_IMPORT: return e->nimports_added > 0;
  case TW_SEC_FUNCTION: case TW_SEC_CODE: return tw_edit_ndefined(e) > 0;
  case TW_SEC_GLOBAL: return e->nglobals > 0;
  case TW_SEC_EXPORT: return e->add_exit_export;
  case TW_SEC_DATACOUNT: case TW_SEC_DATA: return e->add_data;
  default: return false;
  }
}

static bool has_section(const tw_module *m, uint8_t id) {
  for (size_t i = 0; i < m->nsections; i++)
    if (m->sections[i].id == id) return true;
  return false;
}

/* The created sections whose rank lies in (after, before]: they go right
 * after the last lower-ranked input section (docs/output-layout.md,
 * "Sections"). */
static bool insert_missing(emitter *x, int after, int before) {
  for (size_t k = 0; k < sizeof creatable; k++) {
    const uint8_t id = creatable[k];
    const int r = tw_section_rank(id);
    if (r > after && r < before && !has_section(x->m, id) && needs_new(x->e, id) &&
        !emit_section(x, id, NULL))
      return false;
  }
  return true;
}

/* The rank of the next non-custom input section after i (or past the last). */
static int next_rank(const tw_module *m, size_t i) {
  for (size_t j = i + 1; j < m->nsections; j++)
    if (m->sections[j].id != TW_SEC_CUSTOM) return tw_section_rank(m->sections[j].id);
  return 100;
}

bool tw_emit(const tw_module *m, const tw_edit *e, tw_out *o, tw_err *err) {
  emitter x = {m, e, o, err, {0}};
  memset(o, 0, sizeof *o);
  tw_out_input(o, 0, 8);
  bool ok = insert_missing(&x, 0, next_rank(m, (size_t)-1));
  for (size_t i = 0; ok && i < m->nsections; i++) {
    const tw_section *s = &m->sections[i];
    if (e->drop_section[i]) continue;
    if (s->id == TW_SEC_CUSTOM) {
      if ((long)i == m->sec_name && e->names_rebuild) ok = emit_names(&x, s);
      else tw_out_input(o, s->start, s->end);
      continue;
    }
    ok = rebuilds(e, s->id) ? emit_section(&x, s->id, s) : (tw_out_input(o, s->start, s->end), true);
    if (ok) ok = insert_missing(&x, tw_section_rank(s->id), next_rank(m, i));
  }
  tw_buf_free(&x.scratch);
  if (ok && o->failed) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory while building the output");
    ok = false;
  }
  if (ok) { /* the output offset of every segment */
    uint64_t at = 0;
    for (size_t i = 0; i < o->nsegs; i++) o->segs[i].at = at, at += o->segs[i].len;
  }
  return ok;
}
