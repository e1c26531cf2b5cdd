/* The public entry points of include/taskwrap.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tw_internal.h"
#include "wabt_bridge.h"

struct tw_result {
  tw_err err;
  tw_buf output;
  bool output_is_input; /* nothing changed: output aliases the input */
  const uint8_t *input;
  size_t input_size;
  tw_plan plan;
  char **warnings;
  size_t nwarnings;
  char *plan_text;
  char *plan_json;
  uint8_t *assembled; /* text input: the binary libwabt made of it */
  bool was_text;
  int err_line, err_column;
  char *out_text;
  size_t out_text_size;
  tw_host host;         /* --init-once / --stub-wasi stage */
  tw_buf stage_input;   /* that stage's input, when the task-hook stage changed it */
};

void (*tw_test_corrupt_output)(uint8_t *data, size_t size) = NULL;

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
  }
  return "unknown";
}

static void add_warning(tw_result *r, const char *fmt, ...) TW_PRINTF(2, 3);
static void add_warning(tw_result *r, const char *fmt, ...) {
  char **w = realloc(r->warnings, (r->nwarnings + 1) * sizeof *w);
  if (!w) return; /* a warning is not worth failing the rewrite for */
  r->warnings = w;
  char *msg = malloc(320);
  if (!msg) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, 320, fmt, ap);
  va_end(ap);
  w[r->nwarnings++] = msg;
}

static tw_status finish(tw_result *r, tw_status st) {
  if (st != TW_OK) {
    tw_buf_free(&r->output);
    r->output_is_input = false;
  }
  return st;
}

int tw_have_wabt(void) { return tw_wabt_available(); }

/* The text format starts with "(" or a comment, after optional white space;
 * a binary module starts with "\0asm". (Content decides, not the name.) */
static bool looks_like_text(const uint8_t *p, size_t n) {
  size_t i = 0;
  if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) i = 3; /* UTF-8 BOM */
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) i++;
  return i < n && (p[i] == '(' || (p[i] == ';' && i + 1 < n && p[i + 1] == ';'));
}

static bool assemble_text(tw_result *r, const tw_options *opts, const uint8_t *data, size_t size) {
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
  if (st == TW_WABT_UNAVAILABLE)
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0, "text input needs libwabt, and this build has none");
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
 * feature it knows (issue 4). */
static bool verify_full(tw_result *r, const tw_module *in, const uint8_t *out, size_t n) {
  if (in->wabt_gap) {
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0,
               "cannot verify fully: the module uses %s, which libwabt 1.0.32 cannot read "
               "(--verify=fast checks what wasm-taskwrap wrote)", in->wabt_gap);
    return false;
  }
  tw_wabt_diag d = {0};
  const tw_wabt_status st = tw_wabt_validate(out, n, &d);
  if (st == TW_WABT_OK) return true;
  if (st == TW_WABT_UNAVAILABLE) {
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0, "cannot verify fully: built without libwabt");
    return false;
  }
  if (st == TW_WABT_NOMEM) {
    tw_err_set(&r->err, TW_ERR_NOMEM, 0, "%s", d.message);
    return false;
  }
  if (st == TW_WABT_CRASHED) {
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, 0, "cannot verify fully: %s", d.message);
    return false;
  }
  if (st == TW_WABT_GAP) {
    tw_err_set(&r->err, TW_ERR_UNSUPPORTED, d.offset,
               "cannot verify fully: the module uses %s, which libwabt 1.0.32 refuses "
               "(--verify=fast checks what wasm-taskwrap wrote)", d.message);
    return false;
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

/* The task-hook plan, with the warning for an --abi the module lacks. */
static bool plan_task_hooks(tw_result *r, const tw_module *m, const tw_options *opts) {
  if (!tw_plan_build(&r->plan, m, opts, &r->err)) return false;
  if (opts->abi != TW_ABI_AUTO && r->plan.abi == TW_ABI_NONE)
    add_warning(r, "--abi %s: the module does not export %s; nothing to do", tw_abi_name(opts->abi),
                opts->abi == TW_ABI_TASK_HOOK ? "__wasm_task_hook" : "__wasm_init_task");
  return true;
}

/* The task-hook output into out, with the emitter's warnings. */
static bool emit_task_hooks(tw_result *r, const tw_module *m, tw_buf *out) {
  tw_emit_notes notes;
  if (!tw_emit(m, &r->plan, out, &notes, &r->err)) return false;
  if (notes.code_count_widened)
    add_warning(r,
                "the code section's function count no longer fits its %zu-byte LEB128; "
                "DWARF code offsets of existing functions shift by the difference",
                m->code_count_width);
  if (notes.names_unusable)
    add_warning(r, "the name section is malformed: left unchanged, wrappers are unnamed");
  return true;
}

/* Warnings of the host stage. */
static void host_warnings(tw_result *r, const tw_module *m, const tw_host *h,
                          const tw_options *opts) {
  for (uint32_t i = 0; i < h->nstubs; i++) {
    const tw_host_stub *s = &h->stubs[i];
    if (!s->signature_mismatch) continue;
    char type[200] = "";
    const tw_functype *t = tw_module_func_type(m, s->import_func);
    if (t) tw_module_format_type(m, t, type, sizeof type);
    const char *does = s->kind == TW_STUB_TRAP        ? "traps"
                     : s->kind == TW_STUB_NO_RESULT ? "returns nothing"
                     : s->kind == TW_STUB_EBADF     ? "returns EBADF (8)"
                                                    : "returns ENOSYS (52)";
    add_warning(r, "--stub-wasi: wasi_snapshot_preview1.%.*s has type %s, not WASI's: its stub %s",
                (int)s->name_len, (const char *)m->data + s->name, type, does);
  }
  if (h->has_dwarf && h->code_moved && !opts->strip_debug)
    add_warning(r, "DWARF code offsets change (a function index or the function count no longer "
                   "fits its LEB128): the .debug_* sections are stale; --strip-debug drops them");
  if (h->dropped_branch_hints)
    add_warning(r, "dropped the metadata.code.* sections: their function indices and offsets "
                   "change");
  if (h->names_dropped)
    add_warning(r, "dropped the name section: it cannot be renumbered (malformed or unsorted)");
}

/* Remap the task-hook plan's wrapper indices to the final output. */
static void remap_plan(tw_plan *p, const tw_host *h) {
  for (size_t i = 0; i < p->nentries; i++)
    if (p->entries[i].wrapper >= 0 && p->entries[i].wrapper < (int64_t)h->nold)
      p->entries[i].wrapper = h->map[p->entries[i].wrapper];
}

/* The task-hook stage, then --init-once / --stub-wasi (src/host.c) on its
 * output: the guard then calls the task wrappers, so _initialize runs as a
 * task of its own before the export's task (README, "Order of calls"). */
static bool rewrite_for_hosts(tw_result *r, const tw_module *m, const tw_options *opts) {
  bool ok = plan_task_hooks(r, m, opts);
  tw_module stage;
  const tw_module *in = m;
  if (ok && r->plan.changes) {
    ok = emit_task_hooks(r, m, &r->stage_input) &&
         (opts->verify == TW_VERIFY_NONE ||
          tw_verify_output(m, &r->plan, r->stage_input.data, r->stage_input.len, &r->err)) &&
         tw_module_parse(&stage, r->stage_input.data, r->stage_input.len, &r->err);
    if (!ok) return false;
    in = &stage;
  }
  tw_host *h = &r->host;
  ok = ok && tw_host_plan(h, in, opts, &r->err) && tw_host_emit(in, h, opts, &r->output, &r->err);
  if (ok) {
    host_warnings(r, in, h, opts);
    remap_plan(&r->plan, h);
    if (tw_test_corrupt_output) tw_test_corrupt_output(r->output.data, r->output.len);
  }
  if (ok && opts->verify == TW_VERIFY_FULL)
    ok = verify_full(r, m, r->output.data, r->output.len);
  if (ok && opts->verify != TW_VERIFY_NONE && h->active)
    ok = tw_host_verify(in, h, opts, r->output.data, r->output.len, &r->err);
  /* Only --strip-debug and nothing to strip: the output is the input. */
  if (ok && r->output.len == r->input_size && memcmp(r->output.data, r->input, r->input_size) == 0) {
    tw_buf_free(&r->output);
    r->output_is_input = true;
  }
  if (in == &stage) tw_module_free(&stage);
  return ok;
}

tw_status tw_rewrite(const uint8_t *data, size_t size, const tw_options *opts, tw_result **out) {
  if (out == NULL) return TW_ERR_INVALID_ARG;
  tw_result *r = calloc(1, sizeof *r);
  *out = r;
  if (r == NULL) return TW_ERR_NOMEM;
  tw_options defaults;
  tw_options_init(&defaults);
  if (opts == NULL) opts = &defaults;
  if (data == NULL && size != 0) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "no input bytes");
    return finish(r, r->err.code);
  }
  if (opts->abi > TW_ABI_INIT_TASK || opts->verify > TW_VERIFY_FULL) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "invalid options");
    return finish(r, r->err.code);
  }
  r->input = data;
  r->input_size = size;
  if (looks_like_text(data, size) && !assemble_text(r, opts, data, size))
    return finish(r, r->err.code);

  if (opts->stub_wasi == 0 && (opts->stub_output_module || opts->stub_output_name)) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "an output import needs stub_wasi");
    return finish(r, r->err.code);
  }
  if ((opts->stub_output_module == NULL) != (opts->stub_output_name == NULL)) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "the output import needs a module and a name");
    return finish(r, r->err.code);
  }

  tw_module m;
  if (!tw_module_parse(&m, r->input ? r->input : (const uint8_t *)"", r->input_size, &r->err))
    return finish(r, r->err.code);
  if (opts->init_once || opts->stub_wasi || opts->strip_debug) {
    const bool ok = rewrite_for_hosts(r, &m, opts);
    tw_module_free(&m);
    return finish(r, ok ? TW_OK : r->err.code);
  }
  bool ok = plan_task_hooks(r, &m, opts);
  if (ok && !r->plan.changes) {
    r->output_is_input = true; /* byte-identical by construction */
  } else if (ok) {
    ok = emit_task_hooks(r, &m, &r->output);
    if (ok && tw_test_corrupt_output) tw_test_corrupt_output(r->output.data, r->output.len);
  }
  /* Full: the independent, complete validator first, so that what it finds
   * is reported in its words; then the ABI-specific structural check. */
  if (ok && opts->verify == TW_VERIFY_FULL) {
    const bool same = r->output_is_input;
    ok = verify_full(r, &m, same ? r->input : r->output.data, same ? r->input_size : r->output.len);
  }
  if (ok && !r->output_is_input && opts->verify != TW_VERIFY_NONE)
    ok = tw_verify_output(&m, &r->plan, r->output.data, r->output.len, &r->err);
  tw_module_free(&m);
  return finish(r, ok ? TW_OK : r->err.code);
}

tw_status tw_result_status(const tw_result *r) { return r ? r->err.code : TW_ERR_NOMEM; }
int tw_result_error_line(const tw_result *r) { return r ? r->err_line : 0; }
int tw_result_error_column(const tw_result *r) { return r ? r->err_column : 0; }
int tw_result_input_was_text(const tw_result *r) { return r && r->was_text; }

tw_status tw_result_output_text(tw_result *r, const char **text, size_t *size) {
  if (!r || r->err.code != TW_OK) return r ? r->err.code : TW_ERR_NOMEM;
  if (!r->out_text) {
    size_t n = 0;
    const uint8_t *bin = tw_result_output(r, &n);
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
uint64_t tw_result_error_offset(const tw_result *r) { return r ? r->err.offset : 0; }

const char *tw_result_error_message(const tw_result *r) {
  if (!r) return "out of memory";
  return r->err.code == TW_OK ? "" : r->err.message;
}

const uint8_t *tw_result_output(const tw_result *r, size_t *size) {
  if (!r || r->err.code != TW_OK) {
    if (size) *size = 0;
    return NULL;
  }
  if (r->output_is_input) {
    if (size) *size = r->input_size;
    return r->input;
  }
  if (size) *size = r->output.len;
  return r->output.data;
}

int tw_result_changed(const tw_result *r) {
  return r && r->err.code == TW_OK && !r->output_is_input;
}

tw_abi tw_result_abi(const tw_result *r) { return r ? r->plan.abi : TW_ABI_NONE; }

int tw_result_async_uses_init_task(const tw_result *r) {
  return r && r->plan.abi == TW_ABI_INIT_TASK && !r->plan.has_init_async;
}

size_t tw_result_plan_count(const tw_result *r) { return r ? r->plan.nentries : 0; }

const tw_plan_entry *tw_result_plan_entry(const tw_result *r, size_t i) {
  return r && i < r->plan.nentries ? &r->plan.entries[i] : NULL;
}

uint32_t tw_result_wrapper_count(const tw_result *r) { return r ? r->plan.nwrappers : 0; }
size_t tw_result_warning_count(const tw_result *r) { return r ? r->nwarnings : 0; }

const char *tw_result_warning(const tw_result *r, size_t i) {
  return r && i < r->nwarnings ? r->warnings[i] : NULL;
}

/* ---- plan rendering ---------------------------------------------------- */

/* Names are quoted with the escapes of the WebAssembly text format (and of
 * JSON, for json != 0) so that every line is unambiguous. */
static void put_quoted(tw_buf *b, const char *s, size_t n, bool json) {
  static const char hex[] = "0123456789abcdef";
  tw_buf_put_u8(b, '"');
  for (size_t i = 0; i < n; i++) {
    const uint8_t ch = (uint8_t)s[i];
    if (ch == '"' || ch == '\\') {
      tw_buf_put_u8(b, '\\');
      tw_buf_put_u8(b, ch);
    } else if (ch < 0x20 || ch == 0x7f) {
      if (json) {
        tw_buf_put(b, "\\u00", 4);
      } else {
        tw_buf_put_u8(b, '\\');
      }
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

static const char *kind_name(uint8_t kind) {
  static const char *const names[] = {"func", "table", "memory", "global", "tag"};
  return kind < 5 ? names[kind] : "?";
}

static char *finish_text(tw_buf *b) {
  tw_buf_put_u8(b, 0);
  if (b->failed) {
    tw_buf_free(b);
    return NULL;
  }
  return (char *)b->data;
}

/* The --init-once / --stub-wasi lines of the plan. */
static void put_host_text(tw_buf *b, const tw_result *r) {
  const tw_host *h = &r->host;
  if (!h->active) return;
  const uint8_t *data = r->stage_input.len ? r->stage_input.data : r->input;
  if (h->guard_global != UINT32_MAX) {
    put_fmt(b, "init-once _initialize=func:%lld", h->map[h->initialize]);
    put_fmt(b, " guard=global:%lld", h->guard_global);
    put_fmt(b, " guards=%lld\n", h->nguards);
  } else if (h->already_guarded) {
    put_fmt(b, "init-once already-guarded guard=global:%lld\n", h->already_guarded_global);
  }
  if (h->nstubs) {
    put_fmt(b, "stub-wasi stubs=%lld", h->nstubs);
    put_fmt(b, " exit-code=global:%lld", h->exit_global);
    put_str(b, " (\"" TW_EXIT_CODE_GLOBAL "\")");
    if (h->output_func != UINT32_MAX) put_fmt(b, " output=func:%lld", h->output_func);
    put_str(b, "\n");
  }
  for (uint32_t i = 0; i < h->nstubs; i++) {
    const tw_host_stub *s = &h->stubs[i];
    put_str(b, "stub ");
    put_quoted(b, (const char *)data + s->name, s->name_len, false);
    put_fmt(b, " func:%lld", s->import_func);
    put_fmt(b, " -> func:%lld ", s->index);
    put_str(b, tw_stub_kind_name(s->kind));
    put_str(b, s->signature_mismatch ? " (not WASI's type)\n" : "\n");
  }
  for (uint32_t i = 0; i < h->nguards; i++) {
    const tw_host_guard *g = &h->guards[i];
    put_fmt(b, "guard func:%lld", h->map[g->target]);
    put_fmt(b, " -> func:%lld\n", g->index);
  }
}

static void put_host_json(tw_buf *b, const tw_result *r) {
  const tw_host *h = &r->host;
  if (!h->active) return;
  const uint8_t *data = r->stage_input.len ? r->stage_input.data : r->input;
  put_str(b, ",\"host\":{");
  if (h->guard_global != UINT32_MAX) {
    put_fmt(b, "\"init_once\":{\"initialize\":%lld", h->map[h->initialize]);
    put_fmt(b, ",\"guard_global\":%lld,\"guards\":[", h->guard_global);
    for (uint32_t i = 0; i < h->nguards; i++) {
      put_fmt(b, i ? ",{\"target\":%lld" : "{\"target\":%lld", h->map[h->guards[i].target]);
      put_fmt(b, ",\"guard\":%lld}", h->guards[i].index);
    }
    put_str(b, "]}");
  } else {
    put_str(b, "\"init_once\":null");
  }
  if (h->exit_global != UINT32_MAX) put_fmt(b, ",\"exit_code_global\":%lld", h->exit_global);
  if (h->output_func != UINT32_MAX) put_fmt(b, ",\"output_import\":%lld", h->output_func);
  put_str(b, ",\"stubs\":[");
  for (uint32_t i = 0; i < h->nstubs; i++) {
    const tw_host_stub *s = &h->stubs[i];
    put_str(b, i ? ",{\"name\":" : "{\"name\":");
    put_quoted(b, (const char *)data + s->name, s->name_len, true);
    put_fmt(b, ",\"import\":%lld", s->import_func);
    put_fmt(b, ",\"func\":%lld,\"behaviour\":\"", s->index);
    put_str(b, tw_stub_kind_name(s->kind));
    put_str(b, s->signature_mismatch ? "\",\"wasi_type\":false}" : "\",\"wasi_type\":true}");
  }
  put_str(b, "]}");
}

const char *tw_result_plan_text(tw_result *r) {
  if (!r) return NULL;
  if (r->plan_text) return r->plan_text;
  tw_buf b = {0};
  const tw_plan *p = &r->plan;
  put_str(&b, "abi ");
  put_str(&b, tw_abi_name(p->abi));
  if (p->abi == TW_ABI_TASK_HOOK) put_fmt(&b, " hook=func:%lld", p->hook);
  if (p->abi == TW_ABI_INIT_TASK) {
    put_fmt(&b, " init=func:%lld", p->hook);
    if (p->has_init_async)
      put_fmt(&b, " init-async=func:%lld", p->init_async);
    else
      put_str(&b, " init-async=none (async exports use __wasm_init_task)");
  }
  put_fmt(&b, " wrappers=%lld\n", p->nwrappers);
  for (size_t i = 0; i < p->nentries; i++) {
    const tw_plan_entry *e = &p->entries[i];
    put_quoted(&b, e->name, e->name_len, false);
    put_str(&b, " ");
    put_str(&b, tw_role_name(e->role));
    put_str(&b, " ");
    put_str(&b, kind_name(e->kind));
    put_fmt(&b, ":%lld hooks=", e->index);
    put_str(&b, e->hooks);
    if (e->wrapper >= 0)
      put_fmt(&b, " wrapper=func:%lld", e->wrapper);
    else
      put_str(&b, " wrapper=-");
    if (e->removed) put_str(&b, " removed");
    if (e->already_wrapped) put_str(&b, " already-wrapped");
    put_str(&b, "\n");
  }
  put_host_text(&b, r);
  r->plan_text = finish_text(&b);
  return r->plan_text;
}

const char *tw_result_plan_json(tw_result *r) {
  if (!r) return NULL;
  if (r->plan_json) return r->plan_json;
  tw_buf b = {0};
  const tw_plan *p = &r->plan;
  put_str(&b, "{\"abi\":\"");
  put_str(&b, tw_abi_name(p->abi));
  put_str(&b, "\"");
  if (p->abi == TW_ABI_TASK_HOOK) put_fmt(&b, ",\"hook\":%lld", p->hook);
  if (p->abi == TW_ABI_INIT_TASK) {
    put_fmt(&b, ",\"init\":%lld", p->hook);
    if (p->has_init_async)
      put_fmt(&b, ",\"init_async\":%lld", p->init_async);
    else
      put_str(&b, ",\"init_async\":null");
    put_str(&b, p->has_init_async ? ",\"async_uses_init_task\":false"
                                   : ",\"async_uses_init_task\":true");
  }
  put_fmt(&b, ",\"wrappers\":%lld,\"exports\":[", p->nwrappers);
  for (size_t i = 0; i < p->nentries; i++) {
    const tw_plan_entry *e = &p->entries[i];
    put_str(&b, i ? ",\n{\"name\":" : "\n{\"name\":");
    put_quoted(&b, e->name, e->name_len, true);
    put_str(&b, ",\"kind\":\"");
    put_str(&b, kind_name(e->kind));
    put_fmt(&b, "\",\"index\":%lld,\"role\":\"", e->index);
    put_str(&b, tw_role_name(e->role));
    put_str(&b, "\",\"hooks\":");
    if (strcmp(e->hooks, "-") == 0) {
      put_str(&b, "null");
    } else {
      put_quoted(&b, e->hooks, strlen(e->hooks), true);
    }
    if (e->wrapper >= 0)
      put_fmt(&b, ",\"wrapper\":%lld", e->wrapper);
    else
      put_str(&b, ",\"wrapper\":null");
    put_str(&b, e->removed ? ",\"removed\":true" : ",\"removed\":false");
    put_str(&b, e->already_wrapped ? ",\"already_wrapped\":true}" : ",\"already_wrapped\":false}");
  }
  put_str(&b, "]");
  put_host_json(&b, r);
  put_str(&b, "}\n");
  r->plan_json = finish_text(&b);
  return r->plan_json;
}

void tw_result_free(tw_result *r) {
  if (!r) return;
  tw_buf_free(&r->output);
  tw_plan_free(&r->plan);
  for (size_t i = 0; i < r->nwarnings; i++) free(r->warnings[i]);
  free(r->warnings);
  free(r->plan_text);
  free(r->plan_json);
  free(r->assembled);
  free(r->out_text);
  tw_host_free(&r->host);
  tw_buf_free(&r->stage_input);
  free(r);
}
