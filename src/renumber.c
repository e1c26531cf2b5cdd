/* Function-index renumbering: where, in the input, a function index sits
 * whose output index differs (calls, return_call and ref.func in code and in
 * every constant expression, element segments, the start function). The
 * emitter patches them, each keeping its LEB128 width when the new value
 * fits (wasm-ld writes them 5 bytes wide), so bodies keep their sizes and
 * offsets and DWARF stays valid unless an index had to grow. */
#include <stdlib.h>

#include "edit.h"

void tw_patches_free(tw_patches *p) {
  free(p->v);
  p->v = NULL;
  p->n = p->cap = 0;
}

static bool add_patch(tw_patches *p, const tw_edit *e, size_t pos, size_t len, uint32_t old,
                      tw_err *err) {
  if (old >= e->m->nfuncs) {
    TW_MALFORMED(err, pos, "function index %u out of range (%u functions)", old, e->m->nfuncs);
    return false;
  }
  const uint32_t v = e->out[old];
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
static bool scan_instrs(tw_cursor *c, size_t to, const tw_edit *e, tw_patches *p) {
  int depth = 0;
  for (;;) {
    if (to && c->pos == to) return true;
    tw_instr in;
    if (!tw_instr_next(c, &in)) return false;
    if (in.has_func && !add_patch(p, e, in.func_pos, in.func_len, in.func, c->err)) return false;
    depth += in.nest;
    if (!to && depth < 0) return true;
  }
}

static bool scan_funcidx(tw_cursor *c, const tw_edit *e, tw_patches *p) {
  const size_t at = c->pos;
  uint32_t f = 0;
  return tw_read_u32(c, &f, "function index") && add_patch(p, e, at, c->pos - at, f, c->err);
}

/* Elements (spec 5.5.12): flags 0-7 say whether a table index, an offset,
 * an element kind or type, and function indices or expressions follow. */
static bool scan_elem(tw_cursor *c, const tw_edit *e, tw_patches *p) {
  uint32_t n = 0;
  if (!tw_read_u32(c, &n, "element section")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const size_t at = c->pos;
    uint32_t flags = 0, u = 0, k = 0;
    uint8_t b = 0;
    if (!tw_read_u32(c, &flags, "element segment flags")) return false;
    if (flags > 7) return TW_MALFORMED(c->err, at, "malformed element segment flags %u", flags), false;
    if ((flags & 3) == 2 && !tw_read_u32(c, &u, "table index")) return false;
    if (!(flags & 1) && !scan_instrs(c, 0, e, p)) return false; /* active: offset */
    if (flags & 3) {
      if ((flags & 4) ? !tw_read_val_type(c, false, "element type")
                      : !tw_read_u8(c, &b, "element kind"))
        return false;
    }
    if (!tw_read_u32(c, &k, "element count")) return false;
    for (uint32_t j = 0; j < k; j++)
      if ((flags & 4) ? !scan_instrs(c, 0, e, p) : !scan_funcidx(c, e, p)) return false;
  }
  return true;
}

static bool scan_globals(tw_cursor *c, const tw_edit *e, tw_patches *p) {
  uint32_t n = 0;
  uint8_t mut = 0;
  if (!tw_read_u32(c, &n, "global section")) return false;
  for (uint32_t i = 0; i < n; i++)
    if (!tw_read_val_type(c, false, "global type") || !tw_read_u8(c, &mut, "mutability") ||
        !scan_instrs(c, 0, e, p))
      return false;
  return true;
}

/* Tables: `reftype limits`, or `0x40 0x00 reftype limits expr` with an
 * initialiser (function references). */
static bool scan_tables(tw_cursor *c, const tw_edit *e, tw_patches *p) {
  uint32_t n = 0;
  if (!tw_read_u32(c, &n, "table section")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const bool init = c->pos + 1 < c->end && c->base[c->pos] == 0x40 && c->base[c->pos + 1] == 0;
    if (init) c->pos += 2;
    if (!tw_read_val_type(c, false, "table type") ||
        !tw_read_limits(c, true, NULL, "table limits"))
      return false;
    if (init && !scan_instrs(c, 0, e, p)) return false;
  }
  return true;
}

bool tw_renumber_section(const tw_edit *e, uint8_t id, size_t from, size_t to, tw_patches *p,
                         tw_err *err) {
  tw_cursor c = tw_cursor_make(e->m->data, from, to, err);
  bool ok = false;
  const char *what = "section";
  switch (id) {
  case TW_SEC_TABLE: ok = scan_tables(&c, e, p), what = "table section"; break;
  case TW_SEC_GLOBAL: ok = scan_globals(&c, e, p), what = "global section"; break;
  case TW_SEC_START: ok = scan_funcidx(&c, e, p), what = "start section"; break;
  case TW_SEC_ELEM: ok = scan_elem(&c, e, p), what = "element section"; break;
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
  const bool ok = tw_skip_locals(&c) && scan_instrs(&c, b->end, e, p);
  if (!ok && !tw_err_failed(err)) TW_MALFORMED(err, c.pos, "malformed function body");
  return ok;
}
