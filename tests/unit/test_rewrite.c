/* End to end through the public API (tw_rewrite) on small modules built here
 * byte by byte: the plan, the output's structure and wrapper bodies (written
 * out by hand from ABI.md's tables), idempotence, byte-identity without a
 * hook, type mismatches, the output as segments, the --stub-wasi and
 * --init-once entries, and that the verifier (tw_check) accepts the output
 * and refuses a corrupted copy of it. */
#include "unit.h"

/* ---- building test modules -------------------------------------------------- */

/* Types: t0 [i32]->[], t1 []->[], t2 [i32 i32]->[i32], t3 [i32 i32 i32]->[i32],
 * t4 [i32 i32 i32 i32]->[i32], t5 []->[i32]. */
static const uint8_t type_section[] = {
    0x06,
    0x60, 0x01, 0x7f, 0x00,
    0x60, 0x00, 0x00,
    0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,
    0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f,
    0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f,
    0x60, 0x00, 0x01, 0x7f,
};
static const uint8_t type_results[] = {0, 0, 1, 1, 1, 1};

typedef struct ex {
  const char *name;
  uint8_t kind;
  uint32_t index;
} ex;

typedef struct mspec {
  const uint8_t *ftypes; /* type of each defined function (there are no imports) */
  uint32_t nfuncs;
  const ex *exps;
  size_t nexps;
  bool names;            /* a name section naming function i "f<i>" */
  size_t count_width;    /* 0: minimal function/code counts; else padded to this */
} mspec;

/* Unsigned LEB128 in at least `width` bytes (0x80 continuation padding). */
static void wb_uleb_width(wb *b, uint64_t v, size_t width) {
  size_t i = 0;
  bool more;
  do {
    const uint8_t byte = v & 0x7f;
    v >>= 7;
    i++;
    more = v != 0 || i < width;
    wb_u8(b, more ? (uint8_t)(byte | 0x80) : byte);
  } while (more);
}

/* Function i's body: `i32.const (i & 63); drop; [i32.const 0]; end`, so
 * that every body is different. */
static void put_body(wb *b, uint32_t i, uint8_t type) {
  const uint8_t n = type_results[type] ? 7 : 5;
  wb_u8(b, n);
  wb_bytes(b, (const uint8_t[]){0x00, 0x41, (uint8_t)(i & 0x3f), 0x1a}, 4);
  if (type_results[type]) wb_bytes(b, (const uint8_t[]){0x41, 0x00}, 2);
  wb_u8(b, 0x0b);
}

/* Sections: custom "first", type, function, memory, export, code, custom
 * "producers", [name]. export_at[i] gets the offset of export entry i. */
static void build(wb *m, const mspec *s, size_t *export_at) {
  wb c = {0};
  static const uint8_t hdr[] = {HDR};
  wb_bytes(m, hdr, sizeof hdr);
  wb_name(&c, "first");
  wb_bytes(&c, (const uint8_t[]){0xde, 0xad}, 2);
  wb_section(m, 0, &c);
  c.n = 0;
  wb_bytes(&c, type_section, sizeof type_section);
  wb_section(m, 1, &c);
  c.n = 0;
  wb_uleb_width(&c, s->nfuncs, s->count_width);
  wb_bytes(&c, s->ftypes, s->nfuncs);
  wb_section(m, 3, &c);
  c.n = 0;
  wb_bytes(&c, (const uint8_t[]){0x01, 0x00, 0x01}, 3);
  wb_section(m, 5, &c);
  c.n = 0;
  size_t rel[64];
  assert_true(s->nexps <= 64);
  wb_uleb(&c, s->nexps);
  for (size_t i = 0; i < s->nexps; i++) {
    rel[i] = c.n;
    wb_name(&c, s->exps[i].name);
    wb_u8(&c, s->exps[i].kind);
    wb_uleb(&c, s->exps[i].index);
  }
  const size_t at = wb_section(m, 7, &c);
  for (size_t i = 0; i < s->nexps; i++)
    if (export_at) export_at[i] = at + rel[i];
  c.n = 0;
  wb_uleb_width(&c, s->nfuncs, s->count_width);
  for (uint32_t i = 0; i < s->nfuncs; i++) put_body(&c, i, s->ftypes[i]);
  wb_section(m, 10, &c);
  c.n = 0;
  wb_name(&c, "producers");
  wb_bytes(&c, (const uint8_t[]){0x01, 0x02, 'x', 'y', 0x00}, 5);
  wb_section(m, 0, &c);
  c.n = 0;
  if (s->names) {
    wb sub = {0};
    char nm[16];
    wb_uleb(&sub, s->nfuncs);
    for (uint32_t i = 0; i < s->nfuncs; i++) {
      snprintf(nm, sizeof nm, "f%u", i);
      wb_uleb(&sub, i);
      wb_name(&sub, nm);
    }
    wb_name(&c, "name");
    wb_u8(&c, 1);
    wb_uleb(&c, sub.n);
    wb_bytes(&c, sub.d, sub.n);
    wb_section(m, 0, &c);
    wb_free(&sub);
  }
  wb_free(&c);
}

/* The main test module. */
static const uint8_t main_types[] = {0, 1, 2, 3, 4, 1, 0, 5, 0, 1, 1};
#define MAIN_NFUNCS 11
static const ex main_exps[] = {
    {"__wasm_task_hook", 0, 0},
    {"run", 0, 1},
    {"[async-lift]a", 0, 2},
    {"[callback][async-lift]a", 0, 3},
    {"cabi_realloc", 0, 4},
    {"_initialize", 0, 5},
    {"x#[dtor]r", 0, 6},
    {"get", 0, 7},
    {"cabi_post_get", 0, 8},
    {"memory", 2, 0},
    {"run2", 0, 1},              /* same function and role as "run": shares its wrapper */
    {"_start", 0, 9},
    {"cm32p2|x", 0, 10},
    {"cabi_post_nothing", 0, 8}, /* no export "nothing": plain sync */
};

/* Hook codes of a plan entry: how many, and which (taskwrap.h). */
typedef struct hooks {
  uint8_t n;
  uint8_t c[2];
} hooks;
#define H0 {0, {0, 0}}
#define H1(a) {1, {a, 0}}
#define H2(a, b) {2, {a, b}}
#define CB TW_HOOK_CALLBACK_RESULT

static bool same_hooks(const tw_plan_entry *e, hooks h) {
  if (e->nhooks != h.n) return false;
  for (uint8_t i = 0; i < h.n; i++)
    if (e->hooks[i] != h.c[i]) return false;
  return true;
}

/* "0,1", "2,4|5", "init", "init-async" or "-", as the plan text prints them. */
static const char *show_hooks(const tw_plan_entry *e, char *buf, size_t cap) {
  size_t w = 0;
  buf[0] = 0;
  if (e->nhooks == 0) return "-";
  for (uint8_t i = 0; i < e->nhooks && i < 2; i++) {
    const uint8_t c = e->hooks[i];
    const char *sep = i ? "," : "";
    if (c == TW_HOOK_CALLBACK_RESULT) w += (size_t)snprintf(buf + w, cap - w, "%s4|5", sep);
    else if (c == TW_HOOK_INIT) w += (size_t)snprintf(buf + w, cap - w, "%sinit", sep);
    else if (c == TW_HOOK_INIT_ASYNC) w += (size_t)snprintf(buf + w, cap - w, "%sinit-async", sep);
    else w += (size_t)snprintf(buf + w, cap - w, "%s%u", sep, c);
    if (w >= cap) break;
  }
  if (e->nhooks > 2) snprintf(buf + (w < cap ? w : cap - 1), cap - (w < cap ? w : cap - 1), "+?");
  return buf;
}

/* What the plan must say for each export, and each wrapper's body. */
typedef struct want_entry {
  tw_role role;
  hooks hooks;
  int64_t wrapper;
  int removed;
} want_entry;

static const want_entry main_plan[] = {
    {TW_ROLE_HOOK, H0, -1, 1},
    {TW_ROLE_SYNC, H2(0, 1), 11, 0},
    {TW_ROLE_ASYNC_CALLBACK, H2(2, CB), 12, 0},
    {TW_ROLE_CALLBACK, H2(3, CB), 13, 0},
    {TW_ROLE_REALLOC, H2(12, 13), 14, 0},
    {TW_ROLE_INITIALIZE, H2(6, 7), 15, 0},
    {TW_ROLE_DTOR, H2(8, 9), 16, 0},
    {TW_ROLE_SYNC_POST, H1(0), 17, 0},
    {TW_ROLE_POST_RETURN, H1(1), 18, 0},
    {TW_ROLE_NOT_FUNC, H0, -1, 0},
    {TW_ROLE_SYNC, H2(0, 1), 11, 0},
    {TW_ROLE_INTERNAL, H0, -1, 0},
    {TW_ROLE_STANDARD, H0, -1, 0},
    {TW_ROLE_SYNC, H2(0, 1), 19, 0},
};

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

static void build_main(wb *m, bool names, size_t count_width, size_t *export_at) {
  const mspec s = {main_types, MAIN_NFUNCS, main_exps, COUNT(main_exps), names, count_width};
  build(m, &s, export_at);
}

static tw_result *rewrite_ok(const uint8_t *d, size_t n, const tw_options *o) {
  tw_result *r = NULL;
  const tw_status st = tw_rewrite(d, n, o, &r);
  assert_non_null(r);
  if (st != TW_OK)
    fail_msg("tw_rewrite: status %d at 0x%llx: %s", st,
             (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r));
  assert_int_equal(tw_result_status(r), TW_OK);
  return r;
}

static void check_parse(tw_module *m, const uint8_t *d, size_t n) {
  tw_err err = {0};
  if (!tw_module_parse(m, d, n, &err))
    fail_msg("output does not parse: %d at %llu: %s", err.code, (unsigned long long)err.offset,
             err.message);
}

/* ---- the main module ----------------------------------------------------- */

static void test_rewrite_main(void **state) {
  (void)state;
  wb in = {0};
  build_main(&in, true, 0, NULL);
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
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
  /* wrappers: the target's type, ABI.md's bodies */
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
  assert_int_equal(m.names_func_count, MAIN_NFUNCS + 9);
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(out, m.names_func_entries, m.names_func_end, &err);
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

/* Running the tool on its own output changes nothing (ABI.md). */
static void test_idempotent(void **state) {
  (void)state;
  wb in = {0};
  build_main(&in, true, 0, NULL);
  tw_result *r1 = rewrite_ok(in.d, in.n, NULL);
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
  const mspec s = {main_types, MAIN_NFUNCS, main_exps + 1, COUNT(main_exps) - 1, true, 0};
  build(&in, &s, NULL);
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
  build_main(&in, false, 5, NULL);
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
  static const ex exps[] = {{"__wasm_task_hook", 0, 0}, {"f1", 0, 1}};
  const mspec s = {types, 127, exps, 2, false, 0};
  build(&in, &s, NULL);
  r = rewrite_ok(in.d, in.n, NULL);
  assert_int_equal(tw_result_wrapper_count(r), 1);
  /* Nothing refers to code offsets: no warning. */
  assert_int_equal(tw_result_warning_count(r), 0);
  tw_result_free(r);
  /* With DWARF (a .debug_info section) the moved bodies are worth a warning. */
  wb dwarf = {0};
  wb_bytes(&dwarf, in.d, in.n);
  static const uint8_t debug_info[] = {0x00, 0x0d, 0x0b, '.', 'd', 'e', 'b', 'u', 'g', '_',
                                       'i', 'n', 'f', 'o', 0x00};
  wb_bytes(&dwarf, debug_info, sizeof debug_info);
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

/* ---- type mismatches ------------------------------------------------------ */

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
    const mspec s = {types, MAIN_NFUNCS, main_exps, COUNT(main_exps), false, 0};
    wb in = {0};
    size_t at[64];
    build(&in, &s, at);
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

/* ---- verification ------------------------------------------------------------
 * The verifier is run on a copy of a rewrite's output through tw_check: the
 * uncorrupted output must pass, so that it is the corruption that is caught. */

static size_t corrupted_at; /* output offset the corruptor changed */

/* Flip H(1) to H(0) at the end of the last wrapper: a valid module, but
 * not ABI.md's body. */
static void corrupt_last_hook_code(uint8_t *d, size_t n) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, d, n, &err)) return;
  const tw_body *b = &m.bodies[m.nbodies - 1];
  /* ... i32.const 1; call 0; end */
  if (b->end - b->code >= 5 && d[b->end - 5] == 0x41 && d[b->end - 4] == 0x01 &&
      d[b->end - 1] == 0x0b) {
    d[b->end - 4] = 0x00;
    corrupted_at = b->end - 4; /* the immediate: the first byte that differs */
  }
  tw_module_free(&m);
}

/* Make the first wrapper call another function than its target. */
static void corrupt_call_target(uint8_t *d, size_t n) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, d, n, &err)) return;
  const tw_body *b = &m.bodies[MAIN_NFUNCS]; /* 00 41 00 10 00 10 01 ... */
  if (d[b->code + 5] == 0x10 && d[b->code + 6] == 0x01) {
    d[b->code + 6] = 0x09;
    corrupted_at = b->code + 6; /* the call's index: the first byte that differs */
  }
  tw_module_free(&m);
}

/* Change one byte of an existing function body (i32.const 3 -> 4). */
static void corrupt_existing_body(uint8_t *d, size_t n) {
  tw_module m;
  tw_err err = {0};
  if (!tw_module_parse(&m, d, n, &err)) return;
  const tw_body *b = &m.bodies[3];
  if (d[b->code + 1] == 0x41 && d[b->code + 2] == 0x03) {
    d[b->code + 2] = 0x04;
    corrupted_at = b->code + 2;
  }
  tw_module_free(&m);
}

/* Change a byte of the "producers" custom section. */
static void corrupt_custom_section(uint8_t *d, size_t n) {
  for (size_t i = 0; i + 9 < n; i++)
    if (memcmp(d + i, "producers", 9) == 0 && d[i + 9] == 0x01) {
      d[i + 9] = 0x02;
      corrupted_at = i + 9;
      return;
    }
}

/* Re-point the "run" export at the original function. */
static void corrupt_export(uint8_t *d, size_t n) {
  for (size_t i = 0; i + 5 < n; i++)
    if (d[i] == 3 && memcmp(d + i + 1, "run", 3) == 0 && d[i + 4] == 0x00 && d[i + 5] == 11) {
      d[i + 5] = 1;
      corrupted_at = i + 5;
      return;
    }
}

/* tw_check must accept `out` as the output of `in` under `o`. */
static void check_accepts(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
                          const tw_options *o) {
  tw_result *c = NULL;
  const tw_status st = tw_check(in, in_n, out, out_n, o, &c);
  assert_non_null(c);
  if (st != TW_OK)
    fail_msg("tw_check refuses the output: status %d at 0x%llx: %s", st,
             (unsigned long long)tw_result_error_offset(c), tw_result_error_message(c));
  assert_int_equal(tw_result_status(c), TW_OK);
  assert_false(tw_result_error_in_output(c));
  tw_result_free(c);
}

/* tw_check must refuse `out`: TW_ERR_VERIFY, about the output, at `at` (exact)
 * or at most `at` (the first violation is at or before the changed byte).
 * Returns the offset it reported. */
static uint64_t check_refuses(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
                              const tw_options *o, size_t at, bool exact, const char *what) {
  tw_result *c = NULL;
  const tw_status st = tw_check(in, in_n, out, out_n, o, &c);
  assert_non_null(c);
  const uint64_t off = tw_result_error_offset(c);
  const char *msg = tw_result_error_message(c);
  if (st != TW_ERR_VERIFY || tw_result_status(c) != st || msg[0] == 0 ||
      !tw_result_error_in_output(c) || (exact ? off != at : off > at))
    fail_msg("%s (byte 0x%zx): status %d at 0x%llx (in output: %d): \"%s\"; want "
             "TW_ERR_VERIFY at %s0x%zx",
             what, at, st, (unsigned long long)off, tw_result_error_in_output(c), msg,
             exact ? "" : "or before ", at);
  size_t n = 99;
  assert_null(tw_result_output(c, &n));
  assert_int_equal(n, 0);
  assert_false(tw_result_changed(c));
  assert_int_equal(tw_result_segment_count(c), 0);
  tw_result_free(c);
  return off;
}

static void run_corrupted(void (*fn)(uint8_t *, size_t), bool exact_offset) {
  wb in = {0};
  build_main(&in, true, 0, NULL);
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  assert_non_null(out);
  uint8_t *copy = malloc(n);
  assert_non_null(copy);
  memcpy(copy, out, n);
  check_accepts(in.d, in.n, copy, n, NULL);
  corrupted_at = 0;
  fn(copy, n);
  if (corrupted_at == 0) fail_msg("the corruptor found nothing to change");
  assert_true(memcmp(copy, out, n) != 0);
  check_refuses(in.d, in.n, copy, n, NULL, corrupted_at, exact_offset, "corrupted output");
  free(copy);
  tw_result_free(r);
  wb_free(&in);
}

static void test_verify_hook_code(void **state) {
  (void)state;
  run_corrupted(corrupt_last_hook_code, true);
}
static void test_verify_call_target(void **state) {
  (void)state;
  run_corrupted(corrupt_call_target, true);
}
static void test_verify_existing_body(void **state) {
  (void)state;
  run_corrupted(corrupt_existing_body, false);
}
static void test_verify_custom_section(void **state) {
  (void)state;
  run_corrupted(corrupt_custom_section, false);
}
static void test_verify_export(void **state) {
  (void)state;
  run_corrupted(corrupt_export, false);
}

/* As check_refuses, but says what is wrong and returns false instead of
 * failing (so that every byte is tried). */
static bool refused(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
                    const tw_options *o, size_t at, bool exact, const char *what) {
  tw_result *c = NULL;
  const tw_status st = tw_check(in, in_n, out, out_n, o, &c);
  assert_non_null(c);
  const uint64_t off = tw_result_error_offset(c);
  const char *msg = tw_result_error_message(c);
  size_t n = 99;
  /* Not exact: at the changed byte or before it, or, when the change turns
   * a size or count into another plausible one, at the field that follows
   * it, where the verifier first finds the two inconsistent (a size is only
   * known to be wrong once what it measures has been walked): a LEB128 field
   * is at most 5 bytes long. */
  const bool ok = st == TW_ERR_VERIFY && tw_result_status(c) == st && msg[0] != 0 &&
                  tw_result_error_in_output(c) && (exact ? off == at : off <= at + 5) &&
                  tw_result_output(c, &n) == NULL && n == 0 && !tw_result_changed(c) &&
                  tw_result_segment_count(c) == 0;
  if (!ok)
    print_error("%s: byte 0x%zx changed to 0x%02x: status %d at 0x%llx (in output: %d): \"%s\"; "
                "want TW_ERR_VERIFY at %s0x%zx\n",
                what, at, out[at], st, (unsigned long long)off, tw_result_error_in_output(c), msg,
                exact ? "" : "at most 5 bytes after ", at);
  tw_result_free(c);
  return ok;
}

/* Exactly one output is right (docs/output-layout.md): tw_check refuses
 * every output that differs from it in one byte, at that byte (or at the
 * field after a size that became another plausible size), and one a byte
 * shorter or longer. */
static void check_every_byte(const uint8_t *in, size_t in_n, const uint8_t *out, size_t n,
                             const tw_options *o, bool exact, const char *what) {
  check_accepts(in, in_n, out, n, o);
  uint8_t *copy = malloc(n + 1);
  assert_non_null(copy);
  memcpy(copy, out, n);
  static const uint8_t flips[] = {0x01, 0x80, 0xff};
  size_t tried = 0;
  size_t failed = 0;
  for (size_t i = 0; i < n; i++) {
    for (size_t k = 0; k < COUNT(flips); k++) {
      copy[i] ^= flips[k];
      if (!refused(in, in_n, copy, n, o, i, exact, what)) failed++;
      copy[i] ^= flips[k];
      tried++;
    }
  }
  if (failed) fail_msg("%s: %zu of %zu one-byte changes not refused as required", what, failed,
                       tried);
  /* a byte short: the violation is at the end at the latest */
  check_refuses(in, in_n, copy, n - 1, o, n - 1, exact, "a byte short");
  /* a byte more (the output's end is the first difference) */
  copy[n] = 0x00;
  check_refuses(in, in_n, copy, n + 1, o, n, exact, "a byte more");
  free(copy);
  print_message("%s: %zu one-byte changes of %zu bytes, every one refused\n", what, tried, n);
}

/* tw_check accepts the output and refuses a copy with one byte changed:
 * here the last wrapper's final `end` (nothing after it depends on it but
 * the name section), which must be refused exactly there. */
static void test_check(void **state) {
  (void)state;
  wb in = {0};
  build_main(&in, true, 0, NULL);
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  check_accepts(in.d, in.n, out, n, NULL);
  tw_module m;
  check_parse(&m, out, n);
  const size_t end = m.bodies[m.nbodies - 1].end - 1;
  tw_module_free(&m);
  assert_int_equal(out[end], 0x0b);
  uint8_t *copy = malloc(n);
  assert_non_null(copy);
  memcpy(copy, out, n);
  copy[end] = 0x01; /* nop */
  check_refuses(in.d, in.n, copy, n, NULL, end, true, "the last wrapper's end");
  free(copy);
  /* The input is not the output (it has something to rewrite), nor is the
   * output of other options. */
  check_refuses(in.d, in.n, in.d, in.n, NULL, in.n, false, "the input as output");
  tw_options keep;
  tw_options_init(&keep);
  keep.keep_hook_export = 1;
  tw_result *rk = rewrite_ok(in.d, in.n, &keep);
  size_t nk = 0;
  const uint8_t *ok = tw_result_output(rk, &nk);
  check_accepts(in.d, in.n, ok, nk, &keep);
  check_refuses(in.d, in.n, ok, nk, NULL, nk, false, "the output with the hook kept");
  check_refuses(in.d, in.n, out, n, &keep, n, false, "the output without the hook kept");
  tw_result_free(rk);
  tw_result_free(r);

  /* The input's own error comes through, at its offset in the input. */
  static const uint8_t bad[] = {HDR, 0x01, 0x05, 0x01, 0x60, 0x00, 0x00};
  tw_result *c = NULL;
  assert_int_equal(tw_check(bad, sizeof bad, out, 0, NULL, &c), TW_ERR_MALFORMED);
  assert_int_equal(tw_result_error_offset(c), 10);
  assert_false(tw_result_error_in_output(c));
  tw_result_free(c);
  assert_int_equal(tw_check(in.d, in.n, in.d, in.n, NULL, NULL), TW_ERR_INVALID_ARG);
  wb_free(&in);
}

/* Every one-byte change of the output (three ways), and the output a byte
 * shorter or longer: all refused, each at the changed byte (or at the field
 * after a size that became another plausible size). */
static void test_check_every_byte(void **state) {
  (void)state;
  wb in = {0};
  build_main(&in, true, 0, NULL);
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  check_every_byte(in.d, in.n, out, n, NULL, false, "rewritten");
  tw_result_free(r);
  wb_free(&in);
}

/* Without a hook the output must be the input: every change refused
 * exactly at the changed byte. */
static void test_check_every_byte_unchanged(void **state) {
  (void)state;
  const mspec s = {main_types, MAIN_NFUNCS, main_exps + 1, COUNT(main_exps) - 1, true, 0};
  wb plain = {0};
  build(&plain, &s, NULL);
  check_every_byte(plain.d, plain.n, plain.d, plain.n, NULL, true, "not rewritten");
  wb_free(&plain);
}

/* ---- the output as segments ---------------------------------------------- */

/* The segments, concatenated, are the output; input segments lie inside
 * the input. Returns how many of each kind there are in *ninput, *nbytes. */
static void check_segments(const tw_result *r, const uint8_t *in, size_t in_n, size_t *ninput,
                           size_t *nbytes) {
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  assert_non_null(out);
  const size_t count = tw_result_segment_count(r);
  wb cat = {0};
  *ninput = *nbytes = 0;
  for (size_t i = 0; i < count; i++) {
    tw_segment seg;
    memset(&seg, 0xa5, sizeof seg);
    if (!tw_result_segment(r, i, &seg)) fail_msg("segment %zu of %zu missing", i, count);
    if (seg.kind == TW_SEGMENT_INPUT) {
      if (seg.input_offset > in_n || seg.size > in_n - seg.input_offset)
        fail_msg("segment %zu: input [0x%llx, +0x%llx) outside the input (0x%zx bytes)", i,
                 (unsigned long long)seg.input_offset, (unsigned long long)seg.size, in_n);
      wb_bytes(&cat, in + seg.input_offset, (size_t)seg.size);
      (*ninput)++;
    } else if (seg.kind == TW_SEGMENT_BYTES) {
      if (seg.size && !seg.bytes) fail_msg("segment %zu: no bytes", i);
      wb_bytes(&cat, seg.bytes, (size_t)seg.size);
      (*nbytes)++;
    } else {
      fail_msg("segment %zu: kind %d", i, (int)seg.kind);
    }
  }
  tw_segment seg;
  assert_int_equal(tw_result_segment(r, count, &seg), 0);
  if (count) assert_int_equal(tw_result_segment(r, 0, NULL), 0);
  check_bytes("segments concatenated", cat.d, cat.n, out, n);
  wb_free(&cat);
}

static void test_segments(void **state) {
  (void)state;
  wb in = {0};
  build_main(&in, true, 0, NULL);
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
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
  const mspec s = {main_types, MAIN_NFUNCS, main_exps + 1, COUNT(main_exps) - 1, true, 0};
  build(&in, &s, NULL);
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
  const mspec bad = {types, MAIN_NFUNCS, main_exps, COUNT(main_exps), false, 0};
  build(&in, &bad, NULL);
  r = NULL;
  assert_int_equal(tw_rewrite(in.d, in.n, NULL, &r), TW_ERR_TYPE_MISMATCH);
  assert_int_equal(tw_result_segment_count(r), 0);
  assert_int_equal(tw_result_segment(r, 0, &seg), 0);
  tw_result_free(r);
  assert_int_equal(tw_result_segment_count(NULL), 0);
  assert_int_equal(tw_result_segment(NULL, 0, &seg), 0);
  wb_free(&in);
}

/* ---- --stub-wasi and --init-once entries ------------------------------------ */

/* f0 wasi fd_write (t4), f1 env.kept (t0), f2 wasi proc_exit (t0);
 * f3 _initialize (t1), f4 run (t2): calls f1, f0, f2 and f5; f5 helper (t5).
 * Exports _initialize, run, memory. */
static void build_host(wb *m) {
  wb c = {0};
  static const uint8_t hdr[] = {HDR};
  wb_bytes(m, hdr, sizeof hdr);
  wb_bytes(&c, type_section, sizeof type_section);
  wb_section(m, 1, &c);
  c.n = 0;
  wb_u8(&c, 3);
  wb_name(&c, "wasi_snapshot_preview1"), wb_name(&c, "fd_write");
  wb_bytes(&c, (const uint8_t[]){0x00, 0x04}, 2);
  wb_name(&c, "env"), wb_name(&c, "kept"), wb_bytes(&c, (const uint8_t[]){0x00, 0x00}, 2);
  wb_name(&c, "wasi_snapshot_preview1"), wb_name(&c, "proc_exit");
  wb_bytes(&c, (const uint8_t[]){0x00, 0x00}, 2);
  wb_section(m, 2, &c);
  c.n = 0;
  wb_bytes(&c, (const uint8_t[]){0x03, 0x01, 0x02, 0x05}, 4);
  wb_section(m, 3, &c);
  c.n = 0;
  wb_bytes(&c, (const uint8_t[]){0x01, 0x00, 0x01}, 3);
  wb_section(m, 5, &c);
  c.n = 0;
  wb_u8(&c, 3);
  wb_name(&c, "_initialize"), wb_bytes(&c, (const uint8_t[]){0x00, 0x03}, 2);
  wb_name(&c, "run"), wb_bytes(&c, (const uint8_t[]){0x00, 0x04}, 2);
  wb_name(&c, "memory"), wb_bytes(&c, (const uint8_t[]){0x02, 0x00}, 2);
  wb_section(m, 7, &c);
  c.n = 0;
  static const uint8_t run[] = {0x00, 0x20, 0x00, 0x10, 0x01,                   /* kept(p0) */
                                0x41, 0x01, 0x41, 0x00, 0x41, 0x00, 0x41, 0x08, /* fd_write */
                                0x10, 0x00, 0x1a,
                                0x41, 0x00, 0x10, 0x02, /* proc_exit(0) */
                                0x10, 0x05, 0x0b};      /* helper() */
  wb_u8(&c, 3);
  wb_bytes(&c, (const uint8_t[]){0x02, 0x00, 0x0b}, 3);
  wb_u8(&c, sizeof run);
  wb_bytes(&c, run, sizeof run);
  wb_bytes(&c, (const uint8_t[]){0x04, 0x00, 0x41, 0x07, 0x0b}, 5);
  wb_section(m, 10, &c);
  wb_free(&c);
}

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
  /* guards (docs/output-layout.md): flag global 0 */
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
  build_main(&in, true, 0, NULL);
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

/* ---- imported functions ---------------------------------------------------- */

/* The hook is an imported function: wrappers call it by its index and are
 * numbered after imports and defined functions. */
static void test_imported_hook(void **state) {
  (void)state;
  wb m = {0}, c = {0};
  static const uint8_t hdr[] = {HDR};
  wb_bytes(&m, hdr, sizeof hdr);
  wb_bytes(&c, type_section, sizeof type_section);
  wb_section(&m, 1, &c);
  c.n = 0;
  wb_u8(&c, 1);
  wb_name(&c, "env"), wb_name(&c, "hook"), wb_bytes(&c, (const uint8_t[]){0x00, 0x00}, 2);
  wb_section(&m, 2, &c);
  c.n = 0;
  wb_bytes(&c, (const uint8_t[]){0x02, 0x01, 0x02}, 3); /* f1: t1, f2: t2 */
  wb_section(&m, 3, &c);
  c.n = 0;
  wb_u8(&c, 3);
  wb_name(&c, "__wasm_task_hook"), wb_bytes(&c, (const uint8_t[]){0x00, 0x00}, 2);
  wb_name(&c, "run"), wb_bytes(&c, (const uint8_t[]){0x00, 0x01}, 2);
  wb_name(&c, "[async-lift]a"), wb_bytes(&c, (const uint8_t[]){0x00, 0x02}, 2);
  wb_section(&m, 7, &c);
  c.n = 0;
  wb_u8(&c, 2);
  put_body(&c, 1, 1);
  put_body(&c, 2, 2);
  wb_section(&m, 10, &c);
  wb_free(&c);

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
  wb m = {0}, c = {0};
  static const uint8_t hdr[] = {HDR};
  wb_bytes(&m, hdr, sizeof hdr);
  wb_bytes(&c, type_section, sizeof type_section);
  wb_section(&m, 1, &c);
  c.n = 0;
  wb_u8(&c, 2);
  wb_name(&c, "env"), wb_name(&c, "hook"), wb_bytes(&c, (const uint8_t[]){0x00, 0x00}, 2);
  wb_name(&c, "env"), wb_name(&c, "run"), wb_bytes(&c, (const uint8_t[]){0x00, 0x02}, 2);
  wb_section(&m, 2, &c);
  c.n = 0;
  wb_name(&c, "mid");
  wb_section(&m, 0, &c);
  c.n = 0;
  wb_u8(&c, 2);
  wb_name(&c, "__wasm_task_hook"), wb_bytes(&c, (const uint8_t[]){0x00, 0x00}, 2);
  wb_name(&c, "run"), wb_bytes(&c, (const uint8_t[]){0x00, 0x01}, 2);
  wb_section(&m, 7, &c);
  c.n = 0;
  wb_name(&c, "end");
  wb_u8(&c, 0x2a);
  wb_section(&m, 0, &c);
  wb_free(&c);

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
  static const ex exps[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}};
  const mspec s = {types, 2, exps, 2, false, 0};
  wb m = {0}, c = {0};
  build(&m, &s, NULL);
  wb_name(&c, "name");
  wb_bytes(&c, (const uint8_t[]){0x00, 0x02, 0x01, 'M', 0x02, 0x01, 0x00}, 7);
  wb_section(&m, 0, &c);
  wb_free(&c);
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

/* ---- init-task ABI and ABI selection -------------------------------------- */

static void test_init_task(void **state) {
  (void)state;
  /* f0 __wasm_init_task, f1 run, f2 [async-lift]a, f3 cabi_realloc,
   * f4 [async-lift-stackful]s, f5 __wasm_init_async_task (second case) */
  static const uint8_t types[] = {1, 1, 2, 4, 0, 1};
  static const ex exps[] = {
      {"__wasm_init_task", 0, 0}, {"run", 0, 1}, {"[async-lift]a", 0, 2},
      {"cabi_realloc", 0, 3},     {"[async-lift-stackful]s", 0, 4},
      {"__wasm_init_async_task", 0, 5},
  };
  for (int with_async = 0; with_async < 2; with_async++) {
    const mspec s = {types, 6, exps, with_async ? 6 : 5, false, 0};
    wb in = {0};
    build(&in, &s, NULL);
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
    for (size_t i = 0; i < s.nexps; i++) {
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
    const want_body bodies[] = {
        {1, B(0x00, 0x10, 0x00, 0x10, 0x01, 0x0b)},
        {2, (const uint8_t[]){0x00, 0x10, ia, 0x20, 0x00, 0x20, 0x01, 0x10, 0x02, 0x0b}, 10},
        {4, (const uint8_t[]){0x00, 0x10, ia, 0x20, 0x00, 0x10, 0x04, 0x0b}, 8},
    };
    for (uint32_t k = 0; k < 3; k++) {
      const tw_body *b = &m.bodies[6 + k];
      check_bytes("init-task wrapper", out + b->code, b->end - b->code, bodies[k].b, bodies[k].n);
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
  static const ex exps[] = {{"__wasm_task_hook", 0, 0}, {"__wasm_init_task", 0, 1}, {"run", 0, 2}};
  const mspec s = {types, 3, exps, 3, false, 0};
  wb in = {0};
  build(&in, &s, NULL);
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
  static const ex dup[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}, {"run", 0, 0}};
  static const ex range[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}, {"far", 0, 2}};
  const ex *const sets[] = {dup, range};
  const size_t bad_entry[] = {2, 2};
  for (size_t i = 0; i < COUNT(sets); i++) {
    const mspec s = {types, 2, sets[i], 3, false, 0};
    wb in = {0};
    size_t at[3];
    build(&in, &s, at);
    tw_result *r = NULL;
    const tw_status st = tw_rewrite(in.d, in.n, NULL, &r);
    if (st != TW_ERR_MALFORMED || tw_result_error_offset(r) != at[bad_entry[i]] ||
        tw_result_error_message(r)[0] == 0)
      ROW_FAIL(i, "status %d at 0x%llx (%s), want malformed at 0x%zx", st,
               (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r),
               at[bad_entry[i]]);
    tw_result_free(r);
    /* without a hook there is nothing to do, and the module passes through */
    const mspec s2 = {types, 2, sets[i] + 1, 2, false, 0};
    wb in2 = {0};
    build(&in2, &s2, NULL);
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
  static const ex exps[] = {{"__wasm_task_hook", 0, 0}, {"run", 0, 1}, {"_start", 0, 2}};
  const mspec s = {types, 2, exps, 3, false, 0};
  wb in = {0};
  size_t at[3];
  build(&in, &s, at);
  tw_result *r = NULL;
  const tw_status st = tw_rewrite(in.d, in.n, NULL, &r);
  if (st != TW_ERR_MALFORMED || tw_result_error_offset(r) != at[2] ||
      tw_result_error_message(r)[0] == 0)
    fail_msg("status %d at 0x%llx (%s), want malformed at 0x%zx", st,
             (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r), at[2]);
  tw_result_free(r);
  wb_free(&in);
}

/* Found by fuzzing: a name section whose function-names map says 9 entries
 * and holds 2. It frames, so it is kept, the wrapper's name appended and the
 * count raised as the input's own count says; the check must accept that
 * (only sizes are bounded by what is left of the output, not counts). */
static void test_names_count_overstated(void **state) {
  (void)state;
  static const uint8_t in[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00, 0x03, 0x03, 0x02, 0x00, 0x01, 0x07, 0x1a, 0x02, 0x10, 0x5f, 0x5f, 0x77, 0x61, 0x73, 0x6d, 0x5f, 0x74, 0x61, 0x73, 0x6b, 0x5f, 0x68, 0x6f, 0x6f, 0x6b, 0x00, 0x00, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, 0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b, 0x00, 0x13, 0x04, 0x6e, 0x61, 0x6d, 0x65, 0x01, 0x0c, 0x09, 0x00, 0x04, 0x68, 0x6f, 0x6f, 0x6b, 0x01, 0x03, 0x72, 0x75, 0x6e};
  tw_result *r = rewrite_ok(in, sizeof in, NULL);
  size_t n = 0;
  const uint8_t *out = tw_result_output(r, &n);
  assert_int_equal(tw_result_wrapper_count(r), 1);
  check_accepts(in, sizeof in, out, n, NULL);
  tw_result_free(r);
}

/* Text input: the segments refer to the binary libwabt assembled, which
 * tw_result_input gives. */
static void test_segments_of_text(void **state) {
  (void)state;
  static const char wat[] = "(module (func (export \"__wasm_task_hook\") (param i32))"
                            " (func (export \"run\")))";
  tw_result *r = rewrite_ok((const uint8_t *)wat, sizeof wat - 1, NULL);
  size_t in_n = 0, n = 0;
  const uint8_t *in = tw_result_input(r, &in_n);
  const uint8_t *out = tw_result_output(r, &n);
  assert_non_null(in);
  assert_true(in_n > 8 && memcmp(in, "\0asm", 4) == 0);
  wb cat = {0};
  for (size_t i = 0; i < tw_result_segment_count(r); i++) {
    tw_segment seg;
    assert_true(tw_result_segment(r, i, &seg));
    if (seg.kind == TW_SEGMENT_INPUT) {
      assert_true(seg.input_offset + seg.size <= in_n);
      wb_bytes(&cat, in + seg.input_offset, (size_t)seg.size);
    } else {
      wb_bytes(&cat, seg.bytes, (size_t)seg.size);
    }
  }
  assert_int_equal(cat.n, n);
  assert_memory_equal(cat.d, out, n);
  wb_free(&cat);
  tw_result_free(r);
}

/* A custom section appended to a built module; returns its offset. */
static size_t append_custom(wb *m, const char *name, const uint8_t *payload, size_t n) {
  wb c = {0};
  const size_t at = m->n;
  wb_name(&c, name);
  wb_bytes(&c, payload, n);
  wb_section(m, 0, &c);
  wb_free(&c);
  return at;
}

/* Pass-through is absolute: a module with nothing to wrap is copied whatever
 * its custom sections hold. A component-type section that cannot be decoded
 * (the historical 0x03 encoding) is not read without a hook, also under
 * --init-once and --stub-wasi, whose guards and stubs do not depend on the
 * world. With a hook the same section is still refused, at its offset (the
 * control: the section really is undecodable). */
static void test_undecodable_world_without_hook(void **state) {
  (void)state;
  static const uint8_t types[] = {1, 5, 0};
  static const ex exps[] = {{"_initialize", 0, 0}, {"run", 0, 1}, {"__wasm_task_hook", 0, 2}};
  const mspec plain = {types, 3, exps, 2, false, 0};
  wb in = {0};
  build(&in, &plain, NULL);
  append_custom(&in, "component-type:x", B(0x03, 0x00, 0x00));
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

  const mspec hooked = {types, 3, exps, 3, false, 0};
  build(&in, &hooked, NULL);
  const size_t at = append_custom(&in, "component-type:x", B(0x03, 0x00, 0x00));
  r = NULL;
  assert_int_equal(tw_rewrite(in.d, in.n, NULL, &r), TW_ERR_MALFORMED);
  assert_true(tw_result_error_offset(r) >= at && tw_result_error_offset(r) < in.n);
  assert_non_null(strstr(tw_result_error_message(r), "historical"));
  tw_result_free(r);
  wb_free(&in);
}

/* A shared library (dylink.0, or the older dylink) that exports a hook of
 * either ABI is refused, whatever the options, with what to do; one without
 * a hook, or without the hook of the ABI asked for, is copied unchanged. A
 * control: the same module with another custom section is rewritten. */
static void test_shared_library(void **state) {
  (void)state;
  static const uint8_t types[] = {0, 1, 1, 5};
  static const ex hook = {"__wasm_task_hook", 0, 0}, init = {"__wasm_init_task", 0, 1},
                  async = {"__wasm_init_async_task", 0, 2}, malloc_ = {"malloc", 0, 3};
  static const uint8_t mem_info[] = {0x01, 0x04, 0x00, 0x00, 0x00, 0x00};
  static const struct {
    ex exps[3];
    size_t nexps;
    const char *section;
    tw_abi abi;
    int keep;
    tw_status want; /* TW_ERR_UNSUPPORTED: refused at export 0; TW_OK: copied */
  } rows[] = {
      {{hook, malloc_}, 2, "dylink.0", TW_ABI_AUTO, 0, TW_ERR_UNSUPPORTED},
      {{init, malloc_}, 2, "dylink.0", TW_ABI_AUTO, 0, TW_ERR_UNSUPPORTED},
      {{init, async, malloc_}, 3, "dylink.0", TW_ABI_AUTO, 0, TW_ERR_UNSUPPORTED},
      {{hook, malloc_}, 2, "dylink", TW_ABI_AUTO, 0, TW_ERR_UNSUPPORTED},
      {{hook, malloc_}, 2, "dylink.0", TW_ABI_AUTO, 1, TW_ERR_UNSUPPORTED},
      {{hook, malloc_}, 2, "dylink.0", TW_ABI_TASK_HOOK, 0, TW_ERR_UNSUPPORTED},
      {{malloc_}, 1, "dylink.0", TW_ABI_AUTO, 0, TW_OK},
      {{hook, malloc_}, 2, "dylink.0", TW_ABI_INIT_TASK, 0, TW_OK},
  };
  for (size_t i = 0; i < COUNT(rows); i++) {
    const mspec s = {types, 4, rows[i].exps, rows[i].nexps, false, 0};
    size_t export_at[3];
    wb in = {0};
    build(&in, &s, export_at);
    append_custom(&in, rows[i].section, mem_info, sizeof mem_info);
    tw_options o;
    tw_options_init(&o);
    o.abi = rows[i].abi;
    o.keep_hook_export = rows[i].keep;
    tw_result *r = NULL;
    const tw_status st = tw_rewrite(in.d, in.n, &o, &r);
    if (st != rows[i].want)
      ROW_FAIL(i, "status %d, want %d: %s", st, rows[i].want, tw_result_error_message(r));
    if (st == TW_OK) {
      size_t n = 0;
      const uint8_t *out = tw_result_output(r, &n);
      check_bytes("a library without the hook", out, n, in.d, in.n);
    } else {
      const char *msg = tw_result_error_message(r);
      char section[32];
      snprintf(section, sizeof section, "(%s section)", rows[i].section);
      if (tw_result_error_offset(r) != export_at[0] || !strstr(msg, section) ||
          !strstr(msg, rows[i].exps[0].name) || !strstr(msg, "wasm-tools component link"))
        ROW_FAIL(i, "at 0x%llx (want 0x%zx): %s", (unsigned long long)tw_result_error_offset(r),
                 export_at[0], msg);
      tw_result_free(r);
      r = NULL; /* --check plans alike: the library is refused there too */
      if (tw_check(in.d, in.n, in.d, in.n, &o, &r) != TW_ERR_UNSUPPORTED) ROW_FAIL(i, "%s", "tw_check");
    }
    tw_result_free(r);
    wb_free(&in);
  }
  /* The control: no dylink section, the same exports, rewritten. */
  const mspec s = {types, 4, rows[0].exps, 2, false, 0};
  wb in = {0};
  build(&in, &s, NULL);
  append_custom(&in, "dylink.1", mem_info, sizeof mem_info);
  tw_result *r = rewrite_ok(in.d, in.n, NULL);
  assert_int_equal(tw_result_changed(r), 1);
  tw_result_free(r);
  wb_free(&in);
}

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
      cmocka_unit_test(test_rewrite_main),
      cmocka_unit_test(test_idempotent),
      cmocka_unit_test(test_no_hook),
      cmocka_unit_test(test_count_width),
      cmocka_unit_test(test_names_count_overstated),
      cmocka_unit_test(test_segments_of_text),
      cmocka_unit_test(test_type_mismatch),
      cmocka_unit_test(test_verify_hook_code),
      cmocka_unit_test(test_verify_call_target),
      cmocka_unit_test(test_verify_existing_body),
      cmocka_unit_test(test_verify_custom_section),
      cmocka_unit_test(test_verify_export),
      cmocka_unit_test(test_check),
      cmocka_unit_test(test_check_every_byte),
      cmocka_unit_test(test_check_every_byte_unchanged),
      cmocka_unit_test(test_segments),
      cmocka_unit_test(test_stub_guard_entries),
      cmocka_unit_test(test_guards_of_wrappers),
      cmocka_unit_test(test_imported_hook),
      cmocka_unit_test(test_imports_only),
      cmocka_unit_test(test_new_function_names),
      cmocka_unit_test(test_init_task),
      cmocka_unit_test(test_abi_selection),
      cmocka_unit_test(test_invalid_exports),
      cmocka_unit_test(test_invalid_internal_export),
      cmocka_unit_test(test_bad_arguments),
      cmocka_unit_test(test_undecodable_world_without_hook),
      cmocka_unit_test(test_shared_library),
  };
  return cmocka_run_group_tests_name("rewrite", tests, NULL, NULL);
}
