/* Wrapper bodies (tw_wrapper_encode) against byte sequences written out by
 * hand from ABI.md's tables. Opcodes: 0x41 i32.const, 0x10 call, 0x20
 * local.get, 0x21 local.set, 0x1b select, 0x0b end; a body starts with its
 * local declarations: 0x00 (none) or 0x01 0x01 0x7f (one i32). */
#include "unit.h"

typedef struct erow {
  const char *what;
  tw_abi abi;
  uint32_t hook;       /* plan.hook: __wasm_task_hook or __wasm_init_task */
  uint32_t init_async; /* plan.init_async */
  bool has_init_async;
  tw_role role;
  uint32_t target;
  bool async_init;     /* wrapper.async_init */
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

static void test_encode_table(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(rows); i++) {
    const erow *r = &rows[i];
    tw_plan p;
    memset(&p, 0, sizeof p);
    p.abi = r->abi;
    p.hook = r->hook;
    p.init_async = r->init_async;
    p.has_init_async = r->has_init_async;
    tw_wrapper w = {r->target, r->role, 0, 0, r->async_init};
    tw_buf b = {0};
    tw_wrapper_encode(&b, &p, &w, r->nparams);
    if (b.failed) {
      tw_buf_free(&b);
      ROW_FAIL(i, "%s: encoder failed", r->what);
    }
    if (b.len != r->n || memcmp(b.data, r->want, r->n) != 0) {
      print_error("row %zu: %s\n", i, r->what);
      check_bytes("wrapper body", b.data, b.len, r->want, r->n);
    }
    tw_buf_free(&b);
  }
}

/* Many parameters: local.get 0 .. n-1 (two-byte indices from 128), and the
 * callback's extra local is number n. */
static void test_encode_many_params(void **state) {
  (void)state;
  const uint32_t n = 130;
  tw_plan p;
  memset(&p, 0, sizeof p);
  p.abi = TW_ABI_TASK_HOOK;
  p.hook = 1;
  tw_wrapper w = {9, TW_ROLE_ASYNC_CALLBACK, 0, 0, false};
  wb want = {0};
  wb_bytes(&want, (const uint8_t[]){0x01, 0x01, 0x7f, 0x41, 0x02, 0x10, 0x01}, 7);
  for (uint32_t i = 0; i < n; i++) {
    if (i < 128)
      wb_bytes(&want, (const uint8_t[]){0x20, (uint8_t)i}, 2);
    else
      wb_bytes(&want, (const uint8_t[]){0x20, (uint8_t)(0x80 | (i & 0x7f)), 0x01}, 3);
  }
  /* local 130 = 82 01 */
  wb_bytes(&want, (const uint8_t[]){0x10, 0x09, 0x21, 0x82, 0x01, 0x41, 0x04, 0x41, 0x05, 0x20,
                                    0x82, 0x01, 0x1b, 0x10, 0x01, 0x20, 0x82, 0x01, 0x0b},
           19);
  tw_buf b = {0};
  tw_wrapper_encode(&b, &p, &w, n);
  assert_false(b.failed);
  check_bytes("130-param async callback", b.data, b.len, want.d, want.n);
  tw_buf_free(&b);
  wb_free(&want);
}

/* The encoder appends: what is already in the buffer stays. */
static void test_encode_appends(void **state) {
  (void)state;
  tw_plan p;
  memset(&p, 0, sizeof p);
  p.abi = TW_ABI_TASK_HOOK;
  p.hook = 0;
  tw_wrapper w = {1, TW_ROLE_INITIALIZE, 0, 0, false};
  tw_buf b = {0};
  tw_buf_put(&b, "\xaa\xbb", 2);
  tw_wrapper_encode(&b, &p, &w, 0);
  tw_wrapper_encode(&b, &p, &w, 0);
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
      cmocka_unit_test(test_encode_appends),
      cmocka_unit_test(test_buf_leb),
  };
  return cmocka_run_group_tests_name("encode", tests, NULL, NULL);
}
