/* The unit tests' one encoder of test modules: a growable byte buffer with
 * the LEB128, name and section writers (independent of the library's, so
 * that a shared mistake cannot pass for a right answer), and a declarative
 * module builder on top of them: "a module with these types, imports,
 * functions, exports, names and custom sections".
 *
 * A test that needs a malformed or unusual module writes its odd bytes
 * through the same primitives (wb_bytes for raw bytes, the *_w writers for
 * padded LEB128s), never through an encoder of its own. */
#ifndef TW_UNIT_BUILDER_H
#define TW_UNIT_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- bytes ------------------------------------------------------------------ */

typedef struct wb {
  uint8_t *d;
  size_t n, cap;
} wb;

void wb_bytes(wb *b, const void *p, size_t n);
void wb_u8(wb *b, uint8_t v);
/* Unsigned LEB128, minimal. */
void wb_uleb(wb *b, uint64_t v);
/* Unsigned LEB128 in at least `width` bytes (0x80 continuation padding). */
void wb_uleb_w(wb *b, uint64_t v, size_t width);
/* A name: LEB length, then the bytes. */
void wb_name(wb *b, const char *s);
/* Section `id` holding contents[0..n), its size in at least `size_width`
 * bytes; returns the offset of the contents. */
size_t wb_section_w(wb *b, uint8_t id, const void *contents, size_t n, size_t size_width);
/* The same with a minimal size, contents from another buffer. */
size_t wb_section(wb *b, uint8_t id, const wb *contents);
void wb_free(wb *b);

/* ---- modules ---------------------------------------------------------------- */

/* The 8-byte module header. */
#define HDR 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

/* Bytes with their length; B(...) (unit.h) fills one in an initialiser. */
typedef struct mb_bytes {
  const uint8_t *d;
  size_t n;
} mb_bytes;

/* An import: a function of type `type` (kind 0, desc.d NULL), or `kind`
 * followed by the raw descriptor `desc`. */
typedef struct mb_import {
  const char *module, *name;
  uint8_t kind;
  uint32_t type;
  mb_bytes desc;
} mb_import;

typedef struct mb_export {
  const char *name;
  uint8_t kind;
  uint32_t index;
} mb_export;

/* A custom section, placed after the section with id `after` (whether that
 * section is there or not), at the start with MB_FIRST, or, with 0, at the
 * end (before the name section). Its size takes at least `size_width`
 * bytes. */
#define MB_FIRST 0xff
typedef struct mb_custom {
  const char *name;
  mb_bytes payload;
  uint8_t after;
  size_t size_width;
} mb_custom;

/* A module. Sections come in the spec's order; a section is written when
 * it has something in it (or raw contents). */
typedef struct mb_module {
  /* Function types by signature: "ii->i" is [i32 i32] -> [i32]; i I f F v
   * are i32 i64 f32 f64 v128. Or the type section raw in sections[1]. */
  const char *const *types;
  size_t ntypes;
  const mb_import *imports;
  size_t nimports;
  /* The type of each defined function, and its code entry (locals and
   * instructions, without the size). A missing body (bodies NULL, or an
   * entry with d NULL) is a distinct valid one: `i32.const (index & 63);
   * drop;` a zero constant per result; `end` (index: the function's). */
  const uint8_t *funcs;
  uint32_t nfuncs;
  const mb_bytes *bodies;
  const mb_export *exports;
  size_t nexports;
  /* A name section with a function-names subsection naming function i
   * func_names[i] (NULL: unnamed), when nfunc_names > 0. */
  const char *const *func_names;
  uint32_t nfunc_names;
  const mb_custom *customs;
  size_t ncustoms;
  /* Raw contents of any other section (memory, global, tag, data...), or
   * of the type section, by section id. */
  mb_bytes sections[14];
  /* The function and code sections' counts take at least this many bytes
   * (toolchains that leave room for DWARF pad them). */
  size_t count_width;
} mb_module;

/* Where the builder put the export entries (their first bytes), as offsets
 * in the output buffer: errors about an export point there. */
#define MB_MAX 64
typedef struct mb_where {
  size_t export_at[MB_MAX];
} mb_where;

/* Append module `m` to `out` (usually empty); `where` may be NULL. */
void mb_build(wb *out, const mb_module *m, mb_where *where);
/* Append a custom section to a built module; returns the offset of its id
 * byte. */
size_t mb_append_custom(wb *out, const char *name, const uint8_t *payload, size_t n);

#endif
