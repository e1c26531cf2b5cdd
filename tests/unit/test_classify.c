/* Classification of export names (docs/abi.md, "Export roles") and the
 * hook codes of each role (docs/abi.md, "Hook codes"). */
#include "unit.h"

#include "edit.h"

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

/* Classification does not depend on the ABI being emitted (tw_classify_name
 * takes no ABI): the hook names of both ABIs are recognised whichever ABI is
 * in use, so that the planner can remove all of them (a hook export left
 * behind would make a downstream wit-component add a second layer of
 * hooks). */
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
    /* the standard mangling is hooked like the legacy one (docs/abi.md,
     * "Names and roles"); what fits none of its forms is passed through */
    {"cm32p2", 0, STANDARD},
    {"cm32p2_unknown", 0, STANDARD},
    {"cm32p2|run", 0, STANDARD},
    {"cm32p2||", 0, STANDARD},
    {"cm32p2|a|b|c", 0, STANDARD},
    {"cm32p2||_post", 0, STANDARD},
    {"cm32p2||x_dtor", 0, STANDARD}, /* a destructor needs an interface */
    {"cm32p2|wasi:cli/run@0.3.0|run", 0, SYNC},
    {"cm32p2||run", 0, SYNC},
    {"cm32p2||run_post", 0, POST},
    {"cm32p2|wasi:io/streams@0.2.0|output-stream_dtor", 0, DTOR},
    {"cm32p2|x|[method]r.m", 0, SYNC},
    {"cm32p2_initialize", 0, INITIALIZE},
    {"cm32p2_realloc", 0, REALLOC},
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
  for (size_t i = 0; i < COUNT(rows); i++) {
    const crow *r = &rows[i];
    const size_t len = r->len ? r->len : strlen(r->name);
    const int got = tw_classify_name((const uint8_t *)r->name, len);
    if (got != r->role)
      ROW_FAIL(i, "\"%.*s\": %s, want %s", (int)len, r->name, tw_role_name(got),
               tw_role_name(r->role));
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

/* Hook codes in call order: docs/abi.md, "Hook codes" (H(c) codes, with
 * TW_HOOK_CALLBACK_RESULT for "4 or 5, by the callback's result") and the
 * table of docs/abi.md, "Wrapper bodies: init-task ABI" (which init
 * function is called: TW_HOOK_INIT or TW_HOOK_INIT_ASYNC). n == 0: not
 * wrapped. */
typedef struct codes {
  uint8_t n;
  uint8_t c[2];
} codes;

#define NONE {0, {0, 0}}
#define C1(a) {1, {a, 0}}
#define C2(a, b) {2, {a, b}}
#define CB TW_HOOK_CALLBACK_RESULT
#define IN TW_HOOK_INIT
#define IA TW_HOOK_INIT_ASYNC

typedef struct hrow {
  tw_role role;
  codes task_hook;
  codes init_task;       /* with only __wasm_init_task */
  codes init_task_async; /* with __wasm_init_async_task too */
} hrow;

static const hrow hook_rows[] = {
    {TW_ROLE_SYNC, C2(0, 1), C1(IN), C1(IN)},
    {TW_ROLE_SYNC_POST, C1(0), C1(IN), C1(IN)},
    {TW_ROLE_POST_RETURN, C1(1), NONE, NONE},
    {TW_ROLE_ASYNC_CALLBACK, C2(2, CB), C1(IN), C1(IA)},
    {TW_ROLE_CALLBACK, C2(3, CB), NONE, NONE},
    {TW_ROLE_ASYNC_STACKFUL, C2(2, 5), C1(IN), C1(IA)},
    {TW_ROLE_REALLOC, C2(12, 13), NONE, NONE},
    {TW_ROLE_DTOR, C2(8, 9), NONE, NONE},
    {TW_ROLE_INITIALIZE, C2(6, 7), C1(IN), C1(IN)},
    {TW_ROLE_HOOK, NONE, NONE, NONE},
    {TW_ROLE_INIT, NONE, NONE, NONE},
    {TW_ROLE_INTERNAL, NONE, NONE, NONE},
    {TW_ROLE_STANDARD, NONE, NONE, NONE},
    {TW_ROLE_NOT_FUNC, NONE, NONE, NONE},
};

/* The codes of one call (the array starts filled with 0xee, so that a code
 * not written cannot pass for a right one). */
static codes get_codes(tw_role role, tw_abi abi, bool async_init) {
  uint8_t c[2] = {0xee, 0xee};
  const uint8_t n = tw_role_hook_codes(role, abi, async_init, c);
  codes k = {n, {c[0], c[1]}};
  return k;
}

static bool same_codes(codes got, codes want) {
  if (got.n != want.n || got.n > 2) return false;
  for (uint8_t i = 0; i < got.n; i++)
    if (got.c[i] != want.c[i]) return false;
  return true;
}

static const char *show(codes k, char *buf, size_t cap) {
  if (k.n == 0) return "-";
  if (k.n == 1) snprintf(buf, cap, "%u", k.c[0]);
  else snprintf(buf, cap, "%u,%u%s", k.c[0], k.c[1], k.n > 2 ? ",..." : "");
  return buf;
}

static void test_role_hooks(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(hook_rows); i++) {
    const hrow *r = &hook_rows[i];
    const codes th = get_codes(r->role, TW_ABI_TASK_HOOK, false);
    const codes th2 = get_codes(r->role, TW_ABI_TASK_HOOK, true); /* flag is init-task only */
    const codes it = get_codes(r->role, TW_ABI_INIT_TASK, false);
    const codes ia = get_codes(r->role, TW_ABI_INIT_TASK, true);
    if (!same_codes(th, r->task_hook) || !same_codes(th2, r->task_hook) ||
        !same_codes(it, r->init_task) || !same_codes(ia, r->init_task_async)) {
      char b[4][32];
      ROW_FAIL(i, "%s: %s / %s / %s / %s", tw_role_name(r->role), show(th, b[0], 32),
               show(th2, b[1], 32), show(it, b[2], 32), show(ia, b[3], 32));
    }
    if (get_codes(r->role, TW_ABI_NONE, false).n != 0 ||
        get_codes(r->role, TW_ABI_NONE, true).n != 0 ||
        get_codes(r->role, TW_ABI_AUTO, false).n != 0)
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
