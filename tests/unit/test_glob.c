/* The glob matcher of builds without fnmatch (src/glob.c, Windows) against
 * the C library's fnmatch(pattern, name, 0), which POSIX builds use: every
 * pattern of up to three tokens over a small alphabet of pattern syntax,
 * against every name of up to four bytes over the bytes those patterns
 * name. Any difference is a test failure, pattern and name shown. */
#define _POSIX_C_SOURCE 200809L
#include <fnmatch.h>

#include "unit.h"

#include "glob.h"

static const char *const tokens[] = {"a", "b", "-", "*", "?", "[", "]", "!", "^",
                                     "\\", "[:alpha:]", "[:digit:]", "[a-c]", "[!a]"};
static const char bytes[] = {'a', 'b', 'c', '-', '1', ']', '[', '\\'};
enum { NTOK = sizeof tokens / sizeof tokens[0], NBYTES = sizeof bytes, MAXTOK = 3, MAXLEN = 4 };

static unsigned long long compared, npatterns;

static void against_names(const char *pattern, char *name, size_t len) {
  name[len] = 0;
  const bool want = fnmatch(pattern, name, 0) == 0;
  if (tw_glob_match(pattern, name) != want)
    fail_msg("pattern \"%s\", name \"%s\": fnmatch says %s", pattern, name,
             want ? "match" : "no match");
  compared++;
  if (len == MAXLEN) return;
  for (size_t i = 0; i < NBYTES; i++) {
    name[len] = bytes[i];
    against_names(pattern, name, len + 1);
  }
}

/* Patterns POSIX leaves to the implementation are left out: a '[' with no
 * ']' after it, or a '\\' at the end (glibc answers "no match" to some of
 * these; src/glob.c reads a lone '[' as itself, as POSIX says). */
static bool closed(const char *p, size_t len, size_t i) {
  size_t j = i + 1;
  if (j < len && (p[j] == '!' || p[j] == '^')) j++;
  if (j < len && p[j] == ']') j++; /* the first ']' is a member */
  while (j < len && p[j] != ']') {
    const char *c = p[j] == '[' && j + 1 < len && p[j + 1] == ':' ? strstr(p + j + 2, ":]") : NULL;
    j = c ? (size_t)(c - p) + 2 : j + (p[j] == '\\' ? 2 : 1);
  }
  return j < len;
}

static bool well_formed(const char *p, size_t len) {
  if (len && p[len - 1] == '\\') return false;
  for (size_t i = 0; i < len; i++) {
    if (p[i] == '\\') i++;
    else if (p[i] == '[' && !closed(p, len, i)) return false;
  }
  return true;
}

static void patterns(char *pattern, size_t len, int ntok) {
  char name[MAXLEN + 1];
  npatterns++;
  if (well_formed(pattern, len)) against_names(pattern, name, 0);
  if (ntok == MAXTOK) return;
  for (size_t t = 0; t < NTOK; t++) {
    const size_t n = strlen(tokens[t]);
    memcpy(pattern + len, tokens[t], n + 1);
    patterns(pattern, len + n, ntok + 1);
    pattern[len] = 0;
  }
}

static void test_same_as_fnmatch(void **state) {
  (void)state;
  char pattern[MAXTOK * 10 + 1] = "";
  patterns(pattern, 0, 0);
  /* 1 + 14 + 14^2 + 14^3 patterns, each against 1 + 8 + ... + 8^4 names. */
  assert_int_equal(npatterns, 1 + 14 + 196 + 2744);
  assert_true(compared > npatterns / 2 * (1 + 8 + 64 + 512 + 4096));
}

/* The names --only and --exclude meet: the patterns of docs/usage.md. */
static void test_export_names(void **state) {
  (void)state;
  assert_true(tw_glob_match("wasi:http/*", "wasi:http/incoming-handler@0.2.10#handle"));
  assert_true(tw_glob_match("*#handle", "wasi:http/incoming-handler@0.2.10#handle"));
  assert_false(tw_glob_match("wasi:cli/*", "wasi:http/incoming-handler@0.2.10#handle"));
  assert_true(tw_glob_match("[[]async-lift[]]*", "[async-lift]fetch"));
  assert_true(tw_glob_match("\\[async-lift]*", "[async-lift]fetch"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_same_as_fnmatch),
      cmocka_unit_test(test_export_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
