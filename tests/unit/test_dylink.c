/* Shared libraries through the public API (docs/abi.md, "Shared
 * libraries"): the library that defines the hook keeps it under its
 * private name, a library without it imports it when --abi asks, what
 * neither needs is copied, an earlier run's output is left alone, the
 * refusals, and the verifier's own reading of the new shapes. */
#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "fixture.h"

static const uint8_t mem_info[] = {0x01, 0x04, 0x00, 0x00, 0x00, 0x00};

/* A built module with a dylink.0 (or `section`) custom section appended;
 * returns the section's offset. */
static size_t build_library(wb *in, const mb_module *m, const char *section, mb_where *w) {
  mb_build(in, m, w);
  return mb_append_custom(in, section, mem_info, sizeof mem_info);
}

static bool holds(const uint8_t *d, size_t n, const char *s) {
  return memmem(d, n, s, strlen(s)) != NULL;
}

static tw_options abi_options(tw_abi abi) {
  tw_options o;
  tw_options_init(&o);
  o.abi = abi;
  return o;
}

/* The library that defines the hook: renamed export, nothing of its own
 * lifted without a world (malloc stays), the function kept; the older
 * `dylink` section too; both init-task names. */
static void test_definer(void **state) {
  (void)state;
  static const uint8_t types[] = {0, 1, 1, 5};
  static const mb_export hook = {"__wasm_task_hook", 0, 0}, init = {"__wasm_init_task", 0, 1},
                         async = {"__wasm_init_async_task", 0, 2}, malloc_ = {"malloc", 0, 3};
  static const struct {
    mb_export exps[3];
    size_t nexps;
    const char *section;
    tw_abi abi;
    const char *renamed[2]; /* the private names the output must hold */
  } rows[] = {
      {{hook, malloc_}, 2, "dylink.0", TW_ABI_AUTO, {"__taskwrap_task_hook", NULL}},
      {{hook, malloc_}, 2, "dylink", TW_ABI_AUTO, {"__taskwrap_task_hook", NULL}},
      {{hook, malloc_}, 2, "dylink.0", TW_ABI_TASK_HOOK, {"__taskwrap_task_hook", NULL}},
      {{init, malloc_}, 2, "dylink.0", TW_ABI_AUTO, {"__taskwrap_init_task", NULL}},
      {{init, async, malloc_}, 3, "dylink.0", TW_ABI_AUTO,
       {"__taskwrap_init_task", "__taskwrap_init_async_task"}},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    const mb_module s = plain_module(types, 4, rows[i].exps, rows[i].nexps, false);
    wb in = {0};
    build_library(&in, &s, rows[i].section, NULL);
    const tw_options o = abi_options(rows[i].abi);
    tw_result *r = rewrite_ok(in.d, in.n, &o);
    size_t n = 0;
    const uint8_t *out = tw_result_output(r, &n);
    if (!tw_result_changed(r) || tw_result_wrapper_count(r) != 0)
      ROW_FAIL(i, "changed %d, %u wrappers", tw_result_changed(r), tw_result_wrapper_count(r));
    for (size_t k = 0; k < 2; k++)
      if (rows[i].renamed[k] && !holds(out, n, rows[i].renamed[k]))
        ROW_FAIL(i, "no export %s", rows[i].renamed[k]);
    if (holds(out, n, "__wasm_task_hook") || holds(out, n, "__wasm_init_task"))
      ROW_FAIL(i, "%s", "a public hook name is left");
    const char *json = tw_result_plan_json(r);
    if (!strstr(json, "\"library\":{\"kind\":\"defines-hook\",\"section\":\"") ||
        !strstr(json, "\"import\":null}"))
      ROW_FAIL(i, "plan: %s", json);
    check_accepts(in.d, in.n, out, n, &o);
    /* Idempotence: the output is an earlier run's, left alone. */
    tw_result *again = rewrite_ok(out, n, &o);
    size_t n2 = 0;
    const uint8_t *out2 = tw_result_output(again, &n2);
    check_bytes("the output rewritten again", out2, n2, out, n);
    if (!strstr(tw_result_plan_json(again), "\"kind\":\"already-rewritten\""))
      ROW_FAIL(i, "again: %s", tw_result_plan_json(again));
    tw_result_free(again);
    tw_result_free(r);
    wb_free(&in);
  }
}

/* Copied byte for byte: a library without the hook and without --abi, or
 * with --abi and nothing the link path wraps (malloc without a world), or
 * with another ABI's hook only. */
static void test_copied(void **state) {
  (void)state;
  static const uint8_t types[] = {0, 2};
  static const mb_export hook = {"__wasm_task_hook", 0, 0}, malloc_ = {"malloc", 0, 1};
  static const struct {
    mb_export exps[2];
    size_t nexps;
    tw_abi abi;
    const char *kind;
  } rows[] = {
      {{malloc_}, 1, TW_ABI_AUTO, "nothing-to-wrap"},
      {{malloc_}, 1, TW_ABI_TASK_HOOK, "nothing-to-wrap"},
      {{malloc_}, 1, TW_ABI_INIT_TASK, "nothing-to-wrap"},
      {{hook, malloc_}, 2, TW_ABI_INIT_TASK, "nothing-to-wrap"},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    const mb_module s = plain_module(types, 2, rows[i].exps, rows[i].nexps, false);
    wb in = {0};
    build_library(&in, &s, "dylink.0", NULL);
    const tw_options o = abi_options(rows[i].abi);
    tw_result *r = rewrite_ok(in.d, in.n, &o);
    size_t n = 0;
    const uint8_t *out = tw_result_output(r, &n);
    check_bytes("a library with nothing to do", out, n, in.d, in.n);
    char want[64];
    snprintf(want, sizeof want, "\"kind\":\"%s\"", rows[i].kind);
    if (!strstr(tw_result_plan_json(r), want)) ROW_FAIL(i, "plan: %s", tw_result_plan_json(r));
    tw_result_free(r);
    wb_free(&in);
  }
}

/* A library with what the link path wraps in every library (a realloc, an
 * initialiser) and a function no world lifts: --abi task-hook imports the
 * hook as env.__taskwrap_task_hook, appending its type when the module has
 * none of that shape; --abi init-task imports __taskwrap_init_task and
 * wraps only the initialiser. */
static void test_importer(void **state) {
  (void)state;
  static const char *const with_hook_type[] = {"iiii->i", "->", "i->", "ii->i"};
  static const char *const without[] = {"iiii->i", "->", "ii->i"};
  static const uint8_t funcs_a[] = {0, 1, 3}, funcs_b[] = {0, 1, 2};
  static const struct {
    const char *const *types;
    size_t ntypes;
    const uint8_t *funcs;
    const char *ctor;
    tw_abi abi;
    uint32_t wrappers;
    const char *import, *added_type;
  } rows[] = {
      {with_hook_type, 4, funcs_a, "_initialize", TW_ABI_TASK_HOOK, 2, "__taskwrap_task_hook", NULL},
      {without, 3, funcs_b, "__wasm_call_ctors", TW_ABI_TASK_HOOK, 2, "__taskwrap_task_hook",
       "added type 3: [i32] -> []"},
      {without, 3, funcs_b, "_initialize", TW_ABI_INIT_TASK, 1, "__taskwrap_init_task", NULL},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    const mb_export exps[] = {{"cabi_realloc", 0, 0}, {rows[i].ctor, 0, 1}, {"malloc", 0, 2}};
    const mb_module s = {.types = rows[i].types, .ntypes = rows[i].ntypes, .funcs = rows[i].funcs,
                         .nfuncs = 3, .exports = exps, .nexports = 3};
    wb in = {0};
    build_library(&in, &s, "dylink.0", NULL);
    const tw_options o = abi_options(rows[i].abi);
    tw_result *r = rewrite_ok(in.d, in.n, &o);
    size_t n = 0;
    const uint8_t *out = tw_result_output(r, &n);
    if (tw_result_wrapper_count(r) != rows[i].wrappers || !holds(out, n, rows[i].import))
      ROW_FAIL(i, "%u wrappers, import %s", tw_result_wrapper_count(r), rows[i].import);
    const tw_plan_entry *realloc_ = tw_result_plan_entry(r, 0), *ctor = tw_result_plan_entry(r, 1),
                        *malloc_ = tw_result_plan_entry(r, 2);
    const bool task_hook = rows[i].abi == TW_ABI_TASK_HOOK;
    if (!same_hooks(realloc_, task_hook ? (hooks)H2(12, 13) : (hooks)H0) ||
        !same_hooks(ctor, task_hook ? (hooks)H2(6, 7) : (hooks)H1(TW_HOOK_INIT)) ||
        !same_hooks(malloc_, (hooks)H0) || malloc_->role != TW_ROLE_UNLIFTED)
      ROW_FAIL(i, "%s", tw_result_plan_text(r));
    char want[160];
    snprintf(want, sizeof want,
             "\"kind\":\"imports-hook\",\"section\":\"dylink.0\",\"renamed\":[],\"import\":"
             "{\"module\":\"env\",\"name\":\"%s\",\"func\":0}", rows[i].import);
    if (!strstr(tw_result_plan_json(r), want)) ROW_FAIL(i, "plan: %s", tw_result_plan_json(r));
    const char *changes = tw_result_changes_text(r);
    if (rows[i].added_type ? !strstr(changes, rows[i].added_type) : !!strstr(changes, "added type"))
      ROW_FAIL(i, "changes: %s", changes);
    check_accepts(in.d, in.n, out, n, &o);
    tw_result *again = rewrite_ok(out, n, &o);
    size_t n2 = 0;
    const uint8_t *out2 = tw_result_output(again, &n2);
    check_bytes("the output rewritten again", out2, n2, out, n);
    tw_result_free(again);
    tw_result_free(r);
    wb_free(&in);
  }
}

/* The verifier reads the new shapes itself: a renamed export, an import or
 * an added type that is one byte off is refused. Controls: the outputs
 * themselves are accepted (above). */
static void test_verifier(void **state) {
  (void)state;
  static const char *const types[] = {"iiii->i", "->", "ii->i"};
  static const uint8_t funcs[] = {0, 1, 2};
  const mb_export lib_exps[] = {{"cabi_realloc", 0, 0}, {"_initialize", 0, 1}, {"malloc", 0, 2}};
  const mb_module importer = {.types = types, .ntypes = 3, .funcs = funcs, .nfuncs = 3,
                              .exports = lib_exps, .nexports = 3};
  static const uint8_t dtypes[] = {0, 1};
  static const mb_export dexps[] = {{"__wasm_task_hook", 0, 0}, {"malloc", 0, 1}};
  const mb_module definer = plain_module(dtypes, 2, dexps, 2, false);
  const struct {
    const mb_module *m;
    const char *find;  /* a string of the output */
    size_t at;         /* the byte of it to change */
    const char *what;
  } rows[] = {
      {&definer, "__taskwrap_task_hook", 19, "the renamed export's name"},
      {&importer, "__taskwrap_task_hook", 0, "the import's field name"},
      {&importer, "\x03" "env", 2, "the import's module name"},
      {&importer, "\x60\x01\x7f\x00", 2, "the appended hook type"},
  };
  const tw_options o = abi_options(TW_ABI_TASK_HOOK);
  for (size_t i = 0; i < COUNT(rows); i++) {
    wb in = {0};
    build_library(&in, rows[i].m, "dylink.0", NULL);
    tw_result *r = rewrite_ok(in.d, in.n, &o);
    size_t n = 0;
    uint8_t *out = output_copy(r, 0, &n);
    const uint8_t *p = memmem(out, n, rows[i].find, strlen(rows[i].find) + (rows[i].find[0] == 0x60));
    if (!p) ROW_FAIL(i, "no %s in the output", rows[i].what);
    const size_t at = (size_t)(p - out) + rows[i].at;
    out[at] ^= 0x01;
    check_refuses(in.d, in.n, out, n, &o, at, false, rows[i].what);
    free(out);
    tw_result_free(r);
    wb_free(&in);
  }
}

/* Refused, with the offset of what is wrong: --keep-hook-export on the
 * definer (at the dylink section), both initialisers (at the second), the
 * options for hosts without the component model. */
static void test_refused(void **state) {
  (void)state;
  static const uint8_t types[] = {0, 1, 1};
  static const mb_export hook = {"__wasm_task_hook", 0, 0}, ini = {"_initialize", 0, 1},
                         ctors = {"__wasm_call_ctors", 0, 2};
  static const struct {
    mb_export exps[3];
    size_t nexps;
    tw_abi abi;
    int keep, stub;
    int at; /* -1: the dylink section; else that export */
    const char *msg;
  } rows[] = {
      {{hook}, 1, TW_ABI_AUTO, 1, 0, -1, "--keep-hook-export: a shared library must not keep"},
      {{ini, ctors}, 2, TW_ABI_TASK_HOOK, 0, 0, 1, "both __wasm_call_ctors and _initialize"},
      {{hook, ini, ctors}, 3, TW_ABI_AUTO, 0, 0, 2, "both __wasm_call_ctors and _initialize"},
      {{hook, ini}, 2, TW_ABI_AUTO, 0, 1, -1, "--stub-wasi: a shared library goes to"},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    const mb_module s = plain_module(types, 3, rows[i].exps, rows[i].nexps, false);
    mb_where w;
    wb in = {0};
    const size_t sec = build_library(&in, &s, "dylink.0", &w);
    tw_options o = abi_options(rows[i].abi);
    o.keep_hook_export = rows[i].keep;
    o.stub_wasi = rows[i].stub;
    tw_result *r = NULL;
    const tw_status st = tw_rewrite(in.d, in.n, &o, &r);
    const size_t at = rows[i].at < 0 ? sec : w.export_at[rows[i].at];
    if (st != TW_ERR_UNSUPPORTED || tw_result_error_offset(r) != at ||
        !strstr(tw_result_error_message(r), rows[i].msg))
      ROW_FAIL(i, "status %d at 0x%llx (want 0x%zx): %s", st,
               (unsigned long long)tw_result_error_offset(r), at, tw_result_error_message(r));
    tw_result_free(r);
    wb_free(&in);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_definer),  cmocka_unit_test(test_copied),
      cmocka_unit_test(test_importer), cmocka_unit_test(test_verifier),
      cmocka_unit_test(test_refused),
  };
  return cmocka_run_group_tests_name("dylink", tests, NULL, NULL);
}
