/* Cross-check of the instruction decoder over real code: for every module of
 * the corpus (corpus.list from tests/corpus/build-corpus.sh), the start
 * offset of every instruction the decoder finds in every function body must
 * be an instruction offset `wasm-objdump -d` prints, and the other way round.
 * Also, in every module (whether objdump can read it or not) every body must
 * decode to its last byte with its blocks balanced: the final `end` closes
 * the function.
 *
 * Usage: instr-boundaries WASM-OBJDUMP CORPUS.LIST
 * Prints one summary line; exits 1 on any mismatch (module path, function,
 * offset), 2 on bad usage or unreadable files. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cursor.h"
#include "instr.h"
#include "module.h"

#define MAX_REPORTS 40

static unsigned long failures;

static void report(const char *path, const char *fmt, ...) TW_PRINTF(2, 3);
static void report(const char *path, const char *fmt, ...) {
  if (++failures > MAX_REPORTS) return;
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", path);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *data = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 1 << 16;
      uint8_t *grown = realloc(data, cap);
      if (!grown) break;
      data = grown;
    }
    const size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  const bool ok = !ferror(f);
  fclose(f);
  if (!ok) {
    free(data);
    return NULL;
  }
  *size = n;
  return data;
}

/* A growable list of offsets. */
typedef struct offs {
  size_t *v;
  size_t n, cap;
} offs;

static void offs_push(offs *o, size_t x) {
  if (o->n == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 256;
    o->v = realloc(o->v, o->cap * sizeof *o->v);
    if (!o->v) {
      perror("realloc");
      exit(2);
    }
  }
  o->v[o->n++] = x;
}

/* objdump's view: per function index (imports included), the offsets of its
 * instructions, in order. */
typedef struct dump {
  offs *funcs;
  size_t nfuncs;
} dump;

static void dump_free(dump *d) {
  for (size_t i = 0; i < d->nfuncs; i++) free(d->funcs[i].v);
  free(d->funcs);
  memset(d, 0, sizeof *d);
}

/* Runs `objdump -d path`; false if it fails (the module is then skipped).
 * Lines look like
 *   000029 func[0] <name>:
 *    00002a: 02 7e                      | local[1..2] type=i64
 *    000030: fd 0c 01 00 00 00 02 00 00 |   v128.const ...
 *    000039: 00 03 00 00 00 80 80 80 80 |
 * where a line with nothing after '|' continues the previous instruction's
 * bytes and local[...] lines are declarations. */
static bool run_objdump(const char *objdump, const char *path, dump *d) {
  /* Both paths go single-quoted through the shell. */
  size_t cap = 2 * (strlen(objdump) + strlen(path)) * 4 + 64, n = 0;
  char *cmd = malloc(cap);
  if (!cmd) exit(2);
  const char *parts[] = {objdump, "-d", path};
  for (size_t p = 0; p < 3; p++) {
    cmd[n++] = '\'';
    for (const char *s = parts[p]; *s; s++) {
      if (*s == '\'') {
        memcpy(cmd + n, "'\\''", 4);
        n += 4;
      } else {
        cmd[n++] = *s;
      }
    }
    cmd[n++] = '\'';
    cmd[n++] = ' ';
  }
  memcpy(cmd + n, "2>/dev/null", 12);
  FILE *out = popen(cmd, "r");
  free(cmd);
  if (!out) return false;
  char *line = NULL;
  size_t linecap = 0;
  long func = -1;
  bool bad = false;
  while (getline(&line, &linecap, out) > 0) {
    if (line[0] != ' ') {
      const char *f = strstr(line, " func[");
      if (!f) continue;
      char *endp = NULL;
      func = strtol(f + 6, &endp, 10);
      if (endp == f + 6 || *endp != ']' || func < 0) {
        bad = true;
        break;
      }
      if ((size_t)func >= d->nfuncs) {
        const size_t nn = (size_t)func + 1;
        d->funcs = realloc(d->funcs, nn * sizeof *d->funcs);
        if (!d->funcs) exit(2);
        memset(d->funcs + d->nfuncs, 0, (nn - d->nfuncs) * sizeof *d->funcs);
        d->nfuncs = nn;
      }
      continue;
    }
    const char *bar = strchr(line, '|');
    char *endp = NULL;
    const unsigned long long off = strtoull(line, &endp, 16);
    if (!bar || endp == line || *endp != ':') continue;
    const char *text = bar + 1;
    while (*text == ' ' || *text == '\t') text++;
    if (*text == '\n' || *text == '\0') continue;        /* continuation */
    if (strncmp(text, "local[", 6) == 0) continue;       /* declarations */
    if (func < 0) {
      bad = true;
      break;
    }
    offs_push(&d->funcs[func], (size_t)off);
  }
  free(line);
  const int status = pclose(out);
  return !bad && status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Decodes one body; false (reported) if it fails or is unbalanced. */
static bool decode_body(const char *path, const tw_module *m, uint32_t i, offs *got) {
  const tw_body *b = &m->bodies[i];
  tw_err err = {0};
  tw_cursor c = tw_cursor_make(m->data, b->code, b->end, &err);
  got->n = 0;
  if (!tw_skip_locals(&c)) {
    report(path, "func[%u] at 0x%zx: locals: %s", m->nfunc_imports + i, b->code, err.message);
    return false;
  }
  int depth = 1; /* the function body is a block */
  while (c.pos < b->end) {
    if (depth == 0) {
      report(path, "func[%u]: bytes after the final end at 0x%zx", m->nfunc_imports + i, c.pos);
      return false;
    }
    tw_instr in;
    if (!tw_instr_next(&c, &in)) {
      report(path, "func[%u]: decoder failed at 0x%llx: %s", m->nfunc_imports + i,
             (unsigned long long)err.offset, err.message);
      return false;
    }
    offs_push(got, in.start);
    depth += in.nest;
  }
  if (depth != 0) {
    report(path, "func[%u] ends at 0x%zx with %d blocks open", m->nfunc_imports + i, b->end,
           depth);
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s WASM-OBJDUMP CORPUS.LIST\n", argv[0]);
    return 2;
  }
  const char *objdump = argv[1];
  FILE *list = fopen(argv[2], "r");
  if (!list) {
    perror(argv[2]);
    return 2;
  }
  unsigned long modules = 0, compared_modules = 0, skipped = 0, bodies = 0, instrs = 0;
  unsigned long decoded_bodies = 0;
  char *line = NULL;
  size_t linecap = 0;
  ssize_t len;
  offs got = {0};
  while ((len = getline(&line, &linecap, list)) > 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    if (len == 0 || line[0] == '#') continue;
    const char *path = line;
    modules++;
    size_t size = 0;
    uint8_t *data = read_file(path, &size);
    if (!data) {
      perror(path);
      return 2;
    }
    tw_module m;
    tw_err err = {0};
    if (!tw_module_parse(&m, data, size, &err)) {
      report(path, "module does not parse: %s", err.message);
      free(data);
      continue;
    }
    /* The decoder alone: every body decodes, balanced. */
    bool all_decoded = true;
    for (uint32_t i = 0; i < m.nbodies; i++) {
      if (decode_body(path, &m, i, &got)) decoded_bodies++;
      else all_decoded = false;
    }
    dump d = {0};
    if (!run_objdump(objdump, path, &d)) {
      skipped++;
    } else if (all_decoded) {
      compared_modules++;
      if (d.nfuncs > m.nfunc_imports + m.nbodies)
        report(path, "objdump shows func[%zu], the module has %u functions", d.nfuncs - 1,
               m.nfunc_imports + m.nbodies);
      for (uint32_t i = 0; i < m.nbodies; i++) {
        const uint32_t f = m.nfunc_imports + i;
        decode_body(path, &m, i, &got);
        const offs none = {0};
        const offs *want = f < d.nfuncs ? &d.funcs[f] : &none;
        bodies++;
        size_t k = 0;
        while (k < got.n && k < want->n && got.v[k] == want->v[k]) k++;
        instrs += k;
        if (k < got.n || k < want->n) {
          if (k < got.n && k < want->n)
            report(path, "func[%u]: instruction %zu at 0x%zx (decoder) vs 0x%zx (objdump)", f, k,
                   got.v[k], want->v[k]);
          else if (k < got.n)
            report(path, "func[%u]: decoder has an instruction at 0x%zx, objdump none", f,
                   got.v[k]);
          else
            report(path, "func[%u]: objdump has an instruction at 0x%zx, decoder none", f,
                   want->v[k]);
        }
      }
    }
    dump_free(&d);
    tw_module_free(&m);
    free(data);
  }
  free(line);
  free(got.v);
  fclose(list);
  if (failures > MAX_REPORTS) fprintf(stderr, "... %lu more\n", failures - MAX_REPORTS);
  printf("instr-boundaries: %lu modules, %lu bodies decoded; compared with wasm-objdump: "
         "%lu modules, %lu bodies, %lu instructions; %lu modules skipped (objdump failed); "
         "%lu failures\n",
         modules, decoded_bodies, compared_modules, bodies, instrs, skipped, failures);
  /* A corpus where nothing could be compared proves nothing. */
  if (compared_modules == 0 || instrs == 0) return 1;
  return failures ? 1 : 0;
}
