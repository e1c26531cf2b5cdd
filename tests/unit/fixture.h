/* What the public-API tests (unit-rewrite, unit-verify, unit-guards,
 * unit-abi, unit-independence) share: the test modules, the plan the main
 * module must get, and the checks of tw_rewrite's and tw_check's results. */
#ifndef TW_UNIT_FIXTURE_H
#define TW_UNIT_FIXTURE_H

#include "unit.h"

/* ---- modules -------------------------------------------------------------------- */

/* Types: t0 [i32]->[], t1 []->[], t2 [i32 i32]->[i32], t3 [i32 i32 i32]->[i32],
 * t4 [i32 i32 i32 i32]->[i32], t5 []->[i32]. */
#define NTYPES 6
extern const char *const types6[NTYPES];

/* A module of these types with: custom "first" (at the start), a memory
 * section, custom "producers" (after the code section), and, when `names`,
 * a name section naming function i "f<i>" (i < 16). The defined functions
 * have the default bodies (builder.h). */
mb_module plain_module(const uint8_t *funcs, uint32_t nfuncs, const mb_export *exps,
                       size_t nexps, bool names);

/* The main test module: a hook, and an export of every role. */
#define MAIN_NFUNCS 11
#define MAIN_NEXPS 14
extern const uint8_t main_types[MAIN_NFUNCS];
extern const mb_export main_exps[MAIN_NEXPS];
/* Builds the main module into m (the function and code counts padded to
 * count_width bytes), with or without its name section. */
void build_main(wb *m, bool names, size_t count_width);
/* A plain_module without a name section, built into m. */
void build_plain(wb *m, const uint8_t *funcs, uint32_t nfuncs, const mb_export *exps,
                 size_t nexps);
/* The main module without its hook export (exports 1.. of main_exps). */
void build_main_without_hook(wb *m);

/* f0 wasi fd_write (t4), f1 env.kept (t0), f2 wasi proc_exit (t0);
 * f3 _initialize (t1), f4 run (t2): calls f1, f0, f2 and f5; f5 helper (t5).
 * Exports _initialize, run, memory. */
void build_host(wb *m);

/* ---- the plan ------------------------------------------------------------------ */

/* Hook codes of a plan entry: how many, and which (taskwrap.h). */
typedef struct hooks {
  uint8_t n;
  uint8_t c[2];
} hooks;
#define H0 {0, {0, 0}}
#define H1(a) {1, {a, 0}}
#define H2(a, b) {2, {a, b}}
#define CB TW_HOOK_CALLBACK_RESULT

bool same_hooks(const tw_plan_entry *e, hooks h);
/* "0,1", "2,4|5", "init", "init-async" or "-", as the plan text prints them. */
const char *show_hooks(const tw_plan_entry *e, char *buf, size_t cap);

/* What the plan must say for each export of the main module. */
typedef struct want_entry {
  tw_role role;
  hooks hooks;
  int64_t wrapper;
  int removed;
} want_entry;
extern const want_entry main_plan[MAIN_NEXPS];

/* ---- results -------------------------------------------------------------------- */

/* tw_rewrite must succeed. */
tw_result *rewrite_ok(const uint8_t *d, size_t n, const tw_options *o);
/* The main module, with names, built into in and rewritten (rewrite_ok)
 * with the default options. */
tw_result *rewrite_main(wb *in);
/* The output must parse. */
void check_parse(tw_module *m, const uint8_t *d, size_t n);
/* tw_check must accept `out` as the output of `in` under `o`. */
void check_accepts(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
                   const tw_options *o);
/* A copy of r's output, to corrupt (free it), with `spare` bytes after it
 * for a test that lengthens it; the output's size in *n. */
uint8_t *output_copy(const tw_result *r, size_t spare, size_t *n);
/* Whether tw_check refuses `out` as it must: TW_ERR_VERIFY, about the
 * output, nothing output, at `at` (exact) or else at most `slack` bytes
 * after it (with slack 0: at the changed byte or before it). When not, says
 * what it got instead of failing, so that a caller can try every byte; the
 * reported offset in *off (when off is not NULL). */
bool refused(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
             const tw_options *o, size_t at, bool exact, size_t slack, const char *what,
             uint64_t *off);
/* tw_check must refuse `out` (refused, slack 0). Returns the offset it
 * reported. */
uint64_t check_refuses(const uint8_t *in, size_t in_n, const uint8_t *out, size_t out_n,
                       const tw_options *o, size_t at, bool exact, const char *what);
/* The segments, concatenated, are the output; input segments lie inside
 * the input. Returns how many of each kind there are in *ninput, *nbytes. */
void check_segments(const tw_result *r, const uint8_t *in, size_t in_n, size_t *ninput,
                    size_t *nbytes);

#endif
