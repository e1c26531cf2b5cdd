/* libwabt behind the library (issue 4): --verify=full, text in and out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tw_internal.h"

/* (module (func (export "__wasm_task_hook") (param i32))
 *         (func (export "f") (param i32) (result i32) local.get 0)) */
static const uint8_t hooked[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, /* types */
    0x03, 0x03, 0x02, 0x00, 0x01,                                           /* funcs */
    0x07, 0x18, 0x02, 0x10, '_', '_', 'w', 'a', 's', 'm', '_', 't', 'a', 's', 'k', '_', 'h',
    'o', 'o', 'k', 0x00, 0x00, 0x01, 'f', 0x00, 0x01,                       /* exports */
    0x0a, 0x09, 0x02, 0x02, 0x00, 0x0b, 0x04, 0x00, 0x20, 0x00, 0x0b,      /* code */
};

/* Turn the wrapper's first `i32.const 0` (41 00) into `i64.const 0` (42 00):
 * the hook then gets an i64, which only a full validator notices as a type
 * error (the fast check notices it as the wrong instruction). */
static void corrupt_const(uint8_t *data, size_t size) {
  for (size_t i = size; i-- > 1;) {
    if (data[i - 1] == 0x41 && data[i] == 0x00 && i + 2 < size && data[i + 1] == 0x10) {
      data[i - 1] = 0x42;
      return;
    }
  }
}

static tw_result *run(const void *data, size_t size, tw_verify verify) {
  tw_options o;
  tw_options_init(&o);
  o.verify = verify;
  tw_result *r = NULL;
  tw_rewrite(data, size, &o, &r);
  assert_non_null(r);
  return r;
}

static void full_accepts_a_good_rewrite(void **state) {
  (void)state;
  assert_true(tw_have_wabt());
  tw_result *r = run(hooked, sizeof hooked, TW_VERIFY_FULL);
  assert_int_equal(tw_result_status(r), TW_OK);
  assert_true(tw_result_changed(r));
  tw_result_free(r);
}

static void full_catches_a_corrupted_wrapper(void **state) {
  (void)state;
  tw_test_corrupt_output = corrupt_const;
  tw_result *r = run(hooked, sizeof hooked, TW_VERIFY_FULL);
  tw_test_corrupt_output = NULL;
  assert_int_equal(tw_result_status(r), TW_ERR_VERIFY);
  const char *msg = tw_result_error_message(r);
  print_message("message: %s\n", msg);
  /* libwabt's words, with the function index (the wrapper is function 2)
   * and a byte offset inside the output's code section. */
  assert_non_null(strstr(msg, "libwabt"));
  assert_non_null(strstr(msg, "function 2"));
  assert_non_null(strstr(msg, "type mismatch"));
  assert_true(tw_result_error_offset(r) > 0x30);
  assert_null(tw_result_output(r, NULL));
  tw_result_free(r);
}

static void fast_catches_it_too(void **state) {
  (void)state;
  tw_test_corrupt_output = corrupt_const;
  tw_result *r = run(hooked, sizeof hooked, TW_VERIFY_FAST);
  tw_test_corrupt_output = NULL;
  assert_int_equal(tw_result_status(r), TW_ERR_VERIFY);
  assert_null(strstr(tw_result_error_message(r), "libwabt"));
  tw_result_free(r);
}

static void none_lets_it_through(void **state) {
  (void)state;
  tw_test_corrupt_output = corrupt_const;
  tw_result *r = run(hooked, sizeof hooked, TW_VERIFY_NONE);
  tw_test_corrupt_output = NULL;
  assert_int_equal(tw_result_status(r), TW_OK); /* which is why it is for benchmarks only */
  tw_result_free(r);
}

/* A GC module: libwabt 1.0.32 cannot read it. Full says so; fast rewrites. */
static const uint8_t gc[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x0e, 0x02, 0x4e, 0x02, 0x5f, 0x01, 0x7f, 0x01, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00,
    0x03, 0x03, 0x02, 0x01, 0x02,
    0x07, 0x19, 0x02, 0x10, '_', '_', 'w', 'a', 's', 'm', '_', 't', 'a', 's', 'k', '_', 'h',
    'o', 'o', 'k', 0x00, 0x00, 0x02, 'g', 'o', 0x00, 0x01,
    0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b,
};

static void full_cannot_verify_gc(void **state) {
  (void)state;
  tw_result *r = run(gc, sizeof gc, TW_VERIFY_FULL);
  assert_int_equal(tw_result_status(r), TW_ERR_UNSUPPORTED);
  assert_non_null(strstr(tw_result_error_message(r), "cannot verify fully: "));
  assert_non_null(strstr(tw_result_error_message(r), "GC"));
  tw_result_free(r);
  r = run(gc, sizeof gc, TW_VERIFY_FAST);
  assert_int_equal(tw_result_status(r), TW_OK);
  assert_int_equal(tw_result_wrapper_count(r), 1);
  tw_result_free(r);
}

static const char wat[] =
    ";; text input\n"
    "(module\n"
    "  (func $hook (export \"__wasm_task_hook\") (param i32))\n"
    "  (func $work (export \"work\") (param i32) (result i32) local.get 0))\n";

static void text_in_text_out(void **state) {
  (void)state;
  tw_result *r = run(wat, strlen(wat), TW_VERIFY_FULL);
  assert_int_equal(tw_result_status(r), TW_OK);
  assert_true(tw_result_input_was_text(r));
  assert_int_equal(tw_result_wrapper_count(r), 1);
  const char *text = NULL;
  size_t n = 0;
  assert_int_equal(tw_result_output_text(r, &text, &n), TW_OK);
  assert_int_equal(strlen(text), n);
  /* Names survive the round trip through binary: the original's from the
   * text, the wrapper's from wasm-taskwrap. */
  assert_non_null(strstr(text, "(func $work "));
  assert_non_null(strstr(text, "(func $taskwrap:work "));
  assert_non_null(strstr(text, "(export \"work\" (func $taskwrap:work))"));
  assert_null(strstr(text, "__wasm_task_hook\""));
  tw_result_free(r);
}

static void text_errors_have_line_and_column(void **state) {
  (void)state;
  static const char bad[] = "(module\n  (func (result i32)\n    i64.const 1))\n";
  tw_result *r = run(bad, strlen(bad), TW_VERIFY_FAST);
  assert_int_equal(tw_result_status(r), TW_ERR_MALFORMED);
  assert_int_equal(tw_result_error_line(r), 3);
  assert_true(tw_result_error_column(r) > 0);
  assert_non_null(strstr(tw_result_error_message(r), "type mismatch"));
  tw_result_free(r);
}

static void binary_is_not_mistaken_for_text(void **state) {
  (void)state;
  tw_result *r = run(hooked, sizeof hooked, TW_VERIFY_FAST);
  assert_false(tw_result_input_was_text(r));
  tw_result_free(r);
  static const char junk[] = "hello";
  r = run(junk, 5, TW_VERIFY_FAST);
  assert_int_equal(tw_result_status(r), TW_ERR_MALFORMED);
  assert_int_equal(tw_result_error_line(r), 0);
  tw_result_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(full_accepts_a_good_rewrite),
      cmocka_unit_test(full_catches_a_corrupted_wrapper),
      cmocka_unit_test(fast_catches_it_too),
      cmocka_unit_test(none_lets_it_through),
      cmocka_unit_test(full_cannot_verify_gc),
      cmocka_unit_test(text_in_text_out),
      cmocka_unit_test(text_errors_have_line_and_column),
      cmocka_unit_test(binary_is_not_mistaken_for_text),
  };
  return cmocka_run_group_tests_name("wabt", tests, NULL, NULL);
}
