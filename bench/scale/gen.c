/* Writes large (or small) core modules for the scale benchmark and the fuzz
 * seeds, directly in the binary format (no wat2wasm: it would dominate).
 *
 *   gen exports N OUT   a hook and N distinct functions, each exported under
 *                       its own sync-lifted name ("test:scale/api#f<k>")
 *   gen funcs N OUT     N functions, only the first 10 exported (and the hook)
 *   gen shared N L OUT  N exports that all name one function whose body is
 *                       L x `i32.const 0` then L x `drop`: the export count
 *                       times the body length, to look for work per export
 *                       that depends on the size of the function it names
 *   gen world N OUT     as `exports`, but export k is "bench:scale/i<k>#f":
 *                       function f of interface i<k>, for a world of N
 *                       interfaces (world.sh writes its WIT and embeds it)
 *   gen wasi N OUT      N + 1 wasi_snapshot_preview1 imports, fd_write and
 *                       x0 .. x<N-1>: [i32] -> [i32], a memory, and "run"
 *                       calling the first 16 of them; no hook (--stub-wasi)
 * Options (before the shape):
 *   --abi task-hook|init-task|none   the hook export(s) to include (task-hook)
 *   --names                          add a name section naming every function
 *
 * Every module validates (wasm-validate). Types: 0 = [i32] -> [] (the task
 * hook), 1 = [i32] -> [i32] (the workers), 2 = [] -> [] (__wasm_init_task and
 * the shared function). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
  uint8_t *p;
  size_t n, cap;
} buf;

static void put(buf *b, const void *src, size_t n) {
  if (b->n + n > b->cap) {
    size_t c = b->cap ? b->cap : 4096;
    while (c < b->n + n) c *= 2;
    b->p = realloc(b->p, c);
    if (!b->p) {
      perror("gen");
      exit(1);
    }
    b->cap = c;
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
}

static void u8(buf *b, uint8_t v) { put(b, &v, 1); }

static void uleb(buf *b, uint64_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    u8(b, byte | (v ? 0x80 : 0));
  } while (v);
}

static void sleb(buf *b, int64_t v) {
  for (;;) {
    uint8_t byte = v & 0x7f;
    v >>= 7; /* arithmetic shift on the platforms this runs on */
    if ((v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40))) {
      u8(b, byte);
      return;
    }
    u8(b, byte | 0x80);
  }
}

static void name(buf *b, const char *s) {
  uleb(b, strlen(s));
  put(b, s, strlen(s));
}

static void section(buf *out, uint8_t id, buf *contents) {
  u8(out, id);
  uleb(out, contents->n);
  put(out, contents->p, contents->n);
  contents->n = 0;
}

/* Writes (and frees) the module; the exit status. */
static int write_out(const char *path, buf out) {
  FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
  if (!f || fwrite(out.p, 1, out.n, f) != out.n || (f != stdout && fclose(f) != 0)) {
    perror(path);
    return 1;
  }
  free(out.p);
  return 0;
}

/* `gen wasi N`: what --stub-wasi replaces, N + 1 times. */
static buf wasi_module(uint64_t n) {
  buf out = {0}, c = {0};
  put(&out, "\0asm\1\0\0\0", 8);
  uleb(&c, 3);
  put(&c, "\x60\x04\x7f\x7f\x7f\x7f\x01\x7f", 8); /* 0: fd_write */
  put(&c, "\x60\x01\x7f\x01\x7f", 5);             /* 1: [i32] -> [i32] */
  put(&c, "\x60\x00\x00", 3);                     /* 2: run */
  section(&out, 1, &c);
  char nm[32];
  uleb(&c, n + 1);
  name(&c, "wasi_snapshot_preview1");
  name(&c, "fd_write");
  put(&c, "\x00\x00", 2);
  for (uint64_t k = 0; k < n; k++) {
    name(&c, "wasi_snapshot_preview1");
    snprintf(nm, sizeof nm, "x%llu", (unsigned long long)k);
    name(&c, nm);
    put(&c, "\x00\x01", 2);
  }
  section(&out, 2, &c);
  put(&c, "\x01\x02", 2); /* one function: run */
  section(&out, 3, &c);
  put(&c, "\x01\x00\x01", 3); /* memory: min 1 page */
  section(&out, 5, &c);
  uleb(&c, 2);
  name(&c, "memory");
  put(&c, "\x02\x00", 2);
  name(&c, "run");
  u8(&c, 0x00);
  uleb(&c, n + 1);
  section(&out, 7, &c);
  buf body = {0};
  u8(&body, 0); /* no locals; `i32.const 0; call k; drop` for the first 16 */
  for (uint64_t k = 1; k <= n && k <= 16; k++) {
    put(&body, "\x41\x00\x10", 3);
    uleb(&body, k);
    u8(&body, 0x1a);
  }
  u8(&body, 0x0b);
  uleb(&c, 1);
  uleb(&c, body.n);
  put(&c, body.p, body.n);
  section(&out, 10, &c);
  free(c.p), free(body.p);
  return out;
}

enum { ABI_TASK_HOOK, ABI_INIT_TASK, ABI_NONE };
enum { T_HOOK = 0, T_SYNC = 1, T_VOID = 2 };

int main(int argc, char **argv) {
  int abi = ABI_TASK_HOOK, names = 0, i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    if (strcmp(argv[i], "--names") == 0) {
      names = 1;
    } else if (strcmp(argv[i], "--abi") == 0 && i + 1 < argc) {
      const char *a = argv[++i];
      abi = strcmp(a, "init-task") == 0 ? ABI_INIT_TASK : strcmp(a, "none") == 0 ? ABI_NONE
                                                                                 : ABI_TASK_HOOK;
    } else {
      break;
    }
  }
  const int shared = argc - i == 4 && strcmp(argv[i], "shared") == 0;
  if (!(argc - i == 3 && (strcmp(argv[i], "exports") == 0 || strcmp(argv[i], "funcs") == 0 ||
                          strcmp(argv[i], "world") == 0 || strcmp(argv[i], "wasi") == 0)) &&
      !shared) {
    fprintf(stderr, "usage: gen [--abi task-hook|init-task|none] [--names] "
                    "exports N OUT | funcs N OUT | shared N L OUT | world N OUT | wasi N OUT\n");
    return 2;
  }
  const char *shape = argv[i];
  const uint64_t n = strtoull(argv[i + 1], NULL, 10);
  const uint64_t body_len = shared ? strtoull(argv[i + 2], NULL, 10) : 0;
  const char *path = argv[argc - 1];
  if (strcmp(shape, "wasi") == 0) return write_out(path, wasi_module(n));
  const char *export_fmt = strcmp(shape, "world") == 0 ? "bench:scale/i%llu#f" : "test:scale/api#f%llu";
  /* Functions: 0 is the hook (or __wasm_init_task), then the workers. In
   * "shared" there is one worker, named by all n exports. */
  const uint64_t workers = shared ? 1 : n;
  const uint64_t exported = strcmp(shape, "funcs") == 0 ? (n < 10 ? n : 10) : n;

  buf out = {0}, c = {0};
  put(&out, "\0asm\1\0\0\0", 8);

  /* type section */
  uleb(&c, 3);
  put(&c, "\x60\x01\x7f\x00", 4);     /* [i32] -> [] */
  put(&c, "\x60\x01\x7f\x01\x7f", 5); /* [i32] -> [i32] */
  put(&c, "\x60\x00\x00", 3);         /* [] -> [] */
  section(&out, 1, &c);

  /* function section */
  uleb(&c, 1 + workers);
  u8(&c, abi == ABI_INIT_TASK ? T_VOID : T_HOOK);
  for (uint64_t k = 0; k < workers; k++) u8(&c, shared ? T_VOID : T_SYNC);
  section(&out, 3, &c);

  /* export section */
  char nm[64];
  uleb(&c, exported + (abi != ABI_NONE));
  if (abi != ABI_NONE) {
    name(&c, abi == ABI_INIT_TASK ? "__wasm_init_task" : "__wasm_task_hook");
    u8(&c, 0);
    uleb(&c, 0);
  }
  for (uint64_t k = 0; k < exported; k++) {
    snprintf(nm, sizeof nm, export_fmt, (unsigned long long)k);
    name(&c, nm);
    u8(&c, 0);
    uleb(&c, shared ? 1 : 1 + k);
  }
  section(&out, 7, &c);

  /* code section: distinct bodies, `local.get 0; i32.const k; i32.add` */
  buf body = {0};
  uleb(&c, 1 + workers);
  put(&c, "\x02\x00\x0b", 3); /* the hook does nothing */
  for (uint64_t k = 0; k < workers; k++) {
    body.n = 0;
    u8(&body, 0); /* no locals */
    if (shared) {
      for (uint64_t j = 0; j < body_len; j++) put(&body, "\x41\x00", 2);
      for (uint64_t j = 0; j < body_len; j++) u8(&body, 0x1a);
    } else {
      put(&body, "\x20\x00\x41", 3);
      sleb(&body, (int64_t)k);
      u8(&body, 0x6a);
    }
    u8(&body, 0x0b);
    uleb(&c, body.n);
    put(&c, body.p, body.n);
  }
  section(&out, 10, &c);

  if (names) { /* custom "name", subsection 1: function names */
    buf sub = {0};
    uleb(&sub, 1 + workers);
    uleb(&sub, 0);
    name(&sub, abi == ABI_INIT_TASK ? "init_task" : "task_hook");
    for (uint64_t k = 0; k < workers; k++) {
      uleb(&sub, 1 + k);
      snprintf(nm, sizeof nm, "fn%llu", (unsigned long long)k);
      name(&sub, nm);
    }
    name(&c, "name");
    u8(&c, 1);
    uleb(&c, sub.n);
    put(&c, sub.p, sub.n);
    section(&out, 0, &c);
    free(sub.p);
  }

  free(c.p), free(body.p);
  return write_out(path, out);
}
