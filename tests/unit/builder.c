/* The unit tests' module builder (builder.h). Misuse is a bug in a test:
 * it aborts, which cmocka reports as that test's failure. */
#include "builder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void misuse(const char *what) {
  fprintf(stderr, "module builder: %s\n", what);
  abort();
}

/* ---- bytes ------------------------------------------------------------------ */

void wb_bytes(wb *b, const void *p, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n) cap *= 2;
    uint8_t *d = realloc(b->d, cap);
    if (!d) misuse("out of memory");
    b->d = d;
    b->cap = cap;
  }
  if (n) memcpy(b->d + b->n, p, n);
  b->n += n;
}

void wb_u8(wb *b, uint8_t v) { wb_bytes(b, &v, 1); }

void wb_uleb_w(wb *b, uint64_t v, size_t width) {
  size_t i = 0;
  bool more;
  do {
    const uint8_t byte = v & 0x7f;
    v >>= 7;
    i++;
    more = v != 0 || i < width;
    wb_u8(b, more ? (uint8_t)(byte | 0x80) : byte);
  } while (more);
}

void wb_uleb(wb *b, uint64_t v) { wb_uleb_w(b, v, 0); }

void wb_name(wb *b, const char *s) {
  wb_uleb(b, strlen(s));
  wb_bytes(b, s, strlen(s));
}

size_t wb_section_w(wb *b, uint8_t id, const void *contents, size_t n, size_t size_width) {
  wb_u8(b, id);
  wb_uleb_w(b, n, size_width);
  const size_t at = b->n;
  wb_bytes(b, contents, n);
  return at;
}

size_t wb_section(wb *b, uint8_t id, const wb *contents) {
  return wb_section_w(b, id, contents->d, contents->n, 0);
}

void wb_free(wb *b) {
  free(b->d);
  memset(b, 0, sizeof *b);
}

/* ---- types -------------------------------------------------------------------- */

static uint8_t valtype(char c) {
  switch (c) {
  case 'i': return 0x7f;
  case 'I': return 0x7e;
  case 'f': return 0x7d;
  case 'F': return 0x7c;
  case 'v': return 0x7b;
  default: misuse("a signature has a value type other than i I f F v"); return 0;
  }
}

/* "ii->i": params before the arrow, results after it. */
static void put_functype(wb *b, const char *sig) {
  const char *arrow = strstr(sig, "->");
  if (!arrow) misuse("a signature without \"->\"");
  const char *results = arrow + 2;
  wb_u8(b, 0x60);
  wb_uleb(b, (size_t)(arrow - sig));
  for (const char *p = sig; p < arrow; p++) wb_u8(b, valtype(*p));
  wb_uleb(b, strlen(results));
  for (const char *p = results; *p; p++) wb_u8(b, valtype(*p));
}

/* The results of function type `type`. */
static const char *results_of(const mb_module *m, uint32_t type) {
  if (type >= m->ntypes) misuse("a default body needs its type given by signature");
  return strstr(m->types[type], "->") + 2;
}

/* The default body of function `index` of type `type` (mb_module). */
static void put_default_body(wb *b, const mb_module *m, uint32_t index, uint32_t type) {
  wb e = {0};
  wb_bytes(&e, (const uint8_t[]){0x00, 0x41, (uint8_t)(index & 0x3f), 0x1a}, 4);
  for (const char *r = results_of(m, type); *r; r++) {
    static const uint8_t zero[16];
    switch (*r) {
    case 'i': wb_bytes(&e, (const uint8_t[]){0x41, 0x00}, 2); break;
    case 'I': wb_bytes(&e, (const uint8_t[]){0x42, 0x00}, 2); break;
    case 'f': wb_u8(&e, 0x43), wb_bytes(&e, zero, 4); break;
    case 'F': wb_u8(&e, 0x44), wb_bytes(&e, zero, 8); break;
    default: wb_bytes(&e, (const uint8_t[]){0xfd, 0x0c}, 2), wb_bytes(&e, zero, 16); break;
    }
  }
  wb_u8(&e, 0x0b);
  wb_uleb(b, e.n);
  wb_bytes(b, e.d, e.n);
  wb_free(&e);
}

/* ---- sections ----------------------------------------------------------------- */

/* The contents of typed section `id` (1, 2, 3, 7 or 10); false when the
 * module has none. Export entry offsets go to rel[], relative to c. */
static bool typed_contents(wb *c, const mb_module *m, uint8_t id, size_t *rel) {
  switch (id) {
  case 1:
    if (!m->ntypes) return false;
    wb_uleb(c, m->ntypes);
    for (size_t i = 0; i < m->ntypes; i++) put_functype(c, m->types[i]);
    return true;
  case 2:
    if (!m->nimports) return false;
    wb_uleb(c, m->nimports);
    for (size_t i = 0; i < m->nimports; i++) {
      const mb_import *im = &m->imports[i];
      wb_name(c, im->module);
      wb_name(c, im->name);
      wb_u8(c, im->kind);
      if (im->desc.d) wb_bytes(c, im->desc.d, im->desc.n);
      else if (im->kind == 0) wb_uleb(c, im->type);
      else misuse("an import other than a function needs its descriptor");
    }
    return true;
  case 3:
    if (!m->nfuncs) return false;
    wb_uleb_w(c, m->nfuncs, m->count_width);
    for (uint32_t i = 0; i < m->nfuncs; i++) wb_uleb(c, m->funcs[i]);
    return true;
  case 7:
    if (!m->nexports) return false;
    if (m->nexports > MB_MAX) misuse("more than MB_MAX exports");
    wb_uleb(c, m->nexports);
    for (size_t i = 0; i < m->nexports; i++) {
      rel[i] = c->n;
      wb_name(c, m->exports[i].name);
      wb_u8(c, m->exports[i].kind);
      wb_uleb(c, m->exports[i].index);
    }
    return true;
  case 10:
    if (!m->nfuncs) return false;
    wb_uleb_w(c, m->nfuncs, m->count_width);
    for (uint32_t i = 0; i < m->nfuncs; i++) {
      const mb_bytes *body = m->bodies ? &m->bodies[i] : NULL;
      if (body && body->d) wb_uleb(c, body->n), wb_bytes(c, body->d, body->n);
      else put_default_body(c, m, (uint32_t)m->nimports + i, m->funcs[i]);
    }
    return true;
  default:
    return false;
  }
}

static void put_customs(wb *out, const mb_module *m, uint8_t after) {
  for (size_t i = 0; i < m->ncustoms; i++) {
    const mb_custom *cs = &m->customs[i];
    if (cs->after != after) continue;
    wb c = {0};
    wb_name(&c, cs->name);
    wb_bytes(&c, cs->payload.d, cs->payload.n);
    wb_section_w(out, 0, c.d, c.n, cs->size_width);
    wb_free(&c);
  }
}

static void put_names(wb *out, const mb_module *m) {
  if (!m->nfunc_names) return;
  wb map = {0}, c = {0};
  uint32_t count = 0;
  for (uint32_t i = 0; i < m->nfunc_names; i++) count += m->func_names[i] != NULL;
  wb_uleb(&map, count);
  for (uint32_t i = 0; i < m->nfunc_names; i++) {
    if (!m->func_names[i]) continue;
    wb_uleb(&map, i);
    wb_name(&map, m->func_names[i]);
  }
  wb_name(&c, "name");
  wb_u8(&c, 1);
  wb_uleb(&c, map.n);
  wb_bytes(&c, map.d, map.n);
  wb_section(out, 0, &c);
  wb_free(&c);
  wb_free(&map);
}

void mb_build(wb *out, const mb_module *m, mb_where *where) {
  /* the spec's order of the known sections */
  static const uint8_t order[] = {1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11};
  if (where) memset(where, 0, sizeof *where);
  wb_bytes(out, (const uint8_t[]){HDR}, 8);
  put_customs(out, m, MB_FIRST);
  for (size_t k = 0; k < sizeof order; k++) {
    const uint8_t id = order[k];
    size_t rel[MB_MAX] = {0};
    wb c = {0};
    const bool typed = typed_contents(&c, m, id, rel);
    if (typed && m->sections[id].d) misuse("a section given both typed and raw");
    if (!typed) wb_bytes(&c, m->sections[id].d, m->sections[id].n);
    if (typed || m->sections[id].d) {
      const size_t at = wb_section(out, id, &c);
      for (size_t i = 0; where && id == 7 && typed && i < m->nexports; i++)
        where->export_at[i] = at + rel[i];
    }
    wb_free(&c);
    put_customs(out, m, id);
  }
  put_customs(out, m, 0);
  put_names(out, m);
}

size_t mb_append_custom(wb *out, const char *name, const uint8_t *payload, size_t n) {
  const size_t at = out->n;
  wb c = {0};
  wb_name(&c, name);
  wb_bytes(&c, payload, n);
  wb_section(out, 0, &c);
  wb_free(&c);
  return at;
}
