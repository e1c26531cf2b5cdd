/* Shared helpers of the cmocka unit tests: the module builder (builder.h,
 * with its own LEB128 writer, independent of the library's) and row-aware
 * failure reporting for table-driven tests. */
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

#include "abi.h"
#include "cursor.h"
#include "instr.h"
#include "leb.h"
#include "module.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* A byte sequence literal with its length: B(0x00, 0x61) */
#define B(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

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

/* The byte and module builder (builder.c). */
#include "builder.h"

#endif
