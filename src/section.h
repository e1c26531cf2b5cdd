/* Section framing (src/section.c): the ids of the module's sections, a
 * section as a slice of the input, and the order the spec requires of them.
 * Shared by the module parser (module.c) and the reader that tells whether
 * a stream can still start a module (input.c). */
#ifndef TW_SECTION_H
#define TW_SECTION_H

#include <stddef.h>
#include <stdint.h>

enum {
  TW_SEC_CUSTOM = 0, TW_SEC_TYPE = 1, TW_SEC_IMPORT = 2, TW_SEC_FUNCTION = 3,
  TW_SEC_TABLE = 4, TW_SEC_MEMORY = 5, TW_SEC_GLOBAL = 6, TW_SEC_EXPORT = 7,
  TW_SEC_START = 8, TW_SEC_ELEM = 9, TW_SEC_CODE = 10, TW_SEC_DATA = 11,
  TW_SEC_DATACOUNT = 12, TW_SEC_TAG = 13
};

/* A section as a slice of the input: [start, end) covers the id byte, the
 * size LEB and the contents; contents start at body. */
typedef struct tw_section {
  uint8_t id;
  size_t start;
  size_t body;
  size_t end;
  size_t name_start; /* custom sections: the name's bytes */
  uint32_t name_len;
} tw_section;

/* Rank of a non-custom section id in the required order, -1 if unknown. */
int tw_section_rank(uint8_t id);

#endif /* TW_SECTION_H */
