/* --init-once guards and --stub-wasi stubs through the public API, as
 * entries of the result and in the output (docs/output-layout.md, "Added
 * function bodies"), alone and with task-hook wrappers. */
#include "fixture.h"

static void test_stub_guard_entries(void **state) {
  (void)state;
  wb in = {0};
  build_host(&in);
  tw_options o;
  tw_options_init(&o);
  o.init_once = 1;
  o.stub_wasi = 1;
  tw_result *r = rewrite_ok(in.d, in.n, &o);
  assert_true(tw_result_changed(r));
  assert_int_equal(tw_result_abi(r), TW_ABI_NONE);
  assert_int_equal(tw_result_wrapper_count(r), 0);

  /* Output functions: env.kept 0, _initialize 1, run 2, helper 3, the
   * stubs 4 (fd_write) and 5 (proc_exit), the guards 6 and 7. */
  assert_int_equal(tw_result_stub_count(r), 2);
  typedef struct want_stub {
    const char *name;
    uint32_t import_func, func;
    const char *behaviour;
  } want_stub;
  static const want_stub stubs[] = {{"fd_write", 0, 4, "fd_write"}, {"proc_exit", 2, 5, "exit"}};
  for (size_t i = 0; i < COUNT(stubs); i++) {
    const tw_stub_entry *e = tw_result_stub(r, i);
    assert_non_null(e);
    if (e->name_len != strlen(stubs[i].name) || memcmp(e->name, stubs[i].name, e->name_len) != 0 ||
        e->import_func != stubs[i].import_func || e->func != stubs[i].func ||
        strcmp(e->behaviour, stubs[i].behaviour) != 0 || !e->wasi_type)
      ROW_FAIL(i, "stub \"%.*s\": import %u -> %u %s wasi_type %d", (int)e->name_len, e->name,
               e->import_func, e->func, e->behaviour, e->wasi_type);
  }
  assert_null(tw_result_stub(r, 2));

  assert_int_equal(tw_result_guard_count(r), 2);
  static const tw_guard_entry guards[] = {{6, UINT32_MAX, 1, 0}, {7, 2, 1, 1}};
  for (size_t i = 0; i < COUNT(guards); i++) {
    const tw_guard_entry *g = tw_result_guard(r, i);
    assert_non_null(g);
    if (g->func != guards[i].func || g->target != guards[i].target || g->init != guards[i].init ||
        g->export_index != guards[i].export_index)
      ROW_FAIL(i, "guard %u: target %u init %u export %u", g->func, g->target, g->init,
               g->export_index);
  }
  assert_null(tw_result_guard(r, 2));

  /* The plan: the exports name their guards. */
  assert_int_equal(tw_result_plan_count(r), 3);
  static const struct {
    tw_role role;
    uint32_t index;
    int64_t guard, target;
  } plan[] = {{TW_ROLE_INITIALIZE, 3, 6, 6}, {TW_ROLE_SYNC, 4, 7, 7}, {TW_ROLE_NOT_FUNC, 0, -1, 0}};
  for (size_t i = 0; i < COUNT(plan); i++) {
    const tw_plan_entry *e = tw_result_plan_entry(r, i);
    if (e->role != plan[i].role || e->index != plan[i].index || e->guard != plan[i].guard ||
        e->target != plan[i].target || e->wrapper != -1 || e->nhooks != 0 || e->removed ||
        e->already_wrapped)
      ROW_FAIL(i, "\"%s\": role %s index %u guard %lld target %lld wrapper %lld nhooks %u", e->name,
               tw_role_name(e->role), e->index, (long long)e->guard, (long long)e->target,
               (long long)e->wrapper, e->nhooks);
  }

  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  tw_module m;
  check_parse(&m, out, n);
  assert_int_equal(m.nfunc_imports, 1);
  assert_int_equal(m.nfuncs, 8);
  assert_int_equal(m.nbodies, 7);
  assert_int_equal(m.nexports, 4); /* and taskwrap_exit_code */
  assert_int_equal(m.exports[0].index, 6);
  assert_int_equal(m.exports[1].index, 7);
  assert_int_equal(m.exports[3].kind, 3);
  assert_int_equal(m.exports[3].name_len, strlen(TW_EXIT_CODE_GLOBAL));
  assert_memory_equal(out + m.exports[3].name, TW_EXIT_CODE_GLOBAL, m.exports[3].name_len);
  /* run's calls renumbered: kept 1 -> 0, fd_write 0 -> its stub 4,
   * proc_exit 2 -> 5, helper 5 -> 3 */
  check_bytes("renumbered run", out + m.bodies[1].code, m.bodies[1].end - m.bodies[1].code,
              B(0x00, 0x20, 0x00, 0x10, 0x00, 0x41, 0x01, 0x41, 0x00, 0x41, 0x00, 0x41, 0x08,
                0x10, 0x04, 0x1a, 0x41, 0x00, 0x10, 0x05, 0x10, 0x03, 0x0b));
  /* guards (docs/output-layout.md, "Added function bodies"): flag global 0 */
  check_bytes("_initialize's guard", out + m.bodies[5].code, m.bodies[5].end - m.bodies[5].code,
              B(0x00, 0x23, 0x00, 0x45, 0x04, 0x40, 0x41, 0x01, 0x24, 0x00, 0x10, 0x01, 0x0b,
                0x0b));
  check_bytes("run's guard", out + m.bodies[6].code, m.bodies[6].end - m.bodies[6].code,
              B(0x00, 0x23, 0x00, 0x45, 0x04, 0x40, 0x41, 0x01, 0x24, 0x00, 0x10, 0x01, 0x0b,
                0x20, 0x00, 0x20, 0x01, 0x10, 0x02, 0x0b));
  tw_module_free(&m);

  /* tw_check: right with these options, wrong without them. */
  check_accepts(in.d, in.n, out, n, &o);
  check_refuses(in.d, in.n, out, n, NULL, n, false, "host output, default options");
  size_t ni = 0, nb = 0;
  check_segments(r, in.d, in.n, &ni, &nb);
  tw_result_free(r);

  /* Only --init-once: no stubs; the imports stay. */
  tw_options once;
  tw_options_init(&once);
  once.init_once = 1;
  r = rewrite_ok(in.d, in.n, &once);
  assert_int_equal(tw_result_stub_count(r), 0);
  assert_null(tw_result_stub(r, 0));
  assert_int_equal(tw_result_guard_count(r), 2);
  assert_int_equal(tw_result_guard(r, 0)->func, 6);
  assert_int_equal(tw_result_guard(r, 0)->target, UINT32_MAX);
  assert_int_equal(tw_result_guard(r, 0)->init, 3);
  assert_int_equal(tw_result_guard(r, 1)->func, 7);
  assert_int_equal(tw_result_guard(r, 1)->target, 4);
  assert_int_equal(tw_result_guard(r, 1)->init, 3);
  tw_result_free(r);
  wb_free(&in);
}

/* Task hooks and --init-once together: the guards forward to the wrappers,
 * and the one-time call is _initialize's wrapper. One guard per function
 * the exports name (run and run2 share one, as they share a wrapper). */
static void test_guards_of_wrappers(void **state) {
  (void)state;
  wb in = {0};
  build_main(&in, true, 0);
  tw_options o;
  tw_options_init(&o);
  o.init_once = 1;
  tw_result *r = rewrite_ok(in.d, in.n, &o);
  assert_int_equal(tw_result_wrapper_count(r), 9);
  /* in export order: the targets after task-hook planning */
  static const struct {
    uint32_t target, export_index;
  } want[] = {{11, 1}, {12, 2}, {13, 3}, {14, 4}, {UINT32_MAX, 5}, {16, 6},
              {17, 7}, {18, 8}, {9, 11}, {10, 12}, {19, 13}};
  assert_int_equal(tw_result_guard_count(r), COUNT(want));
  for (size_t i = 0; i < COUNT(want); i++) {
    const tw_guard_entry *g = tw_result_guard(r, i);
    if (g->func != 20 + i || g->target != want[i].target || g->init != 15 ||
        g->export_index != want[i].export_index)
      ROW_FAIL(i, "guard %u: target %u init %u export %u", g->func, g->target, g->init,
               g->export_index);
  }
  /* the plan: wrappers as before, the exports name the guards */
  static const int64_t guard_of[] = {-1, 20, 21, 22, 23, 24, 25, 26, 27, -1, 20, 28, 29, 30};
  for (size_t i = 0; i < COUNT(main_exps); i++) {
    const tw_plan_entry *e = tw_result_plan_entry(r, i);
    const int64_t target = main_plan[i].removed ? -1
                           : guard_of[i] >= 0   ? guard_of[i]
                                                : (int64_t)main_exps[i].index;
    if (e->role != main_plan[i].role || !same_hooks(e, main_plan[i].hooks) ||
        e->wrapper != main_plan[i].wrapper || e->guard != guard_of[i] || e->target != target)
      ROW_FAIL(i, "\"%s\": wrapper %lld guard %lld target %lld", e->name, (long long)e->wrapper,
               (long long)e->guard, (long long)e->target);
  }
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  check_accepts(in.d, in.n, out, n, &o);
  tw_result_free(r);
  wb_free(&in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stub_guard_entries),
      cmocka_unit_test(test_guards_of_wrappers),
  };
  return cmocka_run_group_tests_name("guards", tests, NULL, NULL);
}
