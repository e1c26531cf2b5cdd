/* End to end through the public API (tw_rewrite) on small modules from the
 * module builder (fixture.h): the plan, the output's structure and wrapper
 * bodies (written out by hand from docs/abi.md, "Wrapper bodies: task-hook
 * ABI"), idempotence, byte-identity without a hook, padded counts, the
 * output as segments, imported functions and the name section. */
#include "fixture.h"

/* What an export names in the output: its wrapper, nothing when removed,
 * else the input's index (nothing is renumbered in these modules). */
static int64_t want_target(const want_entry *w, uint32_t index) {
  return w->removed ? -1 : w->wrapper >= 0 ? w->wrapper : (int64_t)index;
}

typedef struct want_body {
  uint32_t target;
  const uint8_t *b;
  size_t n;
} want_body;

/* Wrappers 11..19, hook = function 0. */
static const want_body main_bodies[] = {
    {1, B(0x00, 0x41, 0x00, 0x10, 0x00, 0x10, 0x01, 0x41, 0x01, 0x10, 0x00, 0x0b)},
    {2, B(0x01, 0x01, 0x7f, 0x41, 0x02, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x02, 0x21, 0x02,
          0x41, 0x04, 0x41, 0x05, 0x20, 0x02, 0x1b, 0x10, 0x00, 0x20, 0x02, 0x0b)},
    {3, B(0x01, 0x01, 0x7f, 0x41, 0x03, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x10, 0x03,
          0x21, 0x03, 0x41, 0x04, 0x41, 0x05, 0x20, 0x03, 0x1b, 0x10, 0x00, 0x20, 0x03, 0x0b)},
    {4, B(0x00, 0x41, 0x0c, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x20, 0x03, 0x10, 0x04,
          0x41, 0x0d, 0x10, 0x00, 0x0b)},
    {5, B(0x00, 0x41, 0x06, 0x10, 0x00, 0x10, 0x05, 0x41, 0x07, 0x10, 0x00, 0x0b)},
    {6, B(0x00, 0x41, 0x08, 0x10, 0x00, 0x20, 0x00, 0x10, 0x06, 0x41, 0x09, 0x10, 0x00, 0x0b)},
    {7, B(0x00, 0x41, 0x00, 0x10, 0x00, 0x10, 0x07, 0x0b)},
    {8, B(0x00, 0x20, 0x00, 0x10, 0x08, 0x41, 0x01, 0x10, 0x00, 0x0b)},
    {8, B(0x00, 0x41, 0x00, 0x10, 0x00, 0x20, 0x00, 0x10, 0x08, 0x41, 0x01, 0x10, 0x00, 0x0b)},
};

/* ---- the main module ----------------------------------------------------- */

/* The function-names subsection (id 1) of m's name section, in out: a
 * cursor at its count. The reader records only that the section is framed
 * well; the test reads the names itself. */
static tw_cursor function_names(const tw_module *m, const uint8_t *out, tw_err *err) {
  assert_true(m->sec_name >= 0);
  const tw_section *n = &m->sections[m->sec_name];
  tw_cursor c = tw_cursor_make(out, n->name_start + n->name_len, n->end, err);
  while (c.pos < c.end) {
    uint8_t id = 0;
    size_t sub = 0;
    uint32_t len = 0;
    assert_true(tw_read_u8(&c, &id, "name subsection id"));
    assert_true(tw_read_bytes(&c, &sub, &len, "name subsection"));
    if (id == 1) return tw_cursor_make(out, sub, sub + len, err);
  }
  fail_msg("no function-names subsection");
  return c;
}

static void test_rewrite_main(void **state) {
  (void)state;
  wb in = {0};
  tw_result *r = rewrite_main(&in);
  assert_true(tw_result_changed(r));
  assert_int_equal(tw_result_abi(r), TW_ABI_TASK_HOOK);
  assert_int_equal(tw_result_wrapper_count(r), 9);
  assert_int_equal(tw_result_warning_count(r), 0);
  assert_int_equal(tw_result_plan_count(r), COUNT(main_exps));
  for (size_t i = 0; i < COUNT(main_exps); i++) {
    const tw_plan_entry *e = tw_result_plan_entry(r, i);
    const want_entry *w = &main_plan[i];
    assert_non_null(e);
    const tw_reason reason = main_exps[i].kind == 0 ? TW_REASON_NAME : TW_REASON_NONE;
    char hb[32];
    if (strcmp(e->name, main_exps[i].name) != 0 || e->name_len != strlen(main_exps[i].name) ||
        e->kind != main_exps[i].kind || e->index != main_exps[i].index || e->role != w->role ||
        e->reason != reason || !same_hooks(e, w->hooks) || e->wrapper != w->wrapper ||
        e->guard != -1 || e->target != want_target(w, main_exps[i].index) ||
        e->removed != w->removed || e->already_wrapped)
      ROW_FAIL(i, "\"%s\": role %s reason %d hooks %s wrapper %lld guard %lld target %lld "
                  "removed %d already %d", e->name, tw_role_name(e->role), e->reason,
               show_hooks(e, hb, sizeof hb), (long long)e->wrapper, (long long)e->guard,
               (long long)e->target, e->removed, e->already_wrapped);
  }
  assert_int_equal(tw_result_stub_count(r), 0);
  assert_int_equal(tw_result_guard_count(r), 0);
  assert_null(tw_result_stub(r, 0));
  assert_null(tw_result_guard(r, 0));
  assert_null(tw_result_plan_entry(r, COUNT(main_exps)));

  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  assert_non_null(out);
  tw_module m, min;
  check_parse(&m, out, n);
  check_parse(&min, in.d, in.n);
  assert_int_equal(m.nfunc_imports, 0);
  assert_int_equal(m.nfuncs, MAIN_NFUNCS + 9);
  assert_int_equal(m.nbodies, MAIN_NFUNCS + 9);
  assert_int_equal(m.ntypes, 6);
  /* exports: the hook is gone, the rest in order, wrapped ones re-pointed */
  assert_int_equal(m.nexports, COUNT(main_exps) - 1);
  for (size_t i = 1; i < COUNT(main_exps); i++) {
    const tw_export *e = &m.exports[i - 1];
    assert_int_equal(e->name_len, strlen(main_exps[i].name));
    assert_memory_equal(out + e->name, main_exps[i].name, e->name_len);
    assert_int_equal(e->kind, main_exps[i].kind);
    const int64_t want = main_plan[i].wrapper >= 0 ? main_plan[i].wrapper : main_exps[i].index;
    if (e->index != want) ROW_FAIL(i, "export index %u, want %lld", e->index, (long long)want);
  }
  /* existing functions: same types, byte-identical bodies at the same
   * offsets within the code section's contents */
  const size_t base_in = min.sections[min.sec_code].body, base_out = m.sections[m.sec_code].body;
  for (uint32_t f = 0; f < MAIN_NFUNCS; f++) {
    assert_int_equal(m.func_types[f], main_types[f]);
    const tw_body *a = &min.bodies[f], *b = &m.bodies[f];
    assert_int_equal(b->start - base_out, a->start - base_in);
    check_bytes("existing body", out + b->start, b->end - b->start, in.d + a->start,
                a->end - a->start);
  }
  /* wrappers: the target's type, the bodies of docs/abi.md, "Wrapper bodies:
   * task-hook ABI" */
  for (uint32_t k = 0; k < 9; k++) {
    const uint32_t f = MAIN_NFUNCS + k;
    assert_int_equal(m.func_types[f], main_types[main_bodies[k].target]);
    const tw_body *b = &m.bodies[f];
    if (b->end - b->code != main_bodies[k].n) print_error("wrapper %u\n", f);
    check_bytes("wrapper body", out + b->code, b->end - b->code, main_bodies[k].b,
                main_bodies[k].n);
  }
  /* untouched sections are byte-identical: every custom section but
   * "name", the type and the memory section */
  size_t same = 0;
  for (size_t i = 0; i < min.nsections; i++) {
    const tw_section *a = &min.sections[i];
    if (a->id != 0 && a->id != 1 && a->id != 5) continue;
    if ((long)i == min.sec_name) continue;
    for (size_t j = 0; j < m.nsections; j++) {
      const tw_section *b = &m.sections[j];
      if (b->end - b->start == a->end - a->start &&
          memcmp(out + b->start, in.d + a->start, a->end - a->start) == 0) {
        same++;
        break;
      }
    }
  }
  assert_int_equal(same, 4); /* first, type, memory, producers */
  assert_int_equal(m.nsections, min.nsections);
  for (size_t i = 0; i < m.nsections; i++) assert_int_equal(m.sections[i].id, min.sections[i].id);

  /* name section: the old names plus one per wrapper, naming its export */
  assert_true(m.names_ok);
  tw_err err = {0};
  tw_cursor c = function_names(&m, out, &err);
  uint32_t count = 0;
  assert_true(tw_read_u32(&c, &count, "function names"));
  assert_int_equal(count, MAIN_NFUNCS + 9);
  for (uint32_t i = 0; i < MAIN_NFUNCS + 9; i++) {
    uint32_t idx = 0, len = 0;
    size_t at = 0;
    assert_true(tw_read_u32(&c, &idx, "index"));
    assert_true(tw_read_name(&c, &at, &len, "name"));
    assert_int_equal(idx, i);
    if (i < MAIN_NFUNCS) continue;
    /* the first export the wrapper serves */
    static const char *const served[] = {"run", "[async-lift]a", "[callback][async-lift]a",
                                         "cabi_realloc", "_initialize", "x#[dtor]r", "get",
                                         "cabi_post_get", "cabi_post_nothing"};
    const char *want = served[i - MAIN_NFUNCS];
    char got[128];
    assert_true(len < sizeof got);
    memcpy(got, out + at, len);
    got[len] = 0;
    if (strstr(got, want) == NULL) fail_msg("wrapper %u is named \"%s\", not after \"%s\"", i, got, want);
  }
  assert_int_equal(c.pos, c.end);

  /* the plan renderings mention the ABI */
  const char *json = tw_result_plan_json(r);
  assert_non_null(json);
  assert_non_null(strstr(json, "\"abi\":\"task-hook\""));
  assert_non_null(tw_result_plan_text(r));

  tw_module_free(&m);
  tw_module_free(&min);
  tw_result_free(r);
  wb_free(&in);
}

/* Running the tool on its own output changes nothing (docs/abi.md, "The
 * rewritten module"). */
static void test_idempotent(void **state) {
  (void)state;
  wb in = {0};
  tw_result *r1 = rewrite_main(&in);
  size_t n1 = 0;
  const uint8_t *o1 = tw_result_output(r1, &n1);
  tw_result *r2 = rewrite_ok(o1, n1, NULL);
  size_t n2 = 0;
  const uint8_t *o2 = tw_result_output(r2, &n2);
  assert_false(tw_result_changed(r2));
  assert_int_equal(tw_result_abi(r2), TW_ABI_NONE);
  assert_int_equal(tw_result_wrapper_count(r2), 0);
  check_bytes("second run", o2, n2, o1, n1);

  /* With --keep-hook-export the hook stays; a second run with it finds
   * every wrapper in place, and one without it only drops the hook, which
   * gives exactly the output of the default run. */
  tw_options keep;
  tw_options_init(&keep);
  keep.keep_hook_export = 1;
  tw_result *rk = rewrite_ok(in.d, in.n, &keep);
  size_t nk = 0;
  const uint8_t *ok = tw_result_output(rk, &nk);
  assert_true(tw_result_changed(rk));
  assert_int_equal(tw_result_plan_entry(rk, 0)->removed, 0);
  tw_result *rk2 = rewrite_ok(ok, nk, &keep);
  size_t nk2 = 0;
  const uint8_t *ok2 = tw_result_output(rk2, &nk2);
  assert_false(tw_result_changed(rk2));
  assert_int_equal(tw_result_wrapper_count(rk2), 0);
  check_bytes("second run with the hook kept", ok2, nk2, ok, nk);
  for (size_t i = 0; i < COUNT(main_exps); i++) {
    const tw_plan_entry *e = tw_result_plan_entry(rk2, i);
    const bool wrapped = main_plan[i].wrapper >= 0;
    if (e->already_wrapped != wrapped)
      ROW_FAIL(i, "\"%s\": already_wrapped %d", e->name, e->already_wrapped);
  }
  tw_result *rk3 = rewrite_ok(ok, nk, NULL);
  size_t nk3 = 0;
  const uint8_t *ok3 = tw_result_output(rk3, &nk3);
  assert_true(tw_result_changed(rk3));
  check_bytes("kept hook, then removed", ok3, nk3, o1, n1);

  tw_result_free(r1);
  tw_result_free(r2);
  tw_result_free(rk);
  tw_result_free(rk2);
  tw_result_free(rk3);
  wb_free(&in);
}

/* No hook export: the same bytes come back. */
static void test_no_hook(void **state) {
  (void)state;
  wb in = {0};
  build_main_without_hook(&in);
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  assert_int_equal(tw_result_changed(r), 0);
  assert_int_equal(tw_result_abi(r), TW_ABI_NONE);
  assert_int_equal(tw_result_wrapper_count(r), 0);
  check_bytes("no-hook output", out, n, in.d, in.n);
  for (size_t i = 0; i < tw_result_plan_count(r); i++) {
    const tw_plan_entry *e = tw_result_plan_entry(r, i);
    assert_int_equal(e->wrapper, -1);
    assert_int_equal(e->nhooks, 0);
    assert_int_equal(e->guard, -1);
    assert_int_equal(e->removed, 0);
    assert_int_equal(e->target, main_exps[i + 1].index);
  }
  tw_result_free(r);
  /* also with an explicit ABI that is not there */
  tw_options o;
  tw_options_init(&o);
  o.abi = TW_ABI_INIT_TASK;
  r = rewrite_ok(in.d, in.n, &o);
  out = tw_result_output(r, &n);
  assert_int_equal(tw_result_changed(r), 0);
  check_bytes("no-hook output, --abi init-task", out, n, in.d, in.n);
  tw_result_free(r);
  wb_free(&in);
}

/* Padded counts (as DWARF-carrying toolchains may write) keep their width,
 * so existing bodies keep their offsets; a count that outgrows its width is
 * a warning. */
static void test_count_width(void **state) {
  (void)state;
  wb in = {0};
  build_main(&in, false, 5);
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
  assert_int_equal(tw_result_warning_count(r), 0);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  tw_module m, min;
  check_parse(&m, out, n);
  check_parse(&min, in.d, in.n);
  assert_int_equal(min.code_count_width, 5);
  assert_int_equal(m.code_count_width, 5);
  assert_int_equal(m.funcsec_count_width, 5);
  for (uint32_t f = 0; f < MAIN_NFUNCS; f++)
    assert_int_equal(m.bodies[f].start - m.sections[m.sec_code].body,
                     min.bodies[f].start - min.sections[min.sec_code].body);
  tw_module_free(&m);
  tw_module_free(&min);
  tw_result_free(r);
  wb_free(&in);

  /* 127 functions, one wrapper: the count needs 2 bytes instead of 1 */
  uint8_t types[127];
  memset(types, 1, sizeof types);
  types[0] = 0;
  static const mb_export exps[] = {{"__wasm_task_hook", 0, 0}, {"f1", 0, 1}};
  const mb_module s = plain_module(types, 127, exps, 2, false);
  mb_build(&in, &s, NULL);
  r = rewrite_ok(in.d, in.n, NULL);
  assert_int_equal(tw_result_wrapper_count(r), 1);
  /* Nothing refers to code offsets: no warning. */
  assert_int_equal(tw_result_warning_count(r), 0);
  tw_result_free(r);
  /* With DWARF (a .debug_info section) the moved bodies are worth a warning. */
  wb dwarf = {0};
  wb_bytes(&dwarf, in.d, in.n);
  mb_append_custom(&dwarf, ".debug_info", B(0x00));
  r = rewrite_ok(dwarf.d, dwarf.n, NULL);
  assert_int_equal(tw_result_warning_count(r), 1);
  assert_non_null(strstr(tw_result_warning(r, 0), "DWARF code offsets change"));
  assert_null(tw_result_warning(r, 1));
  out = tw_result_output(r, &n);
  check_parse(&m, out, n);
  assert_int_equal(m.nbodies, 128);
  assert_int_equal(m.code_count_width, 2);
  assert_int_equal(m.exports[0].index, 127);
  tw_module_free(&m);
  tw_result_free(r);
  wb_free(&dwarf); /* the input outlives its result: the output refers to it */
  wb_free(&in);
}

/* ---- the output as segments ---------------------------------------------- */

static void test_segments(void **state) {
  (void)state;
  wb in = {0};
  tw_result *r = rewrite_main(&in);
  size_t ni = 0, nb = 0;
  check_segments(r, in.d, in.n, &ni, &nb);
  /* untouched bytes stay input ranges (the header, "first", ...); the
   * wrappers are new bytes */
  assert_true(ni > 0);
  assert_true(nb > 0);
  tw_segment first;
  assert_int_equal(tw_result_segment(r, 0, &first), 1);
  assert_int_equal(first.kind, TW_SEGMENT_INPUT);
  assert_int_equal(first.input_offset, 0);
  assert_true(first.size >= 8);
  tw_result_free(r);

  /* With the host features too. */
  tw_options o;
  tw_options_init(&o);
  o.init_once = 1;
  o.strip_debug = 1;
  r = rewrite_ok(in.d, in.n, &o);
  check_segments(r, in.d, in.n, &ni, &nb);
  tw_result_free(r);
  wb_free(&in);

  /* No hook: one input segment, the whole input. */
  build_main_without_hook(&in);
  r = rewrite_ok(in.d, in.n, NULL);
  assert_false(tw_result_changed(r));
  assert_int_equal(tw_result_segment_count(r), 1);
  tw_segment seg;
  memset(&seg, 0xa5, sizeof seg);
  assert_int_equal(tw_result_segment(r, 0, &seg), 1);
  assert_int_equal(seg.kind, TW_SEGMENT_INPUT);
  assert_int_equal(seg.input_offset, 0);
  assert_int_equal(seg.size, in.n);
  assert_int_equal(tw_result_segment(r, 1, &seg), 0);
  check_segments(r, in.d, in.n, &ni, &nb);
  assert_int_equal(ni, 1);
  assert_int_equal(nb, 0);
  tw_result_free(r);
  wb_free(&in);

  /* A failed rewrite has no segments. */
  uint8_t types[MAIN_NFUNCS];
  memcpy(types, main_types, sizeof types);
  types[0] = 1; /* the hook's type [] -> [] */
  const mb_module bad = plain_module(types, MAIN_NFUNCS, main_exps, MAIN_NEXPS, false);
  mb_build(&in, &bad, NULL);
  r = NULL;
  assert_int_equal(tw_rewrite(in.d, in.n, NULL, &r), TW_ERR_TYPE_MISMATCH);
  assert_int_equal(tw_result_segment_count(r), 0);
  assert_int_equal(tw_result_segment(r, 0, &seg), 0);
  tw_result_free(r);
  assert_int_equal(tw_result_segment_count(NULL), 0);
  assert_int_equal(tw_result_segment(NULL, 0, &seg), 0);
  wb_free(&in);
}

/* ---- imported functions ---------------------------------------------------- */

/* The hook is an imported function: wrappers call it by its index and are
 * numbered after imports and defined functions. */
static void test_imported_hook(void **state) {
  (void)state;
  static const mb_import imports[] = {{"env", "hook", 0, 0, {0}}};
  static const uint8_t funcs[] = {1, 2};
  static const mb_export exps[] = {
      {"__wasm_task_hook", 0, 0}, {"run", 0, 1}, {"[async-lift]a", 0, 2}};
  const mb_module s = {.types = types6, .ntypes = NTYPES, .imports = imports, .nimports = 1,
                       .funcs = funcs, .nfuncs = 2, .exports = exps, .nexports = 3};
  wb m = {0};
  mb_build(&m, &s, NULL);

  tw_result *r = rewrite_ok(m.d, m.n, NULL);
  assert_int_equal(tw_result_wrapper_count(r), 2);
  assert_int_equal(tw_result_plan_entry(r, 1)->wrapper, 3);
  assert_int_equal(tw_result_plan_entry(r, 2)->wrapper, 4);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  tw_module o;
  check_parse(&o, out, n);
  assert_int_equal(o.nfunc_imports, 1);
  assert_int_equal(o.nfuncs, 5);
  assert_int_equal(o.nbodies, 4);
  assert_int_equal(o.nexports, 2);
  assert_int_equal(o.exports[0].index, 3);
  assert_int_equal(o.exports[1].index, 4);
  /* code entry k is function k + 1 */
  check_bytes("run wrapper", out + o.bodies[2].code, o.bodies[2].end - o.bodies[2].code,
              B(0x00, 0x41, 0x00, 0x10, 0x00, 0x10, 0x01, 0x41, 0x01, 0x10, 0x00, 0x0b));
  check_bytes("async wrapper", out + o.bodies[3].code, o.bodies[3].end - o.bodies[3].code,
              B(0x01, 0x01, 0x7f, 0x41, 0x02, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x02, 0x21,
                0x02, 0x41, 0x04, 0x41, 0x05, 0x20, 0x02, 0x1b, 0x10, 0x00, 0x20, 0x02, 0x0b));
  tw_module_free(&o);
  tw_result_free(r);
  wb_free(&m);
}

/* Every exported function is an import: the output needs a function and a
 * code section the input does not have. */
static void test_imports_only(void **state) {
  (void)state;
  static const mb_import imports[] = {{"env", "hook", 0, 0, {0}}, {"env", "run", 0, 2, {0}}};
  static const mb_export exps[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}};
  const mb_custom cs[] = {{"mid", {0}, 2, 0}, {"end", {B(0x2a)}, 0, 0}};
  const mb_module s = {.types = types6, .ntypes = NTYPES, .imports = imports, .nimports = 2,
                       .exports = exps, .nexports = 2, .customs = cs, .ncustoms = 2};
  wb m = {0};
  mb_build(&m, &s, NULL);

  tw_result *r = rewrite_ok(m.d, m.n, NULL);
  assert_int_equal(tw_result_wrapper_count(r), 1);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  tw_module o;
  check_parse(&o, out, n);
  assert_int_equal(o.nfunc_imports, 2);
  assert_int_equal(o.nfuncs, 3);
  assert_int_equal(o.nbodies, 1);
  assert_int_equal(o.func_types[2], 2);
  assert_int_equal(o.nexports, 1);
  assert_int_equal(o.exports[0].index, 2);
  check_bytes("run wrapper", out + o.bodies[0].code, o.bodies[0].end - o.bodies[0].code,
              B(0x00, 0x41, 0x00, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x10, 0x01, 0x41, 0x01, 0x10,
                0x00, 0x0b));
  /* both custom sections survive, in order */
  size_t customs = 0;
  for (size_t i = 0; i < o.nsections; i++)
    if (o.sections[i].id == 0) {
      const char *want = customs++ ? "end" : "mid";
      assert_int_equal(o.sections[i].name_len, 3);
      assert_memory_equal(out + o.sections[i].name_start, want, 3);
    }
  assert_int_equal(customs, 2);
  tw_module_free(&o);
  tw_result_free(r);
  wb_free(&m);
}

/* A name section without function names (only a module name, subsection 0,
 * and local names, subsection 2) gets a function-names subsection for the
 * wrappers, in between, as the name section's order requires. */
static void test_new_function_names(void **state) {
  (void)state;
  static const uint8_t types[] = {0, 1};
  static const mb_export exps[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}};
  wb m = {0};
  build_plain(&m, types, 2, exps, 2);
  mb_append_custom(&m, "name", B(0x00, 0x02, 0x01, 'M', 0x02, 0x01, 0x00));
  tw_result *r = rewrite_ok(m.d, m.n, NULL);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  tw_module o;
  check_parse(&o, out, n);
  assert_true(o.sec_name >= 0);
  assert_true(o.names_ok);
  /* walk the subsections: ids 0, 1, 2; subsection 1 names function 2 */
  const tw_section *ns = &o.sections[o.sec_name];
  tw_err err = {0};
  tw_cursor cur = tw_cursor_make(out, ns->name_start + 4, ns->end, &err);
  static const uint8_t ids[] = {0, 1, 2};
  for (size_t k = 0; k < 3; k++) {
    uint8_t id = 0;
    size_t at = 0;
    uint32_t len = 0;
    assert_true(tw_read_u8(&cur, &id, "id"));
    assert_int_equal(id, ids[k]);
    assert_true(tw_read_bytes(&cur, &at, &len, "subsection"));
    if (id == 0) check_bytes("module name", out + at, len, B(0x01, 'M'));
    if (id == 2) check_bytes("local names", out + at, len, B(0x00));
    if (id == 1) {
      tw_cursor sub = tw_cursor_make(out, at, at + len, &err);
      uint32_t count = 0, idx = 0, nlen = 0;
      size_t nat = 0;
      assert_true(tw_read_u32(&sub, &count, "count"));
      assert_int_equal(count, 1);
      assert_true(tw_read_u32(&sub, &idx, "index"));
      assert_int_equal(idx, 2);
      assert_true(tw_read_name(&sub, &nat, &nlen, "name"));
      assert_int_equal(sub.pos, sub.end);
      char got[64];
      assert_true(nlen < sizeof got);
      memcpy(got, out + nat, nlen);
      got[nlen] = 0;
      if (strstr(got, "run") == NULL) fail_msg("the wrapper is named \"%s\"", got);
    }
  }
  assert_int_equal(cur.pos, cur.end);
  tw_module_free(&o);
  tw_result_free(r);
  wb_free(&m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rewrite_main),
      cmocka_unit_test(test_idempotent),
      cmocka_unit_test(test_no_hook),
      cmocka_unit_test(test_count_width),
      cmocka_unit_test(test_segments),
      cmocka_unit_test(test_imported_hook),
      cmocka_unit_test(test_imports_only),
      cmocka_unit_test(test_new_function_names),
  };
  return cmocka_run_group_tests_name("rewrite", tests, NULL, NULL);
}
