/* Decoding the WIT world of `component-type*` custom sections, and matching
 * export names against it (world.h).
 *
 * Such a section holds a component (Binary.md of the component model) that
 * wit-component's metadata encoder writes: a `wit-component-encoding` custom
 * section, then a type section whose one type is a component type exporting
 * the world, itself a component type, and an export of that type. Only the
 * world's exports matter here: its functions, and for each exported instance
 * type (an interface) the functions and the resources it exports. Everything
 * else is walked over by its grammar, so that the type indices stay right and
 * a malformed section is refused at the byte where it goes wrong, as
 * wit-component refuses it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cursor.h"
#include "name.h"
#include "section.h"
#include "world.h"

enum {
  SEC_CUSTOM = 0, SEC_TYPE = 7, SEC_EXPORT = 11, /* component sections */
  DECL_CORE_TYPE = 0x00, DECL_TYPE = 0x01, DECL_ALIAS = 0x02, DECL_IMPORT = 0x03,
  DECL_EXPORT = 0x04,
  EXTERN_MODULE = 0x00, EXTERN_FUNC = 0x01, EXTERN_VALUE = 0x02, EXTERN_TYPE = 0x03,
  EXTERN_COMPONENT = 0x04, EXTERN_INSTANCE = 0x05,
  BOUND_EQ = 0x00, BOUND_SUB_RESOURCE = 0x01,
  SORT_CORE = 0x00, SORT_TYPE = 0x03,
  ALIAS_EXPORT = 0x00, ALIAS_CORE_EXPORT = 0x01, ALIAS_OUTER = 0x02,
  TYPE_FUNC = 0x40, TYPE_COMPONENT = 0x41, TYPE_INSTANCE = 0x42, TYPE_FUNC_ASYNC = 0x43,
  VT_RECORD = 0x72, VT_VARIANT = 0x71, VT_LIST = 0x70, VT_TUPLE = 0x6f, VT_FLAGS = 0x6e,
  VT_ENUM = 0x6d, VT_OPTION = 0x6b, VT_RESULT = 0x6a, VT_OWN = 0x69, VT_BORROW = 0x68,
  VT_LIST_FIXED = 0x67, VT_STREAM = 0x66, VT_FUTURE = 0x65,
  MAX_DEPTH = 32 /* nesting of type definitions; WIT needs 2 */
};

/* ---- what a scope's type index space holds ------------------------------ */

typedef struct name_ref {
  size_t at;
  uint32_t len;
} name_ref;

typedef struct item_ref {
  tw_wit_kind kind;
  name_ref name;
} item_ref;

typedef struct item_list { /* an instance type's exports of interest */
  item_ref *v;
  uint32_t n, cap;
} item_list;

typedef struct comp_type comp_type;

typedef enum entry_kind { E_OTHER, E_INSTANCE, E_COMPONENT } entry_kind;

typedef struct entry {
  entry_kind kind;
  item_list *items;  /* E_INSTANCE */
  comp_type *comp;   /* E_COMPONENT */
} entry;

typedef struct scope {
  entry *e;
  uint32_t n, cap;
} scope;

typedef struct iface_ref {
  name_ref name;
  const item_list *items;
} iface_ref;

/* A component type's exports: functions, instances (interfaces) and the
 * component types it exports (the world, in the outer wrapper type). */
typedef struct comp_type {
  item_list funcs;
  iface_ref *ifaces;
  uint32_t nifaces, ifaces_cap;
  name_ref comp_name;
  comp_type *comp; /* the one exported component type, if any */
  uint32_t ncomps;
} comp_type;

typedef struct decoder {
  tw_cursor c;
  tw_err *err;
  const char *section; /* for messages */
  /* Every list and component type made, freed together when the section
   * has been merged. */
  item_list **lists;
  comp_type **comps;
  uint32_t nlists, lists_cap, ncomps, comps_cap;
} decoder;

static bool fail(decoder *d, size_t at, const char *msg) {
  tw_err_set(d->err, TW_ERR_MALFORMED, at, "%s section: %s", d->section, msg);
  return false;
}

static bool nomem(decoder *d) {
  tw_err_set(d->err, TW_ERR_NOMEM, d->c.pos, "out of memory decoding the %s section", d->section);
  return false;
}

static item_list *new_list(decoder *d) {
  item_list *l = calloc(1, sizeof *l);
  if (!l || !tw_grow((void **)&d->lists, &d->lists_cap, d->nlists, sizeof *d->lists)) {
    free(l);
    return NULL;
  }
  return d->lists[d->nlists++] = l;
}

static comp_type *new_comp(decoder *d) {
  comp_type *ct = calloc(1, sizeof *ct);
  if (!ct || !tw_grow((void **)&d->comps, &d->comps_cap, d->ncomps, sizeof *d->comps)) {
    free(ct);
    return NULL;
  }
  return d->comps[d->ncomps++] = ct;
}

static void decoder_free(decoder *d) {
  for (uint32_t i = 0; i < d->nlists; i++) {
    free(d->lists[i]->v);
    free(d->lists[i]);
  }
  for (uint32_t i = 0; i < d->ncomps; i++) {
    free(d->comps[i]->funcs.v);
    free(d->comps[i]->ifaces);
    free(d->comps[i]);
  }
  free(d->lists);
  free(d->comps);
}

static bool list_add(decoder *d, item_list *l, tw_wit_kind kind, name_ref name) {
  if (!tw_grow((void **)&l->v, &l->cap, l->n, sizeof *l->v)) return nomem(d);
  l->v[l->n++] = (item_ref){kind, name};
  return true;
}

static bool push(decoder *d, scope *s, entry e) {
  if (!tw_grow((void **)&s->e, &s->cap, s->n, sizeof *s->e)) return nomem(d);
  s->e[s->n++] = e;
  return true;
}

/* A copy of the entry at idx: a later push may move the scope's array, so
 * no pointer into it is handed out (what an entry points to stays put). */
static bool entry_at(decoder *d, const scope *s, uint32_t idx, size_t at, entry *out) {
  if (idx >= s->n) return fail(d, at, "type index out of bounds");
  *out = s->e[idx];
  return true;
}

/* ---- the grammar ----------------------------------------------------------- */

static bool byte(decoder *d, uint8_t *b, const char *what) { return tw_read_u8(&d->c, b, what); }
static bool u32(decoder *d, uint32_t *v, const char *what) { return tw_read_u32(&d->c, v, what); }

static bool name(decoder *d, name_ref *out, const char *what) {
  return tw_read_name(&d->c, &out->at, &out->len, what);
}

/* valtype ::= typeidx | primvaltype, one s33. */
static bool valtype(decoder *d) {
  int64_t v;
  return tw_read_s33(&d->c, &v, "component-type value type");
}

static bool opt_valtype(decoder *d) {
  const size_t at = d->c.pos;
  uint8_t b;
  if (!byte(d, &b, "component-type optional type")) return false;
  if (b == 0) return true;
  if (b == 1) return valtype(d);
  return fail(d, at, "invalid optional type flag");
}

static bool labels(decoder *d, bool with_type) {
  uint32_t n;
  if (!u32(d, &n, "component-type label count")) return false;
  for (uint32_t i = 0; i < n; i++) {
    name_ref l;
    if (!name(d, &l, "component-type label")) return false;
    if (with_type && !valtype(d)) return false;
  }
  return true;
}

/* defvaltype (Binary.md), after its first byte b. */
static bool defvaltype(decoder *d, uint8_t b, size_t at) {
  uint32_t n;
  switch (b) {
  case VT_RECORD: return labels(d, true);
  case VT_VARIANT:
    if (!u32(d, &n, "component-type case count")) return false;
    for (uint32_t i = 0; i < n; i++) {
      name_ref l;
      if (!name(d, &l, "component-type case label") || !opt_valtype(d)) return false;
      const size_t r = d->c.pos;
      uint8_t refines;
      if (!byte(d, &refines, "component-type case")) return false;
      if (refines != 0) return fail(d, r, "invalid variant case");
    }
    return true;
  case VT_LIST: case VT_OPTION: return valtype(d);
  case VT_LIST_FIXED: return valtype(d) && u32(d, &n, "component-type list length");
  case VT_TUPLE:
    if (!u32(d, &n, "component-type tuple length")) return false;
    for (uint32_t i = 0; i < n; i++)
      if (!valtype(d)) return false;
    return true;
  case VT_FLAGS: case VT_ENUM: return labels(d, false);
  case VT_RESULT: return opt_valtype(d) && opt_valtype(d);
  case VT_OWN: case VT_BORROW: return u32(d, &n, "component-type resource index");
  case VT_STREAM: case VT_FUTURE: return opt_valtype(d);
  default:
    /* primvaltype: bool 0x7f .. string 0x73, error-context 0x64 */
    if ((b >= 0x73 && b <= 0x7f) || b == 0x64) return true;
    return fail(d, at, "unknown type form");
  }
}

static bool functype(decoder *d) {
  if (!labels(d, true)) return false;
  const size_t at = d->c.pos;
  uint8_t b;
  if (!byte(d, &b, "component-type function result")) return false;
  if (b == 0x00) return valtype(d);
  if (b != 0x01) return fail(d, at, "invalid function result list");
  const size_t z = d->c.pos;
  if (!byte(d, &b, "component-type function result") || b != 0x00)
    return b != 0x00 ? fail(d, z, "invalid function result list") : false;
  return true;
}

/* importname' / exportname': 0x00 name, or 0x01 name and one more string
 * (a version suffix; an URL in older encodings). */
static bool extern_name(decoder *d, name_ref *out) {
  const size_t at = d->c.pos;
  uint8_t b;
  if (!byte(d, &b, "component-type extern name")) return false;
  if (b > 1) return fail(d, at, "invalid extern name");
  if (!name(d, out, "component-type extern name")) return false;
  name_ref extra;
  return b == 0 || name(d, &extra, "component-type extern name suffix");
}

typedef struct externdesc {
  uint8_t kind;
  uint32_t idx;   /* func, component, instance: a type index */
  bool resource;  /* type: sub resource */
  size_t at;
} externdesc;

static bool extern_desc(decoder *d, externdesc *x) {
  x->at = d->c.pos;
  x->resource = false;
  x->idx = 0;
  uint8_t b;
  if (!byte(d, &x->kind, "component-type extern kind")) return false;
  switch (x->kind) {
  case EXTERN_MODULE:
    if (!byte(d, &b, "component-type core module") || b != 0x11)
      return b != 0x11 ? fail(d, x->at, "invalid core module descriptor") : false;
    return u32(d, &x->idx, "component-type core type index");
  case EXTERN_FUNC: case EXTERN_COMPONENT: case EXTERN_INSTANCE:
    return u32(d, &x->idx, "component-type type index");
  case EXTERN_VALUE:
    if (!byte(d, &b, "component-type value bound")) return false;
    if (b == 0x00) return u32(d, &x->idx, "component-type value index");
    if (b == 0x01) return valtype(d);
    return fail(d, x->at, "invalid value bound");
  case EXTERN_TYPE:
    if (!byte(d, &b, "component-type type bound")) return false;
    if (b == BOUND_EQ) return u32(d, &x->idx, "component-type type index");
    if (b == BOUND_SUB_RESOURCE) return x->resource = true;
    return fail(d, x->at, "invalid type bound");
  default: return fail(d, x->at, "invalid extern kind");
  }
}

/* alias: adds a type to the scope when its sort is type. */
static bool alias(decoder *d, scope *s) {
  const size_t at = d->c.pos;
  uint8_t sort, target, core_sort = 0;
  uint32_t a, b;
  name_ref n;
  if (!byte(d, &sort, "component-type alias sort")) return false;
  if (sort == SORT_CORE && !byte(d, &core_sort, "component-type alias core sort")) return false;
  if (sort > 0x05) return fail(d, at, "invalid alias sort");
  const size_t t = d->c.pos;
  if (!byte(d, &target, "component-type alias target")) return false;
  switch (target) {
  case ALIAS_EXPORT: case ALIAS_CORE_EXPORT:
    if (!u32(d, &a, "component-type alias instance") || !name(d, &n, "component-type alias name"))
      return false;
    break;
  case ALIAS_OUTER:
    if (!u32(d, &a, "component-type alias outer count") || !u32(d, &b, "component-type alias index"))
      return false;
    break;
  default: return fail(d, t, "invalid alias target");
  }
  return sort != SORT_TYPE || push(d, s, (entry){E_OTHER, NULL, NULL});
}

static bool type_def(decoder *d, scope *s, unsigned depth);

/* The declarations of an instance type (component = false) or of a
 * component type (imports allowed); what they export is recorded. */
static bool decls(decoder *d, bool component, unsigned depth, item_list *inst, comp_type *comp) {
  scope s = {0};
  uint32_t n;
  bool ok = u32(d, &n, "component-type declaration count");
  for (uint32_t i = 0; ok && i < n; i++) {
    const size_t at = d->c.pos;
    uint8_t b;
    name_ref nm;
    externdesc x;
    if (!(ok = byte(d, &b, "component-type declaration"))) break;
    switch (b) {
    case DECL_CORE_TYPE:
      ok = fail(d, at, "a core type declaration is not part of a WIT world");
      break;
    case DECL_TYPE: ok = type_def(d, &s, depth + 1); break;
    case DECL_ALIAS: ok = alias(d, &s); break;
    case DECL_IMPORT:
      if (!component) {
        ok = fail(d, at, "an instance type cannot import");
        break;
      }
      ok = extern_name(d, &nm) && extern_desc(d, &x) &&
           (x.kind != EXTERN_TYPE || push(d, &s, (entry){E_OTHER, NULL, NULL}));
      break;
    case DECL_EXPORT:
      if (!(ok = extern_name(d, &nm) && extern_desc(d, &x))) break;
      if (x.kind == EXTERN_TYPE) {
        ok = push(d, &s, (entry){E_OTHER, NULL, NULL});
        if (ok && x.resource && inst) ok = list_add(d, inst, TW_WIT_RESOURCE, nm);
      } else if (x.kind == EXTERN_FUNC) {
        if (inst) ok = list_add(d, inst, TW_WIT_FUNC, nm);
        else if (comp) ok = list_add(d, &comp->funcs, TW_WIT_FUNC, nm);
      } else if (x.kind == EXTERN_INSTANCE && comp) {
        entry e;
        if (!(ok = entry_at(d, &s, x.idx, x.at, &e))) break;
        if (e.kind != E_INSTANCE) {
          ok = fail(d, x.at, "an exported instance's type is not an instance type");
          break;
        }
        if (!tw_grow((void **)&comp->ifaces, &comp->ifaces_cap, comp->nifaces, sizeof *comp->ifaces)) {
          ok = nomem(d);
          break;
        }
        comp->ifaces[comp->nifaces++] = (iface_ref){nm, e.items};
      } else if (x.kind == EXTERN_COMPONENT && comp) {
        entry e;
        if (!(ok = entry_at(d, &s, x.idx, x.at, &e))) break;
        if (e.kind != E_COMPONENT) {
          ok = fail(d, x.at, "an exported component's type is not a component type");
          break;
        }
        comp->comp = e.comp;
        comp->comp_name = nm;
        comp->ncomps++;
      }
      break;
    default: ok = fail(d, at, "invalid declaration");
    }
  }
  free(s.e);
  return ok;
}

/* One type definition; pushes its entry. */
static bool type_def(decoder *d, scope *s, unsigned depth) {
  const size_t at = d->c.pos;
  if (depth > MAX_DEPTH) return fail(d, at, "type definitions nested too deeply");
  uint8_t b;
  if (!byte(d, &b, "component-type type definition")) return false;
  entry e = {E_OTHER, NULL, NULL};
  switch (b) {
  case TYPE_FUNC: case TYPE_FUNC_ASYNC:
    if (!functype(d)) return false;
    break;
  case TYPE_INSTANCE: {
    item_list *l = new_list(d);
    if (!l) return nomem(d);
    if (!decls(d, false, depth, l, NULL)) return false;
    e = (entry){E_INSTANCE, l, NULL};
    break;
  }
  case TYPE_COMPONENT: {
    comp_type *ct = new_comp(d);
    if (!ct) return nomem(d);
    if (!decls(d, true, depth, NULL, ct)) return false;
    e = (entry){E_COMPONENT, NULL, ct};
    break;
  }
  case 0x3f: case 0x3e:
    return fail(d, at, "a resource definition is not part of a WIT world type");
  default:
    if (!defvaltype(d, b, at)) return false;
  }
  return push(d, s, e);
}

/* ---- the world, merged over sections ---------------------------------------- */

typedef struct probe {
  const tw_world *w;
  uint32_t iface;
  tw_wit_kind kind;
  const uint8_t *name;
  size_t len;
} probe;

static bool item_eq(const void *ctx, uint64_t stored, uint64_t key) {
  (void)key;
  const probe *p = ctx;
  const tw_wit_item *it = &p->w->items[stored];
  return it->iface == p->iface && it->kind == p->kind && it->name_len == p->len &&
         memcmp(p->w->data + it->name, p->name, p->len) == 0;
}

static bool iface_eq(const void *ctx, uint64_t stored, uint64_t key) {
  (void)key;
  const probe *p = ctx;
  const tw_wit_iface *f = &p->w->ifaces[stored];
  return f->name_len == p->len && memcmp(p->w->data + f->name, p->name, p->len) == 0;
}

static bool canon_eq(const void *ctx, uint64_t stored, uint64_t key) {
  (void)key;
  const probe *p = ctx;
  const tw_wit_iface *f = &p->w->ifaces[stored];
  return f->canon_len == p->len && memcmp(f->canon, p->name, p->len) == 0;
}

static uint64_t item_hash(uint32_t iface, tw_wit_kind kind, const uint8_t *name, size_t len) {
  return tw_hash_bytes(name, len) ^ ((uint64_t)iface * 0x9e3779b97f4a7c15ull) ^ (uint64_t)kind;
}

static long find_item(const tw_world *w, uint32_t iface, tw_wit_kind kind, const uint8_t *name,
                      size_t len) {
  if (!w->item_map.keys) return -1;
  const probe p = {w, iface, kind, name, len};
  bool found;
  const size_t s = tw_map_slot(&w->item_map, item_hash(iface, kind, name, len), 0, item_eq, &p, &found);
  return found ? (long)(w->item_map.keys[s] - 1) : -1;
}

static long find_iface(const tw_world *w, bool canon, const uint8_t *name, size_t len) {
  const tw_map *mp = canon ? &w->canon_map : &w->iface_map;
  if (!mp->keys) return -1;
  const probe p = {w, 0, 0, name, len};
  bool found;
  const size_t s = tw_map_slot(mp, tw_hash_bytes(name, len), 0, canon ? canon_eq : iface_eq, &p, &found);
  return found ? (long)(mp->keys[s] - 1) : -1;
}

/* Whether a map holds n keys at most half full. A map is rebuilt for its
 * array's capacity only when it is not, and that capacity doubles
 * (tw_grow): n additions cost O(n) in all. */
static bool map_room(tw_map *mp, uint32_t n) {
  return mp->keys && (size_t)n * 2 + 2 <= mp->mask + 1;
}

/* Puts item i in the item map (the first of equal items stays). */
static void index_item(tw_world *w, uint32_t i) {
  const tw_wit_item *it = &w->items[i];
  const probe p = {w, it->iface, it->kind, w->data + it->name, it->name_len};
  bool found;
  const size_t s = tw_map_slot(&w->item_map, item_hash(p.iface, p.kind, p.name, p.len), 0,
                               item_eq, &p, &found);
  if (!found) w->item_map.keys[s] = (uint64_t)i + 1;
}

static bool rehash_items(tw_world *w) {
  w->rebuilds++;
  tw_map_free(&w->item_map);
  if (!tw_map_init(&w->item_map, (size_t)w->items_cap)) return false;
  for (uint32_t i = 0; i < w->nitems; i++) index_item(w, i);
  return true;
}

/* Puts interface i in the name map and the canonical-name map (the first
 * interface of a canonical name stays). */
static void index_iface(tw_world *w, uint32_t i) {
  const tw_wit_iface *f = &w->ifaces[i];
  probe p = {w, 0, 0, w->data + f->name, f->name_len};
  bool found;
  size_t s = tw_map_slot(&w->iface_map, tw_hash_bytes(p.name, p.len), 0, iface_eq, &p, &found);
  if (!found) w->iface_map.keys[s] = (uint64_t)i + 1;
  p.name = (const uint8_t *)f->canon, p.len = f->canon_len;
  s = tw_map_slot(&w->canon_map, tw_hash_bytes(p.name, p.len), 0, canon_eq, &p, &found);
  if (!found) w->canon_map.keys[s] = (uint64_t)i + 1;
}

static bool rehash_ifaces(tw_world *w) {
  w->rebuilds++;
  tw_map_free(&w->iface_map);
  tw_map_free(&w->canon_map);
  if (!tw_map_init(&w->iface_map, w->ifaces_cap) || !tw_map_init(&w->canon_map, w->ifaces_cap))
    return false;
  for (uint32_t i = 0; i < w->nifaces; i++) index_iface(w, i);
  return true;
}

static bool add_item(tw_world *w, uint32_t iface, tw_wit_kind kind, name_ref n) {
  if (find_item(w, iface, kind, w->data + n.at, n.len) >= 0) return true; /* merged */
  if (!tw_grow((void **)&w->items, &w->items_cap, w->nitems, sizeof *w->items)) return false;
  w->items[w->nitems++] = (tw_wit_item){iface, kind, n.at, n.len};
  if (!map_room(&w->item_map, w->nitems)) return rehash_items(w);
  index_item(w, w->nitems - 1);
  return true;
}

/* The cm32p2 mangling names a package interface by its canonicalised id
 * (wit-parser's `canonicalized_id_of`): the version cut to its semver
 * compatibility track, build metadata dropped, a prerelease kept whole. */
char *tw_wit_canonical_name(const uint8_t *s, size_t n, size_t *out_len) {
  const uint8_t *at = memchr(s, '@', n);
  char *c = malloc(n + 1);
  if (!c) return NULL;
  if (!at) {
    memcpy(c, s, n);
    c[n] = 0;
    *out_len = n;
    return c;
  }
  size_t k = (size_t)(at - s) + 1, vlen = n - k;
  memcpy(c, s, k);
  const uint8_t *v = at + 1, *plus = memchr(v, '+', vlen);
  if (plus) vlen = (size_t)(plus - v);
  const uint8_t *dash = memchr(v, '-', vlen);
  const uint8_t *dot1 = memchr(v, '.', vlen);
  const uint8_t *dot2 = dot1 ? memchr(dot1 + 1, '.', vlen - (size_t)(dot1 + 1 - v)) : NULL;
  if (dash || !dot1 || !dot2) { /* a prerelease, or not M.m.p: kept whole */
    memcpy(c + k, v, vlen);
    k += vlen;
  } else {
    const size_t major = (size_t)(dot1 - v), minor = (size_t)(dot2 - dot1 - 1);
    const bool major0 = major == 1 && v[0] == '0', minor0 = minor == 1 && dot1[1] == '0';
    const size_t keep = !major0 ? major : !minor0 ? (size_t)(dot2 - v) : vlen;
    memcpy(c + k, v, keep);
    k += keep;
  }
  c[k] = 0;
  *out_len = k;
  return c;
}

static bool add_iface(tw_world *w, name_ref n, uint32_t *out) {
  const long have = find_iface(w, false, w->data + n.at, n.len);
  if (have >= 0) {
    *out = (uint32_t)have;
    return true;
  }
  size_t clen = 0;
  char *canon = tw_wit_canonical_name(w->data + n.at, n.len, &clen);
  if (!canon || !tw_grow((void **)&w->ifaces, &w->ifaces_cap, w->nifaces, sizeof *w->ifaces)) {
    free(canon);
    return false;
  }
  *out = w->nifaces;
  w->ifaces[w->nifaces++] = (tw_wit_iface){n.at, n.len, canon, clen};
  if (!map_room(&w->iface_map, w->nifaces)) return rehash_ifaces(w);
  index_iface(w, w->nifaces - 1);
  return true;
}

static bool merge(tw_world *w, const comp_type *world) {
  for (uint32_t i = 0; i < world->funcs.n; i++)
    if (!add_item(w, TW_NONE, TW_WIT_FUNC, world->funcs.v[i].name)) return false;
  for (uint32_t k = 0; k < world->nifaces; k++) {
    uint32_t iface;
    if (!add_iface(w, world->ifaces[k].name, &iface)) return false;
    const item_list *l = world->ifaces[k].items;
    for (uint32_t i = 0; i < l->n; i++)
      if (!add_item(w, iface, l->v[i].kind, l->v[i].name)) return false;
  }
  return true;
}

/* ---- one section --------------------------------------------------------------- */

static const uint8_t preamble[8] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};

/* The world of one section's component: the component type that the one
 * exported type exports (wit-parser's `decode_world`). */
static bool decode_section(decoder *d, size_t start, size_t end, const comp_type **world,
                           name_ref *world_name) {
  if (end - start < 8 || memcmp(d->c.base + start, preamble, 8) != 0) {
    if (end > start && d->c.base[start] == 0x03)
      return fail(d, start, "the historical (0x03) world encoding is not supported; "
                  "re-embed the world with a current wit-component");
    return fail(d, start, "not a WIT world encoding (expected a component preamble)");
  }
  d->c.pos = start + 8;
  scope outer = {0};
  /* The exported entry, copied: a type section after the export section
   * grows the scope and moves its array. */
  entry exported = {E_OTHER, NULL, NULL};
  uint32_t nexported = 0;
  size_t exported_at = start;
  bool ok = true;
  while (ok && d->c.pos < end) {
    const size_t sec = d->c.pos;
    uint8_t id;
    uint32_t size;
    if (!(ok = byte(d, &id, "component-type section id") && u32(d, &size, "component-type section size")))
      break;
    if (size > end - d->c.pos) {
      ok = fail(d, sec, "a section runs past the end");
      break;
    }
    const size_t sec_end = d->c.pos + size;
    tw_cursor saved = d->c;
    d->c.end = sec_end;
    uint32_t n = 0;
    if (id == SEC_CUSTOM) {
      d->c.pos = sec_end;
    } else if (id == SEC_TYPE) {
      ok = u32(d, &n, "component-type type count");
      for (uint32_t i = 0; ok && i < n; i++) ok = type_def(d, &outer, 0);
    } else if (id == SEC_EXPORT) {
      ok = u32(d, &n, "component-type export count");
      for (uint32_t i = 0; ok && i < n; i++) {
        name_ref nm;
        uint8_t sort, core_sort, has_desc;
        uint32_t idx;
        externdesc x;
        const size_t at = d->c.pos;
        ok = extern_name(d, &nm) && byte(d, &sort, "component-type export sort") &&
             (sort != SORT_CORE || byte(d, &core_sort, "component-type export core sort")) &&
             u32(d, &idx, "component-type export index") &&
             byte(d, &has_desc, "component-type export type");
        if (ok && has_desc > 1) ok = fail(d, d->c.pos - 1, "invalid export type flag");
        if (ok && has_desc == 1) ok = extern_desc(d, &x);
        if (ok && sort == SORT_TYPE) {
          ok = entry_at(d, &outer, idx, at, &exported);
          exported_at = at;
          nexported++;
        }
      }
    } else {
      ok = fail(d, sec, "a WIT world encoding has only custom, type and export sections");
    }
    if (ok && d->c.pos != sec_end) ok = fail(d, d->c.pos, "section size mismatch");
    d->c.end = saved.end;
  }
  if (ok && nexported != 1) ok = fail(d, exported_at, "expected one exported world type");
  if (ok && (exported.kind != E_COMPONENT || exported.comp->ncomps != 1 ||
             exported.comp->comp == NULL))
    ok = fail(d, exported_at, "the exported type is not a component type exporting one world");
  if (ok) {
    *world = exported.comp->comp;
    *world_name = exported.comp->comp_name;
  }
  free(outer.e);
  return ok;
}

void tw_world_free(tw_world *w) {
  if (!w) return;
  for (uint32_t i = 0; i < w->nifaces; i++) free(w->ifaces[i].canon);
  free(w->ifaces);
  free(w->items);
  tw_map_free(&w->item_map);
  tw_map_free(&w->iface_map);
  tw_map_free(&w->canon_map);
  free(w);
}

bool tw_world_decode(const tw_module *m, tw_world **out, tw_err *err) {
  *out = NULL;
  tw_world *w = NULL;
  for (size_t i = 0; i < m->nsections; i++) {
    const tw_section *s = &m->sections[i];
    /* wit-component reads every custom section whose name starts so. */
    if (s->id != 0 || !tw_section_named(m, s, "component-type", false)) continue;
    tw_module_need(m, s->start, s->end - s->start); /* decoded whole: read it in */
    if (!w && !(w = calloc(1, sizeof *w))) {
      tw_err_set(err, TW_ERR_NOMEM, s->start, "out of memory for the WIT world");
      return false;
    }
    w->data = m->data;
    char shown[64], label[80]; /* the name escaped, as export names are */
    tw_name_describe(m->data + s->name_start, s->name_len, shown, sizeof shown);
    snprintf(label, sizeof label, "\"%s\"", shown);
    decoder d = {.c = tw_cursor_make(m->data, s->name_start + s->name_len, s->end, err),
                 .err = err, .section = label};
    const comp_type *world = NULL;
    name_ref wname = {0};
    bool ok = decode_section(&d, s->name_start + s->name_len, s->end, &world, &wname);
    if (ok && w->nsections == 0) w->name = wname.at, w->name_len = wname.len;
    if (ok && !merge(w, world)) {
      tw_err_set(err, TW_ERR_NOMEM, s->start, "out of memory for the WIT world");
      ok = false;
    }
    decoder_free(&d);
    if (!ok) {
      tw_world_free(w);
      return false;
    }
    w->nsections++;
  }
  *out = w;
  return true;
}

/* ---- matching export names (validation.rs, ExportMap::classify) --------------- */

typedef struct str {
  const uint8_t *p;
  size_t n;
} str;

static bool strip_prefix(str *s, const char *prefix) {
  const size_t k = strlen(prefix);
  if (s->n < k || memcmp(s->p, prefix, k) != 0) return false;
  s->p += k, s->n -= k;
  return true;
}

static bool strip_suffix(str *s, const char *suffix) {
  const size_t k = strlen(suffix);
  if (s->n < k || memcmp(s->p + s->n - k, suffix, k) != 0) return false;
  s->n -= k;
  return true;
}

static bool is(str s, const char *text) { return s.n == strlen(text) && memcmp(s.p, text, s.n) == 0; }

/* Splits s at its first `sep`: an interface name holds neither '#' nor '|',
 * and neither does a WIT name, so the first one is the only cut. */
static bool split(str s, uint8_t sep, str *head, str *tail) {
  const uint8_t *at = memchr(s.p, sep, s.n);
  if (!at) return false;
  *head = (str){s.p, (size_t)(at - s.p)};
  *tail = (str){at + 1, s.n - (size_t)(at - s.p) - 1};
  return true;
}

/* The world item that `s` names in the mangling: legacy `f` or `IFACE#f`,
 * standard (after cm32p2) `||f` or `|CANON-IFACE|f`. -1 if none. */
static long match_item(const tw_world *w, bool standard, str s, tw_wit_kind kind) {
  str iface, item;
  if (standard) {
    if (!strip_prefix(&s, "|")) return -1;
    if (!split(s, '|', &iface, &item)) return -1;
    if (iface.n == 0)
      return kind == TW_WIT_FUNC ? find_item(w, TW_NONE, kind, item.p, item.n) : -1;
  } else if (!split(s, '#', &iface, &item)) {
    return kind == TW_WIT_FUNC ? find_item(w, TW_NONE, kind, s.p, s.n) : -1;
  }
  const long f = find_iface(w, standard, iface.p, iface.n);
  return f < 0 ? -1 : find_item(w, (uint32_t)f, kind, item.p, item.n);
}

static long match_dtor(const tw_world *w, bool standard, str s) {
  if (standard) return strip_suffix(&s, "_dtor") ? match_item(w, true, s, TW_WIT_RESOURCE) : -1;
  str iface, item;
  if (!split(s, '#', &iface, &item) || !strip_prefix(&item, "[dtor]")) return -1;
  const long f = find_iface(w, false, iface.p, iface.n);
  return f < 0 ? -1 : find_item(w, (uint32_t)f, TW_WIT_RESOURCE, item.p, item.n);
}

static tw_role found(tw_wit_match *why, tw_reason reason, long item, tw_role role) {
  why->reason = reason;
  why->item = (uint32_t)item;
  return role;
}

tw_role tw_world_classify(const tw_world *w, const uint8_t *name, size_t len, tw_wit_match *why) {
  why->reason = TW_REASON_NAME;
  why->item = TW_NONE;
  str s = {name, len};
  /* Special names first, whatever the world. */
  if (is(s, "canonical_abi_realloc") || is(s, "cabi_import_realloc") || is(s, "cabi_export_realloc"))
    return TW_ROLE_REALLOC;
  if (is(s, "cabi_realloc_adapter")) return TW_ROLE_INTERNAL;
  const bool standard = strip_prefix(&s, "cm32p2");
  if (is(s, standard ? "_realloc" : "cabi_realloc")) return TW_ROLE_REALLOC;
  if (is(s, "_initialize")) return TW_ROLE_INITIALIZE;
  const str full = s;
  /* A lifted function; only the legacy mangling has the async forms. */
  tw_role lifted = TW_ROLE_SYNC;
  if (!standard && strip_prefix(&s, "[async-lift]")) lifted = TW_ROLE_ASYNC_CALLBACK;
  else if (!standard && strip_prefix(&s, "[async-lift-stackful]")) lifted = TW_ROLE_ASYNC_STACKFUL;
  long item = match_item(w, standard, s, TW_WIT_FUNC);
  if (item >= 0)
    return found(why, w->items[item].iface == TW_NONE ? TW_REASON_WORLD_FUNC : TW_REASON_INTERFACE_FUNC,
                 item, lifted);
  /* A post-return, a callback or a destructor of a world item. */
  str post = s;
  if ((standard ? strip_suffix(&post, "_post") : strip_prefix(&post, "cabi_post_")) &&
      (item = match_item(w, standard, post, TW_WIT_FUNC)) >= 0)
    return found(why, TW_REASON_POST_RETURN, item, TW_ROLE_POST_RETURN);
  str cb = full;
  if (!standard && strip_prefix(&cb, "[callback][async-lift]") &&
      (item = match_item(w, false, cb, TW_WIT_FUNC)) >= 0)
    return found(why, TW_REASON_CALLBACK, item, TW_ROLE_CALLBACK);
  if ((item = match_dtor(w, standard, s)) >= 0)
    return found(why, TW_REASON_DTOR, item, TW_ROLE_DTOR);
  why->reason = TW_REASON_UNLIFTED;
  return TW_ROLE_UNLIFTED;
}
