/* wasm-taskwrap-ld: a linker that wasm-component-ld (--wasm-ld-path) or
 * clang (--ld-path) can run instead of wasm-ld. It runs the real wasm-ld
 * with the same arguments and then rewrites the module it wrote, in place,
 * with options from TASKWRAP_FLAGS (the command line's syntax), which are
 * parsed before anything is linked.
 *
 * The real linker: TASKWRAP_WASM_LD (a path, or a name looked up on PATH),
 * else the first wasm-ld (not this program) or `rust-lld -flavor wasm` on
 * PATH, directory by directory. A TASKWRAP_WASM_LD that is this program, or
 * a linker that runs it again, is refused.
 * Exit status: the linker's when the link fails; 127 when it cannot be
 * run (on Windows a batch file is refused: is_batch); 1 with wasm-taskwrap's
 * message when the flags are wrong or an @argfile cannot be decoded
 * (nothing is linked), or the rewrite fails (the linker's output is then
 * removed, as ld removes the output of a failed link, or said to be left);
 * 0 otherwise.
 * Only a regular file that the linker wrote in this run is rewritten, a
 * shared library (-shared) only when TASKWRAP_FLAGS selects its ABI with
 * --abi (docs/abi.md, "Shared libraries"): other -shared links and
 * relocatable (-r) links, an output that is a stream
 * (-o -, a name of a descriptor such as /dev/stdout) or not a regular file
 * (/dev/null), and runs that write nothing (--version, --help) pass
 * through untouched, and no other file is ever touched. */
#define _DEFAULT_SOURCE /* strdup, strtok_r */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "options.h"
#include "platform.h"
#include "taskwrap.h"

static const char self_name[] = "wasm-taskwrap-ld";

typedef struct strs {
  char **v;
  size_t n, cap;
} strs;

static void push(strs *s, char *p) {
  if (s->n + 1 >= s->cap) {
    s->cap = s->cap ? s->cap * 2 : 16;
    s->v = realloc(s->v, s->cap * sizeof *s->v);
    if (!s->v) {
      perror(self_name);
      exit(1);
    }
  }
  s->v[s->n++] = p;
  s->v[s->n] = NULL;
}

/* How deep @argfiles that name @argfiles are followed: as LLVM's
 * ExpandResponseFiles, which lld uses, they are expanded where they stand,
 * their names relative to the working directory; a loop ends here. */
enum { ARGFILE_DEPTH = 20 };

/* How an @argfile's words are quoted: as lld reads them, by its
 * --rsp-quoting (the last one on the command line), else the host's way:
 * Windows rules on Windows, POSIX (GNU) rules elsewhere. */
typedef enum { QUOTING_POSIX, QUOTING_WINDOWS } quoting;
static quoting rsp_quoting = TW_PLAT_WINDOWS ? QUOTING_WINDOWS : QUOTING_POSIX;

static void add_arg(strs *out, char *arg, int depth);

/* A word being built (malloc'ed as it grows). */
typedef struct word {
  char *buf;
  size_t len, cap;
} word;

static void put_char(word *w, char c) {
  if (w->len + 2 > w->cap) {
    w->cap = w->cap ? w->cap * 2 : 16;
    w->buf = realloc(w->buf, w->cap);
    if (!w->buf) {
      perror(self_name);
      exit(1);
    }
  }
  w->buf[w->len++] = c;
  w->buf[w->len] = 0;
}

/* A word that is there even while empty (after a quote). */
static void begin_word(word *w) {
  if (!w->buf) put_char(w, 0), w->len = 0;
}

/* The word, even an empty one, goes out; a fresh one begins. */
static void end_word(word *w, strs *out, int depth) {
  begin_word(w);
  add_arg(out, w->buf, depth + 1);
  *w = (word){0};
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* POSIX quoting (--rsp-quoting=posix, what wasm-component-ld writes):
 * white space separates; '...' is literal; "..." and bare words take
 * backslash escapes. */
static void split_posix(const char *p, size_t n, strs *out, int depth) {
  word w = {0};
  int quote = 0, in_word = 0;
  for (size_t i = 0; i < n; i++) {
    char c = p[i];
    if (!quote && is_blank(c)) {
      if (in_word) end_word(&w, out, depth), in_word = 0;
      continue;
    }
    in_word = 1;
    if (quote != '\'' && c == '\\') {
      if (++i == n) break; /* a last lone backslash: nothing */
      c = p[i];
    } else if ((c == '\'' || c == '"') && (!quote || quote == c)) {
      quote = quote ? 0 : c;
      begin_word(&w);
      continue;
    }
    put_char(&w, c);
  }
  if (in_word && w.buf) end_word(&w, out, depth);
  free(w.buf);
}

/* Backslashes at p[*i]: as LLVM's Windows tokenizer (and CommandLineToArgvW)
 * reads them, 2n before a '"' are n and the quote still quotes; 2n+1 are n
 * and a literal '"'; before anything else they are themselves. *i ends on
 * the last character taken. */
static void backslashes(const char *p, size_t n, size_t *i, word *w) {
  size_t k = 0;
  while (*i + k < n && p[*i + k] == '\\') k++;
  const bool quote_follows = *i + k < n && p[*i + k] == '"';
  for (size_t j = 0; j < (quote_follows ? k / 2 : k); j++) put_char(w, '\\');
  if (quote_follows && k % 2) {
    put_char(w, '"');
    *i += k;
  } else {
    *i += k - 1;
  }
}

/* Windows quoting (--rsp-quoting=windows, lld's default on Windows): white
 * space separates; "..." quotes, and "" inside it is a literal '"';
 * backslashes as backslashes() reads them; '\'' is an ordinary character. */
static void split_windows(const char *p, size_t n, strs *out, int depth) {
  word w = {0};
  enum { INIT, UNQUOTED, QUOTED } st = INIT;
  for (size_t i = 0; i < n; i++) {
    const char c = p[i];
    if (st != QUOTED && is_blank(c)) {
      if (st == UNQUOTED) end_word(&w, out, depth);
      st = INIT;
    } else if (c == '"' && st == QUOTED && i + 1 < n && p[i + 1] == '"') {
      put_char(&w, '"'), i++;
    } else if (c == '"') {
      st = st == QUOTED ? UNQUOTED : QUOTED;
    } else if (c == '\\') {
      backslashes(p, n, &i, &w);
      if (st == INIT) st = UNQUOTED;
    } else {
      put_char(&w, c);
      if (st == INIT) st = UNQUOTED;
    }
  }
  if (st != INIT) end_word(&w, out, depth);
  free(w.buf);
}

/* The first @argfile that cannot be decoded, said before anything is
 * linked (empty while there is none). */
static char argfile_error[600];

/* Code point c as UTF-8. */
static void put_utf8(word *w, unsigned long c) {
  if (c < 0x80) {
    put_char(w, (char)c);
  } else if (c < 0x800) {
    put_char(w, (char)(0xc0 | c >> 6));
    put_char(w, (char)(0x80 | (c & 0x3f)));
  } else if (c < 0x10000) {
    put_char(w, (char)(0xe0 | c >> 12));
    put_char(w, (char)(0x80 | (c >> 6 & 0x3f)));
    put_char(w, (char)(0x80 | (c & 0x3f)));
  } else {
    put_char(w, (char)(0xf0 | c >> 18));
    put_char(w, (char)(0x80 | (c >> 12 & 0x3f)));
    put_char(w, (char)(0x80 | (c >> 6 & 0x3f)));
    put_char(w, (char)(0x80 | (c & 0x3f)));
  }
}

/* UTF-16 text p[0, n) after its byte order mark, big-endian or not, as
 * UTF-8 into *out, as LLVM's convertUTF16ToUTF8String converts it (strict:
 * an odd length or an unpaired surrogate fails). Returns NULL, or what is
 * wrong with *at set to its offset in p. */
static const char *utf16_to_utf8(const unsigned char *p, size_t n, bool big, word *out,
                                 size_t *at) {
  if (n % 2) return *at = n - 1, "an odd number of bytes";
  for (size_t i = 0; i < n; i += 2) {
    unsigned long c = big ? (unsigned long)p[i] << 8 | p[i + 1]
                          : (unsigned long)p[i + 1] << 8 | p[i];
    if (c >= 0xdc00 && c <= 0xdfff) return *at = i, "an unpaired low surrogate";
    if (c >= 0xd800 && c <= 0xdbff) {
      const unsigned long lo = i + 3 < n ? (big ? (unsigned long)p[i + 2] << 8 | p[i + 3]
                                                : (unsigned long)p[i + 3] << 8 | p[i + 2])
                                         : 0;
      if (lo < 0xdc00 || lo > 0xdfff) return *at = i, "an unpaired high surrogate";
      c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
      i += 2;
    }
    put_utf8(out, c);
  }
  begin_word(out);
  return NULL;
}

/* An @argfile's words. As LLVM's ExpandResponseFiles reads one, on every
 * host: a UTF-16 byte order mark (FF FE little-endian, FE FF big-endian,
 * what PowerShell 5's Out-File writes) makes it UTF-16, converted to UTF-8
 * first; a UTF-8 one is skipped. False when it cannot be read (the linker
 * reports it); UTF-16 that cannot be converted, which lld cannot read
 * either, is noted in argfile_error. */
static bool read_argfile(const char *path, strs *out, int depth) {
  FILE *f = tw_plat_fopen(path, "rb");
  if (!f) return false;
  word all = {0}, utf8 = {0};
  int c;
  while ((c = fgetc(f)) != EOF) put_char(&all, (char)c);
  fclose(f);
  const char *p = all.buf ? all.buf : "";
  size_t n = all.len;
  const bool le = n >= 2 && memcmp(p, "\xff\xfe", 2) == 0;
  const bool be = n >= 2 && memcmp(p, "\xfe\xff", 2) == 0;
  if (le || be) {
    size_t at = 0;
    const char *why = utf16_to_utf8((const unsigned char *)p + 2, n - 2, be, &utf8, &at);
    if (why && !argfile_error[0])
      snprintf(argfile_error, sizeof argfile_error,
               "%s:0x%llx: error: @argfile not UTF-16 though it starts with a UTF-16 byte order "
               "mark (%s); lld cannot read it either: save it as UTF-8",
               path, (unsigned long long)at + 2, why);
    p = why ? "" : utf8.buf, n = why ? 0 : utf8.len;
  } else if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
    p += 3, n -= 3;
  }
  if (rsp_quoting == QUOTING_WINDOWS) split_windows(p, n, out, depth);
  else split_posix(p, n, out, depth);
  free(all.buf);
  free(utf8.buf);
  return true;
}

/* A word (malloc'ed, taken): an @argfile's words in its place, else the
 * word itself (also an @argfile that cannot be read, as LLVM keeps it). */
static void add_arg(strs *out, char *arg, int depth) {
  if (arg[0] == '@' && depth < ARGFILE_DEPTH && read_argfile(arg + 1, out, depth)) free(arg);
  else push(out, arg);
}

/* lld's --rsp-quoting=STYLE (or -rsp-quoting, or the value as the next
 * argument), the last one counting, from the arguments as given. */
static void find_quoting(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = NULL;
    if (a[0] == '-' && a[1] == '-') a++;
    if (strncmp(a, "-rsp-quoting=", 13) == 0) v = a + 13;
    else if (strcmp(a, "-rsp-quoting") == 0 && i + 1 < argc) v = argv[++i];
    if (v && strcmp(v, "windows") == 0) rsp_quoting = QUOTING_WINDOWS;
    else if (v && strcmp(v, "posix") == 0) rsp_quoting = QUOTING_POSIX;
  }
}

/* Every argument, with @argfiles expanded (for reading only: the linker
 * gets the arguments as they were). */
static void expand(int argc, char **argv, strs *out) {
  find_quoting(argc, argv);
  for (int i = 1; i < argc; i++) add_arg(out, strdup(argv[i]), 0);
}

typedef struct link_info {
  const char *output; /* -o's, or NULL */
  int passthrough;    /* -r, a stream, no -o: not a module to rewrite */
  int shared;         /* -shared: a library, rewritten only under --abi */
} link_info;

static link_info scan(const strs *a) {
  link_info li = {NULL, 0, 0};
  for (size_t i = 0; i < a->n; i++) {
    const char *s = a->v[i];
    if ((strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) && i + 1 < a->n) li.output = a->v[++i];
    else if (strncmp(s, "--output=", 9) == 0) li.output = s + 9;
    else if (strncmp(s, "-o", 2) == 0 && s[2]) li.output = s + 2;
    else if (strcmp(s, "-r") == 0 || strcmp(s, "--relocatable") == 0)
      li.passthrough = 1; /* an object file */
    else if (strcmp(s, "-shared") == 0 || strcmp(s, "--shared") == 0)
      li.shared = 1;
  }
  /* wasm-ld has no default output name (unlike ld's a.out): without -o it
   * writes nothing. "-" is standard output; what went into a stream (or a
   * file by a descriptor's name) is its reader's, and is never read back. */
  if (!li.output || strcmp(li.output, "-") == 0 || tw_output_descriptor(li.output) >= 0)
    li.passthrough = 1;
  return li;
}

/* The output before the link, to tell whether the link wrote it. */
typedef struct file_state {
  bool exists;
  tw_file_state st;
} file_state;

static file_state state_of(const char *path) {
  file_state f = {0};
  f.exists = tw_plat_path_state(path, &f.st);
  return f;
}

/* A regular file that this link wrote: new, or another file (wasm-ld
 * renames a new file into place), or written into (its change time moved).
 * A run that writes nothing (--version, --help, -v) leaves a file of that
 * name as it was: it is not the link's to rewrite. */
static bool linked(const file_state *before, const char *path) {
  tw_file_state now;
  if (!tw_plat_path_state(path, &now) || !now.regular) return false;
  return !before->exists || !tw_file_state_same(&now, &before->st);
}

/* main's argv[0]: where the platform cannot name this program's own
 * executable, what it was run as. */
static const char *argv0;

/* The same file as this program (by device and inode: links, hard or
 * symbolic, and other names of it count). */
static int is_self(const char *path) { return tw_plat_is_self(path, argv0); }

/* A program that can be run: an executable regular file (a directory is
 * "executable" to access(2), and execv fails on it). */
static bool runnable(const char *path) { return tw_plat_runnable(path); }

/* The last directory separator of path, or NULL. */
static const char *last_sep(const char *path) {
  const char *last = NULL;
  for (const char *p = path; *p; p++)
    if (strchr(TW_DIR_SEPS, *p)) last = p;
  return last;
}

/* ASCII's case folded, as Windows compares the names here (not the
 * locale's tolower: a name's bytes are UTF-8). */
static char fold(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c; }

/* File names compare as the system does: without case on Windows. */
static bool same_name(const char *a, const char *b) {
  if (!TW_PLAT_WINDOWS) return strcmp(a, b) == 0;
  for (; *a && *b; a++, b++)
    if (fold(*a) != fold(*b)) return false;
  return *a == *b;
}

/* A program's file name: on Windows, a name without an extension gets
 * ".exe" (as PATHEXT would have it; a name given with its extension is
 * taken as it is). malloc'ed. */
static char *program_name(const char *name) {
  const char *base = last_sep(name);
  base = base ? base + 1 : name;
  const bool add = TW_PLAT_WINDOWS && !strchr(base, '.');
  const size_t n = strlen(name) + sizeof TW_EXE_SUFFIX;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s%s", name, add ? TW_EXE_SUFFIX : "");
  return p;
}

/* The next entry of PATH at *rest (malloc'ed); *rest moves past its
 * separator, or becomes NULL after the last entry. On Windows a '"' opens
 * or closes a quoted stretch, in which ';' is part of the entry, and is
 * itself dropped ("C:\Program Files\LLVM\bin" in quotes is that
 * directory), as Rust's std::env::split_paths reads PATH for
 * wasm-component-ld; on POSIX an entry is everything up to the next ':'. */
static char *path_entry(const char **rest) {
  const char *p = *rest;
  word w = {0};
  bool quoted = false;
  for (; *p && (quoted || *p != TW_PATH_LIST_SEP); p++) {
    if (TW_PLAT_WINDOWS && *p == '"') quoted = !quoted;
    else put_char(&w, *p);
  }
  *rest = *p ? p + 1 : NULL;
  begin_word(&w);
  return w.buf;
}

/* The first of names on PATH, searched as wasm-component-ld searches it:
 * directory by directory, each name in turn, skipping this program. An
 * empty entry (leading, trailing, or "::") is the working directory, as
 * POSIX's PATH has it; on Windows (';' between entries, quoted ones read
 * as path_entry reads them) an empty entry is skipped, as cmd.exe and
 * PowerShell skip it. *which is the index of the name found; NULL if
 * none. */
static char *search_path(const char *const *names, int nnames, int *which) {
  const char *rest = tw_plat_getenv("PATH");
  char *found = NULL;
  while (rest && !found) {
    char *dir = path_entry(&rest);
    const size_t len = strlen(dir);
    for (int k = 0; k < nnames && !found && (len || !TW_PLAT_WINDOWS); k++) {
      const size_t n = len + strlen(names[k]) + 3;
      char *cand = malloc(n);
      if (!cand) break;
      snprintf(cand, n, "%s%c%s", len ? dir : ".", TW_DIR_SEPS[0], names[k]);
      if (runnable(cand) && !is_self(cand)) found = cand, *which = k;
      else free(cand);
    }
    free(dir);
  }
  return found;
}

/* rust-lld is lld's generic driver: it links WebAssembly only when told
 * (-flavor wasm), however it was found. */
static bool is_rust_lld(const char *path) {
  const char *base = last_sep(path);
  base = base ? base + 1 : path;
  return same_name(base, "rust-lld") || same_name(base, "rust-lld.exe");
}

/* The real linker (malloc'ed), or NULL after a message. TASKWRAP_WASM_LD
 * is a path, or a bare name looked up on PATH (as a shell would, this
 * program skipped); on Windows either may leave out ".exe". Without it,
 * wasm-ld or else rust-lld on PATH (so where rustc puts its own rust-lld
 * first on PATH, a system wasm-ld further on is not taken). */
static char *find_linker(void) {
  static const char *const names[] = {"wasm-ld" TW_EXE_SUFFIX, "rust-lld" TW_EXE_SUFFIX};
  const char *env = tw_plat_getenv("TASKWRAP_WASM_LD");
  int which = 0;
  if (!env || !*env) {
    char *found = search_path(names, 2, &which);
    if (!found)
      fprintf(stderr,
              "%s: error: no wasm-ld: set TASKWRAP_WASM_LD, or put wasm-ld or rust-lld on PATH\n",
              self_name);
    return found;
  }
  char *name = program_name(env);
  if (!name) return perror(self_name), NULL;
  if (!last_sep(env)) {
    const char *given = name;
    char *found = search_path(&given, 1, &which);
    if (!found)
      fprintf(stderr, "%s: error: TASKWRAP_WASM_LD: no '%s' on PATH (but %s itself)\n", self_name,
              env, self_name);
    free(name);
    return found;
  }
  /* A path: as given, or with ".exe" when only that is there. */
  if (!runnable(name) || runnable(env)) strcpy(name, env);
  if (is_self(name)) {
    fprintf(stderr,
            "%s: error: TASKWRAP_WASM_LD (%s) is %s itself, which would run itself: set it "
            "to the real wasm-ld\n",
            self_name, env, self_name);
    free(name);
    return NULL;
  }
  return name;
}

/* Does name (its last part) end in ".suffix", in any case? */
static bool ends_with_ext(const char *name, size_t n, const char *suffix) {
  const size_t k = strlen(suffix);
  if (n < k) return false;
  for (size_t i = 0; i < k; i++)
    if (fold(name[n - k + i]) != suffix[i]) return false;
  return true;
}

/* A batch file (.bat, .cmd): CreateProcessW runs it through cmd.exe, which
 * reads the command line again by its own rules (%VAR% expanded, & and |
 * obeyed) whatever the quoting, so the link's arguments could run other
 * commands. Windows drops a name's trailing dots and spaces (and a
 * "::$DATA" stream suffix), so "ld.bat. " is ld.bat too. */
static bool is_batch(const char *path) {
  const char *base = last_sep(path);
  base = base ? base + 1 : path;
  size_t n = strlen(base);
  for (bool more = true; more;) {
    while (n && (base[n - 1] == '.' || base[n - 1] == ' ')) n--;
    more = ends_with_ext(base, n, "::$data");
    if (more) n -= 7;
  }
  return ends_with_ext(base, n, ".bat") || ends_with_ext(base, n, ".cmd");
}

/* Set in the linker's environment. The linker runs this program again
 * only through a loop (TASKWRAP_WASM_LD, or a wasm-ld on PATH, that is a
 * script around it), which would never end: such a nested run is refused. */
static const char nested_env[] = "TASKWRAP_LD_NESTED";

static int run_linker(int argc, char **argv) {
  strs cmd = {0};
  char *path = find_linker();
  if (!path) return 1;
  if (TW_PLAT_WINDOWS && is_batch(path)) {
    fprintf(stderr,
            "%s: error: cannot run %s: a batch file cannot be the linker: cmd.exe would re-read "
            "its arguments; name the linker's .exe\n",
            self_name, path);
    free(path);
    return 127;
  }
  push(&cmd, path);
  if (is_rust_lld(path)) {
    push(&cmd, "-flavor");
    push(&cmd, "wasm");
  }
  for (int i = 1; i < argc; i++) push(&cmd, argv[i]);
  const int status = tw_plat_run(cmd.v, nested_env, "1", self_name);
  free(path);
  free(cmd.v);
  return status;
}

/* TASKWRAP_FLAGS, split at white space, in the command line's syntax (the
 * rewrite options only, parsed as wasm-taskwrap parses them). Returns 0 and
 * a message on a bad flag. The words live in a copy kept in *keep. */
static int parse_flags(tw_option_parser *p, strs *keep, char *msg, size_t cap) {
  const char *env = tw_plat_getenv("TASKWRAP_FLAGS");
  char *copy = strdup(env ? env : ""), *save = NULL;
  strs w = {0};
  push(keep, copy);
  for (char *t = strtok_r(copy, " \t\n", &save); t; t = strtok_r(NULL, " \t\n", &save)) push(&w, t);
  int ok = 1;
  for (int i = 0; ok && i < (int)w.n; i++) {
    const int r = tw_option_parse(p, (int)w.n, w.v, &i, msg, cap);
    if (r == 0) snprintf(msg, cap, "unknown option '%s'", w.v[i]);
    ok = r == 1;
  }
  const char *conflict = ok ? tw_options_conflict(p->opts) : NULL;
  if (ok && !conflict && !tw_have_wabt() && p->opts->verify == TW_VERIFY_FULL)
    conflict = "this build has no libwabt: --verify=full validates with libwabt; "
               "--verify=fast checks what wasm-taskwrap wrote";
  if (conflict) snprintf(msg, cap, "%s", conflict), ok = 0;
  free(w.v);
  return ok;
}

/* After a failed rewrite the linker's output is removed, as ld removes its
 * output when a link fails (only a regular file or a symbolic link, as GNU
 * ld's unlink_if_ordinary): a module left there would be newer than its
 * objects, so a build system would take it as up to date, the next build
 * would not link again, and the module would ship without its wrappers.
 * One that cannot be removed (its directory read-only; on Windows, open in
 * another process without delete sharing) is said, for the same reason. */
static void remove_output(const char *path) {
  if (!tw_plat_remove_ordinary(path))
    fprintf(stderr,
            "%s: error: cannot remove %s after the failed rewrite: %s; delete it before the "
            "next build\n",
            self_name, path, tw_plat_strerror(errno));
}

/* wasm-taskwrap's message: at an offset in the module, or about the file. */
static void report(const char *output, const tw_result *res) {
  const tw_status st = tw_result_status(res);
  if (st == TW_ERR_IO || st == TW_ERR_CHANGED)
    fprintf(stderr, "%s: %s: error: %s\n", self_name, output, tw_result_error_message(res));
  else
    fprintf(stderr, "%s: %s:0x%llx: error: %s\n", self_name, output,
            (unsigned long long)tw_result_error_offset(res), tw_result_error_message(res));
}

/* Rewrites the linked module in place; 0 or 1. */
static int rewrite(const char *output, const tw_options *o) {
  tw_result *res = NULL;
  int status = 0;
  if (tw_rewrite_file(output, o, &res) != TW_OK) {
    report(output, res);
    status = 1;
  } else {
    for (size_t i = 0; i < tw_result_warning_count(res); i++)
      fprintf(stderr, "%s: %s: warning: %s\n", self_name, output, tw_result_warning(res, i));
    /* Unchanged (no hook): the linker's file is left exactly as it is. */
    if (tw_result_changed(res) && tw_result_write(res, output) != TW_OK) {
      report(output, res);
      status = 1;
    }
  }
  tw_result_free(res);
  if (status != 0) remove_output(output);
  return status;
}

int main(int argc, char **argv) {
  tw_plat_args(&argc, &argv);
  argv0 = argv[0];
  const char *nested = tw_plat_getenv(nested_env);
  if (nested && *nested) {
    const char *env = tw_plat_getenv("TASKWRAP_WASM_LD");
    fprintf(stderr,
            "%s: error: run again by the linker it runs (TASKWRAP_WASM_LD=%s): that linker "
            "leads back to %s; set TASKWRAP_WASM_LD to the real wasm-ld\n",
            self_name, env && *env ? env : "(unset, from PATH)", self_name);
    return 1;
  }
  /* The flags first: a bad one fails before anything is linked, so no
   * module without its wrappers is left behind. */
  tw_options o;
  tw_options_init(&o);
  strs keep = {0};
  tw_option_parser parser = {.opts = &o};
  char msg[200];
  int status = 0;
  if (!parse_flags(&parser, &keep, msg, sizeof msg)) {
    fprintf(stderr, "%s: error: TASKWRAP_FLAGS: %s\n", self_name, msg);
    status = 1;
  }
  /* What the link writes, and that file as it was before. */
  strs args = {0};
  expand(argc, argv, &args);
  if (status == 0 && argfile_error[0]) {
    fprintf(stderr, "%s: %s\n", self_name, argfile_error);
    status = 1;
  }
  link_info li = scan(&args);
  /* A shared library was passed through before libraries could be
   * rewritten, and is still unless the flags choose the library ABI: a
   * library set is rewritten whole or not at all, and host options
   * (--stub-wasi, --init-once) are not for libraries. */
  if (li.shared && o.abi != TW_ABI_TASK_HOOK && o.abi != TW_ABI_INIT_TASK) li.passthrough = 1;
  const file_state before = li.passthrough ? (file_state){0} : state_of(li.output);
  if (status == 0) status = run_linker(argc, argv);
  if (status == 0 && !li.passthrough && linked(&before, li.output)) {
    o.input_name = li.output;
    status = rewrite(li.output, &o);
  }
  tw_option_parser_free(&parser);
  for (size_t i = 0; i < args.n; i++) free(args.v[i]);
  free(args.v);
  for (size_t i = 0; i < keep.n; i++) free(keep.v[i]);
  free(keep.v);
  return status;
}
