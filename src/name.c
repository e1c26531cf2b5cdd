/* Byte-string name helpers (src/name.h). */
#include <stdio.h>
#include <string.h>

#include "name.h"

bool tw_has_prefix(const uint8_t *s, size_t n, const char *p) {
  const size_t k = strlen(p);
  return n >= k && memcmp(s, p, k) == 0;
}

bool tw_name_is(const uint8_t *s, size_t n, const char *p) {
  return n == strlen(p) && memcmp(s, p, n) == 0;
}

/* The length of the UTF-8 sequence that starts at s[i] when it is valid and
 * no C1 control (U+0080..U+009F, which terminals take as commands), else 0. */
static size_t shown_sequence(const uint8_t *s, size_t i, size_t n) {
  const uint8_t b = s[i];
  const size_t len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
  if (len == 0 || len > n - i || !tw_utf8_valid(s + i, len)) return 0;
  return b == 0xc2 && s[i + 1] < 0xa0 ? 0 : len;
}

void tw_name_describe(const uint8_t *s, size_t n, char *out, size_t cap) {
  size_t w = 0;
  for (size_t i = 0; i < n && w + 5 < cap;) {
    const size_t len = s[i] < 0x80 ? 1 : shown_sequence(s, i, n);
    if (len == 0 || s[i] < 0x20 || s[i] == 0x7f || s[i] == '"' || s[i] == '\\') {
      w += (size_t)snprintf(out + w, cap - w, "\\%02x", s[i]);
      i++;
    } else {
      memcpy(out + w, s + i, len); /* w + 4 < cap - 1: it fits */
      w += len, i += len;
    }
  }
  if (cap) out[w] = 0;
}

bool tw_utf8_valid(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    const uint8_t b = p[i];
    size_t extra;
    uint32_t cp;
    if (b < 0x80) {
      i++;
      continue;
    } else if ((b & 0xe0) == 0xc0) {
      extra = 1;
      cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      extra = 2;
      cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      extra = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (extra > n - i - 1) return false;
    for (size_t k = 1; k <= extra; k++) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    /* Reject overlong forms, surrogates and values past U+10FFFF. */
    static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += extra + 1;
  }
  return true;
}
