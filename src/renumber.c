/* Function-index renumbering: where, in the input, a function index sits
 * whose output index differs (calls, return_call and ref.func in code and in
 * every constant expression, element segments, the start function). The
 * emitter patches them, each keeping its LEB128 width when the new value
 * fits (wasm-ld writes them 5 bytes wide), so bodies keep their sizes and
 * offsets and DWARF stays valid unless an index had to grow. Where the
 * indices are is funcidx.c's walk of the input. */
#include <stdlib.h>

#include "alloc.h"
#include "cursor.h"
#include "edit.h"
#include "err.h"
#include "funcidx.h"
#include "module.h"
#include "renumber.h"
#include "section.h"
#include "taskwrap.h"

void tw_patches_free(tw_patches *p) {
  free(p->v);
  p->v = NULL;
  p->n = p->cap = 0;
}

typedef struct collector {
  const tw_edit *e;
  tw_patches *p;
  tw_err *err;
} collector;

static bool add_patch(void *ctx, size_t pos, size_t len, uint32_t old) {
  collector *k = ctx;
  const tw_edit *e = k->e;
  tw_patches *p = k->p;
  if (old >= e->m->nfuncs) {
    TW_MALFORMED(k->err, pos, "function index %u out of range (%u functions)", old, e->m->nfuncs);
    return false;
  }
  const uint32_t v = e->out[old];
  if (v == old) return true;
  if (!tw_grow_to((void **)&p->v, &p->cap, p->n + 1, SIZE_MAX, sizeof *p->v))
    return tw_err_set(k->err, TW_ERR_NOMEM, pos, "out of memory"), false;
  p->v[p->n++] = (tw_patch){pos, (uint32_t)len, v};
  return true;
}

static bool walk_globals(tw_cursor *c, collector *k) {
  uint32_t n = 0;
  return tw_read_u32(c, &n, "global section") && tw_walk_globals(c, n, add_patch, k);
}

bool tw_renumber_section(const tw_edit *e, uint8_t id, size_t from, size_t to, tw_patches *p,
                         tw_err *err) {
  tw_cursor c = tw_cursor_make(e->m->data, from, to, err);
  collector k = {e, p, err};
  bool ok = false;
  const char *what = "section";
  switch (id) {
  case TW_SEC_TABLE: ok = tw_walk_tables(&c, add_patch, &k), what = "table section"; break;
  case TW_SEC_GLOBAL: ok = walk_globals(&c, &k), what = "global section"; break;
  case TW_SEC_START: ok = tw_walk_funcidx(&c, add_patch, &k), what = "start section"; break;
  case TW_SEC_ELEM: ok = tw_walk_elems(&c, add_patch, &k), what = "element section"; break;
  default: return true;
  }
  if (ok && c.pos != c.end) {
    TW_MALFORMED(err, c.pos, "%s: section size mismatch (%zu unread bytes)", what, c.end - c.pos);
    return false;
  }
  return ok;
}

bool tw_renumber_body(const tw_edit *e, const tw_body *b, tw_patches *p, tw_err *err) {
  tw_cursor c = tw_cursor_make(e->m->data, b->code, b->end, err);
  collector k = {e, p, err};
  const bool ok = tw_walk_body(&c, add_patch, &k);
  if (!ok && !tw_err_failed(err)) TW_MALFORMED(err, c.pos, "malformed function body");
  return ok;
}
