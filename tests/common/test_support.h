/* Shared by the C test drivers (tests/corpus, tests/robust). */
#ifndef TW_TEST_SUPPORT_H
#define TW_TEST_SUPPORT_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file in an exactly-sized heap buffer, so that AddressSanitizer
 * sees any read past the module's end; NULL if it cannot be read. */
static inline uint8_t *tw_test_read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    n += fread(buf + n, 1, cap - n, f);
    if (n < cap) break;
    uint8_t *grown = realloc(buf, cap *= 2);
    if (!grown) free(buf);
    buf = grown;
  }
  const int bad = ferror(f);
  fclose(f);
  if (!buf || bad) {
    free(buf);
    return NULL;
  }
  uint8_t *exact = malloc(n ? n : 1); /* malloc(0) may return NULL */
  if (exact && n) memcpy(exact, buf, n);
  free(buf);
  *size = n;
  return exact;
}

/* An unsigned LEB128 of at most 5 bytes, read independently of the library
 * (the drivers check the library, so they do not use its reader). Advances
 * *pos; 0 on truncation or overflow. */
static inline int tw_test_leb_u32(const uint8_t *p, size_t end, size_t *pos, uint32_t *out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (*pos >= end) return 0;
    const uint8_t b = p[(*pos)++];
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (v > UINT32_MAX) return 0;
      *out = (uint32_t)v;
      return 1;
    }
  }
  return 0;
}

#endif
