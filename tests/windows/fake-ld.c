/* A stand-in for wasm-ld in the Windows tests (tests/windows/ld.sh), built
 * as a Windows program and copied in as wasm-ld.exe or rust-lld.exe:
 *   - writes the arguments it received, argv[0] first, one a line and
 *     nothing changed, to the file FAKE_LD_LOG names;
 *   - exits with FAKE_LD_EXIT when that is set (a failed link);
 *   - else copies the module FAKE_LD_MODULE names to the output: the word
 *     after -o or --output, or after -o / --output= in the same word, also
 *     inside an @argfile (quoted as lld reads it: see split).
 * Exit 0, or 9 when it cannot do that (the test then fails). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WORDS_MAX = 256, WORD_MAX = 4096 };

typedef struct words {
  char *v[WORDS_MAX];
  int n;
} words;

static void add(words *w, const char *s) {
  if (w->n < WORDS_MAX) w->v[w->n++] = strdup(s);
}

/* An @argfile's words, quoted as lld reads them: POSIX quoting (white
 * space separates; '...' is literal; "..." and bare words take backslash
 * escapes) with --rsp-quoting=posix, else Windows quoting (lld's default
 * there: "..." quotes, "" inside it is a '"'; 2n backslashes before a '"'
 * are n and the quote quotes, 2n+1 are n and a literal '"'; other
 * backslashes are themselves). */
static int posix_quoting;

static void split(const char *p, words *w) {
  char buf[WORD_MAX];
  size_t len = 0;
  int quote = 0, in_word = 0;
  for (; *p; p++) {
    char c = *p;
    if (!quote && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      if (in_word) buf[len] = 0, add(w, buf), len = 0, in_word = 0;
      continue;
    }
    in_word = 1;
    if (posix_quoting && quote != '\'' && c == '\\') {
      if (!*++p) break;
      c = *p;
    } else if (posix_quoting && (c == '\'' || c == '"') && (!quote || quote == c)) {
      quote = quote ? 0 : c;
      continue;
    } else if (!posix_quoting && c == '\\') {
      size_t k = 0;
      while (p[k] == '\\') k++;
      for (size_t j = 0; j < (p[k] == '"' ? k / 2 : k) && len + 1 < sizeof buf; j++) buf[len++] = '\\';
      p += k - 1;
      if (p[1] != '"' || k % 2 == 0) continue;
      c = *++p; /* an escaped quote */
    } else if (!posix_quoting && c == '"') {
      if (quote && p[1] == '"') c = *++p; /* "" inside quotes */
      else {
        quote = !quote;
        continue;
      }
    }
    if (len + 1 < sizeof buf) buf[len++] = c;
  }
  if (in_word) buf[len] = 0, add(w, buf);
}

static int read_argfile(const char *path, words *w) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  static char text[1 << 16];
  const size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  split(text, w);
  return 1;
}

static const char *find_output(const words *w) {
  const char *out = NULL;
  for (int i = 0; i < w->n; i++) {
    const char *s = w->v[i];
    if ((strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) && i + 1 < w->n) out = w->v[++i];
    else if (strncmp(s, "--output=", 9) == 0) out = s + 9;
    else if (strncmp(s, "-o", 2) == 0 && s[2]) out = s + 2;
  }
  return out;
}

static int copy(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
  char buf[1 << 16];
  size_t n;
  int ok = in && out;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
  if (in && ferror(in)) ok = 0;
  if (in) fclose(in);
  if (out && fclose(out) != 0) ok = 0;
  return ok;
}

int main(int argc, char **argv) {
  const char *log = getenv("FAKE_LD_LOG"), *module = getenv("FAKE_LD_MODULE");
  const char *status = getenv("FAKE_LD_EXIT");
  if (log) {
    FILE *f = fopen(log, "wb");
    if (!f) return fprintf(stderr, "fake-ld: cannot write %s\n", log), 9;
    for (int i = 0; i < argc; i++) fprintf(f, "%s\n", argv[i]);
    if (fclose(f) != 0) return 9;
  }
  if (status && *status) return atoi(status);
  words w = {0};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--rsp-quoting=posix") == 0) posix_quoting = 1;
    if (strcmp(argv[i], "--rsp-quoting=windows") == 0) posix_quoting = 0;
  }
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '@' || !read_argfile(argv[i] + 1, &w)) add(&w, argv[i]);
  const char *out = find_output(&w);
  if (!out || !module) return fprintf(stderr, "fake-ld: no -o, or no FAKE_LD_MODULE\n"), 9;
  if (!copy(module, out)) return fprintf(stderr, "fake-ld: cannot copy %s to %s\n", module, out), 9;
  return 0;
}
