/* The bodies of the functions the edit adds (locals, instructions, end,
 * without the size), in output indices, and their names. The verifier
 * (verify.c) checks them against its own instruction lists. */
#include <string.h>

#include "abi.h"
#include "bodies.h"
#include "buf.h"
#include "edit.h"
#include "module.h"
#include "opcodes.h"
#include "stubs.h"
#include "taskwrap.h"
#include "wasifs.h"

static void put_hook(tw_buf *b, uint32_t hook, int32_t code) {
  tw_buf_put_u8(b, OP_I32_CONST);
  tw_buf_put_sleb(b, code);
  tw_buf_put_u8(b, OP_CALL);
  tw_buf_put_uleb(b, hook);
}

static void put_forward_call(tw_buf *b, uint32_t target, uint32_t nparams) {
  for (uint32_t i = 0; i < nparams; i++) {
    tw_buf_put_u8(b, OP_LOCAL_GET);
    tw_buf_put_uleb(b, i);
  }
  tw_buf_put_u8(b, OP_CALL);
  tw_buf_put_uleb(b, target);
}

/* `local.set r; H(r != 0 ? 4 : 5); local.get r`, computed the way
 * wit-component does: i32.const 4; i32.const 5; local.get r; select. */
static void put_callback_finish(tw_buf *b, uint32_t hook, uint32_t r) {
  tw_buf_put_u8(b, OP_LOCAL_SET);
  tw_buf_put_uleb(b, r);
  tw_buf_put_u8(b, OP_I32_CONST);
  tw_buf_put_sleb(b, 4);
  tw_buf_put_u8(b, OP_I32_CONST);
  tw_buf_put_sleb(b, 5);
  tw_buf_put_u8(b, OP_LOCAL_GET);
  tw_buf_put_uleb(b, r);
  tw_buf_put_u8(b, OP_SELECT);
  tw_buf_put_u8(b, OP_CALL);
  tw_buf_put_uleb(b, hook);
  tw_buf_put_u8(b, OP_LOCAL_GET);
  tw_buf_put_uleb(b, r);
}

/* docs/abi.md, "Wrapper bodies: task-hook ABI": H(start); call f; H(finish),
 * with the codes of tw_role_hook_codes; TW_HOOK_CALLBACK_RESULT is the finish hook
 * chosen by the callback result (4 or 5), which needs one extra i32 local. */
static void encode_task_hook(tw_buf *b, tw_role role, uint32_t hook, uint32_t target,
                             uint32_t n) {
  uint8_t c[2];
  const uint8_t k = tw_role_hook_codes(role, TW_ABI_TASK_HOOK, false, c);
  if (k == 0) {
    b->failed = true; /* not a wrapped role: the planner never asks for it */
    return;
  }
  const bool callback = k == 2 && c[1] == TW_HOOK_CALLBACK_RESULT;
  /* Which side a one-code wrapper has: sync-with-post-return starts the
   * task, its post-return wrapper finishes it. */
  const bool start = k == 2 || role != TW_ROLE_POST_RETURN;
  if (callback) { /* one local declaration: 1 x i32 */
    tw_buf_put_u8(b, 1);
    tw_buf_put_u8(b, 1);
    tw_buf_put_u8(b, VT_I32);
  } else {
    tw_buf_put_u8(b, 0);
  }
  if (start) put_hook(b, hook, c[0]);
  put_forward_call(b, target, n);
  if (callback) put_callback_finish(b, hook, n); /* r is local n */
  else if (k == 2) put_hook(b, hook, c[1]);
  else if (!start) put_hook(b, hook, c[0]);
  tw_buf_put_u8(b, OP_END);
}

void tw_encode_wrapper_body(tw_buf *b, tw_abi abi, tw_role role, uint32_t hook,
                            uint32_t target, uint32_t nparams) {
  if (abi == TW_ABI_TASK_HOOK) {
    encode_task_hook(b, role, hook, target, nparams);
  } else if (abi == TW_ABI_INIT_TASK) {
    /* docs/abi.md, "Wrapper bodies: init-task ABI": call init; call f */
    tw_buf_put_u8(b, 0);
    tw_buf_put_u8(b, OP_CALL);
    tw_buf_put_uleb(b, hook);
    put_forward_call(b, target, nparams);
    tw_buf_put_u8(b, OP_END);
  } else {
    b->failed = true;
  }
}

static uint32_t nparams_of(const tw_edit *e, uint32_t type) {
  return type < e->m->ntypes && e->m->types[type].is_func ? e->m->types[type].nparams : 0;
}

void tw_encode_wrapper(tw_buf *b, const tw_edit *e, const tw_fn *f) {
  const uint32_t init = f->async_init ? e->init_async : e->hook;
  tw_encode_wrapper_body(b, e->abi, f->role, e->out[init], e->out[f->target],
                         nparams_of(e, f->type));
}

/* docs/output-layout.md, "Added function bodies". */
void tw_encode_guard(tw_buf *b, const tw_edit *e, const tw_fn *f) {
  const uint32_t g = e->global_of[TW_GLOBAL_GUARD];
  tw_buf_put_u8(b, 0);
  tw_buf_put_u8(b, OP_GLOBAL_GET), tw_buf_put_uleb(b, g);
  tw_buf_put_u8(b, OP_I32_EQZ);
  tw_buf_put_u8(b, OP_IF), tw_buf_put_u8(b, BT_EMPTY);
  tw_buf_put_u8(b, OP_I32_CONST), tw_buf_put_sleb(b, 1);
  tw_buf_put_u8(b, OP_GLOBAL_SET), tw_buf_put_uleb(b, g);
  tw_buf_put_u8(b, OP_CALL), tw_buf_put_uleb(b, e->out[f->init]);
  tw_buf_put_u8(b, OP_END);
  if (f->target != TW_NONE) put_forward_call(b, e->out[f->target], nparams_of(e, f->type));
  tw_buf_put_u8(b, OP_END);
}

/* The --stub-wasi-output import, without a scan of the added functions (one
 * per stub would make stubbing n imports O(n^2)): edit.h numbers the added
 * imports last among the output's imports, and there is at most one. The
 * verifier derives the same references from its own numbering (verify.c,
 * check_numbering and check_globals), never from this. */
static tw_stub_env stub_env(const tw_edit *e) {
  tw_stub_env env = {.output_func = e->nimports_added ? e->out_nimports - 1 : TW_NONE,
                     .exit_global = e->global_of[TW_GLOBAL_EXIT],
                     .clock_global = e->global_of[TW_GLOBAL_CLOCK],
                     .random_global = e->global_of[TW_GLOBAL_RANDOM]};
  tw_wasi_stub_env(e->wasi, e->data_segment, &env);
  if (e->wasi) { /* without embedded data, nothing else is read (no scan) */
    env.rom_func = e->rom_fn != TW_NONE ? e->out[e->rom_fn] : TW_NONE;
    env.slot_global = e->global_of[TW_GLOBAL_SLOT];
  } else {
    env.rom_func = env.slot_global = TW_NONE;
  }
  return env;
}

void tw_encode_stub(tw_buf *b, const tw_edit *e, const tw_fn *f) {
  const tw_stub_env env = stub_env(e);
  tw_stub_encode(b, f->stub, &env);
}

/* docs/output-layout.md, "Added function bodies": call _start; then the
 * exit code is 0 (a proc_exit inside traps before this). */
void tw_encode_exit(tw_buf *b, const tw_edit *e, const tw_fn *f) {
  tw_buf_put_u8(b, 0);
  tw_buf_put_u8(b, OP_CALL), tw_buf_put_uleb(b, e->out[f->target]);
  tw_buf_put_u8(b, OP_I32_CONST), tw_buf_put_sleb(b, 0);
  tw_buf_put_u8(b, OP_GLOBAL_SET), tw_buf_put_uleb(b, e->global_of[TW_GLOBAL_EXIT]);
  tw_buf_put_u8(b, OP_END);
}

void tw_encode_rom(tw_buf *b, const tw_edit *e) {
  tw_wasi_encode_rom(b, e->wasi);
}

static const char wasi_module[] = TW_WASI_MODULE;

static void put_str(tw_buf *b, const char *s) { tw_buf_put(b, s, strlen(s)); }

void tw_fn_name(const tw_edit *e, const tw_fn *f, tw_buf *out) {
  const tw_module *m = e->m;
  if (f->kind == TW_FN_ROM) {
    put_str(out, TW_WASI_ROM_NAME);
  } else if (f->kind == TW_FN_STUB) {
    const tw_import *im = &m->imports[f->import_i];
    put_str(out, "taskwrap:");
    put_str(out, wasi_module);
    put_str(out, ".");
    tw_buf_put(out, m->data + im->name, im->name_len);
  } else if (f->kind == TW_FN_WRAPPER || f->kind == TW_FN_GUARD || f->kind == TW_FN_EXIT) {
    const tw_export *x = &m->exports[f->export_i];
    put_str(out, f->kind == TW_FN_GUARD  ? "taskwrap:init-once:"
                 : f->kind == TW_FN_EXIT ? "taskwrap:exit-code:"
                                         : "taskwrap:");
    tw_buf_put(out, m->data + x->name, x->name_len);
  }
}
