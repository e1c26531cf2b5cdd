/* Wrapper bodies (tw_encode_wrapper_body, and tw_encode_wrapper on an edit)
 * against byte sequences written out by hand from the tables of docs/abi.md,
 * "Wrapper bodies: task-hook ABI" and "Wrapper bodies: init-task ABI".
 * Opcodes: 0x41 i32.const, 0x10 call, 0x20 local.get, 0x21 local.set,
 * 0x1b select, 0x0b end; a body starts with its local declarations: 0x00
 * (none) or 0x01 0x01 0x7f (one i32). */
#include "unit.h"

#include "bodies.h"
#include "edit.h"
#include "stubs.h"

typedef struct erow {
  const char *what;
  tw_abi abi;
  uint32_t hook;       /* edit.hook: __wasm_task_hook or __wasm_init_task */
  uint32_t init_async; /* edit.init_async */
  bool has_init_async;
  tw_role role;
  uint32_t target;
  bool async_init;     /* tw_fn.async_init: the wrapper calls init_async */
  uint32_t nparams;
  const uint8_t *want;
  size_t n;
} erow;

#define TH TW_ABI_TASK_HOOK
#define IT TW_ABI_INIT_TASK

static const erow rows[] = {
    /* ---- task-hook ABI, hook = function 0 ---- */
    {"sync f4, 0 params", TH, 0, 0, false, TW_ROLE_SYNC, 4, false, 0,
     B(0x00, 0x41, 0x00, 0x10, 0x00, 0x10, 0x04, 0x41, 0x01, 0x10, 0x00, 0x0b)},
    {"sync f4, 2 params", TH, 0, 0, false, TW_ROLE_SYNC, 4, false, 2,
     B(0x00, 0x41, 0x00, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x04, 0x41, 0x01, 0x10, 0x00,
       0x0b)},
    {"sync-post f4, 1 param", TH, 0, 0, false, TW_ROLE_SYNC_POST, 4, false, 1,
     B(0x00, 0x41, 0x00, 0x10, 0x00, 0x20, 0x00, 0x10, 0x04, 0x0b)},
    {"post-return f5, 1 param", TH, 0, 0, false, TW_ROLE_POST_RETURN, 5, false, 1,
     B(0x00, 0x20, 0x00, 0x10, 0x05, 0x41, 0x01, 0x10, 0x00, 0x0b)},
    {"async callback f3, 2 params", TH, 0, 0, false, TW_ROLE_ASYNC_CALLBACK, 3, false, 2,
     B(0x01, 0x01, 0x7f, 0x41, 0x02, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x03, 0x21, 0x02,
       0x41, 0x04, 0x41, 0x05, 0x20, 0x02, 0x1b, 0x10, 0x00, 0x20, 0x02, 0x0b)},
    {"async callback f3, 0 params", TH, 0, 0, false, TW_ROLE_ASYNC_CALLBACK, 3, false, 0,
     B(0x01, 0x01, 0x7f, 0x41, 0x02, 0x10, 0x00, 0x10, 0x03, 0x21, 0x00, 0x41, 0x04, 0x41, 0x05,
       0x20, 0x00, 0x1b, 0x10, 0x00, 0x20, 0x00, 0x0b)},
    {"callback f6, 3 params", TH, 0, 0, false, TW_ROLE_CALLBACK, 6, false, 3,
     B(0x01, 0x01, 0x7f, 0x41, 0x03, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x10, 0x06,
       0x21, 0x03, 0x41, 0x04, 0x41, 0x05, 0x20, 0x03, 0x1b, 0x10, 0x00, 0x20, 0x03, 0x0b)},
    {"stackful f7, 0 params", TH, 0, 0, false, TW_ROLE_ASYNC_STACKFUL, 7, false, 0,
     B(0x00, 0x41, 0x02, 0x10, 0x00, 0x10, 0x07, 0x41, 0x05, 0x10, 0x00, 0x0b)},
    {"stackful f7, 1 param", TH, 0, 0, false, TW_ROLE_ASYNC_STACKFUL, 7, false, 1,
     B(0x00, 0x41, 0x02, 0x10, 0x00, 0x20, 0x00, 0x10, 0x07, 0x41, 0x05, 0x10, 0x00, 0x0b)},
    {"realloc f8, 4 params", TH, 0, 0, false, TW_ROLE_REALLOC, 8, false, 4,
     B(0x00, 0x41, 0x0c, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x20, 0x03, 0x10, 0x08,
       0x41, 0x0d, 0x10, 0x00, 0x0b)},
    {"dtor f9, 1 param", TH, 0, 0, false, TW_ROLE_DTOR, 9, false, 1,
     B(0x00, 0x41, 0x08, 0x10, 0x00, 0x20, 0x00, 0x10, 0x09, 0x41, 0x09, 0x10, 0x00, 0x0b)},
    {"initialize f1", TH, 0, 0, false, TW_ROLE_INITIALIZE, 1, false, 0,
     B(0x00, 0x41, 0x06, 0x10, 0x00, 0x10, 0x01, 0x41, 0x07, 0x10, 0x00, 0x0b)},
    /* multi-byte indices: hook 200 = c8 01, target 70000 = f0 a2 04,
     * hook 127 = 7f (one byte), target 128 = 80 01 */
    {"sync, hook 200, f70000", TH, 200, 200, false, TW_ROLE_SYNC, 70000, false, 0,
     B(0x00, 0x41, 0x00, 0x10, 0xc8, 0x01, 0x10, 0xf0, 0xa2, 0x04, 0x41, 0x01, 0x10, 0xc8, 0x01,
       0x0b)},
    {"realloc, hook 127, f128", TH, 127, 127, false, TW_ROLE_REALLOC, 128, false, 0,
     B(0x00, 0x41, 0x0c, 0x10, 0x7f, 0x10, 0x80, 0x01, 0x41, 0x0d, 0x10, 0x7f, 0x0b)},
    {"callback, hook 200, f70000", TH, 200, 200, false, TW_ROLE_CALLBACK, 70000, false, 3,
     B(0x01, 0x01, 0x7f, 0x41, 0x03, 0x10, 0xc8, 0x01, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x10,
       0xf0, 0xa2, 0x04, 0x21, 0x03, 0x41, 0x04, 0x41, 0x05, 0x20, 0x03, 0x1b, 0x10, 0xc8, 0x01,
       0x20, 0x03, 0x0b)},
    {"post-return, hook 16384, f2", TH, 16384, 16384, false, TW_ROLE_POST_RETURN, 2, false, 0,
     B(0x00, 0x10, 0x02, 0x41, 0x01, 0x10, 0x80, 0x80, 0x01, 0x0b)},
    /* async_init is an init-task flag: the task-hook body ignores it */
    {"stackful, async_init set", TH, 0, 0, false, TW_ROLE_ASYNC_STACKFUL, 7, true, 0,
     B(0x00, 0x41, 0x02, 0x10, 0x00, 0x10, 0x07, 0x41, 0x05, 0x10, 0x00, 0x0b)},

    /* ---- init-task ABI: init = 2, init_async = 3 ---- */
    {"init-task sync f10, 1 param", IT, 2, 3, true, TW_ROLE_SYNC, 10, false, 1,
     B(0x00, 0x10, 0x02, 0x20, 0x00, 0x10, 0x0a, 0x0b)},
    {"init-task sync-post f10", IT, 2, 3, true, TW_ROLE_SYNC_POST, 10, false, 0,
     B(0x00, 0x10, 0x02, 0x10, 0x0a, 0x0b)},
    {"init-task initialize f1", IT, 2, 3, true, TW_ROLE_INITIALIZE, 1, false, 0,
     B(0x00, 0x10, 0x02, 0x10, 0x01, 0x0b)},
    {"init-task async callback f11", IT, 2, 3, true, TW_ROLE_ASYNC_CALLBACK, 11, true, 2,
     B(0x00, 0x10, 0x03, 0x20, 0x00, 0x20, 0x01, 0x10, 0x0b, 0x0b)},
    {"init-task stackful f12", IT, 2, 3, true, TW_ROLE_ASYNC_STACKFUL, 12, true, 0,
     B(0x00, 0x10, 0x03, 0x10, 0x0c, 0x0b)},
    /* no __wasm_init_async_task: async exports call __wasm_init_task */
    {"init-task async, no init-async", IT, 2, 2, false, TW_ROLE_ASYNC_CALLBACK, 11, false, 0,
     B(0x00, 0x10, 0x02, 0x10, 0x0b, 0x0b)},
    {"init-task sync, init 200, f70000", IT, 200, 300, true, TW_ROLE_SYNC, 70000, false, 0,
     B(0x00, 0x10, 0xc8, 0x01, 0x10, 0xf0, 0xa2, 0x04, 0x0b)},
    {"init-task async, init-async 300", IT, 200, 300, true, TW_ROLE_ASYNC_STACKFUL, 5, true, 0,
     B(0x00, 0x10, 0xac, 0x02, 0x10, 0x05, 0x0b)},
};

/* An edit just complete enough for tw_encode_wrapper: the ABI, the hook
 * functions, an identity output numbering of edit ids 0..nout-1, and types
 * t<k> with k i32 parameters (k = 0..MAX_PARAMS). */
#define MAX_PARAMS 130
typedef struct fake {
  tw_module m;
  tw_functype types[MAX_PARAMS + 1];
  tw_edit e;
} fake;

static void fake_init(fake *f, tw_abi abi, uint32_t hook, uint32_t init_async,
                      bool has_init_async, uint32_t nout) {
  memset(f, 0, sizeof *f);
  for (uint32_t k = 0; k <= MAX_PARAMS; k++) {
    f->types[k].is_func = true;
    f->types[k].nparams = k;
  }
  f->m.types = f->types;
  f->m.ntypes = MAX_PARAMS + 1;
  f->m.nfuncs = nout;
  f->e.m = &f->m;
  f->e.abi = abi;
  f->e.hook = hook;
  f->e.init_async = init_async;
  f->e.has_init_async = has_init_async;
  f->e.out = malloc(nout * sizeof *f->e.out);
  assert_non_null(f->e.out);
  for (uint32_t i = 0; i < nout; i++) f->e.out[i] = i;
}

static void fake_free(fake *f) { free(f->e.out); }

static uint32_t max3(uint32_t a, uint32_t b, uint32_t c) {
  return a > b ? (a > c ? a : c) : (b > c ? b : c);
}

static void test_encode_table(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(rows); i++) {
    const erow *r = &rows[i];
    /* The index a wrapper calls: the init-task ABI's async exports call
     * __wasm_init_async_task; everything else the hook. */
    const uint32_t hook = r->async_init ? r->init_async : r->hook;
    tw_buf b = {0};
    tw_encode_wrapper_body(&b, r->abi, r->role, hook, r->target, r->nparams);
    if (b.failed) {
      tw_buf_free(&b);
      ROW_FAIL(i, "%s: encoder failed", r->what);
    }
    if (b.len != r->n || memcmp(b.data, r->want, r->n) != 0) {
      print_error("row %zu: %s\n", i, r->what);
      check_bytes("wrapper body", b.data, b.len, r->want, r->n);
    }
    tw_buf_free(&b);

    /* The same through tw_encode_wrapper: it picks the init function and
     * the parameter count (from the wrapper's type) itself. */
    fake f;
    fake_init(&f, r->abi, r->hook, r->init_async, r->has_init_async,
              max3(r->hook, r->init_async, r->target) + 1);
    const tw_fn w = {.kind = TW_FN_WRAPPER, .type = r->nparams, .export_i = 0, .role = r->role,
                     .target = r->target, .async_init = r->async_init, .init = TW_NONE,
                     .import_i = TW_NONE, .import_func = TW_NONE};
    tw_buf b2 = {0};
    tw_encode_wrapper(&b2, &f.e, &w);
    fake_free(&f);
    if (b2.failed) {
      tw_buf_free(&b2);
      ROW_FAIL(i, "%s: tw_encode_wrapper failed", r->what);
    }
    if (b2.len != r->n || memcmp(b2.data, r->want, r->n) != 0) {
      print_error("row %zu: %s (tw_encode_wrapper)\n", i, r->what);
      check_bytes("wrapper body", b2.data, b2.len, r->want, r->n);
    }
    tw_buf_free(&b2);
  }
}

/* Many parameters: local.get 0 .. n-1 (two-byte indices from 128), and the
 * callback's extra local is number n. */
static void test_encode_many_params(void **state) {
  (void)state;
  const uint32_t n = 130;
  wb want = {0};
  wb_bytes(&want, (const uint8_t[]){0x01, 0x01, 0x7f, 0x41, 0x02, 0x10, 0x01}, 7);
  for (uint32_t i = 0; i < n; i++) wb_u8(&want, 0x20), wb_uleb(&want, i); /* local.get i */
  /* local 130 = 82 01 */
  wb_bytes(&want, (const uint8_t[]){0x10, 0x09, 0x21, 0x82, 0x01, 0x41, 0x04, 0x41, 0x05, 0x20,
                                    0x82, 0x01, 0x1b, 0x10, 0x01, 0x20, 0x82, 0x01, 0x0b},
           19);
  tw_buf b = {0};
  tw_encode_wrapper_body(&b, TW_ABI_TASK_HOOK, TW_ROLE_ASYNC_CALLBACK, 1, 9, n);
  assert_false(b.failed);
  check_bytes("130-param async callback", b.data, b.len, want.d, want.n);
  tw_buf_free(&b);

  fake f;
  fake_init(&f, TW_ABI_TASK_HOOK, 1, 1, false, 10);
  const tw_fn w = {.kind = TW_FN_WRAPPER, .type = n, .export_i = 0,
                   .role = TW_ROLE_ASYNC_CALLBACK, .target = 9, .async_init = false,
                   .init = TW_NONE, .import_i = TW_NONE, .import_func = TW_NONE};
  tw_buf b2 = {0};
  tw_encode_wrapper(&b2, &f.e, &w);
  fake_free(&f);
  assert_false(b2.failed);
  check_bytes("130-param async callback (tw_encode_wrapper)", b2.data, b2.len, want.d, want.n);
  tw_buf_free(&b2);
  wb_free(&want);
}

/* Roles that are never wrapped, and no ABI: the encoder refuses (the
 * buffer's failure flag) rather than write a body. */
static void test_encode_refuses(void **state) {
  (void)state;
  static const tw_role unwrapped[] = {TW_ROLE_HOOK, TW_ROLE_INIT, TW_ROLE_INTERNAL,
                                      TW_ROLE_STANDARD, TW_ROLE_NOT_FUNC};
  for (size_t i = 0; i < COUNT(unwrapped); i++) {
    tw_buf b = {0};
    tw_encode_wrapper_body(&b, TW_ABI_TASK_HOOK, unwrapped[i], 0, 1, 0);
    if (!b.failed) ROW_FAIL(i, "%s: a task-hook body", tw_role_name(unwrapped[i]));
    tw_buf_free(&b);
  }
  static const tw_abi no_abi[] = {TW_ABI_NONE, TW_ABI_AUTO};
  for (size_t i = 0; i < COUNT(no_abi); i++) {
    tw_buf b = {0};
    tw_encode_wrapper_body(&b, no_abi[i], TW_ROLE_SYNC, 0, 1, 0);
    if (!b.failed) ROW_FAIL(i, "a body under %s", tw_abi_name(no_abi[i]));
    tw_buf_free(&b);
  }
}

/* A stub is encoded without a scan of the added functions: one scan per
 * stub made stubbing n imports cost O(n^2). Here the edit's function list
 * cannot be read at all (NULL, with the largest count), and the stub still
 * comes out as tw_stub_encode makes it, calling the output import, which is
 * numbered last among the output's imports (edit.h). */
static void test_stub_without_a_scan(void **state) {
  (void)state;
  tw_edit e;
  memset(&e, 0, sizeof e);
  e.fns = NULL;
  e.nfns = UINT32_MAX;
  e.nimports_added = 1;
  e.out_nimports = 7;
  e.global_of[TW_GLOBAL_GUARD] = TW_NONE;
  e.global_of[TW_GLOBAL_EXIT] = 3;
  e.global_of[TW_GLOBAL_CLOCK] = 4;
  e.global_of[TW_GLOBAL_RANDOM] = 5;
  tw_fn f;
  memset(&f, 0, sizeof f);
  f.kind = TW_FN_STUB;
  f.stub = TW_STUB_FD_WRITE;
  tw_buf got = {0}, want = {0};
  tw_encode_stub(&got, &e, &f);
  const tw_stub_env env = {.output_func = 6, .exit_global = 3, .clock_global = 4,
                           .random_global = 5};
  tw_stub_encode(&want, TW_STUB_FD_WRITE, &env);
  assert_false(got.failed || want.failed);
  assert_int_equal(got.len, want.len);
  assert_memory_equal(got.data, want.data, want.len);
  bool calls_output = false;
  for (size_t i = 0; i + 1 < got.len; i++) calls_output |= got.data[i] == 0x10 && got.data[i + 1] == 6;
  assert_true(calls_output);
  tw_buf_free(&got);
  tw_buf_free(&want);
}

/* The encoder appends: what is already in the buffer stays. */
static void test_encode_appends(void **state) {
  (void)state;
  tw_buf b = {0};
  tw_buf_put(&b, "\xaa\xbb", 2);
  tw_encode_wrapper_body(&b, TW_ABI_TASK_HOOK, TW_ROLE_INITIALIZE, 0, 1, 0);
  tw_encode_wrapper_body(&b, TW_ABI_TASK_HOOK, TW_ROLE_INITIALIZE, 0, 1, 0);
  static const uint8_t want[] = {0xaa, 0xbb,
                                 0x00, 0x41, 0x06, 0x10, 0x00, 0x10, 0x01, 0x41, 0x07, 0x10, 0x00, 0x0b,
                                 0x00, 0x41, 0x06, 0x10, 0x00, 0x10, 0x01, 0x41, 0x07, 0x10, 0x00, 0x0b};
  assert_false(b.failed);
  check_bytes("appended bodies", b.data, b.len, want, sizeof want);
  tw_buf_free(&b);
}

/* The output buffer's LEB helpers, used for every index in the output. */
static void test_buf_leb(void **state) {
  (void)state;
  tw_buf b = {0};
  tw_buf_put_uleb(&b, 624485);
  tw_buf_put_uleb_width(&b, 3, 5);
  tw_buf_put_uleb_width(&b, 300, 1); /* width below the minimum: minimal */
  tw_buf_put_sleb(&b, -123456);
  tw_buf_put_sleb(&b, 64);
  tw_buf_put_u8(&b, 0x0b);
  static const uint8_t want[] = {0xe5, 0x8e, 0x26, 0x83, 0x80, 0x80, 0x80, 0x00, 0xac, 0x02,
                                 0xc0, 0xbb, 0x78, 0xc0, 0x00, 0x0b};
  assert_false(b.failed);
  check_bytes("tw_buf LEBs", b.data, b.len, want, sizeof want);
  tw_buf_free(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_encode_table),
      cmocka_unit_test(test_encode_many_params),
      cmocka_unit_test(test_encode_refuses),
      cmocka_unit_test(test_encode_appends),
      cmocka_unit_test(test_stub_without_a_scan),
      cmocka_unit_test(test_buf_leb),
  };
  return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}
