/* The task-hook planner (plan.h): classifying exports into the roles of
 * docs/abi.md, "Export roles" under the ABI of docs/abi.md, "Choosing the
 * ABI", and planning the wrappers into the edit. Lookups go through hash
 * tables so that the cost stays linear in the number of exports. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "dylink.h"
#include "edit.h"
#include "err.h"
#include "map.h"
#include "module.h"
#include "name.h"
#include "opcodes.h"
#include "plan.h"
#include "platform.h"
#include "recognise.h"
#include "taskwrap.h"
#include "world.h"

/* Export-name table: keys are export indices, compared by name bytes. */
typedef struct name_ctx {
  const tw_module *m;
  const uint8_t *probe; /* name being looked up */
  size_t probe_len;
} name_ctx;

static bool name_eq(const void *ctx, uint64_t stored, uint64_t key) {
  (void)key;
  const name_ctx *c = ctx;
  const tw_export *x = &c->m->exports[stored];
  return x->name_len == c->probe_len && memcmp(c->m->data + x->name, c->probe, c->probe_len) == 0;
}

static long find_export(const tw_map *mp, const tw_module *m, const uint8_t *name, size_t len) {
  name_ctx ctx = {m, name, len};
  bool found = false;
  size_t s = tw_map_slot(mp, tw_hash_bytes(name, len), 0, name_eq, &ctx, &found);
  return found ? (long)(mp->keys[s] - 1) : -1;
}

/* ---- the plan ------------------------------------------------------------- */

static void describe_name(const tw_module *m, const tw_export *x, char *out, size_t cap) {
  /* Export names are UTF-8 but may hold control characters; keep messages on
   * one line. */
  tw_name_describe(m->data + x->name, x->name_len, out, cap);
}

static bool type_is(const tw_module *m, const tw_functype *t, const char *params,
                    const char *results) {
  /* params/results: strings of value-type bytes, e.g. "\x7f\x7f"; NULL = any */
  if (params) {
    const size_t n = strlen(params);
    if (t->params_end - t->params != n || memcmp(m->data + t->params, params, n) != 0) return false;
  }
  if (results) {
    const size_t n = strlen(results);
    if (t->results_end - t->results != n || memcmp(m->data + t->results, results, n) != 0)
      return false;
  }
  return true;
}

static const char *role_expected_type(tw_role role, const char **params, const char **results) {
  *params = *results = NULL;
  switch (role) {
  case TW_ROLE_HOOK: *params = "\x7f"; *results = ""; return "[i32] -> []";
  case TW_ROLE_INIT:
  case TW_ROLE_INITIALIZE: *params = ""; *results = ""; return "[] -> []";
  case TW_ROLE_REALLOC:
    *params = "\x7f\x7f\x7f\x7f"; *results = "\x7f"; return "[i32 i32 i32 i32] -> [i32]";
  case TW_ROLE_ASYNC_CALLBACK: *results = "\x7f"; return "[...] -> [i32]";
  case TW_ROLE_CALLBACK: *params = "\x7f\x7f\x7f"; *results = "\x7f"; return "[i32 i32 i32] -> [i32]";
  case TW_ROLE_DTOR: *params = "\x7f"; *results = ""; return "[i32] -> []";
  default: return NULL;
  }
}

static bool check_type(const tw_module *m, const tw_export *x, tw_role role, tw_err *err) {
  /* The name is formatted only on the error paths: this runs per export. */
  char nm[200], have[200];
  if (x->kind != TW_KIND_FUNC) {
    describe_name(m, x, nm, sizeof nm);
    tw_err_set(err, TW_ERR_TYPE_MISMATCH, x->start, "export \"%s\" is a %s, expected a function",
               nm, tw_kind_name(x->kind));
    return false;
  }
  const tw_functype *t = tw_module_func_type(m, x->index);
  if (t == NULL) {
    describe_name(m, x, nm, sizeof nm);
    tw_err_set(err, TW_ERR_MALFORMED, x->start,
               "export \"%s\" names function %u, which has no function type", nm, x->index);
    return false;
  }
  const char *params, *results;
  const char *want = role_expected_type(role, &params, &results);
  if (want && !type_is(m, t, params, results)) {
    describe_name(m, x, nm, sizeof nm);
    tw_module_format_type(m, t, have, sizeof have);
    tw_err_set(err, TW_ERR_TYPE_MISMATCH, x->start,
               "export \"%s\" (%s) has type %s, expected %s", nm, tw_role_name(role), have, want);
    return false;
  }
  return true;
}

/* ABI selection: auto picks whichever ABI's exports exist, and a
 * module with both is ambiguous. */
static bool select_abi(tw_edit *e, const tw_module *m, const tw_map *names,
                       const tw_options *opts, tw_err *err) {
  const long hook = find_export(names, m, (const uint8_t *)"__wasm_task_hook", 16);
  const long init = find_export(names, m, (const uint8_t *)"__wasm_init_task", 16);
  const long async = find_export(names, m, (const uint8_t *)"__wasm_init_async_task", 22);
  const bool has_hook = hook >= 0, has_init = init >= 0 || async >= 0;
  /* With a hook there is something to rewrite: all of the module must then
   * be well formed (without one it is copied, its contents unread). */
  if ((has_hook || has_init) && !tw_module_refuse_content(m, err)) return false;
  tw_abi abi = opts->abi;
  if (abi == TW_ABI_AUTO) {
    if (has_hook && has_init) {
      tw_err_set(err, TW_ERR_ABI_CONFLICT, m->exports[hook].start,
                 "the module exports both __wasm_task_hook and the init-task functions; pass "
                 "--abi task-hook or --abi init-task");
      return false;
    }
    abi = has_hook ? TW_ABI_TASK_HOOK : has_init ? TW_ABI_INIT_TASK : TW_ABI_NONE;
  } else if (abi == TW_ABI_TASK_HOOK && !has_hook) {
    abi = TW_ABI_NONE;
  } else if (abi == TW_ABI_INIT_TASK && !has_init) {
    abi = TW_ABI_NONE;
  }
  e->abi = abi;
  if (abi == TW_ABI_TASK_HOOK) {
    if (!check_type(m, &m->exports[hook], TW_ROLE_HOOK, err)) return false;
    e->hook = m->exports[hook].index;
    e->init_async = e->hook; /* unused by this ABI; never a distinct function */
  } else if (abi == TW_ABI_INIT_TASK) {
    if (init < 0) {
      tw_err_set(err, TW_ERR_TYPE_MISMATCH, m->exports[async].start,
                 "the module exports __wasm_init_async_task but not __wasm_init_task");
      return false;
    }
    if (!check_type(m, &m->exports[init], TW_ROLE_INIT, err)) return false;
    if (async >= 0 && !check_type(m, &m->exports[async], TW_ROLE_INIT, err)) return false;
    e->hook = m->exports[init].index;
    e->has_init_async = async >= 0;
    e->init_async = async >= 0 ? m->exports[async].index : e->hook;
  }
  return true;
}

/* The options for hosts without the component model make no sense for a
 * library that goes to `wasm-tools component link`. */
static bool refuse_host_options(const tw_module *m, long lib, const tw_options *opts, tw_err *err) {
  if (!opts->init_once && !opts->stub_wasi) return true;
  tw_err_set(err, TW_ERR_UNSUPPORTED, m->sections[lib].start,
             "%s: a shared library goes to `wasm-tools component link`, and this option serves "
             "hosts without the component model", opts->stub_wasi ? "--stub-wasi" : "--init-once");
  return false;
}

/* A shared library (docs/abi.md, "Shared libraries"): what it is to the
 * rewrite. One that exports the hook defines it for the whole link and
 * keeps it under a private name; one that does not imports it under that
 * name, when --abi asks for it (the library alone cannot tell whether a
 * hook exists elsewhere: a pre-p3 libc has none); an earlier run's output
 * is left as it is. */
static bool plan_library(tw_edit *e, const tw_options *opts, tw_err *err) {
  const tw_module *m = e->m;
  e->lib_section = tw_dylink_section(m);
  if (e->lib_section < 0) return true;
  if ((e->abi != TW_ABI_NONE || opts->abi == TW_ABI_TASK_HOOK || opts->abi == TW_ABI_INIT_TASK) &&
      !refuse_host_options(m, e->lib_section, opts, err))
    return false;
  if (e->abi != TW_ABI_NONE) {
    if (opts->keep_hook_export) {
      tw_err_set(err, TW_ERR_UNSUPPORTED, m->sections[e->lib_section].start,
                 "--keep-hook-export: a shared library must not keep %s exported: `wasm-tools "
                 "component link` would wrap every library's exports with it a second time",
                 e->abi == TW_ABI_TASK_HOOK ? "__wasm_task_hook" : "__wasm_init_task");
      return false;
    }
    e->lib = TW_LIB_DEFINES;
    return true;
  }
  tw_err scratch = {0};
  if (tw_module_refuse_content(m, &scratch) && tw_dylink_rewritten(m)) {
    e->lib = TW_LIB_REWRITTEN;
    return true;
  }
  e->lib = TW_LIB_NOTHING;
  if (opts->abi != TW_ABI_TASK_HOOK && opts->abi != TW_ABI_INIT_TASK) return true;
  if (!tw_module_refuse_content(m, err)) return false;
  /* The wrappers are planned first; the import is added only when there
   * is one (finish_library). */
  e->lib = TW_LIB_IMPORTS;
  e->abi = opts->abi;
  return true;
}

/* An importing library with nothing to wrap stays as it is. */
static bool finish_library(tw_edit *e, tw_err *err) {
  if (e->lib != TW_LIB_IMPORTS) return true;
  if (e->nwrappers == 0) { /* nor is another ABI's hook export removed */
    e->lib = TW_LIB_NOTHING;
    e->abi = TW_ABI_NONE;
    for (uint32_t i = 0; i < e->m->nexports; i++) e->exports[i].removed = false;
    e->changes = false;
    return true;
  }
  return tw_dylink_add_hook_import(e, err);
}

/* `wasm-tools component link` fills a library's GOT.func slot of X from
 * the export X, which in a rewritten library is X's wrapper (or, for the
 * hook, no longer exists under that name): a call through that function
 * pointer would run the hook inside a running task, and the hook starts a
 * task on a fresh stack. Such a library is refused rather than linked so
 * (docs/abi.md, "Shared libraries"). */
static bool refuse_wrapped_address(const tw_edit *e, const tw_map *names, tw_err *err) {
  if (e->lib != TW_LIB_DEFINES && e->lib != TW_LIB_IMPORTS) return true;
  const tw_module *m = e->m;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const tw_import *im = &m->imports[i];
    if (!tw_name_is(m->data + im->mod, im->mod_len, "GOT.func")) continue;
    const long x = find_export(names, m, m->data + im->name, im->name_len);
    if (x < 0 || m->exports[x].kind != TW_KIND_FUNC) continue;
    const tw_export_edit *xe = &e->exports[x];
    if (!xe->rename && xe->wrapper == TW_NONE) continue;
    tw_err_set(err, TW_ERR_UNSUPPORTED, im->start,
               "a shared library takes the address of its export \"%.*s\" (import \"GOT.func\" "
               "\"%.*s\"), which %s: `wasm-tools component link` fills that slot from the "
               "export, so a call through the pointer would %s; such a library cannot be "
               "rewritten (docs/abi.md, \"Shared libraries\")",
               (int)im->name_len, (const char *)m->data + im->name, (int)im->name_len,
               (const char *)m->data + im->name,
               xe->rename ? "gets the hook's private name" : "is wrapped in a task",
               xe->rename ? "find no export of that name"
                          : "run the task hook inside a running task");
    return false;
  }
  return true;
}

/* A library's role of an export that is neither hook: the names the link
 * path wraps in every library, then its world; without a world nothing
 * else is lifted (docs/abi.md, "Shared libraries"). */
static tw_role library_role(const tw_edit *e, const tw_export *x, tw_export_edit *xe) {
  const uint8_t *name = e->m->data + x->name;
  tw_role r = tw_dylink_role_by_name(name, x->name_len);
  if (r != TW_ROLE_UNLIFTED || !e->world) return r;
  tw_wit_match why;
  r = tw_world_classify(e->world, name, x->name_len, &why);
  xe->reason = why.reason;
  xe->wit_item = why.item;
  /* Another realloc or initialize name (cm32p2_*) is not the link path's. */
  if (r == TW_ROLE_REALLOC || r == TW_ROLE_INITIALIZE) r = TW_ROLE_UNLIFTED;
  return r;
}

/* sync -> sync-post when the post-return export of this name exists:
 * cabi_post_<N> (legacy) or <N>_post (cm32p2, where <N> is the whole
 * cm32p2|...| name). */
static tw_role with_post_return(const tw_module *m, const tw_map *names, const tw_export *x,
                                uint8_t *scratch) {
  const uint8_t *name = m->data + x->name;
  size_t k = 0;
  if (tw_has_prefix(name, x->name_len, "cm32p2|")) {
    memcpy(scratch, name, x->name_len);
    memcpy(scratch + x->name_len, "_post", 5);
    k = x->name_len + 5;
  } else {
    memcpy(scratch, "cabi_post_", 10);
    memcpy(scratch + 10, name, x->name_len);
    k = x->name_len + 10;
  }
  const long post = find_export(names, m, scratch, k);
  return post >= 0 && m->exports[post].kind == TW_KIND_FUNC ? TW_ROLE_SYNC_POST : TW_ROLE_SYNC;
}

/* A function export's role and its reason. The hook exports are known by
 * name. With a WIT world the world decides the rest (world.c); without one,
 * the name does, and post-return is decided against the other exports:
 * cabi_post_<N> is post-return when <N> is another function export. */
static tw_role export_role(const tw_edit *e, const tw_map *names, const tw_export *x,
                           uint8_t *scratch, tw_export_edit *xe) {
  const tw_module *m = e->m;
  xe->reason = TW_REASON_NONE;
  if (x->kind != TW_KIND_FUNC) return TW_ROLE_NOT_FUNC;
  const uint8_t *name = m->data + x->name;
  tw_role r = tw_classify_name(name, x->name_len);
  xe->reason = TW_REASON_NAME;
  if (r == TW_ROLE_HOOK || r == TW_ROLE_INIT) return r;
  if (e->lib != TW_LIB_NONE) return library_role(e, x, xe);
  if (e->world) {
    tw_wit_match why;
    r = tw_world_classify(e->world, name, x->name_len, &why);
    xe->reason = why.reason;
    xe->wit_item = why.item;
    return r; /* sync-post: classify_exports, once all are known */
  }
  const bool std = tw_has_prefix(name, x->name_len, "cm32p2|");
  if (r == TW_ROLE_POST_RETURN) {
    const long n = std ? find_export(names, m, name, x->name_len - 5)
                       : find_export(names, m, name + 10, x->name_len - 10);
    if (n < 0 || m->exports[n].kind != TW_KIND_FUNC) r = std ? TW_ROLE_STANDARD : TW_ROLE_SYNC;
  } else if (r == TW_ROLE_SYNC) {
    r = with_post_return(m, names, x, scratch);
  }
  return r;
}


static bool index_exports(tw_map *names, const tw_module *m, tw_err *err) {
  if (!tw_map_init(names, m->nexports)) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory for the export table");
    return false;
  }
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    name_ctx ctx = {m, m->data + x->name, x->name_len};
    bool found = false;
    size_t s = tw_map_slot(names, tw_hash_bytes(ctx.probe, ctx.probe_len), 0, name_eq, &ctx, &found);
    if (found) {
      /* Duplicate names are invalid (spec 3.4.10); the first one is the one
       * classification sees, so the module is left alone when it has no
       * hook, and refused when it has one (below). */
      continue;
    }
    names->keys[s] = (uint64_t)i + 1;
  }
  return true;
}

static bool has_duplicate_exports(const tw_map *names, const tw_module *m, tw_err *err) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    if (find_export(names, m, m->data + x->name, x->name_len) != (long)i) {
      char nm[200];
      describe_name(m, x, nm, sizeof nm);
      tw_err_set(err, TW_ERR_MALFORMED, x->start, "duplicate export name \"%s\"", nm);
      return true;
    }
  }
  return false;
}

/* --only / --exclude: is the export left unwrapped by them? A post-return
 * or a callback follows the export it belongs to (its hooks finish that
 * export's task), so the patterns are matched against that export's name.
 * Names may hold a NUL byte: such a name matches no pattern. */
static bool filtered(const tw_module *m, const tw_export *x, tw_role r, const tw_options *o,
                     char *buf) {
  if (o->only_count == 0 && o->exclude_count == 0) return false;
  const uint8_t *name = m->data + x->name;
  size_t len = x->name_len;
  const bool std = tw_has_prefix(name, len, "cm32p2|");
  if (r == TW_ROLE_POST_RETURN && std) {
    len -= 5; /* cm32p2|...|NAME_post */
  } else if (r == TW_ROLE_POST_RETURN) {
    name += 10, len -= 10; /* cabi_post_NAME */
  } else if (r == TW_ROLE_CALLBACK) {
    name += 10, len -= 10; /* [callback][async-lift]N -> [async-lift]N */
  }
  if (memchr(name, 0, len)) return o->only_count > 0;
  memcpy(buf, name, len);
  buf[len] = 0;
  for (size_t k = 0; k < o->exclude_count; k++)
    if (tw_plat_glob_match(o->exclude[k], buf)) return true;
  if (o->only_count == 0) return false;
  for (size_t k = 0; k < o->only_count; k++)
    if (tw_plat_glob_match(o->only[k], buf)) return false;
  return true;
}

/* One wrapper per (function, role) pair, however many exports share it. */
static bool plan_export(tw_edit *e, tw_map *wrappers, uint32_t i, const tw_options *opts,
                        uint8_t *scratch, tw_err *err) {
  const tw_module *m = e->m;
  const tw_export *x = &m->exports[i];
  tw_export_edit *xe = &e->exports[i];
  const tw_role r = xe->role;
  if (r == TW_ROLE_HOOK || r == TW_ROLE_INIT) {
    const char *private_name = tw_dylink_private_name(m->data + x->name, x->name_len);
    if (e->lib == TW_LIB_DEFINES && (r == TW_ROLE_HOOK) == (e->abi == TW_ABI_TASK_HOOK)) {
      xe->rename = private_name; /* the selected ABI's hook keeps its function */
      e->changes = true;
    } else if (e->abi != TW_ABI_NONE && !opts->keep_hook_export) {
      xe->removed = e->changes = true;
    }
    return true;
  }
  if (e->abi == TW_ABI_NONE) return true;
  const bool async_init = tw_edit_async_init(e, r);
  uint8_t codes[2];
  const uint8_t ncodes = tw_role_hook_codes(r, e->abi, async_init, codes);
  if (ncodes == 0) return true;
  if (filtered(m, x, r, opts, (char *)scratch)) {
    xe->filtered = true;
    return true;
  }
  if (!check_type(m, x, r, err)) return false;
  xe->nhooks = ncodes;
  memcpy(xe->hooks, codes, sizeof codes);
  const uint64_t key = ((uint64_t)x->index << 4) | (uint64_t)r;
  bool found = false;
  size_t s = tw_map_slot(wrappers, tw_hash_mix(key), key, tw_map_key_eq, NULL, &found);
  /* A pair seen before needs no second look at the body. */
  if (!found && tw_is_wrapper(e, x->index, r)) {
    xe->already_wrapped = true;
    return true;
  }
  if (!found) {
    const tw_fn w = {.kind = TW_FN_WRAPPER, .type = m->func_types[x->index], .export_i = i,
                     .role = r, .target = x->index, .async_init = async_init, .init = TW_NONE,
                     .import_i = TW_NONE, .import_func = TW_NONE};
    const uint32_t id = tw_edit_add_fn(e, &w, err);
    if (id == TW_NONE) return false;
    wrappers->keys[s] = key + 1;
    wrappers->vals[s] = id;
  }
  xe->wrapper = xe->target = wrappers->vals[s];
  e->changes = true;
  return true;
}

/* Every export's role and reason, each classified once; then what depends
 * on the others: with a world, a sync export is sync-post when any export
 * is the post-return of its world item, in either mangling (wit-component's
 * ExportMap looks it up by the item); and wit-component calls one
 * initialize export, the first in export order (ExportMap::initialize), so
 * another (`cm32p2_initialize` beside `_initialize`) is not wrapped. */
static bool classify_exports(tw_edit *e, const tw_map *names, uint8_t *scratch, tw_err *err) {
  const tw_module *m = e->m;
  bool *has_post = NULL;
  if (e->world && !(has_post = calloc(e->world->nitems ? e->world->nitems : 1, sizeof *has_post))) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory for the plan");
    return false;
  }
  for (uint32_t i = 0; i < m->nexports; i++) {
    tw_export_edit *xe = &e->exports[i];
    xe->role = export_role(e, names, &m->exports[i], scratch, xe);
    if (has_post && xe->role == TW_ROLE_POST_RETURN) has_post[xe->wit_item] = true;
  }
  bool initialize_seen = false;
  for (uint32_t i = 0; i < m->nexports; i++) {
    tw_export_edit *xe = &e->exports[i];
    /* The link path refuses a library with both initialisers. */
    if (e->lib != TW_LIB_NONE && e->abi != TW_ABI_NONE && xe->role == TW_ROLE_INITIALIZE &&
        initialize_seen) {
      tw_err_set(err, TW_ERR_UNSUPPORTED, m->exports[i].start,
                 "a shared library exports both __wasm_call_ctors and _initialize; `wasm-tools "
                 "component link` refuses such a library");
      free(has_post);
      return false;
    }
    if (has_post && xe->role == TW_ROLE_SYNC && has_post[xe->wit_item]) xe->role = TW_ROLE_SYNC_POST;
    if (xe->role == TW_ROLE_INITIALIZE && initialize_seen) xe->role = TW_ROLE_INTERNAL;
    else if (xe->role == TW_ROLE_INITIALIZE) initialize_seen = true;
  }
  free(has_post);
  return true;
}

bool tw_plan_task_hooks(tw_edit *e, const tw_options *opts, tw_err *err) {
  const tw_module *m = e->m;
  tw_map names = {0}, wrappers = {0};
  uint8_t *scratch = NULL;
  bool ok = false;
  size_t longest = 0;
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].name_len > longest) longest = m->exports[i].name_len;
  scratch = malloc(longest + 16);
  if (!scratch || !index_exports(&names, m, err) || !tw_map_init(&wrappers, m->nexports)) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory for the plan");
    goto done;
  }
  if (!select_abi(e, m, &names, opts, err)) goto done;
  if (!plan_library(e, opts, err)) goto done;
  /* The world decides only which exports get task-hook wrappers: without a
   * hook it is not read at all (guards and stubs do not depend on it), so a
   * module with nothing to wrap is never refused for its custom sections.
   * With a hook, a component-type section that cannot be decoded is an
   * error, as in wit-component, never a fallback to the names. */
  if (e->abi != TW_ABI_NONE && !tw_world_decode(m, &e->world, err)) goto done;
  if (e->abi != TW_ABI_NONE && has_duplicate_exports(&names, m, err)) goto done;
  if (!classify_exports(e, &names, scratch, err)) goto done;
  for (uint32_t i = 0; i < m->nexports; i++)
    if (!plan_export(e, &wrappers, i, opts, scratch, err)) goto done;
  if (!finish_library(e, err)) goto done;
  if (!refuse_wrapped_address(e, &names, err)) goto done;
  ok = true;
done:
  free(scratch);
  tw_map_free(&names);
  tw_map_free(&wrappers);
  return ok;
}
