/* libFuzzer target on the instruction decoder (src/instr.c): tw_skip_locals
 * and tw_instr_next over one function body, as renumbering and the
 * verifier walk every body.
 *
 * Input: a body without its size (local declarations, then instructions),
 * copied to a buffer of exactly its size so ASan sees any read past its end.
 * The walk stops at the `end` that closes the body, at the input's end or at
 * the first error. The seeds (seeds.c `bodies`) are the bodies of every seed
 * module of fuzz_rewrite.
 *
 * Invariants (a trap makes libFuzzer keep the input):
 *   - an instruction starts where the one before ended and is not empty;
 *     its prefix is 0 or one of 0xfb..0xfe; nest is -1, 0 or 1
 *   - a function index lies inside its instruction and is the minimal or
 *     padded LEB128 there (tw_leb_read_u32 reads the same value and width)
 *   - an instruction decodes alike from its own bytes alone (in a buffer of
 *     exactly its size), whichever of the decoder's two paths reads it
 *   - a failure leaves the cursor where it was and sets a malformed or
 *     unsupported error at an offset inside the rest of the body */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "instr.h"
#include "leb.h"

#include "invariant.h"

/* The instruction i (decoded from base) again from a copy of its bytes. */
static void check_alone(const uint8_t *base, const tw_instr *i) {
  const size_t len = i->end - i->start;
  uint8_t *copy = malloc(len);
  CHECK(copy != NULL);
  memcpy(copy, base + i->start, len);
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(copy, 0, len, &err);
  tw_instr j;
  CHECK(tw_instr_next(&c, &j));
  CHECK(j.start == 0 && j.end == len && c.pos == len);
  CHECK(j.prefix == i->prefix && j.code == i->code && j.nest == i->nest);
  CHECK(j.has_func == i->has_func);
  if (j.has_func)
    CHECK(j.func == i->func && j.func_pos == i->func_pos - i->start && j.func_len == i->func_len);
  free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *body = malloc(size ? size : 1);
  CHECK(body != NULL);
  if (size) memcpy(body, data, size);
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(body, 0, size, &err);
  if (!tw_skip_locals(&c)) {
    CHECK(c.pos == 0 && err.code == TW_ERR_MALFORMED && err.offset <= size);
    free(body);
    return 0;
  }
  long depth = 0;
  while (c.pos < c.end) {
    const size_t at = c.pos;
    tw_instr i;
    if (!tw_instr_next(&c, &i)) {
      CHECK(c.pos == at);
      CHECK(err.code == TW_ERR_MALFORMED || err.code == TW_ERR_UNSUPPORTED);
      CHECK(err.offset >= at && err.offset <= size);
      break;
    }
    CHECK(i.start == at && i.end > at && i.end == c.pos && i.end <= size);
    CHECK(i.prefix == 0 || (i.prefix >= 0xfb && i.prefix <= 0xfe));
    CHECK(i.nest >= TW_NEST_CLOSE && i.nest <= TW_NEST_OPEN);
    if (i.has_func) {
      CHECK(i.func_pos > i.start && i.func_len >= 1 && i.func_len <= 5);
      CHECK(i.func_pos + i.func_len <= i.end);
      uint32_t v = 0;
      size_t len = 0;
      CHECK(tw_leb_read_u32(body + i.func_pos, i.end - i.func_pos, &v, &len) == TW_LEB_OK);
      CHECK(v == i.func && len == i.func_len);
    }
    check_alone(body, &i);
    depth += i.nest;
    if (depth < 0) break; /* the body's own end */
  }
  free(body);
  return 0;
}
