/* libFuzzer target on tw_rewrite.
 *
 * Input: byte 0 chooses the options (select.h; bit 3: verify none instead
 * of fast), the rest is the module.
 * Built as two binaries from this one file (tests/fuzz/run.sh):
 *   fuzz_rewrite       library with src/wabt_none.c: pure C, fast, every
 *                      instruction of coverage is ours.
 *   fuzz_rewrite_full  -DTW_FUZZ_FULL, library with src/wabt_bridge.cc and
 *                      libwabt: verify full always, plus -t (output as text);
 *                      shows how libwabt copes with what our reader accepts.
 *                      Binary input only (text would fuzz libwabt's parser).
 *                      libwabt runs in a forked worker: an abort there is a
 *                      result ("libwabt aborted"), but a worker that fails
 *                      otherwise (a sanitizer report: run.sh keeps those in
 *                      files, as the worker's stderr is /dev/null) is not.
 *
 * Invariants checked on every input (a trap makes libFuzzer report them):
 *   - a result always comes back; its status is the returned one; plan text
 *     and JSON render without crashing
 *   - fast verification never fails: TW_ERR_VERIFY there means the emitter
 *     wrote something its own checker rejects (full: only when libwabt
 *     accepted the input)
 *   - on success the output is non-NULL; it differs from the input exactly
 *     when tw_result_changed says so; "abi none" without host options means
 *     byte-identical; its segments, concatenated, are the output
 *   - the verifier on its own (tw_check, as --check) accepts the output of a
 *     successful run, and refuses a copy with one byte changed (TW_ERR_VERIFY,
 *     at that byte or before it)
 *   - rewriting the output again with the same options succeeds, changes
 *     nothing and returns identical bytes (idempotence)
 *   - verify none: the same input with verify fast gives the same bytes */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "taskwrap.h"
#ifdef TW_FUZZ_FULL
#include "wabt_bridge.h"
#endif

#include "invariant.h"

static int same_bytes(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* A run that must succeed: says why if it did not. */
static void check_ok(const char *what, tw_status st, const tw_result *r) {
  if (st != TW_OK)
    fprintf(stderr, "fuzz_rewrite: %s: %s at 0x%llx: %s\n", what, tw_status_name(st),
            (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r));
  CHECK(st == TW_OK);
}

/* The output's segments, concatenated, are its bytes; input segments lie
 * inside the input. */
static void check_segments(const tw_result *r, const uint8_t *in, size_t n, const uint8_t *out,
                           size_t on) {
  size_t at = 0;
  const size_t count = tw_result_segment_count(r);
  CHECK(count > 0 || on == 0);
  for (size_t i = 0; i < count; i++) {
    tw_segment seg;
    CHECK(tw_result_segment(r, i, &seg));
    CHECK(seg.size <= on - at);
    if (seg.kind == TW_SEGMENT_INPUT) {
      CHECK(seg.input_offset <= n && seg.size <= n - seg.input_offset);
      CHECK(seg.size == 0 || memcmp(in + seg.input_offset, out + at, (size_t)seg.size) == 0);
    } else {
      CHECK(seg.kind == TW_SEGMENT_BYTES);
      CHECK(seg.size == 0 || (seg.bytes && memcmp(seg.bytes, out + at, (size_t)seg.size) == 0));
    }
    at += (size_t)seg.size;
  }
  CHECK(at == on);
  tw_segment none;
  CHECK(!tw_result_segment(r, count, &none));
}

static tw_result *rewrite(const uint8_t *data, size_t size, const tw_options *o, tw_status *st) {
  tw_result *r = NULL;
  *st = tw_rewrite(data, size, o, &r);
  CHECK(r != NULL);
  CHECK(tw_result_status(r) == *st);
  CHECK(tw_result_error_message(r) != NULL);
#ifdef TW_FUZZ_FULL
  CHECK(strstr(tw_result_error_message(r), "worker process failed") == NULL);
#endif
  /* Renderers run on failures too (the CLI prints partial plans). */
  CHECK(tw_result_plan_text(r) != NULL);
  CHECK(tw_result_plan_json(r) != NULL);
  return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
#ifdef TW_FUZZ_FULL
  /* Binary only: text input would fuzz libwabt's text parser, not our reader. */
  if (size < 5 || memcmp(data + 1, "\0asm", 4) != 0) return 0;
#endif
  const uint8_t sel = data[0];
  /* A copy of exactly the module's size, so ASan sees any read past its end. */
  const size_t n = size - 1;
  uint8_t *in = malloc(n ? n : 1);
  if (!in) return 0;
  if (n) memcpy(in, data + 1, n);

  tw_options o;
  fuzz_select_options(sel, &o);
  const int host = o.init_once || o.stub_wasi || o.strip_debug;
#ifdef TW_FUZZ_FULL
  o.verify = TW_VERIFY_FULL;
#else
  o.verify = (sel >> 3) & 1 ? TW_VERIFY_NONE : TW_VERIFY_FAST;
#endif

  tw_status st;
  tw_result *r = rewrite(in, n, &o, &st);
  if (st != TW_OK) {
    size_t on = 1;
    CHECK(tw_result_output(r, &on) == NULL && on == 0);
#ifdef TW_FUZZ_FULL
    /* libwabt accepted the input, yet rejects what we made of it. */
    if (st == TW_ERR_VERIFY) {
      tw_wabt_diag d;
      CHECK(tw_wabt_validate(in, n, &d) != TW_WABT_OK);
    }
#else
    CHECK(st != TW_ERR_VERIFY);
#endif
    CHECK(st != TW_ERR_INVALID_ARG);
    tw_result_free(r);
    free(in);
    return 0;
  }

  size_t on = 0;
  const uint8_t *out = tw_result_output(r, &on);
  CHECK(out != NULL);
  const int text = tw_result_input_was_text(r);
  if (!text) {
    CHECK(tw_result_changed(r) == !same_bytes(in, n, out, on));
    if (tw_result_abi(r) == TW_ABI_NONE && !host) CHECK(same_bytes(in, n, out, on));
    check_segments(r, in, n, out, on);
  }

  /* The verifier alone accepts the output, and refuses it with one byte
   * changed (the byte chosen by the input, so the fuzzer explores it). */
  uint8_t *copy = malloc(on ? on : 1);
  CHECK(copy != NULL);
  if (on) memcpy(copy, out, on);
  tw_result *c = NULL;
  tw_status cst = tw_check(in, n, copy, on, &o, &c);
  check_ok("tw_check of the output", cst, c);
  tw_result_free(c);
  if (on) {
    const size_t at = (size_t)(((uint64_t)sel * 2654435761u + n) % on);
    copy[at] ^= 0x01;
    c = NULL;
    cst = tw_check(in, n, copy, on, &o, &c);
    CHECK(c != NULL);
    if (cst != TW_ERR_VERIFY || tw_result_error_offset(c) > at)
      fprintf(stderr, "fuzz_rewrite: byte 0x%zx changed: %s at 0x%llx: %s\n", at,
              tw_status_name(cst), (unsigned long long)tw_result_error_offset(c),
              tw_result_error_message(c));
    CHECK(cst == TW_ERR_VERIFY);
    CHECK(tw_result_error_offset(c) <= at);
    CHECK(tw_result_error_in_output(c));
    tw_result_free(c);
  }
  free(copy);

  /* Idempotence: a copy of exactly the output's size again. */
  uint8_t *again_in = malloc(on ? on : 1);
  CHECK(again_in != NULL);
  if (on) memcpy(again_in, out, on);
  tw_status st2;
  tw_result *r2 = rewrite(again_in, on, &o, &st2);
  check_ok("second run", st2, r2);
  size_t on2 = 0;
  const uint8_t *out2 = tw_result_output(r2, &on2);
  CHECK(!tw_result_changed(r2));
  CHECK(same_bytes(out, on, out2, on2));
  tw_result_free(r2);
  free(again_in);

#ifdef TW_FUZZ_FULL
  /* -t: libwabt's reader and text writer on the output. */
  const char *wat = NULL;
  size_t wat_len = 0;
  if (tw_result_output_text(r, &wat, &wat_len) == TW_OK) CHECK(wat != NULL);
  else CHECK(strstr(tw_result_error_message(r), "worker process failed") == NULL);
#else
  if (o.verify == TW_VERIFY_NONE) {
    /* The built-in check must accept what the emitter wrote. */
    o.verify = TW_VERIFY_FAST;
    tw_status st3;
    tw_result *r3 = rewrite(in, n, &o, &st3);
    check_ok("verify fast", st3, r3);
    size_t on3 = 0;
    const uint8_t *out3 = tw_result_output(r3, &on3);
    CHECK(same_bytes(out, on, out3, on3));
    tw_result_free(r3);
  }
#endif
  tw_result_free(r);
  free(in);
  return 0;
}
