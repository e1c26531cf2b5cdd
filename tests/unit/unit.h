/* Shared helpers of the cmocka unit tests: a tiny byte builder for hand-made
 * modules (with its own LEB128 writer, independent of the library's) and
 * row-aware failure reporting for table-driven tests. */
#ifndef TW_UNIT_H
#define TW_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tw_internal.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A byte sequence literal with its length: B(0x00, 0x61) */
#define B(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

/* The 8-byte module header. */
#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

/* Fail with the row of a table in the message. */
#define ROW_FAIL(row, fmt, ...) fail_msg("row %zu: " fmt, (size_t)(row), __VA_ARGS__)

static inline void hex_dump(const char *label, const uint8_t *p, size_t n) {
  char line[3 * 64 + 8];
  size_t w = 0;
  print_error("%s (%zu bytes):", label, n);
  for (size_t i = 0; i < n; i++) {
    w += (size_t)snprintf(line + w, sizeof line - w, " %02x", p[i]);
    if (w > sizeof line - 8 || i + 1 == n) {
      print_error("%s", line);
      w = 0;
    }
  }
  print_error("\n");
}

/* Compare bytes and show both sides on a mismatch. */
static inline void check_bytes(const char *what, const uint8_t *got, size_t got_n,
                               const uint8_t *want, size_t want_n) {
  if (got_n == want_n && (want_n == 0 || memcmp(got, want, want_n) == 0)) return;
  print_error("%s: bytes differ\n", what);
  hex_dump("  got ", got, got_n);
  hex_dump("  want", want, want_n);
  fail();
}

/* ---- byte builder ------------------------------------------------------- */
typedef struct wb {
  uint8_t *d;
  size_t n, cap;
} wb;

static inline void wb_bytes(wb *b, const void *p, size_t n) {
  if (b->n + n > b->cap) {
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + n) cap *= 2;
    b->d = realloc(b->d, cap);
    assert_non_null(b->d);
    b->cap = cap;
  }
  if (n) memcpy(b->d + b->n, p, n);
  b->n += n;
}
static inline void wb_u8(wb *b, uint8_t v) { wb_bytes(b, &v, 1); }
static inline void wb_uleb(wb *b, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    wb_u8(b, v ? (uint8_t)(byte | 0x80) : byte);
  } while (v);
}
/* A name: LEB length, then the bytes. */
static inline void wb_name(wb *b, const char *s) {
  wb_uleb(b, strlen(s));
  wb_bytes(b, s, strlen(s));
}
/* Append section `id` with the given contents; returns the absolute offset
 * of the contents in b. */
static inline size_t wb_section(wb *b, uint8_t id, const wb *contents) {
  wb_u8(b, id);
  wb_uleb(b, contents->n);
  const size_t at = b->n;
  wb_bytes(b, contents->d, contents->n);
  return at;
}
static inline void wb_free(wb *b) {
  free(b->d);
  memset(b, 0, sizeof *b);
}

#endif
