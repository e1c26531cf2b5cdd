/* wasm-taskwrap: emit WASI preview 3 task-init wrappers inside a core module.
 *
 * The contract (roles, wrapper bodies, hook codes, byte-identity) is
 * docs/abi.md; what every byte of the output is, docs/output-layout.md.
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
  TW_ERR_UNSUPPORTED = 7,   /* well-formed but outside what the tool can rewrite */
  TW_ERR_IO = 8,            /* reading the input or writing the output failed */
  TW_ERR_CHANGED = 9        /* a file changed while it was being read: nothing written */
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
  /* Hosts without the component model (docs/usage.md, "Running on any host"). */
  int init_once;        /* non-zero: every function export first runs
                           _initialize once per instance (a guard global) */
  int stub_wasi;        /* non-zero: every wasi_snapshot_preview1 function
                           import becomes an in-module stub */
  const char *stub_output_module; /* with stub_wasi, both set: fd_write to fd */
  const char *stub_output_name;   /* 1 and 2 also calls this import (fd, ptr, len) */
  int strip_debug;      /* non-zero: drop the .debug_* custom sections */
  /* Glob patterns (fnmatch) on export names: with only_count > 0 only the
   * exports that match one of `only` are wrapped; those that match one of
   * `exclude` never are. Hook exports are removed regardless. */
  const char *const *only;
  size_t only_count;
  const char *const *exclude;
  size_t exclude_count;
  int fsync;            /* non-zero: tw_result_write fsyncs the file before
                           renaming it into place (default: it does not, as
                           cp, ld, wasm-opt and wasm-tools do not) */
  /* With stub_wasi: what the stubs serve from data embedded in the module
   * (docs/usage.md, "Baked-in arguments, environment and files"), each in
   * order. stub_args[0] is argv[0]; stub_env entries are "NAME=VALUE";
   * stub_dirs entries are "GUEST=HOSTDIR", preopened as descriptors 3, 4, ...
   * HOSTDIR is read when the module is rewritten (and again by tw_check). */
  const char *const *stub_args;
  size_t stub_args_count;
  const char *const *stub_env;
  size_t stub_env_count;
  const char *const *stub_dirs;
  size_t stub_dirs_count;
} tw_options;

/* With stub_wasi: the exported mutable i32 global proc_exit stores its code
 * in. It holds -1 until proc_exit is called. */
#define TW_EXIT_CODE_GLOBAL "taskwrap_exit_code"

void tw_options_init(tw_options *opts);

/* Roles of the table in docs/abi.md, "Export roles", plus the kinds that
 * are never wrapped. Values are pinned. */
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
  TW_ROLE_STANDARD = 11,      /* a cm32p2 name of no known form: passed through */
  TW_ROLE_SYNC = 12,          /* every other function export */
  TW_ROLE_SYNC_POST = 13,     /* sync lifted with a cabi_post_<N> */
  TW_ROLE_UNLIFTED = 14       /* a function export its embedded WIT world does not lift */
} tw_role;

const char *tw_role_name(tw_role role);
const char *tw_abi_name(tw_abi abi);
const char *tw_status_name(tw_status status);

typedef struct tw_result tw_result;

/* Hook codes in a plan entry: the task-hook ABI's codes 0..13
 * (docs/abi.md, "Hook codes"), and these. */
#define TW_HOOK_CALLBACK_RESULT 100 /* 4 or 5, by the callback's result */
#define TW_HOOK_INIT 101            /* init-task ABI: call __wasm_init_task */
#define TW_HOOK_INIT_ASYNC 102      /* init-task ABI: call __wasm_init_async_task */

/* Why an export has its role. Values are pinned. With a WIT world embedded
 * in the module (component-type custom sections), the world decides; the
 * names decide only the special names (_initialize, the reallocs, the hook)
 * and everything when there is no world. */
typedef enum tw_reason {
  TW_REASON_NONE = 0,             /* not a function export */
  TW_REASON_NAME = 1,             /* by its name (no world, or a special name) */
  /* 2 is not used: --only/--exclude are tw_plan_entry.filtered */
  TW_REASON_WORLD_FUNC = 3,       /* a function the world exports */
  TW_REASON_INTERFACE_FUNC = 4,   /* a function of an interface the world exports */
  TW_REASON_POST_RETURN = 5,      /* the post-return of a world item */
  TW_REASON_CALLBACK = 6,         /* the async callback of a world item */
  TW_REASON_DTOR = 7,             /* the destructor of a resource of an exported interface */
  TW_REASON_UNLIFTED = 8          /* the world does not lift it */
} tw_reason;

const char *tw_reason_name(tw_reason reason);

/* One row of the plan: what happens to one export. Every function index is
 * an index of the OUTPUT, except `index`, the one the export names in the
 * input. */
typedef struct tw_plan_entry {
  const char *name;     /* export name (NUL-terminated copy) */
  size_t name_len;      /* its length in bytes (names may contain NUL) */
  uint8_t kind;         /* export kind byte: 0 func, 1 table, 2 memory, ... */
  uint32_t index;       /* the index the export names in the input */
  tw_role role;
  tw_reason reason;
  uint8_t nhooks;       /* hook codes its wrapper calls, in order; 0: none */
  uint8_t hooks[2];     /* 0..13 or TW_HOOK_* */
  int64_t wrapper;      /* output function index of its wrapper, -1 if none */
  int64_t guard;        /* output function index of its --init-once guard, -1 */
  int64_t target;       /* output index the export names; -1 when removed */
  int removed;          /* non-zero: the export is removed (hook exports) */
  int already_wrapped;  /* non-zero: it already names a wrapper of this ABI */
  int filtered;         /* non-zero: its role is wrapped, but --only/--exclude
                           leave it out */
  /* The world item its reason names (reasons 3..7), as bytes of the input
   * (not NUL-terminated): the interface (NULL for a world function) and the
   * function or resource. */
  const char *wit_interface;
  size_t wit_interface_len;
  const char *wit_item;
  size_t wit_item_len;
} tw_plan_entry;

/* --stub-wasi: one removed import and its stub. */
typedef struct tw_stub_entry {
  const char *name;     /* the wasi_snapshot_preview1 function's name */
  size_t name_len;
  uint32_t import_func; /* its function index in the input */
  uint32_t func;        /* the stub's output function index */
  const char *behaviour;/* "fd_write", "clock", "random", "ebadf", ...
                           (docs/usage.md, "What the stubs do") */
  int wasi_type;        /* non-zero when its type is WASI's */
} tw_stub_entry;

/* --init-once: one guard. */
typedef struct tw_guard_entry {
  uint32_t func;        /* the guard's output function index */
  uint32_t target;      /* output index it forwards to; UINT32_MAX for
                           _initialize's own guard, which only initialises */
  uint32_t init;        /* output index it calls once (_initialize or its wrapper) */
  uint32_t export_index;/* the first export it serves (index into the plan) */
} tw_guard_entry;

/* Non-zero when the library can use libwabt: text input and output and
 * TW_VERIFY_FULL. Without it those report TW_ERR_UNSUPPORTED. */
int tw_have_wabt(void);

/* Parse, plan, emit and verify. Input that is not binary but starts like the
 * text format ("(" or a comment) is assembled with libwabt first. On TW_OK
 * *out holds the output; on any other status *out (if non-NULL) holds the
 * error. *out is NULL only when even the result could not be allocated
 * (TW_ERR_NOMEM) or out is NULL. The output refers to the input's bytes
 * (its untouched ranges are never copied): `data` must stay valid and
 * unchanged until tw_result_free. */
tw_status tw_rewrite(const uint8_t *data, size_t size, const tw_options *opts,
                     tw_result **out);
/* The same for a file ("-": standard input). A regular file is never
 * mapped: only what the rewrite decodes is read (pread), the file stays open
 * until tw_result_free, and tw_result_write copies the rest file to file in
 * the kernel. If the file changes meanwhile (its size, modification or
 * change time), the rewrite or the write fails with TW_ERR_CHANGED and
 * writes nothing. Standard input, a pipe or a device is read into memory,
 * at most 4 GiB, and only while its first bytes can start a module. */
tw_status tw_rewrite_file(const char *path, const tw_options *opts, tw_result **out);

/* Is `output` exactly what a rewrite of `input` with `opts` must produce?
 * TW_OK if so; otherwise TW_ERR_VERIFY with the first violation, at its
 * offset in OUTPUT (or the input's own error, at its offset in INPUT). */
tw_status tw_check(const uint8_t *input, size_t input_size, const uint8_t *output,
                   size_t output_size, const tw_options *opts, tw_result **out);
tw_status tw_check_files(const char *input, const char *output, const tw_options *opts,
                         tw_result **out);

tw_status tw_result_status(const tw_result *res);
/* Byte offset in the input the error refers to (or in the output, for a
 * verification failure); message is never NULL. */
uint64_t tw_result_error_offset(const tw_result *res);
const char *tw_result_error_message(const tw_result *res);
/* Non-zero when the error is about the output: a failed check (its offset
 * is in OUTPUT) or an output file that cannot be read or written. */
int tw_result_error_in_output(const tw_result *res);
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

/* The output as segments, in order: ranges of the input and new bytes (owned
 * by the result), so that a caller can write it without a copy. */
typedef enum tw_segment_kind { TW_SEGMENT_INPUT = 0, TW_SEGMENT_BYTES = 1 } tw_segment_kind;
typedef struct tw_segment {
  tw_segment_kind kind;
  uint64_t input_offset; /* TW_SEGMENT_INPUT: where in tw_result_input's bytes */
  const uint8_t *bytes;  /* TW_SEGMENT_BYTES: the bytes */
  uint64_t size;
} tw_segment;
size_t tw_result_segment_count(const tw_result *res);
/* The binary input the segments refer to: the caller's bytes, or for text
 * input the binary libwabt assembled from it. */
const uint8_t *tw_result_input(const tw_result *res, size_t *size);
/* The descriptor tw_rewrite_file reads the input file from, open until
 * tw_result_free (so that a caller can tell whether an output would be
 * written over it, by whatever name), or -1 when the input was read into
 * memory at once and closed (standard input, a pipe, a device). */
int tw_result_input_fd(const tw_result *res);
int tw_result_segment(const tw_result *res, size_t i, tw_segment *seg);

/* Write the output to path: a temporary file beside it (anonymous where the
 * file system allows, else named .twXXXXXX), renamed over it, so that path is
 * either the whole new module or left as it was (fsynced first when the
 * options asked for it). A symbolic link is followed and its target
 * replaced; a device, FIFO or socket is written into, never replaced, also
 * when named through /proc (/dev/stdout, /dev/fd/N). While it replaces a
 * file, every signal that ends a process by default and comes from outside
 * it (SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
 * SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGIO, SIGPWR, SIGSTKFLT, SIGABRT,
 * the real-time signals) is held back while its action is the default and
 * the caller has not blocked it: one that arrives stops the write, what was
 * written is removed, TW_ERR_IO is returned, and the signal is delivered
 * then, ending the process with nothing left behind. A signal the caller
 * blocked is left blocked (and pending, if it was) and stops nothing; an
 * ignored one or one with a handler is not held back. Writing into a
 * stream holds nothing back. A write past the file size limit is TW_ERR_IO
 * ("File too large"), into a file or a stream, whatever SIGXFSZ's action:
 * the SIGXFSZ it raises is taken back, not delivered. Returns
 * TW_OK, TW_ERR_IO, or TW_ERR_CHANGED when the input file changed since it
 * was opened (checked before the rename, and before a stream is finished);
 * the message is in tw_result_error_message. */
tw_status tw_result_write(tw_result *res, const char *path);
/* Write the output to an open descriptor (a pipe, standard output, ...). */
tw_status tw_result_write_fd(tw_result *res, int fd);
/* Write the output as text (libwabt's writer, names kept) to path, as
 * tw_result_write does, or to fd. The text is streamed as it is made: it is
 * never held in memory (tw_result_output_text is the in-memory form). */
tw_status tw_result_write_text(tw_result *res, const char *path);
tw_status tw_result_write_text_fd(tw_result *res, int fd);

tw_abi tw_result_abi(const tw_result *res);
/* Non-zero when async exports use __wasm_init_task because the module has
 * no __wasm_init_async_task (init-task ABI only). */
int tw_result_async_uses_init_task(const tw_result *res);
size_t tw_result_plan_count(const tw_result *res);
const tw_plan_entry *tw_result_plan_entry(const tw_result *res, size_t i);
uint32_t tw_result_wrapper_count(const tw_result *res);
size_t tw_result_stub_count(const tw_result *res);
const tw_stub_entry *tw_result_stub(const tw_result *res, size_t i);
size_t tw_result_guard_count(const tw_result *res);
const tw_guard_entry *tw_result_guard(const tw_result *res, size_t i);

/* Warnings (for example a function count that grew wider, shifting DWARF
 * code offsets); each is a NUL-terminated message. */
size_t tw_result_warning_count(const tw_result *res);
const char *tw_result_warning(const tw_result *res, size_t i);

/* The plan as text (one line per export) or JSON; NUL-terminated, owned by
 * the result. NULL only when out of memory. */
const char *tw_result_plan_text(tw_result *res);
/* What the rewrite changed, one line per change in words (--verbose), or a
 * line saying it copied the module unchanged. NULL only when out of memory. */
const char *tw_result_changes_text(tw_result *res);
const char *tw_result_plan_json(tw_result *res);

void tw_result_free(tw_result *res);

#ifdef __cplusplus
}
#endif

#endif /* TASKWRAP_H */
