/* The built-in verification pass (issue 2, item 6). It re-reads the output
 * and checks it against the input and the plan without using the encoder:
 * wrapper bodies are decoded instruction by instruction and matched against
 * ABI.md's tables written out here as instruction lists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tw_internal.h"

#define FAIL(...) (tw_err_set(err, TW_ERR_VERIFY, __VA_ARGS__), false)

typedef struct insn {
  uint8_t op;   /* 0x41 i32.const, 0x10 call, 0x20 local.get, 0x21 local.set, 0x1b select */
  int64_t imm;  /* constant, function or local index; unused for select */
} insn;

enum { MAX_EXPECT = 64 };

typedef struct expect {
  insn v[MAX_EXPECT];
  size_t n;
  bool overflow;
  uint32_t nparams; /* the forwarded parameters: local.get 0..nparams-1 */
} expect;

static void add(expect *e, uint8_t op, int64_t imm) {
  if (e->n == MAX_EXPECT) {
    e->overflow = true;
    return;
  }
  e->v[e->n].op = op;
  e->v[e->n].imm = imm;
  e->n++;
}

/* H(c): i32.const c; call hook */
static void H(expect *e, uint32_t hook, int c) { add(e, 0x41, c), add(e, 0x10, hook); }

/* call f, forwarding parameters; the local.gets are checked separately so
 * that functions with many parameters need no long list. */
static void CALL(expect *e, uint32_t f) { add(e, 0xff, 0), add(e, 0x10, f); }

static void FINISH_CALLBACK(expect *e, uint32_t hook, uint32_t r) {
  add(e, 0x21, r), add(e, 0x41, 4), add(e, 0x41, 5), add(e, 0x20, r), add(e, 0x1b, 0);
  add(e, 0x10, hook), add(e, 0x20, r);
}

/* The tables of ABI.md, as instruction lists. Returns the number of i32
 * locals the body must declare. */
static int expected_body(expect *e, const tw_plan *p, tw_role role, uint32_t f, uint32_t np) {
  const uint32_t h = p->hook;
  e->nparams = np;
  if (p->abi == TW_ABI_INIT_TASK) {
    const bool async = role == TW_ROLE_ASYNC_CALLBACK || role == TW_ROLE_ASYNC_STACKFUL;
    add(e, 0x10, async && p->has_init_async ? p->init_async : h);
    CALL(e, f);
    return 0;
  }
  switch (role) {
  case TW_ROLE_SYNC: H(e, h, 0), CALL(e, f), H(e, h, 1); return 0;
  case TW_ROLE_SYNC_POST: H(e, h, 0), CALL(e, f); return 0;
  case TW_ROLE_POST_RETURN: CALL(e, f), H(e, h, 1); return 0;
  case TW_ROLE_ASYNC_CALLBACK: H(e, h, 2), CALL(e, f), FINISH_CALLBACK(e, h, np); return 1;
  case TW_ROLE_CALLBACK: H(e, h, 3), CALL(e, f), FINISH_CALLBACK(e, h, np); return 1;
  case TW_ROLE_ASYNC_STACKFUL: H(e, h, 2), CALL(e, f), H(e, h, 5); return 0;
  case TW_ROLE_REALLOC: H(e, h, 12), CALL(e, f), H(e, h, 13); return 0;
  case TW_ROLE_DTOR: H(e, h, 8), CALL(e, f), H(e, h, 9); return 0;
  case TW_ROLE_INITIALIZE: H(e, h, 6), CALL(e, f), H(e, h, 7); return 0;
  default: return -1;
  }
}

static bool read_insn(tw_cursor *c, insn *out) {
  uint8_t op = 0;
  if (!tw_read_u8(c, &op, "instruction")) return false;
  out->op = op;
  out->imm = 0;
  uint32_t u = 0;
  int32_t s = 0;
  switch (op) {
  case 0x41:
    if (!tw_read_s32(c, &s, "i32.const")) return false;
    out->imm = s;
    return true;
  case 0x10: case 0x20: case 0x21:
    if (!tw_read_u32(c, &u, "index")) return false;
    out->imm = u;
    return true;
  case 0x1b: case 0x0b:
    return true;
  default:
    tw_err_set(c->err, TW_ERR_VERIFY, c->pos - 1, "unexpected opcode 0x%02x in a wrapper", op);
    return false;
  }
}

static bool check_wrapper_body(const tw_module *out, const tw_plan *p, const tw_wrapper *w,
                               uint32_t func, tw_err *err) {
  const tw_body *b = &out->bodies[func - out->nfunc_imports];
  const tw_functype *t = tw_module_func_type(out, func);
  if (!t) return FAIL(b->start, "wrapper %u has no function type", func);
  expect e = {0};
  const int locals = expected_body(&e, p, w->role, w->target, t->nparams);
  if (locals < 0 || e.overflow) return FAIL(b->start, "wrapper %u has no specified body", func);

  tw_cursor c = tw_cursor_make(out->data, b->code, b->end, err);
  uint32_t ngroups = 0, count = 0;
  uint8_t vt = 0;
  if (!tw_read_u32(&c, &ngroups, "locals")) return false;
  if (locals == 0 && ngroups != 0) return FAIL(b->code, "wrapper %u declares locals", func);
  if (locals == 1) {
    if (ngroups != 1 || !tw_read_u32(&c, &count, "local count") ||
        !tw_read_u8(&c, &vt, "local type") || count != 1 || vt != 0x7f)
      return FAIL(b->code, "wrapper %u must declare exactly one i32 local", func);
  }
  for (size_t k = 0; k < e.n; k++) {
    if (e.v[k].op == 0xff) { /* local.get 0 .. nparams-1 */
      for (uint32_t i = 0; i < e.nparams; i++) {
        const size_t at = c.pos;
        insn got;
        if (!read_insn(&c, &got)) return false;
        if (got.op != 0x20 || got.imm != i)
          return FAIL(at, "wrapper %u: expected local.get %u", func, i);
      }
      continue;
    }
    const size_t at = c.pos;
    insn got;
    if (!read_insn(&c, &got)) return false;
    if (got.op != e.v[k].op || got.imm != e.v[k].imm)
      return FAIL(at, "wrapper %u (%s): instruction %zu is 0x%02x %lld, expected 0x%02x %lld", func,
                  tw_role_name(w->role), k, got.op, (long long)got.imm, e.v[k].op,
                  (long long)e.v[k].imm);
  }
  insn end;
  const size_t at = c.pos;
  if (!read_insn(&c, &end)) return false;
  if (end.op != 0x0b || c.pos != c.end)
    return FAIL(at, "wrapper %u: body does not end after the specified sequence", func);
  return true;
}

static bool rewritten(const tw_module *m, size_t i, bool new_funcs) {
  const tw_section *s = &m->sections[i];
  if (s->id == TW_SEC_EXPORT) return true;
  if (new_funcs && (s->id == TW_SEC_FUNCTION || s->id == TW_SEC_CODE)) return true;
  return new_funcs && (long)i == m->sec_name && m->names_ok;
}

/* Every section that was not rewritten is byte-identical and in the same
 * order. */
static bool check_sections(const tw_module *in, const tw_module *out, bool new_funcs,
                           tw_err *err) {
  size_t j = 0;
  for (size_t i = 0; i < in->nsections; i++) {
    if (rewritten(in, i, new_funcs)) continue;
    while (j < out->nsections && rewritten(out, j, new_funcs)) j++;
    const tw_section *a = &in->sections[i];
    if (j == out->nsections) return FAIL(a->start, "section at 0x%zx is missing from the output", a->start);
    const tw_section *b = &out->sections[j];
    if (a->end - a->start != b->end - b->start ||
        memcmp(in->data + a->start, out->data + b->start, a->end - a->start) != 0)
      return FAIL(b->start, "section %u at input 0x%zx is not byte-identical in the output",
                  a->id, a->start);
    j++;
  }
  while (j < out->nsections && rewritten(out, j, new_funcs)) j++;
  if (j != out->nsections) return FAIL(out->sections[j].start, "unexpected section in the output");
  return true;
}

static bool check_functions(const tw_module *in, const tw_module *out, const tw_plan *p,
                            tw_err *err) {
  if (out->nfuncs != in->nfuncs + p->nwrappers || out->nfunc_imports != in->nfunc_imports)
    return FAIL(0, "output has %u functions, expected %u", out->nfuncs, in->nfuncs + p->nwrappers);
  for (uint32_t i = 0; i < in->nfuncs; i++)
    if (out->func_types[i] != in->func_types[i])
      return FAIL(0, "function %u changed its type", i);
  for (uint32_t k = 0; k < p->nwrappers; k++)
    if (out->func_types[in->nfuncs + k] != in->func_types[p->wrappers[k].target])
      return FAIL(0, "wrapper %u does not have the type of function %u", in->nfuncs + k,
                  p->wrappers[k].target);
  if (in->nbodies == 0) return true;
  /* Existing bodies: same bytes, and the same offset from the start of the
   * code section's contents (DWARF's frame of reference) unless the count
   * had to grow, in which case they all move by the same amount. */
  const size_t in_base = in->sections[in->sec_code].body;
  const size_t out_base = out->sections[out->sec_code].body;
  const size_t shift = out->code_count_width - in->code_count_width;
  for (uint32_t i = 0; i < in->nbodies; i++) {
    const tw_body *a = &in->bodies[i], *b = &out->bodies[i];
    if (b->start - out_base != a->start - in_base + shift)
      return FAIL(b->start, "function body %u moved within the code section", i);
    if (a->end - a->start != b->end - b->start ||
        memcmp(in->data + a->start, out->data + b->start, a->end - a->start) != 0)
      return FAIL(b->start, "function body %u is not byte-identical", i);
  }
  return true;
}

static bool check_exports(const tw_module *in, const tw_module *out, const tw_plan *p,
                          tw_err *err) {
  uint32_t j = 0;
  for (uint32_t i = 0; i < in->nexports; i++) {
    const tw_export *a = &in->exports[i];
    if (p->export_removed[i]) continue;
    if (j >= out->nexports) return FAIL(0, "export %u is missing from the output", i);
    const tw_export *b = &out->exports[j++];
    if (a->name_len != b->name_len || a->kind != b->kind ||
        memcmp(in->data + a->name, out->data + b->name, a->name_len) != 0)
      return FAIL(b->start, "export %u changed its name or kind", i);
    const int64_t wrapper = p->entries[i].wrapper;
    if (wrapper < 0) {
      if (b->index != a->index) return FAIL(b->start, "export %u was re-pointed unexpectedly", i);
      continue;
    }
    if (b->index != (uint64_t)wrapper || b->index < in->nfuncs)
      return FAIL(b->start, "export \"%s\" does not name its wrapper", p->entries[i].name);
    const tw_wrapper *w = &p->wrappers[b->index - in->nfuncs];
    if (w->target != a->index)
      return FAIL(b->start, "export \"%s\": wrapper calls the wrong function", p->entries[i].name);
    if (out->func_types[b->index] != in->func_types[a->index])
      return FAIL(b->start, "export \"%s\": wrapper type differs", p->entries[i].name);
    if (!check_wrapper_body(out, p, w, b->index, err)) return false;
  }
  if (j != out->nexports) return FAIL(0, "the output has extra exports");
  return true;
}

static bool check_hook_gone(const tw_module *out, const tw_plan *p, tw_err *err) {
  for (uint32_t j = 0; j < out->nexports; j++) {
    const tw_export *e = &out->exports[j];
    const tw_role r = tw_classify_name(out->data + e->name, e->name_len, p->abi);
    if (e->kind == 0 && (r == TW_ROLE_HOOK || r == TW_ROLE_INIT))
      return FAIL(e->start, "the hook export is still present");
  }
  return true;
}

bool tw_verify_output(const tw_module *in, const tw_plan *p, const uint8_t *data, size_t size,
               tw_err *err) {
  tw_module out;
  tw_err perr = {0};
  if (!tw_module_parse(&out, data, size, &perr)) {
    tw_err_set(err, TW_ERR_VERIFY, perr.offset, "output is malformed: %s", perr.message);
    return false;
  }
  const bool new_funcs = p->nwrappers > 0;
  bool ok = check_sections(in, &out, new_funcs, err) && check_functions(in, &out, p, err) &&
            check_exports(in, &out, p, err);
  bool keep = false;
  for (size_t i = 0; i < p->nentries; i++)
    if ((p->entries[i].role == TW_ROLE_HOOK || p->entries[i].role == TW_ROLE_INIT) &&
        !p->entries[i].removed)
      keep = true;
  if (ok && !keep) ok = check_hook_gone(&out, p, err);
  tw_module_free(&out);
  return ok;
}
