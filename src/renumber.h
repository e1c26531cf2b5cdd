/* Function-index renumbering (src/renumber.c): the function indices in the
 * input whose output index differs, as patches the emitter applies under
 * docs/output-layout.md, "Rules for numbers" (each keeps its LEB128 width
 * when the new value fits). Where the indices are is funcidx.h's walk. */
#ifndef TW_RENUMBER_H
#define TW_RENUMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edit.h"
#include "err.h"
#include "module.h"

typedef struct tw_patch { /* a function-index LEB128 in the input */
  size_t pos;
  uint32_t len;   /* its width in the input */
  uint32_t value; /* the output index it becomes */
} tw_patch;

typedef struct tw_patches {
  tw_patch *v;
  size_t n, cap;
} tw_patches;

void tw_patches_free(tw_patches *p);
/* Collect, into p (in input order), every function index in [from, to)
 * whose output index differs, for a section of id `id` (table, global,
 * start, elem; for code use tw_renumber_body). Fails on malformed input
 * with the offset. */
bool tw_renumber_section(const tw_edit *e, uint8_t id, size_t from, size_t to, tw_patches *p,
                         tw_err *err);
/* One function body's code (after its size) to its end. The body's bytes
 * must have been read in (tw_module_need; funcidx.h). */
bool tw_renumber_body(const tw_edit *e, const tw_body *b, tw_patches *p, tw_err *err);

#endif /* TW_RENUMBER_H */
