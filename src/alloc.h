/* Allocation, in one place (src/alloc.c): arrays sized from counts the
 * input gives, and growth by doubling for every list that is appended to. */
#ifndef TW_ALLOC_H
#define TW_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* A zeroed array of n entries (room for one when n is 0), refusing sizes
 * that overflow; on failure a TW_ERR_NOMEM at `at` naming `what`, and NULL. */
void *tw_alloc_array(size_t n, size_t elem, tw_err *err, uint64_t at, const char *what);
/* Room for `need` entries of elem bytes in *p (capacity *cap): the capacity
 * doubles (from 8) until it holds them, never past `max` entries. false when
 * out of memory or past max; *p and *cap are unchanged then. */
bool tw_grow_to(void **p, size_t *cap, size_t need, size_t max, size_t elem);
/* The same for entry n of a list counted in uint32_t (past UINT32_MAX
 * entries is false). */
bool tw_grow(void **p, uint32_t *cap, uint32_t n, size_t elem);

#endif /* TW_ALLOC_H */
