/* The WIT world of component-type sections (world.c): decoding a real
 * section (wasm-tools 1.262 `component embed` of the world below), the
 * classification of both manglings against it, the canonical interface
 * names of the cm32p2 mangling, and refusal of every truncation and of
 * corrupted bytes with an error, never a crash.
 *
 *   package t:u@0.2.1;
 *   world w {
 *     export run: func();
 *     export i;
 *     export local: interface { g: func(x: u32) -> string; }
 *   }
 *   interface i { resource r { constructor(); m: func(); } f: func(); }
 */
#include "unit.h"

#include "world.h"

static const uint8_t section[] = {
    0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x00, 0x19, 0x16, 0x77,
    0x69, 0x74, 0x2d, 0x63, 0x6f, 0x6d, 0x70, 0x6f, 0x6e, 0x65, 0x6e, 0x74,
    0x2d, 0x65, 0x6e, 0x63, 0x6f, 0x64, 0x69, 0x6e, 0x67, 0x04, 0x00, 0x07,
    0x9b, 0x01, 0x01, 0x41, 0x02, 0x01, 0x41, 0x06, 0x01, 0x40, 0x00, 0x01,
    0x00, 0x04, 0x00, 0x03, 0x72, 0x75, 0x6e, 0x01, 0x00, 0x01, 0x42, 0x09,
    0x04, 0x00, 0x01, 0x72, 0x03, 0x01, 0x01, 0x69, 0x00, 0x01, 0x40, 0x00,
    0x00, 0x01, 0x04, 0x00, 0x0e, 0x5b, 0x63, 0x6f, 0x6e, 0x73, 0x74, 0x72,
    0x75, 0x63, 0x74, 0x6f, 0x72, 0x5d, 0x72, 0x01, 0x02, 0x01, 0x68, 0x00,
    0x01, 0x40, 0x01, 0x04, 0x73, 0x65, 0x6c, 0x66, 0x03, 0x01, 0x00, 0x04,
    0x00, 0x0b, 0x5b, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x5d, 0x72, 0x2e,
    0x6d, 0x01, 0x04, 0x01, 0x40, 0x00, 0x01, 0x00, 0x04, 0x00, 0x01, 0x66,
    0x01, 0x05, 0x04, 0x00, 0x0b, 0x74, 0x3a, 0x75, 0x2f, 0x69, 0x40, 0x30,
    0x2e, 0x32, 0x2e, 0x31, 0x05, 0x01, 0x01, 0x42, 0x02, 0x01, 0x40, 0x01,
    0x01, 0x78, 0x79, 0x00, 0x73, 0x04, 0x00, 0x01, 0x67, 0x01, 0x00, 0x04,
    0x00, 0x05, 0x6c, 0x6f, 0x63, 0x61, 0x6c, 0x05, 0x02, 0x04, 0x00, 0x0b,
    0x74, 0x3a, 0x75, 0x2f, 0x77, 0x40, 0x30, 0x2e, 0x32, 0x2e, 0x31, 0x04,
    0x00, 0x0b, 0x07, 0x01, 0x00, 0x01, 0x77, 0x03, 0x00, 0x00, 0x00, 0x2f,
    0x09, 0x70, 0x72, 0x6f, 0x64, 0x75, 0x63, 0x65, 0x72, 0x73, 0x01, 0x0c,
    0x70, 0x72, 0x6f, 0x63, 0x65, 0x73, 0x73, 0x65, 0x64, 0x2d, 0x62, 0x79,
    0x01, 0x0d, 0x77, 0x69, 0x74, 0x2d, 0x63, 0x6f, 0x6d, 0x70, 0x6f, 0x6e,
    0x65, 0x6e, 0x74, 0x07, 0x30, 0x2e, 0x32, 0x36, 0x32, 0x2e, 0x30
};

/* A module with one custom section "component-type" holding payload, its
 * size in two bytes (padded below 128), written to out (1024 bytes). */
static size_t module_with(uint8_t *out, const uint8_t *payload, size_t n) {
  const mb_custom ct = {"component-type", {payload, n}, 0, 2};
  const mb_module m = {.customs = &ct, .ncustoms = 1};
  wb b = {0};
  mb_build(&b, &m, NULL);
  assert_true(b.n <= 1024);
  memcpy(out, b.d, b.n);
  const size_t size = b.n;
  wb_free(&b);
  return size;
}

typedef struct wrow {
  const char *name;
  int role;
  int reason;
} wrow;

enum {
  SYNC = TW_ROLE_SYNC, POST = TW_ROLE_POST_RETURN, ASYNC = TW_ROLE_ASYNC_CALLBACK,
  STACKFUL = TW_ROLE_ASYNC_STACKFUL, CALLBACK = TW_ROLE_CALLBACK, DTOR = TW_ROLE_DTOR,
  UNLIFTED = TW_ROLE_UNLIFTED, INITIALIZE = TW_ROLE_INITIALIZE, REALLOC = TW_ROLE_REALLOC,
  INTERNAL = TW_ROLE_INTERNAL,
  NAME = TW_REASON_NAME, WORLD = TW_REASON_WORLD_FUNC, IFACE = TW_REASON_INTERFACE_FUNC,
  OF_POST = TW_REASON_POST_RETURN, OF_CB = TW_REASON_CALLBACK, OF_DTOR = TW_REASON_DTOR,
  NONE = TW_REASON_UNLIFTED
};

static const wrow rows[] = {
    {"_initialize", INITIALIZE, NAME},
    {"cabi_realloc", REALLOC, NAME},
    {"cabi_export_realloc", REALLOC, NAME},
    {"cabi_realloc_adapter", INTERNAL, NAME},
    {"cm32p2_initialize", INITIALIZE, NAME},
    {"cm32p2_realloc", REALLOC, NAME},
    {"cm32p2cabi_realloc", UNLIFTED, NONE}, /* cm32p2 takes the prefix away */
    /* legacy */
    {"run", SYNC, WORLD},
    {"cabi_post_run", POST, OF_POST},
    {"[async-lift]run", ASYNC, WORLD},
    {"[async-lift-stackful]run", STACKFUL, WORLD},
    {"[callback][async-lift]run", CALLBACK, OF_CB},
    {"t:u/i@0.2.1#f", SYNC, IFACE},
    {"t:u/i@0.2.1#[constructor]r", SYNC, IFACE},
    {"t:u/i@0.2.1#[method]r.m", SYNC, IFACE},
    {"cabi_post_t:u/i@0.2.1#[method]r.m", POST, OF_POST},
    {"[callback][async-lift]t:u/i@0.2.1#f", CALLBACK, OF_CB},
    {"t:u/i@0.2.1#[dtor]r", DTOR, OF_DTOR},
    {"local#g", SYNC, IFACE},
    {"cabi_post_local#g", POST, OF_POST},
    {"t:u/i@0.2#f", UNLIFTED, NONE},      /* legacy names carry the full version */
    {"t:u/i#f", UNLIFTED, NONE},
    {"t:u/i@0.2.1#g", UNLIFTED, NONE},
    {"t:u/i@0.2.1#[dtor]s", UNLIFTED, NONE},
    {"local#[dtor]r", UNLIFTED, NONE},
    {"t:u/i@0.2.1#[dtor]f", UNLIFTED, NONE}, /* a function, not a resource */
    {"g", UNLIFTED, NONE},
    {"f", UNLIFTED, NONE},
    {"r", UNLIFTED, NONE},
    {"", UNLIFTED, NONE},
    {"#", UNLIFTED, NONE},
    {"cabi_post_", UNLIFTED, NONE},
    {"cabi_post_g", UNLIFTED, NONE},
    {"[callback]run", UNLIFTED, NONE},
    {"[async-lift]", UNLIFTED, NONE},
    {"malloc", UNLIFTED, NONE},
    {"_start", UNLIFTED, NONE},
    {"wasi_thread_start", UNLIFTED, NONE},
    /* standard */
    {"cm32p2||run", SYNC, WORLD},
    {"cm32p2||run_post", POST, OF_POST},
    {"cm32p2|t:u/i@0.2|f", SYNC, IFACE},
    {"cm32p2|t:u/i@0.2|[method]r.m", SYNC, IFACE},
    {"cm32p2|t:u/i@0.2|[method]r.m_post", POST, OF_POST},
    {"cm32p2|t:u/i@0.2|r_dtor", DTOR, OF_DTOR},
    {"cm32p2|local|g", SYNC, IFACE},
    {"cm32p2|local|g_post", POST, OF_POST},
    {"cm32p2|t:u/i@0.2.1|f", UNLIFTED, NONE}, /* the canonical form only */
    {"cm32p2|t:u/i@0|f", UNLIFTED, NONE},
    {"cm32p2|run", UNLIFTED, NONE},
    {"cm32p2||", UNLIFTED, NONE},
    {"cm32p2|||run", UNLIFTED, NONE},
    {"cm32p2||f", UNLIFTED, NONE},
    {"cm32p2|t:u/i@0.2|g", UNLIFTED, NONE},
    {"cm32p2[async-lift]||run", UNLIFTED, NONE}, /* no async forms in this mangling */
    {"cm32p2|t:u/i@0.2|f_dtor", UNLIFTED, NONE},
    {"cm32p2|local|r_dtor", UNLIFTED, NONE},
};

static void test_classify_against_world(void **state) {
  (void)state;
  static uint8_t buf[1024];
  const size_t n = module_with(buf, section, sizeof section);
  tw_module m;
  tw_err err = {0};
  assert_true(tw_module_parse(&m, buf, n, &err));
  tw_world *w = NULL;
  assert_true(tw_world_decode(&m, &w, &err));
  assert_non_null(w);
  assert_int_equal(w->nsections, 1);
  assert_int_equal(w->nifaces, 2);
  assert_int_equal(w->nitems, 6); /* run; f, [constructor]r, [method]r.m, r; g */
  assert_memory_equal(buf + w->name, "t:u/w@0.2.1", w->name_len);
  for (size_t i = 0; i < COUNT(rows); i++) {
    tw_wit_match why;
    const tw_role r = tw_world_classify(w, (const uint8_t *)rows[i].name, strlen(rows[i].name), &why);
    if ((int)r != rows[i].role || (int)why.reason != rows[i].reason)
      ROW_FAIL(i, "\"%s\": role %s reason %s, expected %s %s", rows[i].name, tw_role_name(r),
               tw_reason_name(why.reason), tw_role_name((tw_role)rows[i].role),
               tw_reason_name((tw_reason)rows[i].reason));
    if ((why.item == TW_NONE) != (why.reason == TW_REASON_NAME || why.reason == TW_REASON_UNLIFTED))
      ROW_FAIL(i, "\"%s\": item %u with reason %s", rows[i].name, why.item,
               tw_reason_name(why.reason));
  }
  tw_world_free(w);
  tw_module_free(&m);
}

typedef struct crow {
  const char *id, *canon;
} crow;

static const crow canon_rows[] = {
    {"wasi:cli/run@0.2.3", "wasi:cli/run@0.2"},
    {"wasi:cli/run@1.2.3", "wasi:cli/run@1"},
    {"wasi:cli/run@10.0.0", "wasi:cli/run@10"},
    {"wasi:cli/run@0.0.4", "wasi:cli/run@0.0.4"},
    {"wasi:cli/run@0.10.1", "wasi:cli/run@0.10"},
    {"wasi:cli/run@1.0.0-rc.1", "wasi:cli/run@1.0.0-rc.1"},
    {"wasi:cli/run@0.3.0-rc-2026-01-06", "wasi:cli/run@0.3.0-rc-2026-01-06"},
    {"wasi:cli/run@1.2.3+build.5", "wasi:cli/run@1"},
    {"wasi:cli/run", "wasi:cli/run"},
    {"local", "local"},
};

static void test_canonical_names(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(canon_rows); i++) {
    size_t n = 0;
    char *c = tw_wit_canonical_name((const uint8_t *)canon_rows[i].id, strlen(canon_rows[i].id), &n);
    assert_non_null(c);
    if (n != strlen(c) || strcmp(c, canon_rows[i].canon) != 0)
      ROW_FAIL(i, "%s -> %s, expected %s", canon_rows[i].id, c, canon_rows[i].canon);
    free(c);
  }
}

/* Every proper prefix of the payload is refused with an error inside the
 * section; so is (or decodes) every one-byte change, without a crash
 * (the sanitizer build watches). */
static void test_truncations_and_corruptions(void **state) {
  (void)state;
  static uint8_t payload[sizeof section], buf[1024];
  size_t refused = 0, decoded = 0;
  for (size_t cut = 0; cut < sizeof section; cut++) {
    const size_t n = module_with(buf, section, cut);
    tw_module m;
    tw_err err = {0};
    assert_true(tw_module_parse(&m, buf, n, &err));
    tw_world *w = NULL;
    /* Cut just before the trailing producers custom section (49 bytes),
     * the world is complete. */
    if (tw_world_decode(&m, &w, &err)) {
      assert_int_equal(cut, sizeof section - 49);
      tw_world_free(w);
    } else {
      assert_true(err.offset >= 8 + 3 + 15 && err.offset <= n);
      refused++;
    }
    tw_module_free(&m);
  }
  assert_int_equal(refused, sizeof section - 1);
  for (size_t at = 0; at < sizeof section; at++) {
    for (unsigned flip = 1; flip < 256; flip <<= 1) {
      memcpy(payload, section, sizeof section);
      payload[at] ^= (uint8_t)flip;
      const size_t n = module_with(buf, payload, sizeof section);
      tw_module m;
      tw_err err = {0};
      if (!tw_module_parse(&m, buf, n, &err)) continue; /* not UTF-8 in the name? */
      tw_world *w = NULL;
      if (tw_world_decode(&m, &w, &err)) decoded++;
      else refused++;
      tw_world_free(w);
      tw_module_free(&m);
    }
  }
  print_message("%zu refused, %zu still decode\n", refused, decoded);
}

/* A type section after the export section adds types to the scope the
 * export named its type in; the exported world must still be decoded (the
 * sanitizer build catches a read of the scope's array from before it grew).
 * First a whole module of 162 bytes as is: world `pkg:w/w`, empty, exported
 * by `w`, then 8 more types. */
static const uint8_t late_types_module[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x46, 0x10, 0x63, 0x6f, 0x6d,
    0x70, 0x6f, 0x6e, 0x65, 0x6e, 0x74, 0x2d, 0x74, 0x79, 0x70, 0x65, 0x3a, 0x77, 0x00,
    0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x17, 0x01, 0x41, 0x02, 0x01, 0x41,
    0x01, 0x01, 0x40, 0x00, 0x01, 0x00, 0x04, 0x00, 0x07, 0x70, 0x6b, 0x67, 0x3a, 0x77,
    0x2f, 0x77, 0x04, 0x00, 0x0b, 0x07, 0x01, 0x00, 0x01, 0x77, 0x03, 0x00, 0x00, 0x07,
    0x09, 0x08, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f};

static void test_types_after_the_export(void **state) {
  (void)state;
  tw_module m;
  tw_err err = {0};
  assert_true(tw_module_parse(&m, late_types_module, sizeof late_types_module, &err));
  tw_world *w = NULL;
  if (!tw_world_decode(&m, &w, &err)) fail_msg("refused at 0x%llx: %s", (unsigned long long)err.offset, err.message);
  assert_non_null(w);
  assert_int_equal(w->nifaces, 0);
  assert_int_equal(w->nitems, 0);
  assert_int_equal(w->name_len, 7);
  assert_memory_equal(late_types_module + w->name, "pkg:w/w", 7);
  tw_world_free(w);
  tw_module_free(&m);

  /* The real section with the same 8 types after its export section (before
   * the trailing producers section, 49 bytes): the same world. */
  static const uint8_t late[] = {0x07, 0x09, 0x08, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f};
  static uint8_t payload[sizeof section + sizeof late], buf[1024];
  const size_t head = sizeof section - 49;
  memcpy(payload, section, head);
  memcpy(payload + head, late, sizeof late);
  memcpy(payload + head + sizeof late, section + head, 49);
  const size_t n = module_with(buf, payload, sizeof payload);
  assert_true(tw_module_parse(&m, buf, n, &err));
  if (!tw_world_decode(&m, &w, &err)) fail_msg("refused at 0x%llx: %s", (unsigned long long)err.offset, err.message);
  assert_int_equal(w->nifaces, 2);
  assert_int_equal(w->nitems, 6);
  tw_wit_match why;
  static const char f[] = "t:u/i@0.2.1#f";
  assert_int_equal(tw_world_classify(w, (const uint8_t *)f, sizeof f - 1, &why), TW_ROLE_SYNC);
  assert_int_equal(why.reason, TW_REASON_INTERFACE_FUNC);
  tw_world_free(w);
  tw_module_free(&m);
}

/* A world exporting n interfaces, each with one function `f`: interface 2j
 * is `t:u/iJ@1.0.0` and 2j+1 is `t:u/iJ@1.1.0`, both `t:u/iJ@1` in the cm32p2
 * mangling. Returns the whole module. */
static void world_of_interfaces(wb *mod, uint32_t n) {
  wb world = {0}, types = {0}, exports = {0}, payload = {0};
  char name[48];
  wb_uleb(&world, (uint64_t)n * 2); /* declarations: a type and an export each */
  for (uint32_t k = 0; k < n; k++) {
    /* type k: instance { type (func); export "f" (func 0) } */
    wb_bytes(&world, (const uint8_t[]){0x01, 0x42, 0x02, 0x01, 0x40, 0x00, 0x01, 0x00,
                                       0x04, 0x00, 0x01, 'f', 0x01, 0x00}, 14);
    snprintf(name, sizeof name, "t:u/i%u@1.%u.0", k / 2, k % 2);
    wb_bytes(&world, (const uint8_t[]){0x04, 0x00}, 2); /* export, plain name */
    wb_name(&world, name);
    wb_u8(&world, 0x05); /* instance of type k */
    wb_uleb(&world, k);
  }
  /* types: 1; component { type (component WORLD); export "t:u/w" (component 0) } */
  wb_bytes(&types, (const uint8_t[]){0x01, 0x41, 0x02, 0x01, 0x41}, 5);
  wb_bytes(&types, world.d, world.n);
  wb_bytes(&types, (const uint8_t[]){0x04, 0x00, 0x05, 't', ':', 'u', '/', 'w', 0x04, 0x00}, 10);
  wb_bytes(&exports, (const uint8_t[]){0x01, 0x00, 0x01, 'w', 0x03, 0x00, 0x00}, 7);
  wb_bytes(&payload, (const uint8_t[]){0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}, 8);
  wb_section(&payload, 7, &types);
  wb_section(&payload, 11, &exports);
  const mb_custom ct = {"component-type", {payload.d, payload.n}, 0, 0};
  const mb_module m = {.customs = &ct, .ncustoms = 1};
  mb_build(mod, &m, NULL);
  wb_free(&world), wb_free(&types), wb_free(&exports), wb_free(&payload);
}

static void expect_iface(const tw_world *w, const char *export_name, uint32_t iface) {
  tw_wit_match why;
  const tw_role r = tw_world_classify(w, (const uint8_t *)export_name, strlen(export_name), &why);
  if (r != TW_ROLE_SYNC || why.reason != TW_REASON_INTERFACE_FUNC || why.item >= w->nitems ||
      w->items[why.item].iface != iface)
    fail_msg("\"%s\": role %s reason %s item %u, expected interface %u", export_name,
             tw_role_name(r), tw_reason_name(why.reason), why.item, iface);
}

/* Thousands of interfaces, their maps grown step by step: each is found by
 * its name, and in the cm32p2 mangling the first of a canonical name wins. */
static void test_many_interfaces(void **state) {
  (void)state;
  enum { N = 5000 };
  wb mod = {0};
  world_of_interfaces(&mod, N);
  tw_module m;
  tw_err err = {0};
  assert_true(tw_module_parse(&m, mod.d, mod.n, &err));
  tw_world *w = NULL;
  if (!tw_world_decode(&m, &w, &err)) fail_msg("refused at 0x%llx: %s", (unsigned long long)err.offset, err.message);
  assert_int_equal(w->nifaces, N);
  assert_int_equal(w->nitems, N);
  /* Linear in the names: each map is rebuilt only when its array doubles
   * (about log2(N) times each), never once per name (N times each). */
  assert_in_range(w->rebuilds, 1, 4 * 14);
  char name[64];
  for (uint32_t k = 0; k < N; k++) {
    snprintf(name, sizeof name, "t:u/i%u@1.%u.0#f", k / 2, k % 2);
    expect_iface(w, name, k);
    snprintf(name, sizeof name, "cm32p2|t:u/i%u@1|f", k / 2);
    expect_iface(w, name, k & ~1u);
  }
  static const char absent[] = "t:u/i2500@1.0.0#f";
  tw_wit_match why;
  assert_int_equal(tw_world_classify(w, (const uint8_t *)absent, sizeof absent - 1, &why),
                   TW_ROLE_UNLIFTED);
  tw_world_free(w);
  tw_module_free(&m);
  wb_free(&mod);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_classify_against_world),
      cmocka_unit_test(test_canonical_names),
      cmocka_unit_test(test_truncations_and_corruptions),
      cmocka_unit_test(test_types_after_the_export),
      cmocka_unit_test(test_many_interfaces),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
