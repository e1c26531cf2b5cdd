/* The output as segments (out.h). */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "leb.h"
#include "out.h"

tw_seg *tw_out_push(tw_out *o) {
  if (!tw_grow_to((void **)&o->segs, &o->cap, o->nsegs + 1, SIZE_MAX, sizeof *o->segs)) {
    o->failed = true;
    return NULL;
  }
  return &o->segs[o->nsegs++];
}

void tw_out_free(tw_out *o) {
  if (!o) return;
  free(o->segs);
  tw_buf_free(&o->pool);
  memset(o, 0, sizeof *o);
}

void tw_out_input(tw_out *o, uint64_t from, uint64_t to) {
  while (to > from) {
    tw_seg *last = o->nsegs ? &o->segs[o->nsegs - 1] : NULL;
    if (last && last->kind == TW_SEG_INPUT && last->src + last->len == from &&
        last->len < UINT32_MAX) {
      const uint64_t k = to - from < UINT32_MAX - last->len ? to - from : UINT32_MAX - last->len;
      last->len += (uint32_t)k;
      o->size += k;
      from += k;
      continue;
    }
    tw_seg *s = tw_out_push(o);
    if (!s) return;
    const uint64_t k = to - from < UINT32_MAX ? to - from : UINT32_MAX;
    *s = (tw_seg){from, 0, (uint32_t)k, TW_SEG_INPUT};
    o->size += k;
    from += k;
  }
}

void tw_out_bytes(tw_out *o, const void *p, size_t n) {
  if (n == 0) return;
  const size_t at = o->pool.len;
  tw_buf_put(&o->pool, p, n);
  if (o->pool.failed) {
    o->failed = true;
    return;
  }
  o->size += n;
  tw_seg *last = o->nsegs ? &o->segs[o->nsegs - 1] : NULL;
  if (last && last->kind == TW_SEG_NEW && last->src + last->len == at &&
      n <= UINT32_MAX - last->len) {
    last->len += (uint32_t)n;
    return;
  }
  tw_seg *s = tw_out_push(o);
  if (s) *s = (tw_seg){at, 0, (uint32_t)n, TW_SEG_NEW};
}

void tw_out_byte(tw_out *o, uint8_t v) { tw_out_bytes(o, &v, 1); }

void tw_out_uleb(tw_out *o, uint64_t v, size_t width) {
  uint8_t tmp[16];
  tw_out_bytes(o, tmp, tw_leb_write_u64(tmp, v, width));
}

bool tw_out_read(const tw_out *o, const uint8_t *input, uint64_t pos, void *dst, size_t n) {
  uint8_t *d = dst;
  uint64_t at = 0;
  for (size_t i = 0; i < o->nsegs && n > 0; i++) {
    const tw_seg *s = &o->segs[i];
    if (pos >= at + s->len) {
      at += s->len;
      continue;
    }
    const uint64_t off = pos - at, k = s->len - off < n ? s->len - off : n;
    memcpy(d, s->kind == TW_SEG_INPUT ? input + s->src + off : o->pool.data + s->src + off, k);
    d += k, pos += k, n -= k, at += s->len;
  }
  return n == 0;
}
