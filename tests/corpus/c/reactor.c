/* Corpus program: a reactor (-mexec-model=reactor) whose exports look like a
 * component's core module (a sync export, its cabi_post_, cabi_realloc), but
 * with no hook export, so the rewrite must leave it byte-identical. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *last;

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align;
  return realloc(ptr, new_size);
}

/* Returns a pointer to (ptr, len) describing "hello, <name>". */
__attribute__((export_name("greet")))
uint32_t *greet(const char *name, size_t len) {
  static uint32_t ret[2];
  last = malloc(len + 8);
  memcpy(last, "hello, ", 7);
  memcpy(last + 7, name, len);
  ret[0] = (uint32_t)(uintptr_t)last;
  ret[1] = (uint32_t)(len + 7);
  return ret;
}

__attribute__((export_name("cabi_post_greet")))
void greet_post(uint32_t *ret) {
  (void)ret;
  free(last);
  last = NULL;
}

__attribute__((export_name("add")))
int64_t add(int64_t a, int64_t b) { return a + b; }
