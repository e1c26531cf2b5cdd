/* The verifier (verify.h; docs/output-layout.md, "The output, byte by
 * byte"): given the input module and the finalised edit, it accounts for
 * every byte of the output, in order, without encoding anything and without
 * the emitter's code.
 *
 * One body of code serves both entry points through an output view:
 *   - bytes mode (--check): the output is a buffer; a copy of the input is
 *     checked with memcmp;
 *   - segments mode (after a rewrite): a copy of the input is checked from
 *     the segment list alone (input segments, contiguous, right source),
 *     and only what must be decoded is ever read (headers, counts, patched
 *     indices, rebuilt entries, added bodies).
 * Whatever the verifier decodes may come from either kind of segment; what
 * it expects as a copy must be input segments.
 *
 * Added bodies are decoded instruction by instruction against lists: the
 * wrapper tables (written out below) of docs/abi.md, "Wrapper bodies:
 * task-hook ABI" and docs/abi.md, "Wrapper bodies: init-task ABI", the
 * guard sequence of docs/output-layout.md, "Added function bodies" and the
 * stubs' own lists (stubs.h), whose output indices come from the numbering
 * checked here, not from bodies.c. Renumbered code is checked against the
 * input decoded once with tw_instr_next. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "edit.h"
#include "err.h"
#include "funcidx.h"
#include "leb.h"
#include "module.h"
#include "name.h"
#include "opcodes.h"
#include "out.h"
#include "section.h"
#include "stubs.h"
#include "taskwrap.h"
#include "verify.h"
#include "wasifs.h"

/* ---- the output view ------------------------------------------------------ */

typedef struct view {
  const tw_module *in;
  const uint8_t *bytes; /* bytes mode: the output */
  const tw_out *segs;   /* segments mode: the segment list and its pool */
  uint64_t size;
  size_t hint;          /* segments mode: the segment of the last access */
  tw_err *err;
} view;

#define VFAIL(v, at, ...) (tw_err_set((v)->err, TW_ERR_VERIFY, (uint64_t)(at), __VA_ARGS__), false)
#define ULL(x) ((unsigned long long)(x))

/* The segment holding output byte pos (pos < size; the list tiles the
 * output, checked by view_check_segments). Forward walks are amortised O(1). */
static const tw_seg *seg_at(view *v, uint64_t pos) {
  const tw_seg *s = v->segs->segs;
  size_t k = v->hint < v->segs->nsegs ? v->hint : 0;
  if (pos < s[k].at) { /* backwards: binary search */
    size_t lo = 0, hi = k;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      if (s[mid].at + s[mid].len <= pos) lo = mid + 1;
      else hi = mid;
    }
    k = lo;
  }
  while (s[k].at + s[k].len <= pos) k++;
  v->hint = k;
  return &s[k];
}

static bool view_check_segments(view *v) {
  const tw_out *o = v->segs;
  if (o->failed) return VFAIL(v, 0, "the output's segment list is incomplete (out of memory)");
  uint64_t at = 0;
  for (size_t k = 0; k < o->nsegs; k++) {
    const tw_seg *s = &o->segs[k];
    if (s->at != at)
      return VFAIL(v, at, "segment %zu starts at output 0x%llx, expected 0x%llx (segments must "
                   "tile the output in order)", k, ULL(s->at), ULL(at));
    if (s->kind == TW_SEG_INPUT ? s->src > v->in->size || s->len > v->in->size - s->src
        : s->kind == TW_SEG_NEW ? s->src > o->pool.len || s->len > o->pool.len - s->src
                                : true)
      return VFAIL(v, at, "segment %zu (kind %u, source 0x%llx, %llu bytes) lies outside its "
                   "source", k, s->kind, ULL(s->src), ULL(s->len));
    at += s->len;
  }
  if (at != o->size)
    return VFAIL(v, at, "the segments cover 0x%llx bytes, the output has 0x%llx", ULL(at),
                 ULL(o->size));
  return true;
}

/* Output bytes [pos, pos+n) into dst; false (no error set) past the end. */
static bool view_read(view *v, uint64_t pos, uint8_t *dst, size_t n) {
  if (pos > v->size || n > v->size - pos) return false;
  if (v->bytes) {
    memcpy(dst, v->bytes + pos, n);
    return true;
  }
  while (n) {
    const tw_seg *s = seg_at(v, pos);
    const uint64_t off = pos - s->at;
    size_t take = (size_t)(s->len - off < n ? s->len - off : n);
    const uint8_t *src = s->kind == TW_SEG_INPUT ? v->in->data + s->src + off
                                                 : tw_out_seg_data(v->segs, s) + off;
    memcpy(dst, src, take);
    dst += take, pos += take, n -= take;
  }
  return true;
}

/* Is output [pos, pos+n) a copy of input [from, from+n)? */
static bool view_copy(view *v, uint64_t pos, size_t from, size_t n, const char *what) {
  if (pos > v->size || n > v->size - pos)
    return VFAIL(v, v->size, "the output ends at 0x%llx, inside %s (a copy of input "
                 "[0x%zx, 0x%zx))", ULL(v->size), what, from, from + n);
  if (v->bytes) {
    const uint8_t *a = v->bytes + pos, *b = v->in->data + from;
    if (memcmp(a, b, n) == 0) return true;
    size_t k = 0;
    while (a[k] == b[k]) k++;
    return VFAIL(v, pos + k, "expected %s: a copy of input byte 0x%zx (0x%02x), found 0x%02x",
                 what, from + k, b[k], a[k]);
  }
  while (n) {
    const tw_seg *s = seg_at(v, pos);
    const uint64_t off = pos - s->at;
    if (s->kind != TW_SEG_INPUT)
      return VFAIL(v, pos, "expected %s: a copy of input [0x%zx, 0x%zx), found new bytes", what,
                   from, from + n);
    if (s->src + off != from)
      return VFAIL(v, pos, "expected %s: a copy of input 0x%zx, found a copy of input 0x%llx",
                   what, from, ULL(s->src + off));
    const size_t take = (size_t)(s->len - off < n ? s->len - off : n);
    pos += take, from += take, n -= take;
  }
  return true;
}

/* ---- reading and expecting ------------------------------------------------ */

static size_t uleb_size(uint64_t v) { return tw_leb_size_u64(v); }

static size_t sleb_size(int64_t v) {
  size_t n = 1;
  for (;;) {
    const uint8_t byte = (uint8_t)((uint64_t)v & 0x7f);
    v = v < 0 ? ~(~v >> 7) : v >> 7;
    if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) return n;
    n++;
  }
}

/* The width rule: the input's width (w_in, 0 for none) if the value fits. */
static size_t rule_width(uint64_t v, size_t w_in) {
  return w_in && uleb_size(v) <= w_in ? w_in : uleb_size(v);
}

enum { LEB_U32, LEB_U64, LEB_S32, LEB_S64 };

static bool read_leb(view *v, uint64_t pos, int kind, uint64_t *u, int64_t *s, size_t *len,
                     const char *what) {
  uint8_t tmp[10];
  if (pos >= v->size)
    return VFAIL(v, pos, "the output ends at 0x%llx; expected %s", ULL(v->size), what);
  const size_t avail = (size_t)(v->size - pos < sizeof tmp ? v->size - pos : sizeof tmp);
  if (!view_read(v, pos, tmp, avail))
    return VFAIL(v, pos, "the output ends at 0x%llx; expected %s", ULL(v->size), what);
  tw_leb_status st = TW_LEB_OK;
  uint32_t u32 = 0;
  int32_t s32 = 0;
  switch (kind) {
  case LEB_U32: st = tw_leb_read_u32(tmp, avail, &u32, len), *u = u32; break;
  case LEB_U64: st = tw_leb_read_u64(tmp, avail, u, len); break;
  case LEB_S32: st = tw_leb_read_s32(tmp, avail, &s32, len), *s = s32; break;
  default: st = tw_leb_read_s64(tmp, avail, s, len); break;
  }
  if (st != TW_LEB_OK) return VFAIL(v, pos, "expected %s, found a malformed LEB128", what);
  return true;
}

static bool exp_byte(view *v, uint64_t *p, uint8_t want, const char *what) {
  uint8_t b = 0;
  if (!view_read(v, *p, &b, 1))
    return VFAIL(v, *p, "the output ends at 0x%llx; expected %s (0x%02x)", ULL(v->size), what,
                 want);
  if (b != want) return VFAIL(v, *p, "expected %s (0x%02x), found 0x%02x", what, want, b);
  ++*p;
  return true;
}

/* An unsigned number of known value under the width rule (w_in 0: minimal). */
static bool exp_u(view *v, uint64_t *p, uint64_t want, size_t w_in, const char *what) {
  uint64_t got = 0;
  int64_t unused = 0;
  size_t len = 0;
  if (!read_leb(v, *p, want > UINT32_MAX ? LEB_U64 : LEB_U32, &got, &unused, &len, what))
    return false;
  if (got != want) return VFAIL(v, *p, "expected %s %llu, found %llu", what, ULL(want), ULL(got));
  const size_t w = rule_width(want, w_in);
  if (len != w)
    return VFAIL(v, *p, "expected %s %llu in %zu bytes (%s), found %zu bytes", what, ULL(want), w,
                 w_in ? "the input's width" : "minimal", len);
  *p += len;
  return true;
}

/* A signed constant, minimal. */
static bool exp_s(view *v, uint64_t *p, int64_t want, bool is64, const char *what) {
  uint64_t unused = 0;
  int64_t got = 0;
  size_t len = 0;
  if (!read_leb(v, *p, is64 ? LEB_S64 : LEB_S32, &unused, &got, &len, what)) return false;
  if (got != want)
    return VFAIL(v, *p, "expected %s %lld, found %lld", what, (long long)want, (long long)got);
  if (len != sleb_size(want))
    return VFAIL(v, *p, "expected %s %lld in %zu bytes (minimal), found %zu bytes", what,
                 (long long)want, sleb_size(want), len);
  *p += len;
  return true;
}

/* A number whose value is only known later (a size or a count): read now,
 * checked by check_later. */
typedef struct later {
  uint64_t at, value;
  size_t len, w_in;
  bool is_size;   /* a byte count (not a count of entries, which an input's
                     malformed name map may overstate) */
} later;

static bool read_later(view *v, uint64_t *p, size_t w_in, bool is_size, later *l,
                       const char *what) {
  int64_t unused = 0;
  l->at = *p;
  l->w_in = w_in;
  l->is_size = is_size;
  if (!read_leb(v, *p, LEB_U32, &l->value, &unused, &l->len, what)) return false;
  /* The width rule can be checked before the value is known to be right:
   * a width other than rule_width's is wrong whatever the value is meant
   * to be, and so is a size or count that does not fit in the rest of the
   * output (a size field is also reported at its own offset this way, not
   * where the bytes it swallowed are missed). */
  if (l->len != rule_width(l->value, w_in))
    return VFAIL(v, l->at, "%s %llu in %zu bytes: expected %zu bytes (%s)", what, ULL(l->value),
                 l->len, rule_width(l->value, w_in), w_in ? "the input's width" : "minimal");
  if (l->is_size && l->value > v->size - (*p + l->len))
    return VFAIL(v, l->at, "%s %llu runs past the end of the output (0x%llx)", what,
                 ULL(l->value), ULL(v->size));
  *p += l->len;
  return true;
}

static bool later_ok(const later *l, uint64_t actual) {
  return l->value == actual && l->len == rule_width(actual, l->w_in);
}

static bool check_later(view *v, const later *l, uint64_t actual, const char *what) {
  if (l->value != actual)
    return VFAIL(v, l->at, "expected %s %llu, found %llu", what, ULL(actual), ULL(l->value));
  const size_t w = rule_width(actual, l->w_in);
  if (l->len != w)
    return VFAIL(v, l->at, "expected %s %llu in %zu bytes (%s), found %zu bytes", what,
                 ULL(actual), w, l->w_in ? "the input's width" : "minimal", l->len);
  return true;
}

/* Output bytes equal to `want` (new bytes or a copy: either is read). */
static bool exp_bytes(view *v, uint64_t *p, const uint8_t *want, size_t n, const char *what) {
  uint8_t tmp[128];
  for (size_t done = 0; done < n;) {
    const size_t k = n - done < sizeof tmp ? n - done : sizeof tmp;
    if (!view_read(v, *p + done, tmp, k))
      return VFAIL(v, v->size, "the output ends at 0x%llx, inside %s", ULL(v->size), what);
    for (size_t i = 0; i < k; i++)
      if (tmp[i] != want[done + i])
        return VFAIL(v, *p + done + i, "expected %s: byte %zu is 0x%02x, found 0x%02x", what,
                     done + i, want[done + i], tmp[i]);
    done += k;
  }
  *p += n;
  return true;
}

static bool exp_copy(view *v, uint64_t *p, size_t from, size_t n, const char *what) {
  if (!view_copy(v, *p, from, n, what)) return false;
  *p += n;
  return true;
}

/* ---- the verification context --------------------------------------------- */

typedef struct vctx {
  view v;
  const tw_module *m;
  const tw_edit *e;
  uint32_t nadded;       /* added defined functions (wrappers, stubs, guards) */
  uint32_t first_added;  /* the output index of the first of them */
  uint32_t *by_out;      /* k-th added defined function in output order -> index in e->fns */
  bool *func_removed;    /* per input function: a removed (stubbed) import */
  tw_stub_env env;       /* the stubs' references, from the numbering checked here */
  tw_buf segment;        /* --stub-wasi's embedded segment, laid out here (check_data) */
  uint32_t *rom, nrom;   /* the table lookup's words, derived here (check_data) */
  bool data;             /* the stubs copy from it: the output has it */
} vctx;

#define XFAIL(x, at, ...) VFAIL(&(x)->v, at, __VA_ARGS__)

static const char *section_name(uint8_t id) {
  static const char *const names[] = {"custom", "type", "import", "function", "table",
                                      "memory", "global", "export", "start", "element",
                                      "code", "data", "data count", "tag"};
  return id < sizeof names / sizeof names[0] ? names[id] : "unknown";
}

/* A section's leading count in the input, its width and the offset after it. */
static bool input_count(vctx *x, uint64_t p, const tw_section *s, uint32_t *n, size_t *w,
                        size_t *after) {
  if (!s) return *n = 0, *w = 0, *after = 0, true;
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(x->m->data, s->body, s->end, &scratch);
  if (!tw_read_u32(&c, n, "count"))
    return XFAIL(x, p, "cannot decode the count of the input's %s section at input 0x%zx",
                 section_name(s->id), s->body);
  *w = c.pos - s->body;
  *after = c.pos;
  return true;
}

/* A rebuilt or inserted section: its id and size; the size is checked when
 * the contents have been walked. */
typedef struct frame {
  later size;
  uint64_t body;
  uint8_t id;
} frame;

static bool open_section(vctx *x, uint64_t *p, uint8_t id, const tw_section *old, frame *f) {
  char what[48];
  snprintf(what, sizeof what, "the id of the %s section", section_name(id));
  f->id = id;
  if (!exp_byte(&x->v, p, id, what)) return false;
  snprintf(what, sizeof what, "the size of the %s section", section_name(id));
  if (!read_later(&x->v, p, old ? old->body - old->start - 1 : 0, true, &f->size, what))
    return false;
  f->body = *p;
  return true;
}

static bool close_section(vctx *x, uint64_t p, const frame *f) {
  char what[48];
  snprintf(what, sizeof what, "the size of the %s section", section_name(f->id));
  return check_later(&x->v, &f->size, p - f->body, what);
}

/* ---- renumbered ranges ------------------------------------------------------
 * The input's bytes from ip on are walked by a scanner of the input; every
 * function index it finds is expected in the output as e->out[old] under the
 * width rule, and every byte between them as a copy. */

typedef struct patcher {
  vctx *x;
  uint64_t op;  /* output position */
  size_t ip;    /* input position: everything before it is accounted for */
} patcher;

static bool pc_site(void *ctx, size_t pos, size_t len, uint32_t old) {
  patcher *pc = ctx;
  vctx *x = pc->x;
  if (!exp_copy(&x->v, &pc->op, pc->ip, pos - pc->ip, "the input's bytes")) return false;
  if (old >= x->m->nfuncs)
    return XFAIL(x, pc->op, "the input's function index %u at input 0x%zx is out of range", old,
                 pos);
  /* Checked before any message is formatted: this runs once per call site. */
  const uint32_t want = x->e->out[old];
  uint64_t got = 0;
  int64_t unused = 0;
  size_t got_len = 0;
  if (!read_leb(&x->v, pc->op, LEB_U32, &got, &unused, &got_len, "a function index")) return false;
  if (got != want || got_len != rule_width(want, len)) {
    char what[96];
    snprintf(what, sizeof what, "function index (input %u at input 0x%zx) renumbered to", old, pos);
    return exp_u(&x->v, &pc->op, want, len, what);
  }
  pc->op += got_len;
  pc->ip = pos + len;
  return true;
}

static bool pc_finish(patcher *pc, size_t to) {
  return exp_copy(&pc->x->v, &pc->op, pc->ip, to - pc->ip, "the input's bytes");
}

/* After a scanner failed: an output mismatch is already reported; else the
 * input did not decode. */
static bool scan_failed(patcher *pc, const tw_err *scratch, const char *what) {
  if (tw_err_failed(pc->x->v.err)) return false;
  return XFAIL(pc->x, pc->op, "cannot decode the input's %s at input 0x%llx: %s", what,
               ULL(scratch->offset), scratch->message);
}

/* ---- added bodies ----------------------------------------------------------- */

enum { IMM_FORWARD = 0xff }; /* local.get 0 .. nparams-1 */

static const char *op_name(uint8_t op) {
  switch (op) {
  case OP_UNREACHABLE: return "unreachable";
  case OP_BLOCK: return "block";
  case OP_LOOP: return "loop";
  case OP_IF: return "if";
  case OP_END: return "end";
  case OP_BR: return "br";
  case OP_BR_IF: return "br_if";
  case OP_RETURN: return "return";
  case OP_CALL: return "call";
  case OP_SELECT: return "select";
  case OP_LOCAL_GET: return "local.get";
  case OP_LOCAL_SET: return "local.set";
  case OP_LOCAL_TEE: return "local.tee";
  case OP_GLOBAL_GET: return "global.get";
  case OP_GLOBAL_SET: return "global.set";
  case OP_I32_LOAD: return "i32.load";
  case OP_I64_LOAD: return "i64.load";
  case OP_I32_LOAD8_U: return "i32.load8_u";
  case OP_I32_STORE: return "i32.store";
  case OP_I64_STORE: return "i64.store";
  case OP_I32_STORE8: return "i32.store8";
  case OP_I64_STORE8: return "i64.store8";
  case OP_I32_CONST: return "i32.const";
  case OP_I64_CONST: return "i64.const";
  case OP_I32_EQZ: return "i32.eqz";
  case OP_I32_GT_U: return "i32.gt_u";
  case OP_I32_ADD: return "i32.add";
  case OP_I32_SUB: return "i32.sub";
  case OP_I64_ADD: return "i64.add";
  case OP_I64_XOR: return "i64.xor";
  case OP_I64_SHL: return "i64.shl";
  case OP_I64_SHR_U: return "i64.shr_u";
  case OP_I32_SHL: return "i32.shl";
  case OP_PREFIX_FC: return "memory.init";
  default: return "?";
  }
}

/* The quiet check of one instruction: no message is formatted when it is
 * what it must be (the common case); false sends match_insn the slow way. */
static bool quiet_uleb(view *v, uint64_t *p, uint64_t want) {
  uint64_t got = 0;
  int64_t unused = 0;
  size_t len = 0;
  tw_err scratch = {0};
  tw_err *saved = v->err;
  v->err = &scratch;
  const bool ok = read_leb(v, *p, LEB_U32, &got, &unused, &len, "") && got == want &&
                  len == uleb_size(want);
  v->err = saved;
  if (ok) *p += len;
  return ok;
}

static bool quiet_insn(view *v, uint64_t *p, uint8_t op, uint8_t imm, int64_t a, uint32_t b) {
  uint8_t byte = 0;
  uint64_t q = *p;
  if (!view_read(v, q, &byte, 1) || byte != op) return false;
  q++;
  switch (imm) {
  case TW_IMM_NONE: break;
  case TW_IMM_U32:
    if (a < 0 || a > UINT32_MAX || !quiet_uleb(v, &q, (uint64_t)a)) return false;
    break;
  case TW_IMM_BYTE:
    if (!view_read(v, q, &byte, 1) || byte != (uint8_t)a) return false;
    q++;
    break;
  case TW_IMM_MEMARG:
    if (a < 0 || !quiet_uleb(v, &q, (uint64_t)a) || !quiet_uleb(v, &q, b)) return false;
    break;
  case TW_IMM_MEMORY_INIT:
    if (a < 0 || !quiet_uleb(v, &q, OP_FC_MEMORY_INIT) || !quiet_uleb(v, &q, (uint64_t)a) ||
        !view_read(v, q, &byte, 1) || byte != 0)
      return false;
    q++;
    break;
  default: return false; /* signed constants: the slow way */
  }
  *p = q;
  return true;
}

static bool match_insn(vctx *x, uint64_t *p, uint8_t op, uint8_t imm, int64_t a, uint32_t b,
                       const char *body, size_t k) {
  view *v = &x->v;
  if (quiet_insn(v, p, op, imm, a, b)) return true;
  char what[160];
  snprintf(what, sizeof what, "%s, instruction %zu: %s", body, k, op_name(op));
  if (!exp_byte(v, p, op, what)) return false;
  switch (imm) {
  case TW_IMM_NONE: return true;
  case TW_IMM_U32:
    if (a < 0 || a > UINT32_MAX) return XFAIL(x, *p, "%s: no such index", what);
    return exp_u(v, p, (uint64_t)a, 0, what);
  case TW_IMM_S32: return exp_s(v, p, a, false, what);
  case TW_IMM_S64: return exp_s(v, p, a, true, what);
  case TW_IMM_BYTE: return exp_byte(v, p, (uint8_t)a, what);
  case TW_IMM_MEMARG: return exp_u(v, p, (uint64_t)a, 0, what) && exp_u(v, p, b, 0, what);
  case TW_IMM_MEMORY_INIT:
    return exp_u(v, p, OP_FC_MEMORY_INIT, 0, what) && exp_u(v, p, (uint64_t)a, 0, what) &&
           exp_byte(v, p, 0, what);
  default: return XFAIL(x, *p, "%s: unknown immediate", what);
  }
}

/* locals (none, or one group of n x vt), the list, then the body's end. */
/* The local declarations: none, n x vt, and (a stub over files) then
 * n64 x i64. */
static bool match_locals(vctx *x, uint64_t *p, uint32_t nlocals, uint8_t vt, uint32_t n64,
                         const char *body) {
  char what[160];
  snprintf(what, sizeof what, "%s: local declarations", body);
  if (!exp_byte(&x->v, p, (uint8_t)((nlocals != 0) + (n64 != 0)), what)) return false;
  if (nlocals && (!exp_u(&x->v, p, nlocals, 0, what) || !exp_byte(&x->v, p, vt, what)))
    return false;
  return !n64 || (exp_u(&x->v, p, n64, 0, what) && exp_byte(&x->v, p, VT_I64, what));
}

static bool match_code(vctx *x, uint64_t *p, const tw_stub_insn *list, size_t n, uint32_t nparams,
                       const char *body);

static bool match_body(vctx *x, uint64_t *p, uint32_t nlocals, uint8_t vt,
                       const tw_stub_insn *list, size_t n, uint32_t nparams, const char *body) {
  return match_locals(x, p, nlocals, vt, 0, body) && match_code(x, p, list, n, nparams, body);
}

static bool match_code(vctx *x, uint64_t *p, const tw_stub_insn *list, size_t n, uint32_t nparams,
                       const char *body) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    const tw_stub_insn *in = &list[i];
    if (in->imm == IMM_FORWARD) {
      for (uint32_t j = 0; j < nparams; j++)
        if (!match_insn(x, p, OP_LOCAL_GET, TW_IMM_U32, j, 0, body, k++)) return false;
      continue;
    }
    if (!tw_stub_insn_present(in, &x->env)) continue;
    const int64_t val = tw_stub_insn_value(in, &x->env);
    if (in->ref != TW_REF_NONE && val == UINT32_MAX)
      return XFAIL(x, *p, "%s, instruction %zu: refers to a global or function the edit does "
                   "not add", body, k);
    if (!match_insn(x, p, in->op, in->imm, val, in->b, body, k++)) return false;
  }
  return true;
}

#define INS(o, k, a) ((tw_stub_insn){(uint8_t)(o), (uint8_t)(k), TW_REF_NONE, TW_REF_NONE, (a), 0})

/* The function types an edit may append (edit.h, tw_type_shape), in the
 * order they follow the input's: their type section entries, as this file
 * writes them down itself (docs/output-layout.md; docs/abi.md, "Shared
 * libraries" and "Embedded WASI data"). */
static const struct {
  uint8_t bytes[8];
  uint8_t len;
  const char *what, *shape;
} added_types[TW_TYPE_SHAPES] = {
    [TW_TYPE_OUTPUT] = {{TW_FUNC_FORM, 3, VT_I32, VT_I32, VT_I32, 0}, 6,
                        "the added type [i32 i32 i32] -> []", "[i32 i32 i32] -> []"},
    [TW_TYPE_HOOK] = {{TW_FUNC_FORM, 1, VT_I32, 0}, 4, "the added hook type [i32] -> []",
                      "[i32] -> []"},
    [TW_TYPE_INIT] = {{TW_FUNC_FORM, 0, 0}, 3, "the added init type [] -> []", "[] -> []"},
    [TW_TYPE_ROM] = {{TW_FUNC_FORM, 1, VT_I32, 1, VT_I32}, 5,
                     "the added lookup type [i32] -> [i32]", "[i32] -> [i32]"},
};

static uint32_t nadded_types(const tw_edit *e) {
  uint32_t n = 0;
  for (int s = 0; s < TW_TYPE_SHAPES; s++) n += e->add_type[s];
  return n;
}

/* The output index of appended shape s: after the input's types and every
 * appended shape before it (TW_NONE: not appended). */
static uint32_t added_index(const vctx *x, int s) {
  if (!x->e->add_type[s]) return TW_NONE;
  uint32_t t = x->m->ntypes;
  for (int k = 0; k < s; k++) t += x->e->add_type[k];
  return t;
}

/* Is input type t a function type of shape s? */
static bool input_type_is(const tw_module *m, uint32_t t, int s) {
  const tw_functype *f = &m->types[t];
  const uint8_t *b = added_types[s].bytes;
  const uint32_t np = b[1], nr = b[2 + np];
  return f->is_func && f->nparams == np && f->nresults == nr && f->params_end - f->params == np &&
         f->results_end - f->results == nr && memcmp(m->data + f->params, b + 2, np) == 0 &&
         memcmp(m->data + f->results, b + 3 + np, nr) == 0;
}

/* Is output type t of shape s: an input type of it, or the appended one? */
static bool type_is(const vctx *x, uint32_t t, int s) {
  return t < x->m->ntypes ? input_type_is(x->m, t, s) : t == added_index(x, s);
}

static bool type_nparams(const vctx *x, uint32_t type, uint32_t *np) {
  const tw_module *m = x->m;
  if (type < m->ntypes && m->types[type].is_func) return *np = m->types[type].nparams, true;
  for (int s = 0; s < TW_TYPE_SHAPES; s++)
    if (type >= m->ntypes && type == added_index(x, s)) return *np = added_types[s].bytes[1], true;
  return false;
}

/* An edit id's output index (false: no such id). */
static bool out_index(const vctx *x, uint32_t id, uint32_t *o) {
  if (id == TW_NONE || (uint64_t)id >= (uint64_t)x->m->nfuncs + x->e->nfns) return false;
  *o = x->e->out[id];
  return true;
}

static void export_label(const vctx *x, uint32_t export_i, char *out, size_t cap) {
  if (export_i < x->m->nexports) {
    const tw_export *xp = &x->m->exports[export_i];
    char name[48];
    tw_name_describe(x->m->data + xp->name, xp->name_len, name, sizeof name);
    snprintf(out, cap, "export \"%s\"", name);
  } else {
    snprintf(out, cap, "no export");
  }
}

/* docs/abi.md, "Wrapper bodies: task-hook ABI": H(start); call f; H(finish). */
enum { NO_HOOK = -1, BY_RESULT = -2 };
static const struct {
  tw_role role;
  int start, finish;
} task_hook_table[] = {
    {TW_ROLE_SYNC, 0, 1},
    {TW_ROLE_SYNC_POST, 0, NO_HOOK},
    {TW_ROLE_POST_RETURN, NO_HOOK, 1},
    {TW_ROLE_ASYNC_CALLBACK, 2, BY_RESULT},
    {TW_ROLE_CALLBACK, 3, BY_RESULT},
    {TW_ROLE_ASYNC_STACKFUL, 2, 5},
    {TW_ROLE_REALLOC, 12, 13},
    {TW_ROLE_DTOR, 8, 9},
    {TW_ROLE_INITIALIZE, 6, 7},
};

static bool check_wrapper(vctx *x, uint64_t *p, const tw_fn *f, uint32_t index) {
  const tw_edit *e = x->e;
  char body[120], label[64];
  export_label(x, f->export_i, label, sizeof label);
  snprintf(body, sizeof body, "wrapper %u (%s, %s)", index, tw_role_name(f->role), label);
  uint32_t np = 0, target = 0, hook = 0;
  if (!type_nparams(x, f->type, &np)) return XFAIL(x, *p, "%s: type %u is no function type", body, f->type);
  if (!out_index(x, f->target, &target)) return XFAIL(x, *p, "%s: no target", body);
  tw_stub_insn w[16];
  size_t n = 0;
  uint32_t nlocals = 0;
  if (e->abi == TW_ABI_TASK_HOOK) {
    if (!out_index(x, e->hook, &hook)) return XFAIL(x, *p, "%s: the edit has no hook", body);
    size_t r = 0;
    while (r < sizeof task_hook_table / sizeof task_hook_table[0] &&
           task_hook_table[r].role != f->role)
      r++;
    if (r == sizeof task_hook_table / sizeof task_hook_table[0])
      return XFAIL(x, *p, "%s: docs/abi.md wraps no export of this role", body);
    const int start = task_hook_table[r].start, finish = task_hook_table[r].finish;
    if (start != NO_HOOK) w[n++] = INS(OP_I32_CONST, TW_IMM_S32, start), w[n++] = INS(OP_CALL, TW_IMM_U32, hook);
    w[n++] = INS(OP_LOCAL_GET, IMM_FORWARD, 0);
    w[n++] = INS(OP_CALL, TW_IMM_U32, target);
    if (finish == BY_RESULT) { /* local.set r; H(r != 0 ? 4 : 5); local.get r */
      nlocals = 1;
      w[n++] = INS(OP_LOCAL_SET, TW_IMM_U32, np);
      w[n++] = INS(OP_I32_CONST, TW_IMM_S32, 4);
      w[n++] = INS(OP_I32_CONST, TW_IMM_S32, 5);
      w[n++] = INS(OP_LOCAL_GET, TW_IMM_U32, np);
      w[n++] = INS(OP_SELECT, TW_IMM_NONE, 0);
      w[n++] = INS(OP_CALL, TW_IMM_U32, hook);
      w[n++] = INS(OP_LOCAL_GET, TW_IMM_U32, np);
    } else if (finish != NO_HOOK) {
      w[n++] = INS(OP_I32_CONST, TW_IMM_S32, finish);
      w[n++] = INS(OP_CALL, TW_IMM_U32, hook);
    }
  } else if (e->abi == TW_ABI_INIT_TASK) {
    /* docs/abi.md, "Wrapper bodies: init-task ABI": call init; call f */
    const bool async = f->role == TW_ROLE_ASYNC_CALLBACK || f->role == TW_ROLE_ASYNC_STACKFUL;
    if (!async && f->role != TW_ROLE_SYNC && f->role != TW_ROLE_SYNC_POST &&
        f->role != TW_ROLE_INITIALIZE)
      return XFAIL(x, *p, "%s: the init-task ABI wraps no export of this role", body);
    if (!out_index(x, async && e->has_init_async ? e->init_async : e->hook, &hook))
      return XFAIL(x, *p, "%s: the edit has no init function", body);
    w[n++] = INS(OP_CALL, TW_IMM_U32, hook);
    w[n++] = INS(OP_LOCAL_GET, IMM_FORWARD, 0);
    w[n++] = INS(OP_CALL, TW_IMM_U32, target);
  } else {
    return XFAIL(x, *p, "%s: the edit has no ABI", body);
  }
  w[n++] = INS(OP_END, TW_IMM_NONE, 0);
  return match_body(x, p, nlocals, VT_I32, w, n, np, body);
}

/* docs/output-layout.md, "Added function bodies". */
static bool check_guard(vctx *x, uint64_t *p, const tw_fn *f, uint32_t index) {
  char body[120], label[64];
  export_label(x, f->export_i, label, sizeof label);
  snprintf(body, sizeof body, "init-once guard %u (%s)", index, label);
  const uint32_t g = x->e->global_of[TW_GLOBAL_GUARD];
  uint32_t np = 0, init = 0, target = 0;
  if (g == TW_NONE) return XFAIL(x, *p, "%s: the edit adds no guard flag", body);
  if (!type_nparams(x, f->type, &np)) return XFAIL(x, *p, "%s: type %u is no function type", body, f->type);
  if (!out_index(x, f->init, &init)) return XFAIL(x, *p, "%s: no function to initialise with", body);
  tw_stub_insn w[12];
  size_t n = 0;
  w[n++] = INS(OP_GLOBAL_GET, TW_IMM_U32, g);
  w[n++] = INS(OP_I32_EQZ, TW_IMM_NONE, 0);
  w[n++] = INS(OP_IF, TW_IMM_BYTE, BT_EMPTY);
  w[n++] = INS(OP_I32_CONST, TW_IMM_S32, 1);
  w[n++] = INS(OP_GLOBAL_SET, TW_IMM_U32, g);
  w[n++] = INS(OP_CALL, TW_IMM_U32, init);
  w[n++] = INS(OP_END, TW_IMM_NONE, 0);
  if (f->target != TW_NONE) {
    if (!out_index(x, f->target, &target)) return XFAIL(x, *p, "%s: no target", body);
    w[n++] = INS(OP_LOCAL_GET, IMM_FORWARD, 0);
    w[n++] = INS(OP_CALL, TW_IMM_U32, target);
  }
  w[n++] = INS(OP_END, TW_IMM_NONE, 0);
  return match_body(x, p, 0, 0, w, n, np, body);
}

/* docs/output-layout.md, "Added function bodies": call _start; i32.const 0;
 * global.set EXIT. */
static bool check_exit(vctx *x, uint64_t *p, const tw_fn *f, uint32_t index) {
  char body[120], label[64];
  export_label(x, f->export_i, label, sizeof label);
  snprintf(body, sizeof body, "exit-code wrapper %u (%s)", index, label);
  const uint32_t g = x->e->global_of[TW_GLOBAL_EXIT];
  uint32_t target = 0;
  if (g == TW_NONE) return XFAIL(x, *p, "%s: the edit adds no exit-code global", body);
  if (!out_index(x, f->target, &target)) return XFAIL(x, *p, "%s: no _start to call", body);
  tw_stub_insn w[4];
  size_t n = 0;
  w[n++] = INS(OP_CALL, TW_IMM_U32, target);
  w[n++] = INS(OP_I32_CONST, TW_IMM_S32, 0);
  w[n++] = INS(OP_GLOBAL_SET, TW_IMM_U32, g);
  w[n++] = INS(OP_END, TW_IMM_NONE, 0);
  return match_body(x, p, 0, 0, w, n, 0, body);
}

static bool check_stub(vctx *x, uint64_t *p, const tw_fn *f, uint32_t index) {
  const tw_import *im = &x->m->imports[f->import_i];
  char body[120];
  snprintf(body, sizeof body, "stub %u (%s, for import \"%.*s\")", index,
           tw_stub_kind_name(f->stub), (int)(im->name_len > 40 ? 40 : im->name_len),
           (const char *)x->m->data + im->name);
  const tw_stub_spec *s = tw_stub_spec_of(f->stub);
  if (!s) return XFAIL(x, *p, "%s: no such stub kind", body);
  return match_locals(x, p, s->nlocals, s->local_type, s->nlocals64, body) &&
         match_code(x, p, s->code, s->ncode, 0, body);
}

/* The table lookup: a binary search over the word index, leaves the words
 * check_data derived (docs/abi.md, "Embedded WASI data"). */
static bool match_tree(vctx *x, uint64_t *p, uint32_t lo, uint32_t hi, size_t *k, unsigned depth) {
  static const char body[] = "the embedded table's lookup";
  const uint32_t *w = x->rom;
  if (depth > 40) return XFAIL(x, *p, "%s: nested too deep", body);
  if (hi - lo == 1) return match_insn(x, p, OP_I32_CONST, TW_IMM_S32, (int32_t)w[lo], 0, body, (*k)++);
  const uint32_t mid = lo + (hi - lo) / 2;
  return match_insn(x, p, OP_LOCAL_GET, TW_IMM_U32, 0, 0, body, (*k)++) &&
         match_insn(x, p, OP_I32_CONST, TW_IMM_S32, (int32_t)mid, 0, body, (*k)++) &&
         match_insn(x, p, OP_I32_LT_U, TW_IMM_NONE, 0, 0, body, (*k)++) &&
         match_insn(x, p, OP_IF, TW_IMM_BYTE, VT_I32, 0, body, (*k)++) &&
         match_tree(x, p, lo, mid, k, depth + 1) &&
         match_insn(x, p, OP_ELSE, TW_IMM_NONE, 0, 0, body, (*k)++) &&
         match_tree(x, p, mid, hi, k, depth + 1) &&
         match_insn(x, p, OP_END, TW_IMM_NONE, 0, 0, body, (*k)++);
}

static bool check_rom(vctx *x, uint64_t *p) {
  size_t k = 0;
  if (!x->rom) return XFAIL(x, *p, "a table lookup function without embedded files");
  if (!exp_byte(&x->v, p, 0, "the embedded table's lookup: local declarations")) return false;
  if (x->nrom == 0 ? !match_insn(x, p, OP_I32_CONST, TW_IMM_S32, 0, 0, "the lookup", k++)
                   : !match_tree(x, p, 0, x->nrom, &k, 0))
    return false;
  return match_insn(x, p, OP_END, TW_IMM_NONE, 0, 0, "the embedded table's lookup", k);
}

/* ---- sections ---------------------------------------------------------------- */

static bool sec_type(vctx *x, uint64_t *p, const tw_section *s) {
  frame f;
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (!open_section(x, p, TW_SEC_TYPE, s, &f) || !input_count(x, *p, s, &n, &w, &after) ||
      !exp_u(&x->v, p, (uint64_t)n + nadded_types(x->e), w, "the type count") ||
      (s && !exp_copy(&x->v, p, after, s->end - after, "the input's types")))
    return false;
  for (int k = 0; k < TW_TYPE_SHAPES; k++)
    if (x->e->add_type[k] &&
        !exp_bytes(&x->v, p, added_types[k].bytes, added_types[k].len, added_types[k].what))
      return false;
  return close_section(x, *p, &f);
}

/* A name the edit adds (an import's module and field, an export): the
 * output must hold exactly it, and it must be a name, valid UTF-8 (spec
 * 5.2.4), or no engine would load the module. */
static bool exp_name(vctx *x, uint64_t *p, const char *str, const char *what) {
  const size_t len = strlen(str);
  if (!tw_utf8_valid((const uint8_t *)str, len))
    return XFAIL(x, *p, "%s is not valid UTF-8, so it is no name (spec 5.2.4)", what);
  return exp_u(&x->v, p, len, 0, what) && exp_bytes(&x->v, p, (const uint8_t *)str, len, what);
}

static bool sec_import(vctx *x, uint64_t *p, const tw_section *s) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < m->nimports; i++) kept += !e->import_removed[i];
  if ((uint64_t)kept + e->nimports_added == 0) return true; /* left out */
  frame f;
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (!open_section(x, p, TW_SEC_IMPORT, s, &f) || !input_count(x, *p, s, &n, &w, &after) ||
      !exp_u(&x->v, p, (uint64_t)kept + e->nimports_added, w, "the import count"))
    return false;
  for (uint32_t i = 0; i < m->nimports; i++) {
    char what[48];
    snprintf(what, sizeof what, "import entry %u", i);
    if (!e->import_removed[i] &&
        !exp_copy(&x->v, p, m->imports[i].start, m->imports[i].end - m->imports[i].start, what))
      return false;
  }
  for (uint32_t k = 0; k < e->nfns; k++) {
    const tw_fn *fn = &e->fns[k];
    if (fn->kind != TW_FN_IMPORT) continue;
    if (!fn->imp_module || !fn->imp_name) return XFAIL(x, *p, "the added import has no name");
    if (strcmp(fn->imp_module, TW_WASI_MODULE) == 0)
      return XFAIL(x, *p, "the added import is in module " TW_WASI_MODULE ", whose imports "
                   "--stub-wasi removes");
    if (!exp_name(x, p, fn->imp_module, "the added import's module name") ||
        !exp_name(x, p, fn->imp_name, "the added import's field name") ||
        !exp_byte(&x->v, p, TW_KIND_FUNC, "the added import's kind (function)") ||
        !exp_u(&x->v, p, fn->type, 0, "the added import's type index"))
      return false;
  }
  return close_section(x, *p, &f);
}

static bool sec_function(vctx *x, uint64_t *p, const tw_section *s) {
  const tw_module *m = x->m;
  frame f;
  const uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  if (!open_section(x, p, TW_SEC_FUNCTION, s, &f) ||
      !exp_u(&x->v, p, (uint64_t)ndefined + x->nadded, s ? m->funcsec_count_width : 0,
             "the function count") ||
      (s && !exp_copy(&x->v, p, m->funcsec_entries, s->end - m->funcsec_entries,
                      "the input's function entries")))
    return false;
  for (uint32_t k = 0; k < x->nadded; k++) {
    char what[64];
    snprintf(what, sizeof what, "the type index of function %u", x->first_added + k);
    if (!exp_u(&x->v, p, x->e->fns[x->by_out[k]].type, 0, what)) return false;
  }
  return close_section(x, *p, &f);
}

/* Table, start, element: the input's bytes with every function index patched. */
static bool sec_patched(vctx *x, uint64_t *p, const tw_section *s) {
  frame f;
  if (!open_section(x, p, s->id, s, &f)) return false;
  patcher pc = {x, *p, s->body};
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(x->m->data, s->body, s->end, &scratch);
  const bool ok = s->id == TW_SEC_TABLE ? tw_walk_tables(&c, pc_site, &pc)
                : s->id == TW_SEC_START ? tw_walk_funcidx(&c, pc_site, &pc)
                                        : tw_walk_elems(&c, pc_site, &pc);
  if (!ok) return scan_failed(&pc, &scratch, section_name(s->id));
  if (!pc_finish(&pc, s->end)) return false;
  *p = pc.op;
  return close_section(x, *p, &f);
}

static bool sec_global(vctx *x, uint64_t *p, const tw_section *s) {
  const tw_edit *e = x->e;
  frame f;
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (!open_section(x, p, TW_SEC_GLOBAL, s, &f) || !input_count(x, *p, s, &n, &w, &after) ||
      !exp_u(&x->v, p, (uint64_t)n + e->nglobals, w, "the global count"))
    return false;
  if (s && e->renumbered) {
    patcher pc = {x, *p, after};
    tw_err scratch = {0};
    tw_cursor c = tw_cursor_make(x->m->data, after, s->end, &scratch);
    if (!tw_walk_globals(&c, n, pc_site, &pc)) return scan_failed(&pc, &scratch, "global section");
    if (!pc_finish(&pc, s->end)) return false;
    *p = pc.op;
  } else if (s && !exp_copy(&x->v, p, after, s->end - after, "the input's globals")) {
    return false;
  }
  for (uint32_t k = 0; k < e->nglobals; k++) {
    const tw_global *g = &e->globals[k];
    const bool i64 = g->valtype == VT_I64;
    if (!exp_byte(&x->v, p, g->valtype, "an added global's value type") ||
        !exp_byte(&x->v, p, TW_MUT_VAR, "an added global's mutability (mutable)") ||
        !exp_byte(&x->v, p, i64 ? OP_I64_CONST : OP_I32_CONST, "an added global's initialiser") ||
        !exp_s(&x->v, p, g->init, i64, "an added global's initial value") ||
        !exp_byte(&x->v, p, OP_END, "the end of an added global's initialiser"))
      return false;
  }
  return close_section(x, *p, &f);
}

static bool sec_export(vctx *x, uint64_t *p, const tw_section *s) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < m->nexports; i++) kept += !e->exports[i].removed;
  frame f;
  if (!open_section(x, p, TW_SEC_EXPORT, s, &f) ||
      !exp_u(&x->v, p, (uint64_t)kept + e->add_exit_export, s ? m->exports_count_width : 0,
             "the export count"))
    return false;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *xp = &m->exports[i];
    if (e->exports[i].removed) continue;
    char what[96], label[64];
    export_label(x, i, label, sizeof label);
    snprintf(what, sizeof what, "the name of %s", label);
    const size_t name_end = xp->name + xp->name_len;
    if (e->exports[i].rename ? !exp_name(x, p, e->exports[i].rename, what)
                             : !exp_copy(&x->v, p, xp->start, name_end - xp->start, what))
      return false;
    snprintf(what, sizeof what, "the kind of %s", label);
    if (!exp_byte(&x->v, p, xp->kind, what)) return false;
    uint32_t want = xp->index;
    if (xp->kind == TW_KIND_FUNC && xp->index < m->nfuncs &&
        !out_index(x, e->exports[i].target, &want))
      return XFAIL(x, *p, "the edit gives %s no target", label);
    snprintf(what, sizeof what, "the index of %s", label);
    if (!exp_u(&x->v, p, want, xp->end - (name_end + 1), what)) return false;
  }
  if (e->add_exit_export) {
    if (e->global_of[TW_GLOBAL_EXIT] == TW_NONE)
      return XFAIL(x, *p, "the edit exports \"%s\" but adds no exit global", TW_EXIT_CODE_GLOBAL);
    if (!exp_name(x, p, TW_EXIT_CODE_GLOBAL, "the name of the export \"" TW_EXIT_CODE_GLOBAL "\"") ||
        !exp_byte(&x->v, p, TW_KIND_GLOBAL, "the kind of \"" TW_EXIT_CODE_GLOBAL "\" (global)") ||
        !exp_u(&x->v, p, e->global_of[TW_GLOBAL_EXIT], 0, "the index of \"" TW_EXIT_CODE_GLOBAL "\""))
      return false;
  }
  return close_section(x, *p, &f);
}

static bool check_added_body(vctx *x, uint64_t *p, uint32_t k) {
  const tw_fn *f = &x->e->fns[x->by_out[k]];
  const uint32_t index = x->first_added + k;
  later size;
  char what[64];
  snprintf(what, sizeof what, "the body size of function %u", index);
  if (!read_later(&x->v, p, 0, true, &size, what)) return false;
  const uint64_t start = *p;
  bool ok = false;
  switch (f->kind) {
  case TW_FN_WRAPPER: ok = check_wrapper(x, p, f, index); break;
  case TW_FN_GUARD: ok = check_guard(x, p, f, index); break;
  case TW_FN_STUB: ok = check_stub(x, p, f, index); break;
  case TW_FN_ROM: ok = check_rom(x, p); break;
  case TW_FN_EXIT: ok = check_exit(x, p, f, index); break;
  default: ok = XFAIL(x, *p, "function %u is an import, not a body", index); break;
  }
  return ok && check_later(&x->v, &size, *p - start, what);
}

static bool sec_code(vctx *x, uint64_t *p, const tw_section *s) {
  const tw_module *m = x->m;
  frame f;
  if (!open_section(x, p, TW_SEC_CODE, s, &f) ||
      !exp_u(&x->v, p, (uint64_t)m->nbodies + x->nadded, s ? m->code_count_width : 0,
             "the function-body count"))
    return false;
  if (s && !x->e->renumbered) {
    if (!exp_copy(&x->v, p, m->code_entries, s->end - m->code_entries, "the input's bodies"))
      return false;
  } else if (s) {
    tw_module_need(m, s->start, s->end - s->start); /* every body is decoded */
    for (uint32_t i = 0; i < m->nbodies; i++) {
      const tw_body *b = &m->bodies[i];
      later size;
      char what[64];
      if (!read_later(&x->v, p, b->code - b->start, true, &size, "a function's body size"))
        return false;
      const uint64_t start = *p;
      patcher pc = {x, *p, b->code};
      tw_err scratch = {0};
      tw_cursor c = tw_cursor_make(m->data, b->code, b->end, &scratch);
      if (!tw_walk_body(&c, pc_site, &pc)) return scan_failed(&pc, &scratch, "code");
      if (!pc_finish(&pc, b->end)) return false;
      *p = pc.op;
      if (later_ok(&size, *p - start)) continue;
      snprintf(what, sizeof what, "the body size of function %u", x->e->out[m->nfunc_imports + i]);
      return check_later(&x->v, &size, *p - start, what);
    }
  }
  for (uint32_t k = 0; k < x->nadded; k++)
    if (!check_added_body(x, p, k)) return false;
  return close_section(x, *p, &f);
}

/* ---- the name section -------------------------------------------------------- */

static bool exp_added_name(vctx *x, uint64_t *p, uint32_t k) {
  const tw_module *m = x->m;
  const tw_fn *f = &x->e->fns[x->by_out[k]];
  const char *prefix = NULL;
  size_t at = 0, len = 0;
  if (f->kind == TW_FN_STUB) {
    prefix = "taskwrap:wasi_snapshot_preview1.";
    at = m->imports[f->import_i].name, len = m->imports[f->import_i].name_len;
  } else if (f->kind == TW_FN_ROM) {
    prefix = TW_WASI_ROM_NAME;
  } else {
    if (f->export_i >= m->nexports)
      return XFAIL(x, *p, "function %u serves no export to be named after", x->first_added + k);
    prefix = f->kind == TW_FN_GUARD  ? "taskwrap:init-once:"
           : f->kind == TW_FN_EXIT ? "taskwrap:exit-code:"
                                   : "taskwrap:";
    at = m->exports[f->export_i].name, len = m->exports[f->export_i].name_len;
  }
  char what[64];
  snprintf(what, sizeof what, "the name of function %u", x->first_added + k);
  if (!tw_utf8_valid(m->data + at, len)) /* the reader refuses such input names; say so anyway */
    return XFAIL(x, *p, "%s is not valid UTF-8, so it is no name (spec 5.2.4)", what);
  const size_t plen = strlen(prefix);
  return exp_u(&x->v, p, x->first_added + k, 0, "the function index of an added name") &&
         exp_u(&x->v, p, plen + len, 0, what) &&
         exp_bytes(&x->v, p, (const uint8_t *)prefix, plen, what) &&
         exp_bytes(&x->v, p, m->data + at, len, what);
}

/* A function-names subsection with only the added names (none in the input). */
static bool names_inserted(vctx *x, uint64_t *p) {
  later size;
  if (!exp_byte(&x->v, p, 1, "the id of the inserted function-names subsection") ||
      !read_later(&x->v, p, 0, true, &size, "the size of the function-names subsection"))
    return false;
  const uint64_t body = *p;
  if (!exp_u(&x->v, p, x->nadded, 0, "the number of function names")) return false;
  for (uint32_t k = 0; k < x->nadded; k++)
    if (!exp_added_name(x, p, k)) return false;
  return check_later(&x->v, &size, *p - body, "the size of the function-names subsection");
}

/* Subsection 1 (function names, direct) or 2/3 (indirect), rebuilt: input
 * entries of removed imports left out, the others renumbered (when the edit
 * renumbers) or copied; function names also get the added names. */
static bool names_map(vctx *x, uint64_t *p, uint8_t id, size_t start, size_t sub, uint32_t len) {
  const tw_module *m = x->m;
  view *v = &x->v;
  later size, count;
  char what[64];
  snprintf(what, sizeof what, "the size of name subsection %u", id);
  if (!exp_byte(v, p, id, "a name subsection id") ||
      !read_later(v, p, sub - start - 1, true, &size, what))
    return false;
  const uint64_t body = *p;
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, sub, sub + len, &scratch);
  uint32_t n = 0, kept = 0;
  if (!tw_read_u32(&c, &n, "name map"))
    return XFAIL(x, *p, "cannot decode the input's name subsection %u at input 0x%zx", id, sub);
  if (!read_later(v, p, c.pos - sub, false, &count, "the number of names")) return false;
  const uint32_t added = id == 1 ? x->nadded : 0;
  if (!x->e->renumbered) {
    if (!exp_copy(v, p, c.pos, sub + len - c.pos, "the input's names")) return false;
    kept = n;
  } else {
    for (uint32_t i = 0, last = 0; i < n; i++) {
      const size_t at = c.pos;
      uint32_t idx = 0, inner = 0, li = 0, nl = 0;
      size_t s = 0;
      bool ok = tw_read_u32(&c, &idx, "index");
      const size_t after_idx = c.pos;
      if (ok && id == 1) {
        ok = tw_read_name(&c, &s, &nl, "name");
      } else if (ok) {
        ok = tw_read_u32(&c, &inner, "count");
        for (uint32_t j = 0; ok && j < inner; j++)
          ok = tw_read_u32(&c, &li, "index") && tw_read_name(&c, &s, &nl, "name");
      }
      if (!ok || idx >= m->nfuncs || (i && idx <= last))
        return XFAIL(x, *p, "the input's name subsection %u cannot be renumbered (entry at input "
                     "0x%zx)", id, at);
      last = idx;
      if (x->func_removed[idx]) continue; /* a removed import: its stub is named instead */
      kept++;
      if (!exp_u(v, p, x->e->out[idx], after_idx - at, "the function index of a name") ||
          !exp_copy(v, p, after_idx, c.pos - after_idx, "the input's name entry"))
        return false;
    }
    if (c.pos != c.end)
      return XFAIL(x, *p, "the input's name subsection %u has bytes after its entries", id);
  }
  for (uint32_t k = 0; k < added; k++)
    if (!exp_added_name(x, p, k)) return false;
  return check_later(v, &count, (uint64_t)kept + added, "the number of names") &&
         check_later(v, &size, *p - body, what);
}

static bool sec_names(vctx *x, uint64_t *p, const tw_section *s) {
  const tw_module *m = x->m;
  if (x->e->renumbered) tw_module_need(m, s->start, s->end - s->start); /* every entry is decoded */
  if (!m->names_ok) return XFAIL(x, *p, "the edit rebuilds a name section that does not parse");
  frame f;
  const size_t contents = s->name_start + s->name_len;
  if (!open_section(x, p, TW_SEC_CUSTOM, s, &f) ||
      !exp_copy(&x->v, p, s->body, contents - s->body, "the name section's own name"))
    return false;
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, contents, s->end, &scratch);
  bool func_names = false;
  while (c.pos < c.end) {
    tw_subsection ss;
    if (!tw_read_subsection(&c, &ss))
      return XFAIL(x, *p, "cannot decode the input's name section at input 0x%zx", c.pos);
    const size_t start = ss.start, sub = ss.body;
    const uint8_t id = ss.id;
    const uint32_t len = ss.len;
    if (id > 1 && !func_names && x->nadded > 0) {
      if (!names_inserted(x, p)) return false;
      func_names = true;
    }
    if (id == 1 || ((id == 2 || id == 3) && x->e->renumbered)) {
      if (!names_map(x, p, id, start, sub, len)) return false;
      func_names |= id == 1;
    } else {
      char what[48];
      snprintf(what, sizeof what, "name subsection %u", id);
      if (!exp_copy(&x->v, p, start, c.pos - start, what)) return false;
    }
  }
  if (!func_names && x->nadded > 0 && !names_inserted(x, p)) return false;
  return close_section(x, *p, &f);
}

/* ---- --stub-wasi's embedded data ---------------------------------------------- */

/* The input's data count section (id 12) or data section, or NULL. */
static const tw_section *input_section(const tw_module *m, uint8_t id) {
  for (size_t i = 0; i < m->nsections; i++)
    if (m->sections[i].id == id) {
      const tw_section *s = &m->sections[i];
      tw_module_need(m, s->body, s->end - s->body < 5 ? s->end - s->body : 5);
      return s;
    }
  return NULL;
}

/* The data count: the input's plus the embedded segment. */
static bool sec_datacount(vctx *x, uint64_t *p, const tw_section *s) {
  frame f;
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (s) tw_module_need(x->m, s->body, s->end - s->body);
  if (!open_section(x, p, TW_SEC_DATACOUNT, s, &f) || !input_count(x, *p, s, &n, &w, &after))
    return false;
  if (!s) n = x->env.data_segment;
  return exp_u(&x->v, p, (uint64_t)n + 1, w, "the data count (the input's segments and the "
                                               "embedded one)") &&
         close_section(x, *p, &f);
}

/* The input's segments, then the embedded one: passive, with the bytes
 * check_data laid out. */
static bool sec_data(vctx *x, uint64_t *p, const tw_section *s) {
  frame f;
  uint32_t n = 0;
  size_t w = 0, after = 0;
  if (s) tw_module_need(x->m, s->body, s->end - s->body < 5 ? s->end - s->body : 5);
  if (!open_section(x, p, TW_SEC_DATA, s, &f) || !input_count(x, *p, s, &n, &w, &after) ||
      !exp_u(&x->v, p, (uint64_t)n + 1, w, "the data segment count"))
    return false;
  if (s && !exp_copy(&x->v, p, after, s->end - after, "the input's data segments")) return false;
  return exp_byte(&x->v, p, 1, "the embedded segment's flags (passive)") &&
         exp_u(&x->v, p, x->segment.len, 0, "the embedded segment's size") &&
         exp_bytes(&x->v, p, x->segment.data, x->segment.len, "the embedded segment") &&
         close_section(x, *p, &f);
}

/* ---- the section sequence ---------------------------------------------------- */

static bool copy_section(vctx *x, uint64_t *p, const tw_section *s) {
  char what[64];
  snprintf(what, sizeof what, "the input's %s section at 0x%zx", section_name(s->id), s->start);
  return exp_copy(&x->v, p, s->start, s->end - s->start, what);
}

static bool dropped_ok(vctx *x, uint64_t p, size_t i) {
  const tw_module *m = x->m;
  const tw_section *s = &m->sections[i];
  if (s->id == TW_SEC_CUSTOM &&
      (tw_section_named(m, s, ".debug_", false) ||
       (x->e->renumbered && tw_section_named(m, s, "metadata.code.", false)) ||
       ((long)i == m->sec_name && x->e->names_dropped)))
    return true;
  return XFAIL(x, p, "the edit drops the input's %s section at 0x%zx, which "
               "docs/output-layout.md never drops", section_name(s->id), s->start);
}

static bool one_section(vctx *x, uint64_t *p, size_t i) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  const tw_section *s = &m->sections[i];
  if (e->drop_section[i]) return dropped_ok(x, *p, i);
  switch (s->id) {
  case TW_SEC_TYPE:
    return nadded_types(e) ? sec_type(x, p, s) : copy_section(x, p, s);
  case TW_SEC_IMPORT:
    return e->nimports_removed || e->nimports_added ? sec_import(x, p, s) : copy_section(x, p, s);
  case TW_SEC_FUNCTION: return x->nadded ? sec_function(x, p, s) : copy_section(x, p, s);
  case TW_SEC_TABLE: case TW_SEC_START: case TW_SEC_ELEM:
    return e->renumbered ? sec_patched(x, p, s) : copy_section(x, p, s);
  case TW_SEC_GLOBAL:
    return e->nglobals || e->renumbered ? sec_global(x, p, s) : copy_section(x, p, s);
  case TW_SEC_EXPORT: return sec_export(x, p, s); /* unchanged entries verify as copies */
  case TW_SEC_CODE: return x->nadded || e->renumbered ? sec_code(x, p, s) : copy_section(x, p, s);
  case TW_SEC_DATACOUNT: return x->data ? sec_datacount(x, p, s) : copy_section(x, p, s);
  case TW_SEC_DATA: return x->data ? sec_data(x, p, s) : copy_section(x, p, s);
  case TW_SEC_CUSTOM:
    return (long)i == m->sec_name && e->names_rebuild ? sec_names(x, p, s) : copy_section(x, p, s);
  default: return copy_section(x, p, s);
  }
}

/* The sections an edit may need and the input may lack, in rank order. */
static const uint8_t insertable[] = {TW_SEC_TYPE,   TW_SEC_IMPORT, TW_SEC_FUNCTION,
                                     TW_SEC_GLOBAL, TW_SEC_EXPORT, TW_SEC_DATACOUNT,
                                     TW_SEC_CODE,   TW_SEC_DATA};

static bool needed(const vctx *x, uint8_t id) {
  const tw_edit *e = x->e;
  switch (id) {
  case TW_SEC_TYPE: return nadded_types(e) > 0;
  case TW_SEC_IMPORT: return e->nimports_added > 0;
  case TW_SEC_FUNCTION: case TW_SEC_CODE: return x->nadded > 0;
  case TW_SEC_GLOBAL: return e->nglobals > 0;
  case TW_SEC_EXPORT: return e->add_exit_export;
  case TW_SEC_DATACOUNT: case TW_SEC_DATA: return x->data;
  default: return false;
  }
}

static bool insert_section(vctx *x, uint64_t *p, uint8_t id) {
  switch (id) {
  case TW_SEC_TYPE: return sec_type(x, p, NULL);
  case TW_SEC_IMPORT: return sec_import(x, p, NULL);
  case TW_SEC_FUNCTION: return sec_function(x, p, NULL);
  case TW_SEC_GLOBAL: return sec_global(x, p, NULL);
  case TW_SEC_EXPORT: return sec_export(x, p, NULL);
  case TW_SEC_DATACOUNT: return sec_datacount(x, p, NULL);
  case TW_SEC_DATA: return sec_data(x, p, NULL);
  default: return sec_code(x, p, NULL);
  }
}

static bool verify_sections(vctx *x) {
  const tw_module *m = x->m;
  /* Where each needed, absent section goes: after the last input section
   * of lower rank that is not custom (-1: after the header); -2: nowhere. */
  long anchor[sizeof insertable];
  for (size_t k = 0; k < sizeof insertable; k++) {
    const int rank = tw_section_rank(insertable[k]);
    bool present = false;
    anchor[k] = -1;
    for (size_t i = 0; i < m->nsections; i++) {
      const int r = m->sections[i].id == TW_SEC_CUSTOM ? -1 : tw_section_rank(m->sections[i].id);
      present |= m->sections[i].id == insertable[k];
      if (r > 0 && r < rank) anchor[k] = (long)i;
    }
    if (present || !needed(x, insertable[k])) anchor[k] = -2;
  }
  uint64_t p = 0;
  if (m->size < 8) return XFAIL(x, 0, "the input has no header");
  if (!exp_copy(&x->v, &p, 0, 8, "the module header")) return false;
  for (long i = -1; i < (long)m->nsections; i++) {
    if (i >= 0 && !one_section(x, &p, (size_t)i)) return false;
    for (size_t k = 0; k < sizeof insertable; k++)
      if (anchor[k] == i && !insert_section(x, &p, insertable[k])) return false;
  }
  if (p != x->v.size)
    return XFAIL(x, p, "expected the end of the output here (0x%llx more bytes follow)",
                 ULL(x->v.size - p));
  return true;
}

/* ---- the edit itself -----------------------------------------------------------
 * What the output is checked against must be what docs/output-layout.md,
 * "Rules for numbers" derives from the input: the one numbering, the appended globals, the types
 * and links of the added functions. Offsets are 0: nothing in the output is
 * wrong yet, the edit is. */

static bool check_numbering(vctx *x) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  if (!e->out) return XFAIL(x, 0, "the edit is not finalised");
  uint32_t next = 0, f = 0, counts[TW_FN_KINDS] = {0};
  for (uint32_t i = 0; i < m->nimports; i++) {
    if (m->imports[i].kind != TW_KIND_FUNC) {
      if (e->import_removed[i]) return XFAIL(x, 0, "the edit removes import %u, not a function", i);
      continue;
    }
    x->func_removed[f] = e->import_removed[i];
    if (!e->import_removed[i] && e->out[f] != next++)
      return XFAIL(x, 0, "the edit numbers import function %u as %u, expected %u", f, e->out[f],
                   next - 1);
    f++;
  }
  for (uint32_t k = 0; k < e->nfns; k++) {
    if ((unsigned)e->fns[k].kind >= TW_FN_KINDS)
      return XFAIL(x, 0, "the edit's function %u has no known kind", k);
    counts[e->fns[k].kind]++;
    if (e->fns[k].kind != TW_FN_IMPORT) continue;
    if (e->out[m->nfuncs + k] != next++)
      return XFAIL(x, 0, "the edit numbers the added import %u as %u, expected %u", k,
                   e->out[m->nfuncs + k], next - 1);
    /* The stubs' output function, from this numbering rather than from the
     * encoder's (bodies.c): a mistake there must not pass both. A shared
     * library's hook import is not it. */
    if (m->nfuncs + k != e->hook) x->env.output_func = next - 1;
  }
  if (counts[TW_FN_IMPORT] != e->nimports_added || counts[TW_FN_WRAPPER] != e->nwrappers ||
      counts[TW_FN_STUB] != e->nstubs || counts[TW_FN_GUARD] != e->nguards ||
      counts[TW_FN_EXIT] != e->nexits || counts[TW_FN_ROM] != e->nroms || e->nroms > 1)
    return XFAIL(x, 0, "the edit's function counts do not match its functions");
  if (e->out_nimports != next)
    return XFAIL(x, 0, "the edit has %u function imports, expected %u", e->out_nimports, next);
  for (f = m->nfunc_imports; f < m->nfuncs; f++)
    if (e->out[f] != next++)
      return XFAIL(x, 0, "the edit numbers function %u as %u, expected %u", f, e->out[f], next - 1);
  x->first_added = next;
  static const tw_fn_kind order[] = {TW_FN_WRAPPER, TW_FN_STUB, TW_FN_GUARD, TW_FN_EXIT,
                                     TW_FN_ROM};
  for (size_t d = 0; d < sizeof order / sizeof order[0]; d++)
    for (uint32_t k = 0; k < e->nfns; k++) {
      if (e->fns[k].kind != order[d]) continue;
      if (e->out[m->nfuncs + k] != next)
        return XFAIL(x, 0, "the edit numbers its function %u as %u, expected %u", k,
                     e->out[m->nfuncs + k], next);
      if (order[d] == TW_FN_ROM) {
        if (e->rom_fn != m->nfuncs + k)
          return XFAIL(x, 0, "the edit's table lookup is not its function %u", k);
        x->env.rom_func = next; /* the file stubs' call, from this numbering */
      }
      x->by_out[next++ - x->first_added] = k;
    }
  if (e->out_nfuncs != next)
    return XFAIL(x, 0, "the edit has %u functions, expected %u", e->out_nfuncs, next);
  /* Each removed import maps to the one stub that replaces it. */
  uint32_t stubbed = 0;
  for (uint32_t k = 0; k < e->nfns; k++) {
    const tw_fn *s = &e->fns[k];
    if (s->kind != TW_FN_STUB) continue;
    if (s->import_i >= m->nimports || !e->import_removed[s->import_i] ||
        s->import_func >= m->nfunc_imports || !x->func_removed[s->import_func] ||
        e->out[s->import_func] != e->out[m->nfuncs + k])
      return XFAIL(x, 0, "the edit's stub %u does not replace a removed import", k);
    stubbed++;
  }
  uint32_t removed = 0;
  for (uint32_t i = 0; i < m->nimports; i++) removed += e->import_removed[i];
  if (removed != e->nimports_removed || removed != stubbed)
    return XFAIL(x, 0, "the edit removes %u imports and has %u stubs", removed, stubbed);
  bool renumbered = false;
  for (f = 0; f < m->nfuncs; f++) renumbered |= e->out[f] != f;
  if (renumbered != e->renumbered)
    return XFAIL(x, 0, "the edit says the function space is%s renumbered; it is%s",
                 e->renumbered ? "" : " not", renumbered ? "" : " not");
  return true;
}

/* docs/abi.md, "Shared libraries", with this file's own names: the hook
 * exports and the private names they are renamed to, and the import a
 * library without the hook calls it through. */
static const struct {
  const char *name, *private_name;
  tw_abi abi;
} lib_hooks[] = {
    {"__wasm_task_hook", "__taskwrap_task_hook", TW_ABI_TASK_HOOK},
    {"__wasm_init_task", "__taskwrap_init_task", TW_ABI_INIT_TASK},
    {"__wasm_init_async_task", "__taskwrap_init_async_task", TW_ABI_INIT_TASK},
};

static bool has_dylink_section(const tw_module *m) {
  for (size_t i = 0; i < m->nsections; i++)
    if (tw_section_named(m, &m->sections[i], "dylink.0", true) ||
        tw_section_named(m, &m->sections[i], "dylink", true))
      return true;
  return false;
}

/* The import of the hook: module "env", the ABI's private name (the
 * init-task ABI imports __wasm_init_task's alone), the hook's type. */
static bool check_hook_import(const vctx *x, const tw_fn *f) {
  const tw_edit *e = x->e;
  const bool task_hook = e->abi == TW_ABI_TASK_HOOK;
  if (e->lib != TW_LIB_IMPORTS || !f->imp_module || !f->imp_name ||
      strcmp(f->imp_module, "env") != 0 ||
      strcmp(f->imp_name, task_hook ? "__taskwrap_task_hook" : "__taskwrap_init_task") != 0)
    return false;
  return type_is(x, f->type, task_hook ? TW_TYPE_HOOK : TW_TYPE_INIT);
}

/* What the edit says the library is must be what its input is. */
static bool check_library(vctx *x) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  const bool dylink = has_dylink_section(m);
  if (dylink != (e->lib != TW_LIB_NONE))
    return XFAIL(x, 0, "the edit %s the input a shared library; its sections say it is%s",
                 e->lib != TW_LIB_NONE ? "calls" : "does not call", dylink ? "" : " not");
  const tw_fn *h = e->hook != TW_NONE ? tw_edit_fn(e, e->hook) : NULL;
  if (e->lib == TW_LIB_IMPORTS && (!h || h->kind != TW_FN_IMPORT || e->init_async != e->hook ||
                                   e->has_init_async))
    return XFAIL(x, 0, "the edit imports no hook for a library that calls one");
  if (e->lib != TW_LIB_IMPORTS && (e->add_type[TW_TYPE_HOOK] || e->add_type[TW_TYPE_INIT]))
    return XFAIL(x, 0, "the edit appends a hook type to a library that imports no hook");
  if ((e->lib == TW_LIB_NOTHING || e->lib == TW_LIB_REWRITTEN) && e->changes && e->nwrappers)
    return XFAIL(x, 0, "the edit wraps exports of a library it says it leaves alone");
  for (uint32_t i = 0; e->lib == TW_LIB_DEFINES && i < m->nexports; i++) {
    const tw_export *xp = &m->exports[i];
    for (size_t k = 0; k < sizeof lib_hooks / sizeof lib_hooks[0]; k++)
      if (lib_hooks[k].abi == e->abi && tw_name_is(m->data + xp->name, xp->name_len, lib_hooks[k].name) &&
          !e->exports[i].rename)
        return XFAIL(x, 0, "the edit leaves the hook export %u of the library that defines it "
                     "under its public name", i);
  }
  return true;
}

/* A renamed export: the selected ABI's hook in the library that defines
 * it, under exactly its private name, still naming the hook. */
static bool check_rename(vctx *x, uint32_t i) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  const tw_export *xp = &m->exports[i];
  for (size_t k = 0; k < sizeof lib_hooks / sizeof lib_hooks[0]; k++) {
    if (!tw_name_is(m->data + xp->name, xp->name_len, lib_hooks[k].name)) continue;
    const bool ok = e->lib == TW_LIB_DEFINES && lib_hooks[k].abi == e->abi &&
                    strcmp(e->exports[i].rename, lib_hooks[k].private_name) == 0 &&
                    xp->kind == TW_KIND_FUNC && e->exports[i].target == xp->index &&
                    (xp->index == e->hook || xp->index == e->init_async);
    if (ok) return true;
    break;
  }
  return XFAIL(x, 0, "the edit renames export %u, which is not the hook of a shared library "
               "that defines it, or not to its private name", i);
}

/* What the module embeds (TW_EMBED_*), from the options' own lists. */
static unsigned embedded_of(const tw_edit *e) {
  const tw_wasi_image *w = e->wasi;
  if (!w) return 0;
  return (w->args.count ? TW_EMBED_ARGS : 0u) | (w->env.count ? TW_EMBED_ENV : 0u) |
         (w->npreopens ? TW_EMBED_FILES : 0u);
}

/* A type is appended only when the input has none of its shape, and only
 * for the added function that needs it: the output import, the hook
 * import, or the table lookup. */
static bool check_added_types(vctx *x) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  for (int s = 0; s < TW_TYPE_SHAPES; s++) {
    if (!e->add_type[s]) continue;
    for (uint32_t t = 0; t < m->ntypes; t++)
      if (input_type_is(m, t, s))
        return XFAIL(x, 0, "the edit appends the type %s, and input type %u is one",
                     added_types[s].shape, t);
    const uint32_t want = added_index(x, s);
    bool used = false;
    for (uint32_t k = 0; k < e->nfns && !used; k++) {
      const tw_fn *f = &e->fns[k];
      const bool hook = f->kind == TW_FN_IMPORT && m->nfuncs + k == e->hook;
      used = f->type == want && (s == TW_TYPE_ROM    ? f->kind == TW_FN_ROM
                                 : s == TW_TYPE_OUTPUT ? f->kind == TW_FN_IMPORT && !hook
                                                       : hook);
    }
    if (!used)
      return XFAIL(x, 0, "the edit appends the type %s, and no added function that needs "
                   "it has it", added_types[s].shape);
  }
  return true;
}

static bool check_functions(vctx *x) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  if (nadded_types(e) && e->ntypes_in != m->ntypes)
    return XFAIL(x, 0, "the edit appends type %u, the input has %u types", e->ntypes_in, m->ntypes);
  if (!check_added_types(x)) return false;
  if (!check_library(x)) return false;
  for (uint32_t k = 0; k < e->nfns; k++) {
    const tw_fn *f = &e->fns[k];
    bool ok = true;
    switch (f->kind) {
    case TW_FN_IMPORT:
      ok = m->nfuncs + k == e->hook ? check_hook_import(x, f) : type_is(x, f->type, TW_TYPE_OUTPUT);
      break;
    case TW_FN_WRAPPER:
      ok = f->target < m->nfuncs && f->type == m->func_types[f->target];
      break;
    case TW_FN_GUARD: {
      const uint32_t base = f->target != TW_NONE ? f->target : f->init;
      ok = base != TW_NONE && (uint64_t)base < (uint64_t)m->nfuncs + e->nfns &&
           f->type == tw_edit_fn_type(e, base) && (uint64_t)f->init < (uint64_t)m->nfuncs + e->nfns;
      break;
    }
    case TW_FN_EXIT: {
      const tw_functype *t = tw_module_func_type(m, f->export_i < m->nexports
                                                        ? m->exports[f->export_i].index
                                                        : TW_NONE);
      ok = (uint64_t)f->target < (uint64_t)m->nfuncs + e->nfns && f->type == tw_edit_fn_type(e, f->target) &&
           t && t->nparams == 0 && t->nresults == 0;
      break;
    }
    case TW_FN_ROM: {
      ok = type_is(x, f->type, TW_TYPE_ROM) && (embedded_of(e) & TW_EMBED_FILES);
      break;
    }
    case TW_FN_STUB: {
      bool mismatch = false;
      ok = f->import_i < m->nimports && f->type == m->imports[f->import_i].type &&
           f->stub == tw_stub_classify(m, m->data + m->imports[f->import_i].name,
                                       m->imports[f->import_i].name_len,
                                       tw_module_func_type(m, f->import_func),
                                       embedded_of(e), &mismatch);
      break;
    }
    }
    if (!ok)
      return XFAIL(x, 0, "the edit's function %u (kind %u) has the wrong type, target or stub",
                   k, (unsigned)f->kind);
  }
  /* Exports name themselves, their wrapper, or their guard (which forwards
   * to the wrapper or the function, or initialises with it). */
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *xp = &m->exports[i];
    const tw_export_edit *xe = &e->exports[i];
    if (xe->removed) {
      if (xp->kind != TW_KIND_FUNC || (xe->role != TW_ROLE_HOOK && xe->role != TW_ROLE_INIT))
        return XFAIL(x, 0, "the edit removes export %u, which is no hook export", i);
      continue;
    }
    if (xe->rename && !check_rename(x, i)) return false;
    if (xp->kind != TW_KIND_FUNC) continue;
    /* An index out of range names no function: left as it is (edit.c). */
    uint32_t base = xp->index < m->nfuncs ? xp->index : TW_NONE;
    const tw_fn *w = xe->wrapper != TW_NONE ? tw_edit_fn(e, xe->wrapper) : NULL;
    const tw_fn *g = xe->guard != TW_NONE ? tw_edit_fn(e, xe->guard) : NULL;
    if (xe->wrapper != TW_NONE) {
      if (!w || w->kind != TW_FN_WRAPPER || w->target != xp->index || w->role != xe->role)
        return XFAIL(x, 0, "the edit's wrapper of export %u does not wrap it", i);
      base = xe->wrapper;
    }
    if (xe->guard != TW_NONE) {
      if (!g || g->kind != TW_FN_GUARD || (g->target != TW_NONE ? g->target : g->init) != base)
        return XFAIL(x, 0, "the edit's guard of export %u does not forward to it", i);
      base = xe->guard;
    }
    if (xe->exit != TW_NONE) {
      const tw_fn *q = tw_edit_fn(e, xe->exit);
      if (!q || q->kind != TW_FN_EXIT || q->target != base ||
          !tw_name_is(m->data + xp->name, xp->name_len, "_start"))
        return XFAIL(x, 0, "the edit's exit-code wrapper of export %u does not call it", i);
      base = xe->exit;
    }
    if (xe->target != base)
      return XFAIL(x, 0, "the edit points export %u at %u, expected %u", i, xe->target, base);
  }
  return true;
}

static bool check_globals(vctx *x) {
  const tw_module *m = x->m;
  const tw_edit *e = x->e;
  uint32_t n = 0;
  for (uint32_t i = 0; i < m->nimports; i++) n += m->imports[i].kind == TW_KIND_GLOBAL;
  for (size_t i = 0; i < m->nsections; i++) {
    if (m->sections[i].id != TW_SEC_GLOBAL) continue;
    uint32_t defined = 0;
    size_t w = 0, after = 0;
    if (!input_count(x, 0, &m->sections[i], &defined, &w, &after)) return false;
    n += defined;
  }
  if (e->nglobals_in != n)
    return XFAIL(x, 0, "the edit counts %u input globals, the input has %u", e->nglobals_in, n);
  static const struct {
    uint8_t valtype;
    int64_t init;
  } spec[4] = {{VT_I32, 0}, {VT_I32, -1},
               {VT_I64, TW_STUB_CLOCK_START - TW_STUB_CLOCK_STEP}, {VT_I64, TW_STUB_RANDOM_SEED}};
  bool seen[4] = {false, false, false, false};
  int last = -1;
  /* The descriptor slots come last: the preopens open (docs/abi.md,
   * "Embedded WASI data"), bits 0-15 the entry + 1, bit 16 "preopened". */
  uint32_t nslots = 0;
  const uint32_t npre = e->wasi ? e->wasi->npreopens : 0;
  for (uint32_t k = e->nglobals; k > 0 && e->globals[k - 1].role == TW_GLOBAL_SLOT; k--) nslots++;
  if (nslots && (nslots != TW_WASI_SLOTS || e->global_of[TW_GLOBAL_SLOT] != n + e->nglobals - nslots))
    return XFAIL(x, 0, "the edit's descriptor slots are not the %u globals docs/abi.md appends last",
                 TW_WASI_SLOTS);
  if (!nslots && e->global_of[TW_GLOBAL_SLOT] != TW_NONE)
    return XFAIL(x, 0, "the edit names descriptor slots it does not add");
  for (uint32_t k = 0; k < nslots; k++) {
    const tw_global *g = &e->globals[e->nglobals - nslots + k];
    const int64_t want = k < npre ? (int64_t)(k + 1) | 0x10000 : 0;
    if (g->valtype != VT_I64 || g->init != want)
      return XFAIL(x, 0, "descriptor slot %u starts as %lld, expected %lld", k, (long long)g->init,
                   (long long)want);
  }
  if (nslots) x->env.slot_global = e->global_of[TW_GLOBAL_SLOT];
  for (uint32_t k = 0; k + nslots < e->nglobals; k++) {
    const tw_global *g = &e->globals[k];
    if ((unsigned)g->role > 3 || (int)g->role <= last || e->global_of[g->role] != n + k ||
        g->valtype != spec[g->role].valtype || g->init != spec[g->role].init)
      return XFAIL(x, 0, "the edit's global %u (role %u) is not the one "
                   "docs/output-layout.md appends there", k, (unsigned)g->role);
    last = (int)g->role;
    seen[g->role] = true;
    /* The stubs' globals, from this numbering (as the output function). */
    if (g->role == TW_GLOBAL_EXIT) x->env.exit_global = n + k;
    if (g->role == TW_GLOBAL_CLOCK) x->env.clock_global = n + k;
    if (g->role == TW_GLOBAL_RANDOM) x->env.random_global = n + k;
  }
  for (int r = 0; r < 4; r++)
    if (!seen[r] && e->global_of[r] != TW_NONE)
      return XFAIL(x, 0, "the edit names global %u for role %d, which it does not add",
                   e->global_of[r], r);
  return true;
}

static void put_le32(tw_buf *b, uint32_t v) {
  const uint8_t q[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  tw_buf_put(b, q, 4);
}

/* A string list: offsets relative to the strings, then each with its NUL;
 * where they went, into the stubs' references. */
static void lay_out_list(tw_buf *b, const tw_wasi_strings *l, uint32_t *table, uint32_t *strings,
                         uint32_t *size) {
  *table = (uint32_t)b->len;
  uint32_t off = 0;
  for (uint32_t i = 0; i < l->count; i++) {
    put_le32(b, off);
    off += (uint32_t)strlen(l->v[i]) + 1;
  }
  *strings = (uint32_t)b->len;
  for (uint32_t i = 0; i < l->count; i++) tw_buf_put(b, l->v[i], strlen(l->v[i]) + 1);
  *size = off;
}

/* The table lookup's words (docs/abi.md, "Embedded WASI data"): five per
 * entry, then each name's bytes four to a word, from the tree itself and
 * the places check_data gave the names and contents. */
static bool derive_rom(vctx *x, const tw_wasi_image *w, const uint32_t *name_at,
                       const uint32_t *data_at) {
  uint64_t n = 5ull * w->nentries;
  for (uint32_t i = 0; i < w->nentries; i++) n += (w->entries[i].name_len + 3u) / 4u;
  x->rom = calloc(n ? (size_t)n : 1, sizeof *x->rom);
  if (!x->rom) return tw_err_set(x->v.err, TW_ERR_NOMEM, 0, "out of memory while verifying"), false;
  x->nrom = (uint32_t)n;
  uint32_t word = 5 * w->nentries;
  for (uint32_t i = 0; i < w->nentries; i++) {
    const tw_wasi_entry *en = &w->entries[i];
    /* A directory's children are consecutive entries whose parent it is. */
    for (uint32_t c = 0; en->is_dir && c < en->count; c++)
      if ((uint64_t)en->first + c >= w->nentries || w->entries[en->first + c].parent != i)
        return XFAIL(x, 0, "embedded directory %u's child %u is not an entry whose parent it is",
                     i, c);
    x->rom[5 * i] = (uint32_t)en->is_dir | (i < w->npreopens ? i : en->parent) << 1;
    x->rom[5 * i + 1] = en->is_dir ? en->first : en->size;
    x->rom[5 * i + 2] = en->is_dir ? en->count : data_at[i];
    x->rom[5 * i + 3] = en->name_len | word << 8;
    x->rom[5 * i + 4] = name_at[i];
    for (uint32_t j = 0; j < en->name_len; j++)
      x->rom[word + j / 4] |= (uint32_t)(uint8_t)en->name[j] << (8 * (j % 4));
    word += (en->name_len + 3) / 4;
  }
  return true;
}

/* docs/abi.md, "Embedded WASI data": the segment, laid out again from the
 * option strings and the files read (not from the edit's bytes), and the
 * stubs' references from this layout and the input's own segment count. */
static bool check_data(vctx *x) {
  const tw_edit *e = x->e;
  bool uses = false;
  for (uint32_t k = 0; k < e->nfns; k++)
    uses |= e->fns[k].kind == TW_FN_STUB && tw_stub_uses_data(e->fns[k].stub);
  if (uses != e->add_data)
    return XFAIL(x, 0, "the edit %s the embedded segment, which its stubs %s", 
                 e->add_data ? "adds" : "does not add", uses ? "copy from" : "never read");
  const tw_wasi_image *w = e->wasi;
  if (uses && !w) return XFAIL(x, 0, "the edit's stubs copy from embedded data it does not have");
  if (!w) return true;
  if (uses) {
    const tw_section *s = input_section(x->m, TW_SEC_DATA);
    if (!s) s = input_section(x->m, TW_SEC_DATACOUNT);
    uint32_t n = 0;
    size_t width = 0, after = 0;
    if (!input_count(x, 0, s, &n, &width, &after)) return false;
    if (n != e->data_segment)
      return XFAIL(x, 0, "the edit numbers the embedded segment %u; the input has %u segments",
                   e->data_segment, n);
    x->data = true;
    x->env.data_segment = n;
  }
  tw_buf *b = &x->segment;
  tw_stub_env *v = &x->env;
  lay_out_list(b, &w->args, &v->args_table, &v->args_strings, &v->args_size);
  v->argc = w->args.count;
  lay_out_list(b, &w->env, &v->env_table, &v->env_strings, &v->env_size);
  v->envc = w->env.count;
  uint32_t *name_at = calloc(w->nentries + 1, sizeof *name_at);
  uint32_t *data_at = calloc(w->nentries + 1, sizeof *data_at);
  for (uint32_t i = 0; name_at && i < w->nentries; i++)
    name_at[i] = (uint32_t)b->len, tw_buf_put(b, w->entries[i].name, w->entries[i].name_len);
  for (uint32_t i = 0; data_at && i < w->nentries; i++)
    if (!w->entries[i].is_dir)
      data_at[i] = (uint32_t)b->len, tw_buf_put(b, w->entries[i].bytes, w->entries[i].size);
  bool ok = name_at && data_at && !b->failed;
  if (!ok) tw_err_set(x->v.err, TW_ERR_NOMEM, 0, "out of memory while verifying");
  ok = ok && derive_rom(x, w, name_at, data_at);
  free(name_at);
  free(data_at);
  return ok;
}

/* ---- entry points ---------------------------------------------------------------- */

static bool run(const tw_module *in, const tw_edit *e, view *v, tw_err *err) {
  vctx x;
  memset(&x, 0, sizeof x);
  x.v = *v;
  x.m = in;
  x.e = e;
  if (e->m != in) return VFAIL(v, 0, "the edit is not an edit of this input");
  if (v->segs && !view_check_segments(&x.v)) return false;
  x.nadded = e->nwrappers + e->nstubs + e->nguards + e->nexits + e->nroms;
  x.by_out = calloc(x.nadded ? x.nadded : 1, sizeof *x.by_out);
  x.func_removed = calloc(in->nfuncs ? in->nfuncs : 1, sizeof *x.func_removed);
  x.env = (tw_stub_env){TW_NONE, TW_NONE, TW_NONE, TW_NONE, .data_segment = TW_NONE};
  bool ok = false;
  if (!x.by_out || !x.func_removed) {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory while verifying");
  } else if (check_numbering(&x) && check_functions(&x) && check_globals(&x) &&
             check_data(&x)) {
    ok = verify_sections(&x);
  }
  tw_buf_free(&x.segment);
  free(x.rom);
  free(x.by_out);
  free(x.func_removed);
  return ok;
}

bool tw_verify_segments(const tw_module *in, const tw_edit *e, const tw_out *out, tw_err *err) {
  view v = {in, NULL, out, out->size, 0, err};
  return run(in, e, &v, err);
}

bool tw_verify_bytes(const tw_module *in, const tw_edit *e, const uint8_t *out, size_t size,
                     tw_err *err) {
  static const uint8_t empty[1] = {0};
  if (!out && size) return tw_err_set(err, TW_ERR_INVALID_ARG, 0, "no output bytes"), false;
  view v = {in, out ? out : empty, NULL, size, 0, err};
  return run(in, e, &v, err);
}
