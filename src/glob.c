/* The glob patterns of --only and --exclude where the C library has no
 * fnmatch (Windows). POSIX builds use fnmatch itself (platform_posix.c);
 * unit-glob compares this one with it on every short pattern and name. */
#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "glob.h"

/* The end of a bracket expression that starts at p (after its '['), or
 * NULL when it has none (the '[' is then an ordinary character). */
static const char *bracket_end(const char *p) {
  if (*p == '!' || *p == '^') p++;
  if (*p == ']') p++;
  while (*p && *p != ']') {
    const char *close = p[0] == '[' && p[1] == ':' ? strstr(p + 2, ":]") : NULL;
    if (close) p = close + 2;
    else p += p[0] == '\\' && p[1] ? 2 : 1;
  }
  return *p == ']' ? p : NULL;
}

static bool in_class(const char *name, size_t n, unsigned char c) {
  static const struct {
    const char *name;
    int (*is)(int);
  } classes[] = {{"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
                 {"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
                 {"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit}};
  for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
    if (strlen(classes[i].name) == n && memcmp(classes[i].name, name, n) == 0)
      return c < 128 && classes[i].is(c);
  return false;
}

/* c against the bracket expression [p, end). */
static bool in_bracket(const char *p, const char *end, unsigned char c) {
  const bool negated = *p == '!' || *p == '^';
  bool hit = false;
  for (p += negated; p < end;) {
    const char *close = p[0] == '[' && p[1] == ':' ? strstr(p + 2, ":]") : NULL;
    if (close && close < end) {
      hit |= in_class(p + 2, (size_t)(close - p - 2), c);
      p = close + 2;
      continue;
    }
    if (*p == '\\' && p + 1 < end) p++;
    const unsigned char lo = (unsigned char)*p++;
    unsigned char hi = lo;
    if (p + 1 < end && *p == '-') {
      p += p[1] == '\\' && p + 2 < end ? 2 : 1;
      hi = (unsigned char)*p++;
    }
    hit |= c >= lo && c <= hi;
  }
  return hit != negated;
}

/* A '*' is retried one byte further on each mismatch: linear in the name
 * for each star, without recursion. */
bool tw_glob_match(const char *p, const char *s) {
  const char *star_p = NULL, *star_s = NULL;
  while (*s) {
    if (*p == '*') {
      star_p = ++p, star_s = s;
      continue;
    }
    const char *next = p + 1, *end = NULL;
    bool ok;
    if (*p == '?') ok = true;
    else if (*p == '[' && (end = bracket_end(p + 1))) ok = in_bracket(p + 1, end, (unsigned char)*s), next = end + 1;
    else if (*p == '\\' && !p[1]) return false; /* as glibc: a pattern cannot end in one */
    else if (*p == '\\') ok = p[1] == *s, next = p + 2;
    else ok = *p && *p == *s;
    if (ok) {
      p = next, s++;
      continue;
    }
    if (!star_p) return false;
    p = star_p, s = ++star_s;
  }
  while (*p == '*') p++;
  return !*p;
}
