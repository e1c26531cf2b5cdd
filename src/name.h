/* Byte-string name helpers (src/name.c): names as the module holds them (a
 * start and a length, not NUL-terminated), compared with C strings, checked
 * as UTF-8 (spec 5.2.4) and shown in messages. No dependency: the reader
 * (cursor.c), the options and every layer above use them. */
#ifndef TW_NAME_H
#define TW_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Is s[0..n) exactly str? */
bool tw_name_is(const uint8_t *s, size_t n, const char *str);
/* Does s[0..n) start with prefix? */
bool tw_has_prefix(const uint8_t *s, size_t n, const char *prefix);
/* Is p[0..n) valid UTF-8: no overlong forms, surrogates or values past
 * U+10FFFF? */
bool tw_utf8_valid(const uint8_t *p, size_t n);
/* A name from the module, or any untrusted string, for a message: on one
 * line, with control characters (C1 too), '"', '\\' and every byte that is
 * not part of valid UTF-8 escaped as \hh (the text format's escapes), cut to
 * fit cap. */
void tw_name_describe(const uint8_t *s, size_t n, char *out, size_t cap);

#endif /* TW_NAME_H */
