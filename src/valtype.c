/* Value types, heap types and limits (valtype.h). */
#include "err.h"
#include "valtype.h"

/* Abstract heap types and reference-type shorthands (function references,
 * GC and exception-handling proposals). */
static bool is_abstract_heap(uint8_t b) {
  return (b >= 0x69 && b <= 0x74) || b == 0x6f || b == 0x70;
}

bool tw_read_heap_type(tw_cursor *c, const char *what) {
  const size_t at = c->pos;
  if (c->pos < c->end && is_abstract_heap(c->base[c->pos])) {
    c->pos++;
    return true;
  }
  int64_t idx = 0;
  if (!tw_read_s33(c, &idx, what)) return false;
  if (idx < 0) {
    TW_MALFORMED(c->err, at, "%s: invalid heap type", what);
    c->pos = at;
    return false;
  }
  return true;
}

bool tw_read_val_type(tw_cursor *c, bool storage, const char *what) {
  const size_t at = c->pos;
  uint8_t b = 0;
  if (!tw_read_u8(c, &b, what)) return false;
  if (b >= 0x7b && b <= 0x7f) return true;               /* i32 i64 f32 f64 v128 */
  if (storage && (b == 0x78 || b == 0x77)) return true;  /* i8 i16 (packed); GC noted */
  if (is_abstract_heap(b)) {                             /* funcref, externref, ... */
    if (b != 0x70 && b != 0x6f) tw_cursor_note_gap(c, "GC or exception reference types");
    return true;
  }
  if (b == 0x63 || b == 0x64) {                          /* ref null ht, ref ht */
    tw_cursor_note_gap(c, "typed references (ref ht)");
    if (tw_read_heap_type(c, what)) return true;
    c->pos = at;
    return false;
  }
  TW_MALFORMED(c->err, at, "%s: malformed value type 0x%02x", what, b);
  c->pos = at;
  return false;
}

bool tw_read_limits(tw_cursor *c, bool table, uint8_t *flags_out, const char *what) {
  const size_t at = c->pos;
  uint8_t flags = 0;
  if (!tw_read_u8(c, &flags, what)) return false;
  if (flags_out) *flags_out = flags;
  /* bit 0: has max, bit 1: shared (threads), bit 2: 64-bit index (memory64),
   * bit 3: custom page size (custom-page-sizes proposal). Tables are never
   * shared and have no pages: only bits 0 and 2 (spec 5.3.10, table64). */
  if (flags & (table ? ~0x05u : ~0x0fu)) {
    TW_MALFORMED(c->err, at, "%s: malformed limits flags 0x%02x", what, flags);
    return false;
  }
  const bool wide = flags & 0x04;
  uint64_t v64 = 0;
  uint32_t v32 = 0;
  for (int k = 0; k < ((flags & 1) ? 2 : 1); k++) {
    if (wide ? !tw_read_u64(c, &v64, what) : !tw_read_u32(c, &v32, what)) return false;
  }
  if (flags & 0x08) {
    tw_cursor_note_gap(c, "custom page sizes");
    return tw_read_u32(c, &v32, "page size");
  }
  return true;
}
