/* Shared libraries (src/dylink.c): the facts of docs/abi.md, "Shared
 * libraries" that the planner, the verifier and the plan share: what makes
 * a module a library, the private names the hook travels under between
 * libraries, and which exports a library's wrappers are for. */
#ifndef TW_DYLINK_H
#define TW_DYLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edit.h"
#include "err.h"
#include "module.h"
#include "taskwrap.h"

/* The private names: wit-component knows none of them, so `wasm-tools
 * component link` resolves them as ordinary `env` symbols and wraps
 * nothing with them. */
#define TW_PRIVATE_TASK_HOOK "__taskwrap_task_hook"
#define TW_PRIVATE_INIT_TASK "__taskwrap_init_task"
#define TW_PRIVATE_INIT_ASYNC_TASK "__taskwrap_init_async_task"
#define TW_DYLINK_IMPORT_MODULE "env"

/* The index in m->sections of the module's dylink.0 (or older dylink)
 * custom section, or -1: a module with one is a shared library. */
long tw_dylink_section(const tw_module *m);

/* The private name of a hook export (__wasm_task_hook, __wasm_init_task,
 * __wasm_init_async_task), or NULL for any other name. */
const char *tw_dylink_private_name(const uint8_t *name, size_t len);

/* The private name a library without the hook imports under an ABI. */
const char *tw_dylink_import_name(tw_abi abi);

/* Is this a private name (an earlier run's rename or import)? */
bool tw_dylink_is_private(const uint8_t *name, size_t len);

/* A library's role by name alone, for the names the link path wraps in
 * every library, world or not: the reallocs and the initialisers
 * (`_initialize`, `__wasm_call_ctors`). TW_ROLE_UNLIFTED for any other. */
tw_role tw_dylink_role_by_name(const uint8_t *name, size_t len);

/* Does the module import or export a private name already? (An earlier
 * run's output.) Needs the module's contents decoded. */
bool tw_dylink_rewritten(const tw_module *m);

/* "defines-hook", "imports-hook", "nothing-to-wrap", "already-rewritten"
 * ("-" for TW_LIB_NONE). */
const char *tw_lib_kind_name(tw_lib_kind kind);

/* Add the import of the hook under its private name to an edit whose
 * wrappers are planned, and make it the edit's hook; its type is a type of
 * the module of the hook's shape, or one the edit appends. */
bool tw_dylink_add_hook_import(tw_edit *e, tw_err *err);

#endif /* TW_DYLINK_H */
