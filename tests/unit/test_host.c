/* --init-once and --stub-wasi through the public API: the plan,
 * option errors, and that the verifier (tw_check) refuses every corrupted
 * byte of the output: the renumbered bodies, the guards, the exports and
 * everything else. The module is text, assembled by libwabt (this unit
 * needs TW_WITH_WABT). */
#include "unit.h"

static const char module_text[] =
    "(module\n"
    "  (import \"wasi_snapshot_preview1\" \"fd_write\" (func $w (param i32 i32 i32 i32) (result i32)))\n"
    "  (import \"env\" \"kept\" (func $k (param i32)))\n"
    "  (import \"wasi_snapshot_preview1\" \"proc_exit\" (func $x (param i32)))\n"
    "  (memory (export \"memory\") 1)\n"
    "  (global $g (mut i32) (i32.const 0))\n"
    "  (table 2 funcref) (elem (i32.const 0) $run $w)\n"
    "  (func $init (export \"_initialize\") (global.set $g (i32.const 1)))\n"
    "  (func $run (export \"run\") (param i32) (result i32)\n"
    "    (call $k (local.get 0))\n"
    "    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 8)))\n"
    "    (if (i32.eqz (local.get 0)) (then (call $x (i32.const 3))))\n"
    "    (call $helper (global.get $g)))\n"
    "  (func $helper (param i32) (result i32) (local.get 0)))\n";

static tw_status rewrite(const tw_options *o, tw_result **r) {
  return tw_rewrite((const uint8_t *)module_text, sizeof module_text - 1, o, r);
}

static tw_options host_options(void) {
  tw_options o;
  tw_options_init(&o);
  o.init_once = 1;
  o.stub_wasi = 1;
  return o;
}

static void test_plan(void **state) {
  (void)state;
  tw_options o = host_options();
  tw_result *r = NULL;
  const tw_status st = rewrite(&o, &r);
  if (st != TW_OK)
    fail_msg("status %d at 0x%llx: %s", st, (unsigned long long)tw_result_error_offset(r),
             tw_result_error_message(r));
  const char *plan = tw_result_plan_text(r);
  /* Output functions: env.kept 0, $init 1, $run 2, $helper 3, the stubs 4
   * and 5, the guards 6 and 7; globals: $g 0, the flag 1, the exit code 2. */
  static const char *const lines[] = {
      "\"memory\" not-func memory:0 hooks=- wrapper=- guard=-\n",
      "\"_initialize\" initialize func:3 -> func:6 hooks=- wrapper=- guard=func:6 reason=name\n",
      "\"run\" sync func:4 -> func:7 hooks=- wrapper=- guard=func:7 reason=name\n",
      "init-once flag=global:1 guards=2\n",
      "guard func:6 \"_initialize\" initialises init=func:1\n"
      "guard func:7 \"run\" -> func:2 init=func:1\n",
      "stub-wasi stubs=2 exit-code=global:2",
      "stub \"fd_write\" import=func:0 removed -> func:4 fd_write\n",
      "stub \"proc_exit\" import=func:2 removed -> func:5 exit\n",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
    if (!strstr(plan, lines[i])) fail_msg("the plan has no line \"%s\":\n%s", lines[i], plan);
  assert_int_equal(tw_result_warning_count(r), 0);
  /* the same as entries */
  assert_int_equal(tw_result_stub_count(r), 2);
  assert_int_equal(tw_result_stub(r, 0)->import_func, 0);
  assert_int_equal(tw_result_stub(r, 0)->func, 4);
  assert_string_equal(tw_result_stub(r, 0)->behaviour, "fd_write");
  assert_int_equal(tw_result_stub(r, 1)->import_func, 2);
  assert_int_equal(tw_result_stub(r, 1)->func, 5);
  assert_string_equal(tw_result_stub(r, 1)->behaviour, "exit");
  assert_int_equal(tw_result_guard_count(r), 2);
  assert_int_equal(tw_result_guard(r, 0)->func, 6);
  assert_int_equal(tw_result_guard(r, 0)->target, UINT32_MAX);
  assert_int_equal(tw_result_guard(r, 0)->init, 1);
  assert_int_equal(tw_result_guard(r, 1)->func, 7);
  assert_int_equal(tw_result_guard(r, 1)->target, 2);
  assert_int_equal(tw_result_guard(r, 1)->init, 1);
  tw_result_free(r);
}

static void test_option_errors(void **state) {
  (void)state;
  tw_options o;
  tw_options_init(&o);
  tw_result *r = NULL;
  o.stub_output_module = "host";
  o.stub_output_name = "write";
  assert_int_equal(rewrite(&o, &r), TW_ERR_INVALID_ARG); /* output without stub_wasi */
  tw_result_free(r);
  o.stub_wasi = 1;
  o.stub_output_name = NULL;
  assert_int_equal(rewrite(&o, &r), TW_ERR_INVALID_ARG); /* module without name */
  tw_result_free(r);
}

/* Every byte of the output, corrupted on its own (xor 0x01): tw_check
 * refuses each copy with TW_ERR_VERIFY, at that byte or before it. The
 * output is made without the built-in check (test_plan shows the checked
 * rewrite succeeds), so that tw_check alone judges it. */
static void test_every_byte_checked(void **state) {
  (void)state;
  tw_options o = host_options();
  o.verify = TW_VERIFY_NONE;
  tw_result *r = NULL;
  assert_int_equal(rewrite(&o, &r), TW_OK);
  o.verify = TW_VERIFY_FAST;
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  uint8_t *copy = malloc(n);
  assert_non_null(copy);
  memcpy(copy, out, n);
  /* tw_check takes the same (text) input. */
  const uint8_t *in = (const uint8_t *)module_text;
  const size_t in_n = sizeof module_text - 1;
  tw_result *c = NULL;
  if (tw_check(in, in_n, copy, n, &o, &c) != TW_OK)
    fail_msg("tw_check refuses the output: 0x%llx: %s",
             (unsigned long long)tw_result_error_offset(c), tw_result_error_message(c));
  tw_result_free(c);
  tw_module m;
  tw_err err = {0};
  assert_true(tw_module_parse(&m, copy, n, &err));
  /* The renumbered bodies ($init $run $helper, functions 1-3), the guards
   * (6, 7) and the export section must be among what is checked. */
  assert_int_equal(m.nbodies, 7);
  size_t covered = 0;
  size_t tried = 0, failed = 0;
  for (size_t target = 0; target < n; target++) {
    copy[target] ^= 0x01;
    c = NULL;
    const tw_status st = tw_check(in, in_n, copy, n, &o, &c);
    const uint64_t off = tw_result_error_offset(c);
    if (st != TW_ERR_VERIFY || off > target || !tw_result_error_in_output(c)) {
      print_error("byte 0x%zx corrupted: status %d at 0x%llx: %s\n", target, st,
                  (unsigned long long)off, tw_result_error_message(c));
      failed++;
    }
    tw_result_free(c);
    copy[target] ^= 0x01;
    tried++;
    if ((target >= m.bodies[0].start && target < m.bodies[2].end) ||
        (target >= m.bodies[5].start && target < m.bodies[6].end) ||
        (target >= m.sections[m.sec_export].body && target < m.sections[m.sec_export].end))
      covered++;
  }
  if (failed) fail_msg("%zu of %zu corrupted bytes not refused as required", failed, tried);
  assert_true(covered > 60);
  print_message("%zu corrupted bytes, every one caught\n", tried);
  tw_module_free(&m);
  tw_result_free(r);
  free(copy);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plan),
      cmocka_unit_test(test_option_errors),
      cmocka_unit_test(test_every_byte_checked),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
