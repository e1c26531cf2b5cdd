/* The output as segments (src/out.c): ranges of the input, and new bytes
 * in the output's own pool (docs/output-layout.md, "Segments"). Untouched
 * bytes stay input ranges; they are never read by the emitter (emit.c).
 * The verifier (verify.c) checks the list; write.c writes it. */
#ifndef TW_OUT_H
#define TW_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum tw_seg_kind { TW_SEG_INPUT = 0, TW_SEG_NEW = 1 } tw_seg_kind;

typedef struct tw_seg {
  uint64_t src;    /* TW_SEG_INPUT: input offset; TW_SEG_NEW: pool offset */
  uint64_t at;     /* its offset in the output */
  uint32_t len;    /* a longer input range takes several segments */
  uint8_t kind;
} tw_seg;

typedef struct tw_out {
  tw_seg *segs;
  size_t nsegs, cap;
  tw_buf pool;     /* the new bytes */
  uint64_t size;   /* the output's size */
  bool failed;     /* out of memory (sticky) */
  /* What the emitter noticed, for warnings. */
  bool code_moved;    /* existing bodies moved in the code section */
} tw_out;

void tw_out_free(tw_out *o);
void tw_out_input(tw_out *o, uint64_t from, uint64_t to);
void tw_out_bytes(tw_out *o, const void *p, size_t n);
void tw_out_byte(tw_out *o, uint8_t v);
void tw_out_uleb(tw_out *o, uint64_t v, size_t width);
/* Append an empty segment for the caller to fill; NULL (and o->failed)
 * when out of memory. */
tw_seg *tw_out_push(tw_out *o);
/* The bytes of a TW_SEG_NEW segment. */
static inline const uint8_t *tw_out_seg_data(const tw_out *o, const tw_seg *s) {
  return o->pool.data + s->src;
}
/* Copy output bytes [pos, pos+n) into dst (input is the input's bytes). */
bool tw_out_read(const tw_out *o, const uint8_t *input, uint64_t pos, void *dst, size_t n);

#endif /* TW_OUT_H */
