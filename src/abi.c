/* ABI facts that planners and encoders share (abi.h): export roles by
 * name, hook codes per role, and the names of roles, ABIs and kinds. */
#include <string.h>

#include "abi.h"
#include "name.h"

static bool contains(const uint8_t *s, size_t n, const char *p) {
  const size_t k = strlen(p);
  for (size_t i = 0; k <= n && i <= n - k; i++)
    if (memcmp(s + i, p, k) == 0) return true;
  return false;
}

static bool ends_with(const uint8_t *s, size_t n, const char *suffix) {
  const size_t k = strlen(suffix);
  return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The standard mangling (docs/abi.md, "Names and roles"): cm32p2_initialize,
 * cm32p2_realloc, cm32p2|IFACE|NAME (IFACE empty for a world function), with
 * _post for a post-return and, in an interface, RESOURCE_dtor for a
 * destructor. WIT names are kebab-case, so neither suffix can end a
 * function's own name. Other cm32p2 names are passed through. */
static tw_role classify_cm32p2(const uint8_t *name, size_t len) {
  if (tw_name_is(name, len, "cm32p2_initialize")) return TW_ROLE_INITIALIZE;
  if (tw_name_is(name, len, "cm32p2_realloc")) return TW_ROLE_REALLOC;
  if (!tw_has_prefix(name, len, "cm32p2|")) return TW_ROLE_STANDARD;
  const uint8_t *rest = name + 7, *bar = memchr(rest, '|', len - 7);
  if (!bar || bar + 1 == name + len) return TW_ROLE_STANDARD;
  const uint8_t *fn = bar + 1;
  const size_t fn_len = (size_t)(name + len - fn);
  if (memchr(fn, '|', fn_len)) return TW_ROLE_STANDARD;
  if (ends_with(fn, fn_len, "_post")) return fn_len > 5 ? TW_ROLE_POST_RETURN : TW_ROLE_STANDARD;
  if (ends_with(fn, fn_len, "_dtor"))
    return bar > rest && fn_len > 5 ? TW_ROLE_DTOR : TW_ROLE_STANDARD;
  return TW_ROLE_SYNC;
}

/* docs/abi.md, "Export roles", by the legacy core export names. The hook
 * names of both ABIs are recognised whichever ABI is emitted: once the
 * module runs its own task-init wrappers, any hook export left behind would
 * make a downstream wit-component add a second layer
 * (docs/abi.md, "The rewritten module"), so all of them are removed.
 * Post-return needs the other exports and is decided by the caller. */
tw_role tw_classify_name(const uint8_t *name, size_t len) {
  if (tw_name_is(name, len, "__wasm_task_hook")) return TW_ROLE_HOOK;
  if (tw_name_is(name, len, "__wasm_init_task") || tw_name_is(name, len, "__wasm_init_async_task"))
    return TW_ROLE_INIT;
  if (tw_name_is(name, len, "_initialize")) return TW_ROLE_INITIALIZE;
  if (tw_name_is(name, len, "cabi_realloc") || tw_name_is(name, len, "canonical_abi_realloc") ||
      tw_name_is(name, len, "cabi_export_realloc") || tw_name_is(name, len, "cabi_import_realloc"))
    return TW_ROLE_REALLOC;
  if (tw_name_is(name, len, "_start") || tw_has_prefix(name, len, "__") ||
      tw_name_is(name, len, "cabi_realloc_adapter"))
    return TW_ROLE_INTERNAL;
  if (tw_has_prefix(name, len, "cm32p2")) return classify_cm32p2(name, len);
  if (tw_has_prefix(name, len, "cabi_post_")) return TW_ROLE_POST_RETURN;
  if (tw_has_prefix(name, len, "[callback][async-lift]")) return TW_ROLE_CALLBACK;
  if (tw_has_prefix(name, len, "[async-lift-stackful]")) return TW_ROLE_ASYNC_STACKFUL;
  if (tw_has_prefix(name, len, "[async-lift]")) return TW_ROLE_ASYNC_CALLBACK;
  if (contains(name, len, "#[dtor]")) return TW_ROLE_DTOR;
  return TW_ROLE_SYNC;
}

const char *tw_role_name(tw_role role) {
  switch (role) {
  case TW_ROLE_NOT_FUNC: return "not-func";
  case TW_ROLE_HOOK: return "hook";
  case TW_ROLE_INIT: return "init";
  case TW_ROLE_INITIALIZE: return "initialize";
  case TW_ROLE_REALLOC: return "realloc";
  case TW_ROLE_POST_RETURN: return "post-return";
  case TW_ROLE_ASYNC_CALLBACK: return "async-callback";
  case TW_ROLE_ASYNC_STACKFUL: return "async-stackful";
  case TW_ROLE_CALLBACK: return "callback";
  case TW_ROLE_DTOR: return "dtor";
  case TW_ROLE_INTERNAL: return "internal";
  case TW_ROLE_STANDARD: return "standard";
  case TW_ROLE_SYNC: return "sync";
  case TW_ROLE_SYNC_POST: return "sync-post";
  case TW_ROLE_UNLIFTED: return "unlifted";
  }
  return "?";
}

const char *tw_reason_name(tw_reason reason) {
  switch (reason) {
  case TW_REASON_NONE: return "-";
  case TW_REASON_NAME: return "name";
  case TW_REASON_WORLD_FUNC: return "world-function";
  case TW_REASON_INTERFACE_FUNC: return "interface-function";
  case TW_REASON_POST_RETURN: return "post-return-of";
  case TW_REASON_CALLBACK: return "callback-of";
  case TW_REASON_DTOR: return "destructor-of";
  case TW_REASON_UNLIFTED: return "unlifted";
  }
  return "?";
}

const char *tw_abi_name(tw_abi abi) {
  switch (abi) {
  case TW_ABI_AUTO: return "auto";
  case TW_ABI_TASK_HOOK: return "task-hook";
  case TW_ABI_INIT_TASK: return "init-task";
  case TW_ABI_NONE: return "none";
  }
  return "?";
}

/* Hook codes in call order, per the tables of
 * docs/abi.md, "Wrapper bodies: task-hook ABI" and
 * docs/abi.md, "Wrapper bodies: init-task ABI";
 * 0 when the role is not wrapped under this ABI. */
uint8_t tw_role_hook_codes(tw_role role, tw_abi abi, bool async_init, uint8_t c[2]) {
  if (abi == TW_ABI_TASK_HOOK) {
    switch (role) {
    case TW_ROLE_SYNC: c[0] = 0, c[1] = 1; return 2;
    case TW_ROLE_SYNC_POST: c[0] = 0; return 1;
    case TW_ROLE_POST_RETURN: c[0] = 1; return 1;
    case TW_ROLE_ASYNC_CALLBACK: c[0] = 2, c[1] = TW_HOOK_CALLBACK_RESULT; return 2;
    case TW_ROLE_CALLBACK: c[0] = 3, c[1] = TW_HOOK_CALLBACK_RESULT; return 2;
    case TW_ROLE_ASYNC_STACKFUL: c[0] = 2, c[1] = 5; return 2;
    case TW_ROLE_REALLOC: c[0] = 12, c[1] = 13; return 2;
    case TW_ROLE_DTOR: c[0] = 8, c[1] = 9; return 2;
    case TW_ROLE_INITIALIZE: c[0] = 6, c[1] = 7; return 2;
    default: return 0;
    }
  }
  if (abi == TW_ABI_INIT_TASK) {
    switch (role) {
    case TW_ROLE_SYNC:
    case TW_ROLE_SYNC_POST:
    case TW_ROLE_INITIALIZE: c[0] = TW_HOOK_INIT; return 1;
    case TW_ROLE_ASYNC_CALLBACK:
    case TW_ROLE_ASYNC_STACKFUL: c[0] = async_init ? TW_HOOK_INIT_ASYNC : TW_HOOK_INIT; return 1;
    default: return 0;
    }
  }
  return 0;
}

const char *tw_kind_name(uint8_t kind) {
  static const char *const names[] = {"func", "table", "memory", "global", "tag"};
  return kind < 5 ? names[kind] : "?";
}

