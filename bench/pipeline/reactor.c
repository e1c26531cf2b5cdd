/* The reactor of the pipeline benchmark (run.sh): a task hook, three
 * exports lifted by reactor.wit (one takes a string through cabi_realloc),
 * wasi-libc's malloc, and _initialize from crt1-reactor. It imports
 * nothing, so `wasm-tools component new` needs no WASI adapter. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define EXPORT(name) __attribute__((export_name(name)))

static volatile int32_t hook_sum;

EXPORT("__wasm_task_hook") void task_hook(int32_t code) { hook_sum += code; }

EXPORT("add") uint32_t add(uint32_t a, uint32_t b) { return a + b; }

EXPORT("checksum") uint32_t checksum(uint32_t n) {
  uint8_t *p = malloc(n ? n : 1);
  if (!p) return 0;
  for (uint32_t i = 0; i < n; i++) p[i] = (uint8_t)(i * 31u);
  uint32_t s = 0;
  for (uint32_t i = 0; i < n; i++) s = s * 33u + p[i];
  free(p);
  return s;
}

EXPORT("cabi_realloc") void *cabi_realloc(void *old, size_t old_size, size_t align, size_t size) {
  (void)old_size, (void)align;
  return realloc(old, size);
}

EXPORT("count") uint32_t count(const char *s, size_t n) {
  uint32_t k = 0;
  for (size_t i = 0; i < n; i++) k += s[i] == 'a';
  return k;
}
