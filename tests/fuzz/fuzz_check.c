/* libFuzzer target on the verifier alone: tw_check (as --check) on an
 * (input, output) pair, both untrusted.
 *
 * Input: byte 0 chooses the options (select.h), bytes 1-4 are the input's
 * length L (little-endian; cut to what is there), then L bytes of input and
 * the rest is the output. Each side is copied to a buffer of exactly its
 * size, so ASan sees any read past its end. The seeds (seeds.c `pair`) are
 * real pairs: every fixture and its rewrite, so mutations start from outputs
 * the verifier accepts.
 *
 * Invariants (a trap makes libFuzzer keep the input):
 *   - a result always comes back, with the returned status and a message
 *   - the verifier accepts an output only if it is exactly the rewrite:
 *     tw_rewrite of the input with the same options succeeds and gives the
 *     same bytes (the input itself when nothing is rewritten)
 *   - a refusal of the output is TW_ERR_VERIFY, said to be in the output, at
 *     an offset inside it (or at its end); a refusal of the input is the
 *     input's own error, inside the input, not a verification failure */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "taskwrap.h"

#include "invariant.h"

static uint8_t *exact_copy(const uint8_t *p, size_t n) {
  uint8_t *c = malloc(n ? n : 1);
  CHECK(c != NULL);
  if (n) memcpy(c, p, n);
  return c;
}

static tw_result *check(const uint8_t *in, size_t n, const uint8_t *out, size_t on,
                        const tw_options *o, tw_status *st) {
  tw_result *r = NULL;
  *st = tw_check(in, n, out, on, o, &r);
  CHECK(r != NULL);
  CHECK(tw_result_status(r) == *st);
  CHECK(tw_result_error_message(r) != NULL);
  CHECK(*st != TW_ERR_INVALID_ARG && *st != TW_ERR_IO);
  return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 5) return 0;
  tw_options o;
  fuzz_select_options(data[0], &o);
  const size_t rest = size - 5;
  size_t n = (size_t)data[1] | (size_t)data[2] << 8 | (size_t)data[3] << 16 | (size_t)data[4] << 24;
  if (n > rest) n = rest;
  const size_t on = rest - n;
  uint8_t *in = exact_copy(data + 5, n), *out = exact_copy(data + 5 + n, on);

  tw_status st;
  tw_result *c = check(in, n, out, on, &o, &st);
  if (st == TW_OK) {
    /* Accepted: it must be the rewrite, byte for byte. */
    tw_result *r = NULL;
    const tw_status rst = tw_rewrite(in, n, &o, &r);
    CHECK(r != NULL);
    if (rst != TW_OK)
      fprintf(stderr, "fuzz_check: accepted, but the rewrite fails: %s at 0x%llx: %s\n",
              tw_status_name(rst), (unsigned long long)tw_result_error_offset(r),
              tw_result_error_message(r));
    CHECK(rst == TW_OK);
    size_t rn = 0;
    const uint8_t *rewritten = tw_result_output(r, &rn);
    CHECK(rewritten != NULL);
    if (!tw_result_input_was_text(r)) {
      if (rn != on || (on && memcmp(rewritten, out, on) != 0))
        fprintf(stderr, "fuzz_check: accepted %zu bytes, the rewrite is %zu bytes\n", on, rn);
      CHECK(rn == on && (on == 0 || memcmp(rewritten, out, on) == 0));
    }
    tw_result_free(r);
  } else if (tw_result_error_in_output(c)) {
    CHECK(st == TW_ERR_VERIFY);
    CHECK(tw_result_error_offset(c) <= on);
  } else {
    CHECK(st != TW_ERR_VERIFY);
    CHECK(tw_result_error_offset(c) <= n);
  }
  tw_result_free(c);
  free(in);
  free(out);
  return 0;
}
