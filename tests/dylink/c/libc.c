/* The "libc" of the C shared-library test (c.mjs): it defines the task
 * hook, which logs its code, and the log and malloc the other library
 * uses. Freestanding: Debian's wasi-libc has no PIC build to link into a
 * shared library. Log words as in gen.mjs: hook codes below 100, markers
 * followed by one digest word. */
#define EXPORT __attribute__((visibility("default")))

static unsigned log_words[4096];
/* volatile: clang -O2 would run the constructor at compile time into the
 * initial data, and the log would not show when it runs */
static volatile unsigned log_n;
static unsigned char arena[1 << 16];
static unsigned long arena_top;

EXPORT void *malloc(unsigned long n) {
  unsigned long p = (arena_top + 7) & ~7ul;
  if (p + n > sizeof arena) __builtin_trap();
  arena_top = p + n;
  return arena + p;
}

EXPORT void tw_log(unsigned v) {
  if (log_n >= sizeof log_words / sizeof log_words[0]) __builtin_trap();
  log_words[log_n++] = v;
}

/* The log as a list<u32> result area (ptr, len), cleared. */
EXPORT unsigned *tw_take(void) {
  unsigned *r = malloc(8 + 4 * log_n);
  unsigned *words = r + 2;
  for (unsigned i = 0; i < log_n; i++) words[i] = log_words[i];
  r[0] = (unsigned)(unsigned long)words;
  r[1] = log_n;
  log_n = 0;
  return r;
}

EXPORT void __wasm_task_hook(unsigned code) { tw_log(code); }

__attribute__((constructor)) static void start(void) {
  tw_log(4000);
  tw_log(0);
}
