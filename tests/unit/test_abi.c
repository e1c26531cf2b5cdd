/* The ABIs through the public API (docs/abi.md, "Choosing the ABI"): the
 * init-task ABI, the choice between the two, the type requirements, and
 * the modules refused (invalid exports, an undecodable world, bad
 * arguments). Shared libraries are unit-dylink's. */
#include "fixture.h"

/* ---- init-task ABI and ABI selection -------------------------------------- */

static void test_init_task(void **state) {
  (void)state;
  /* f0 __wasm_init_task, f1 run, f2 [async-lift]a, f3 cabi_realloc,
   * f4 [async-lift-stackful]s, f5 __wasm_init_async_task (second case) */
  static const uint8_t types[] = {1, 1, 2, 4, 0, 1};
  static const mb_export exps[] = {
      {"__wasm_init_task", 0, 0}, {"run", 0, 1}, {"[async-lift]a", 0, 2},
      {"cabi_realloc", 0, 3},     {"[async-lift-stackful]s", 0, 4},
      {"__wasm_init_async_task", 0, 5},
  };
  for (int with_async = 0; with_async < 2; with_async++) {
    const size_t nexps = with_async ? 6 : 5;
    wb in = {0};
    build_plain(&in, types, 6, exps, nexps);
    tw_result *r = rewrite_ok(in.d, in.n, NULL);
    assert_int_equal(tw_result_abi(r), TW_ABI_INIT_TASK);
    assert_int_equal(tw_result_async_uses_init_task(r), !with_async);
    assert_int_equal(tw_result_wrapper_count(r), 3);
    const hooks async_hooks = {1, {with_async ? TW_HOOK_INIT_ASYNC : TW_HOOK_INIT, 0}};
    static const tw_role roles[] = {TW_ROLE_INIT, TW_ROLE_SYNC, TW_ROLE_ASYNC_CALLBACK,
                                    TW_ROLE_REALLOC, TW_ROLE_ASYNC_STACKFUL, TW_ROLE_INIT};
    const hooks want_hooks[] = {H0, H1(TW_HOOK_INIT), async_hooks, H0, async_hooks, H0};
    static const int64_t wrapper[] = {-1, 6, 7, -1, 8, -1};
    static const int64_t target[] = {-1, 6, 7, 3, 8, -1};
    static const int removed[] = {1, 0, 0, 0, 0, 1};
    for (size_t i = 0; i < nexps; i++) {
      const tw_plan_entry *e = tw_result_plan_entry(r, i);
      char hb[32];
      if (e->role != roles[i] || !same_hooks(e, want_hooks[i]) || e->wrapper != wrapper[i] ||
          e->target != target[i] || e->guard != -1 || e->removed != removed[i])
        ROW_FAIL(i, "\"%s\": role %s hooks %s wrapper %lld target %lld guard %lld removed %d",
                 e->name, tw_role_name(e->role), show_hooks(e, hb, sizeof hb),
                 (long long)e->wrapper, (long long)e->target, (long long)e->guard, e->removed);
    }
    size_t n = 0;
    const uint8_t *out = tw_result_output(r, &n);
    tw_module m;
    check_parse(&m, out, n);
    assert_int_equal(m.nfuncs, 9);
    const uint8_t ia = with_async ? 0x05 : 0x00; /* the init function async exports call */
    /* the wrappers of functions 1, 2 and 4 */
    const mb_bytes bodies[] = {
        {B(0x00, 0x10, 0x00, 0x10, 0x01, 0x0b)},
        {(const uint8_t[]){0x00, 0x10, ia, 0x20, 0x00, 0x20, 0x01, 0x10, 0x02, 0x0b}, 10},
        {(const uint8_t[]){0x00, 0x10, ia, 0x20, 0x00, 0x10, 0x04, 0x0b}, 8},
    };
    for (uint32_t k = 0; k < 3; k++) {
      const tw_body *b = &m.bodies[6 + k];
      check_bytes("init-task wrapper", out + b->code, b->end - b->code, bodies[k].d, bodies[k].n);
    }
    /* both init exports are gone */
    for (uint32_t e = 0; e < m.nexports; e++)
      assert_false(m.exports[e].name_len > 2 && memcmp(out + m.exports[e].name, "__", 2) == 0);
    tw_module_free(&m);
    tw_result_free(r);
    wb_free(&in);
  }
}

static void test_abi_selection(void **state) {
  (void)state;
  static const uint8_t types[] = {0, 1, 1};
  static const mb_export exps[] = {
      {"__wasm_task_hook", 0, 0}, {"__wasm_init_task", 0, 1}, {"run", 0, 2}};
  wb in = {0};
  build_plain(&in, types, 3, exps, 3);
  tw_result *r = NULL;
  assert_int_equal(tw_rewrite(in.d, in.n, NULL, &r), TW_ERR_ABI_CONFLICT);
  assert_true(tw_result_error_message(r)[0] != 0);
  tw_result_free(r);

  /* An explicit ABI resolves it. The other ABI's hook export is removed
   * too: left behind, it would make a downstream wit-component add a second
   * layer of hooks. */
  tw_options o;
  tw_options_init(&o);
  o.abi = TW_ABI_TASK_HOOK;
  r = rewrite_ok(in.d, in.n, &o);
  assert_int_equal(tw_result_abi(r), TW_ABI_TASK_HOOK);
  assert_int_equal(tw_result_plan_entry(r, 0)->role, TW_ROLE_HOOK);
  assert_int_equal(tw_result_plan_entry(r, 0)->removed, 1);
  assert_int_equal(tw_result_plan_entry(r, 1)->role, TW_ROLE_INIT);
  assert_int_equal(tw_result_plan_entry(r, 1)->removed, 1);
  assert_int_equal(tw_result_plan_entry(r, 2)->wrapper, 3);
  assert_int_equal(tw_result_plan_entry(r, 2)->target, 3);
  assert_int_equal(tw_result_plan_entry(r, 2)->nhooks, 2);
  assert_int_equal(tw_result_plan_entry(r, 2)->hooks[0], 0);
  assert_int_equal(tw_result_plan_entry(r, 2)->hooks[1], 1);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  tw_module m;
  check_parse(&m, out, n);
  assert_int_equal(m.nexports, 1);
  check_bytes("run wrapper, task-hook", out + m.bodies[3].code, m.bodies[3].end - m.bodies[3].code,
              B(0x00, 0x41, 0x00, 0x10, 0x00, 0x10, 0x02, 0x41, 0x01, 0x10, 0x00, 0x0b));
  tw_module_free(&m);
  tw_result_free(r);
  o.abi = TW_ABI_INIT_TASK;
  r = rewrite_ok(in.d, in.n, &o);
  assert_int_equal(tw_result_abi(r), TW_ABI_INIT_TASK);
  assert_int_equal(tw_result_plan_entry(r, 0)->role, TW_ROLE_HOOK);
  assert_int_equal(tw_result_plan_entry(r, 0)->removed, 1);
  assert_int_equal(tw_result_plan_entry(r, 1)->role, TW_ROLE_INIT);
  assert_int_equal(tw_result_plan_entry(r, 1)->removed, 1);
  assert_int_equal(tw_result_plan_entry(r, 2)->wrapper, 3);
  assert_int_equal(tw_result_plan_entry(r, 2)->target, 3);
  assert_int_equal(tw_result_plan_entry(r, 2)->nhooks, 1);
  assert_int_equal(tw_result_plan_entry(r, 2)->hooks[0], TW_HOOK_INIT);
  out = tw_result_output(r, &n);
  check_parse(&m, out, n);
  assert_int_equal(m.nexports, 1);
  check_bytes("run wrapper, init-task", out + m.bodies[3].code, m.bodies[3].end - m.bodies[3].code,
              B(0x00, 0x10, 0x01, 0x10, 0x02, 0x0b));
  tw_module_free(&m);
  tw_result_free(r);
  wb_free(&in);
}

/* Invalid modules the tool refuses once it has something to rewrite:
 * duplicate export names (the error points at the second entry) and an
 * export naming a function that does not exist (at that export). */
static void test_invalid_exports(void **state) {
  (void)state;
  static const uint8_t types[] = {0, 1};
  static const mb_export dup[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}, {"run", 0, 0}};
  static const mb_export range[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}, {"far", 0, 2}};
  const mb_export *const sets[] = {dup, range};
  const size_t bad_entry[] = {2, 2};
  for (size_t i = 0; i < COUNT(sets); i++) {
    const mb_module s = plain_module(types, 2, sets[i], 3, false);
    wb in = {0};
    mb_where w;
    mb_build(&in, &s, &w);
    const size_t *at = w.export_at;
    tw_result *r = NULL;
    const tw_status st = tw_rewrite(in.d, in.n, NULL, &r);
    if (st != TW_ERR_MALFORMED || tw_result_error_offset(r) != at[bad_entry[i]] ||
        tw_result_error_message(r)[0] == 0)
      ROW_FAIL(i, "status %d at 0x%llx (%s), want malformed at 0x%zx", st,
               (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r),
               at[bad_entry[i]]);
    tw_result_free(r);
    /* without a hook there is nothing to do, and the module passes through */
    wb in2 = {0};
    build_plain(&in2, types, 2, sets[i] + 1, 2);
    r = rewrite_ok(in2.d, in2.n, NULL);
    assert_false(tw_result_changed(r));
    tw_result_free(r);
    wb_free(&in);
    wb_free(&in2);
  }
}

/* The same for an export that is never wrapped: "_start" (internal) naming
 * a function that does not exist is refused too, at that export, rather than
 * copied into the output. */
static void test_invalid_internal_export(void **state) {
  (void)state;
  static const uint8_t types[] = {0, 1};
  static const mb_export exps[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}, {"_start", 0, 2}};
  const mb_module s = plain_module(types, 2, exps, 3, false);
  wb in = {0};
  mb_where w;
  mb_build(&in, &s, &w);
  const size_t *at = w.export_at;
  tw_result *r = NULL;
  const tw_status st = tw_rewrite(in.d, in.n, NULL, &r);
  if (st != TW_ERR_MALFORMED || tw_result_error_offset(r) != at[2] ||
      tw_result_error_message(r)[0] == 0)
    fail_msg("status %d at 0x%llx (%s), want malformed at 0x%zx", st,
             (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r), at[2]);
  tw_result_free(r);
  wb_free(&in);
}

/* ---- type mismatches (docs/abi.md, "Type requirements") ------------------ */

typedef struct mrow {
  uint32_t func;        /* give this function ... */
  uint8_t type;         /* ... this type */
  size_t export_i;      /* the export the error must name */
  const char *have, *want;
} mrow;

static const mrow mismatch_rows[] = {
    {0, 1, 0, "[] -> []", "[i32] -> []"},                                /* hook */
    {0, 5, 0, "[] -> [i32]", "[i32] -> []"},
    {4, 1, 4, "[] -> []", "[i32 i32 i32 i32] -> [i32]"},                 /* realloc */
    {4, 3, 4, "[i32 i32 i32] -> [i32]", "[i32 i32 i32 i32] -> [i32]"},
    {3, 2, 3, "[i32 i32] -> [i32]", "[i32 i32 i32] -> [i32]"},           /* callback */
    {6, 1, 6, "[] -> []", "[i32] -> []"},                                /* dtor */
    {5, 5, 5, "[] -> [i32]", "[] -> []"},                                /* _initialize */
    {2, 0, 2, "[i32] -> []", "-> [i32]"},                                /* async: results [i32] */
};

static void test_type_mismatch(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(mismatch_rows); i++) {
    const mrow *t = &mismatch_rows[i];
    uint8_t types[MAIN_NFUNCS];
    memcpy(types, main_types, sizeof types);
    types[t->func] = t->type;
    const mb_module s = plain_module(types, MAIN_NFUNCS, main_exps, MAIN_NEXPS, false);
    wb in = {0};
    mb_where w;
    mb_build(&in, &s, &w);
    const size_t *at = w.export_at;
    tw_result *r = NULL;
    const tw_status st = tw_rewrite(in.d, in.n, NULL, &r);
    assert_non_null(r);
    const char *msg = tw_result_error_message(r);
    const char *name = main_exps[t->export_i].name;
    size_t n = 99;
    const bool ok = st == TW_ERR_TYPE_MISMATCH && tw_result_status(r) == st &&
                    strstr(msg, name) && strstr(msg, t->have) && strstr(msg, t->want) &&
                    tw_result_error_offset(r) == at[t->export_i] &&
                    tw_result_output(r, &n) == NULL && n == 0 && !tw_result_changed(r);
    if (!ok)
      ROW_FAIL(i, "status %d at 0x%llx: \"%s\"; want type mismatch at 0x%zx naming %s, %s, %s",
               st, (unsigned long long)tw_result_error_offset(r), msg, at[t->export_i], name,
               t->have, t->want);
    tw_result_free(r);
    wb_free(&in);
  }
}

/* ---- modules with a world or a dylink section ------------------------------ */

/* Pass-through is absolute: a module with nothing to wrap is copied whatever
 * its custom sections hold. A component-type section that cannot be decoded
 * (the historical 0x03 encoding) is not read without a hook, also under
 * --init-once and --stub-wasi, whose guards and stubs do not depend on the
 * world. With a hook the same section is still refused, at its offset (the
 * control: the section really is undecodable). */
static void test_undecodable_world_without_hook(void **state) {
  (void)state;
  static const uint8_t types[] = {1, 5, 0};
  static const mb_export exps[] = {
      {"_initialize", 0, 0}, {"run", 0, 1}, {"__wasm_task_hook", 0, 2}};
  wb in = {0};
  build_plain(&in, types, 3, exps, 2);
  mb_append_custom(&in, "component-type:x", B(0x03, 0x00, 0x00));
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  assert_int_equal(tw_result_changed(r), 0);
  check_bytes("no hook, undecodable world", out, n, in.d, in.n);
  tw_result_free(r);
  tw_options o;
  tw_options_init(&o);
  o.init_once = 1;
  r = rewrite_ok(in.d, in.n, &o);
  assert_int_equal(tw_result_changed(r), 1);
  assert_int_equal(tw_result_guard_count(r), 2);
  tw_result_free(r);
  tw_options_init(&o);
  o.stub_wasi = 1; /* nothing to stub: a warning, and the module unchanged */
  r = rewrite_ok(in.d, in.n, &o);
  assert_int_equal(tw_result_changed(r), 0);
  tw_result_free(r);
  wb_free(&in);

  build_plain(&in, types, 3, exps, 3);
  const size_t at = mb_append_custom(&in, "component-type:x", B(0x03, 0x00, 0x00));
  r = NULL;
  assert_int_equal(tw_rewrite(in.d, in.n, NULL, &r), TW_ERR_MALFORMED);
  assert_true(tw_result_error_offset(r) >= at && tw_result_error_offset(r) < in.n);
  assert_non_null(strstr(tw_result_error_message(r), "historical"));
  tw_result_free(r);
  wb_free(&in);
}

/* ---- bad arguments ------------------------------------------------------------ */

static void test_bad_arguments(void **state) {
  (void)state;
  assert_int_equal(tw_rewrite((const uint8_t *)"", 0, NULL, NULL), TW_ERR_INVALID_ARG);
  tw_result *r = NULL;
  assert_int_equal(tw_rewrite(NULL, 8, NULL, &r), TW_ERR_INVALID_ARG);
  assert_int_equal(tw_result_status(r), TW_ERR_INVALID_ARG);
  tw_result_free(r);
  /* malformed input through the API: status and offset come through */
  static const uint8_t bad[] = {HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x00};
  r = NULL;
  assert_int_equal(tw_rewrite(bad, sizeof bad, NULL, &r), TW_ERR_MALFORMED);
  assert_int_equal(tw_result_error_offset(r), 10);
  assert_false(tw_result_changed(r));
  tw_result_free(r);
  tw_result_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_init_task),
      cmocka_unit_test(test_abi_selection),
      cmocka_unit_test(test_type_mismatch),
      cmocka_unit_test(test_invalid_exports),
      cmocka_unit_test(test_invalid_internal_export),
      cmocka_unit_test(test_bad_arguments),
      cmocka_unit_test(test_undecodable_world_without_hook),
  };
  return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
