/* One pass over the module: section framing for everything, and decoding of
 * only what the rewrite needs (types, imports, functions, exports, code
 * framing, the name section). Everything else stays a byte range.
 *
 * A file read on demand (tw_module_parse_source) is read as the parser goes:
 * each section header, the sections it decodes (and the small ones a
 * renumbering decodes later), the name section's subsection headers, and the
 * code section once, through a window it does not keep. Whatever else a
 * later step reads, it asks for with tw_module_need. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cursor.h"
#include "io.h"
#include "leb.h"
#include "module.h"
#include "source.h"
#include "taskwrap.h"
#include "valtype.h"

bool tw_section_named(const tw_module *m, const tw_section *s, const char *prefix, bool whole) {
  const size_t k = strlen(prefix);
  return s->id == TW_SEC_CUSTOM && (whole ? s->name_len == k : s->name_len >= k) &&
         memcmp(m->data + s->name_start, prefix, k) == 0;
}

bool tw_module_need(const tw_module *m, size_t off, size_t len) {
  return !m->src || tw_source_need(m->src, off, len);
}

/* The parser's own reads: one that fails ends the parse (api.c then tells
 * a changed file from a failed read). */
static bool need(const tw_module *m, size_t off, size_t len, tw_err *err) {
  if (tw_module_need(m, off, len)) return true;
  tw_err_set(err, TW_ERR_IO, off, "cannot read the input at 0x%zx", off);
  return false;
}

/* A LEB128 u32 takes at most 5 bytes; a section header, an id byte more. */
enum { LEB_U32_MAX = 5 };

/* A name at `at` (its length, then its bytes), before it is decoded; a
 * length that does not fit before `end` is left to the decoder to report. */
static bool need_name(const tw_module *m, size_t at, size_t end, tw_err *err) {
  uint32_t n = 0;
  size_t k = 0;
  if (at >= end || !need(m, at, LEB_U32_MAX, err)) return !tw_err_failed(err);
  const size_t avail = end - at < LEB_U32_MAX ? end - at : LEB_U32_MAX;
  if (tw_leb_read_u32(m->data + at, avail, &n, &k) != TW_LEB_OK || n > end - at - k) return true;
  return need(m, at + k, n, err);
}

/* What an allocation failure of the module's tables names (tw_alloc_array). */
static const char entries[] = "the module's entries";

static bool read_count(tw_cursor *c, uint32_t *n, size_t min_entry_size, const char *what) {
  const size_t at = c->pos;
  if (!tw_read_u32(c, n, what)) return false;
  if (min_entry_size && *n > tw_cursor_left(c) / min_entry_size) {
    TW_MALFORMED(c->err, at, "%s: count %u exceeds the section's remaining %zu bytes", what, *n,
              tw_cursor_left(c));
    c->pos = at;
    return false;
  }
  return true;
}

/* ---- types ----------------------------------------------------------------- */

static bool read_val_types(tw_cursor *c, uint32_t *n, size_t *start, size_t *end,
                           const char *what) {
  const size_t saved = c->pos;
  if (!read_count(c, n, 1, what)) return false;
  *start = c->pos;
  for (uint32_t i = 0; i < *n; i++) {
    if (!tw_read_val_type(c, false, what)) {
      c->pos = saved;
      return false;
    }
  }
  *end = c->pos;
  return true;
}

static bool read_field_type(tw_cursor *c) {
  uint8_t mut = 0;
  const size_t at = c->pos;
  if (!tw_read_val_type(c, true, "field type")) return false;
  if (!tw_read_u8(c, &mut, "field mutability")) return false;
  if (mut > 1) {
    TW_MALFORMED(c->err, at, "malformed mutability 0x%02x", mut);
    return false;
  }
  return true;
}

static bool read_comp_type(tw_cursor *c, tw_functype *t) {
  const size_t at = c->pos;
  uint8_t form = 0;
  if (!tw_read_u8(c, &form, "type form")) return false;
  memset(t, 0, sizeof *t);
  if (form == 0x60) {
    t->is_func = true;
    return read_val_types(c, &t->nparams, &t->params, &t->params_end, "function parameters") &&
           read_val_types(c, &t->nresults, &t->results, &t->results_end, "function results");
  }
  if (form == 0x5f || form == 0x5e) tw_cursor_note_gap(c, "GC struct and array types");
  if (form == 0x5f) { /* struct */
    uint32_t n = 0;
    if (!read_count(c, &n, 2, "struct fields")) return false;
    for (uint32_t i = 0; i < n; i++)
      if (!read_field_type(c)) return false;
    return true;
  }
  if (form == 0x5e) return read_field_type(c); /* array */
  TW_MALFORMED(c->err, at, "malformed type form 0x%02x", form);
  return false;
}

/* subtype ::= 0x50 vec(typeidx) comptype | 0x4f vec(typeidx) comptype | comptype */
static bool read_sub_type(tw_cursor *c, tw_functype *t) {
  if (c->pos < c->end && (c->base[c->pos] == 0x50 || c->base[c->pos] == 0x4f)) {
    tw_cursor_note_gap(c, "GC subtypes");
    c->pos++;
    uint32_t n = 0, idx = 0;
    if (!read_count(c, &n, 1, "supertypes")) return false;
    for (uint32_t i = 0; i < n; i++)
      if (!tw_read_u32(c, &idx, "supertype index")) return false;
  }
  return read_comp_type(c, t);
}

static bool grow_types(tw_module *m, size_t *cap, uint32_t need, tw_err *err, size_t at) {
  if (tw_grow_to((void **)&m->types, cap, need, UINT32_MAX, sizeof *m->types)) return true;
  tw_err_set(err, TW_ERR_NOMEM, at, "out of memory for types");
  return false;
}

static bool parse_types(tw_module *m, tw_cursor *c) {
  uint32_t n = 0;
  size_t cap = 0;
  if (!read_count(c, &n, 1, "type section")) return false;
  for (uint32_t i = 0; i < n; i++) {
    const size_t at = c->pos;
    if (at < c->end && c->base[at] == 0x4e) { /* rec group */
      tw_cursor_note_gap(c, "GC recursion groups");
      c->pos++;
      uint32_t k = 0;
      if (!read_count(c, &k, 1, "recursion group")) return false;
      if (k > UINT32_MAX - m->ntypes) return TW_MALFORMED(c->err, at, "too many types"), false;
      if (!grow_types(m, &cap, m->ntypes + k, c->err, at)) return false;
      for (uint32_t j = 0; j < k; j++)
        if (!read_sub_type(c, &m->types[m->ntypes++])) return false;
    } else {
      if (m->ntypes == UINT32_MAX) return TW_MALFORMED(c->err, at, "too many types"), false;
      if (!grow_types(m, &cap, m->ntypes + 1, c->err, at)) return false;
      if (!read_sub_type(c, &m->types[m->ntypes++])) return false;
    }
  }
  return true;
}

/* ---- imports ---------------------------------------------------------------- */

static bool parse_imports(tw_module *m, tw_cursor *c, uint32_t **func_types, uint32_t *nfunc) {
  uint32_t n = 0;
  if (!read_count(c, &n, 4, "import section")) return false;
  if (!(*func_types = tw_alloc_array(n, sizeof(uint32_t), c->err, c->pos, entries)) ||
      !(m->imports = tw_alloc_array(n, sizeof(tw_import), c->err, c->pos, entries)))
    return false;
  for (uint32_t i = 0; i < n; i++) {
    tw_import *im = &m->imports[i];
    uint32_t idx = 0;
    uint8_t b = 0;
    im->start = c->pos;
    if (!tw_read_name(c, &im->mod, &im->mod_len, "import module name") ||
        !tw_read_name(c, &im->name, &im->name_len, "import name"))
      return false;
    const size_t at = c->pos;
    if (!tw_read_u8(c, &im->kind, "import kind")) return false;
    switch (im->kind) {
    case 0x00:
      if (!tw_read_u32(c, &im->type, "function type index")) return false;
      (*func_types)[(*nfunc)++] = im->type;
      break;
    case 0x01: {
      /* A table's element type is a reference type (spec 5.3.4), not any
       * value type. */
      const size_t tat = c->pos;
      if (!tw_read_val_type(c, false, "table element type")) return false;
      const uint8_t t = c->base[tat];
      if (t >= 0x7b && t <= 0x7f) {
        TW_MALFORMED(c->err, tat, "table element type: malformed reference type 0x%02x", t);
        return false;
      }
      if (!tw_read_limits(c, true, NULL, "table limits")) return false;
      break;
    }
    case 0x02:
      if (!tw_read_limits(c, false, &im->flags, "memory limits")) return false;
      if (!m->has_memory0) {
        m->has_memory0 = true;
        m->memory0_is64 = im->flags & 0x04;
      }
      break;
    case 0x03:
      if (!tw_read_val_type(c, false, "global type") || !tw_read_u8(c, &b, "global mutability"))
        return false;
      m->nglobals++;
      if (b > 1) return TW_MALFORMED(c->err, c->pos - 1, "malformed mutability 0x%02x", b), false;
      break;
    case 0x04:
      if (!tw_read_u8(c, &b, "tag attribute") || !tw_read_u32(c, &idx, "tag type index"))
        return false;
      if (b != 0) return TW_MALFORMED(c->err, c->pos - 1, "malformed tag attribute 0x%02x", b), false;
      break;
    default:
      TW_MALFORMED(c->err, at, "malformed import kind 0x%02x", im->kind);
      return false;
    }
    im->end = c->pos;
    m->nimports = i + 1;
  }
  m->nfunc_imports = *nfunc;
  return true;
}

/* ---- function, export, code ----------------------------------------------- */

static bool parse_functions(tw_module *m, tw_cursor *c, uint32_t **func_types, uint32_t nimports,
                            uint32_t *nfunc) {
  const size_t at = c->pos;
  uint32_t n = 0;
  if (!read_count(c, &n, 1, "function section")) return false;
  m->funcsec_count_width = c->pos - at;
  m->funcsec_entries = c->pos;
  if (n > UINT32_MAX - nimports) return TW_MALFORMED(c->err, at, "too many functions"), false;
  uint32_t *all = tw_alloc_array((size_t)nimports + n, sizeof(uint32_t), c->err, at, entries);
  if (!all) return false;
  if (nimports) memcpy(all, *func_types, nimports * sizeof(uint32_t));
  free(*func_types);
  *func_types = all;
  for (uint32_t i = 0; i < n; i++)
    if (!tw_read_u32(c, &all[nimports + i], "function type index")) return false;
  *nfunc = nimports + n;
  return true;
}

static bool parse_exports(tw_module *m, tw_cursor *c) {
  const size_t at = c->pos;
  uint32_t n = 0;
  if (!read_count(c, &n, 3, "export section")) return false;
  m->exports_count_width = c->pos - at;
  if (!(m->exports = tw_alloc_array(n, sizeof(tw_export), c->err, at, entries))) return false;
  for (uint32_t i = 0; i < n; i++) {
    tw_export *e = &m->exports[i];
    e->start = c->pos;
    if (!tw_read_name(c, &e->name, &e->name_len, "export name")) return false;
    const size_t kat = c->pos;
    if (!tw_read_u8(c, &e->kind, "export kind") || !tw_read_u32(c, &e->index, "export index"))
      return false;
    if (e->kind > 4) return TW_MALFORMED(c->err, kat, "malformed export kind 0x%02x", e->kind), false;
    e->end = c->pos;
  }
  m->nexports = n;
  return true;
}

/* Each body's size, in order. For a file read on demand the walk goes
 * through a window of the code section that is read and not kept: a
 * rewrite that only appends to the section must not cost its size in
 * memory (bodies are read in when something decodes them). Its size:
 * tw_io_buffer_size of the section's (io.h). */
typedef struct walk {
  uint8_t *buf;       /* NULL: the bytes are in memory */
  size_t at, len;     /* input [at, at+len) is in buf */
  size_t cap;         /* buf's size */
} walk;

static bool read_body(tw_module *m, tw_cursor *c, walk *w, size_t *code) {
  uint32_t len = 0;
  if (!w->buf) return tw_read_bytes(c, code, &len, "function body");
  if (c->pos + LEB_U32_MAX > w->at + w->len && w->at + w->len < c->end) {
    w->at = c->pos;
    w->len = c->end - c->pos < w->cap ? c->end - c->pos : w->cap;
    if (!tw_source_read(m->src, w->at, w->buf, w->len))
      return tw_err_set(c->err, TW_ERR_IO, w->at, "cannot read the input at 0x%zx", w->at), false;
  }
  /* The window's cursor counts from the window: offsets are moved back. */
  tw_cursor r = tw_cursor_make(w->buf, c->pos - w->at, c->end - w->at, c->err);
  size_t start = 0;
  if (!tw_read_bytes(&r, &start, &len, "function body")) {
    c->err->offset += w->at; /* the first error, this one */
    return false;
  }
  *code = start + w->at;
  c->pos = r.pos + w->at;
  return true;
}

static bool parse_code(tw_module *m, tw_cursor *c) {
  const size_t at = c->pos;
  uint32_t n = 0;
  /* Bound by 1 byte per entry (its size LEB), so that an empty body is
   * reported as such by the loop below rather than as a count overrun. */
  if (!read_count(c, &n, 1, "code section")) return false;
  m->code_count_width = c->pos - at;
  m->code_entries = c->pos;
  if (!(m->bodies = tw_alloc_array(n, sizeof(tw_body), c->err, at, entries))) return false;
  walk w = {NULL, c->pos, 0, tw_io_buffer_size(c->end - c->pos)};
  if (m->src && n && !(w.buf = malloc(w.cap)))
    return tw_err_set(c->err, TW_ERR_NOMEM, at, "out of memory"), false;
  bool ok = true;
  for (uint32_t i = 0; ok && i < n; i++) {
    tw_body *b = &m->bodies[i];
    b->start = c->pos;
    ok = read_body(m, c, &w, &b->code);
    if (ok && b->code == c->pos) {
      TW_MALFORMED(c->err, b->start, "function body %u is empty", i);
      ok = false;
    }
    b->end = c->pos;
  }
  free(w.buf);
  if (ok) m->nbodies = n;
  return ok;
}

/* The name section is a custom section: a malformed one does not make the
 * module malformed (spec 7.4), so problems here only mean "leave it alone". */
static void parse_name_section(tw_module *m, size_t body, size_t end) {
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, body, end, &scratch);
  int last_id = -1;
  while (c.pos < c.end) {
    const size_t start = c.pos;
    uint8_t id = 0;
    size_t sub = 0;
    uint32_t len = 0;
    tw_module_need(m, start, 1 + LEB_U32_MAX); /* a failed read: see tw_module_need */
    if (!tw_read_u8(&c, &id, "name subsection id") ||
        !tw_read_bytes(&c, &sub, &len, "name subsection"))
      return;
    if ((int)id <= last_id) return; /* out of order or repeated */
    last_id = id;
    /* The function-names count is read only to decide names_ok: a name
     * section whose count cannot be read is left alone (edit.c). */
    if (id == 1) {
      tw_module_need(m, sub, LEB_U32_MAX);
      tw_cursor s = tw_cursor_make(m->data, sub, sub + len, &scratch);
      uint32_t count = 0;
      if (!tw_read_u32(&s, &count, "function names")) return;
    }
  }
  m->names_ok = true;
}

/* ---- sections ----------------------------------------------------------- */

static bool push_section(tw_module *m, size_t *cap, const tw_section *s, tw_err *err) {
  if (!tw_grow_to((void **)&m->sections, cap, m->nsections + 1, SIZE_MAX, sizeof *s))
    return tw_err_set(err, TW_ERR_NOMEM, s->start, "out of memory"), false;
  m->sections[m->nsections++] = *s;
  return true;
}

static bool check_consumed(tw_cursor *c, const char *what) {
  if (c->pos != c->end) {
    TW_MALFORMED(c->err, c->pos, "%s: section size mismatch (%zu unread bytes)", what, c->end - c->pos);
    return false;
  }
  return true;
}

/* libwabt 1.0.32 cannot read tables with an initialiser (0x40 0x00, typed
 * function references): note the gap for --verify=full. The table section
 * is otherwise kept as a byte range, so this scan never fails. */
static void note_table_gap(tw_module *m, const tw_section *s) {
  tw_err scratch = {0};
  tw_cursor c = tw_cursor_make(m->data, s->body, s->end, &scratch);
  c.gap = &m->wabt_gap;
  uint32_t n = 0;
  if (!tw_read_u32(&c, &n, "table section")) return;
  for (uint32_t i = 0; i < n; i++) {
    if (c.pos + 1 < c.end && c.base[c.pos] == 0x40 && c.base[c.pos + 1] == 0x00) {
      tw_cursor_note_gap(&c, "table initialisers");
      return;
    }
    if (!tw_read_val_type(&c, false, "table type") || !tw_read_limits(&c, true, NULL, "table limits"))
      return;
  }
}

/* Only the first memory's limits: the rest stays a byte range. */
static bool parse_memory_head(tw_module *m, tw_cursor *c) {
  uint32_t n = 0;
  uint8_t flags = 0;
  if (!read_count(c, &n, 1, "memory section")) return false;
  if (n == 0 || m->has_memory0) return true;
  if (!tw_read_limits(c, false, &flags, "memory limits")) return false;
  m->has_memory0 = true;
  m->memory0_is64 = flags & 0x04;
  return true;
}

/* Only the count: the entries stay a byte range. */
static bool parse_global_head(tw_module *m, tw_cursor *c) {
  uint32_t n = 0;
  if (!read_count(c, &n, 1, "global section")) return false;
  if (n > UINT32_MAX - m->nglobals) return TW_MALFORMED(c->err, c->pos, "too many globals"), false;
  m->nglobals += n;
  return true;
}

static bool parse_section_body(tw_module *m, const tw_section *s, uint32_t **func_types,
                               tw_err *err) {
  tw_cursor c = tw_cursor_make(m->data, s->body, s->end, err);
  c.gap = &m->wabt_gap;
  switch (s->id) {
  case TW_SEC_TYPE:
    return parse_types(m, &c) && check_consumed(&c, "type section");
  case TW_SEC_IMPORT:
    return parse_imports(m, &c, func_types, &m->nfuncs) && check_consumed(&c, "import section");
  case TW_SEC_FUNCTION:
    return parse_functions(m, &c, func_types, m->nfunc_imports, &m->nfuncs) &&
           check_consumed(&c, "function section");
  case TW_SEC_EXPORT:
    return parse_exports(m, &c) && check_consumed(&c, "export section");
  case TW_SEC_CODE:
    return parse_code(m, &c) && check_consumed(&c, "code section");
  case TW_SEC_TABLE:
    note_table_gap(m, s);
    return true;
  case TW_SEC_MEMORY:
    return parse_memory_head(m, &c);
  case TW_SEC_GLOBAL:
    return parse_global_head(m, &c);
  default:
    return true; /* kept as a byte range */
  }
}

/* A section's contents: the export section's errors are the module's (a
 * plan starts from the exports); another section's first error is kept in
 * content_error, and no section's contents are decoded after it (the counts
 * of what was decoded are reset: tw_module_refuse_content guards anything
 * that would need them).
 * Running out of memory or failing to read is never kept. */
static bool parse_contents(tw_module *m, const tw_section *s, uint32_t **func_types,
                           tw_err *err) {
  if (s->id == TW_SEC_EXPORT) return parse_section_body(m, s, func_types, err);
  if (m->content_error.code != TW_OK) return true;
  tw_err e = {0};
  const char *gap = m->wabt_gap;
  if (parse_section_body(m, s, func_types, &e)) return true;
  m->wabt_gap = gap; /* what a section that failed seemed to use is not known */
  if (e.code != TW_ERR_MALFORMED && e.code != TW_ERR_UNSUPPORTED) {
    *err = e;
    return false;
  }
  m->content_error = e;
  /* Nothing decoded so far is known to be whole (a type's last entry, the
   * count of functions an import section got to): the module has, as far
   * as anything may read, no types, imports, functions, bodies or globals. */
  m->ntypes = m->nimports = m->nfunc_imports = m->nfuncs = m->nbodies = m->nglobals = 0;
  return true;
}

static const char magic[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

static bool parse_header(const uint8_t *data, size_t size, tw_err *err) {
  if (size < 4 || memcmp(data, magic, 4) != 0) {
    tw_err_set(err, TW_ERR_MALFORMED, 0, "magic header not detected: not a WebAssembly module");
    return false;
  }
  if (size < 8) {
    /* Like every other truncation: point at the start of the item. */
    tw_err_set(err, TW_ERR_MALFORMED, 4, "unexpected end of the module's version field");
    return false;
  }
  if (memcmp(data + 4, magic + 4, 4) != 0) {
    /* Components: version 0x0a.. (0x0d today) and layer 1 (00 61 73 6d 0d 00 01 00). */
    if (data[4] >= 0x0a && data[5] == 0x00 && data[6] == 0x01 && data[7] == 0x00)
      tw_err_set(err, TW_ERR_UNSUPPORTED, 4,
                 "this is a component, not a core module: run wasm-taskwrap before "
                 "`wasm-tools component new`");
    else
      tw_err_set(err, TW_ERR_MALFORMED, 4, "unknown binary version 0x%02x%02x%02x%02x", data[4],
                 data[5], data[6], data[7]);
    return false;
  }
  return true;
}

/* What of a section's contents the parser reads in before decoding it:
 * nothing of the data section (never decoded), the count of the code
 * section (parse_code reads the rest through its window), the name of a
 * custom section (read already; the name section's subsection headers are
 * read as they are walked), and the whole of every other section, which is
 * decoded now or, when functions are renumbered, later (they are small). */
static bool need_contents(const tw_module *m, const tw_section *s, tw_err *err) {
  switch (s->id) {
  case TW_SEC_DATA: case TW_SEC_CUSTOM: return true;
  case TW_SEC_CODE: return need(m, s->body, LEB_U32_MAX, err);
  default: return need(m, s->body, s->end - s->body, err);
  }
}

bool tw_module_parse_framing(tw_module *m, const uint8_t *data, size_t size,
                             struct tw_source *src, tw_err *err) {
  memset(m, 0, sizeof *m);
  m->src = src;
  m->data = data;
  m->size = size;
  m->sec_export = m->sec_code = m->sec_name = -1;
  if (!need(m, 0, sizeof magic, err) || !parse_header(data, size, err)) return false;

  uint32_t *func_types = NULL;
  size_t cap = 0;
  int last_rank = 0;
  tw_cursor c = tw_cursor_make(data, 8, size, err);
  while (c.pos < c.end) {
    tw_section s = {0};
    s.start = c.pos;
    uint32_t len = 0;
    if (!need(m, s.start, 1 + LEB_U32_MAX, err)) goto fail;
    if (!tw_read_u8(&c, &s.id, "section id")) goto fail;
    /* The id first: bytes after the last section (a file with something
     * appended) are reported as what they are, not as a section that ends
     * too soon. */
    if (s.id != TW_SEC_CUSTOM && tw_section_rank(s.id) < 0) {
      TW_MALFORMED(c.err, s.start, "malformed section id 0x%02x%s", s.id,
                   m->nsections ? " (bytes after the last section?)" : "");
      goto fail;
    }
    if (!tw_read_bytes(&c, &s.body, &len, "section")) goto fail;
    s.end = c.pos;
    if (s.id != TW_SEC_CUSTOM) {
      const int rank = tw_section_rank(s.id);
      if (rank <= last_rank) {
        TW_MALFORMED(c.err, s.start, "section id %u out of order or repeated", s.id);
        goto fail;
      }
      last_rank = rank;
    } else {
      if (!need_name(m, s.body, s.end, err)) goto fail;
      tw_cursor nc = tw_cursor_make(data, s.body, s.end, err);
      if (!tw_read_name(&nc, &s.name_start, &s.name_len, "custom section name")) goto fail;
    }
    const long idx = (long)m->nsections;
    if (!push_section(m, &cap, &s, err)) goto fail;
    switch (s.id) {
    case TW_SEC_EXPORT: m->sec_export = idx; break;
    case TW_SEC_CODE: m->sec_code = idx; break;
    case TW_SEC_CUSTOM:
      if (s.name_len == 4 && memcmp(data + s.name_start, "name", 4) == 0 && m->sec_name < 0) {
        m->sec_name = idx;
        parse_name_section(m, s.name_start + 4, s.end);
      }
      break;
    default: break;
    }
    if (!need_contents(m, &s, err) || !parse_contents(m, &s, &func_types, err)) goto fail;
  }
  const uint32_t ndefined = m->nfuncs - m->nfunc_imports;
  if (m->content_error.code == TW_OK && ndefined != m->nbodies)
    tw_err_set(&m->content_error, TW_ERR_MALFORMED,
               m->sec_code >= 0 ? m->sections[m->sec_code].start : size,
               "function and code section have inconsistent lengths (%u functions, %u bodies)",
               ndefined, m->nbodies);
  m->func_types = func_types;
  return true;
fail:
  /* The first error wins: one in an earlier section's contents. */
  if (m->content_error.code != TW_OK) *err = m->content_error;
  free(func_types);
  tw_module_free(m);
  return false;
}

bool tw_module_parse_source(tw_module *m, const uint8_t *data, size_t size,
                            struct tw_source *src, tw_err *err) {
  if (!tw_module_parse_framing(m, data, size, src, err)) return false;
  if (tw_module_refuse_content(m, err)) return true;
  tw_module_free(m);
  return false;
}

bool tw_module_refuse_content(const tw_module *m, tw_err *err) {
  if (m->content_error.code == TW_OK) return true;
  tw_err_set(err, m->content_error.code, m->content_error.offset, "%s", m->content_error.message);
  return false;
}

bool tw_module_parse(tw_module *m, const uint8_t *data, size_t size, tw_err *err) {
  return tw_module_parse_source(m, data, size, NULL, err);
}

void tw_module_free(tw_module *m) {
  if (!m) return;
  free(m->sections);
  free(m->types);
  free(m->func_types);
  free(m->exports);
  free(m->imports);
  free(m->bodies);
  const uint8_t *d = m->data;
  const size_t n = m->size;
  memset(m, 0, sizeof *m);
  m->data = d;
  m->size = n;
}

const tw_functype *tw_module_func_type(const tw_module *m, uint32_t func) {
  if (func >= m->nfuncs) return NULL;
  const uint32_t t = m->func_types[func];
  if (t >= m->ntypes || !m->types[t].is_func) return NULL;
  return &m->types[t];
}

static size_t format_val_types(const tw_module *m, size_t p, size_t end, char *out, size_t cap) {
  static const char *const num[] = {"v128", "f64", "f32", "i64", "i32"}; /* 0x7b..0x7f */
  size_t w = 0;
  bool first = true;
  while (p < end && w + 1 < cap) {
    const uint8_t b = m->data[p];
    const char *name = NULL;
    char tmp[40];
    if (b >= 0x7b && b <= 0x7f) {
      name = num[b - 0x7b];
      p++;
    } else if (b == 0x70) {
      name = "funcref";
      p++;
    } else if (b == 0x6f) {
      name = "externref";
      p++;
    } else if (b == 0x63 || b == 0x64) {
      /* (ref null? ht): decoding already succeeded, so this cannot fail. */
      tw_err e = {0};
      tw_cursor c = tw_cursor_make(m->data, p + 1, end, &e);
      tw_read_heap_type(&c, "heap type");
      snprintf(tmp, sizeof tmp, "(ref %s...)", b == 0x63 ? "null " : "");
      name = tmp;
      p = c.pos;
    } else {
      snprintf(tmp, sizeof tmp, "ref:0x%02x", b);
      name = tmp;
      p++;
    }
    int k = snprintf(out + w, cap - w, "%s%s", first ? "" : " ", name);
    if (k < 0) break;
    w += (size_t)k < cap - w ? (size_t)k : cap - w - 1;
    first = false;
  }
  return w;
}

void tw_module_format_type(const tw_module *m, const tw_functype *t, char *out, size_t cap) {
  if (cap < 16) {
    if (cap) out[0] = 0;
    return;
  }
  size_t w = 0;
  out[w++] = '[';
  w += format_val_types(m, t->params, t->params_end, out + w, cap - w - 8);
  memcpy(out + w, "] -> [", 6);
  w += 6;
  w += format_val_types(m, t->results, t->results_end, out + w, cap - w - 2);
  out[w++] = ']';
  out[w] = 0;
}
