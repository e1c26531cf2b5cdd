/* The public entry points of include/taskwrap.h: parse, plan into the one
 * edit, emit segments, verify; --check runs the same planners and then the
 * verifier on a given output. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "edit.h"
#include "emit.h"
#include "err.h"
#include "io.h"
#include "module.h"
#include "options.h"
#include "out.h"
#include "plan.h"
#include "platform.h"
#include "report.h"
#include "source.h"
#include "stubs.h"
#include "taskwrap.h"
#include "verify.h"
#include "wabt_bridge.h"

void tw_options_init(tw_options *opts) {
  memset(opts, 0, sizeof *opts);
  opts->abi = TW_ABI_AUTO;
  opts->verify = TW_VERIFY_FAST;
}

const char *tw_status_name(tw_status status) {
  switch (status) {
  case TW_OK: return "ok";
  case TW_ERR_MALFORMED: return "malformed module";
  case TW_ERR_TYPE_MISMATCH: return "type mismatch";
  case TW_ERR_ABI_CONFLICT: return "ambiguous ABI";
  case TW_ERR_VERIFY: return "verification failed";
  case TW_ERR_NOMEM: return "out of memory";
  case TW_ERR_INVALID_ARG: return "invalid argument";
  case TW_ERR_UNSUPPORTED: return "unsupported";
  case TW_ERR_IO: return "input/output error";
  case TW_ERR_CHANGED: return "file changed while read";
  }
  return "unknown";
}

int tw_have_wabt(void) { return tw_wabt_available(); }

void tw_result_warn(tw_result *r, const char *fmt, ...) {
  /* A warning is not worth failing the rewrite for. */
  if (!tw_grow_to((void **)&r->warnings, &r->warnings_cap, r->nwarnings + 1, SIZE_MAX,
                  sizeof *r->warnings))
    return;
  char *msg = malloc(320);
  if (!msg) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, 320, fmt, ap);
  va_end(ap);
  r->warnings[r->nwarnings++] = msg;
}

static tw_status finish(tw_result *r) {
  if (r->err.code != TW_OK) {
    tw_out_free(&r->out);
    free(r->flat);
    r->flat = NULL;
    r->output_is_input = false;
  }
  return r->err.code;
}

/* The text format's white space from p[i] on: where it ends. */
static size_t skip_space(const uint8_t *p, size_t n, size_t i) {
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) i++;
  return i;
}

/* After a UTF-8 BOM, if there is one. */
static size_t skip_bom(const uint8_t *p, size_t n) {
  return n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf ? 3 : 0;
}

/* Where text would start: after a UTF-8 BOM and white space. */
static size_t blank_end(const uint8_t *p, size_t n) { return skip_space(p, n, skip_bom(p, n)); }

/* The text format starts with "(" or a comment, after optional white space;
 * a binary module starts with "\0asm". (Content decides, not the name.) */
static bool looks_like_text(const uint8_t *p, size_t n) {
  const size_t i = blank_end(p, n);
  return i < n && (p[i] == '(' || (p[i] == ';' && i + 1 < n && p[i + 1] == ';'));
}

/* Text that is WebAssembly starts with a module field after its "(" (or
 * with a comment): "(function(){...})()" is a JavaScript bundle. */
static bool starts_like_a_module(const uint8_t *p, size_t n) {
  size_t i = skip_bom(p, n);
  for (;;) { /* white space and comments before the "(" */
    i = skip_space(p, n, i);
    if (i + 1 < n && p[i] == ';' && p[i + 1] == ';') {
      while (i < n && p[i] != '\n') i++;
    } else if (i + 1 < n && p[i] == '(' && p[i + 1] == ';') {
      return true; /* a block comment: let the text reader judge */
    } else {
      break;
    }
  }
  if (i >= n || p[i] != '(') return i >= n;
  i = skip_space(p, n, i + 1);
  size_t k = i; /* the field's name */
  while (k < n && ((p[k] >= 'a' && p[k] <= 'z') || p[k] == '_')) k++;
  return tw_text_module_field(p + i, k - i);
}

static bool assemble_text(tw_result *r, const tw_options *opts, const uint8_t *data, size_t size) {
  if (!starts_like_a_module(data, size)) {
    tw_err_set(&r->err, TW_ERR_MALFORMED, 0,
               "neither a binary WebAssembly module (it does not start with \"\\0asm\") nor "
               "WebAssembly text (after its \"(\" comes no module field)");
    return false;
  }
  tw_wabt_diag d = {0};
  size_t n = 0;
  const char *name = opts->input_name ? opts->input_name : "<text>";
  const tw_wabt_status st = tw_wabt_wat_to_wasm(name, data, size, &r->assembled, &n, &d);
  if (st == TW_WABT_OK) {
    r->input = r->assembled;
    r->input_size = n;
    r->was_text = true;
    return true;
  }
  r->err_line = d.line;
  r->err_column = d.column;
  if (st == TW_WABT_UNAVAILABLE) {
    r->was_text = true; /* text, though never assembled */
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0,
               "this build has no libwabt: text input is assembled with libwabt; "
               "give the binary module (wat2wasm makes it)");
  }
  else if (st == TW_WABT_NOMEM)
    tw_err_set(&r->err, TW_ERR_NOMEM, 0, "%s", d.message);
  else if (st == TW_WABT_CRASHED)
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0, "cannot read the text: %s", d.message);
  else
    tw_err_set(&r->err, TW_ERR_MALFORMED, d.offset, "%s", d.message);
  return false;
}

/* The function whose body holds byte `offset` of m, or -1. A body owns
 * (start, end]: libwabt reports a missing END at the body's end offset, which
 * is also where the next body's size starts, and no error points at a size.
 * Bodies are in offset order, so a binary search keeps this cheap. */
static long func_at(const tw_module *m, uint64_t offset) {
  size_t lo = 0, hi = m->nbodies;
  while (lo < hi) {
    const size_t mid = lo + (hi - lo) / 2;
    if (offset <= m->bodies[mid].start) hi = mid;
    else if (offset > m->bodies[mid].end) lo = mid + 1;
    else return (long)(m->nfunc_imports + mid);
  }
  return -1;
}

/* --verify=full: libwabt reads and validates the whole output with every
 * feature it knows. */
static bool verify_full(tw_result *r, const uint8_t *out, size_t n) {
  if (r->m.wabt_gap) {
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0,
               "cannot verify fully: the module uses %s, which libwabt 1.0.32 cannot read "
               "(--verify=fast checks what wasm-taskwrap wrote)", r->m.wabt_gap);
    return false;
  }
  tw_wabt_diag d = {0};
  const tw_wabt_status st = tw_wabt_validate(out, n, &d);
  switch (st) {
  case TW_WABT_OK: return true;
  case TW_WABT_UNAVAILABLE:
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0, "cannot verify fully: built without libwabt");
    return false;
  case TW_WABT_NOMEM: tw_err_set(&r->err, TW_ERR_NOMEM, 0, "%s", d.message); return false;
  case TW_WABT_CRASHED:
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0, "cannot verify fully: %s", d.message);
    return false;
  case TW_WABT_GAP:
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, d.offset,
               "cannot verify fully: the module uses %s, which libwabt 1.0.32 refuses "
               "(--verify=fast checks what wasm-taskwrap wrote)", d.message);
    return false;
  default: break;
  }
  /* Name the function: parse the output's framing to map the offset. */
  tw_module om;
  tw_err scratch = {0};
  long fn = -1;
  if (tw_module_parse(&om, out, n, &scratch)) {
    fn = func_at(&om, d.offset);
    tw_module_free(&om);
  }
  const char *what = st == TW_WABT_UNREADABLE ? "libwabt cannot read the output" : "libwabt";
  if (fn >= 0)
    tw_err_set(&r->err, TW_ERR_VERIFY, d.offset, "verification failed: %s: function %ld: %s", what,
               fn, d.message);
  else
    tw_err_set(&r->err, TW_ERR_VERIFY, d.offset, "verification failed: %s: %s", what, d.message);
  return false;
}

static bool options_ok(tw_result *r, const tw_options *opts) {
  if (opts->abi > TW_ABI_INIT_TASK || opts->verify > TW_VERIFY_FULL) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "invalid options");
    return false;
  }
  if (opts->stub_wasi == 0 && (opts->stub_output_module || opts->stub_output_name)) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "an output import needs stub_wasi");
    return false;
  }
  if (opts->stub_wasi == 0 &&
      (opts->stub_args_count || opts->stub_env_count || opts->stub_dirs_count)) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "embedded arguments, environment or directories "
                                               "need stub_wasi");
    return false;
  }
  if ((opts->stub_output_module == NULL) != (opts->stub_output_name == NULL)) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "the output import needs a module and a name");
    return false;
  }
  const char *problem = NULL;
  if (opts->stub_output_module)
    problem = tw_output_import_problem(opts->stub_output_module, opts->stub_output_name);
  if (problem) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "the output import: %s", problem);
    return false;
  }
  return true;
}

/* Every planner into the one edit, in order, then its one numbering. Errors
 * point into the input. */
static bool plan(tw_result *r, const tw_options *o) {
  tw_edit *e = &r->edit;
  const bool host = o->init_once || o->stub_wasi || o->strip_debug;
  /* A module with nothing to rewrite is copied whatever its contents hold
   * (prepare parses only its framing and exports strictly); the host
   * features rewrite every module, so they need all of it. */
  if (host && !tw_module_refuse_content(&r->m, &r->err)) return false;
  if (!tw_edit_init(e, &r->m, &r->err)) return false;
  r->have_edit = true;
  if (host && !tw_plan_refuse_relocatable(&r->m, &r->err)) return false;
  if (!tw_plan_task_hooks(e, o, &r->err)) return false;
  if (o->abi != TW_ABI_AUTO && e->abi == TW_ABI_NONE)
    tw_result_warn(r, "--abi %s: the module does not export %s; nothing to do", tw_abi_name(o->abi),
                   o->abi == TW_ABI_TASK_HOOK ? "__wasm_task_hook" : "__wasm_init_task");
  if (o->init_once && !tw_plan_init_once(e, &r->err)) return false;
  if (o->stub_wasi && !tw_plan_stub_wasi(e, o, &r->err)) return false;
  if (o->stub_wasi && e->nstubs == 0)
    tw_result_warn(r, "--stub-wasi: the module imports no wasi_snapshot_preview1 function; "
                      "there is nothing to stub");
  if (o->strip_debug) tw_plan_strip_debug(e);
  return tw_edit_finalise(e, &r->err);
}

/* A file read on demand: enough of its start for looks_like_text (white
 * space, then two bytes), and all of it when it is text, which libwabt
 * assembles in memory. A binary module is read by the parser as it goes. */
static void read_start(tw_result *r) {
  struct tw_source *src = r->in.src;
  const uint8_t *p = r->input;
  size_t n = r->input_size < 4096 ? r->input_size : 4096;
  for (;;) {
    tw_source_need(src, 0, n);
    if (blank_end(p, n) + 2 <= n || n == r->input_size) break;
    n = n < r->input_size / 2 ? n * 2 : r->input_size;
  }
  if (looks_like_text(p, n)) tw_source_need(src, 0, r->input_size);
}

/* Read, assemble if text, parse and plan. */
static bool prepare(tw_result *r, const uint8_t *data, size_t size, const tw_options *opts) {
  r->opts = *opts;
  r->opts.input_name = NULL;
  if (data == NULL && size != 0) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "no input bytes");
    return false;
  }
  if (!options_ok(r, opts)) return false;
  r->input = data ? data : (const uint8_t *)"";
  r->input_size = size;
  if (r->in.src && r->input == r->in.data) read_start(r);
  if (looks_like_text(r->input, size) && !assemble_text(r, opts, r->input, size)) return false;
  if (!tw_module_parse_framing(&r->m, r->input, r->input_size,
                               r->input == r->in.data ? r->in.src : NULL, &r->err))
    return false;
  r->have_module = true;
  return plan(r, opts) && tw_report_build(r);
}

static void emit_warnings(tw_result *r) {
  const tw_edit *e = &r->edit;
  const tw_module *m = &r->m;
  for (uint32_t k = 0; k < e->nfns; k++) {
    const tw_fn *f = &e->fns[k];
    if (f->kind != TW_FN_STUB || !f->signature_mismatch) continue;
    char type[200] = "";
    const tw_functype *t = tw_module_func_type(m, f->import_func);
    if (t) tw_module_format_type(m, t, type, sizeof type);
    const char *does = f->stub == TW_STUB_TRAP        ? "traps"
                     : f->stub == TW_STUB_NO_RESULT ? "returns nothing"
                     : f->stub == TW_STUB_EBADF     ? "returns EBADF (8)"
                                                    : "returns ENOSYS (52)";
    const tw_import *im = &m->imports[f->import_i];
    tw_result_warn(r, "--stub-wasi: wasi_snapshot_preview1.%.*s has type %s, not WASI's: its stub %s",
                   (int)im->name_len, (const char *)m->data + im->name, type, does);
  }
  /* Only DWARF refers to code offsets (metadata.code.* is dropped when
   * renumbered): without it, bodies that move are nobody's concern. */
  if (r->out.code_moved && e->has_dwarf && !e->dropped_debug)
    tw_result_warn(r, "DWARF code offsets change (a function index or the function count no "
                      "longer fits its LEB128): the .debug_* sections are stale; --strip-debug "
                      "drops them");
  if (e->names_unusable)
    tw_result_warn(r, "the name section is malformed: left unchanged, new functions are unnamed");
  if (e->names_dropped)
    tw_result_warn(r, "dropped the name section: it cannot be renumbered (malformed or unsorted)");
  if (e->dropped_code_metadata)
    tw_result_warn(r, "dropped the metadata.code.* sections: their function indices and offsets "
                      "change");
}

/* All of a file read on demand, for those who read the input's bytes
 * without the module's parse (the output as bytes, tw_result_input). */
static void read_all(const tw_result *r) {
  if (r->in.src && r->input == r->in.data) tw_source_need(r->in.src, 0, r->input_size);
}

/* A file read on demand must still be the file that was read. If it changed,
 * that is the error, whatever else failed: bytes read after the change may
 * have made a valid module look malformed. */
static bool input_unchanged(tw_result *r, tw_err *err) {
  tw_err changed = {0};
  if (tw_input_check(&r->in, "rewritten", &changed)) return true;
  *err = changed;
  r->err_line = r->err_column = 0;
  return false;
}

/* The output's bytes, made once (for callers that want bytes, --verify=full
 * and text output). */
static const uint8_t *flatten(tw_result *r, size_t *n) {
  read_all(r);
  if (r->output_is_input) {
    *n = r->input_size;
    return r->input;
  }
  if (!r->flat) {
    r->flat = malloc(r->out.size ? (size_t)r->out.size : 1);
    if (!r->flat || !tw_out_read(&r->out, r->input, 0, r->flat, (size_t)r->out.size)) {
      free(r->flat);
      r->flat = NULL;
      *n = 0;
      return NULL;
    }
  }
  *n = (size_t)r->out.size;
  return r->flat;
}

/* Text output and --verify=full hand the whole module to libwabt: a module
 * copied for having nothing to rewrite must then be well formed too, and
 * its first error is told in our words, at its offset (prepare). */
static bool whole_module(tw_result *r) {
  return !r->have_module || tw_module_refuse_content(&r->m, &r->err);
}

static bool rewrite(tw_result *r, const uint8_t *data, size_t size, const tw_options *opts) {
  if (!prepare(r, data, size, opts)) return false;
  if (!r->edit.changes) {
    r->output_is_input = true; /* byte-identical by construction */
  } else {
    if (!tw_emit(&r->m, &r->edit, &r->out, &r->err)) return false;
    emit_warnings(r);
  }
  /* Full: the independent, complete validator first, so that what it finds
   * is reported in its words; then the check of every byte. */
  if (opts->verify == TW_VERIFY_FULL) {
    size_t n = 0;
    if (!whole_module(r)) return false;
    const uint8_t *bytes = flatten(r, &n);
    if (!bytes) return tw_err_set(&r->err, TW_ERR_NOMEM, 0, "out of memory"), false;
    if (!verify_full(r, bytes, n)) return false;
  }
  if (r->output_is_input || opts->verify == TW_VERIFY_NONE) return true;
  if (tw_verify_segments(&r->m, &r->edit, &r->out, &r->err)) return true;
  /* The offset is in the output, which is not written: say so (a failure
   * here is wasm-taskwrap's own fault, never the input's). */
  char msg[sizeof r->err.message + 80];
  snprintf(msg, sizeof msg, "verification failed at byte 0x%llx of the output (not written): %s",
           (unsigned long long)r->err.offset, r->err.message);
  const size_t n = strnlen(msg, sizeof r->err.message - 1); /* cut to fit */
  memcpy(r->err.message, msg, n);
  r->err.message[n] = 0;
  return false;
}

static tw_result *new_result(tw_result **out) {
  if (out == NULL) return NULL;
  tw_result *r = calloc(1, sizeof *r);
  *out = r;
  if (r) r->in.fd = -1;
  return r;
}

tw_status tw_rewrite(const uint8_t *data, size_t size, const tw_options *opts, tw_result **out) {
  if (out == NULL) return TW_ERR_INVALID_ARG;
  tw_result *r = new_result(out);
  if (r == NULL) return TW_ERR_NOMEM;
  tw_options defaults;
  tw_options_init(&defaults);
  rewrite(r, data, size, opts ? opts : &defaults);
  return finish(r);
}

tw_status tw_rewrite_file(const char *path, const tw_options *opts, tw_result **out) {
  if (out == NULL) return TW_ERR_INVALID_ARG;
  tw_result *r = new_result(out);
  if (r == NULL) return TW_ERR_NOMEM;
  tw_options defaults;
  tw_options_init(&defaults);
  if (!path) tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "no input file");
  else if (tw_input_open(&r->in, path, TW_INPUT_ON_DEMAND, "input", &r->err)) {
    rewrite(r, r->in.data, r->in.size, opts ? opts : &defaults);
    input_unchanged(r, &r->err);
  }
  return finish(r);
}

/* --check: plan as a rewrite would, then verify the given output. */
static bool check(tw_result *r, const uint8_t *data, size_t size, const uint8_t *output,
                  size_t out_size, const tw_options *opts) {
  if (!prepare(r, data, size, opts)) return false;
  if (opts->verify == TW_VERIFY_FULL && !whole_module(r)) return false;
  if (!output && out_size) return tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "no output bytes"), false;
  if (r->edit.changes)
    return tw_verify_bytes(&r->m, &r->edit, output, out_size, &r->err) &&
           (opts->verify != TW_VERIFY_FULL || verify_full(r, output, out_size));
  /* Nothing to rewrite: the output must be the input, byte for byte. */
  const size_t n = out_size < r->input_size ? out_size : r->input_size;
  for (size_t i = 0; i < n; i++)
    if (output[i] != r->input[i])
      return tw_err_set(&r->err, TW_ERR_VERIFY, i,
                        "verification failed: nothing is rewritten, so the output must be the "
                        "input, which has 0x%02x here", r->input[i]), false;
  if (out_size != r->input_size)
    return tw_err_set(&r->err, TW_ERR_VERIFY, n,
                      "verification failed: nothing is rewritten, so the output must be the "
                      "input, which is %zu bytes long", r->input_size), false;
  return opts->verify != TW_VERIFY_FULL || verify_full(r, output, out_size);
}

tw_status tw_check(const uint8_t *input, size_t input_size, const uint8_t *output,
                   size_t output_size, const tw_options *opts, tw_result **out) {
  if (out == NULL) return TW_ERR_INVALID_ARG;
  tw_result *r = new_result(out);
  if (r == NULL) return TW_ERR_NOMEM;
  tw_options defaults;
  tw_options_init(&defaults);
  check(r, input, input_size, output, output_size, opts ? opts : &defaults);
  r->checked = true;
  return finish(r);
}

tw_status tw_check_files(const char *input, const char *output, const tw_options *opts,
                         tw_result **out) {
  if (out == NULL) return TW_ERR_INVALID_ARG;
  tw_result *r = new_result(out);
  if (r == NULL) return TW_ERR_NOMEM;
  tw_options defaults;
  tw_options_init(&defaults);
  tw_input o = {0};
  o.fd = -1;
  if (!input || !output) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "no file");
  } else if (tw_input_open(&r->in, input, TW_INPUT_WHOLE, "input", &r->err)) {
    tw_err err = {0};
    if (tw_input_open(&o, output, TW_INPUT_WHOLE, "output", &err)) {
      check(r, r->in.data, r->in.size, o.data, o.size, opts ? opts : &defaults);
      r->checked = true;
    } else {
      r->err = err;
      r->output_error = true;
    }
  }
  tw_input_close(&o);
  return finish(r);
}

tw_status tw_result_status(const tw_result *r) { return r ? r->err.code : TW_ERR_NOMEM; }
int tw_result_error_line(const tw_result *r) { return r ? r->err_line : 0; }
int tw_result_error_column(const tw_result *r) { return r ? r->err_column : 0; }
int tw_result_input_was_text(const tw_result *r) { return r && r->was_text; }
uint64_t tw_result_error_offset(const tw_result *r) { return r ? r->err.offset : 0; }

const char *tw_result_error_message(const tw_result *r) {
  if (!r) return "out of memory";
  return r->err.code == TW_OK ? "" : r->err.message;
}

tw_status tw_result_output_text(tw_result *r, const char **text, size_t *size) {
  if (!r || r->err.code != TW_OK) return r ? r->err.code : TW_ERR_NOMEM;
  if (!whole_module(r)) return r->err.code;
  if (!r->out_text) {
    size_t n = 0;
    const uint8_t *bin = tw_result_output(r, &n);
    if (!bin) return tw_err_set(&r->err, TW_ERR_NOMEM, 0, "out of memory"), TW_ERR_NOMEM;
    tw_wabt_diag d = {0};
    const tw_wabt_status st = tw_wabt_wasm_to_wat(bin, n, &r->out_text, &r->out_text_size, &d);
    if (st != TW_WABT_OK) {
      const tw_status code = st == TW_WABT_NOMEM ? TW_ERR_NOMEM : TW_ERR_UNSUPPORTED;
      tw_err_set(&r->err, code, d.offset, "cannot write the output as text: %s", d.message);
      return code;
    }
  }
  *text = r->out_text;
  if (size) *size = r->out_text_size;
  return TW_OK;
}

const uint8_t *tw_result_output(const tw_result *r, size_t *size) {
  if (!r || r->err.code != TW_OK || r->checked) {
    if (size) *size = 0;
    return NULL;
  }
  size_t n = 0;
  const uint8_t *p = flatten((tw_result *)r, &n);
  if (size) *size = p ? n : 0;
  return p;
}

int tw_result_changed(const tw_result *r) {
  return r && r->err.code == TW_OK && !r->checked && !r->output_is_input;
}

size_t tw_result_segment_count(const tw_result *r) {
  if (!r || r->err.code != TW_OK || r->checked) return 0;
  return r->output_is_input ? (r->input_size > 0) : r->out.nsegs;
}

int tw_result_input_fd(const tw_result *r) { return r ? r->in.fd : -1; }

const uint8_t *tw_result_input(const tw_result *r, size_t *size) {
  if (size) *size = r ? r->input_size : 0;
  if (r) read_all(r);
  return r ? r->input : NULL;
}

int tw_result_segment(const tw_result *r, size_t i, tw_segment *seg) {
  if (!seg || i >= tw_result_segment_count(r)) return 0;
  if (r->output_is_input) {
    *seg = (tw_segment){TW_SEGMENT_INPUT, 0, NULL, r->input_size};
    return 1;
  }
  const tw_seg *s = &r->out.segs[i];
  if (s->kind == TW_SEG_INPUT)
    *seg = (tw_segment){TW_SEGMENT_INPUT, s->src, NULL, s->len};
  else
    *seg = (tw_segment){TW_SEGMENT_BYTES, 0, tw_out_seg_data(&r->out, s), s->len};
  return 1;
}

/* The writer takes the input ranges shorter than TW_WRITE_FROM_MEMORY_MAX
 * from memory: read those of a file read on demand in first (the longer
 * ones it copies from the file). */
static void read_short_ranges(const tw_result *r, const tw_out *o) {
  if (!r->in.src || r->input != r->in.data) return;
  for (size_t i = 0; i < o->nsegs; i++) {
    const tw_seg *s = &o->segs[i];
    if (s->kind == TW_SEG_INPUT && s->len < TW_WRITE_FROM_MEMORY_MAX)
      tw_source_need(r->in.src, (size_t)s->src, s->len);
  }
}

static bool write_segments(tw_result *r, const tw_out *o, int fd, tw_err *err) {
  /* The input file holds the input's bytes unless it was text. */
  const int in_fd = r->input == r->in.data ? r->in.fd : -1;
  read_short_ranges(r, o);
  const bool ok = tw_write_segments(o, r->input, in_fd, fd, err);
  /* Last, before the caller renames the file into place or ends the
   * stream: what was copied from the input file is what was checked. */
  return input_unchanged(r, err) && ok;
}

/* The whole output to fd: segments, with input ranges copied from the input
 * file when there is one. */
static bool write_to(int fd, void *ctx, tw_err *err) {
  tw_result *r = ctx;
  if (r->output_is_input) {
    tw_out whole = {0};
    tw_out_input(&whole, 0, r->input_size);
    const bool ok = !whole.failed && write_segments(r, &whole, fd, err);
    tw_out_free(&whole);
    return ok;
  }
  return write_segments(r, &r->out, fd, err);
}

tw_status tw_result_write(tw_result *r, const char *path) {
  if (!r || r->err.code != TW_OK || r->checked || !path) return r ? TW_ERR_INVALID_ARG : TW_ERR_NOMEM;
  if (!tw_input_release(&r->in, path, &r->err)) return r->write_error = true, r->err.code;
  if (!tw_write_atomic(path, r->opts.fsync, &r->err, write_to, r)) return r->write_error = true, r->err.code;
  return TW_OK;
}

tw_status tw_result_write_fd(tw_result *r, int fd) {
  if (!r || r->err.code != TW_OK || r->checked) return r ? TW_ERR_INVALID_ARG : TW_ERR_NOMEM;
  if (!write_to(fd, r, &r->err)) return r->write_error = true, r->err.code;
  return TW_OK;
}

/* The text, streamed from libwabt's worker into fd as it is made: nothing
 * of it is held here. When libwabt aborts (the known aborts come from the
 * name section, read before anything is written), the text is made again
 * without names, if nothing was written yet: in our own temporary file,
 * which is truncated, or at a caller's descriptor whose offset has not
 * moved. */
static bool write_text(int fd, tw_result *r, bool own_file, tw_err *err) {
  size_t n = 0;
  const uint8_t *bin = flatten(r, &n);
  if (!bin) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  tw_wabt_diag d = {0};
  const long long before = tw_plat_tell(fd);
  tw_wabt_status st = tw_wabt_wasm_to_wat_fd(bin, n, 1, fd, tw_write_stop, &d);
  if (st == TW_WABT_CRASHED &&
      (own_file ? tw_plat_empty(fd) : before >= 0 && tw_plat_tell(fd) == before))
    st = tw_wabt_wasm_to_wat_fd(bin, n, 0, fd, tw_write_stop, &d);
  switch (st) {
  case TW_WABT_OK: return true;
  case TW_WABT_NOMEM: tw_err_set(err, TW_ERR_NOMEM, 0, "%s", d.message); break;
  case TW_WABT_STOPPED: tw_err_set(err, TW_ERR_IO, 0, "interrupted by a signal"); break;
  case TW_WABT_IO: tw_err_set(err, TW_ERR_IO, 0, "%s", d.message); break;
  default:
    tw_err_set(err, TW_ERR_UNSUPPORTED, d.offset, "cannot write the output as text: %s",
               d.message);
  }
  return false;
}

static bool write_text_to(int fd, void *ctx, tw_err *err) {
  const bool ok = write_text(fd, ctx, true, err);
  return input_unchanged(ctx, err) && ok;
}

static bool write_text_to_stream(int fd, void *ctx, tw_err *err) {
  const bool ok = write_text(fd, ctx, false, err);
  return input_unchanged(ctx, err) && ok;
}

tw_status tw_result_write_text(tw_result *r, const char *path) {
  if (!r || !path) return r ? TW_ERR_INVALID_ARG : TW_ERR_NOMEM;
  if (r->err.code != TW_OK || r->checked) return TW_ERR_INVALID_ARG;
  if (!whole_module(r)) return r->err.code;
  if (!tw_write_atomic(path, r->opts.fsync, &r->err, write_text_to, r))
    return r->write_error = r->err.code == TW_ERR_IO || r->err.code == TW_ERR_CHANGED, r->err.code;
  return TW_OK;
}

tw_status tw_result_write_text_fd(tw_result *r, int fd) {
  if (!r || r->err.code != TW_OK || r->checked) return r ? TW_ERR_INVALID_ARG : TW_ERR_NOMEM;
  if (!whole_module(r)) return r->err.code;
  if (!write_text_to_stream(fd, r, &r->err))
    return r->write_error = r->err.code == TW_ERR_IO || r->err.code == TW_ERR_CHANGED, r->err.code;
  return TW_OK;
}

int tw_result_error_in_output(const tw_result *r) {
  return r && r->err.code != TW_OK && (r->output_error || r->err.code == TW_ERR_VERIFY ||
                                       r->write_error);
}

void tw_result_free(tw_result *r) {
  if (!r) return;
  tw_out_free(&r->out);
  free(r->flat);
  tw_report_free(r);
  for (size_t i = 0; i < r->nwarnings; i++) free(r->warnings[i]);
  free(r->warnings);
  free(r->assembled);
  free(r->out_text);
  if (r->have_edit) tw_edit_free(&r->edit);
  if (r->have_module) tw_module_free(&r->m);
  tw_input_close(&r->in);
  free(r);
}
