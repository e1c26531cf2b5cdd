/* wasm-taskwrap: emit WASI preview 3 task-init wrappers inside a core module.
 *
 * The contract (roles, wrapper bodies, hook codes, byte-identity) is
 * ABI.md in the project's shared specification; the README summarises it.
 *
 * Usage:
 *   tw_options opts;
 *   tw_options_init(&opts);
 *   tw_result *res = NULL;
 *   tw_status st = tw_rewrite(bytes, size, &opts, &res);
 *   if (st == TW_OK) { size_t n; const uint8_t *out = tw_result_output(res, &n); ... }
 *   else { fprintf(stderr, "0x%llx: %s\n", tw_result_error_offset(res), tw_result_error_message(res)); }
 *   tw_result_free(res);
 *
 * Every handle is opaque; every _free accepts NULL. The library is plain C11
 * and allocates only through malloc/realloc/free.
 */
#ifndef TASKWRAP_H
#define TASKWRAP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TW_VERSION_MAJOR 0
#define TW_VERSION_MINOR 1
#define TW_VERSION_PATCH 0
#define TW_VERSION_STRING "0.1.0"

/* Status codes. The values are pinned: they never change meaning. */
typedef enum tw_status {
  TW_OK = 0,
  TW_ERR_MALFORMED = 1,     /* the input is not a well-formed core module */
  TW_ERR_TYPE_MISMATCH = 2, /* an export's type does not fit its ABI role */
  TW_ERR_ABI_CONFLICT = 3,  /* both ABIs exported and --abi auto */
  TW_ERR_VERIFY = 4,        /* the built-in verification of the output failed */
  TW_ERR_NOMEM = 5,         /* out of memory */
  TW_ERR_INVALID_ARG = 6,   /* the caller passed something unusable */
  TW_ERR_UNSUPPORTED = 7    /* well-formed but outside what the tool can rewrite */
} tw_status;

/* Which task-init ABI to emit. */
typedef enum tw_abi {
  TW_ABI_AUTO = 0,      /* whichever ABI's exports are present */
  TW_ABI_TASK_HOOK = 1, /* __wasm_task_hook(i32) (wit-component >= 0.257) */
  TW_ABI_INIT_TASK = 2, /* __wasm_init_task / __wasm_init_async_task (legacy) */
  TW_ABI_NONE = 3       /* only in results: no hook export, nothing to do */
} tw_abi;

/* Depth of the verification pass run on every output before it is returned. */
typedef enum tw_verify {
  TW_VERIFY_FAST = 0, /* built-in structural check (default) */
  TW_VERIFY_NONE = 1, /* skip it: for benchmarking only */
  TW_VERIFY_FULL = 2  /* libwabt validates the whole output, then the fast check */
} tw_verify;

typedef struct tw_options {
  tw_abi abi;           /* default TW_ABI_AUTO */
  tw_verify verify;     /* default TW_VERIFY_FAST */
  int keep_hook_export; /* non-zero: leave the hook export(s) in place */
  const char *input_name; /* for diagnostics of text input; may be NULL */
  /* Hosts without the component model (README, "Running on any host"). */
  int init_once;        /* non-zero: every function export first runs
                           _initialize once per instance (a guard global) */
  int stub_wasi;        /* non-zero: every wasi_snapshot_preview1 function
                           import becomes an in-module stub */
  const char *stub_output_module; /* with stub_wasi, both set: fd_write to fd */
  const char *stub_output_name;   /* 1 and 2 also calls this import (fd, ptr, len) */
  int strip_debug;      /* non-zero: drop the .debug_* custom sections */
} tw_options;

/* With stub_wasi: the exported mutable i32 global proc_exit stores its code
 * in. It holds -1 until proc_exit is called. */
#define TW_EXIT_CODE_GLOBAL "taskwrap_exit_code"

void tw_options_init(tw_options *opts);

/* Roles of ABI.md's "Export roles" table, plus the kinds that are never
 * wrapped. Values are pinned. */
typedef enum tw_role {
  TW_ROLE_NOT_FUNC = 0,       /* memory, table, global or tag export */
  TW_ROLE_HOOK = 1,           /* __wasm_task_hook */
  TW_ROLE_INIT = 2,           /* __wasm_init_task / __wasm_init_async_task */
  TW_ROLE_INITIALIZE = 3,     /* _initialize */
  TW_ROLE_REALLOC = 4,        /* cabi_realloc and friends */
  TW_ROLE_POST_RETURN = 5,    /* cabi_post_<N> */
  TW_ROLE_ASYNC_CALLBACK = 6, /* [async-lift]<N> */
  TW_ROLE_ASYNC_STACKFUL = 7, /* [async-lift-stackful]<N> */
  TW_ROLE_CALLBACK = 8,       /* [callback][async-lift]<N> */
  TW_ROLE_DTOR = 9,           /* <iface>#[dtor]<resource> */
  TW_ROLE_INTERNAL = 10,      /* _start, __*, cabi_realloc_adapter */
  TW_ROLE_STANDARD = 11,      /* cm32p2* names: passed through */
  TW_ROLE_SYNC = 12,          /* every other function export */
  TW_ROLE_SYNC_POST = 13      /* sync lifted with a cabi_post_<N> */
} tw_role;

const char *tw_role_name(tw_role role);
const char *tw_abi_name(tw_abi abi);
const char *tw_status_name(tw_status status);

typedef struct tw_result tw_result;

/* One row of the plan: what happens to one export. */
typedef struct tw_plan_entry {
  const char *name;     /* export name (NUL-terminated copy) */
  size_t name_len;      /* its length in bytes (names may contain NUL) */
  uint8_t kind;         /* export kind byte: 0 func, 1 table, 2 memory, ... */
  uint32_t index;       /* the index the export named in the input */
  tw_role role;
  const char *hooks;    /* hook codes in call order, e.g. "0,1", "2,4|5",
                           "init", "init-async"; "-" when not wrapped */
  int64_t wrapper;      /* function index of the wrapper, -1 if none */
  int removed;          /* non-zero: the export is removed (hook exports) */
  int already_wrapped;  /* non-zero: it already names a wrapper of this ABI */
} tw_plan_entry;

/* Non-zero when the library can use libwabt: text input and output and
 * TW_VERIFY_FULL. Without it those report TW_ERR_UNSUPPORTED. */
int tw_have_wabt(void);

/* Parse, plan, emit and verify. Input that is not binary but starts like the
 * text format ("(" or a comment) is assembled with libwabt first. On TW_OK *out holds the output; on any
 * other status *out (if non-NULL) holds the error. *out is NULL only when
 * even the result could not be allocated (TW_ERR_NOMEM) or out is NULL. */
tw_status tw_rewrite(const uint8_t *data, size_t size, const tw_options *opts,
                     tw_result **out);

tw_status tw_result_status(const tw_result *res);
/* Byte offset in the input the error refers to (or in the output, for a
 * verification failure); message is never NULL. */
uint64_t tw_result_error_offset(const tw_result *res);
const char *tw_result_error_message(const tw_result *res);
/* For errors in text input: 1-based line and column, 0 otherwise. */
int tw_result_error_line(const tw_result *res);
int tw_result_error_column(const tw_result *res);
/* Non-zero when the input was text (assembled with libwabt). */
int tw_result_input_was_text(const tw_result *res);

/* The output module. When nothing needed rewriting it is byte-identical to
 * the input. Valid until tw_result_free. */
const uint8_t *tw_result_output(const tw_result *res, size_t *size);
/* The output as text (libwabt's writer, names kept), NUL-terminated, owned
 * by the result. Returns TW_OK, or an error status with the message in
 * tw_result_error_message. */
tw_status tw_result_output_text(tw_result *res, const char **text, size_t *size);
/* Non-zero when the output differs from the input. */
int tw_result_changed(const tw_result *res);

tw_abi tw_result_abi(const tw_result *res);
/* Non-zero when async exports use __wasm_init_task because the module has
 * no __wasm_init_async_task (init-task ABI only). */
int tw_result_async_uses_init_task(const tw_result *res);
size_t tw_result_plan_count(const tw_result *res);
const tw_plan_entry *tw_result_plan_entry(const tw_result *res, size_t i);
uint32_t tw_result_wrapper_count(const tw_result *res);

/* Warnings (for example a function count that grew wider, shifting DWARF
 * code offsets); each is a NUL-terminated message. */
size_t tw_result_warning_count(const tw_result *res);
const char *tw_result_warning(const tw_result *res, size_t i);

/* The plan as text (one line per export) or JSON; NUL-terminated, owned by
 * the result. NULL only when out of memory. */
const char *tw_result_plan_text(tw_result *res);
const char *tw_result_plan_json(tw_result *res);

void tw_result_free(tw_result *res);

#ifdef __cplusplus
}
#endif

#endif /* TASKWRAP_H */
