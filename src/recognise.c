/* Recognising what an earlier run of wasm-taskwrap added, so that a second
 * run is a byte-identical no-op (idempotence): task-hook wrappers and
 * --init-once guards. */
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "bodies.h"
#include "buf.h"
#include "cursor.h"
#include "edit.h"
#include "err.h"
#include "leb.h"
#include "module.h"
#include "name.h"
#include "opcodes.h"
#include "recognise.h"
#include "section.h"
#include "stubs.h"
#include "taskwrap.h"

/* An --init-once guard, in exactly the bytes bodies.c writes for it
 * (docs/output-layout.md, "Added function bodies"): no locals; global.get G;
 * i32.eqz; if; i32.const 1; global.set G; call X; end; then, but for
 * _initialize's own guard, local.get 0 .. n-1; call T; and end. Every index
 * is a minimal LEB128, X has type [] -> [], and the guard has the type of X
 * (own guard) or of T. Anything else, however guard-like, is the module's
 * own code. */
typedef struct guard {
  uint32_t global; /* G, its flag */
  uint32_t init;   /* X, what the prelude calls once */
  uint32_t target; /* T, what it forwards to; TW_NONE for _initialize's own */
} guard;

static bool expect_u8(tw_cursor *c, uint8_t want) {
  uint8_t b = 0;
  return tw_read_u8(c, &b, "") && b == want;
}

/* An index as the tool writes it: the minimal LEB128. */
static bool read_min_u32(tw_cursor *c, uint32_t *v) {
  const size_t at = c->pos;
  return tw_read_u32(c, v, "") && c->pos - at == tw_leb_size_u64(*v);
}

static bool read_guard_prelude(tw_cursor *c, uint32_t *global, uint32_t *init) {
  static const uint8_t mid[] = {OP_I32_EQZ, OP_IF, BT_EMPTY, OP_I32_CONST, 0x01, OP_GLOBAL_SET};
  uint32_t again = 0;
  if (!expect_u8(c, 0) || !expect_u8(c, OP_GLOBAL_GET) || !read_min_u32(c, global)) return false;
  for (size_t i = 0; i < sizeof mid; i++)
    if (!expect_u8(c, mid[i])) return false;
  return read_min_u32(c, &again) && again == *global && expect_u8(c, OP_CALL) &&
         read_min_u32(c, init) && expect_u8(c, OP_END);
}

static bool read_guard(const tw_module *m, uint32_t f, guard *g) {
  if (f < m->nfunc_imports || f >= m->nfuncs) return false;
  const tw_functype *t = tw_module_func_type(m, f);
  const tw_body *b = &m->bodies[f - m->nfunc_imports];
  /* At most the prelude's 25 bytes, a local.get per parameter, the call and
   * the end: a longer body is no guard, and is not read in. */
  if (!t || b->end - b->code > 32 + (size_t)t->nparams * 6) return false;
  tw_module_need(m, b->code, b->end - b->code); /* the body is decoded */
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, b->code, b->end, &scratch);
  if (!read_guard_prelude(&c, &g->global, &g->init) || g->init >= m->nfuncs) return false;
  const tw_functype *it = tw_module_func_type(m, g->init);
  if (!it || it->nparams || it->nresults) return false;
  g->target = TW_NONE;
  if (c.end - c.pos == 1) /* _initialize's own guard: only the final end */
    return expect_u8(&c, OP_END) && m->func_types[f] == m->func_types[g->init];
  uint32_t idx = 0, target = 0;
  for (uint32_t i = 0; i < t->nparams; i++)
    if (!expect_u8(&c, OP_LOCAL_GET) || !read_min_u32(&c, &idx) || idx != i) return false;
  if (!expect_u8(&c, OP_CALL) || !read_min_u32(&c, &target) || !expect_u8(&c, OP_END) ||
      c.pos != c.end || target >= m->nfuncs || m->func_types[target] != m->func_types[f])
    return false;
  g->target = target;
  return true;
}

/* A command's exit-code wrapper (--stub-wasi on `_start`), exactly as
 * bodies.c writes it: no locals; call T; i32.const 0; global.set E; end,
 * where E is the global exported as taskwrap_exit_code. Gives T. */
static bool read_exit_wrapper(const tw_module *m, uint32_t f, uint32_t *target) {
  if (f < m->nfunc_imports || f >= m->nfuncs) return false;
  const tw_body *b = &m->bodies[f - m->nfunc_imports];
  if (b->end - b->code > 16) return false; /* longer than its longest encoding */
  tw_module_need(m, b->code, b->end - b->code); /* the body is decoded */
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, b->code, b->end, &scratch);
  uint32_t t = 0, g = 0;
  if (!expect_u8(&c, 0) || !expect_u8(&c, OP_CALL) || !read_min_u32(&c, &t) ||
      !expect_u8(&c, OP_I32_CONST) || !expect_u8(&c, 0) || !expect_u8(&c, OP_GLOBAL_SET) ||
      !read_min_u32(&c, &g) || !expect_u8(&c, OP_END) || c.pos != c.end || t >= m->nfuncs ||
      m->func_types[t] != m->func_types[f])
    return false;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    if (x->kind == TW_KIND_GLOBAL && x->index == g &&
        tw_name_is(m->data + x->name, x->name_len, TW_EXIT_CODE_GLOBAL)) {
      *target = t;
      return true;
    }
  }
  return false;
}

/* A global the edit appends, of a role, as emit.c writes it: type,
 * mutable, one constant (docs/output-layout.md, "Sections"), end. */
static size_t appended_global(uint8_t *out, tw_global_role role) {
  static const struct {
    uint8_t valtype;
    int64_t init;
  } spec[4] = {[TW_GLOBAL_GUARD] = {VT_I32, 0}, [TW_GLOBAL_EXIT] = {VT_I32, -1},
               [TW_GLOBAL_CLOCK] = {VT_I64, TW_STUB_CLOCK_START - TW_STUB_CLOCK_STEP},
               [TW_GLOBAL_RANDOM] = {VT_I64, TW_STUB_RANDOM_SEED}};
  size_t n = 0;
  out[n++] = spec[role].valtype;
  out[n++] = TW_MUT_VAR;
  out[n++] = spec[role].valtype == VT_I32 ? OP_I32_CONST : OP_I64_CONST;
  n += tw_leb_write_s64(out + n, spec[role].init);
  out[n++] = OP_END;
  return n;
}

/* The guards' flag as the edit appends it (edit.h, tw_global_role): a
 * global the module defines, (mut i32) (i32.const 0), after every global of
 * the input and followed only by what --stub-wasi appends. It is found from
 * the end of the global section, so the input's own globals are never
 * decoded. (Whether it is exported does not matter: the tool never exports
 * it, but an invalid input's export of a global it lacks comes to name it.) */
static bool is_guard_flag(const tw_module *m, uint32_t g) {
  static const struct {
    uint32_t n;
    tw_global_role roles[3];
  } tails[] = {{0, {TW_GLOBAL_EXIT}},
               {1, {TW_GLOBAL_EXIT}},
               {2, {TW_GLOBAL_EXIT, TW_GLOBAL_CLOCK}},
               {2, {TW_GLOBAL_EXIT, TW_GLOBAL_RANDOM}},
               {3, {TW_GLOBAL_EXIT, TW_GLOBAL_CLOCK, TW_GLOBAL_RANDOM}}};
  uint32_t imported = 0;
  for (uint32_t i = 0; i < m->nimports; i++) imported += m->imports[i].kind == TW_KIND_GLOBAL;
  if (g < imported || g >= m->nglobals) return false;
  const tw_section *sec = NULL;
  for (size_t s = 0; s < m->nsections; s++)
    if (m->sections[s].id == TW_SEC_GLOBAL) sec = &m->sections[s];
  for (size_t t = 0; sec && t < sizeof tails / sizeof tails[0]; t++) {
    if (tails[t].n != m->nglobals - 1 - g) continue;
    uint8_t want[64];
    size_t n = appended_global(want, TW_GLOBAL_GUARD);
    for (uint32_t k = 0; k < tails[t].n; k++) n += appended_global(want + n, tails[t].roles[k]);
    if (sec->end - sec->body >= n && memcmp(m->data + sec->end - n, want, n) == 0) return true;
  }
  return false;
}

bool tw_init_once_applied(const tw_module *m, uint32_t initialize_export) {
  const tw_export *ix = &m->exports[initialize_export];
  guard own, g;
  if (ix->kind != TW_KIND_FUNC || !read_guard(m, ix->index, &own) || own.target != TW_NONE ||
      !is_guard_flag(m, own.global))
    return false;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    const uint8_t *name = m->data + x->name;
    if (x->kind != TW_KIND_FUNC) continue;
    const tw_role r = tw_classify_name(name, x->name_len);
    if (r == TW_ROLE_HOOK || r == TW_ROLE_INIT) continue; /* kept hook exports: never guarded */
    uint32_t f = x->index;
    if (tw_name_is(name, x->name_len, "_start")) read_exit_wrapper(m, f, &f);
    if (!read_guard(m, f, &g) || g.global != own.global || g.init != own.init) return false;
  }
  return true;
}

/* An export whose function is already a wrapper of the same role (the output
 * of an earlier run kept with --keep-hook-export) is not wrapped twice. Each
 * `call` in the wrapper-shaped prefix of the body is a candidate callee (the
 * hook itself too: a module may export the hook under another name); the
 * body must be, byte for byte, the wrapper this ABI gives one of them. */
bool tw_is_wrapper(const tw_edit *e, uint32_t func, tw_role role) {
  const tw_module *m = e->m;
  /* An --init-once guard forwards to what this run would have wrapped. */
  guard g;
  if (read_guard(m, func, &g)) func = g.target != TW_NONE ? g.target : g.init;
  if (func < m->nfunc_imports) return false;
  const tw_body *b = &m->bodies[func - m->nfunc_imports];
  /* A wrapper of this type is at most: locals (3), two hook calls and the
   * callback finish (under 40), the call (6) and one local.get per parameter
   * (at most 6 each). Longer bodies are not wrappers; without this bound,
   * many exports of one long function would each scan it (quadratic). */
  const tw_functype *ft = tw_module_func_type(m, func);
  if (!ft || b->end - b->code > 64 + (size_t)ft->nparams * 6) return false;
  tw_module_need(m, b->code, b->end - b->code); /* the body is decoded */
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(m->data, b->code, b->end, &err);
  uint32_t groups = 0, count = 0, idx = 0;
  uint8_t op = 0;
  int32_t k = 0;
  if (!tw_read_u32(&c, &groups, "locals") || groups > 1) return false;
  if (groups == 1 && (!tw_read_u32(&c, &count, "locals") || !tw_read_u8(&c, &op, "local type")))
    return false;
  const bool async_init = tw_edit_async_init(e, role);
  const uint32_t hook = async_init ? e->init_async : e->hook;
  /* Wrappers use only i32.const, local.get and call before the callee. */
  while (tw_read_u8(&c, &op, "instruction")) {
    if (op == OP_I32_CONST && tw_read_s32(&c, &k, "i32.const")) continue;
    if (op == OP_LOCAL_GET && tw_read_u32(&c, &idx, "local.get")) continue;
    if (op != OP_CALL || !tw_read_u32(&c, &idx, "call")) return false;
    if (idx >= m->nfuncs || m->func_types[idx] != m->func_types[func]) continue;
    const tw_functype *t = tw_module_func_type(m, idx);
    if (!t) return false;
    tw_buf want = {0};
    tw_encode_wrapper_body(&want, e->abi, role, hook, idx, t->nparams);
    const bool same = !want.failed && want.len == (size_t)(b->end - b->code) &&
                      memcmp(want.data, m->data + b->code, want.len) == 0;
    tw_buf_free(&want);
    if (same) return true;
  }
  return false;
}
