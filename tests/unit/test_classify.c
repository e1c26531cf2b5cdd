/* Classification of export names (ABI.md "Export roles") and the hook-code
 * strings of each role (ABI.md wrapper tables). */
#include "unit.h"

enum {
  HOOK = TW_ROLE_HOOK, INIT = TW_ROLE_INIT, INITIALIZE = TW_ROLE_INITIALIZE,
  REALLOC = TW_ROLE_REALLOC, POST = TW_ROLE_POST_RETURN, ASYNC = TW_ROLE_ASYNC_CALLBACK,
  STACKFUL = TW_ROLE_ASYNC_STACKFUL, CALLBACK = TW_ROLE_CALLBACK, DTOR = TW_ROLE_DTOR,
  INTERNAL = TW_ROLE_INTERNAL, STANDARD = TW_ROLE_STANDARD, SYNC = TW_ROLE_SYNC
};

typedef struct crow {
  const char *name;
  size_t len; /* 0: strlen(name) */
  int role;
} crow;

/* Classification does not depend on the ABI being emitted: the hook names
 * of both ABIs are recognised whichever ABI is in use, so that the planner
 * can remove all of them (a hook export left behind would make a downstream
 * wit-component add a second layer of hooks). Every row is checked under
 * every tw_abi value. */
static const crow rows[] = {
    {"__wasm_task_hook", 0, HOOK},
    {"__wasm_init_task", 0, INIT},
    {"__wasm_init_async_task", 0, INIT},
    /* near the hook names: just names starting with "__" */
    {"__wasm_task_hook2", 0, INTERNAL},
    {"__wasm_init_task_x", 0, INTERNAL},
    {"__wasm_task", 0, INTERNAL},
    {"__heap_base", 0, INTERNAL},
    {"__", 0, INTERNAL},
    {"_start", 0, INTERNAL},
    {"cabi_realloc_adapter", 0, INTERNAL},
    {"_initialize", 0, INITIALIZE},
    {"cabi_realloc", 0, REALLOC},
    {"canonical_abi_realloc", 0, REALLOC},
    {"cabi_export_realloc", 0, REALLOC},
    {"cabi_import_realloc", 0, REALLOC},
    {"cm32p2", 0, STANDARD},
    {"cm32p2|wasi:cli/run@0.3.0|run", 0, STANDARD},
    {"cm32p2_realloc", 0, STANDARD},
    /* post-return by name; whether <N> is exported is the planner's business
     * (it demotes cabi_post_<N> to sync when <N> is not) */
    {"cabi_post_x", 0, POST},
    {"cabi_post_wasi:cli/run@0.3.0#run", 0, POST},
    {"[callback][async-lift]x", 0, CALLBACK},
    {"[callback][async-lift]wasi:http/handler@0.3.0#handle", 0, CALLBACK},
    {"[async-lift-stackful]x", 0, STACKFUL},
    {"[async-lift]x", 0, ASYNC},
    {"[async-lift]wasi:http/handler@0.3.0#handle", 0, ASYNC},
    {"x#[dtor]r", 0, DTOR},
    {"wasi:io/streams@0.2.0#[dtor]output-stream", 0, DTOR},
    {"[method]r.m", 0, SYNC},
    {"[constructor]r", 0, SYNC},
    {"[static]r.f", 0, SYNC},
    {"a#b", 0, SYNC},
    {"x#[method]r.m", 0, SYNC},
    {"run", 0, SYNC},
    {"", 0, SYNC},
    {"memory", 0, SYNC}, /* by name alone; kinds are the planner's business */
    /* near misses: exact names and prefixes only */
    {"_initialize2", 0, SYNC},
    {"initialize", 0, SYNC},
    {"_start_x", 0, SYNC},
    {"cabi_realloc2", 0, SYNC},
    {"cabi_realloc_", 0, SYNC},
    {"x_cabi_realloc", 0, SYNC},
    {"cabi_post", 0, SYNC},
    {"cm32p", 0, SYNC},
    {"[async]x", 0, SYNC},
    {"[async-lift-stackful", 0, SYNC},
    {"x[async-lift]y", 0, SYNC},
    {"x#[dtor", 0, SYNC},
    {"[dtor]r", 0, SYNC}, /* the destructor name has the "<iface>#" part */
    {"x#dtor]r", 0, SYNC},
    /* explicit lengths: a prefix of a role name, and a NUL inside a name */
    {"_initialize", 10, SYNC},  /* "_initializ" */
    {"cabi_realloc", 11, SYNC}, /* "cabi_reallo" */
    {"__wasm_task_hook", 15, INTERNAL},
    {"_start\0x", 8, SYNC},
    {"cabi_realloc\0", 13, SYNC},
};

static void test_classify(void **state) {
  (void)state;
  static const tw_abi abis[] = {TW_ABI_TASK_HOOK, TW_ABI_INIT_TASK, TW_ABI_AUTO, TW_ABI_NONE};
  for (size_t i = 0; i < COUNT(rows); i++) {
    const crow *r = &rows[i];
    const size_t len = r->len ? r->len : strlen(r->name);
    for (size_t a = 0; a < COUNT(abis); a++) {
      const int got = tw_classify_name((const uint8_t *)r->name, len, abis[a]);
      if (got != r->role)
        ROW_FAIL(i, "\"%.*s\" under %s: %s, want %s", (int)len, r->name, tw_abi_name(abis[a]),
                 tw_role_name(got), tw_role_name(r->role));
    }
  }
}

/* Names of the roles, as the plan prints them. */
static void test_role_names(void **state) {
  (void)state;
  static const char *const want[] = {
      "not-func", "hook", "init", "initialize", "realloc", "post-return", "async-callback",
      "async-stackful", "callback", "dtor", "internal", "standard", "sync", "sync-post"};
  for (int r = 0; r <= TW_ROLE_SYNC_POST; r++) assert_string_equal(tw_role_name(r), want[r]);
  assert_string_equal(tw_abi_name(TW_ABI_TASK_HOOK), "task-hook");
  assert_string_equal(tw_abi_name(TW_ABI_INIT_TASK), "init-task");
}

/* Hook codes in call order: ABI.md's task-hook table (H(c) codes) and the
 * init-task table (which init function is called). NULL: not wrapped. */
typedef struct hrow {
  tw_role role;
  const char *task_hook;
  const char *init_task;       /* with only __wasm_init_task */
  const char *init_task_async; /* with __wasm_init_async_task too */
} hrow;

static const hrow hook_rows[] = {
    {TW_ROLE_SYNC, "0,1", "init", "init"},
    {TW_ROLE_SYNC_POST, "0", "init", "init"},
    {TW_ROLE_POST_RETURN, "1", NULL, NULL},
    {TW_ROLE_ASYNC_CALLBACK, "2,4|5", "init", "init-async"},
    {TW_ROLE_CALLBACK, "3,4|5", NULL, NULL},
    {TW_ROLE_ASYNC_STACKFUL, "2,5", "init", "init-async"},
    {TW_ROLE_REALLOC, "12,13", NULL, NULL},
    {TW_ROLE_DTOR, "8,9", NULL, NULL},
    {TW_ROLE_INITIALIZE, "6,7", "init", "init"},
    {TW_ROLE_HOOK, NULL, NULL, NULL},
    {TW_ROLE_INIT, NULL, NULL, NULL},
    {TW_ROLE_INTERNAL, NULL, NULL, NULL},
    {TW_ROLE_STANDARD, NULL, NULL, NULL},
    {TW_ROLE_NOT_FUNC, NULL, NULL, NULL},
};

static bool same_str(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

static void test_role_hooks(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(hook_rows); i++) {
    const hrow *r = &hook_rows[i];
    const char *th = tw_role_hooks(r->role, TW_ABI_TASK_HOOK, false);
    const char *th2 = tw_role_hooks(r->role, TW_ABI_TASK_HOOK, true); /* flag is init-task only */
    const char *it = tw_role_hooks(r->role, TW_ABI_INIT_TASK, false);
    const char *ia = tw_role_hooks(r->role, TW_ABI_INIT_TASK, true);
    if (!same_str(th, r->task_hook) || !same_str(th2, r->task_hook) ||
        !same_str(it, r->init_task) || !same_str(ia, r->init_task_async))
      ROW_FAIL(i, "%s: %s / %s / %s / %s", tw_role_name(r->role), th ? th : "NULL",
               th2 ? th2 : "NULL", it ? it : "NULL", ia ? ia : "NULL");
    if (tw_role_hooks(r->role, TW_ABI_NONE, false) != NULL)
      ROW_FAIL(i, "%s: hooks without an ABI", tw_role_name(r->role));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_classify),
      cmocka_unit_test(test_role_names),
      cmocka_unit_test(test_role_hooks),
  };
  return cmocka_run_group_tests_name("classify", tests, NULL, NULL);
}
