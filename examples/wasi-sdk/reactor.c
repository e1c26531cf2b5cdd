/* A WASI reactor shaped like the core module of a preview 3 component: it
 * exports __wasm_task_hook, cabi_realloc, lifted functions and (from the
 * reactor crt) _initialize. wasm-taskwrap wraps every lifted export in hook
 * calls; this hook only records them, so run.mjs can check the sequence
 * docs/abi.md gives. The canonical ABI forbids calling imports from realloc and
 * post-return functions, so the record lives in linear memory and is read
 * back through exports whose names start with "__" (internal: not wrapped).
 *
 * Every function body also records a marker (100 + n), so the record shows
 * the hooks on both sides of the call. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT(name) __attribute__((export_name(name)))

enum { LOG_CAP = 256 };
static int32_t log_buf[LOG_CAP];
/* volatile: otherwise clang -O evaluates the constructor below at compile
 * time and its record is in the data segment before _initialize runs. */
static volatile int32_t log_len;

static void record(int32_t v) {
  if (log_len < LOG_CAP) log_buf[log_len++] = v;
}

/* The task hook. A real one (wasi-libc's) sets up the task's stack pointer
 * and TLS on code 0/2/3/6/12 and tears them down on 1/4/5/7/13. */
#ifdef EXAMPLE_BAD_HOOK
/* The wrong type, [i64] -> []: wasm-taskwrap must refuse the module. */
EXPORT("__wasm_task_hook") void task_hook(int64_t code) { record((int32_t)code); }
#else
EXPORT("__wasm_task_hook") void task_hook(int32_t code) { record(code); }
#endif

EXPORT("__log_ptr") int32_t *log_ptr(void) { return log_buf; }
EXPORT("__log_len") int32_t log_count(void) { return log_len; }
EXPORT("__log_clear") void log_clear(void) { log_len = 0; }

/* Runs inside _initialize (crt1-reactor calls the constructors). */
__attribute__((constructor)) static void init(void) { record(100); }

EXPORT("cabi_realloc")
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align;
  record(101);
  return realloc(ptr, new_size);
}

/* Sync lifted with a post-return: returns a pointer to (ptr, len) of a copy
 * of its argument; cabi_post_echo frees the copy. */
static uint32_t ret_area[2];
EXPORT("example:demo/api#echo") uint32_t *echo(const char *s, size_t len) {
  record(102);
  char *copy = malloc(len ? len : 1);
  if (copy) memcpy(copy, s, len);
  ret_area[0] = (uint32_t)(uintptr_t)copy;
  ret_area[1] = copy ? (uint32_t)len : 0;
  return ret_area;
}
EXPORT("cabi_post_example:demo/api#echo") void echo_post(uint32_t *ret) {
  record(103);
  free((void *)(uintptr_t)ret[0]);
}

/* Sync lifted, no post-return. */
EXPORT("add") int32_t add(int32_t a, int32_t b) {
  record(104);
  return a + b;
}

/* Async, callback style: the result is the callback code (0 = exit,
 * non-zero = yield/wait), which the wrapper maps to hook 5 or 4. Here the
 * caller chooses it. */
EXPORT("[async-lift]fetch") int32_t fetch(int32_t code) {
  record(105);
  return code;
}
EXPORT("[callback][async-lift]fetch")
int32_t fetch_callback(int32_t event, int32_t p1, int32_t p2) {
  (void)p1;
  (void)p2;
  record(106);
  return event;
}
