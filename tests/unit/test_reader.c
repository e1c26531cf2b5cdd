/* The module reader: tw_module_parse on small hand-built byte arrays, the
 * cursor and the UTF-8 check.
 *
 * Error offsets follow one rule: the error points at the first byte of the
 * item that is wrong or could not be read whole (a LEB128 that is truncated
 * or too long: its first byte; bytes that run past the end: the first of
 * them; a section in the wrong place or with an unknown id: its id byte;
 * leftover bytes in a section: the first unread one; a bad name: its first
 * byte after the length). The function/code count mismatch points at the
 * code section, or at the end of the module when there is none. */
#include "unit.h"

#define MAL TW_ERR_MALFORMED
#define UNS TW_ERR_UNSUPPORTED

/* A type section with one type [] -> [] at offsets 8..13, a function
 * section with one function at 14..17, a code section with body
 * `00 0b` at 18..23. */
#define TYPE1 0x01, 0x04, 0x01, 0x60, 0x00, 0x00
#define FUNC1 0x03, 0x02, 0x01, 0x00
#define CODE1 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b

typedef struct erow {
  const char *what;
  const uint8_t *in;
  size_t n;
  tw_status status;
  uint64_t offset;
} erow;

static const erow error_rows[] = {
    {"bad magic", B(0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00), MAL, 0},
    {"text, not binary", B('(', 'm', 'o', 'd', 'u', 'l', 'e', ')'), MAL, 0},
    {"three bytes of magic", B(0x00, 0x61, 0x73), MAL, 0},
    {"magic, no version", B(0x00, 0x61, 0x73, 0x6d), MAL, 4},
    {"component", B(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00), UNS, 4},
    {"version 2", B(0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00), MAL, 4},
    {"version 0x0d layer 0", B(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x00, 0x00), MAL, 4},
    {"section id, no size", B(HDR, 0x01), MAL, 9},
    {"section size LEB too long", B(HDR, 0x00, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00), MAL, 9},
    {"section size LEB truncated", B(HDR, 0x00, 0x80, 0x80), MAL, 9},
    {"section past the end", B(HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x00), MAL, 10},
    {"custom section past the end", B(HDR, 0x00, 0x0a, 0x04, 'n', 'a', 'm', 'e'), MAL, 10},
    {"custom name past the section", B(HDR, 0x00, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00), MAL,
     11},
    {"type section: leftover byte", B(HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00), MAL, 14},
    {"type section: count 2, one type", B(HDR, 0x01, 0x04, 0x02, 0x60, 0x00, 0x00), MAL, 14},
    {"function before type", B(HDR, 0x03, 0x01, 0x00, 0x01, 0x01, 0x00), MAL, 11},
    {"type section repeated", B(HDR, 0x01, 0x01, 0x00, 0x01, 0x01, 0x00), MAL, 11},
    {"code before export", B(HDR, 0x0a, 0x01, 0x00, 0x07, 0x01, 0x00), MAL, 11},
    {"data count after code", B(HDR, 0x0a, 0x01, 0x00, 0x0c, 0x01, 0x00), MAL, 11},
    {"global before tag", B(HDR, 0x06, 0x01, 0x00, 0x0d, 0x01, 0x00), MAL, 11},
    {"data before data count", B(HDR, 0x0b, 0x01, 0x00, 0x0c, 0x01, 0x00), MAL, 11},
    {"unknown section id 14", B(HDR, 0x0e, 0x00), MAL, 8},
    {"unknown section id 0x7f later", B(HDR, TYPE1, 0x7f, 0x00), MAL, 14},
    {"2 functions, 1 body", B(HDR, TYPE1, 0x03, 0x03, 0x02, 0x00, 0x00, CODE1), MAL, 19},
    {"function section, no code section", B(HDR, TYPE1, FUNC1), MAL, 18},
    {"code section, no function section", B(HDR, TYPE1, CODE1), MAL, 14},
    /* The count LEB continues into the next section's id byte (0x0a), which
     * would complete it if the section boundary were ignored. */
    {"LEB truncated at the section end", B(HDR, TYPE1, 0x03, 0x01, 0x81, 0x0a, 0x01, 0x00), MAL,
     16},
    {"LEB truncated at the end of input", B(HDR, TYPE1, 0x03, 0x02, 0x01, 0x80), MAL, 17},
    {"type index LEB too long",
     B(HDR, TYPE1, 0x03, 0x07, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, CODE1), MAL, 17},
    {"export name: overlong NUL", B(HDR, 0x07, 0x06, 0x01, 0x02, 0xc0, 0x80, 0x00, 0x00), MAL, 12},
    {"export name: surrogate", B(HDR, 0x07, 0x07, 0x01, 0x03, 0xed, 0xa0, 0x80, 0x00, 0x00), MAL,
     12},
    {"export name: 0xff", B(HDR, 0x07, 0x06, 0x01, 0x02, 'a', 0xff, 0x00, 0x00), MAL, 12},
    {"import module name: 0xff",
     B(HDR, 0x02, 0x08, 0x01, 0x01, 0xff, 0x01, 'f', 0x02, 0x00, 0x01), MAL, 12},
    {"custom section name: c3 28", B(HDR, 0x00, 0x03, 0x02, 0xc3, 0x28), MAL, 11},
    {"export kind 5", B(HDR, 0x07, 0x05, 0x01, 0x01, 'a', 0x05, 0x00), MAL, 13},
    {"export kind 0xff", B(HDR, 0x07, 0x05, 0x01, 0x01, 'a', 0xff, 0x00), MAL, 13},
    {"import kind 5", B(HDR, 0x02, 0x06, 0x01, 0x01, 'm', 0x01, 'f', 0x05), MAL, 15},
    {"limits flags 0x10", B(HDR, 0x02, 0x07, 0x01, 0x01, 'm', 0x01, 'f', 0x02, 0x10), MAL, 16},
    /* Without the memory64 flag the maximum is a u32: 2^33 overflows it. */
    {"u32 limit 2^33",
     B(HDR, 0x02, 0x0d, 0x01, 0x01, 'm', 0x01, 'f', 0x02, 0x01, 0x00, 0x80, 0x80, 0x80, 0x80, 0x20),
     MAL, 18},
    {"value type 0x7a", B(HDR, 0x01, 0x05, 0x01, 0x60, 0x01, 0x7a, 0x00), MAL, 13},
    {"type form 0x61", B(HDR, 0x01, 0x04, 0x01, 0x61, 0x00, 0x00), MAL, 11},
    /* two functions; body 0 has size 0 (code section at 19, count at 21) */
    {"empty function body",
     B(HDR, TYPE1, 0x03, 0x03, 0x02, 0x00, 0x00, 0x0a, 0x05, 0x02, 0x00, 0x02, 0x00, 0x0b), MAL, 22},
    /* the only body has size 0: reported at the body (21), not as a count
     * the section could not hold */
    {"lone empty function body", B(HDR, TYPE1, FUNC1, 0x0a, 0x02, 0x01, 0x00), MAL, 21},
    /* A custom section follows, so the body runs past its section but not
     * past the input. */
    {"body past the code section",
     B(HDR, TYPE1, FUNC1, 0x0a, 0x03, 0x01, 0x05, 0x00, 0x00, 0x03, 0x02, 'a', 'b'), MAL, 22},
    {"code section: leftover byte", B(HDR, TYPE1, FUNC1, 0x0a, 0x05, 0x01, 0x02, 0x00, 0x0b, 0x00),
     MAL, 24},
};

static void test_parse_errors(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(error_rows); i++) {
    const erow *r = &error_rows[i];
    tw_module m;
    tw_err err = {0};
    const bool ok = tw_module_parse(&m, r->in, r->n, &err);
    if (ok) {
      tw_module_free(&m);
      ROW_FAIL(i, "%s: parsed, want status %d at %llu", r->what, r->status,
               (unsigned long long)r->offset);
    }
    if (err.code != r->status || err.offset != r->offset)
      ROW_FAIL(i, "%s: status %d at %llu (\"%s\"), want status %d at %llu", r->what, err.code,
               (unsigned long long)err.offset, err.message, r->status,
               (unsigned long long)r->offset);
    if (err.message[0] == 0) ROW_FAIL(i, "%s: empty message", r->what);
    tw_module_free(&m); /* must be harmless after a failed parse */
  }
}

static void test_empty_input(void **state) {
  (void)state;
  static const uint8_t nothing[1] = {0};
  tw_module m;
  tw_err err = {0};
  assert_false(tw_module_parse(&m, nothing, 0, &err));
  assert_int_equal(err.code, TW_ERR_MALFORMED);
  assert_int_equal(err.offset, 0);
  assert_true(err.message[0] != 0);
}

/* The version field is 4 bytes at offset 4; here only 2 of them exist. The
 * error points at the start of the field, as for every truncated item. */
static void test_truncated_version(void **state) {
  (void)state;
  static const uint8_t in[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00};
  tw_module m;
  tw_err err = {0};
  assert_false(tw_module_parse(&m, in, sizeof in, &err));
  assert_int_equal(err.code, TW_ERR_MALFORMED);
  assert_int_equal(err.offset, 4);
  assert_true(err.message[0] != 0);
}

/* ---- well-formed modules ---------------------------------------------------- */

typedef struct prow {
  const char *what;
  const uint8_t *in;
  size_t n;
  uint32_t ntypes, nfuncs, nfunc_imports, nexports, nbodies;
} prow;

static const prow ok_rows[] = {
    {"header only", B(HDR), 0, 0, 0, 0, 0},
    {"one function", B(HDR, TYPE1, FUNC1, CODE1), 1, 1, 0, 0, 1},
    /* rec group of 2: struct {i32 mut} and final array of i8 with supertype 0 */
    {"rec group, struct, array",
     B(HDR, 0x01, 0x0f, 0x01, 0x4e, 0x02, 0x50, 0x00, 0x5f, 0x01, 0x7f, 0x01, 0x4f, 0x01, 0x00, 0x5e,
       0x78, 0x00),
     2, 0, 0, 0, 0},
    /* [(ref null func) (ref 0)] -> [v128], then sub [] -> [i32] outside a group */
    {"ref types, v128, sub func",
     B(HDR, 0x01, 0x0f, 0x02, 0x60, 0x02, 0x63, 0x70, 0x64, 0x00, 0x01, 0x7b, 0x50, 0x00, 0x60, 0x00,
       0x01, 0x7f),
     2, 0, 0, 0, 0},
    /* (ref null any), (ref struct), (ref null 300) with a 2-byte s33 index */
    {"abstract heap types, wide index",
     B(HDR, 0x01, 0x0b, 0x01, 0x60, 0x03, 0x63, 0x6e, 0x64, 0x6b, 0x63, 0xac, 0x02, 0x00), 1, 0, 0,
     0, 0},
    /* import "m" "t" (tag (type 0)) */
    {"tag import", B(HDR, TYPE1, 0x02, 0x08, 0x01, 0x01, 'm', 0x01, 't', 0x04, 0x00, 0x00), 1, 0, 0,
     0, 0},
    /* memory64 min 1; memory64 min 0 max 2^33 */
    {"memory64 limits",
     B(HDR, 0x02, 0x14, 0x02, 0x01, 'm', 0x01, 'a', 0x02, 0x04, 0x01, 0x01, 'm', 0x01, 'b', 0x02,
       0x05, 0x00, 0x80, 0x80, 0x80, 0x80, 0x20),
     0, 0, 0, 0, 0},
    /* custom-page-sizes proposal: flag 0x08, then the page size's log2 */
    {"custom page size limits",
     B(HDR, 0x02, 0x09, 0x01, 0x01, 'm', 0x01, 'a', 0x02, 0x08, 0x01, 0x00), 0, 0, 0, 0, 0},
    {"shared memory limits",
     B(HDR, 0x02, 0x09, 0x01, 0x01, 'm', 0x01, 'a', 0x02, 0x03, 0x01, 0x02), 0, 0, 0, 0, 0},
    /* memory section (not decoded), tag section, export of the tag (kind 4) */
    {"tag section and tag export",
     B(HDR, TYPE1, 0x05, 0x03, 0x01, 0x00, 0x01, 0x0d, 0x03, 0x01, 0x00, 0x00, 0x07, 0x05, 0x01,
       0x01, 't', 0x04, 0x00),
     1, 0, 0, 1, 0},
    {"custom sections everywhere",
     B(HDR, 0x00, 0x04, 0x01, 'a', 0xff, 0x00, TYPE1, 0x00, 0x01, 0x00, FUNC1, 0x00, 0x03, 0x01, 'b',
       0x80, CODE1, 0x00, 0x05, 0x04, 'n', 'a', 'm', 'e'),
     1, 1, 0, 0, 1},
    /* function import + one defined function, exported twice, and a padded
     * (5-byte) code count */
    {"import, exports, padded count",
     B(HDR, TYPE1, 0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00, FUNC1, 0x07, 0x09, 0x02, 0x01, 'a',
       0x00, 0x01, 0x01, 'b', 0x00, 0x00, 0x0a, 0x08, 0x81, 0x80, 0x80, 0x80, 0x00, 0x02, 0x00, 0x0b),
     1, 2, 1, 2, 1},
};

static void test_parse_ok(void **state) {
  (void)state;
  for (size_t i = 0; i < COUNT(ok_rows); i++) {
    const prow *r = &ok_rows[i];
    tw_module m;
    tw_err err = {0};
    if (!tw_module_parse(&m, r->in, r->n, &err))
      ROW_FAIL(i, "%s: status %d at %llu: %s", r->what, err.code, (unsigned long long)err.offset,
               err.message);
    const bool same = m.ntypes == r->ntypes && m.nfuncs == r->nfuncs &&
                      m.nfunc_imports == r->nfunc_imports && m.nexports == r->nexports &&
                      m.nbodies == r->nbodies;
    if (!same)
      print_error("%s: types %u funcs %u imports %u exports %u bodies %u\n", r->what, m.ntypes,
                  m.nfuncs, m.nfunc_imports, m.nexports, m.nbodies);
    tw_module_free(&m);
    if (!same)
      ROW_FAIL(i, "%s: want types %u funcs %u imports %u exports %u bodies %u", r->what, r->ntypes,
               r->nfuncs, r->nfunc_imports, r->nexports, r->nbodies);
  }
}

/* All of it in one module, from the module builder, with details. */
static void test_parse_combined(void **state) {
  (void)state;
  /* types: 7 entries, 8 types */
  static const uint8_t types[] = {
      0x07,
      0x4e, 0x02, 0x50, 0x00, 0x5f, 0x01, 0x7f, 0x01, 0x4f, 0x01, 0x00, 0x5e, 0x78, 0x00, /* 0,1 */
      0x60, 0x02, 0x63, 0x70, 0x64, 0x00, 0x01, 0x7b, /* 2: [(ref null func) (ref 0)] -> [v128] */
      0x60, 0x01, 0x7f, 0x00,                         /* 3: [i32] -> [] */
      0x60, 0x00, 0x00,                               /* 4: [] -> [] */
      0x50, 0x00, 0x60, 0x01, 0x7b, 0x01, 0x7b,       /* 5: sub [v128] -> [v128] */
      0x60, 0x01, 0x63, 0x6e, 0x00,                   /* 6: [(ref null any)] -> [] */
      0x4e, 0x01, 0x4f, 0x00, 0x60, 0x00, 0x01, 0x7f, /* 7: final [] -> [i32] */
  };
  const mb_import imports[] = {
      {"env", "hook", 0, 3, {0}},
      {"env", "tag", 4, 0, {B(0x00, 0x04)}},
      {"env", "mem64", 2, 0, {B(0x04, 0x01)}},
      {"env", "mem64b", 2, 0, {B(0x05, 0x00, 0x80, 0x80, 0x80, 0x80, 0x20)}},
      {"env", "shared", 2, 0, {B(0x03, 0x01, 0x02)}},
      {"env", "tab", 1, 0, {B(0x63, 0x70, 0x00, 0x00)}},
      {"env", "g", 3, 0, {B(0x7b, 0x00)}},
      {"env", "f2", 0, 7, {0}},
  };
  static const uint8_t funcs[] = {4, 3, 2};
  const mb_bytes bodies[] = {
      {B(0x00, 0x0b)},
      {B(0x00, 0x0b)},
      {B(0x00, 0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b)}, /* v128.const 0 */
  };
  static const mb_export exps[] = {
      {"run", 0, 2}, {"tag", 4, 0}, {"mem", 2, 0}, {"glob", 3, 0},
      {"\xc3\xa9t\xc3\xa9", 1, 0}, /* "été" */
  };
  /* custom sections at the start, between, and at the end: an empty name,
   * and component-type */
  const mb_custom customs[] = {
      {"first", {B(1, 2, 3)}, MB_FIRST, 0},
      {"between", {B(0xff, 0x00, 0xff)}, 2, 0},
      {"", {0}, 0, 0},
      {"component-type:x", {B(0x00, 0x61, 0x73, 0x6d, 0x0d)}, 0, 0},
  };
  const mb_module s = {
      .imports = imports, .nimports = COUNT(imports),
      .funcs = funcs, .nfuncs = COUNT(funcs), .bodies = bodies,
      .exports = exps, .nexports = COUNT(exps),
      .customs = customs, .ncustoms = COUNT(customs),
      .sections = {
          [1] = {types, sizeof types},
          [13] = {B(0x01, 0x00, 0x04)},             /* one tag of type 4 */
          [6] = {B(0x01, 0x7f, 0x00, 0x41, 0x2a, 0x0b)}, /* i32 immutable = 42 */
          [12] = {B(0x00)},                         /* data count 0 */
          [11] = {B(0x00)},                         /* no data */
      },
  };
  wb m = {0};
  mb_build(&m, &s, NULL);

  tw_module mod;
  tw_err err = {0};
  if (!tw_module_parse(&mod, m.d, m.n, &err))
    fail_msg("status %d at %llu: %s", err.code, (unsigned long long)err.offset, err.message);
  assert_int_equal(mod.ntypes, 8);
  assert_int_equal(mod.nfunc_imports, 2);
  assert_int_equal(mod.nfuncs, 5);
  assert_int_equal(mod.nexports, 5);
  assert_int_equal(mod.nbodies, 3);
  assert_int_equal(mod.nsections, 13);
  static const uint32_t want_ft[] = {3, 7, 4, 3, 2};
  for (uint32_t f = 0; f < 5; f++) assert_int_equal(mod.func_types[f], want_ft[f]);
  assert_false(mod.types[0].is_func);
  assert_false(mod.types[1].is_func);
  assert_true(mod.types[2].is_func);
  assert_int_equal(mod.types[2].nparams, 2);
  assert_int_equal(mod.types[2].nresults, 1);
  assert_true(mod.types[5].is_func);
  assert_int_equal(mod.types[7].nparams, 0);
  assert_int_equal(mod.types[7].nresults, 1);
  /* exports: kinds and indices as written */
  static const uint8_t kinds[] = {0, 4, 2, 3, 1};
  static const uint32_t idx[] = {2, 0, 0, 0, 0};
  for (uint32_t e = 0; e < 5; e++) {
    assert_int_equal(mod.exports[e].kind, kinds[e]);
    assert_int_equal(mod.exports[e].index, idx[e]);
  }
  assert_int_equal(mod.exports[4].name_len, 5);
  assert_memory_equal(m.d + mod.exports[4].name, "\xc3\xa9t\xc3\xa9", 5);
  char buf[128];
  tw_module_format_type(&mod, &mod.types[3], buf, sizeof buf);
  assert_string_equal(buf, "[i32] -> []");
  tw_module_format_type(&mod, &mod.types[4], buf, sizeof buf);
  assert_string_equal(buf, "[] -> []");
  assert_non_null(tw_module_func_type(&mod, 4));
  assert_ptr_equal(tw_module_func_type(&mod, 4), &mod.types[2]);
  assert_null(tw_module_func_type(&mod, 5)); /* no such function */
  /* the last section is the component-type custom section, ending the input */
  const tw_section *last = &mod.sections[mod.nsections - 1];
  assert_int_equal(last->id, 0);
  assert_int_equal(last->end, m.n);
  assert_int_equal(last->name_len, 16);
  assert_memory_equal(m.d + last->name_start, "component-type:x", 16);
  tw_module_free(&mod);
  wb_free(&m);
}

/* ---- cursor ----------------------------------------------------------------- */
static void test_cursor(void **state) {
  (void)state;
  static const uint8_t in[] = {0x05, 0xe5, 0x8e, 0x26, 0x80, 0x80};
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(in, 0, sizeof in, &err);
  uint32_t v = 0;
  assert_true(tw_read_u32(&c, &v, "a"));
  assert_int_equal(v, 5);
  assert_int_equal(c.pos, 1);
  assert_true(tw_read_u32(&c, &v, "b"));
  assert_int_equal(v, 624485);
  assert_int_equal(c.pos, 4);
  assert_int_equal(tw_cursor_left(&c), 2);
  /* truncated: fails, records where the LEB starts, leaves pos alone */
  assert_false(tw_read_u32(&c, &v, "c"));
  assert_int_equal(c.pos, 4);
  assert_int_equal(err.code, TW_ERR_MALFORMED);
  assert_int_equal(err.offset, 4);
  assert_true(err.message[0] != 0);
  /* the first error wins */
  tw_err_set(&err, TW_ERR_VERIFY, 99, "later");
  assert_int_equal(err.code, TW_ERR_MALFORMED);
  assert_int_equal(err.offset, 4);

  /* a cursor over a slice: the end bounds it even if the data goes on */
  tw_err e2 = {0};
  tw_cursor d = tw_cursor_make(in, 4, 5, &e2);
  assert_false(tw_read_u32(&d, &v, "slice"));
  assert_int_equal(e2.offset, 4);
  uint8_t b = 0;
  tw_err e3 = {0};
  tw_cursor f = tw_cursor_make(in, 6, 6, &e3);
  assert_false(tw_read_u8(&f, &b, "byte"));
  assert_int_equal(e3.offset, 6);

  /* skip past the end fails without moving */
  tw_err e4 = {0};
  tw_cursor g = tw_cursor_make(in, 2, 6, &e4);
  assert_false(tw_skip(&g, 5, "skip"));
  assert_int_equal(g.pos, 2);
  assert_true(tw_skip(&g, 4, "skip"));
  assert_int_equal(g.pos, 6);
}

static void test_read_name(void **state) {
  (void)state;
  static const uint8_t in[] = {0x03, 'a', 'b', 'c', 0x02, 0xc0, 0x80, 0x05, 'x'};
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(in, 0, sizeof in, &err);
  size_t start = 0;
  uint32_t len = 0;
  assert_true(tw_read_name(&c, &start, &len, "n"));
  assert_int_equal(start, 1);
  assert_int_equal(len, 3);
  assert_int_equal(c.pos, 4);
  /* overlong NUL: the error is at the name's first byte, pos unchanged */
  assert_false(tw_read_name(&c, &start, &len, "n"));
  assert_int_equal(err.offset, 5);
  assert_int_equal(c.pos, 4);
  /* tw_read_bytes does not check UTF-8 */
  assert_true(tw_read_bytes(&c, &start, &len, "n"));
  assert_int_equal(start, 5);
  assert_int_equal(len, 2);
  /* length 5 with one byte left */
  tw_err e2 = {0};
  c.err = &e2;
  assert_false(tw_read_bytes(&c, &start, &len, "n"));
  assert_int_equal(c.pos, 7);
  assert_int_equal(e2.offset, 8);
}

static void test_utf8(void **state) {
  (void)state;
  static const struct {
    const char *s;
    size_t n;
    bool valid;
  } t[] = {
      {"", 0, true},
      {"abc", 3, true},
      {"\x00", 1, true},                  /* NUL is a valid code point */
      {"\xc3\xa9", 2, true},              /* U+00E9 */
      {"\xe2\x82\xac", 3, true},          /* U+20AC */
      {"\xf0\x9f\x98\x80", 4, true},      /* U+1F600 */
      {"\xef\xbf\xbf", 3, true},          /* U+FFFF */
      {"\xf4\x8f\xbf\xbf", 4, true},      /* U+10FFFF */
      {"\xed\x9f\xbf", 3, true},          /* U+D7FF */
      {"\xee\x80\x80", 3, true},          /* U+E000 */
      {"\x80", 1, false},                 /* lone continuation */
      {"\xc0\x80", 2, false},             /* overlong NUL */
      {"\xc1\xbf", 2, false},             /* overlong */
      {"\xe0\x80\xaf", 3, false},         /* overlong '/' */
      {"\xf0\x80\x80\xaf", 4, false},     /* overlong '/' */
      {"\xed\xa0\x80", 3, false},         /* U+D800 */
      {"\xed\xbf\xbf", 3, false},         /* U+DFFF */
      {"\xf4\x90\x80\x80", 4, false},     /* U+110000 */
      {"\xf5\x80\x80\x80", 4, false},
      {"\xf8\x88\x80\x80\x80", 5, false}, /* 5-byte form */
      {"\xff", 1, false},
      {"\xe2\x82", 2, false},             /* truncated */
      {"a\xc3", 2, false},
      {"\xc3\x28", 2, false},             /* bad continuation */
      {"\xe2\x28\xa1", 3, false},
  };
  for (size_t i = 0; i < COUNT(t); i++) {
    const bool v = tw_utf8_valid((const uint8_t *)t[i].s, t[i].n);
    if (v != t[i].valid) ROW_FAIL(i, "utf8_valid gave %d, want %d", v, t[i].valid);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse_errors),    cmocka_unit_test(test_empty_input),
      cmocka_unit_test(test_truncated_version), cmocka_unit_test(test_parse_ok),
      cmocka_unit_test(test_parse_combined),  cmocka_unit_test(test_cursor),
      cmocka_unit_test(test_read_name),       cmocka_unit_test(test_utf8),
  };
  return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
