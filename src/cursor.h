/* The reader cursor (src/cursor.c): bytes, LEB128 numbers, byte strings and
 * names read from the input, each failure recorded as an error at its
 * offset. Offsets are absolute in the whole input so errors point at the
 * right byte. Every read returns false on failure, records the error, and
 * leaves pos unchanged. */
#ifndef TW_CURSOR_H
#define TW_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "name.h" /* tw_read_name's rule: tw_utf8_valid */

typedef struct tw_cursor {
  const uint8_t *base; /* start of the whole input */
  size_t pos;          /* absolute offset of the next byte */
  size_t end;          /* absolute offset one past the last readable byte */
  tw_err *err;
  const char **gap;    /* if set: where to note the first encoding libwabt
                          1.0.32 cannot read (for --verify=full) */
} tw_cursor;

tw_cursor tw_cursor_make(const uint8_t *base, size_t pos, size_t end, tw_err *err);
static inline size_t tw_cursor_left(const tw_cursor *c) { return c->end - c->pos; }
/* Note `what` as the first construct libwabt cannot read, if none is yet. */
static inline void tw_cursor_note_gap(tw_cursor *c, const char *what) {
  if (c->gap && !*c->gap) *c->gap = what;
}
bool tw_read_u8_slow(tw_cursor *c, uint8_t *out, const char *what);
bool tw_read_u32_slow(tw_cursor *c, uint32_t *out, const char *what);
/* The common cases inline (decoding every body is the cost of renumbering
 * and of its check): a byte that is there, a one-byte LEB128. */
static inline bool tw_read_u8(tw_cursor *c, uint8_t *out, const char *what) {
  if (c->pos < c->end) {
    *out = c->base[c->pos++];
    return true;
  }
  return tw_read_u8_slow(c, out, what);
}
static inline bool tw_read_u32(tw_cursor *c, uint32_t *out, const char *what) {
  if (c->pos < c->end && c->base[c->pos] < 0x80) {
    *out = c->base[c->pos++];
    return true;
  }
  return tw_read_u32_slow(c, out, what);
}
bool tw_read_u64_slow(tw_cursor *c, uint64_t *out, const char *what);
bool tw_read_s32_slow(tw_cursor *c, int32_t *out, const char *what);
static inline bool tw_read_u64(tw_cursor *c, uint64_t *out, const char *what) {
  if (c->pos < c->end && c->base[c->pos] < 0x80) {
    *out = c->base[c->pos++];
    return true;
  }
  return tw_read_u64_slow(c, out, what);
}
static inline bool tw_read_s32(tw_cursor *c, int32_t *out, const char *what) {
  if (c->pos < c->end && c->base[c->pos] < 0x80) { /* bit 6 is the sign */
    const uint8_t b = c->base[c->pos++];
    *out = (b & 0x40) ? (int32_t)b - 0x80 : (int32_t)b;
    return true;
  }
  return tw_read_s32_slow(c, out, what);
}
bool tw_read_s33(tw_cursor *c, int64_t *out, const char *what);
bool tw_read_s64(tw_cursor *c, int64_t *out, const char *what);
/* A length-prefixed byte string; *start is its absolute offset. */
bool tw_read_bytes(tw_cursor *c, size_t *start, uint32_t *len, const char *what);
/* Like tw_read_bytes, and the bytes must be valid UTF-8 (spec 5.2.4). */
bool tw_read_name(tw_cursor *c, size_t *start, uint32_t *len, const char *what);
bool tw_skip(tw_cursor *c, size_t n, const char *what);
/* A subsection of the name section (spec 7.4.1): its id and its contents. */
typedef struct tw_subsection {
  size_t start;   /* its id byte */
  uint8_t id;
  size_t body;    /* its contents */
  uint32_t len;
} tw_subsection;
bool tw_read_subsection(tw_cursor *c, tw_subsection *out);

#endif /* TW_CURSOR_H */
