/* Corpus program: the one module here that DOES export __wasm_task_hook (a
 * reactor, like a wasi-libc build for preview 3). The round trip must
 * rewrite it, and rewriting its output again must give the same bytes. */
#include <stdint.h>
#include <stdlib.h>

static int32_t events[64];
static unsigned nevents;

__attribute__((export_name("__wasm_task_hook")))
void task_hook(int32_t code) {
  if (nevents < 64) events[nevents++] = code;
}

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  (void)align;
  return realloc(ptr, new_size);
}

__attribute__((export_name("count")))
uint32_t count(void) { return nevents; }

__attribute__((export_name("event")))
int32_t event(uint32_t i) { return i < nevents ? events[i] : -1; }
