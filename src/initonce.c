/* The --init-once planner: every function export first runs _initialize,
 * once per instance, through a guard
 * (docs/output-layout.md, "Added function bodies"). Guards forward to what
 * the task-hook planner made the export name, so _initialize runs as a task
 * of its own before the export's task
 * (docs/usage.md, "Order of calls with the task hooks"). */
#include <stdlib.h>

#include "abi.h"
#include "alloc.h"
#include "edit.h"
#include "err.h"
#include "module.h"
#include "name.h"
#include "opcodes.h"
#include "plan.h"
#include "recognise.h"
#include "taskwrap.h"

/* The names the task-hook ABIs reserve: kept hook exports stay unguarded. */
static bool is_hook_export(const tw_module *m, const tw_export *x) {
  const tw_role r = tw_classify_name(m->data + x->name, x->name_len);
  return r == TW_ROLE_HOOK || r == TW_ROLE_INIT;
}

static uint32_t find_initialize(const tw_module *m) {
  uint32_t found = TW_NONE;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    if (x->kind == TW_KIND_FUNC && tw_name_is(m->data + x->name, x->name_len, "_initialize"))
      found = i;
  }
  return found;
}

static bool refuse_missing(const tw_module *m, tw_err *err) {
  bool start = false;
  for (uint32_t i = 0; i < m->nexports; i++)
    start |= tw_name_is(m->data + m->exports[i].name, m->exports[i].name_len, "_start");
  const size_t at = m->sec_export >= 0 ? m->sections[m->sec_export].start : 0;
  if (start)
    tw_err_set(err, TW_ERR_UNSUPPORTED, at,
               "--init-once: the module exports no _initialize function (a command module "
               "runs _start instead; leave out --init-once)");
  else
    tw_err_set(err, TW_ERR_UNSUPPORTED, at,
               "--init-once: the module exports no _initialize function, which the guards "
               "would run");
  return false;
}

/* One guard per function the exports name after task-hook planning. */
static bool plan_guards(tw_edit *e, uint32_t init, tw_err *err) {
  const tw_module *m = e->m;
  /* Per edit id: the guard planned for that target, TW_NONE until there is
   * one, so exports of one function share its guard. */
  const size_t n = (size_t)m->nfuncs + e->nfns;
  uint32_t *guard_of = tw_alloc_array(n, sizeof *guard_of, err, 0, "the guards");
  if (!guard_of) return false;
  for (size_t k = 0; k < n; k++) guard_of[k] = TW_NONE;
  bool ok = true;
  for (uint32_t i = 0; ok && i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    tw_export_edit *xe = &e->exports[i];
    if (x->kind != TW_KIND_FUNC || xe->removed || is_hook_export(m, x)) continue;
    if (x->index >= m->nfuncs) {
      tw_err_set(err, TW_ERR_MALFORMED, x->start, "export names function %u of %u", x->index,
                 m->nfuncs);
      ok = false;
      break;
    }
    if (!tw_module_func_type(m, x->index)) {
      tw_err_set(err, TW_ERR_MALFORMED, x->start,
                 "export names function %u, whose type %u is not a function type", x->index,
                 m->func_types[x->index]);
      ok = false;
      break;
    }
    const uint32_t t = xe->target;
    if (guard_of[t] == TW_NONE) {
      const tw_fn g = {.kind = TW_FN_GUARD, .type = tw_edit_fn_type(e, t), .export_i = i,
                       .target = t == init ? TW_NONE : t, .init = init,
                       .import_i = TW_NONE, .import_func = TW_NONE};
      guard_of[t] = tw_edit_add_fn(e, &g, err);
      if (guard_of[t] == TW_NONE) ok = false;
    }
    xe->guard = xe->target = guard_of[t];
  }
  free(guard_of);
  return ok;
}

bool tw_plan_init_once(tw_edit *e, tw_err *err) {
  const tw_module *m = e->m;
  const uint32_t xi = find_initialize(m);
  if (xi == TW_NONE) return refuse_missing(m, err);
  e->init_once = true;
  const tw_export *x = &m->exports[xi];
  const tw_functype *t = tw_module_func_type(m, x->index);
  if (!t || t->nparams || t->nresults) {
    tw_err_set(err, TW_ERR_TYPE_MISMATCH, x->start,
               "--init-once: _initialize must have type [] -> []");
    return false;
  }
  /* Idempotent: the tool's own guards are not guarded again. Only its own,
   * recognised exactly: an _initialize that merely looks like a guard is
   * the module's code, and its exports still need guards. */
  if (tw_init_once_applied(m, xi)) {
    e->already_guarded = true;
    return true;
  }
  tw_edit_add_global(e, TW_GLOBAL_GUARD, VT_I32, 0);
  /* The guard's one-time call: _initialize's target after task-hook
   * planning (its wrapper, when it has one). */
  return plan_guards(e, e->exports[xi].target, err);
}
