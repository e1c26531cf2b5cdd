/* The core module of a preview 3 component (world `reactor` in
 * component.wit), linked by wasm-component-ld: a task hook, sync exports
 * (one with a post-return, one taking a string through cabi_realloc),
 * callback-style async exports (one yields once, one returns at once) and,
 * from crt1-reactor, _initialize.
 *
 * The hook and every body append a code to a trace in linear memory: hooks
 * their code (0..13, docs/abi.md), bodies 100 + n, post-returns and callbacks
 * 200 + n. get-log returns the trace and clears it. The trace stays in
 * memory because the canonical ABI forbids calling an import from realloc
 * or a post-return function. */
#include <stddef.h>
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

enum { CAP = 256 };
static uint32_t trace[CAP], out[CAP];
/* volatile: clang -O would otherwise run the constructor at compile time,
 * and its code would be in the data segment before _initialize runs. */
static volatile uint32_t len;

static void rec(uint32_t v) {
  if (len < CAP) trace[len++] = v;
}

EXPORT("__wasm_task_hook") void task_hook(int32_t code) { rec((uint32_t)code); }

/* Runs inside _initialize (crt1-reactor calls the constructors). */
__attribute__((constructor)) static void init(void) { rec(100); }

/* get-log: func() -> list<u32>, returned as a pointer to (ptr, len). */
static uint32_t ret_area[2];
EXPORT("get-log") uint32_t *get_log(void) {
  const uint32_t n = len;
  for (uint32_t i = 0; i < n; i++) out[i] = trace[i];
  len = 0;
  ret_area[0] = (uint32_t)(uintptr_t)out;
  ret_area[1] = n;
  return ret_area;
}

EXPORT("sync") void sync_(void) { rec(101); }

EXPORT("add") uint32_t add(uint32_t a, uint32_t b) {
  rec(102);
  return a + b;
}

/* sync-post: func() -> u32, with a post-return. */
EXPORT("sync-post") uint32_t sync_post(void) {
  rec(105);
  return 7;
}
/* The post-return gets the core result: 205 if it is the 7 returned. */
EXPORT("cabi_post_sync-post") void sync_post_post(uint32_t r) { rec(r == 7 ? 205 : 299); }

/* A bump allocator for the string argument of count: the canonical ABI only
 * allocates afresh (old pointer 0) when it lowers arguments into the module. */
static unsigned char heap[4096];
static size_t heap_top;
EXPORT("cabi_realloc") void *cabi_realloc(void *old, size_t old_size, size_t align, size_t size) {
  (void)old_size;
  rec(110);
  if (old) __builtin_trap();
  heap_top = (heap_top + align - 1) & ~(align - 1);
  if (heap_top + size > sizeof heap) __builtin_trap();
  void *p = heap + heap_top;
  heap_top += size;
  return p;
}

/* count: func(s: string) -> u32, the length in bytes. */
EXPORT("count") uint32_t count(const char *s, size_t n) {
  (void)s;
  rec(106);
  return (uint32_t)n;
}

/* Async, callback style. The core result is the callback code: 0 exit,
 * 1 yield (the wrapper maps non-zero to hook 4, zero to 5). */
IMPORT("[export]$root", "[task-return]acb") void acb_return(void);
EXPORT("[async-lift]acb") int32_t acb(void) {
  rec(103);
  return 1;
}
EXPORT("[callback][async-lift]acb") int32_t acb_callback(int32_t event, int32_t a, int32_t b) {
  (void)event, (void)a, (void)b;
  rec(203);
  acb_return();
  return 0;
}

IMPORT("[export]$root", "[task-return]aadd") void aadd_return(uint32_t);
EXPORT("[async-lift]aadd") int32_t aadd(uint32_t a, uint32_t b) {
  rec(104);
  aadd_return(a + b);
  return 0;
}
EXPORT("[callback][async-lift]aadd") int32_t aadd_callback(int32_t event, int32_t a, int32_t b) {
  (void)event, (void)a, (void)b;
  rec(204);
  return 0;
}
