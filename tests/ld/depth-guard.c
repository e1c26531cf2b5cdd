/* An LD_PRELOAD shim for ld-wrapper: a bound on programs that run each
 * other in a loop (a linker that runs wasm-taskwrap-ld again), so that the
 * test of the wrapper's own refusal ends even against a wrapper that does
 * not refuse. Every program it is loaded into counts itself in
 * TW_TEST_DEPTH (inherited through exec); the 9th exits 99 at once. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void count(void) {
  const char *v = getenv("TW_TEST_DEPTH");
  const int depth = v ? atoi(v) : 0;
  if (depth >= 8) {
    fprintf(stderr, "depth-guard: 8 nested programs: a loop\n");
    _exit(99);
  }
  char next[16];
  snprintf(next, sizeof next, "%d", depth + 1);
  setenv("TW_TEST_DEPTH", next, 1);
}
