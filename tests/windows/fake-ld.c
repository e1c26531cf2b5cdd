/* A stand-in for wasm-ld in the Windows tests (tests/windows/ld.sh), built
 * as a Windows program and copied in as wasm-ld.exe or rust-lld.exe:
 *   - writes the arguments it received, argv[0] first, one a line and
 *     nothing changed, to the file FAKE_LD_LOG names;
 *   - exits with FAKE_LD_EXIT when that is set (a failed link);
 *   - else copies the module FAKE_LD_MODULE names to the output: the word
 *     after -o or --output, or after -o / --output= in the same word, also
 *     inside an @argfile (quoted as lld reads it: see split);
 *   - then, with FAKE_LD_HOLD set, leaves the output open in a process of
 *     its own (this program again, as "fake-ld --hold HANDLE"), shared for
 *     reading and writing but not for deletion, as an editor or a virus
 *     scanner may hold it: that process has the file's handle from the
 *     start (inherited), and keeps it until the process that ran the
 *     linker (wasm-taskwrap-ld) has ended, whose handle it inherits too.
 * Exit 0, or 9 when it cannot do that (the test then fails). */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <tlhelp32.h>

#include <stdint.h>
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

/* UTF-16 after a byte order mark (FF FE, or FE FF big-endian), as lld
 * reads it: made UTF-8 in place (text holds n bytes); 0 if it is not. */
static int from_utf16(char *text, size_t n, size_t cap) {
  const int big = (unsigned char)text[0] == 0xfe;
  static wchar_t wide[1 << 15];
  size_t k = 0;
  for (size_t i = 2; i + 1 < n && k + 1 < sizeof wide / sizeof wide[0]; i += 2)
    wide[k++] = big ? (wchar_t)((unsigned char)text[i] << 8 | (unsigned char)text[i + 1])
                    : (wchar_t)((unsigned char)text[i + 1] << 8 | (unsigned char)text[i]);
  const int m = WideCharToMultiByte(CP_UTF8, 0, wide, (int)k, text, (int)cap - 1, NULL, NULL);
  if (m < 0 || (m == 0 && k > 0)) return 0;
  text[m] = 0;
  return 1;
}

static int read_argfile(const char *path, words *w) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  static char text[1 << 16];
  const size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = 0;
  if (n >= 2 && ((unsigned char)text[0] == 0xff || (unsigned char)text[0] == 0xfe) &&
      (unsigned char)text[1] == ((unsigned char)text[0] ^ 1) && !from_utf16(text, n, sizeof text))
    return 0;
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

/* A name from a UTF-16 @argfile is UTF-8; one from the command line is in
 * the ANSI code page (ASCII in the tests, and so UTF-8 as well). */
static FILE *open_utf8(const char *name, const wchar_t *mode) {
  static wchar_t w[WORD_MAX];
  const int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, w, WORD_MAX);
  return n > 0 ? _wfopen(w, mode) : NULL;
}

static int copy(const char *from, const char *to) {
  FILE *in = fopen(from, "rb"), *out = in ? open_utf8(to, L"wb") : NULL;
  char buf[1 << 16];
  size_t n;
  int ok = in && out;
  while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
  if (in && ferror(in)) ok = 0;
  if (in) fclose(in);
  if (out && fclose(out) != 0) ok = 0;
  return ok;
}

/* This process's parent (the program that ran the linker), opened to be
 * waited for and inherited; NULL if it cannot be. */
static HANDLE open_parent(void) {
  const DWORD self = GetCurrentProcessId();
  const HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32 e;
  e.dwSize = sizeof e;
  DWORD parent = 0;
  for (BOOL more = snap != INVALID_HANDLE_VALUE && Process32First(snap, &e); more && !parent;
       more = Process32Next(snap, &e))
    if (e.th32ProcessID == self) parent = e.th32ParentProcessID;
  if (snap != INVALID_HANDLE_VALUE) CloseHandle(snap);
  return parent ? OpenProcess(SYNCHRONIZE, TRUE, parent) : NULL;
}

/* The output, open without delete sharing in a child that waits until
 * this process's parent has ended. */
static int hold(const char *path) {
  SECURITY_ATTRIBUTES sa = {sizeof sa, NULL, TRUE}; /* inherited */
  wchar_t w[WORD_MAX];
  const HANDLE h = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, w, WORD_MAX) > 0
                       ? CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                                     OPEN_EXISTING, 0, NULL)
                       : INVALID_HANDLE_VALUE;
  const HANDLE parent = open_parent();
  char self[MAX_PATH], cmd[MAX_PATH + 40];
  const DWORD n = GetModuleFileNameA(NULL, self, sizeof self);
  if (h == INVALID_HANDLE_VALUE || !parent || n == 0 || n >= sizeof self) return 0;
  snprintf(cmd, sizeof cmd, "\"%s\" --hold %llu", self, (unsigned long long)(uintptr_t)parent);
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  PROCESS_INFORMATION pi;
  const BOOL ok = CreateProcessA(self, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
  CloseHandle(h);
  CloseHandle(parent);
  if (!ok) return 0;
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);
  return 1;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--hold") == 0) {
    const HANDLE parent = (HANDLE)(uintptr_t)strtoull(argv[2], NULL, 10);
    return WaitForSingleObject(parent, INFINITE) == WAIT_OBJECT_0 ? 0 : 9;
  }
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
  const char *held = getenv("FAKE_LD_HOLD");
  if (held && *held && !hold(out)) return fprintf(stderr, "fake-ld: cannot hold %s open\n", out), 9;
  return 0;
}
