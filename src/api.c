/* The public entry points of include/taskwrap.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tw_internal.h"

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
  if (opts->abi > TW_ABI_INIT_TASK || opts->verify > TW_VERIFY_NONE) {
    tw_err_set(&r->err, TW_ERR_INVALID_ARG, 0, "invalid options");
    return finish(r, r->err.code);
  }
  r->input = data;
  r->input_size = size;

  tw_module m;
  if (!tw_module_parse(&m, data ? data : (const uint8_t *)"", size, &r->err))
    return finish(r, r->err.code);
  bool ok = tw_plan_build(&r->plan, &m, opts, &r->err);
  if (ok && opts->abi != TW_ABI_AUTO && r->plan.abi == TW_ABI_NONE)
    add_warning(r, "--abi %s: the module does not export %s; nothing to do", tw_abi_name(opts->abi),
                opts->abi == TW_ABI_TASK_HOOK ? "__wasm_task_hook" : "__wasm_init_task");
  if (ok && !r->plan.changes) {
    r->output_is_input = true; /* byte-identical by construction */
  } else if (ok) {
    tw_emit_notes notes;
    ok = tw_emit(&m, &r->plan, &r->output, &notes, &r->err);
    if (ok && notes.code_count_widened)
      add_warning(r,
                  "the code section's function count no longer fits its %zu-byte LEB128; "
                  "DWARF code offsets of existing functions shift by the difference",
                  m.code_count_width);
    if (ok && notes.names_unusable)
      add_warning(r, "the name section is malformed: left unchanged, wrappers are unnamed");
    if (ok && tw_test_corrupt_output) tw_test_corrupt_output(r->output.data, r->output.len);
    if (ok && opts->verify == TW_VERIFY_FAST)
      ok = tw_verify_output(&m, &r->plan, r->output.data, r->output.len, &r->err);
  }
  tw_module_free(&m);
  return finish(r, ok ? TW_OK : r->err.code);
}

tw_status tw_result_status(const tw_result *r) { return r ? r->err.code : TW_ERR_NOMEM; }
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
  char tmp[48];
  int n = snprintf(tmp, sizeof tmp, fmt, v);
  if (n > 0) tw_buf_put(b, tmp, (size_t)n);
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
  put_str(&b, "]}\n");
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
  free(r);
}
