/* Shared libraries (dylink.h): docs/abi.md, "Shared libraries". */
#include <string.h>

#include "dylink.h"
#include "edit.h"
#include "err.h"
#include "module.h"
#include "name.h"
#include "section.h"

long tw_dylink_section(const tw_module *m) {
  for (size_t i = 0; i < m->nsections; i++)
    if (tw_section_named(m, &m->sections[i], "dylink.0", true) ||
        tw_section_named(m, &m->sections[i], "dylink", true))
      return (long)i;
  return -1;
}

const char *tw_dylink_private_name(const uint8_t *name, size_t len) {
  if (tw_name_is(name, len, "__wasm_task_hook")) return TW_PRIVATE_TASK_HOOK;
  if (tw_name_is(name, len, "__wasm_init_task")) return TW_PRIVATE_INIT_TASK;
  if (tw_name_is(name, len, "__wasm_init_async_task")) return TW_PRIVATE_INIT_ASYNC_TASK;
  return NULL;
}

const char *tw_dylink_import_name(tw_abi abi) {
  /* Under the init-task ABI a library imports __wasm_init_task's name
   * alone: its async exports call it too, as a module with no
   * __wasm_init_async_task does (docs/abi.md, "Choosing the ABI"). */
  return abi == TW_ABI_INIT_TASK ? TW_PRIVATE_INIT_TASK : TW_PRIVATE_TASK_HOOK;
}

bool tw_dylink_is_private(const uint8_t *name, size_t len) {
  return tw_name_is(name, len, TW_PRIVATE_TASK_HOOK) || tw_name_is(name, len, TW_PRIVATE_INIT_TASK) ||
         tw_name_is(name, len, TW_PRIVATE_INIT_ASYNC_TASK);
}

/* The link path (wit-component's linking.rs) calls every library's
 * `__wasm_call_ctors` or `_initialize` from its start function between
 * H(6) and H(7), and wraps every realloc export it may use as a canonical
 * option, whatever the library's world says. */
tw_role tw_dylink_role_by_name(const uint8_t *name, size_t len) {
  if (tw_name_is(name, len, "_initialize") || tw_name_is(name, len, "__wasm_call_ctors"))
    return TW_ROLE_INITIALIZE;
  if (tw_name_is(name, len, "cabi_realloc") || tw_name_is(name, len, "cabi_import_realloc") ||
      tw_name_is(name, len, "cabi_export_realloc"))
    return TW_ROLE_REALLOC;
  return TW_ROLE_UNLIFTED;
}

bool tw_dylink_rewritten(const tw_module *m) {
  for (uint32_t i = 0; i < m->nexports; i++)
    if (tw_dylink_is_private(m->data + m->exports[i].name, m->exports[i].name_len)) return true;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const tw_import *im = &m->imports[i];
    if (tw_name_is(m->data + im->mod, im->mod_len, TW_DYLINK_IMPORT_MODULE) &&
        tw_dylink_is_private(m->data + im->name, im->name_len))
      return true;
  }
  return false;
}

const char *tw_lib_kind_name(tw_lib_kind kind) {
  switch (kind) {
  case TW_LIB_NONE: return "-";
  case TW_LIB_NOTHING: return "nothing-to-wrap";
  case TW_LIB_DEFINES: return "defines-hook";
  case TW_LIB_IMPORTS: return "imports-hook";
  case TW_LIB_REWRITTEN: return "already-rewritten";
  }
  return "?";
}

bool tw_dylink_add_hook_import(tw_edit *e, tw_err *err) {
  const bool task_hook = e->abi == TW_ABI_TASK_HOOK;
  /* The hook's type: [i32] -> [] or [] -> [], appended when the library
   * has none (docs/abi.md, "Shared libraries"). */
  const tw_fn imp = {.kind = TW_FN_IMPORT,
                     .type = tw_edit_type(e, task_hook ? TW_TYPE_HOOK : TW_TYPE_INIT),
                     .export_i = TW_NONE, .target = TW_NONE, .init = TW_NONE,
                     .import_i = TW_NONE, .import_func = TW_NONE,
                     .imp_module = TW_DYLINK_IMPORT_MODULE,
                     .imp_name = tw_dylink_import_name(e->abi)};
  const uint32_t id = tw_edit_add_fn(e, &imp, err);
  if (id == TW_NONE) return false;
  e->hook = e->init_async = id;
  e->has_init_async = false;
  return true;
}
