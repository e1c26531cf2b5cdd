/* A reactor for taskwrap_use_linker_wrapper: a task hook, one lifted export
 * (world reactor.wit) and, from crt1-reactor, _initialize. The hook and the
 * bodies record codes (hooks 0..13, _initialize's constructor 100, run 101);
 * run returns the record so far, so a single call in a fresh instance shows
 * _initialize's hooks and run's start hook: [6, 100, 7, 0, 101]. */
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))

static uint32_t trace[64];
/* volatile: clang -O would run the constructor at compile time otherwise. */
static volatile uint32_t len;

static void rec(uint32_t v) {
  if (len < 64) trace[len++] = v;
}

#ifdef BAD_HOOK
/* The wrong type, [i64] -> []: the rewrite, and so the link, must fail. */
EXPORT("__wasm_task_hook") void task_hook(int64_t code) { rec((uint32_t)code); }
#else
EXPORT("__wasm_task_hook") void task_hook(int32_t code) { rec((uint32_t)code); }
#endif

__attribute__((constructor)) static void init(void) { rec(100); }

/* run: func() -> list<u32>, returned as a pointer to (ptr, len). */
static uint32_t ret_area[2];
EXPORT("run") uint32_t *run(void) {
  rec(101);
  ret_area[0] = (uint32_t)(uintptr_t)trace;
  ret_area[1] = len;
  return ret_area;
}
