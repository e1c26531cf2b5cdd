/* Recognising what an earlier run of wasm-taskwrap added, so that a second
 * run is a byte-identical no-op (idempotence): task-hook wrappers and
 * --init-once guards. */
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "opcodes.h"

/* The guard prelude: no locals; global.get G; i32.eqz; if; i32.const 1;
 * global.set G; call X; end. */
static bool read_guard_prelude(tw_cursor *c, uint32_t *global, uint32_t *init) {
  uint32_t g1 = 0, g2 = 0;
  uint8_t op = 0;
  if (!tw_read_u8(c, &op, "") || op != 0 || !tw_read_u8(c, &op, "") || op != OP_GLOBAL_GET ||
      !tw_read_u32(c, &g1, ""))
    return false;
  static const uint8_t mid[] = {OP_I32_EQZ, OP_IF, BT_EMPTY, OP_I32_CONST, 0x01, OP_GLOBAL_SET};
  for (size_t i = 0; i < sizeof mid; i++)
    if (!tw_read_u8(c, &op, "") || op != mid[i]) return false;
  if (!tw_read_u32(c, &g2, "") || g1 != g2 || !tw_read_u8(c, &op, "") || op != OP_CALL ||
      !tw_read_u32(c, init, "") || !tw_read_u8(c, &op, "") || op != OP_END)
    return false;
  *global = g1;
  return true;
}

bool tw_guard_target(const tw_module *m, uint32_t f, uint32_t *target, uint32_t *global) {
  if (f < m->nfunc_imports || f >= m->nfuncs) return false;
  const tw_body *b = &m->bodies[f - m->nfunc_imports];
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, b->code, b->end, &scratch);
  uint32_t init = 0, idx = 0;
  uint8_t op = 0;
  if (!read_guard_prelude(&c, global, &init)) return false;
  *target = init; /* _initialize's own guard: no forward call */
  for (uint32_t i = 0; tw_read_u8(&c, &op, ""); i++) {
    if (op == OP_END) return c.pos == c.end;
    if (op == OP_LOCAL_GET && tw_read_u32(&c, &idx, "") && idx == i) continue;
    if (op != OP_CALL || !tw_read_u32(&c, target, "") || !tw_read_u8(&c, &op, "") ||
        op != OP_END)
      return false;
    return c.pos == c.end;
  }
  return false;
}


/* An export whose function is already a wrapper of the same role (the output
 * of an earlier run kept with --keep-hook-export) is not wrapped twice. Each
 * `call` in the wrapper-shaped prefix of the body is a candidate callee (the
 * hook itself too: a module may export the hook under another name); the
 * body must be, byte for byte, the wrapper this ABI gives one of them. */
bool tw_is_wrapper(const tw_edit *e, uint32_t func, tw_role role) {
  const tw_module *m = e->m;
  /* An --init-once guard forwards to what this run would have wrapped. */
  uint32_t inner = 0, flag = 0;
  if (tw_guard_target(m, func, &inner, &flag) && inner < m->nfuncs &&
      m->func_types[inner] == m->func_types[func])
    func = inner;
  if (func < m->nfunc_imports) return false;
  const tw_body *b = &m->bodies[func - m->nfunc_imports];
  /* A wrapper of this type is at most: locals (3), two hook calls and the
   * callback finish (under 40), the call (6) and one local.get per parameter
   * (at most 6 each). Longer bodies are not wrappers; without this bound,
   * many exports of one long function would each scan it (quadratic). */
  const tw_functype *ft = tw_module_func_type(m, func);
  if (!ft || b->end - b->code > 64 + (size_t)ft->nparams * 6) return false;
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
