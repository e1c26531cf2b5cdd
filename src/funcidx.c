/* Where the function indices are in the input (funcidx.h). */
#include "err.h"
#include "funcidx.h"
#include "instr.h"
#include "valtype.h"

/* Instructions from c->pos: a whole constant expression (to the end that
 * closes it) when `to` is 0, else everything up to `to` (a function body).
 * Only an expression counts its nesting; each open block takes an input
 * byte, so a size_t depth cannot overflow. */
static bool walk_instrs(tw_cursor *c, size_t to, tw_funcidx_fn site, void *ctx) {
  size_t depth = 0;
  for (;;) {
    if (to && c->pos == to) return true;
    tw_instr in;
    if (!tw_instr_next(c, &in)) return false;
    if (in.has_func && !site(ctx, in.func_pos, in.func_len, in.func)) return false;
    if (to) continue;
    if (in.nest == TW_NEST_OPEN) depth++;
    if (in.nest == TW_NEST_CLOSE && depth-- == 0) return true;
  }
}

/* One constant expression, to the end that closes it. */
static bool walk_expr(tw_cursor *c, tw_funcidx_fn site, void *ctx) {
  return walk_instrs(c, 0, site, ctx);
}

bool tw_walk_body(tw_cursor *c, tw_funcidx_fn site, void *ctx) {
  return tw_skip_locals(c) && walk_instrs(c, c->end, site, ctx);
}

bool tw_walk_funcidx(tw_cursor *c, tw_funcidx_fn site, void *ctx) {
  const size_t at = c->pos;
  uint32_t f = 0;
  return tw_read_u32(c, &f, "function index") && site(ctx, at, c->pos - at, f);
}

/* Tables: `reftype limits`, or `0x40 0x00 reftype limits expr` with an
 * initialiser (function references). */
bool tw_walk_tables(tw_cursor *c, tw_funcidx_fn site, void *ctx) {
  uint32_t n = 0;
  if (!tw_read_u32(c, &n, "table section")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const bool init = c->pos + 1 < c->end && c->base[c->pos] == 0x40 && c->base[c->pos + 1] == 0;
    if (init) c->pos += 2;
    if (!tw_read_val_type(c, false, "table type") ||
        !tw_read_limits(c, true, NULL, "table limits"))
      return false;
    if (init && !walk_expr(c, site, ctx)) return false;
  }
  return true;
}

/* Elements (spec 5.5.12): flags 0-7 say whether a table index, an offset,
 * an element kind or type, and function indices or expressions follow. */
bool tw_walk_elems(tw_cursor *c, tw_funcidx_fn site, void *ctx) {
  uint32_t n = 0;
  if (!tw_read_u32(c, &n, "element section")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const size_t at = c->pos;
    uint32_t flags = 0, u = 0, k = 0;
    uint8_t b = 0;
    if (!tw_read_u32(c, &flags, "element segment flags")) return false;
    if (flags > 7) return TW_MALFORMED(c->err, at, "malformed element segment flags %u", flags), false;
    if ((flags & 3) == 2 && !tw_read_u32(c, &u, "table index")) return false;
    if (!(flags & 1) && !walk_expr(c, site, ctx)) return false; /* active: offset */
    if (flags & 3) {
      if ((flags & 4) ? !tw_read_val_type(c, false, "element type")
                      : !tw_read_u8(c, &b, "element kind"))
        return false;
    }
    if (!tw_read_u32(c, &k, "element count")) return false;
    for (uint32_t j = 0; j < k; j++)
      if ((flags & 4) ? !walk_expr(c, site, ctx) : !tw_walk_funcidx(c, site, ctx)) return false;
  }
  return true;
}

bool tw_walk_globals(tw_cursor *c, uint32_t n, tw_funcidx_fn site, void *ctx) {
  uint8_t mut = 0;
  for (uint32_t i = 0; i < n; i++)
    if (!tw_read_val_type(c, false, "global type") || !tw_read_u8(c, &mut, "mutability") ||
        !walk_expr(c, site, ctx))
      return false;
  return true;
}
