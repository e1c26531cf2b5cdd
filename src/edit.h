/* The one module edit (src/edit.c).
 *
 * Every feature plans into one edit of the input module: the task-hook
 * wrappers of both ABIs (taskhook.c), the --init-once guards (initonce.c),
 * the --stub-wasi stubs and import removal (stubwasi.c), --strip-debug and
 * the names of what is added. Planners only fill the edit; they never write
 * bytes. The emitter (emit.c) and the verifier (verify.c) read only the edit
 * and the input module, never tw_options.
 *
 * This header is the edit alone: what reads or fills it has a header of its
 * own (plan.h, recognise.h, bodies.h, renumber.h, emit.h, verify.h), so the
 * edit depends on neither the planners nor the writing.
 *
 * Function references inside the edit are "edit ids", one space of their own:
 *   0 .. m->nfuncs-1            the input's functions (imports first)
 *   m->nfuncs + k               e->fns[k], the k-th function the edit adds
 * tw_edit_finalise numbers the output's function space once, in this order:
 *   kept input imports (input order), added imports, defined functions
 *   (input order), then the added functions of each kind in the order they
 *   were added: wrappers, stubs, guards, exit-code wrappers
 * and e->out[id] is then the output index of every edit id. A removed
 * (stubbed) import maps to the stub that replaces it, so a call to it
 * becomes a call to its stub. */
#ifndef TW_EDIT_H
#define TW_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "module.h"
#include "stubs.h"
#include "taskwrap.h"

typedef enum tw_fn_kind {
  TW_FN_IMPORT = 0,  /* an added function import (--stub-wasi-output) */
  /* a task-hook wrapper (docs/abi.md, "Wrapper bodies: task-hook ABI") */
  TW_FN_WRAPPER = 1,
  TW_FN_STUB = 2,    /* a WASI preview 1 stub (stubs.c) */
  TW_FN_GUARD = 3,   /* an --init-once guard */
  TW_FN_ROM = 5,     /* --stub-wasi-dir: the embedded table's lookup function
                        [i32] -> [i32] (docs/abi.md, "Embedded WASI data") */
  TW_FN_EXIT = 4     /* --stub-wasi: a command's _start that sets the exit code
                        to 0 when it returns */
} tw_fn_kind;
enum { TW_FN_KINDS = 6 };

/* A function type the edit appends when the input has none of its shape
 * (tw_edit_type). Appended types follow the input's, in this order. */
typedef enum tw_type_shape {
  TW_TYPE_OUTPUT = 0, /* [i32 i32 i32] -> []: the --stub-wasi-output import */
  TW_TYPE_HOOK = 1,   /* [i32] -> []: a shared library's task-hook import */
  TW_TYPE_INIT = 2,   /* [] -> []: its init-task import */
  TW_TYPE_ROM = 3     /* [i32] -> [i32]: the embedded table's lookup */
} tw_type_shape;
enum { TW_TYPE_SHAPES = 4 };
/* tw_fn.type of a function whose type is appended, until tw_edit_finalise
 * gives it its index: TW_TYPE_PENDING + its shape. */
#define TW_TYPE_PENDING 0xffffff00u

/* A function the edit adds. */
typedef struct tw_fn {
  tw_fn_kind kind;
  uint32_t type;       /* its type index in the output (an input type, or
                          an appended one: tw_edit_type) */
  uint32_t export_i;   /* wrappers and guards: the first input export they
                          serve (names the function); TW_NONE otherwise */
  /* TW_FN_WRAPPER */
  tw_role role;
  uint32_t target;     /* wrapper: the edit id it forwards to (the export's
                          function). guard: what it forwards to after the
                          prelude, or TW_NONE for _initialize's own guard.
                          exit: the _start it calls */
  bool async_init;     /* init-task ABI: calls __wasm_init_async_task */
  /* TW_FN_GUARD */
  uint32_t init;       /* the edit id the prelude calls once (_initialize's
                          export target: its wrapper when it has one) */
  /* TW_FN_STUB */
  tw_stub_kind stub;
  uint32_t import_i;   /* the input import entry it replaces */
  uint32_t import_func;/* that import's function index (edit id) */
  bool signature_mismatch; /* a known WASI name with another type */
  /* TW_FN_IMPORT: module and field name (owned by the caller's options) */
  const char *imp_module, *imp_name;
} tw_fn;

/* A global the edit appends (after every input global, in this order). */
typedef enum tw_global_role {
  TW_GLOBAL_GUARD = 0,  /* --init-once flag: i32, mutable, 0 */
  TW_GLOBAL_EXIT = 1,   /* proc_exit's code: i32, mutable, -1, exported */
  TW_GLOBAL_CLOCK = 2,  /* the stubs' virtual clock: i64, mutable */
  TW_GLOBAL_RANDOM = 3, /* the stubs' xorshift state: i64, mutable */
  TW_GLOBAL_SLOT = 4    /* --stub-wasi-dir: TW_WASI_SLOTS descriptor slots, i64,
                           mutable, appended last (global_of: the first) */
} tw_global_role;

typedef struct tw_global {
  tw_global_role role;
  uint8_t valtype;     /* 0x7f i32 or 0x7e i64 */
  int64_t init;        /* the i32.const / i64.const initialiser */
} tw_global;

/* What happens to one input export. */
typedef struct tw_export_edit {
  tw_role role;
  tw_reason reason;
  bool removed;        /* the hook exports */
  bool already_wrapped;/* it already names a wrapper of its role */
  uint32_t target;     /* function exports: the edit id it names in the
                          output (itself, its wrapper or its guard) */
  uint32_t wrapper;    /* edit id of its task-hook wrapper, or TW_NONE */
  uint32_t guard;      /* edit id of its --init-once guard, or TW_NONE */
  uint32_t exit;       /* edit id of its exit-code wrapper (_start), or TW_NONE */
  uint8_t hooks[2];    /* hook codes in call order (taskwrap.h, TW_HOOK_*;
                          abi.h) */
  uint8_t nhooks;      /* 0: not wrapped */
  bool filtered;       /* wrapped by its role, left out by --only/--exclude */
  uint32_t wit_item;   /* the world item its reason names (world.h), or TW_NONE */
  const char *rename;  /* a shared library's hook: the export's new name, or NULL */
} tw_export_edit;

/* What a shared library (a dylink.0 section) is to the rewrite
 * (docs/abi.md, "Shared libraries"). */
typedef enum tw_lib_kind {
  TW_LIB_NONE = 0,      /* not a shared library */
  TW_LIB_NOTHING,       /* nothing to wrap: copied unchanged */
  TW_LIB_DEFINES,       /* defines the hook: its export is renamed */
  TW_LIB_IMPORTS,       /* imports the hook under its private name */
  TW_LIB_REWRITTEN      /* an earlier run's output: copied unchanged */
} tw_lib_kind;

typedef struct tw_edit {
  const tw_module *m;

  /* ---- the embedded WIT world (world.c); NULL when there is none ---- */
  struct tw_world *world;

  /* ---- task hooks (taskhook.c) ---- */
  tw_abi abi;            /* TW_ABI_NONE: no hook export */
  uint32_t hook;         /* task-hook: the hook; init-task: __wasm_init_task */
  uint32_t init_async;   /* init-task: __wasm_init_async_task (== hook if absent) */
  bool has_init_async;

  /* ---- shared libraries (dylink.c) ---- */
  tw_lib_kind lib;
  long lib_section;      /* the dylink section's index in m->sections, or -1 */

  /* ---- functions ---- */
  tw_fn *fns;
  uint32_t nfns, fns_cap;
  uint32_t nwrappers, nstubs, nguards, nexits, nimports_added, nroms;
  uint32_t *out;         /* after finalise: edit id -> output index */
  uint32_t out_nfuncs;   /* output: all functions */
  uint32_t out_nimports; /* output: function imports */
  bool renumbered;       /* some input function's index changes */

  /* ---- imports, types ---- */
  bool *import_removed;  /* per input import entry */
  uint32_t nimports_removed;
  uint32_t ntypes_in;
  bool add_type[TW_TYPE_SHAPES]; /* the shapes appended (tw_edit_type) */

  /* ---- globals ---- */
  uint32_t nglobals_in;  /* imported + defined globals of the input */
  tw_global globals[4 + TW_WASI_SLOTS];
  uint32_t nglobals;
  uint32_t global_of[5]; /* per tw_global_role: output global index or TW_NONE */

  /* ---- --stub-wasi's embedded data (wasifs.h) ---- */
  struct tw_wasi_image *wasi; /* owned; NULL without the options */
  bool add_data;           /* append its passive segment (and count it in
                              the data count section, created if absent) */
  uint32_t data_segment;   /* the segment's index: the input's segment count */
  uint32_t rom_fn;         /* the table lookup (TW_FN_ROM), an edit id, or TW_NONE */

  /* ---- exports ---- */
  tw_export_edit *exports; /* one per input export */
  bool add_exit_export;    /* export "taskwrap_exit_code" = the exit global */

  /* ---- --init-once ---- */
  bool init_once;          /* guards were planned (or found: already_guarded) */
  bool already_guarded;    /* _initialize's export is a guard already */

  /* ---- sections ---- */
  bool *drop_section;      /* per input section: left out of the output */
  bool names_rebuild;      /* the name section is rewritten (renumbered
                              and/or function names added) */
  bool names_unusable;     /* malformed: left as is, additions unnamed */
  bool names_dropped;      /* malformed and renumbered: dropped */
  bool dropped_debug, dropped_code_metadata;
  bool has_dwarf;

  bool changes;            /* the output differs from the input */
} tw_edit;

/* The functions the edit defines (every added function but imports), and
 * the order of their kinds in the output's function space. */
static inline uint32_t tw_edit_ndefined(const tw_edit *e) {
  return e->nwrappers + e->nstubs + e->nguards + e->nexits + e->nroms;
}
extern const tw_fn_kind tw_defined_order[5];
/* Does an export of this role call __wasm_init_async_task (init-task ABI,
 * async roles, when the module exports it)? */
static inline bool tw_edit_async_init(const tw_edit *e, tw_role r) {
  return e->abi == TW_ABI_INIT_TASK && e->has_init_async &&
         (r == TW_ROLE_ASYNC_CALLBACK || r == TW_ROLE_ASYNC_STACKFUL);
}

/* ---- building the edit ---- */
bool tw_edit_init(tw_edit *e, const tw_module *m, tw_err *err);
void tw_edit_free(tw_edit *e);
/* Append a function; returns its edit id, or TW_NONE (out of memory, err set). */
uint32_t tw_edit_add_fn(tw_edit *e, const tw_fn *f, tw_err *err);
/* The added function of an edit id, or NULL for an input function. */
static inline const tw_fn *tw_edit_fn(const tw_edit *e, uint32_t id) {
  return id >= e->m->nfuncs && id - e->m->nfuncs < e->nfns ? &e->fns[id - e->m->nfuncs] : NULL;
}
static inline uint32_t tw_edit_fn_id(const tw_edit *e, uint32_t k) { return e->m->nfuncs + k; }
/* A function type of shape s for an added function: the input's first
 * type of that shape, or else the shape is appended and the result is
 * TW_TYPE_PENDING + s, which tw_edit_finalise numbers (the appended
 * types' indices are known once every planner has run). */
uint32_t tw_edit_type(tw_edit *e, tw_type_shape s);
/* The output index of appended shape s, or TW_NONE when it is not appended. */
uint32_t tw_edit_added_type(const tw_edit *e, tw_type_shape s);
uint32_t tw_edit_ntypes_added(const tw_edit *e);
/* A shape's encoding in the type section (func form, params, results),
 * and as the plan writes it ("[i32] -> [i32]"). */
const uint8_t *tw_type_shape_bytes(tw_type_shape s, size_t *len);
const char *tw_type_shape_text(tw_type_shape s);
/* Append a global of a role (once per role); returns its position. */
void tw_edit_add_global(tw_edit *e, tw_global_role role, uint8_t valtype, int64_t init);
/* Append the TW_WASI_SLOTS descriptor slots (after every other global). */
void tw_edit_add_slots(tw_edit *e, const int64_t init[TW_WASI_SLOTS]);
/* Number the output's function and global spaces; decide what happens to
 * the name section and the code metadata. Call once, after every planner. */
bool tw_edit_finalise(tw_edit *e, tw_err *err);
/* The output type index of an edit id's function (TW_NONE: no such id). */
uint32_t tw_edit_fn_type(const tw_edit *e, uint32_t id);

#endif /* TW_EDIT_H */
