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
 * Exit status: the linker's when the link fails; 1 with wasm-taskwrap's
 * message when the flags are wrong (nothing is linked) or the rewrite fails
 * (the linker's output is then removed, as ld removes the output of a
 * failed link); 0 otherwise.
 * Only a regular file that the linker wrote in this run is rewritten:
 * relocatable (-r) and shared (-shared) links, an output that is a stream
 * (-o -, a name of a descriptor such as /dev/stdout) or not a regular file
 * (/dev/null), and runs that write nothing (--version, --help) pass
 * through untouched, and no other file is ever touched. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void add_arg(strs *out, char *word, int depth);

/* An @argfile's words, quoted the POSIX way (--rsp-quoting=posix, what
 * wasm-component-ld writes): white space separates; '...' is literal;
 * "..." and bare words take backslash escapes. False when it cannot be
 * read (the linker reports it). */
static bool read_argfile(const char *path, strs *out, int depth) {
  FILE *f = fopen(path, "r");
  if (!f) return false;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int c, quote = 0, in_word = 0;
  while ((c = fgetc(f)) != EOF) {
    if (!quote && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      if (in_word) {
        buf[len] = 0;
        add_arg(out, buf, depth + 1);
        buf = NULL, len = cap = 0, in_word = 0;
      }
      continue;
    }
    in_word = 1;
    if (quote != '\'' && c == '\\') {
      const int d = fgetc(f);
      if (d == EOF) break;
      c = d;
    } else if ((c == '\'' || c == '"') && (!quote || quote == c)) {
      quote = quote ? 0 : c;
      if (!buf) buf = calloc(1, cap = 16);
      continue;
    }
    if (len + 2 > cap) {
      cap = cap ? cap * 2 : 16;
      buf = realloc(buf, cap);
      if (!buf) break;
    }
    buf[len++] = (char)c;
  }
  if (in_word && buf) {
    buf[len] = 0;
    add_arg(out, buf, depth + 1);
  } else {
    free(buf);
  }
  fclose(f);
  return true;
}

/* A word (malloc'ed, taken): an @argfile's words in its place, else the
 * word itself (also an @argfile that cannot be read, as LLVM keeps it). */
static void add_arg(strs *out, char *word, int depth) {
  if (word[0] == '@' && depth < ARGFILE_DEPTH && read_argfile(word + 1, out, depth)) free(word);
  else push(out, word);
}

/* Every argument, with @argfiles expanded (for reading only: the linker
 * gets the arguments as they were). */
static void expand(int argc, char **argv, strs *out) {
  for (int i = 1; i < argc; i++) add_arg(out, strdup(argv[i]), 0);
}

typedef struct link_info {
  const char *output; /* -o's, or NULL */
  int passthrough;    /* -r, -shared, a stream, no -o: not a module to rewrite */
} link_info;

static link_info scan(const strs *a) {
  link_info li = {NULL, 0};
  for (size_t i = 0; i < a->n; i++) {
    const char *s = a->v[i];
    if ((strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) && i + 1 < a->n) li.output = a->v[++i];
    else if (strncmp(s, "--output=", 9) == 0) li.output = s + 9;
    else if (strncmp(s, "-o", 2) == 0 && s[2]) li.output = s + 2;
    else if (strcmp(s, "-r") == 0 || strcmp(s, "--relocatable") == 0 || strcmp(s, "-shared") == 0 ||
             strcmp(s, "--shared") == 0)
      li.passthrough = 1;
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

/* The first of names on PATH, searched as wasm-component-ld searches it:
 * directory by directory, each name in turn, skipping this program. An
 * empty entry (leading, trailing, or "::") is the working directory, as
 * POSIX's PATH has it. *which is the index of the name found; NULL if
 * none. */
static char *search_path(const char *const *names, int nnames, int *which) {
  const char *path = getenv("PATH");
  char *found = NULL;
  for (const char *dir = path; dir && !found;) {
    const char *colon = strchr(dir, ':');
    const size_t len = colon ? (size_t)(colon - dir) : strlen(dir);
    for (int k = 0; k < nnames && !found; k++) {
      const size_t n = len + strlen(names[k]) + 3;
      char *cand = malloc(n);
      if (!cand) break;
      snprintf(cand, n, "%.*s/%s", (int)(len ? len : 1), len ? dir : ".", names[k]);
      if (runnable(cand) && !is_self(cand)) found = cand, *which = k;
      else free(cand);
    }
    dir = colon ? colon + 1 : NULL;
  }
  return found;
}

/* rust-lld is lld's generic driver: it links WebAssembly only when told
 * (-flavor wasm), however it was found. */
static bool is_rust_lld(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  return strcmp(base, "rust-lld") == 0 || strcmp(base, "rust-lld.exe") == 0;
}

/* The real linker (malloc'ed), or NULL after a message. TASKWRAP_WASM_LD
 * is a path, or a bare name looked up on PATH (as a shell would, this
 * program skipped); without it, wasm-ld or else rust-lld on PATH (so where
 * rustc puts its own rust-lld first on PATH, a system wasm-ld further on is
 * not taken). */
static char *find_linker(void) {
  static const char *const names[] = {"wasm-ld", "rust-lld"};
  const char *env = getenv("TASKWRAP_WASM_LD");
  int which = 0;
  if (!env || !*env) {
    char *found = search_path(names, 2, &which);
    if (!found)
      fprintf(stderr,
              "%s: error: no wasm-ld: set TASKWRAP_WASM_LD, or put wasm-ld or rust-lld on PATH\n",
              self_name);
    return found;
  }
  if (!strchr(env, '/')) {
    char *found = search_path(&env, 1, &which);
    if (!found)
      fprintf(stderr, "%s: error: TASKWRAP_WASM_LD: no '%s' on PATH (but %s itself)\n", self_name,
              env, self_name);
    return found;
  }
  if (is_self(env)) {
    fprintf(stderr,
            "%s: error: TASKWRAP_WASM_LD (%s) is %s itself, which would run itself: set it "
            "to the real wasm-ld\n",
            self_name, env, self_name);
    return NULL;
  }
  return strdup(env);
}

/* Set in the linker's environment. The linker runs this program again
 * only through a loop (TASKWRAP_WASM_LD, or a wasm-ld on PATH, that is a
 * script around it), which would never end: such a nested run is refused. */
static const char nested_env[] = "TASKWRAP_LD_NESTED";

static int run_linker(int argc, char **argv) {
  strs cmd = {0};
  char *path = find_linker();
  if (!path) return 1;
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
  const char *env = getenv("TASKWRAP_FLAGS");
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
  if (conflict) snprintf(msg, cap, "%s", conflict), ok = 0;
  free(w.v);
  return ok;
}

/* After a failed rewrite the linker's output is removed, as ld removes its
 * output when a link fails (only a regular file or a symbolic link, as GNU
 * ld's unlink_if_ordinary): a module left there would be newer than its
 * objects, so a build system would take it as up to date, the next build
 * would not link again, and the module would ship without its wrappers. */
static void remove_output(const char *path) {
  struct stat st;
  if (lstat(path, &st) == 0 && (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) unlink(path);
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
  argv0 = argv[0];
  const char *nested = getenv(nested_env);
  if (nested && *nested) {
    const char *env = getenv("TASKWRAP_WASM_LD");
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
  const link_info li = scan(&args);
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
