/* libwabt behind the library: --verify=full, text in and out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "module.h"
#include "wabt_bridge.h"

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
 * error (the fast check notices it as the wrong instruction). Returns the
 * offset changed, or 0. */
static size_t corrupt_const(uint8_t *data, size_t size) {
  for (size_t i = size; i-- > 1;) {
    if (data[i - 1] == 0x41 && data[i] == 0x00 && i + 2 < size && data[i + 1] == 0x10) {
      data[i - 1] = 0x42;
      return i - 1;
    }
  }
  return 0;
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

/* A copy of the (fast-checked) rewrite of `hooked`, with its wrapper
 * corrupted; *at: the byte changed. */
static uint8_t *corrupted_output(size_t *n, size_t *at) {
  tw_result *r = run(hooked, sizeof hooked, TW_VERIFY_FAST);
  assert_int_equal(tw_result_status(r), TW_OK);
  const uint8_t *out = tw_result_output(r, n);
  assert_non_null(out);
  uint8_t *copy = malloc(*n);
  assert_non_null(copy);
  memcpy(copy, out, *n);
  tw_result_free(r);
  *at = corrupt_const(copy, *n);
  assert_true(*at != 0);
  return copy;
}

/* `hooked` with f's body `i64.const 0` instead of `local.get 0`: not valid
 * (f returns an i32), which wasm-taskwrap's reader does not judge. The
 * rewrite copies that body: only libwabt finds the type error. */
static const uint8_t invalid_body[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f, /* types */
    0x03, 0x03, 0x02, 0x00, 0x01,                                           /* funcs */
    0x07, 0x18, 0x02, 0x10, '_', '_', 'w', 'a', 's', 'm', '_', 't', 'a', 's', 'k', '_', 'h',
    'o', 'o', 'k', 0x00, 0x00, 0x01, 'f', 0x00, 0x01,                       /* exports */
    0x0a, 0x09, 0x02, 0x02, 0x00, 0x0b, 0x04, 0x00, 0x42, 0x00, 0x0b,      /* code */
};

static void full_accepts_a_good_rewrite(void **state) {
  (void)state;
  assert_true(tw_have_wabt());
  tw_result *r = run(hooked, sizeof hooked, TW_VERIFY_FULL);
  assert_int_equal(tw_result_status(r), TW_OK);
  assert_true(tw_result_changed(r));
  tw_result_free(r);
}

/* The corrupted wrapper is a type error to libwabt (the validator
 * --verify=full runs), in the output's code section; and a module whose
 * own function is a type error passes the fast check (wasm-taskwrap copied
 * that body faithfully) but not the full one, which says so in libwabt's
 * words with the function index and a byte offset in the code section. */
static void full_catches_a_corrupted_wrapper(void **state) {
  (void)state;
  size_t n = 0, at = 0;
  uint8_t *copy = corrupted_output(&n, &at);
  tw_wabt_diag d;
  memset(&d, 0, sizeof d);
  assert_int_equal(tw_wabt_validate(copy, n, &d), TW_WABT_INVALID);
  print_message("libwabt: 0x%llx: %s\n", (unsigned long long)d.offset, d.message);
  assert_non_null(strstr(d.message, "type mismatch"));
  assert_true(d.offset > 0x30);
  free(copy);

  /* Where function 1's body is in the output (the fast rewrite's). */
  tw_result *f = run(invalid_body, sizeof invalid_body, TW_VERIFY_FAST);
  assert_int_equal(tw_result_status(f), TW_OK);
  size_t fn = 0;
  const uint8_t *fo = tw_result_output(f, &fn);
  tw_module m;
  tw_err err = {0};
  assert_true(tw_module_parse(&m, fo, fn, &err));
  assert_int_equal(m.nbodies, 3);
  const size_t body_start = m.bodies[1].start, body_end = m.bodies[1].end;
  tw_module_free(&m);
  tw_result_free(f);

  tw_result *r = run(invalid_body, sizeof invalid_body, TW_VERIFY_FULL);
  assert_int_equal(tw_result_status(r), TW_ERR_VERIFY);
  const char *msg = tw_result_error_message(r);
  print_message("message: 0x%llx: %s\n", (unsigned long long)tw_result_error_offset(r), msg);
  assert_non_null(strstr(msg, "libwabt"));
  assert_non_null(strstr(msg, "function 1"));
  assert_non_null(strstr(msg, "type mismatch"));
  assert_true(tw_result_error_offset(r) > body_start);
  assert_true(tw_result_error_offset(r) <= body_end);
  assert_true(tw_result_error_in_output(r));
  assert_null(tw_result_output(r, NULL));
  tw_result_free(r);
}

/* The fast check (tw_check) refuses the corrupted wrapper too, in its own
 * words, at the changed byte or before it; it accepts the uncorrupted one. */
static void fast_catches_it_too(void **state) {
  (void)state;
  size_t n = 0, at = 0;
  uint8_t *copy = corrupted_output(&n, &at);
  tw_result *r = NULL;
  assert_int_equal(tw_check(hooked, sizeof hooked, copy, n, NULL, &r), TW_ERR_VERIFY);
  assert_int_equal(tw_result_status(r), TW_ERR_VERIFY);
  assert_true(tw_result_error_message(r)[0] != 0);
  assert_null(strstr(tw_result_error_message(r), "libwabt"));
  assert_true(tw_result_error_offset(r) <= at);
  assert_true(tw_result_error_in_output(r));
  tw_result_free(r);
  copy[at] = 0x41;
  r = NULL;
  assert_int_equal(tw_check(hooked, sizeof hooked, copy, n, NULL, &r), TW_OK);
  tw_result_free(r);
  free(copy);
}

/* Verification none checks nothing: the module libwabt refuses goes
 * through, as it does with the fast check, and with the same bytes. */
static void none_lets_it_through(void **state) {
  (void)state;
  tw_result *none = run(invalid_body, sizeof invalid_body, TW_VERIFY_NONE);
  tw_result *fast = run(invalid_body, sizeof invalid_body, TW_VERIFY_FAST);
  assert_int_equal(tw_result_status(none), TW_OK); /* which is why it is for benchmarks only */
  assert_int_equal(tw_result_status(fast), TW_OK);
  size_t a = 0, b = 0;
  const uint8_t *oa = tw_result_output(none, &a), *ob = tw_result_output(fast, &b);
  assert_non_null(oa);
  assert_int_equal(a, b);
  assert_memory_equal(oa, ob, a);
  tw_result_free(none);
  tw_result_free(fast);
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

/* Text input: the segments refer to the binary libwabt assembled, which
 * tw_result_input gives; concatenated, they are the output. */
static void segments_of_text(void **state) {
  (void)state;
  static const char text[] = "(module (func (export \"__wasm_task_hook\") (param i32))"
                             " (func (export \"run\")))";
  tw_result *r = run(text, sizeof text - 1, TW_VERIFY_FAST);
  assert_int_equal(tw_result_status(r), TW_OK);
  size_t in_n = 0, n = 0;
  const uint8_t *in = tw_result_input(r, &in_n);
  const uint8_t *out = tw_result_output(r, &n);
  assert_non_null(in);
  assert_non_null(out);
  assert_true(in_n > 8 && memcmp(in, "\0asm", 4) == 0);
  size_t at = 0; /* where in the output the next segment goes */
  for (size_t i = 0; i < tw_result_segment_count(r); i++) {
    tw_segment seg;
    assert_true(tw_result_segment(r, i, &seg));
    const uint8_t *from = seg.bytes;
    if (seg.kind == TW_SEGMENT_INPUT) {
      assert_true(seg.input_offset + seg.size <= in_n);
      from = in + seg.input_offset;
    }
    assert_true(seg.size <= n - at);
    assert_memory_equal(out + at, from, (size_t)seg.size);
    at += (size_t)seg.size;
  }
  assert_int_equal(at, n);
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
      cmocka_unit_test(segments_of_text),
  };
  return cmocka_run_group_tests_name("wabt", tests, NULL, NULL);
}
