/* Random bytes through the random_get stub: not all zero, different on
   each call, exactly the requested length written. (This wasi-libc has no
   arc4random; getentropy is its random API.) */
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>
#include "check.h"

static int all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

int main(void) {
  unsigned char a[32], b[32], c[16], big[4096];
  CHECK(getentropy(a, sizeof a) == 0);
  CHECK(getentropy(b, sizeof b) == 0);
  CHECK(!all_zero(a, sizeof a) && !all_zero(b, sizeof b));
  CHECK(memcmp(a, b, sizeof a) != 0);
  CHECK(getentropy(a, 0) == 0);

  /* 5 bytes into a 16-byte buffer: the rest stays untouched. */
  memset(c, 0xAA, sizeof c);
  CHECK(__wasi_random_get(c + 1, 5) == 0);
  CHECK(c[0] == 0xAA);
  for (int i = 6; i < 16; i++) CHECK(c[i] == 0xAA);
  CHECK(memcmp(c + 1, "\xAA\xAA\xAA\xAA\xAA", 5) != 0);

  /* A big buffer looks random: most byte values occur. */
  CHECK(__wasi_random_get(big, sizeof big) == 0);
  int seen[256] = {0}, distinct = 0;
  for (size_t i = 0; i < sizeof big; i++) seen[big[i]] = 1;
  for (int i = 0; i < 256; i++) distinct += seen[i];
  CHECK(distinct > 200);
  return 0;
}
