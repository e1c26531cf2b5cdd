/* Allocation (alloc.h). */
#include <stdlib.h>

#include "alloc.h"
#include "taskwrap.h"

void *tw_alloc_array(size_t n, size_t elem, tw_err *err, uint64_t at, const char *what) {
  /* Counts come from the input: the callers bound n by the bytes left (an
   * entry takes at least one), and the product must not overflow. */
  void *p = (n != 0 && elem > SIZE_MAX / n) ? NULL : calloc(n ? n : 1, elem);
  if (!p) tw_err_set(err, TW_ERR_NOMEM, at, "out of memory for %s (%zu entries)", what, n);
  return p;
}

bool tw_grow_to(void **p, size_t *cap, size_t need, size_t max, size_t elem) {
  if (need <= *cap) return true;
  if (max > SIZE_MAX / elem) max = SIZE_MAX / elem;
  if (need > max) return false;
  size_t c = *cap ? *cap : 8 < max ? 8 : max; /* first capacity 8, never past max */
  while (c < need) c = c > max / 2 ? max : c * 2;
  void *q = realloc(*p, c * elem);
  if (!q) return false;
  *p = q;
  *cap = c;
  return true;
}

bool tw_grow(void **p, uint32_t *cap, uint32_t n, size_t elem) {
  size_t c = *cap;
  if (!tw_grow_to(p, &c, (size_t)n + 1, UINT32_MAX, elem)) return false;
  *cap = (uint32_t)c;
  return true;
}
