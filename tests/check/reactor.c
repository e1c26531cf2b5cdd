/* A reactor with everything the verifier must account for when it is
 * rewritten: WASI imports (printf: fd_write; clock; random), a table and an
 * element segment (the function pointers below), globals (the stack
 * pointer, data), DWARF (-g), a task hook, and exports of each kind. It
 * calls WASI directly, not through stdio, to stay small: the test checks
 * every byte of every output twice. */
#include <stdint.h>
#include <wasi/api.h>

static int calls;

__attribute__((export_name("__wasm_task_hook"))) void hook(int code) { calls += code; }

static int twice(int x) { return 2 * x; }
static int thrice(int x) { return 3 * x; }
static int (*const table[])(int) = {twice, thrice};

__attribute__((export_name("apply"))) int apply(int which, int x) {
  return table[which & 1](x);
}

__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *p, int a, int b, int n) {
  (void)p, (void)a, (void)b;
  static char heap[4096];
  static int used;
  used += n;
  return heap + used - n;
}

__attribute__((export_name("greet"))) int greet(void) {
  __wasi_timestamp_t t = 0;
  uint8_t r[4] = {0};
  int errors = __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t) != 0;
  errors += __wasi_random_get(r, sizeof r) != 0;
  static const char hello[] = "hello\n";
  const __wasi_ciovec_t iov = {(const uint8_t *)hello, sizeof hello - 1};
  __wasi_size_t n = 0;
  errors += __wasi_fd_write(1, &iov, 1, &n) != 0;
  return (int)n + r[0] + (int)(t & 1) + calls + errors;
}
