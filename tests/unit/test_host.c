/* --init-once and --stub-wasi through the public API (issue 8): option
 * errors, and that the built-in check of the host stage catches every
 * corrupted byte of the renumbered bodies, the guards and the exports. The
 * module is text, assembled by libwabt (this unit needs TW_WITH_WABT). */
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
  assert_int_equal(rewrite(&o, &r), TW_OK);
  const char *plan = tw_result_plan_text(r);
  assert_non_null(strstr(plan, "init-once _initialize=func:1 guard=global:1 guards=2\n"));
  assert_non_null(strstr(plan, "stub-wasi stubs=2 exit-code=global:2"));
  assert_non_null(strstr(plan, "stub \"fd_write\" func:0 -> func:4 fd_write\n"));
  assert_non_null(strstr(plan, "stub \"proc_exit\" func:2 -> func:5 exit\n"));
  assert_non_null(strstr(plan, "guard func:1 -> func:6\nguard func:2 -> func:7\n"));
  assert_int_equal(tw_result_warning_count(r), 0);
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

/* Corrupt one byte of the output at `target`; the check must refuse it. */
static size_t target;
static void flip(uint8_t *data, size_t size) {
  if (target < size) data[target] ^= 0x01;
}

static void test_every_byte_checked(void **state) {
  (void)state;
  tw_options o = host_options();
  tw_result *r = NULL;
  assert_int_equal(rewrite(&o, &r), TW_OK);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  uint8_t *copy = malloc(n);
  assert_non_null(copy);
  memcpy(copy, out, n);
  tw_result_free(r);
  tw_module m;
  tw_err err = {0};
  assert_true(tw_module_parse(&m, copy, n, &err));
  /* The renumbered bodies ($init $run $helper, functions 1-3), the guards
   * (6, 7) and the export section. */
  size_t ranges[4][2] = {
      {m.bodies[0].start, m.bodies[2].end},
      {m.bodies[5].start, m.bodies[6].end},
      {m.sections[m.sec_export].body, m.sections[m.sec_export].end},
      {0, 0}};
  size_t tried = 0;
  for (int k = 0; ranges[k][1]; k++) {
    for (target = ranges[k][0]; target < ranges[k][1]; target++) {
      tw_test_corrupt_output = flip;
      const tw_status st = rewrite(&o, &r);
      tw_test_corrupt_output = NULL;
      if (st != TW_ERR_VERIFY) fail_msg("byte 0x%zx corrupted, status %d", target, st);
      tw_result_free(r);
      tried++;
    }
  }
  assert_true(tried > 60);
  print_message("%zu corrupted bytes, every one caught\n", tried);
  tw_module_free(&m);
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
