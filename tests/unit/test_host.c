/* --init-once and --stub-wasi through the public API: the plan,
 * option errors, and that the verifier (tw_check) refuses every corrupted
 * byte of the output: the renumbered bodies, the guards, the exports and
 * everything else. The module is text, assembled by libwabt (this unit
 * needs TW_WITH_WABT). */
#include "unit.h"

#include "edit.h"
#include "emit.h"
#include "options.h"
#include "plan.h"
#include "verify.h"

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

/* ---- recognising the tool's own guards, exactly ------------------------------ */

/* A reactor whose _initialize and "run" have the shape of --init-once guards
 * over the flag $done; GLOBALS declares $ready and the flags, RUN is run's
 * body. */
#define GUARDED(GLOBALS, RUN)                                                             \
  "(module\n" GLOBALS                                                                     \
  "  (func $impl (global.set $ready (i32.const 1)))\n"                                    \
  "  (func $run_impl (result i32) (global.get $ready))\n"                                 \
  "  (func (export \"_initialize\")\n"                                                    \
  "    (if (i32.eqz (global.get $done)) (then (global.set $done (i32.const 1)) (call $impl))))\n" \
  "  (func (export \"run\") (result i32)\n" RUN "))\n"
#define READY "  (global $ready (mut i32) (i32.const 0))\n"
#define FLAG "  (global $done (mut i32) (i32.const 0))\n"
#define RUN_GUARDED                                                                       \
  "    (if (i32.eqz (global.get $done)) (then (global.set $done (i32.const 1)) (call $impl)))\n" \
  "    (call $run_impl)"

static tw_result *init_once(const char *text, size_t n) {
  tw_options o;
  tw_options_init(&o);
  o.init_once = 1;
  tw_result *r = NULL;
  if (tw_rewrite((const uint8_t *)text, n, &o, &r) != TW_OK)
    fail_msg("--init-once: 0x%llx: %s", (unsigned long long)tw_result_error_offset(r),
             tw_result_error_message(r));
  return r;
}

/* Only the tool's own guard counts as one: its flag (a global the module
 * defines after all of its own, (mut i32) (i32.const 0)), the _initialize
 * export and every other function export guarded with that flag and that
 * init, and the instruction bytes. A module missing any of these is the
 * module's own code, and gets guards. The last row meets them all (written
 * by hand, it is what the tool writes, and behaves the same): the control
 * that the others are refused for what they lack. */
static void test_guard_like_initialize(void **state) {
  (void)state;
  static const struct {
    const char *what, *text;
    bool already;
  } rows[] = {
      {"run not guarded (its own _initialize only looks like a guard)",
       GUARDED(READY FLAG, "    (global.get $ready)"), false},
      {"the flag imported",
       GUARDED("  (import \"env\" \"done\" (global $done (mut i32)))\n" READY, RUN_GUARDED), false},
      {"the flag starts at 5",
       GUARDED(READY "  (global $done (mut i32) (i32.const 5))\n", RUN_GUARDED), false},
      {"the flag followed by a global of the module's", GUARDED(FLAG READY, RUN_GUARDED), false},
      {"run guarded with another flag",
       GUARDED(READY "  (global $other (mut i32) (i32.const 0))\n" FLAG,
               "    (if (i32.eqz (global.get $other)) (then (global.set $other (i32.const 1)) "
               "(call $impl)))\n    (call $run_impl)"),
       false},
      {"run's guard calls another init",
       GUARDED(READY FLAG "  (func $impl2)\n",
               "    (if (i32.eqz (global.get $done)) (then (global.set $done (i32.const 1)) "
               "(call $impl2)))\n    (call $run_impl)"),
       false},
      {"every criterion met", GUARDED(READY FLAG, RUN_GUARDED), true},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    tw_result *r = init_once(rows[i].text, strlen(rows[i].text));
    const char *plan = tw_result_plan_text(r);
    const bool already = strstr(plan, "init-once already-guarded\n") != NULL;
    if (already != rows[i].already || tw_result_changed(r) == rows[i].already ||
        tw_result_guard_count(r) != (rows[i].already ? 0 : 2))
      ROW_FAIL(i, "%s: %s, %zu guards:\n%s", rows[i].what,
               already ? "taken for guarded" : "guarded", tw_result_guard_count(r), plan);
    tw_result_free(r);
  }
}

/* The same reactor in binary, its guards exactly as the tool writes them
 * but for one index: `call` padded to 5 bytes (as wasm-ld leaves call
 * indices) is not the tool's encoding. */
static void build_guarded(wb *m, bool padded) {
  static const char *const types[] = {"->", "->i"};
  static const uint8_t funcs[] = {0, 0, 1, 1}; /* impl, _initialize, run_impl, run */
  static const uint8_t done[] = {0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b}; /* $done */
  static const mb_export exps[] = {{"_initialize", 0, 1}, {"run", 0, 3}};
  static const uint8_t init_guard[] = {0x00, 0x23, 0x00, 0x45, 0x04, 0x40, 0x41, 0x01, 0x24, 0x00,
                                       0x10, 0x00, 0x0b, 0x0b};
  static const uint8_t init_padded[] = {0x00, 0x23, 0x00, 0x45, 0x04, 0x40, 0x41, 0x01, 0x24,
                                        0x00, 0x10, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b, 0x0b};
  static const uint8_t run_guard[] = {0x00, 0x23, 0x00, 0x45, 0x04, 0x40, 0x41, 0x01,
                                      0x24, 0x00, 0x10, 0x00, 0x0b, 0x10, 0x02, 0x0b};
  const mb_bytes init = padded ? (mb_bytes){init_padded, sizeof init_padded}
                               : (mb_bytes){init_guard, sizeof init_guard};
  const mb_bytes bodies[] = {
      {B(0x00, 0x0b)},
      init,
      {B(0x00, 0x41, 0x2a, 0x0b)},
      {run_guard, sizeof run_guard},
  };
  const mb_module s = {.types = types, .ntypes = 2, .funcs = funcs, .nfuncs = 4, .bodies = bodies,
                       .exports = exps, .nexports = 2, .sections = {[6] = {done, sizeof done}}};
  mb_build(m, &s, NULL);
}

static void test_guard_encoding_exact(void **state) {
  (void)state;
  for (int padded = 0; padded < 2; padded++) {
    wb in = {0};
    build_guarded(&in, padded);
    tw_options o;
    tw_options_init(&o);
    o.init_once = 1;
    tw_result *r = NULL;
    assert_int_equal(tw_rewrite(in.d, in.n, &o, &r), TW_OK);
    if (tw_result_changed(r) != padded || tw_result_guard_count(r) != (padded ? 2u : 0u))
      fail_msg("%s: %s", padded ? "a padded call index" : "the exact encoding",
               tw_result_plan_text(r));
    tw_result_free(r);
    wb_free(&in);
  }
}

/* ---- the names the tool adds ------------------------------------------------- */

/* --stub-wasi-output's value, as the one parser (command line and
 * TASKWRAP_FLAGS) takes it: both names valid UTF-8, the module not WASI's. */
static void test_output_import_parsed(void **state) {
  (void)state;
  static const struct {
    const char *arg, *value; /* value NULL: the arg is --opt=value */
    int want;
    const char *message; /* part of the error, or the module taken */
  } rows[] = {
      {"--stub-wasi-output", "\xff:\xfe", -1, "module name is not valid UTF-8"},
      {"--stub-wasi-output", "env:\xfe", -1, "import name is not valid UTF-8"},
      {"--stub-wasi-output", "env:\xc0\xaf", -1, "import name is not valid UTF-8"}, /* overlong */
      {"--stub-wasi-output", "wasi_snapshot_preview1:fd_write", -1, "wasi_snapshot_preview1"},
      {"--stub-wasi-output=wasi_snapshot_preview1:log", NULL, -1, "wasi_snapshot_preview1"},
      {"--stub-wasi-output", "wasi:cli/stdout:write", 1, "wasi:cli/stdout"},
      {"--stub-wasi-output=\xc3\xa9t\xc3\xa9:\xe2\x9c\x93", NULL, 1, "\xc3\xa9t\xc3\xa9"},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    tw_options o;
    tw_options_init(&o);
    tw_option_parser p = {.opts = &o};
    char *argv[] = {(char *)rows[i].arg, (char *)rows[i].value, NULL};
    int k = 0;
    char msg[200] = "";
    const int got = tw_option_parse(&p, rows[i].value ? 2 : 1, argv, &k, msg, sizeof msg);
    if (got != rows[i].want) ROW_FAIL(i, "returned %d, want %d: %s", got, rows[i].want, msg);
    if (got < 0 && !strstr(msg, rows[i].message)) ROW_FAIL(i, "message \"%s\"", msg);
    if (got > 0 && strcmp(o.stub_output_module, rows[i].message) != 0)
      ROW_FAIL(i, "module \"%s\"", o.stub_output_module);
    tw_option_parser_free(&p);
  }
}

/* The same options given to the library are refused as invalid arguments,
 * by tw_rewrite and by tw_check. */
static void test_output_import_options(void **state) {
  (void)state;
  static const char *const bad[][2] = {
      {"\xff", "write"}, {"env", "\xfe"}, {"wasi_snapshot_preview1", "fd_write"}};
  for (size_t i = 0; i < COUNT(bad); i++) {
    tw_options o = host_options();
    o.stub_output_module = bad[i][0];
    o.stub_output_name = bad[i][1];
    tw_result *r = NULL;
    if (rewrite(&o, &r) != TW_ERR_INVALID_ARG) ROW_FAIL(i, "tw_rewrite: %s", tw_result_error_message(r));
    tw_result_free(r);
    r = NULL;
    if (tw_check((const uint8_t *)module_text, sizeof module_text - 1, (const uint8_t *)"", 0, &o,
                 &r) != TW_ERR_INVALID_ARG)
      ROW_FAIL(i, "tw_check: %s", tw_result_error_message(r));
    tw_result_free(r);
  }
}

/* The verifier on its own: an edit that adds an import whose name is not
 * UTF-8, or one in wasi_snapshot_preview1 (the planner takes what it is
 * given; only the options refuse it), emitted as planned, is refused both
 * on the segment list and on the bytes (what --check reads). A control with
 * a valid name is accepted, so the refusals are for the name. */
static void test_verifier_refuses_added_names(void **state) {
  (void)state;
  tw_options o = host_options();
  tw_result *r = NULL;
  assert_int_equal(rewrite(&o, &r), TW_OK);
  size_t in_n = 0;
  const uint8_t *in = tw_result_input(r, &in_n); /* the assembled module */
  static const struct {
    const char *module, *name, *message; /* message NULL: accepted */
  } rows[] = {
      {"\xff", "\xfe", "not valid UTF-8"},
      {"env", "w\xed\xa0\x80", "not valid UTF-8"}, /* a surrogate */
      {"wasi_snapshot_preview1", "log", "wasi_snapshot_preview1"},
      {"env", "log", NULL},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    tw_module m;
    tw_edit e;
    tw_out out = {0};
    tw_err err = {0};
    assert_true(tw_module_parse(&m, in, in_n, &err));
    tw_options plain;
    tw_options_init(&plain);
    if (!tw_edit_init(&e, &m, &err) || !tw_plan_task_hooks(&e, &plain, &err) ||
        !tw_plan_stub_wasi(&e, &(tw_options){.stub_output_module = rows[i].module,
                                             .stub_output_name = rows[i].name},
                           &err) ||
        !tw_edit_finalise(&e, &err) ||
        !tw_emit(&m, &e, &out, &err))
      ROW_FAIL(i, "planning: %s", err.message);
    tw_err seg = {0}, bytes = {0};
    const bool seg_ok = tw_verify_segments(&m, &e, &out, &seg);
    uint8_t *flat = malloc((size_t)out.size);
    assert_non_null(flat);
    assert_true(tw_out_read(&out, in, 0, flat, (size_t)out.size));
    const bool bytes_ok = tw_verify_bytes(&m, &e, flat, (size_t)out.size, &bytes);
    if (rows[i].message == NULL && (!seg_ok || !bytes_ok))
      ROW_FAIL(i, "a valid name refused: %s %s", seg.message, bytes.message);
    if (rows[i].message != NULL &&
        (seg_ok || bytes_ok || seg.code != TW_ERR_VERIFY || bytes.code != TW_ERR_VERIFY ||
         !strstr(seg.message, rows[i].message) || !strstr(bytes.message, rows[i].message)))
      ROW_FAIL(i, "accepted or refused for something else: \"%s\" / \"%s\"", seg.message,
               bytes.message);
    free(flat);
    tw_out_free(&out);
    tw_edit_free(&e);
    tw_module_free(&m);
  }
  tw_result_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_plan),
      cmocka_unit_test(test_option_errors),
      cmocka_unit_test(test_every_byte_checked),
      cmocka_unit_test(test_guard_like_initialize),
      cmocka_unit_test(test_guard_encoding_exact),
      cmocka_unit_test(test_output_import_parsed),
      cmocka_unit_test(test_output_import_options),
      cmocka_unit_test(test_verifier_refuses_added_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
