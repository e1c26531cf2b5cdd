/* The WIT world embedded in a module (src/world.c): its `component-type*`
 * custom sections decoded and merged (docs/abi.md, "Reading the world"), and
 * the classification of core export names against it, as wit-component's
 * validation does it for both name manglings (docs/abi.md, "How the role is
 * decided"). */
#ifndef TW_WORLD_H
#define TW_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "map.h"
#include "module.h"
#include "taskwrap.h"

typedef enum tw_wit_kind { TW_WIT_FUNC = 0, TW_WIT_RESOURCE = 1 } tw_wit_kind;

/* An exported interface: its name as the world exports it (a kebab name for
 * an inline interface, `ns:pkg/iface@version` otherwise) and that name in the
 * cm32p2 mangling's canonical form (the version cut to its compatibility
 * track: 1.2.3 -> 1, 0.2.3 -> 0.2, 0.0.3 -> 0.0.3). */
typedef struct tw_wit_iface {
  size_t name; /* offset in the module */
  uint32_t name_len;
  char *canon;
  size_t canon_len;
} tw_wit_iface;

/* A function of the world (iface TW_NONE) or of an exported interface, or a
 * resource of an exported interface. */
typedef struct tw_wit_item {
  uint32_t iface;
  tw_wit_kind kind;
  size_t name; /* offset in the module */
  uint32_t name_len;
} tw_wit_item;

typedef struct tw_world {
  const uint8_t *data;   /* the module's bytes */
  uint32_t nsections;    /* component-type sections merged */
  size_t name;           /* the first section's world name (`ns:pkg/world`) */
  uint32_t name_len;
  tw_wit_iface *ifaces;
  uint32_t nifaces, ifaces_cap;
  tw_wit_item *items;
  uint32_t nitems, items_cap;
  tw_map item_map;       /* (iface, kind, name) -> item */
  tw_map iface_map;      /* name -> iface */
  tw_map canon_map;      /* canonical name -> iface (the first one) */
  uint32_t rebuilds;     /* maps rebuilt as they grew: O(log n) for n names */
} tw_world;

/* Decodes every custom section whose name begins with `component-type` and
 * merges their worlds into *out (NULL when the module has none). A section
 * that is not a WIT world encoding is an error at its offset. */
bool tw_world_decode(const tw_module *m, tw_world **out, tw_err *err);
void tw_world_free(tw_world *w); /* NULL is fine */

/* Why an export has its role under a world, and which item it belongs to. */
typedef struct tw_wit_match {
  tw_reason reason;
  uint32_t item; /* TW_NONE when the reason names no item */
} tw_wit_match;

/* An interface id in the cm32p2 mangling's canonical form (malloc'd,
 * NUL-terminated; NULL when out of memory). */
char *tw_wit_canonical_name(const uint8_t *s, size_t n, size_t *out_len);

/* The role of the function export `name` under world w, as wit-component's
 * ExportMap classifies it: special names first, then a lifted function (in
 * the legacy mangling also its [async-lift] forms), a post-return, a callback
 * or a resource destructor of a world item; every other name is unlifted.
 * Post-return is decided by the world alone; the caller refines sync to
 * sync-post. The hook names are the caller's. */
tw_role tw_world_classify(const tw_world *w, const uint8_t *name, size_t len, tw_wit_match *why);

#endif
