/* libFuzzer target on the WIT world decoder alone (src/world.c).
 *
 * Input: the payloads of one or more `component-type` custom sections, one
 * after the other; a payload starts at offset 0 and at every later
 * component preamble (`\0asm` 0d 00 01 00), which is how every payload
 * wit-component writes begins. Each becomes the section
 * "component-type:<k>" of an otherwise empty module, copied to a buffer of
 * exactly its size (ASan sees any read past its end), and the module's world
 * is decoded and merged with tw_world_decode.
 *
 * Invariants (a trap makes libFuzzer keep the input):
 *   - a refusal is TW_ERR_MALFORMED at an offset inside a payload
 *   - a world merges every section; every offset it keeps lies inside the
 *     module; every item's interface exists; interface names are distinct,
 *     as are items (by interface, kind and name; checked pairwise in worlds
 *     of at most 48 of each)
 *   - an interface's canonical name is canonical (canonicalising it again
 *     changes nothing) and shares the name's text up to its '@'
 *   - classification finds each item under its own name, in the legacy
 *     mangling (`f`, `IFACE#f`, `IFACE#[dtor]r`) and, through the first
 *     interface of its canonical name, in the standard one (`cm32p2|IFACE|f`),
 *     whenever the name cannot be read as another form (see plain()); 48
 *     items per input, from one the input's size picks */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

#include "invariant.h"

static const uint8_t preamble[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};

/* The pairwise checks and the classification look at this many interfaces
 * and items at most (a real world has hundreds), so that an input costs
 * microseconds; which items, the input decides (check_classify). */
enum { MAX_SECTIONS = 16, QUADRATIC_LIMIT = 48, CLASSIFY_LIMIT = 48 };

typedef struct piece {
  size_t from, to;       /* in the fuzz input */
  size_t at;             /* the payload's offset in the module */
} piece;

static void put_uleb(uint8_t **w, size_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    *(*w)++ = (uint8_t)(b | (v ? 0x80 : 0));
  } while (v);
}

/* Splits the input into payloads (at most MAX_SECTIONS: the rest stays in
 * the last one). */
static size_t split(const uint8_t *data, size_t size, piece *p) {
  size_t n = 0, from = 0;
  /* One memmem per payload: a memcmp at every byte would cost more than
   * the decoding (libFuzzer traces every comparison). */
  while (size - from > 1 && n + 1 < MAX_SECTIONS) {
    const uint8_t *at = memmem(data + from + 1, size - from - 1, preamble, sizeof preamble);
    if (!at) break;
    const size_t i = (size_t)(at - data);
    p[n++] = (piece){from, i, 0};
    from = i;
  }
  p[n++] = (piece){from, size, 0};
  return n;
}

/* The module: header, then one custom section per payload. */
static uint8_t *build(const uint8_t *data, piece *p, size_t n, size_t *size) {
  size_t cap = 8;
  for (size_t k = 0; k < n; k++) cap += 1 + 10 + 1 + 32 + (p[k].to - p[k].from);
  uint8_t *tmp = malloc(cap), *w = tmp;
  CHECK(tmp != NULL);
  memcpy(w, "\0asm\1\0\0\0", 8);
  w += 8;
  for (size_t k = 0; k < n; k++) {
    char name[32];
    const int len = snprintf(name, sizeof name, "component-type:%zu", k);
    const size_t payload = p[k].to - p[k].from;
    *w++ = 0;
    put_uleb(&w, 1 + (size_t)len + payload);
    *w++ = (uint8_t)len;
    memcpy(w, name, (size_t)len);
    w += len;
    p[k].at = (size_t)(w - tmp);
    memcpy(w, data + p[k].from, payload);
    w += payload;
  }
  *size = (size_t)(w - tmp);
  uint8_t *exact = malloc(*size);
  CHECK(exact != NULL);
  memcpy(exact, tmp, *size);
  free(tmp);
  return exact;
}

static int has_prefix(const uint8_t *s, size_t n, const char *prefix) {
  const size_t k = strlen(prefix);
  return n >= k && memcmp(s, prefix, k) == 0;
}

/* A name that classification can only read one way when it leads an export
 * name: it starts with a lowercase letter, holds neither separator, and is
 * none of the special names or prefixes (cabi_*, canonical_abi_realloc,
 * cm32p2*). */
static int plain(const uint8_t *s, size_t n) {
  if (n == 0 || s[0] < 'a' || s[0] > 'z') return 0;
  if (memchr(s, '#', n) || memchr(s, '|', n)) return 0;
  return !has_prefix(s, n, "cabi_") && !has_prefix(s, n, "canonical_abi_") &&
         !has_prefix(s, n, "cm32p2");
}

static int same(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  return an == bn && (an == 0 || memcmp(a, b, an) == 0);
}

/* classify(a + b + c) */
static tw_role classify3(const tw_world *w, const char *a, const uint8_t *b, size_t bn,
                         const char *c, const uint8_t *d, size_t dn, tw_wit_match *why) {
  const size_t an = strlen(a), cn = strlen(c), n = an + bn + cn + dn;
  uint8_t *s = malloc(n ? n : 1);
  CHECK(s != NULL);
  memcpy(s, a, an);
  if (bn) memcpy(s + an, b, bn);
  memcpy(s + an + bn, c, cn);
  if (dn) memcpy(s + an + bn + cn, d, dn);
  const tw_role r = tw_world_classify(w, s, n, why);
  free(s);
  CHECK(why->item == TW_NONE || why->item < w->nitems);
  return r;
}

static void check_world(const tw_world *w, const uint8_t *mod, size_t size, size_t nsections) {
  CHECK(w->nsections == nsections);
  CHECK(w->name <= size && w->name_len <= size - w->name);
  for (uint32_t i = 0; i < w->nifaces; i++) {
    const tw_wit_iface *f = &w->ifaces[i];
    CHECK(f->name <= size && f->name_len <= size - f->name);
    CHECK(f->canon != NULL && f->canon[f->canon_len] == 0 && f->canon_len <= f->name_len);
    const uint8_t *at = memchr(mod + f->name, '@', f->name_len);
    const size_t head = at ? (size_t)(at - (mod + f->name)) + 1 : f->name_len;
    CHECK(f->canon_len >= head && memcmp(f->canon, mod + f->name, head) == 0);
    size_t again_len = 0;
    char *again = tw_wit_canonical_name((const uint8_t *)f->canon, f->canon_len, &again_len);
    CHECK(again != NULL && same((const uint8_t *)again, again_len, (const uint8_t *)f->canon,
                                f->canon_len));
    free(again);
  }
  for (uint32_t i = 0; i < w->nitems; i++) {
    const tw_wit_item *it = &w->items[i];
    CHECK(it->iface == TW_NONE || it->iface < w->nifaces);
    CHECK(it->kind == TW_WIT_FUNC || it->kind == TW_WIT_RESOURCE);
    CHECK(it->name <= size && it->name_len <= size - it->name);
  }
  if (w->nifaces <= QUADRATIC_LIMIT && w->nitems <= QUADRATIC_LIMIT) {
    for (uint32_t i = 0; i < w->nifaces; i++)
      for (uint32_t j = i + 1; j < w->nifaces; j++)
        CHECK(!same(mod + w->ifaces[i].name, w->ifaces[i].name_len, mod + w->ifaces[j].name,
                    w->ifaces[j].name_len));
    for (uint32_t i = 0; i < w->nitems; i++)
      for (uint32_t j = i + 1; j < w->nitems; j++)
        CHECK(w->items[i].iface != w->items[j].iface || w->items[i].kind != w->items[j].kind ||
              !same(mod + w->items[i].name, w->items[i].name_len, mod + w->items[j].name,
                    w->items[j].name_len));
  }
}

/* The first interface with f's canonical name (what the standard mangling
 * finds), by a scan. */
static uint32_t first_of_canon(const tw_world *w, uint32_t f) {
  for (uint32_t i = 0; i < f; i++)
    if (same((const uint8_t *)w->ifaces[i].canon, w->ifaces[i].canon_len,
             (const uint8_t *)w->ifaces[f].canon, w->ifaces[f].canon_len))
      return i;
  return f;
}

static void check_classify(const tw_world *w, const uint8_t *mod, size_t size) {
  const uint32_t limit = w->nitems < CLASSIFY_LIMIT ? w->nitems : CLASSIFY_LIMIT;
  const uint32_t first = w->nitems ? (uint32_t)((size * 2654435761u) % w->nitems) : 0;
  for (uint32_t k = 0; k < limit; k++) {
    const uint32_t i = (first + k) % w->nitems;
    const tw_wit_item *it = &w->items[i];
    const uint8_t *name = mod + it->name;
    tw_wit_match why;
    tw_role r;
    if (it->iface == TW_NONE) { /* a world function: `f` */
      CHECK(it->kind == TW_WIT_FUNC); /* a world exports no resource */
      if (!plain(name, it->name_len)) continue;
      r = classify3(w, "", NULL, 0, "", name, it->name_len, &why);
      CHECK(r == TW_ROLE_SYNC && why.reason == TW_REASON_WORLD_FUNC && why.item == i);
      continue;
    }
    const tw_wit_iface *f = &w->ifaces[it->iface];
    if (!plain(mod + f->name, f->name_len)) continue;
    if (it->kind == TW_WIT_FUNC) {
      r = classify3(w, "", mod + f->name, f->name_len, "#", name, it->name_len, &why);
      CHECK(r == TW_ROLE_SYNC && why.reason == TW_REASON_INTERFACE_FUNC && why.item == i);
      if (memchr(name, '|', it->name_len) || memchr(f->canon, '|', f->canon_len)) continue;
      r = classify3(w, "cm32p2|", (const uint8_t *)f->canon, f->canon_len, "|", name,
                    it->name_len, &why);
      if (first_of_canon(w, it->iface) == it->iface) {
        CHECK(r == TW_ROLE_SYNC && why.reason == TW_REASON_INTERFACE_FUNC && why.item == i);
      } else if (why.item != TW_NONE) { /* an item of the first such interface */
        const tw_wit_item *got = &w->items[why.item];
        CHECK(got->iface == first_of_canon(w, it->iface) && got->kind == TW_WIT_FUNC);
        CHECK(same(mod + got->name, got->name_len, name, it->name_len));
      }
    } else { /* `IFACE#[dtor]r`, unless a function is named `[dtor]r` */
      r = classify3(w, "", mod + f->name, f->name_len, "#[dtor]", name, it->name_len, &why);
      if (r == TW_ROLE_DTOR) {
        CHECK(why.reason == TW_REASON_DTOR && why.item == i);
      } else {
        CHECK(r == TW_ROLE_SYNC && why.item != TW_NONE);
        const tw_wit_item *got = &w->items[why.item];
        CHECK(got->iface == it->iface && got->kind == TW_WIT_FUNC);
        CHECK(got->name_len == it->name_len + 6 && memcmp(mod + got->name, "[dtor]", 6) == 0);
      }
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  piece p[MAX_SECTIONS];
  const size_t n = split(data, size, p);
  size_t msize = 0;
  uint8_t *mod = build(data, p, n, &msize);
  tw_module m;
  tw_err err = {0};
  CHECK(tw_module_parse(&m, mod, msize, &err)); /* the framing is always right */
  tw_world *w = NULL;
  if (tw_world_decode(&m, &w, &err)) {
    CHECK(w != NULL);
    check_world(w, mod, msize, n);
    check_classify(w, mod, msize);
  } else {
    CHECK(w == NULL);
    CHECK(err.code == TW_ERR_MALFORMED);
    int inside = 0;
    for (size_t k = 0; k < n; k++)
      inside |= err.offset >= p[k].at && err.offset <= p[k].at + (p[k].to - p[k].from);
    CHECK(inside);
  }
  tw_world_free(w);
  tw_module_free(&m);
  free(mod);
  return 0;
}
