/* The reader cursor (cursor.h). */
#include "cursor.h"
#include "leb.h"
#include "name.h"
#include "taskwrap.h"

tw_cursor tw_cursor_make(const uint8_t *base, size_t pos, size_t end, tw_err *err) {
  tw_cursor c = {base, pos, end, err, NULL};
  return c;
}

static bool leb_failed(tw_cursor *c, tw_leb_status s, const char *what) {
  switch (s) {
  case TW_LEB_OK: return false;
  case TW_LEB_TRUNCATED:
    tw_err_set(c->err, TW_ERR_MALFORMED, c->pos, "unexpected end of %s (truncated LEB128)", what);
    break;
  case TW_LEB_OVERLONG:
    tw_err_set(c->err, TW_ERR_MALFORMED, c->pos, "%s: integer representation too long", what);
    break;
  case TW_LEB_OVERFLOW:
    tw_err_set(c->err, TW_ERR_MALFORMED, c->pos, "%s: integer too large", what);
    break;
  }
  return true;
}

bool tw_read_u8_slow(tw_cursor *c, uint8_t *out, const char *what) {
  if (c->pos >= c->end) {
    tw_err_set(c->err, TW_ERR_MALFORMED, c->pos, "unexpected end of %s", what);
    return false;
  }
  *out = c->base[c->pos++];
  return true;
}

/* One reader per LEB128 width; the macro keeps the five identical. */
#define TW_READ_LEB(fn, T, decode)                                      \
  bool fn(tw_cursor *c, T *out, const char *what) {                     \
    size_t len = 0;                                                     \
    T v = 0;                                                            \
    tw_leb_status s = decode(c->base + c->pos, c->end - c->pos, &v, &len); \
    if (leb_failed(c, s, what)) return false;                           \
    c->pos += len;                                                      \
    *out = v;                                                           \
    return true;                                                        \
  }
TW_READ_LEB(tw_read_u32_slow, uint32_t, tw_leb_read_u32)
TW_READ_LEB(tw_read_u64_slow, uint64_t, tw_leb_read_u64)
TW_READ_LEB(tw_read_s32_slow, int32_t, tw_leb_read_s32)
TW_READ_LEB(tw_read_s33, int64_t, tw_leb_read_s33)
TW_READ_LEB(tw_read_s64, int64_t, tw_leb_read_s64)
#undef TW_READ_LEB

bool tw_skip(tw_cursor *c, size_t n, const char *what) {
  if (n > c->end - c->pos) {
    tw_err_set(c->err, TW_ERR_MALFORMED, c->pos, "unexpected end of %s (%zu bytes needed, %zu left)",
               what, n, c->end - c->pos);
    return false;
  }
  c->pos += n;
  return true;
}

bool tw_read_bytes(tw_cursor *c, size_t *start, uint32_t *len, const char *what) {
  const size_t saved = c->pos;
  uint32_t n = 0;
  if (!tw_read_u32(c, &n, what)) return false;
  const size_t at = c->pos;
  if (!tw_skip(c, n, what)) {
    c->pos = saved;
    return false;
  }
  *start = at;
  *len = n;
  return true;
}

bool tw_read_subsection(tw_cursor *c, tw_subsection *out) {
  const size_t at = c->pos;
  out->start = at;
  if (tw_read_u8(c, &out->id, "name subsection id") &&
      tw_read_bytes(c, &out->body, &out->len, "name subsection"))
    return true;
  c->pos = at;
  return false;
}

bool tw_read_name(tw_cursor *c, size_t *start, uint32_t *len, const char *what) {
  const size_t saved = c->pos;
  if (!tw_read_bytes(c, start, len, what)) return false;
  if (!tw_utf8_valid(c->base + *start, *len)) {
    tw_err_set(c->err, TW_ERR_MALFORMED, *start, "%s: malformed UTF-8 encoding", what);
    c->pos = saved;
    return false;
  }
  return true;
}
