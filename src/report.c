/* The plan, from the finalised edit: entries for the C API, one text line
 * per export, guard and stub, and the same as JSON. Every function index
 * is an output index, except an export's own `KIND:INDEX` (the input's),
 * which its line maps with `->` to what it names in the output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "buf.h"
#include "dylink.h"
#include "err.h"
#include "module.h"
#include "opcodes.h"
#include "report.h"
#include "section.h"
#include "stubs.h"
#include "taskwrap.h"
#include "wasifs.h"
#include "world.h"

static int64_t out_or_none(const tw_edit *e, uint32_t id) {
  return id == TW_NONE ? -1 : (int64_t)e->out[id];
}

static bool build_entries(tw_result *r) {
  const tw_module *m = &r->m;
  const tw_edit *e = &r->edit;
  size_t names = 1;
  for (uint32_t i = 0; i < m->nexports; i++) names += (size_t)m->exports[i].name_len + 1;
  r->entries = calloc(m->nexports ? m->nexports : 1, sizeof *r->entries);
  r->names = malloc(names);
  if (!r->entries || !r->names) return false;
  char *w = r->names;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    const tw_export_edit *xe = &e->exports[i];
    tw_plan_entry *pe = &r->entries[i];
    memcpy(w, m->data + x->name, x->name_len);
    w[x->name_len] = 0;
    pe->name = w;
    pe->name_len = x->name_len;
    w += x->name_len + 1;
    pe->kind = x->kind;
    pe->index = x->index;
    pe->role = xe->role;
    pe->reason = xe->reason;
    pe->nhooks = xe->nhooks;
    memcpy(pe->hooks, xe->hooks, sizeof pe->hooks);
    pe->wrapper = out_or_none(e, xe->wrapper);
    pe->guard = out_or_none(e, xe->guard);
    const bool func = x->kind == TW_KIND_FUNC && xe->target < m->nfuncs + e->nfns;
    pe->target = xe->removed ? -1 : func ? (int64_t)e->out[xe->target] : (int64_t)x->index;
    pe->removed = xe->removed;
    pe->already_wrapped = xe->already_wrapped;
    pe->filtered = xe->filtered;
    if (e->world && xe->wit_item != TW_NONE) {
      const tw_wit_item *it = &e->world->items[xe->wit_item];
      pe->wit_item = (const char *)m->data + it->name;
      pe->wit_item_len = it->name_len;
      if (it->iface != TW_NONE) {
        const tw_wit_iface *f = &e->world->ifaces[it->iface];
        pe->wit_interface = (const char *)m->data + f->name;
        pe->wit_interface_len = f->name_len;
      }
    }
  }
  return true;
}

static bool build_fns(tw_result *r) {
  const tw_module *m = &r->m;
  const tw_edit *e = &r->edit;
  r->exit_func = -1;
  r->stubs = calloc(e->nstubs ? e->nstubs : 1, sizeof *r->stubs);
  r->guards = calloc(e->nguards ? e->nguards : 1, sizeof *r->guards);
  if (!r->stubs || !r->guards) return false;
  for (uint32_t k = 0; k < e->nfns; k++) {
    const tw_fn *f = &e->fns[k];
    const uint32_t idx = e->out[tw_edit_fn_id(e, k)];
    if (f->kind == TW_FN_STUB) {
      const tw_import *im = &m->imports[f->import_i];
      r->stubs[r->nstubs++] = (tw_stub_entry){(const char *)m->data + im->name, im->name_len,
                                              f->import_func, idx, tw_stub_kind_name(f->stub),
                                              !f->signature_mismatch};
    } else if (f->kind == TW_FN_EXIT) {
      r->exit_func = (int64_t)idx;
    } else if (f->kind == TW_FN_GUARD) {
      r->guards[r->nguards++] = (tw_guard_entry){
          idx, f->target == TW_NONE ? UINT32_MAX : e->out[f->target], e->out[f->init], f->export_i};
    }
  }
  return true;
}

bool tw_report_build(tw_result *r) {
  if (build_entries(r) && build_fns(r)) return true;
  tw_err_set(&r->err, TW_ERR_NOMEM, 0, "out of memory for the plan");
  return false;
}

void tw_report_free(tw_result *r) {
  free(r->changes_text);
  free(r->entries);
  free(r->names);
  free(r->stubs);
  free(r->guards);
  free(r->plan_text);
  free(r->plan_json);
}

/* ---- accessors -------------------------------------------------------------- */

tw_abi tw_result_abi(const tw_result *r) { return r && r->have_edit ? r->edit.abi : TW_ABI_NONE; }

int tw_result_async_uses_init_task(const tw_result *r) {
  return r && r->have_edit && r->edit.abi == TW_ABI_INIT_TASK && !r->edit.has_init_async;
}

size_t tw_result_plan_count(const tw_result *r) { return r && r->entries ? r->m.nexports : 0; }

const tw_plan_entry *tw_result_plan_entry(const tw_result *r, size_t i) {
  return i < tw_result_plan_count(r) ? &r->entries[i] : NULL;
}

uint32_t tw_result_wrapper_count(const tw_result *r) { return r && r->have_edit ? r->edit.nwrappers : 0; }
size_t tw_result_stub_count(const tw_result *r) { return r ? r->nstubs : 0; }
const tw_stub_entry *tw_result_stub(const tw_result *r, size_t i) {
  return r && i < r->nstubs ? &r->stubs[i] : NULL;
}
size_t tw_result_guard_count(const tw_result *r) { return r ? r->nguards : 0; }
const tw_guard_entry *tw_result_guard(const tw_result *r, size_t i) {
  return r && i < r->nguards ? &r->guards[i] : NULL;
}
size_t tw_result_warning_count(const tw_result *r) { return r ? r->nwarnings : 0; }
const char *tw_result_warning(const tw_result *r, size_t i) {
  return r && i < r->nwarnings ? r->warnings[i] : NULL;
}

/* ---- text and JSON ---------------------------------------------------------- */

/* Names are quoted with the escapes of the WebAssembly text format (and of
 * JSON, for json) so that every line is unambiguous. */
static void put_quoted(tw_buf *b, const char *s, size_t n, bool json) {
  static const char hex[] = "0123456789abcdef";
  tw_buf_put_u8(b, '"');
  for (size_t i = 0; i < n; i++) {
    const uint8_t ch = (uint8_t)s[i];
    if (ch == '"' || ch == '\\') {
      tw_buf_put_u8(b, '\\');
      tw_buf_put_u8(b, ch);
    } else if (ch < 0x20 || ch == 0x7f) {
      if (json) tw_buf_put(b, "\\u00", 4);
      else tw_buf_put_u8(b, '\\');
      tw_buf_put_u8(b, (uint8_t)hex[ch >> 4]);
      tw_buf_put_u8(b, (uint8_t)hex[ch & 15]);
    } else {
      tw_buf_put_u8(b, ch);
    }
  }
  tw_buf_put_u8(b, '"');
}

static void put_str(tw_buf *b, const char *s) { tw_buf_put(b, s, strlen(s)); }

static void put_fmt(tw_buf *b, const char *fmt, long long v) {
  char tmp[96];
  const int n = snprintf(tmp, sizeof tmp, fmt, v);
  /* snprintf returns the untruncated length: never copy past tmp. */
  if (n > 0) tw_buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static char *finish_text(tw_buf *b) {
  tw_buf_put_u8(b, 0);
  if (b->failed) {
    tw_buf_free(b);
    return NULL;
  }
  return (char *)b->data;
}

/* Hook codes as the plan prints them: "0,1", "2,4|5", "init", "init-async". */
static void put_hooks_text(tw_buf *b, const tw_plan_entry *pe) {
  for (uint8_t i = 0; i < pe->nhooks; i++) {
    if (i) put_str(b, ",");
    const uint8_t c = pe->hooks[i];
    if (c == TW_HOOK_CALLBACK_RESULT) put_str(b, "4|5");
    else if (c == TW_HOOK_INIT) put_str(b, "init");
    else if (c == TW_HOOK_INIT_ASYNC) put_str(b, "init-async");
    else put_fmt(b, "%lld", c);
  }
  if (pe->nhooks == 0) put_str(b, "-");
}

static void put_hooks_json(tw_buf *b, const tw_plan_entry *pe) {
  if (pe->nhooks == 0) {
    put_str(b, "null");
    return;
  }
  put_str(b, "[");
  for (uint8_t i = 0; i < pe->nhooks; i++) {
    if (i) put_str(b, ",");
    const uint8_t c = pe->hooks[i];
    if (c == TW_HOOK_CALLBACK_RESULT) put_str(b, "[4,5]");
    else if (c == TW_HOOK_INIT) put_str(b, "\"init\"");
    else if (c == TW_HOOK_INIT_ASYNC) put_str(b, "\"init-async\"");
    else put_fmt(b, "%lld", c);
  }
  put_str(b, "]");
}

static void put_abi_text(tw_buf *b, const tw_result *r) {
  const tw_edit *e = &r->edit;
  put_str(b, "abi ");
  put_str(b, tw_abi_name(e->abi));
  if (e->abi == TW_ABI_TASK_HOOK) put_fmt(b, " hook=func:%lld", e->out[e->hook]);
  if (e->abi == TW_ABI_INIT_TASK) {
    put_fmt(b, " init=func:%lld", e->out[e->hook]);
    if (e->has_init_async) put_fmt(b, " init-async=func:%lld", e->out[e->init_async]);
    else put_str(b, " init-async=none (async exports use __wasm_init_task)");
  }
  put_fmt(b, " wrappers=%lld\n", e->nwrappers);
}

/* The embedded world that decided the roles, when there is one. */
static void put_world_text(tw_buf *b, const tw_result *r) {
  const tw_world *w = r->edit.world;
  if (!w) return;
  put_str(b, "world ");
  put_quoted(b, (const char *)r->m.data + w->name, w->name_len, false);
  put_fmt(b, " sections=%lld", w->nsections);
  put_fmt(b, " interfaces=%lld", w->nifaces);
  put_fmt(b, " items=%lld\n", w->nitems);
}

static void put_world_json(tw_buf *b, const tw_result *r) {
  const tw_world *w = r->edit.world;
  if (!w) {
    put_str(b, ",\"world\":null");
    return;
  }
  put_str(b, ",\"world\":{\"name\":");
  put_quoted(b, (const char *)r->m.data + w->name, w->name_len, true);
  put_fmt(b, ",\"sections\":%lld", w->nsections);
  put_fmt(b, ",\"interfaces\":%lld", w->nifaces);
  put_fmt(b, ",\"items\":%lld}", w->nitems);
}

/* A shared library (docs/abi.md, "Shared libraries"): what it is and what
 * happens to its hook. Nothing is said of other modules. */
static void put_library_text(tw_buf *b, const tw_result *r) {
  const tw_edit *e = &r->edit;
  if (e->lib == TW_LIB_NONE) return;
  const tw_section *s = &r->m.sections[e->lib_section];
  put_str(b, "library ");
  put_str(b, tw_lib_kind_name(e->lib));
  put_str(b, " (");
  put_quoted(b, (const char *)r->m.data + s->name_start, s->name_len, false);
  put_str(b, ")");
  for (uint32_t i = 0; i < r->m.nexports; i++) {
    if (!e->exports[i].rename) continue;
    put_str(b, " export ");
    put_quoted(b, r->entries[i].name, r->entries[i].name_len, false);
    put_str(b, " renamed ");
    put_quoted(b, e->exports[i].rename, strlen(e->exports[i].rename), false);
  }
  if (e->lib == TW_LIB_IMPORTS) {
    const tw_fn *f = tw_edit_fn(e, e->hook);
    put_str(b, " import ");
    put_quoted(b, f->imp_module, strlen(f->imp_module), false);
    put_str(b, " ");
    put_quoted(b, f->imp_name, strlen(f->imp_name), false);
    put_fmt(b, " as func:%lld", e->out[e->hook]);
  }
  put_str(b, "\n");
}

static void put_library_json(tw_buf *b, const tw_result *r) {
  const tw_edit *e = &r->edit;
  if (e->lib == TW_LIB_NONE) return;
  const tw_section *s = &r->m.sections[e->lib_section];
  put_str(b, ",\"library\":{\"kind\":\"");
  put_str(b, tw_lib_kind_name(e->lib));
  put_str(b, "\",\"section\":");
  put_quoted(b, (const char *)r->m.data + s->name_start, s->name_len, true);
  put_str(b, ",\"renamed\":[");
  const char *sep = "";
  for (uint32_t i = 0; i < r->m.nexports; i++) {
    if (!e->exports[i].rename) continue;
    put_str(b, sep);
    put_str(b, "{\"export\":");
    put_quoted(b, r->entries[i].name, r->entries[i].name_len, true);
    put_str(b, ",\"to\":");
    put_quoted(b, e->exports[i].rename, strlen(e->exports[i].rename), true);
    put_str(b, "}");
    sep = ",";
  }
  put_str(b, "],\"import\":");
  if (e->lib == TW_LIB_IMPORTS) {
    const tw_fn *f = tw_edit_fn(e, e->hook);
    put_str(b, "{\"module\":");
    put_quoted(b, f->imp_module, strlen(f->imp_module), true);
    put_str(b, ",\"name\":");
    put_quoted(b, f->imp_name, strlen(f->imp_name), true);
    put_fmt(b, ",\"func\":%lld}", e->out[e->hook]);
  } else {
    put_str(b, "null");
  }
  put_str(b, "}");
}

static void put_export_text(tw_buf *b, const tw_result *r, const tw_plan_entry *pe) {
  put_quoted(b, pe->name, pe->name_len, false);
  put_str(b, " ");
  put_str(b, tw_role_name(pe->role));
  put_str(b, " ");
  put_str(b, tw_kind_name(pe->kind));
  put_fmt(b, ":%lld", pe->index);
  if (pe->removed) put_str(b, " removed");
  else if (pe->target != pe->index) {
    put_str(b, " -> ");
    put_str(b, tw_kind_name(pe->kind));
    put_fmt(b, ":%lld", pe->target);
  }
  put_str(b, " hooks=");
  put_hooks_text(b, pe);
  if (pe->wrapper >= 0) put_fmt(b, " wrapper=func:%lld", pe->wrapper);
  else put_str(b, " wrapper=-");
  if (r->edit.init_once) {
    if (pe->guard >= 0) put_fmt(b, " guard=func:%lld", pe->guard);
    else put_str(b, " guard=-");
  }
  if (pe->already_wrapped) put_str(b, " already-wrapped");
  if (pe->filtered) put_str(b, " not-wrapped:--only/--exclude");
  if (pe->reason != TW_REASON_NONE) {
    put_str(b, " reason=");
    put_str(b, tw_reason_name(pe->reason));
    if (pe->wit_interface) {
      put_str(b, " ");
      put_quoted(b, pe->wit_interface, pe->wit_interface_len, false);
    }
    if (pe->wit_item) {
      put_str(b, " ");
      put_quoted(b, pe->wit_item, pe->wit_item_len, false);
    }
  }
  put_str(b, "\n");
}

/* --stub-wasi-arg/-env/-dir: what was embedded (only with those options). */
static void put_embedded_json(tw_buf *b, const tw_edit *e) {
  const tw_wasi_image *w = e->wasi;
  if (!w) return;
  put_fmt(b, ",\"embedded\":{\"args\":%lld", w->args.count);
  put_fmt(b, ",\"env\":%lld", w->env.count);
  put_fmt(b, ",\"preopens\":%lld", w->npreopens);
  put_fmt(b, ",\"files\":%lld", w->nfiles);
  put_fmt(b, ",\"directories\":%lld", w->ndirs);
  put_fmt(b, ",\"file_bytes\":%lld", (long long)w->file_bytes);
  if (e->add_data)
    put_fmt(b, ",\"segment\":%lld", e->data_segment), put_fmt(b, ",\"bytes\":%lld}", w->segment_len);
  else
    put_str(b, ",\"segment\":null,\"bytes\":0}");
}

static void put_embedded_text(tw_buf *b, const tw_edit *e) {
  const tw_wasi_image *w = e->wasi;
  if (!w) return;
  put_fmt(b, "stub-wasi embedded args=%lld", w->args.count);
  put_fmt(b, " env=%lld", w->env.count);
  put_fmt(b, " preopens=%lld", w->npreopens);
  put_fmt(b, " files=%lld", w->nfiles);
  put_fmt(b, " directories=%lld", w->ndirs);
  put_fmt(b, " file-bytes=%lld", (long long)w->file_bytes);
  if (e->add_data) put_fmt(b, " segment=data:%lld", e->data_segment), put_fmt(b, " bytes=%lld\n", w->segment_len);
  else put_str(b, " segment=- bytes=0\n");
}

static void put_host_text(tw_buf *b, const tw_result *r) {
  const tw_edit *e = &r->edit;
  if (e->already_guarded) put_str(b, "init-once already-guarded\n");
  else if (e->init_once)
    put_fmt(b, "init-once flag=global:%lld", e->global_of[TW_GLOBAL_GUARD]),
        put_fmt(b, " guards=%lld\n", e->nguards);
  for (size_t i = 0; i < r->nguards; i++) {
    const tw_guard_entry *g = &r->guards[i];
    const tw_plan_entry *pe = &r->entries[g->export_index];
    put_fmt(b, "guard func:%lld ", g->func);
    put_quoted(b, pe->name, pe->name_len, false);
    if (g->target == UINT32_MAX) put_str(b, " initialises");
    else put_fmt(b, " -> func:%lld", g->target);
    put_fmt(b, " init=func:%lld\n", g->init);
  }
  if (r->nstubs) {
    put_fmt(b, "stub-wasi stubs=%lld", r->nstubs);
    put_fmt(b, " exit-code=global:%lld", e->global_of[TW_GLOBAL_EXIT]);
    put_str(b, " (\"" TW_EXIT_CODE_GLOBAL "\")");
    for (uint32_t k = 0; k < e->nfns; k++) {
      const tw_fn *f = &e->fns[k];
      if (f->kind != TW_FN_IMPORT) continue;
      put_fmt(b, " output=func:%lld (", e->out[tw_edit_fn_id(e, k)]);
      put_quoted(b, f->imp_module, strlen(f->imp_module), false);
      put_str(b, " ");
      put_quoted(b, f->imp_name, strlen(f->imp_name), false);
      put_str(b, ")");
    }
    put_str(b, "\n");
    put_embedded_text(b, e);
  }
  if (r->exit_func >= 0)
    put_fmt(b, "exit-code \"_start\" -> func:%lld (stores 0 when it returns)\n", r->exit_func);
  for (size_t i = 0; i < r->nstubs; i++) {
    const tw_stub_entry *s = &r->stubs[i];
    put_str(b, "stub ");
    put_quoted(b, s->name, s->name_len, false);
    put_fmt(b, " import=func:%lld removed", s->import_func);
    put_fmt(b, " -> func:%lld ", s->func);
    put_str(b, s->behaviour);
    put_str(b, s->wasi_type ? "\n" : " (not WASI's type)\n");
  }
}

/* Before a plan exists (the input did not parse, or planning failed). */
static const char no_plan_text[] = "abi none wrappers=0\n";
static const char no_plan_json[] =
    "{\"abi\":\"none\",\"wrappers\":0,\"exports\":[],\"init_once\":null,\"guards\":[],"
    "\"stubs\":[]}\n";

/* --verbose: one line per change, in words. */
static void put_changes(tw_buf *b, const tw_result *r) {
  const tw_edit *e = &r->edit;
  if (!r->entries || !r->have_edit || !e->changes) {
    put_str(b, r->have_edit && e->abi == TW_ABI_NONE
                   ? "no task-hook export and nothing else to do: copied unchanged\n"
                   : "nothing to change: copied unchanged\n");
    return;
  }
  static const char *const global_role[] = {"the --init-once flag", "the exit code", "the clock",
                                            "the random state", "a descriptor slot"};
  for (uint32_t i = 0; i < e->nglobals; i++) {
    put_fmt(b, "added global %lld (", e->nglobals_in + i);
    put_str(b, global_role[e->globals[i].role]);
    put_str(b, ")\n");
  }
  for (int k = 0; k < TW_TYPE_SHAPES; k++) {
    if (!e->add_type[k]) continue;
    put_fmt(b, "added type %lld: ", (long long)tw_edit_added_type(e, (tw_type_shape)k));
    put_str(b, tw_type_shape_text((tw_type_shape)k));
    put_str(b, "\n");
  }
  for (uint32_t i = 0; i < r->m.nexports; i++) {
    if (!e->exports[i].rename) continue;
    put_str(b, "renamed export ");
    put_quoted(b, r->entries[i].name, r->entries[i].name_len, false);
    put_str(b, " to ");
    put_quoted(b, e->exports[i].rename, strlen(e->exports[i].rename), false);
    put_str(b, " (the task hook of a shared library)\n");
  }
  for (uint32_t k = 0; k < e->nfns; k++) {
    const tw_fn *f = &e->fns[k];
    if (f->kind != TW_FN_IMPORT) continue;
    put_str(b, "added import ");
    put_quoted(b, f->imp_module, strlen(f->imp_module), false);
    put_str(b, " ");
    put_quoted(b, f->imp_name, strlen(f->imp_name), false);
    put_fmt(b, " as func:%lld\n", e->out[tw_edit_fn_id(e, k)]);
  }
  for (size_t i = 0; i < r->nstubs; i++) {
    const tw_stub_entry *s = &r->stubs[i];
    put_str(b, "removed import wasi_snapshot_preview1 ");
    put_quoted(b, s->name, s->name_len, false);
    put_fmt(b, ": its calls go to the stub func:%lld (", s->func);
    put_str(b, s->behaviour);
    put_str(b, ")\n");
  }
  for (size_t i = 0; i < r->m.nexports; i++) {
    const tw_plan_entry *pe = &r->entries[i];
    if (!pe->removed && pe->target == pe->index) continue;
    put_str(b, pe->removed ? "removed export " : "re-pointed export ");
    put_quoted(b, pe->name, pe->name_len, false);
    if (pe->removed) {
      put_str(b, " (a task-init hook)\n");
      continue;
    }
    put_fmt(b, " from func:%lld", pe->index);
    put_fmt(b, " to func:%lld (", pe->target);
    const char *sep = "";
    if (pe->wrapper >= 0) put_fmt(b, "its wrapper func:%lld", pe->wrapper), sep = ", ";
    if (pe->guard >= 0) put_str(b, sep), put_fmt(b, "its --init-once guard func:%lld", pe->guard), sep = ", ";
    if (r->exit_func >= 0 && pe->target == r->exit_func) put_str(b, sep), put_str(b, "the exit-code wrapper");
    if (!*sep && !(r->exit_func >= 0 && pe->target == r->exit_func)) put_str(b, "renumbered");
    put_str(b, ")\n");
  }
  if (e->add_exit_export) put_str(b, "added export \"" TW_EXIT_CODE_GLOBAL "\" (global)\n");
  if (e->add_data)
    put_fmt(b, "added passive data segment %lld", e->data_segment),
        put_fmt(b, " (%lld bytes the stubs copy from)\n", e->wasi->segment_len);
  if (e->renumbered)
    put_str(b, e->lib == TW_LIB_IMPORTS
                   ? "renumbered every function index after the added import\n"
                   : "renumbered every function index after the removed imports\n");
  for (size_t i = 0; i < r->m.nsections; i++) {
    if (!e->drop_section[i]) continue;
    const tw_section *s = &r->m.sections[i];
    put_str(b, "dropped custom section ");
    put_quoted(b, (const char *)r->m.data + s->name_start, s->name_len, false);
    put_str(b, "\n");
  }
}

const char *tw_result_changes_text(tw_result *r) {
  if (!r) return NULL;
  if (!r->changes_text) {
    tw_buf b = {0};
    put_changes(&b, r);
    r->changes_text = finish_text(&b);
  }
  return r->changes_text;
}

const char *tw_result_plan_text(tw_result *r) {
  if (!r) return NULL;
  if (!r->entries) return no_plan_text;
  if (r->plan_text) return r->plan_text;
  tw_buf b = {0};
  put_abi_text(&b, r);
  put_world_text(&b, r);
  put_library_text(&b, r);
  for (size_t i = 0; i < r->m.nexports; i++) put_export_text(&b, r, &r->entries[i]);
  put_host_text(&b, r);
  r->plan_text = finish_text(&b);
  return r->plan_text;
}

static void put_host_json(tw_buf *b, const tw_result *r) {
  const tw_edit *e = &r->edit;
  if (e->init_once) {
    put_str(b, ",\"init_once\":{\"already_guarded\":");
    put_str(b, e->already_guarded ? "true" : "false");
    if (!e->already_guarded) put_fmt(b, ",\"flag_global\":%lld", e->global_of[TW_GLOBAL_GUARD]);
    put_str(b, "}");
  } else {
    put_str(b, ",\"init_once\":null");
  }
  put_str(b, ",\"guards\":[");
  for (size_t i = 0; i < r->nguards; i++) {
    const tw_guard_entry *g = &r->guards[i];
    const tw_plan_entry *pe = &r->entries[g->export_index];
    put_fmt(b, i ? ",{\"func\":%lld,\"export\":" : "{\"func\":%lld,\"export\":", g->func);
    put_quoted(b, pe->name, pe->name_len, true);
    if (g->target == UINT32_MAX) put_str(b, ",\"target\":null");
    else put_fmt(b, ",\"target\":%lld", g->target);
    put_fmt(b, ",\"init\":%lld}", g->init);
  }
  put_str(b, "]");
  if (e->global_of[TW_GLOBAL_EXIT] != TW_NONE)
    put_fmt(b, ",\"exit_code_global\":%lld", e->global_of[TW_GLOBAL_EXIT]);
  if (r->exit_func >= 0) put_fmt(b, ",\"exit_on_return\":%lld", r->exit_func);
  for (uint32_t k = 0; k < e->nfns; k++)
    if (e->fns[k].kind == TW_FN_IMPORT)
      put_fmt(b, ",\"output_import\":%lld", e->out[tw_edit_fn_id(e, k)]);
  put_str(b, ",\"stubs\":[");
  for (size_t i = 0; i < r->nstubs; i++) {
    const tw_stub_entry *s = &r->stubs[i];
    put_str(b, i ? ",{\"name\":" : "{\"name\":");
    put_quoted(b, s->name, s->name_len, true);
    put_fmt(b, ",\"import\":%lld,\"removed\":true", s->import_func);
    put_fmt(b, ",\"func\":%lld,\"behaviour\":\"", s->func);
    put_str(b, s->behaviour);
    put_str(b, s->wasi_type ? "\",\"wasi_type\":true}" : "\",\"wasi_type\":false}");
  }
  put_str(b, "]");
  put_embedded_json(b, e);
}

static void put_export_json(tw_buf *b, const tw_plan_entry *pe, bool first) {
  put_str(b, first ? "\n{\"name\":" : ",\n{\"name\":");
  put_quoted(b, pe->name, pe->name_len, true);
  put_str(b, ",\"kind\":\"");
  put_str(b, tw_kind_name(pe->kind));
  put_fmt(b, "\",\"index\":%lld", pe->index);
  if (pe->target >= 0) put_fmt(b, ",\"target\":%lld", pe->target);
  else put_str(b, ",\"target\":null");
  put_str(b, ",\"role\":\"");
  put_str(b, tw_role_name(pe->role));
  put_str(b, "\",\"reason\":\"");
  put_str(b, tw_reason_name(pe->reason));
  put_str(b, "\",\"world_item\":");
  if (pe->wit_item) {
    put_str(b, "{\"interface\":");
    if (pe->wit_interface) put_quoted(b, pe->wit_interface, pe->wit_interface_len, true);
    else put_str(b, "null");
    put_str(b, ",\"name\":");
    put_quoted(b, pe->wit_item, pe->wit_item_len, true);
    put_str(b, "}");
  } else {
    put_str(b, "null");
  }
  put_str(b, pe->filtered ? ",\"filtered\":true" : ",\"filtered\":false");
  put_str(b, ",\"hooks\":");
  put_hooks_json(b, pe);
  if (pe->wrapper >= 0) put_fmt(b, ",\"wrapper\":%lld", pe->wrapper);
  else put_str(b, ",\"wrapper\":null");
  if (pe->guard >= 0) put_fmt(b, ",\"guard\":%lld", pe->guard);
  else put_str(b, ",\"guard\":null");
  put_str(b, pe->removed ? ",\"removed\":true" : ",\"removed\":false");
  put_str(b, pe->already_wrapped ? ",\"already_wrapped\":true}" : ",\"already_wrapped\":false}");
}

const char *tw_result_plan_json(tw_result *r) {
  if (!r) return NULL;
  if (!r->entries) return no_plan_json;
  if (r->plan_json) return r->plan_json;
  const tw_edit *e = &r->edit;
  tw_buf b = {0};
  put_str(&b, "{\"abi\":\"");
  put_str(&b, tw_abi_name(e->abi));
  put_str(&b, "\"");
  if (e->abi == TW_ABI_TASK_HOOK) put_fmt(&b, ",\"hook\":%lld", e->out[e->hook]);
  if (e->abi == TW_ABI_INIT_TASK) {
    put_fmt(&b, ",\"init\":%lld", e->out[e->hook]);
    if (e->has_init_async) put_fmt(&b, ",\"init_async\":%lld", e->out[e->init_async]);
    else put_str(&b, ",\"init_async\":null");
    put_str(&b, e->has_init_async ? ",\"async_uses_init_task\":false"
                                   : ",\"async_uses_init_task\":true");
  }
  put_world_json(&b, r);
  put_library_json(&b, r);
  put_fmt(&b, ",\"wrappers\":%lld,\"exports\":[", e->nwrappers);
  for (size_t i = 0; i < r->m.nexports; i++) put_export_json(&b, &r->entries[i], i == 0);
  put_str(&b, "]");
  put_host_json(&b, r);
  put_str(&b, "}\n");
  r->plan_json = finish_text(&b);
  return r->plan_json;
}
