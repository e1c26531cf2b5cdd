/* The public-API tests' shared modules and checks (fixture.h). */
#include "fixture.h"

/* ---- modules -------------------------------------------------------------------- */

const char *const types6[NTYPES] = {"i->", "->", "ii->i", "iii->i", "iiii->i", "->i"};

static const mb_custom plain_customs[] = {
    {"first", {B(0xde, 0xad)}, MB_FIRST, 0},
    {"producers", {B(0x01, 0x02, 'x', 'y', 0x00)}, 10, 0},
};
static const uint8_t memory1[] = {0x01, 0x00, 0x01}; /* one memory, min 1 */
static const char *const fnames[] = {"f0", "f1", "f2",  "f3",  "f4",  "f5",  "f6",  "f7",
                                     "f8", "f9", "f10", "f11", "f12", "f13", "f14", "f15"};

mb_module plain_module(const uint8_t *funcs, uint32_t nfuncs, const mb_export *exps,
                       size_t nexps, bool names) {
  assert_true(!names || nfuncs <= COUNT(fnames));
  const mb_module m = {
      .types = types6, .ntypes = NTYPES,
      .funcs = funcs, .nfuncs = nfuncs,
      .exports = exps, .nexports = nexps,
      .func_names = fnames, .nfunc_names = names ? nfuncs : 0,
      .customs = plain_customs, .ncustoms = COUNT(plain_customs),
      .sections = {[5] = {memory1, sizeof memory1}},
  };
  return m;
}

const uint8_t main_types[MAIN_NFUNCS] = {0, 1, 2, 3, 4, 1, 0, 5, 0, 1, 1};
const mb_export main_exps[MAIN_NEXPS] = {
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

void build_main(wb *m, bool names, size_t count_width) {
  mb_module s = plain_module(main_types, MAIN_NFUNCS, main_exps, MAIN_NEXPS, names);
  s.count_width = count_width;
  mb_build(m, &s, NULL);
}

void build_plain(wb *m, const uint8_t *funcs, uint32_t nfuncs, const mb_export *exps,
                 size_t nexps) {
  const mb_module s = plain_module(funcs, nfuncs, exps, nexps, false);
  mb_build(m, &s, NULL);
}

void build_main_without_hook(wb *m) {
  const mb_module s = plain_module(main_types, MAIN_NFUNCS, main_exps + 1, MAIN_NEXPS - 1, true);
  mb_build(m, &s, NULL);
}

void build_host(wb *m) {
  static const mb_import imports[] = {
      {"wasi_snapshot_preview1", "fd_write", 0, 4, {0}},
      {"env", "kept", 0, 0, {0}},
      {"wasi_snapshot_preview1", "proc_exit", 0, 0, {0}},
  };
  static const uint8_t funcs[] = {1, 2, 5};
  static const mb_export exps[] = {{"_initialize", 0, 3}, {"run", 0, 4}, {"memory", 2, 0}};
  const mb_bytes bodies[] = {
      {B(0x00, 0x0b)},
      {B(0x00, 0x20, 0x00, 0x10, 0x01,                   /* kept(p0) */
         0x41, 0x01, 0x41, 0x00, 0x41, 0x00, 0x41, 0x08, /* fd_write */
         0x10, 0x00, 0x1a,
         0x41, 0x00, 0x10, 0x02, /* proc_exit(0) */
         0x10, 0x05, 0x0b)},     /* helper() */
      {B(0x00, 0x41, 0x07, 0x0b)},
  };
  const mb_module s = {
      .types = types6, .ntypes = NTYPES,
      .imports = imports, .nimports = COUNT(imports),
      .funcs = funcs, .nfuncs = COUNT(funcs), .bodies = bodies,
      .exports = exps, .nexports = COUNT(exps),
      .sections = {[5] = {memory1, sizeof memory1}},
  };
  mb_build(m, &s, NULL);
}

/* ---- the plan ------------------------------------------------------------------ */

bool same_hooks(const tw_plan_entry *e, hooks h) {
  if (e->nhooks != h.n) return false;
  for (uint8_t i = 0; i < h.n; i++)
    if (e->hooks[i] != h.c[i]) return false;
  return true;
}

const char *show_hooks(const tw_plan_entry *e, char *buf, size_t cap) {
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

const want_entry main_plan[MAIN_NEXPS] = {
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

/* ---- results -------------------------------------------------------------------- */

tw_result *rewrite_ok(const uint8_t *d, size_t n, const tw_options *o) {
  tw_result *r = NULL;
  const tw_status st = tw_rewrite(d, n, o, &r);
  assert_non_null(r);
  if (st != TW_OK)
    fail_msg("tw_rewrite: status %d at 0x%llx: %s", st,
             (unsigned long long)tw_result_error_offset(r), tw_result_error_message(r));
  assert_int_equal(tw_result_status(r), TW_OK);
  return r;
}

tw_result *rewrite_main(wb *in) {
  build_main(in, true, 0);
  return rewrite_ok(in->d, in->n, NULL);
}

void check_parse(tw_module *m, const uint8_t *d, size_t n) {
  tw_err err = {0};
  if (!tw_module_parse(m, d, n, &err))
    fail_msg("output does not parse: %d at %llu: %s", err.code, (unsigned long long)err.offset,
             err.message);
}

void check_accepts(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
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

uint8_t *output_copy(const tw_result *r, size_t spare, size_t *n) {
  *n = 0;
  const uint8_t *out = tw_result_output(r, n);
  assert_non_null(out);
  uint8_t *copy = malloc(*n + spare);
  assert_non_null(copy);
  memcpy(copy, out, *n);
  return copy;
}

bool refused(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
             const tw_options *o, size_t at, bool exact, size_t slack, const char *what,
             uint64_t *off) {
  tw_result *c = NULL;
  const tw_status st = tw_check(in, in_n, out, out_n, o, &c);
  assert_non_null(c);
  const uint64_t got = tw_result_error_offset(c);
  const char *msg = tw_result_error_message(c);
  size_t n = 99;
  const bool ok = st == TW_ERR_VERIFY && tw_result_status(c) == st && msg[0] != 0 &&
                  tw_result_error_in_output(c) && (exact ? got == at : got <= at + slack) &&
                  tw_result_output(c, &n) == NULL && n == 0 && !tw_result_changed(c) &&
                  tw_result_segment_count(c) == 0;
  if (!ok) {
    char changed[16] = "";
    if (at < out_n) snprintf(changed, sizeof changed, " = 0x%02x", out[at]);
    char where[48] = "";
    if (!exact && slack) snprintf(where, sizeof where, "at most %zu bytes after ", slack);
    else if (!exact) snprintf(where, sizeof where, "or before ");
    print_error("%s (byte 0x%zx%s): status %d at 0x%llx (in output: %d): \"%s\"; want "
                "TW_ERR_VERIFY at %s0x%zx\n",
                what, at, changed, st, (unsigned long long)got, tw_result_error_in_output(c), msg,
                where, at);
  }
  tw_result_free(c);
  if (off) *off = got;
  return ok;
}

uint64_t check_refuses(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
                       const tw_options *o, size_t at, bool exact, const char *what) {
  uint64_t off = 0;
  if (!refused(in, in_n, out, out_n, o, at, exact, 0, what, &off)) fail();
  return off;
}

void check_segments(const tw_result *r, const uint8_t *in, size_t in_n, size_t *ninput,
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
