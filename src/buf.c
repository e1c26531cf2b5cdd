/* The output buffer (buf.h). */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "buf.h"
#include "leb.h"

void tw_buf_free(tw_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

/* Room for `extra` more bytes; a failure is sticky (b->failed). */
static bool buf_reserve(tw_buf *b, size_t extra) {
  if (b->failed) return false;
  if (extra > SIZE_MAX - b->len ||
      !tw_grow_to((void **)&b->data, &b->cap, b->len + extra, SIZE_MAX, 1)) {
    b->failed = true;
    return false;
  }
  return true;
}

void tw_buf_put(tw_buf *b, const void *p, size_t n) {
  if (n == 0 || !buf_reserve(b, n)) return;
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

void tw_buf_put_u8(tw_buf *b, uint8_t v) { tw_buf_put(b, &v, 1); }

void tw_buf_put_uleb_width(tw_buf *b, uint64_t v, size_t width) {
  uint8_t tmp[16];
  tw_buf_put(b, tmp, tw_leb_write_u64(tmp, v, width));
}

void tw_buf_put_uleb(tw_buf *b, uint64_t v) { tw_buf_put_uleb_width(b, v, 0); }

void tw_buf_put_sleb(tw_buf *b, int64_t v) {
  uint8_t tmp[16];
  tw_buf_put(b, tmp, tw_leb_write_s64(tmp, v));
}
