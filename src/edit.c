/* The one module edit: what the planners add to it, and the one numbering
 * of the output's function space (src/edit.h). */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cursor.h"
#include "edit.h"
#include "err.h"
#include "funcidx.h"
#include "module.h"
#include "opcodes.h"
#include "section.h"
#include "wasifs.h"
#include "world.h"

/* What an allocation failure names (tw_alloc_array). */
static const char the_edit[] = "the edit";

bool tw_edit_init(tw_edit *e, const tw_module *m, tw_err *err) {
  memset(e, 0, sizeof *e);
  e->m = m;
  e->abi = TW_ABI_NONE;
  e->hook = e->init_async = TW_NONE;
  e->rom_fn = TW_NONE;
  e->lib_section = -1;
  e->ntypes_in = m->ntypes;
  e->nglobals_in = m->nglobals;
  for (size_t i = 0; i < 5; i++) e->global_of[i] = TW_NONE;
  e->exports = tw_alloc_array(m->nexports, sizeof *e->exports, err, 0, the_edit);
  e->import_removed = tw_alloc_array(m->nimports, sizeof *e->import_removed, err, 0, the_edit);
  e->drop_section = tw_alloc_array(m->nsections, sizeof *e->drop_section, err, 0, the_edit);
  if (!e->exports || !e->import_removed || !e->drop_section) return false;
  for (uint32_t i = 0; i < m->nexports; i++) {
    tw_export_edit *x = &e->exports[i];
    /* An index out of range names no function (an invalid module): no edit
     * id, so it is never taken for an added function. */
    const bool func = m->exports[i].kind == TW_KIND_FUNC;
    x->target = func && m->exports[i].index >= m->nfuncs ? TW_NONE : m->exports[i].index;
    x->wrapper = x->guard = x->exit = x->wit_item = TW_NONE;
    x->role = m->exports[i].kind == TW_KIND_FUNC ? TW_ROLE_SYNC : TW_ROLE_NOT_FUNC;
  }
  return true;
}

void tw_edit_free(tw_edit *e) {
  if (!e) return;
  tw_world_free(e->world);
  tw_wasi_image_free(e->wasi);
  free(e->fns);
  free(e->out);
  free(e->exports);
  free(e->import_removed);
  free(e->drop_section);
  memset(e, 0, sizeof *e);
}

uint32_t tw_edit_add_fn(tw_edit *e, const tw_fn *f, tw_err *err) {
  if ((uint64_t)e->m->nfuncs + e->nfns >= UINT32_MAX - 1) {
    tw_err_set(err, TW_ERR_UNSUPPORTED, 0, "too many functions");
    return TW_NONE;
  }
  if (!tw_grow((void **)&e->fns, &e->fns_cap, e->nfns, sizeof *e->fns)) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory for the edit");
    return TW_NONE;
  }
  e->fns[e->nfns] = *f;
  switch (f->kind) {
  case TW_FN_IMPORT: e->nimports_added++; break;
  case TW_FN_WRAPPER: e->nwrappers++; break;
  case TW_FN_STUB: e->nstubs++; break;
  case TW_FN_GUARD: e->nguards++; break;
  case TW_FN_EXIT: e->nexits++; break;
  case TW_FN_ROM: e->nroms++; break;
  }
  e->changes = true;
  return e->m->nfuncs + e->nfns++;
}

void tw_edit_add_global(tw_edit *e, tw_global_role role, uint8_t valtype, int64_t init) {
  if (role == TW_GLOBAL_SLOT || e->global_of[role] != TW_NONE || e->nglobals >= 4 ||
      e->global_of[TW_GLOBAL_SLOT] != TW_NONE)
    return;
  e->global_of[role] = e->nglobals_in + e->nglobals;
  e->globals[e->nglobals++] = (tw_global){role, valtype, init};
  e->changes = true;
}

uint32_t tw_edit_fn_type(const tw_edit *e, uint32_t id) {
  const tw_fn *f = tw_edit_fn(e, id);
  if (f) return f->type;
  return id < e->m->nfuncs ? e->m->func_types[id] : TW_NONE;
}

void tw_edit_add_slots(tw_edit *e, const int64_t init[TW_WASI_SLOTS]) {
  if (e->global_of[TW_GLOBAL_SLOT] != TW_NONE) return;
  e->global_of[TW_GLOBAL_SLOT] = e->nglobals_in + e->nglobals;
  for (uint32_t k = 0; k < TW_WASI_SLOTS; k++)
    e->globals[e->nglobals++] = (tw_global){TW_GLOBAL_SLOT, VT_I64, init[k]};
  e->changes = true;
}

/* ---- appended types ---- */

/* Each shape's type section entry: the func form, the parameters' count
 * and types, the results' count and types. */
static const struct {
  uint8_t bytes[8];
  uint8_t len;
  const char *text;
} shapes[TW_TYPE_SHAPES] = {
    [TW_TYPE_OUTPUT] = {{TW_FUNC_FORM, 3, VT_I32, VT_I32, VT_I32, 0}, 6, "[i32 i32 i32] -> []"},
    [TW_TYPE_HOOK] = {{TW_FUNC_FORM, 1, VT_I32, 0}, 4, "[i32] -> []"},
    [TW_TYPE_INIT] = {{TW_FUNC_FORM, 0, 0}, 3, "[] -> []"},
    [TW_TYPE_ROM] = {{TW_FUNC_FORM, 1, VT_I32, 1, VT_I32}, 5, "[i32] -> [i32]"},
};

const uint8_t *tw_type_shape_bytes(tw_type_shape s, size_t *len) {
  *len = shapes[s].len;
  return shapes[s].bytes;
}

const char *tw_type_shape_text(tw_type_shape s) { return shapes[s].text; }

/* Is input type t a function type of shape s (each value type one byte)? */
static bool has_shape(const tw_module *m, uint32_t t, tw_type_shape s) {
  const tw_functype *f = &m->types[t];
  const uint8_t *b = shapes[s].bytes;
  const uint8_t np = b[1], nr = b[2 + np];
  return f->is_func && f->nparams == np && f->nresults == nr && f->params_end - f->params == np &&
         f->results_end - f->results == nr && memcmp(m->data + f->params, b + 2, np) == 0 &&
         memcmp(m->data + f->results, b + 3 + np, nr) == 0;
}

uint32_t tw_edit_type(tw_edit *e, tw_type_shape s) {
  for (uint32_t t = 0; t < e->m->ntypes; t++)
    if (has_shape(e->m, t, s)) return t;
  if (!e->add_type[s]) e->add_type[s] = e->changes = true;
  return TW_TYPE_PENDING + (uint32_t)s;
}

uint32_t tw_edit_added_type(const tw_edit *e, tw_type_shape s) {
  if (!e->add_type[s]) return TW_NONE;
  uint32_t t = e->ntypes_in;
  for (int k = 0; k < (int)s; k++) t += e->add_type[k];
  return t;
}

uint32_t tw_edit_ntypes_added(const tw_edit *e) {
  uint32_t n = 0;
  for (int k = 0; k < TW_TYPE_SHAPES; k++) n += e->add_type[k];
  return n;
}

/* The lookup table's function comes last: without --stub-wasi-dir the
 * order of the others is what it always was. */
const tw_fn_kind tw_defined_order[5] = {TW_FN_WRAPPER, TW_FN_STUB, TW_FN_GUARD, TW_FN_EXIT,
                                        TW_FN_ROM};

/* The output's function space, in the order of src/edit.h. */
static void number_functions(tw_edit *e) {
  const tw_module *m = e->m;
  uint32_t next = 0, f = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    if (m->imports[i].kind != TW_KIND_FUNC) continue;
    if (!e->import_removed[i]) e->out[f] = next++;
    f++;
  }
  for (uint32_t k = 0; k < e->nfns; k++)
    if (e->fns[k].kind == TW_FN_IMPORT) e->out[m->nfuncs + k] = next++;
  e->out_nimports = next;
  for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) e->out[i] = next++;
  for (size_t d = 0; d < sizeof tw_defined_order / sizeof tw_defined_order[0]; d++)
    for (uint32_t k = 0; k < e->nfns; k++)
      if (e->fns[k].kind == tw_defined_order[d]) e->out[m->nfuncs + k] = next++;
  /* A stubbed import's calls go to its stub. */
  for (uint32_t k = 0; k < e->nfns; k++)
    if (e->fns[k].kind == TW_FN_STUB) e->out[e->fns[k].import_func] = e->out[m->nfuncs + k];
  e->out_nfuncs = next;
  for (uint32_t i = 0; i < m->nfuncs; i++) e->renumbered |= e->out[i] != i;
}

/* Can the name section's index-keyed subsections (1, 2, 3) be renumbered:
 * framed, sorted by index and in range? */
static bool names_renumberable(const tw_module *m) {
  if (!m->names_ok) return false;
  const tw_section *s = &m->sections[m->sec_name];
  tw_module_need(m, s->start, s->end - s->start); /* every entry is decoded */
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, s->name_start + s->name_len, s->end, &scratch);
  while (c.pos < c.end) {
    uint8_t id = 0;
    size_t body = 0;
    uint32_t len = 0, n = 0;
    if (!tw_read_u8(&c, &id, "") || !tw_read_bytes(&c, &body, &len, "")) return false;
    if (id < 1 || id > 3) continue;
    tw_cursor sub = tw_cursor_make(m->data, body, body + len, &scratch);
    if (!tw_read_u32(&sub, &n, "")) return false;
    for (uint32_t i = 0, last = 0; i < n; i++) {
      uint32_t idx = 0, inner = 0, li = 0, nl = 0;
      size_t at = 0;
      if (!tw_read_u32(&sub, &idx, "") || idx >= m->nfuncs || (i && idx <= last)) return false;
      last = idx;
      if (id == 1) {
        if (!tw_read_name(&sub, &at, &nl, "")) return false;
        continue;
      }
      if (!tw_read_u32(&sub, &inner, "")) return false;
      for (uint32_t j = 0; j < inner; j++)
        if (!tw_read_u32(&sub, &li, "") || !tw_read_name(&sub, &at, &nl, "")) return false;
    }
    if (sub.pos != sub.end) return false;
  }
  return true;
}

static bool any_index(void *ctx, size_t pos, size_t len, uint32_t func) {
  (void)ctx, (void)pos, (void)len, (void)func;
  return true;
}

/* Globals are appended after the module's own, so the last of those must
 * not run into them: libwabt 1.0.32 accepts a last initialiser cut off by
 * the section's end, and the appended globals would be read as its rest
 * (found by fuzzing). A global this reader cannot decode (a type of a
 * proposal it does not know) says nothing of that: such a section is
 * appended to as before. */
static bool globals_whole(const tw_module *m, tw_err *err) {
  for (size_t i = 0; i < m->nsections; i++) {
    const tw_section *s = &m->sections[i];
    if (s->id != TW_SEC_GLOBAL) continue;
    tw_module_need(m, s->body, s->end - s->body);
    tw_err walk = {0};
    tw_cursor c = tw_cursor_make(m->data, s->body, s->end, &walk);
    uint32_t n = 0;
    if (tw_read_u32(&c, &n, "global section") && tw_walk_globals(&c, n, any_index, NULL)) {
      if (c.pos == c.end) return true;
      TW_MALFORMED(err, c.pos, "global section: %zu bytes after its last global", c.end - c.pos);
      return false;
    }
    if (walk.offset < s->end) return true; /* not decoded: not known to be cut off */
    TW_MALFORMED(err, s->end, "global section: its last global's initialiser has no end "
                              "(the section ends first)");
    return false;
  }
  return true;
}

bool tw_edit_finalise(tw_edit *e, tw_err *err) {
  const tw_module *m = e->m;
  const size_t n = (size_t)m->nfuncs + e->nfns;
  if (!(e->out = tw_alloc_array(n, sizeof *e->out, err, 0, the_edit))) return false;
  /* The appended types' indices, now that every planner has run. */
  for (uint32_t k = 0; k < e->nfns; k++)
    if (e->fns[k].type >= TW_TYPE_PENDING && e->fns[k].type - TW_TYPE_PENDING < TW_TYPE_SHAPES)
      e->fns[k].type = tw_edit_added_type(e, (tw_type_shape)(e->fns[k].type - TW_TYPE_PENDING));
  number_functions(e);
  /* A module that is rewritten must not keep an export of no function (one
   * that is copied as it is may: its output is its input). */
  for (uint32_t i = 0; e->changes && i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    if (x->kind == TW_KIND_FUNC && x->index >= m->nfuncs) {
      tw_err_set(err, TW_ERR_MALFORMED, x->start,
                 "export names function %u, and the module has %u functions", x->index,
                 m->nfuncs);
      return false;
    }
    /* Appended globals would give such an export a meaning it never had. */
    if (x->kind == TW_KIND_GLOBAL && x->index >= m->nglobals && e->nglobals > 0) {
      tw_err_set(err, TW_ERR_MALFORMED, x->start,
                 "export names global %u, and the module has %u globals", x->index, m->nglobals);
      return false;
    }
  }
  if (e->nglobals > 0 && !globals_whole(m, err)) return false;
  for (size_t i = 0; i < m->nsections; i++) {
    const tw_section *s = &m->sections[i];
    e->has_dwarf |= tw_section_named(m, s, ".debug_", false);
    if (e->renumbered && tw_section_named(m, s, "metadata.code.", false)) {
      e->drop_section[i] = true;
      e->dropped_code_metadata = e->changes = true;
    }
  }
  const bool named = tw_edit_ndefined(e) > 0;
  if (m->sec_name >= 0 && (named || e->renumbered)) {
    if (e->renumbered && !names_renumberable(m)) {
      e->drop_section[m->sec_name] = true;
      e->names_dropped = e->changes = true;
    } else if (!m->names_ok) {
      e->names_unusable = true;
    } else {
      e->names_rebuild = true;
    }
  }
  return true;
}
