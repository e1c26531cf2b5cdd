/* The output buffer (src/buf.c): one growable byte buffer with a sticky
 * failure flag, so callers append freely and check once at the end. */
#ifndef TW_BUF_H
#define TW_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tw_buf {
  uint8_t *data;
  size_t len;
  size_t cap;
  bool failed;
} tw_buf;

void tw_buf_free(tw_buf *b);
void tw_buf_put_u8(tw_buf *b, uint8_t v);
void tw_buf_put(tw_buf *b, const void *p, size_t n);
void tw_buf_put_uleb(tw_buf *b, uint64_t v);
/* Unsigned LEB in at least `width` bytes (the original field's width), so an
 * unchanged-width field keeps later offsets stable. */
void tw_buf_put_uleb_width(tw_buf *b, uint64_t v, size_t width);
void tw_buf_put_sleb(tw_buf *b, int64_t v);

#endif /* TW_BUF_H */
