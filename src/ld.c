/* wasm-taskwrap-ld: a linker that wasm-component-ld (--wasm-ld-path) or
 * clang (--ld-path) can run instead of wasm-ld. It runs the real wasm-ld
 * with the same arguments and then rewrites the module it wrote, in place,
 * with options from TASKWRAP_FLAGS (the command line's syntax).
 *
 * The real linker: TASKWRAP_WASM_LD, else the first wasm-ld (not this
 * program) or `rust-lld -flavor wasm` on PATH, directory by directory.
 * Exit status: the linker's when the link fails; 1 with wasm-taskwrap's
 * message when the rewrite fails (the output is then left as the linker
 * wrote it); 0 otherwise.
 * Relocatable (-r) and shared (-shared) links pass through untouched. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"
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

/* An @argfile's words, quoted the POSIX way (--rsp-quoting=posix, what
 * wasm-component-ld writes): white space separates; '...' is literal;
 * "..." and bare words take backslash escapes. */
static void read_argfile(const char *path, strs *out) {
  FILE *f = fopen(path, "r");
  if (!f) return; /* the linker reports it */
  char *buf = NULL;
  size_t len = 0, cap = 0;
  int c, quote = 0, in_word = 0;
  while ((c = fgetc(f)) != EOF) {
    if (!quote && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      if (in_word) {
        buf[len] = 0;
        push(out, buf);
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
    push(out, buf);
  } else {
    free(buf);
  }
  fclose(f);
}

/* Every argument, with @argfiles expanded (for reading only: the linker
 * gets the arguments as they were). */
static void expand(int argc, char **argv, strs *out) {
  for (int i = 1; i < argc; i++) {
    if (argv[i][0] == '@') read_argfile(argv[i] + 1, out);
    else push(out, strdup(argv[i]));
  }
}

typedef struct link_info {
  const char *output;
  int passthrough; /* -r, -shared: not a module to rewrite */
} link_info;

static link_info scan(const strs *a) {
  link_info li = {"a.out", 0};
  for (size_t i = 0; i < a->n; i++) {
    const char *s = a->v[i];
    if ((strcmp(s, "-o") == 0 || strcmp(s, "--output") == 0) && i + 1 < a->n) li.output = a->v[++i];
    else if (strncmp(s, "--output=", 9) == 0) li.output = s + 9;
    else if (strncmp(s, "-o", 2) == 0 && s[2]) li.output = s + 2;
    else if (strcmp(s, "-r") == 0 || strcmp(s, "--relocatable") == 0 || strcmp(s, "-shared") == 0 ||
             strcmp(s, "--shared") == 0)
      li.passthrough = 1;
  }
  return li;
}

static int same_file(const char *a, const char *b) {
  char ra[PATH_MAX], rb[PATH_MAX];
  return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

/* The linker on PATH, searched as wasm-component-ld searches it: directory
 * by directory, wasm-ld (if it is not this program) and then rust-lld. So
 * where rustc puts its own rust-lld first on PATH, a system wasm-ld further
 * on is not taken. Sets *rust_lld when rust-lld was found; NULL if none. */
static char *find_on_path(int *rust_lld) {
  static const char *const names[] = {"wasm-ld", "rust-lld"};
  const char *path = getenv("PATH");
  if (!path) return NULL;
  char *copy = strdup(path), *save = NULL;
  char *found = NULL;
  for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
    for (int k = 0; k < 2 && !found; k++) {
      const size_t n = strlen(dir) + strlen(names[k]) + 2;
      char *cand = malloc(n);
      snprintf(cand, n, "%s/%s", *dir ? dir : ".", names[k]);
      if (access(cand, X_OK) == 0 && !same_file(cand, "/proc/self/exe")) found = cand, *rust_lld = k == 1;
      else free(cand);
    }
  }
  free(copy);
  return found;
}

static int run_linker(int argc, char **argv) {
  strs cmd = {0};
  const char *env = getenv("TASKWRAP_WASM_LD");
  int rust_lld = 0;
  char *path = env && *env ? strdup(env) : find_on_path(&rust_lld);
  if (path) {
    push(&cmd, path);
    if (rust_lld) {
      push(&cmd, "-flavor");
      push(&cmd, "wasm");
    }
  } else {
    fprintf(stderr, "%s: error: no wasm-ld: set TASKWRAP_WASM_LD, or put wasm-ld or rust-lld on PATH\n",
            self_name);
    return 1;
  }
  for (int i = 1; i < argc; i++) push(&cmd, argv[i]);
  fflush(NULL);
  const pid_t pid = fork();
  if (pid < 0) {
    perror(self_name);
    return 1;
  }
  if (pid == 0) {
    execv(cmd.v[0], cmd.v);
    fprintf(stderr, "%s: error: cannot run %s: %s\n", self_name, cmd.v[0], strerror(errno));
    _exit(127);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  free(path);
  free(cmd.v);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
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
  free(w.v);
  return ok;
}

int main(int argc, char **argv) {
  const int rc = run_linker(argc, argv);
  if (rc != 0) return rc;
  strs args = {0};
  expand(argc, argv, &args);
  const link_info li = scan(&args);
  if (li.passthrough) {
    for (size_t i = 0; i < args.n; i++) free(args.v[i]);
    free(args.v);
    return 0;
  }
  tw_options o;
  tw_options_init(&o);
  o.input_name = li.output;
  strs keep = {0};
  tw_option_parser parser = {.opts = &o};
  char msg[200];
  tw_result *res = NULL;
  int status = 0;
  if (!parse_flags(&parser, &keep, msg, sizeof msg)) {
    fprintf(stderr, "%s: error: TASKWRAP_FLAGS: %s\n", self_name, msg);
    status = 1;
  } else if (tw_rewrite_file(li.output, &o, &res) != TW_OK) {
    fprintf(stderr, "%s: %s:0x%llx: error: %s\n", self_name, li.output,
            (unsigned long long)tw_result_error_offset(res), tw_result_error_message(res));
    status = 1;
  } else {
    for (size_t i = 0; i < tw_result_warning_count(res); i++)
      fprintf(stderr, "%s: %s: warning: %s\n", self_name, li.output, tw_result_warning(res, i));
    /* Unchanged (no hook): the linker's file is left exactly as it is. */
    if (tw_result_changed(res) && tw_result_write(res, li.output) != TW_OK) {
      fprintf(stderr, "%s: %s: error: %s\n", self_name, li.output, tw_result_error_message(res));
      status = 1;
    }
  }
  tw_result_free(res);
  tw_option_parser_free(&parser);
  for (size_t i = 0; i < args.n; i++) free(args.v[i]);
  free(args.v);
  for (size_t i = 0; i < keep.n; i++) free(keep.v[i]);
  free(keep.v);
  return status;
}
