/* The spec testsuite's malformed and invalid modules must be refused
 * (the refused modules and the accepted ones). Uses only the public header.
 *
 *   reject MODE [--allow-unverifiable] [--known FILE]... [--no-fork] LIST...
 *
 * Each LIST (from build-lists.sh) has "# source: NAME.wast" lines and one
 * "PATH<TAB>LINE<TAB>EXPECTED-TEXT" line per module. Every module is passed in
 * an exactly-sized heap buffer (ASan sees any read past its end) and checked
 * in a child process, so that a crash is counted against that module and the
 * run goes on (a sanitizer report makes the child exit non-zero: a crash).
 *
 * --malformed: binary assert_malformed modules. TW_VERIFY_FAST must refuse
 *   each (a non-OK status, a message, an offset within the file, no output).
 *   If it accepts one, TW_VERIFY_FULL must refuse it; such modules are listed
 *   by name, split by where libwabt's error offset falls: in a part
 *   wasm-taskwrap copies as bytes (function bodies, the table, memory, tag,
 *   global, start, element, data count and data sections, custom section
 *   contents; and, in a module without a hook, which is copied whatever
 *   its contents hold, the type, import and function sections and the code
 *   section's framing): "accepted by design"; in a part its reader decodes
 *   (header, section framing, the export section, custom section names; and
 *   the rest just named when the module exports a hook): "decoded-but-
 *   accepted (reader bugs)". Both pass for now; accepted by both modes is a
 *   failure.
 * --invalid: binary assert_invalid modules. No crash with TW_VERIFY_FAST
 *   (any status, but a refusal must come with a proper error); TW_VERIFY_FULL
 *   must refuse each, except with TW_ERR_UNSUPPORTED "cannot verify fully: "
 *   when the module uses what libwabt cannot read (listed). Modules the
 *   reader refuses as malformed are listed too: wast2json wrote them from
 *   text, so they should be well-formed.
 * --malformed-text, --invalid-text: the quoted text modules (.wat), which the
 *   library assembles with libwabt. Refusals must be proper errors; modules
 *   libwabt 1.0.32 accepts are listed (its parser's judgement, not ours) and
 *   pass. This is a secondary group: crashes and broken errors fail it.
 * --allow-unverifiable: with --malformed, a fast-accepted module that
 *   TW_VERIFY_FULL refuses only as "cannot verify fully" is listed, not a
 *   failure (proposal suites, where libwabt 1.0.32 is no judge).
 * --known FILE: modules that may be accepted by both modes, by name, each
 *   with its reason (see load_known); they are listed, and pass.
 * --no-fork: check in-process (for a debugger).
 *
 * Prints per-source counts, the lists, and "N passed, M failed"; exits 1 on
 * any failure or when the lists name no module. */
/* fork, pipe, waitpid, strdup: POSIX, outside strict C11. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "taskwrap.h"
#include "test_support.h"

enum mode { M_MALFORMED, M_INVALID, M_MALFORMED_TEXT, M_INVALID_TEXT };

/* Outcome categories. */
enum cat {
  C_FAST,          /* refused by TW_VERIFY_FAST */
  C_DESIGN,        /* malformed: fast accepts (bytes copied), full refuses */
  C_READER_BUG,    /* malformed: fast accepts (a decoded part), full refuses */
  C_FULL,          /* invalid: fast accepts, full refuses */
  C_READER_MALF,   /* invalid: the reader refuses it as malformed */
  C_UNVERIFIABLE,  /* full says "cannot verify fully" */
  C_KNOWN,         /* accepted, and listed in a --known file */
  C_TEXT_ACCEPTED, /* text: libwabt accepts it */
  C_ACCEPTED,      /* accepted where it must not be */
  C_FAIL,          /* a broken error record, or a stale --known entry */
  C_CRASH,         /* the child died */
  NCAT
};

static const char *const cat_title[NCAT] = {
    "refused by --verify=fast",
    "accepted by design, rejected by --verify=full",
    "decoded-but-accepted (reader bugs), rejected by --verify=full",
    "accepted by --verify=fast (it does not validate), rejected by --verify=full",
    "refused as malformed by the reader, though wast2json wrote it from text",
    "cannot verify fully (libwabt 1.0.32 cannot judge)",
    "accepted, as listed in a --known file",
    "text that libwabt 1.0.32 accepts",
    "FAILED: accepted",
    "FAILED",
    "CRASHED",
};

typedef struct outcome {
  int cat;
  char line[1536];
} outcome;

static enum mode mode = M_MALFORMED;
static int allow_unverifiable = 0;

/* ---- independent section scanner: where does an offset fall? ---------------- */

enum { W_DECODED, W_COPIED };

static const char *section_name(uint8_t id) {
  static const char *const names[] = {"custom", "type",   "import", "function", "table",
                                      "memory", "global", "export", "start",    "element",
                                      "code",   "data",   "data count", "tag"};
  return id < sizeof names / sizeof names[0] ? names[id] : "unknown";
}

/* Describes where byte `off` of the module lies and whether wasm-taskwrap's
 * reader decodes that part (W_DECODED) or copies it as bytes (W_COPIED). An
 * offset at or past the end of the module, or in framing that cannot be
 * followed, counts as decoded: section framing and the export section are
 * always decoded. The type, import and function sections and the code
 * section's framing are decoded only when the module is `rewritten` (it
 * exports a hook): a module with nothing to rewrite is copied whatever they
 * hold. */
static int locate(const uint8_t *p, size_t n, uint64_t off, bool rewritten, char *desc,
                  size_t cap) {
  if (off < 8) return snprintf(desc, cap, "module header"), W_DECODED;
  size_t pos = 8;
  while (pos < n) {
    const size_t start = pos;
    const uint8_t id = p[pos++];
    uint32_t len = 0;
    if (!tw_test_leb_u32(p, n, &pos, &len)) {
      snprintf(desc, cap, "framing of a %s section at 0x%zx", section_name(id), start);
      return W_DECODED;
    }
    const size_t body = pos, end = len > n - pos ? n : pos + len;
    if (off < body) {
      snprintf(desc, cap, "%s section header at 0x%zx", section_name(id), start);
      return W_DECODED;
    }
    /* An error at the very end of a section or body ("unexpected end", "must
     * end with END") belongs to it: errors in what follows are reported past
     * its first byte, and the reader decodes all section framing anyway. */
    if (off <= end) {
      if (id == 0) {
        size_t q = body;
        uint32_t nl = 0;
        if (!tw_test_leb_u32(p, end, &q, &nl) || nl > end - q || off < q + nl)
          return snprintf(desc, cap, "custom section name"), W_DECODED;
        return snprintf(desc, cap, "custom section contents"), W_COPIED;
      }
      if (id == 10) {
        size_t q = body;
        uint32_t count = 0, blen = 0;
        const int framing = rewritten ? W_DECODED : W_COPIED;
        if (!tw_test_leb_u32(p, end, &q, &count) || off < q)
          return snprintf(desc, cap, "code section count"), framing;
        for (uint32_t i = 0; i < count && q < end; i++) {
          const size_t bstart = q;
          if (!tw_test_leb_u32(p, end, &q, &blen) || off < q) {
            snprintf(desc, cap, "code section, size of body %u", i);
            return framing;
          }
          if (off <= q + blen) {
            snprintf(desc, cap, "code section, body %u at 0x%zx", i, bstart);
            return W_COPIED;
          }
          q += blen;
        }
        return snprintf(desc, cap, "code section framing"), framing;
      }
      snprintf(desc, cap, "%s section", section_name(id));
      if (id >= 1 && id <= 3) return rewritten ? W_DECODED : W_COPIED;
      return id == 7 || id > 13 ? W_DECODED : W_COPIED;
    }
    pos = end;
  }
  snprintf(desc, cap, "end of the module");
  return W_DECODED;
}

/* ---- one module ---------------------------------------------------------------- */


/* Appends at most `max` bytes of hex around `at` to out. */
static void hex(char *out, size_t cap, const uint8_t *p, size_t n, size_t at, size_t max) {
  size_t from = 0, to = n;
  if (n > max) {
    from = at > max / 2 ? at - max / 2 : 0;
    if (from > n - max) from = n - max;
    to = from + max;
  }
  size_t w = strlen(out);
  if (w + 32 < cap) w += (size_t)snprintf(out + w, cap - w, " bytes[0x%zx..0x%zx]:", from, to);
  for (size_t i = from; i < to && w + 4 < cap; i++)
    w += (size_t)snprintf(out + w, cap - w, "%s%02x", i == at ? " >" : " ", p[i]);
}

/* NULL when r is a proper refusal with status st of an input of `size`
 * bytes; otherwise what is wrong with it. (A verification failure's offset
 * is in the output, which is the input itself when nothing needed rewriting;
 * the modules here that export a hook are refused before any output, so the
 * same bound holds.) */
static const char *bad_refusal(const tw_result *r, tw_status st, size_t size) {
  size_t outn = 1;
  if (!r) return "no result";
  if (tw_result_status(r) != st) return "the result's status differs from the returned one";
  if (tw_result_error_message(r)[0] == '\0') return "empty error message";
  if (tw_result_error_offset(r) > size && tw_result_error_line(r) <= 0)
    return "error offset past the end of the input";
  if (tw_result_output(r, &outn) != NULL || outn != 0) return "a refusal with output";
  return NULL;
}

#define SAY(...) snprintf(o->line + strlen(o->line), sizeof o->line - strlen(o->line), __VA_ARGS__)

static tw_status run(const uint8_t *data, size_t size, tw_verify v, tw_result **r) {
  tw_options opts;
  tw_options_init(&opts);
  opts.verify = v;
  *r = NULL;
  return tw_rewrite(data, size, &opts, r);
}

static int unverifiable(tw_status st, const tw_result *r) {
  return st == TW_ERR_UNSUPPORTED && r &&
         strncmp(tw_result_error_message(r), "cannot verify fully: ", 21) == 0;
}

static void check(const char *name, const char *path, const char *expected, outcome *o) {
  o->cat = C_FAIL;
  o->line[0] = '\0';
  SAY("%s", name);
  size_t size = 0;
  uint8_t *data = tw_test_read_file(path, &size);
  if (!data) {
    SAY(": cannot read %s", path);
    return;
  }
  uint8_t *pristine = malloc(size ? size : 1);
  if (!pristine) {
    SAY(": out of memory");
    free(data);
    return;
  }
  if (size) memcpy(pristine, data, size);

  tw_result *fast = NULL, *full = NULL;
  const char *bad = NULL;
  const tw_status sf = run(data, size, TW_VERIFY_FAST, &fast);
  if (sf != TW_OK && (bad = bad_refusal(fast, sf, size)) != NULL) {
    SAY(": --verify=fast: %s", bad);
    goto done;
  }
  const int text = mode == M_MALFORMED_TEXT || mode == M_INVALID_TEXT;
  if (text) {
    if (sf == TW_OK) {
      o->cat = C_TEXT_ACCEPTED;
      SAY(" (expected \"%s\")", expected);
    } else {
      o->cat = C_FAST;
    }
    goto done;
  }
  if (sf != TW_OK) {
    const int malformed = sf == TW_ERR_MALFORMED || sf == TW_ERR_UNSUPPORTED;
    if (mode == M_MALFORMED && !malformed) {
      SAY(": --verify=fast refused it with an unexpected status: %s: %s", tw_status_name(sf),
          tw_result_error_message(fast));
      goto done;
    }
    o->cat = mode == M_INVALID && sf == TW_ERR_MALFORMED ? C_READER_MALF : C_FAST;
    if (o->cat == C_READER_MALF) {
      SAY(": %s at 0x%llx: %s (expected invalid: \"%s\")", tw_status_name(sf),
          (unsigned long long)tw_result_error_offset(fast), tw_result_error_message(fast),
          expected);
      hex(o->line, sizeof o->line, data, size, (size_t)tw_result_error_offset(fast), 24);
    }
    if (mode == M_MALFORMED) goto done;
  }

  /* Accepted by fast (malformed), or any invalid module: TW_VERIFY_FULL. */
  const tw_status sv = run(data, size, TW_VERIFY_FULL, &full);
  if (sv == TW_OK) {
    o->cat = C_ACCEPTED;
    SAY(": accepted by --verify=full%s (expected \"%s\")", sf == TW_OK ? " and --verify=fast" : "",
        expected);
    goto done;
  }
  if ((bad = bad_refusal(full, sv, size)) != NULL) {
    SAY(": --verify=full: %s", bad);
    o->cat = C_FAIL;
    goto done;
  }
  if (mode == M_INVALID && o->cat == C_READER_MALF) goto done; /* already described */
  if (unverifiable(sv, full)) {
    if (mode == M_MALFORMED && !allow_unverifiable) {
      SAY(": accepted by --verify=fast, and --verify=full cannot judge it: %s",
          tw_result_error_message(full));
      o->cat = C_FAIL;
    } else {
      o->cat = C_UNVERIFIABLE;
      SAY(": %s", tw_result_error_message(full));
    }
    goto done;
  }
  if (mode == M_INVALID) {
    o->cat = sf == TW_OK ? C_FULL : C_FAST;
    goto done;
  }
  /* Malformed, accepted by fast, refused by full: where is the problem? */
  char where[160];
  const uint64_t at = tw_result_error_offset(full);
  const bool rewritten = tw_result_abi(fast) != TW_ABI_NONE;
  const int kind = locate(data, size, at, rewritten, where, sizeof where);
  o->cat = kind == W_COPIED ? C_DESIGN : C_READER_BUG;
  SAY(" [%s]: %s (expected \"%s\")", where, tw_result_error_message(full), expected);
  if (o->cat == C_READER_BUG) hex(o->line, sizeof o->line, data, size, (size_t)at, 48);

done:
  if (o->cat != C_FAIL && size && memcmp(data, pristine, size) != 0) {
    o->cat = C_FAIL;
    SAY(": the input buffer was modified");
  }
  tw_result_free(fast);
  tw_result_free(full);
  free(pristine);
  free(data);
}

/* Runs check() in a child; a child that dies or exits non-zero crashed. */
static void check_isolated(const char *name, const char *path, const char *expected, outcome *o,
                           int use_fork) {
  if (!use_fork) {
    check(name, path, expected, o);
    return;
  }
  int fd[2];
  fflush(stdout);
  fflush(stderr);
  if (pipe(fd) != 0) {
    perror("pipe");
    exit(1);
  }
  const pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    exit(1);
  }
  if (pid == 0) {
    close(fd[0]);
    outcome mine;
    check(name, path, expected, &mine);
    /* sizeof(outcome) < PIPE_BUF: one atomic write that does not block. */
    const ssize_t w = write(fd[1], &mine, sizeof mine);
    _exit(w == (ssize_t)sizeof mine ? 0 : 3);
  }
  close(fd[1]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) {
      perror("waitpid");
      exit(1);
    }
  const ssize_t got = read(fd[0], o, sizeof *o);
  close(fd[0]);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && got == (ssize_t)sizeof *o) return;
  o->cat = C_CRASH;
  if (WIFSIGNALED(status))
    snprintf(o->line, sizeof o->line, "%s: killed by signal %d", name, WTERMSIG(status));
  else
    snprintf(o->line, sizeof o->line, "%s: exited with status %d (sanitizer report?)", name,
             WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* ---- driver ------------------------------------------------------------------- */

typedef struct group {
  char name[256];
  unsigned long n[NCAT];
  unsigned long modules;
} group;

typedef struct listed {
  char **v;
  size_t n, cap;
} listed;

static listed lists[NCAT];

static void keep(int cat, const char *line) {
  listed *l = &lists[cat];
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 64;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
  }
  if (!l->v || !(l->v[l->n] = strdup(line))) {
    fprintf(stderr, "out of memory\n");
    exit(1);
  }
  l->n++;
}

static int failed_cat(int cat) { return cat == C_ACCEPTED || cat == C_FAIL || cat == C_CRASH; }

static void close_group(group *g, group *total) {
  if (g->modules) {
    printf("source %s: %lu modules:", g->name, g->modules);
    for (int c = 0; c < NCAT; c++)
      if (g->n[c]) printf(" %s %lu;", cat_title[c], g->n[c]);
    printf("\n");
  }
  for (int c = 0; c < NCAT; c++) total->n[c] += g->n[c];
  total->modules += g->modules;
  memset(g, 0, sizeof *g);
}

/* --known FILE (repeatable): "MODE<TAB>SOURCE.wast:LINE<TAB>REASON" lines
 * naming modules that may be accepted although the spec testsuite refuses
 * them: a later standard lifted the refusal (superseded.txt), or libwabt
 * 1.0.32 misses it (libwabt-gaps.txt). An entry whose SOURCE is a source of
 * the lists must match an accepted module, so that the files cannot go stale
 * silently. */
typedef struct known_entry {
  char key[256];
  char reason[512];
  char origin[64]; /* the file's base name */
  int in_scope; /* its SOURCE is one of the lists' "# source:" lines */
  int matched;
} known_entry;

static known_entry *known;
static size_t nknown;

static const char *const mode_name[] = {"malformed", "invalid", "malformed-text", "invalid-text"};

/* Loads the entries of `path` for the current mode: lines
 * "MODE<TAB>SOURCE.wast:LINE<TAB>REASON", MODE as in the options. */
static int load_known(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return 0;
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (line[0] == '#' || line[0] == '\0') continue;
    char *key = strchr(line, '\t'), *reason = key ? strchr(key + 1, '\t') : NULL;
    if (!reason) {
      fprintf(stderr, "%s: not MODE<TAB>KEY<TAB>REASON: %s\n", path, line);
      fclose(f);
      return 0;
    }
    *key++ = '\0';
    *reason++ = '\0';
    if (strcmp(line, mode_name[mode]) != 0) continue;
    known_entry *grown = realloc(known, (nknown + 1) * sizeof *known);
    if (!grown) exit(1);
    known = grown;
    snprintf(known[nknown].key, sizeof known[nknown].key, "%.255s", key);
    snprintf(known[nknown].reason, sizeof known[nknown].reason, "%.511s", reason);
    snprintf(known[nknown].origin, sizeof known[nknown].origin, "%.63s", base);
    known[nknown].in_scope = 0;
    known[nknown++].matched = 0;
  }
  fclose(f);
  return 1;
}

/* The entry for module `key` ("SOURCE.wast:LINE"), marked as matched. */
static const known_entry *find_known(const char *key) {
  for (size_t i = 0; i < nknown; i++)
    if (strcmp(known[i].key, key) == 0) return known[i].matched = 1, &known[i];
  return NULL;
}

/* Marks the entries whose SOURCE part is the source `name`. */
static void scope_known(const char *name) {
  for (size_t i = 0; i < nknown; i++) {
    char source[256];
    snprintf(source, sizeof source, "%s", known[i].key);
    char *colon = strrchr(source, ':');
    if (colon) *colon = '\0';
    if (strcmp(source, name) == 0) known[i].in_scope = 1;
  }
}

int main(int argc, char **argv) {
  int first = 1, use_fork = 1, have_mode = 0, nfiles = 0;
  const char *known_files[16];
  for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
    const char *a = argv[first];
    if (strcmp(a, "--malformed") == 0) mode = M_MALFORMED, have_mode = 1;
    else if (strcmp(a, "--invalid") == 0) mode = M_INVALID, have_mode = 1;
    else if (strcmp(a, "--malformed-text") == 0) mode = M_MALFORMED_TEXT, have_mode = 1;
    else if (strcmp(a, "--invalid-text") == 0) mode = M_INVALID_TEXT, have_mode = 1;
    else if (strcmp(a, "--allow-unverifiable") == 0) allow_unverifiable = 1;
    else if (strcmp(a, "--no-fork") == 0) use_fork = 0;
    else if (strcmp(a, "--known") == 0 && first + 1 < argc && nfiles < 16)
      known_files[nfiles++] = argv[++first];
    else break;
  }
  if (!have_mode || first >= argc) {
    fprintf(stderr,
            "usage: %s --malformed|--invalid|--malformed-text|--invalid-text "
            "[--allow-unverifiable] [--known FILE]... [--no-fork] LIST...\n",
            argv[0]);
    return 2;
  }
  for (int i = 0; i < nfiles; i++) {
    if (!load_known(known_files[i])) {
      fprintf(stderr, "cannot read %s\n", known_files[i]);
      return 1;
    }
  }
  if (!tw_have_wabt()) {
    fprintf(stderr, "this build has no libwabt: --verify=full cannot run\n");
    return 1;
  }
  group g, total;
  memset(&g, 0, sizeof g);
  memset(&total, 0, sizeof total);
  unsigned long other_failures = 0;
  for (int a = first; a < argc; a++) {
    FILE *list = fopen(argv[a], "r");
    if (!list) {
      printf("FAIL %s: cannot open the list\n", argv[a]);
      other_failures++;
      continue;
    }
    char line[4096];
    while (fgets(line, sizeof line, list)) {
      line[strcspn(line, "\r\n")] = '\0';
      if (strncmp(line, "# source: ", 10) == 0) {
        close_group(&g, &total);
        snprintf(g.name, sizeof g.name, "%s", line + 10);
        scope_known(g.name);
        continue;
      }
      if (line[0] == '\0' || line[0] == '#') continue;
      char *path = line, *wline = strchr(line, '\t'), *expected = NULL;
      if (wline) {
        *wline++ = '\0';
        expected = strchr(wline, '\t');
        if (expected) *expected++ = '\0';
      }
      if (!wline || !expected) {
        printf("FAIL %s: malformed list line\n", line);
        other_failures++;
        continue;
      }
      const char *file = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
      char key[256], name[512];
      snprintf(key, sizeof key, "%.200s:%.20s", g.name, wline);
      snprintf(name, sizeof name, "%s (%.200s)", key, file);
      outcome o;
      check_isolated(name, path, expected, &o, use_fork);
      const known_entry *s = o.cat == C_ACCEPTED ? find_known(key) : NULL;
      if (s) {
        o.cat = C_KNOWN;
        snprintf(o.line, sizeof o.line, "%s: %s (%s)", name, s->reason, s->origin);
      }
      g.modules++;
      g.n[o.cat]++;
      if (failed_cat(o.cat)) printf("FAIL %s\n", o.line);
      if (o.cat != C_FAST && o.cat != C_FULL) keep(o.cat, o.line);
    }
    fclose(list);
    close_group(&g, &total);
  }
  /* A --known entry for a source of the lists that matched no accepted
   * module is stale. */
  for (size_t i = 0; i < nknown; i++) {
    if (known[i].matched || !known[i].in_scope) continue;
    char msg[400];
    snprintf(msg, sizeof msg, "%s: entry %s matches no accepted module", known[i].origin, known[i].key);
    printf("FAIL %s\n", msg);
    keep(C_FAIL, msg);
    other_failures++;
  }
  for (int c = 0; c < NCAT; c++) {
    /* The two lists are printed even when empty. */
    const int always = mode == M_MALFORMED && (c == C_DESIGN || c == C_READER_BUG);
    if (!lists[c].n && !always) continue;
    printf("\n== %s: %zu ==\n", cat_title[c], lists[c].n);
    for (size_t i = 0; i < lists[c].n; i++) printf("  %s\n", lists[c].v[i]);
  }
  const unsigned long bad = total.n[C_ACCEPTED] + total.n[C_FAIL] + total.n[C_CRASH];
  printf("\ntotal: %lu modules:", total.modules);
  for (int c = 0; c < NCAT; c++)
    if (total.n[c]) printf(" %s %lu;", cat_title[c], total.n[c]);
  printf("\n");
  unsigned long failed = bad + other_failures;
  if (total.modules == 0) { /* an empty corpus proves nothing */
    printf("FAIL: the lists name no module\n");
    failed++;
  }
  printf("%lu passed, %lu failed\n", total.modules - bad, failed);
  return failed ? 1 : 0;
}
