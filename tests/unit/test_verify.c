/* The verifier (tw_check) through the public API: it accepts the output of
 * a rewrite and refuses a copy of it corrupted in any one byte, at that
 * byte (docs/output-layout.md, "The output, byte by byte"). */
#include "fixture.h"

/* ---- verification ------------------------------------------------------------
 * The verifier is run on a copy of a rewrite's output through tw_check: the
 * uncorrupted output must pass, so that it is the corruption that is caught. */

static size_t corrupted_at; /* output offset the corruptor changed */

/* Flip H(1) to H(0) at the end of the last wrapper: a valid module, but
 * not the body of docs/abi.md, "Wrapper bodies: task-hook ABI". */
static void corrupt_last_hook_code(uint8_t *d, size_t n) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, d, n, &err)) return;
  const tw_body *b = &m.bodies[m.nbodies - 1];
  /* ... i32.const 1; call 0; end */
  if (b->end - b->code >= 5 && d[b->end - 5] == 0x41 && d[b->end - 4] == 0x01 &&
      d[b->end - 1] == 0x0b) {
    d[b->end - 4] = 0x00;
    corrupted_at = b->end - 4; /* the immediate: the first byte that differs */
  }
  tw_module_free(&m);
}

/* Make the first wrapper call another function than its target. */
static void corrupt_call_target(uint8_t *d, size_t n) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, d, n, &err)) return;
  const tw_body *b = &m.bodies[MAIN_NFUNCS]; /* 00 41 00 10 00 10 01 ... */
  if (d[b->code + 5] == 0x10 && d[b->code + 6] == 0x01) {
    d[b->code + 6] = 0x09;
    corrupted_at = b->code + 6; /* the call's index: the first byte that differs */
  }
  tw_module_free(&m);
}

/* Change one byte of an existing function body (i32.const 3 -> 4). */
static void corrupt_existing_body(uint8_t *d, size_t n) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, d, n, &err)) return;
  const tw_body *b = &m.bodies[3];
  if (d[b->code + 1] == 0x41 && d[b->code + 2] == 0x03) {
    d[b->code + 2] = 0x04;
    corrupted_at = b->code + 2;
  }
  tw_module_free(&m);
}

/* Change a byte of the "producers" custom section. */
static void corrupt_custom_section(uint8_t *d, size_t n) {
  for (size_t i = 0; i + 9 < n; i++)
    if (memcmp(d + i, "producers", 9) == 0 && d[i + 9] == 0x01) {
      d[i + 9] = 0x02;
      corrupted_at = i + 9;
      return;
    }
}

/* Re-point the "run" export at the original function. */
static void corrupt_export(uint8_t *d, size_t n) {
  for (size_t i = 0; i + 5 < n; i++)
    if (d[i] == 3 && memcmp(d + i + 1, "run", 3) == 0 && d[i + 4] == 0x00 && d[i + 5] == 11) {
      d[i + 5] = 1;
      corrupted_at = i + 5;
      return;
    }
}

/* tw_check accepts the main module's output, and refuses a copy of it that
 * `fn` corrupted: at the changed byte, or (not exact) at or before it. */
static void run_corrupted(void (*fn)(uint8_t *, size_t), bool exact_offset) {
  wb in = {0};
  tw_result *r = rewrite_main(&in);
  size_t n = 0;
  uint8_t *copy = output_copy(r, 0, &n);
  const uint8_t *out = tw_result_output(r, &n);
  check_accepts(in.d, in.n, copy, n, NULL);
  corrupted_at = 0;
  fn(copy, n);
  if (corrupted_at == 0) fail_msg("the corruptor found nothing to change");
  assert_true(memcmp(copy, out, n) != 0);
  check_refuses(in.d, in.n, copy, n, NULL, corrupted_at, exact_offset, "corrupted output");
  free(copy);
  tw_result_free(r);
  wb_free(&in);
}

/* One test per corruptor: run_corrupted(corruptor, exact). */
#define CORRUPTION_TEST(name, corruptor, exact) \
  static void name(void **state) {               \
    (void)state;                                 \
    run_corrupted(corruptor, exact);             \
  }
CORRUPTION_TEST(test_verify_hook_code, corrupt_last_hook_code, true)
CORRUPTION_TEST(test_verify_call_target, corrupt_call_target, true)
CORRUPTION_TEST(test_verify_existing_body, corrupt_existing_body, false)
CORRUPTION_TEST(test_verify_custom_section, corrupt_custom_section, false)
CORRUPTION_TEST(test_verify_export, corrupt_export, false)

/* Not exact, the every-byte tests allow (refused's slack) the changed byte
 * or before it, or, when the change turns a size or count into another
 * plausible one, the field that follows it, where the verifier first finds
 * the two inconsistent (a size is only known to be wrong once what it
 * measures has been walked): a LEB128 field is at most 5 bytes long. */
#define LEB_SLACK 5

/* Exactly one output is right (docs/output-layout.md, "The output, byte by
 * byte"): tw_check refuses
 * every output that differs from it in one byte, at that byte (or at the
 * field after a size that became another plausible size), and one a byte
 * shorter or longer. */
static void check_every_byte(const uint8_t *in, size_t in_n, const uint8_t *out, size_t n,
                             const tw_options *o, bool exact, const char *what) {
  check_accepts(in, in_n, out, n, o);
  uint8_t *copy = malloc(n + 1);
  assert_non_null(copy);
  memcpy(copy, out, n);
  static const uint8_t flips[] = {0x01, 0x80, 0xff};
  size_t tried = 0;
  size_t failed = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < COUNT(flips); k++) {
      copy[i] ^= flips[k];
      if (!refused(in, in_n, copy, n, o, i, exact, LEB_SLACK, what, NULL)) failed++;
      copy[i] ^= flips[k];
      tried++;
    }
  }
  if (failed) fail_msg("%s: %zu of %zu one-byte changes not refused as required", what, failed,
                       tried);
  /* a byte short: the violation is at the end at the latest */
  check_refuses(in, in_n, copy, n - 1, o, n - 1, exact, "a byte short");
  /* a byte more (the output's end is the first difference) */
  copy[n] = 0x00;
  check_refuses(in, in_n, copy, n + 1, o, n, exact, "a byte more");
  free(copy);
  print_message("%s: %zu one-byte changes of %zu bytes, every one refused\n", what, tried, n);
}

/* tw_check accepts the output and refuses a copy with one byte changed:
 * here the last wrapper's final `end` (nothing after it depends on it but
 * the name section), which must be refused exactly there. */
static void test_check(void **state) {
  (void)state;
  wb in = {0};
  tw_result *r = rewrite_main(&in);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  check_accepts(in.d, in.n, out, n, NULL);
  tw_module m;
  check_parse(&m, out, n);
  const size_t end = m.bodies[m.nbodies - 1].end - 1;
  tw_module_free(&m);
  assert_int_equal(out[end], 0x0b);
  uint8_t *copy = output_copy(r, 0, &n);
  copy[end] = 0x01; /* nop */
  check_refuses(in.d, in.n, copy, n, NULL, end, true, "the last wrapper's end");
  free(copy);
  /* The input is not the output (it has something to rewrite), nor is the
   * output of other options. */
  check_refuses(in.d, in.n, in.d, in.n, NULL, in.n, false, "the input as output");
  tw_options keep;
  tw_options_init(&keep);
  keep.keep_hook_export = 1;
  tw_result *rk = rewrite_ok(in.d, in.n, &keep);
  size_t nk = 0;
  const uint8_t *ok = tw_result_output(rk, &nk);
  check_accepts(in.d, in.n, ok, nk, &keep);
  check_refuses(in.d, in.n, ok, nk, NULL, nk, false, "the output with the hook kept");
  check_refuses(in.d, in.n, out, n, &keep, n, false, "the output without the hook kept");
  tw_result_free(rk);

  /* The input's own error comes through, at its offset in the input. */
  static const uint8_t bad[] = {HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x00};
  tw_result *c = NULL;
  assert_int_equal(tw_check(bad, sizeof bad, out, 0, NULL, &c), TW_ERR_MALFORMED);
  assert_int_equal(tw_result_error_offset(c), 10);
  assert_false(tw_result_error_in_output(c));
  tw_result_free(c);
  assert_int_equal(tw_check(in.d, in.n, in.d, in.n, NULL, NULL), TW_ERR_INVALID_ARG);
  tw_result_free(r);
  wb_free(&in);
}

/* The sabotage check of refused (fixture.c), which check_refuses and the
 * every-byte tests rest on: it says no to an output tw_check accepts, and to
 * a refusal at another offset than the one asked for, exact or not. */
static void test_refused_can_fail(void **state) {
  (void)state;
  wb in = {0};
  tw_result *r = rewrite_main(&in);
  size_t n = 0;
  uint8_t *copy = output_copy(r, 0, &n);
  assert_false(refused(in.d, in.n, copy, n, NULL, 0, false, n, "sabotage: the right output", NULL));
  const size_t at = n / 2;
  copy[at] ^= 0xff;
  uint64_t off = 0;
  if (!refused(in.d, in.n, copy, n, NULL, at, false, LEB_SLACK, "sabotage: the control", &off))
    fail_msg("the control: byte 0x%zx changed, not refused as required", at);
  assert_false(refused(in.d, in.n, copy, n, NULL, (size_t)off + 1, true, 0, "sabotage: exact",
                       NULL));
  if (off > 0)
    assert_false(refused(in.d, in.n, copy, n, NULL, (size_t)off - 1, false, 0,
                         "sabotage: before it", NULL));
  assert_true(refused(in.d, in.n, copy, n, NULL, (size_t)off, true, 0, "sabotage: exact", NULL));
  free(copy);
  tw_result_free(r);
  wb_free(&in);
}

/* Every one-byte change of the output (three ways), and the output a byte
 * shorter or longer: all refused, each at the changed byte (or at the field
 * after a size that became another plausible size). */
static void test_check_every_byte(void **state) {
  (void)state;
  wb in = {0};
  tw_result *r = rewrite_main(&in);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  check_every_byte(in.d, in.n, out, n, NULL, false, "rewritten");
  tw_result_free(r);
  wb_free(&in);
}

/* Without a hook the output must be the input: every change refused
 * exactly at the changed byte. */
static void test_check_every_byte_unchanged(void **state) {
  (void)state;
  wb plain = {0};
  build_main_without_hook(&plain);
  check_every_byte(plain.d, plain.n, plain.d, plain.n, NULL, true, "not rewritten");
  wb_free(&plain);
}

/* Found by fuzzing: a name section whose function-names map says 9 entries
 * and holds 2. It frames, so it is kept, the wrapper's name appended and the
 * count raised as the input's own count says; the check must accept that
 * (only sizes are bounded by what is left of the output, not counts). */
static void test_names_count_overstated(void **state) {
  (void)state;
  static const char *const types[] = {"i->", "->"};
  static const uint8_t funcs[] = {0, 1};
  static const mb_export exps[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}};
  const mb_bytes bodies[] = {{B(0x00, 0x0b)}, {B(0x00, 0x0b)}};
  /* subsection 1, 12 bytes: count 9, then 0 "hook" and 1 "run" */
  const mb_custom names[] = {
      {"name",
       {B(0x01, 0x0c, 0x09, 0x00, 0x04, 'h', 'o', 'o', 'k', 0x01, 0x03, 'r', 'u', 'n')}, 0, 0}};
  const mb_module s = {.types = types, .ntypes = 2, .funcs = funcs, .nfuncs = 2, .bodies = bodies,
                       .exports = exps, .nexports = 2, .customs = names, .ncustoms = 1};
  wb m = {0};
  mb_build(&m, &s, NULL);
  const uint8_t *in = m.d;
  tw_result *r = rewrite_ok(in, m.n, NULL);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  assert_int_equal(tw_result_wrapper_count(r), 1);
  check_accepts(in, m.n, out, n, NULL);
  tw_result_free(r);
  wb_free(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names_count_overstated),
      cmocka_unit_test(test_verify_hook_code),
      cmocka_unit_test(test_verify_call_target),
      cmocka_unit_test(test_verify_existing_body),
      cmocka_unit_test(test_verify_custom_section),
      cmocka_unit_test(test_verify_export),
      cmocka_unit_test(test_check),
      cmocka_unit_test(test_refused_can_fail),
      cmocka_unit_test(test_check_every_byte),
      cmocka_unit_test(test_check_every_byte_unchanged),
  };
  return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}
