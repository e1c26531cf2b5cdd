/* A library with lifted exports (world dl:c/app, app.wit), built as a
 * shared library with the "libc" (libc.c) beside it. Markers: greet 1000,
 * count 1001, cabi_post_greet 2000, cabi_realloc 3000 (digest: the size),
 * the constructor 4001. */
#define EXPORT __attribute__((visibility("default")))

void *malloc(unsigned long n);
void tw_log(unsigned v);
unsigned *tw_take(void);
__attribute__((import_module("$root"), import_name("shout"))) unsigned shout(const char *s, unsigned long n);

static unsigned counter;

static unsigned digest(const unsigned char *s, unsigned long n) {
  unsigned sum = 0;
  for (unsigned long i = 0; i < n; i++) sum += s[i];
  return ((unsigned)n << 16) + sum;
}

__attribute__((constructor)) static void start(void) {
  counter = 40;
  tw_log(4001);
  tw_log(0);
}

/* greet(s) -> a string of 1 + shout(s) % 4 bytes 'g' */
EXPORT unsigned *greet(const unsigned char *s, unsigned long n) {
  tw_log(1000);
  tw_log(digest(s, n));
  unsigned k = shout((const char *)s, n);
  tw_log(k);
  unsigned *r = malloc(8);
  unsigned char *out = malloc(1 + k % 4);
  for (unsigned i = 0; i < 1 + k % 4; i++) out[i] = 'g';
  r[0] = (unsigned)(unsigned long)out;
  r[1] = 1 + k % 4;
  return r;
}

EXPORT void cabi_post_greet(unsigned *r) {
  (void)r;
  tw_log(2000);
  tw_log(0);
}

EXPORT unsigned count(void) {
  tw_log(1001);
  tw_log(0);
  return ++counter;
}

EXPORT unsigned *trace(void) { return tw_take(); }

EXPORT void *cabi_realloc(void *old, unsigned long old_size, unsigned long align, unsigned long size) {
  (void)old_size;
  (void)align;
  if (old) __builtin_trap();
  tw_log(3000);
  tw_log((unsigned)size);
  return malloc(size);
}
