/* Building the output: untouched sections are copied as input slices; the
 * function, export and code sections (and the name section's function-names
 * subsection) are rewritten, with existing entries still copied as ranges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tw_internal.h"

enum { OP_CALL = 0x10, OP_SELECT = 0x1b, OP_LOCAL_GET = 0x20, OP_LOCAL_SET = 0x21,
       OP_I32_CONST = 0x41, OP_END = 0x0b, VT_I32 = 0x7f };

static void put_hook(tw_buf *b, uint32_t hook, int32_t code) {
  tw_buf_put_u8(b, OP_I32_CONST);
  tw_buf_put_sleb(b, code);
  tw_buf_put_u8(b, OP_CALL);
  tw_buf_put_uleb(b, hook);
}

static void put_forward_call(tw_buf *b, uint32_t target, uint32_t nparams) {
  for (uint32_t i = 0; i < nparams; i++) {
    tw_buf_put_u8(b, OP_LOCAL_GET);
    tw_buf_put_uleb(b, i);
  }
  tw_buf_put_u8(b, OP_CALL);
  tw_buf_put_uleb(b, target);
}

/* `local.set r; H(r != 0 ? 4 : 5); local.get r`, computed the way
 * wit-component does: i32.const 4; i32.const 5; local.get r; select. */
static void put_callback_finish(tw_buf *b, uint32_t hook, uint32_t r) {
  tw_buf_put_u8(b, OP_LOCAL_SET);
  tw_buf_put_uleb(b, r);
  tw_buf_put_u8(b, OP_I32_CONST);
  tw_buf_put_sleb(b, 4);
  tw_buf_put_u8(b, OP_I32_CONST);
  tw_buf_put_sleb(b, 5);
  tw_buf_put_u8(b, OP_LOCAL_GET);
  tw_buf_put_uleb(b, r);
  tw_buf_put_u8(b, OP_SELECT);
  tw_buf_put_u8(b, OP_CALL);
  tw_buf_put_uleb(b, hook);
  tw_buf_put_u8(b, OP_LOCAL_GET);
  tw_buf_put_uleb(b, r);
}

/* ABI.md, "Task-hook ABI: wrapper bodies": H(start); call f; H(finish).
 * NO_HOOK leaves that side out; CALLBACK_RESULT is the finish hook chosen by
 * the callback result (4 or 5), which needs one extra i32 local. */
enum { NO_HOOK = -1, CALLBACK_RESULT = -2 };
static const struct {
  tw_role role;
  int start, finish;
} task_hook_bodies[] = {
    {TW_ROLE_SYNC, 0, 1},
    {TW_ROLE_SYNC_POST, 0, NO_HOOK}, /* the finish hook runs in the post-return wrapper */
    {TW_ROLE_POST_RETURN, NO_HOOK, 1},
    {TW_ROLE_ASYNC_CALLBACK, 2, CALLBACK_RESULT},
    {TW_ROLE_CALLBACK, 3, CALLBACK_RESULT},
    {TW_ROLE_ASYNC_STACKFUL, 2, 5},
    {TW_ROLE_REALLOC, 12, 13},
    {TW_ROLE_DTOR, 8, 9},
    {TW_ROLE_INITIALIZE, 6, 7},
};

static void encode_task_hook(tw_buf *b, uint32_t hook, const tw_wrapper *w, uint32_t n) {
  for (size_t i = 0; i < sizeof task_hook_bodies / sizeof task_hook_bodies[0]; i++) {
    if (task_hook_bodies[i].role != w->role) continue;
    const int start = task_hook_bodies[i].start, finish = task_hook_bodies[i].finish;
    if (finish == CALLBACK_RESULT) { /* one local declaration: 1 x i32 */
      tw_buf_put_u8(b, 1);
      tw_buf_put_u8(b, 1);
      tw_buf_put_u8(b, VT_I32);
    } else {
      tw_buf_put_u8(b, 0);
    }
    if (start != NO_HOOK) put_hook(b, hook, start);
    put_forward_call(b, w->target, n);
    if (finish == CALLBACK_RESULT) put_callback_finish(b, hook, n); /* r is local n */
    else if (finish != NO_HOOK) put_hook(b, hook, finish);
    tw_buf_put_u8(b, OP_END);
    return;
  }
  b->failed = true; /* not a wrapped role: the plan never asks for it */
}

/* ABI.md, "Init-task ABI: wrapper bodies": `call init; call f`. */
static void encode_init_task(tw_buf *b, const tw_plan *p, const tw_wrapper *w, uint32_t n) {
  tw_buf_put_u8(b, 0);
  tw_buf_put_u8(b, OP_CALL);
  tw_buf_put_uleb(b, w->async_init ? p->init_async : p->hook);
  put_forward_call(b, w->target, n);
  tw_buf_put_u8(b, OP_END);
}

void tw_wrapper_encode(tw_buf *b, const tw_plan *p, const tw_wrapper *w, uint32_t nparams) {
  if (p->abi == TW_ABI_TASK_HOOK)
    encode_task_hook(b, p->hook, w, nparams);
  else if (p->abi == TW_ABI_INIT_TASK)
    encode_init_task(b, p, w, nparams);
  else
    b->failed = true;
}

/* ---- sections ----------------------------------------------------------- */

static void put_slice(tw_buf *b, const tw_module *m, size_t start, size_t end) {
  if (end > start) tw_buf_put(b, m->data + start, end - start);
}

/* A section: id, size (keeping the original size field's width when the new
 * size fits in it, so unchanged framing stays unchanged), then contents made
 * of `head`, the input slice [from, to) and `tail`. The slice (the existing
 * entries: for the code section, most of the module) goes straight into the
 * output, copied once. */
static void put_section_parts(tw_buf *b, uint8_t id, const tw_buf *head, const tw_module *m,
                              size_t from, size_t to, const tw_buf *tail, size_t old_width) {
  const size_t len = head->len + (to - from) + tail->len;
  tw_buf_put_u8(b, id);
  tw_buf_put_uleb_width(b, len, tw_leb_size_u64(len) <= old_width ? old_width : 0);
  if (head->failed || tail->failed) b->failed = true;
  tw_buf_put(b, head->data, head->len);
  put_slice(b, m, from, to);
  tw_buf_put(b, tail->data, tail->len);
}

static void put_section(tw_buf *b, uint8_t id, const tw_buf *contents, size_t old_width) {
  const tw_buf none = {0};
  put_section_parts(b, id, contents, NULL, 0, 0, &none, old_width);
}

static size_t size_width(const tw_module *m, long sec) {
  if (sec < 0) return 0;
  const tw_section *s = &m->sections[sec];
  return s->body - s->start - 1;
}

/* A count keeps its original width when it still fits: for the code section
 * this keeps every body at the same offset from the start of the section's
 * contents, which is what DWARF code addresses are relative to (ABI.md). */
static size_t count_width(uint64_t count, size_t old_width) {
  return tw_leb_size_u64(count) <= old_width ? old_width : 0;
}

static void emit_function_section(tw_buf *out, const tw_module *m, const tw_plan *p) {
  tw_buf head = {0}, tail = {0};
  const uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  tw_buf_put_uleb_width(&head, (uint64_t)ndefined + p->nwrappers,
                        count_width((uint64_t)ndefined + p->nwrappers, m->funcsec_count_width));
  for (uint32_t i = 0; i < p->nwrappers; i++) tw_buf_put_uleb(&tail, p->wrappers[i].type_index);
  const bool had = m->sec_function >= 0;
  put_section_parts(out, TW_SEC_FUNCTION, &head, m, had ? m->funcsec_entries : 0,
                    had ? m->sections[m->sec_function].end : 0, &tail,
                    size_width(m, m->sec_function));
  tw_buf_free(&head);
  tw_buf_free(&tail);
}

static void build_export_section(tw_buf *c, const tw_module *m, const tw_plan *p) {
  uint32_t kept = 0;
  for (uint32_t i = 0; i < m->nexports; i++) kept += !p->export_removed[i];
  tw_buf_put_uleb_width(c, kept, count_width(kept, m->exports_count_width));
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *e = &m->exports[i];
    if (p->export_removed[i]) continue;
    if (p->export_target[i] == e->index) {
      put_slice(c, m, e->start, e->end); /* unchanged entry, original bytes */
    } else {
      put_slice(c, m, e->start, e->name + e->name_len);
      tw_buf_put_u8(c, e->kind);
      tw_buf_put_uleb(c, p->export_target[i]);
    }
  }
}

static void emit_code_section(tw_buf *out, const tw_module *m, const tw_plan *p, bool *widened) {
  tw_buf head = {0}, tail = {0}, body = {0};
  const uint64_t count = (uint64_t)m->nbodies + p->nwrappers;
  const bool had = m->sec_code >= 0;
  const size_t w = had ? m->code_count_width : 0;
  *widened = had && tw_leb_size_u64(count) > w;
  tw_buf_put_uleb_width(&head, count, count_width(count, w));
  for (uint32_t i = 0; i < p->nwrappers; i++) {
    const tw_wrapper *wr = &p->wrappers[i];
    const tw_functype *t = tw_module_func_type(m, wr->target);
    body.len = 0;
    tw_wrapper_encode(&body, p, wr, t ? t->nparams : 0);
    if (body.failed || !t) tail.failed = true;
    tw_buf_put_uleb(&tail, body.len);
    tw_buf_put(&tail, body.data, body.len);
  }
  put_section_parts(out, TW_SEC_CODE, &head, m, had ? m->code_entries : 0,
                    had ? m->sections[m->sec_code].end : 0, &tail, size_width(m, m->sec_code));
  tw_buf_free(&head);
  tw_buf_free(&tail);
  tw_buf_free(&body);
}

/* Function names for the wrappers: "taskwrap:<export name>", appended after
 * the existing entries (wrappers have the highest indices, so the map stays
 * sorted as the name section requires). */
static void put_wrapper_names(tw_buf *c, const tw_module *m, const tw_plan *p) {
  static const char prefix[] = "taskwrap:";
  for (uint32_t i = 0; i < p->nwrappers; i++) {
    const tw_export *e = &m->exports[p->wrappers[i].export_i];
    tw_buf_put_uleb(c, (uint64_t)m->nfuncs + i);
    tw_buf_put_uleb(c, sizeof prefix - 1 + e->name_len);
    tw_buf_put(c, prefix, sizeof prefix - 1);
    tw_buf_put(c, m->data + e->name, e->name_len);
  }
}

static void build_name_section(tw_buf *c, const tw_module *m, const tw_plan *p) {
  const tw_section *s = &m->sections[m->sec_name];
  const size_t contents = s->name_start + s->name_len;
  put_slice(c, m, s->body, contents); /* the custom section's own name */
  tw_buf sub = {0};
  if (m->names_func_start) {
    put_slice(c, m, contents, m->names_func_start);
    const uint64_t count = (uint64_t)m->names_func_count + p->nwrappers;
    tw_buf_put_uleb_width(&sub, count, count_width(count, m->names_func_count_width));
    put_slice(&sub, m, m->names_func_entries, m->names_func_end);
    put_wrapper_names(&sub, m, p);
    tw_buf_put_u8(c, 1);
    tw_buf_put_uleb_width(c, sub.len,
                          count_width(sub.len, m->names_func_body - m->names_func_start - 1));
    tw_buf_put(c, sub.data, sub.len);
    put_slice(c, m, m->names_func_end, s->end);
  } else {
    put_slice(c, m, contents, m->names_insert_at);
    tw_buf_put_uleb(&sub, p->nwrappers);
    put_wrapper_names(&sub, m, p);
    tw_buf_put_u8(c, 1);
    tw_buf_put_uleb(c, sub.len);
    tw_buf_put(c, sub.data, sub.len);
    put_slice(c, m, m->names_insert_at, s->end);
  }
  if (sub.failed) c->failed = true;
  tw_buf_free(&sub);
}

bool tw_emit(const tw_module *m, const tw_plan *p, tw_buf *out, tw_emit_notes *notes,
             tw_err *err) {
  memset(notes, 0, sizeof *notes);
  const bool need_new = p->nwrappers > 0;
  /* A module whose exported functions are all imports has no function or
   * code section yet: insert them after the last section that must precede
   * them, before any custom sections that follow it. */
  const bool insert_func = need_new && m->sec_function < 0;
  const bool insert_code = need_new && m->sec_code < 0;
  long after_func = -1, after_code = -1;
  for (size_t i = 0; i < m->nsections; i++) {
    const int r = tw_section_rank(m->sections[i].id);
    if (r > 0 && r < tw_section_rank(TW_SEC_FUNCTION)) after_func = (long)i;
    if (r > 0 && r < tw_section_rank(TW_SEC_CODE)) after_code = (long)i;
  }
  bool widened = false;
  /* One allocation for the whole output: the input's size plus a generous
   * allowance for the new entries (the buffer still grows if needed). */
  tw_buf_reserve(out, m->size + 64 + (size_t)p->nwrappers * 32 + (size_t)m->nexports * 8);
  tw_buf_put(out, m->data, 8);
  if (insert_func && after_func < 0) emit_function_section(out, m, p);
  if (insert_code && after_code < 0) emit_code_section(out, m, p, &widened);
  for (size_t i = 0; i < m->nsections; i++) {
    const tw_section *s = &m->sections[i];
    tw_buf c = {0};
    if ((long)i == m->sec_function && need_new) {
      emit_function_section(out, m, p);
    } else if ((long)i == m->sec_code && need_new) {
      emit_code_section(out, m, p, &widened);
    } else if ((long)i == m->sec_export) {
      build_export_section(&c, m, p);
      put_section(out, TW_SEC_EXPORT, &c, size_width(m, m->sec_export));
    } else if ((long)i == m->sec_name && m->names_ok && need_new) {
      build_name_section(&c, m, p);
      put_section(out, TW_SEC_CUSTOM, &c, size_width(m, m->sec_name));
    } else {
      put_slice(out, m, s->start, s->end);
    }
    tw_buf_free(&c);
    if (insert_func && (long)i == after_func) emit_function_section(out, m, p);
    if (insert_code && (long)i == after_code) emit_code_section(out, m, p, &widened);
  }
  notes->code_count_widened = widened;
  notes->names_unusable = m->sec_name >= 0 && !m->names_ok && need_new;
  if (out->failed) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory while building the output");
    return false;
  }
  return true;
}
