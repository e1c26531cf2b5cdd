/* Shared by the C test drivers (tests/corpus, tests/robust). */
#ifndef TW_TEST_IO_H
#define TW_TEST_IO_H

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

#endif
