/* Corpus program: compiled with -g -O2 -c and linked without -O, so that
 * wasm-opt does not run and the DWARF and name sections survive. CRC-32 and
 * a prime sieve. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint32_t crc_table[256];

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xffffffffu;
  while (n--) c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}

static unsigned count_primes(unsigned limit) {
  uint8_t *composite = calloc(limit + 1, 1);
  unsigned count = 0;
  for (unsigned i = 2; i <= limit; i++) {
    if (composite[i]) continue;
    count++;
    for (unsigned long j = (unsigned long)i * i; j <= limit; j += i) composite[j] = 1;
  }
  free(composite);
  return count;
}

int main(int argc, char **argv) {
  crc_init();
  const char *s = argc > 1 ? argv[1] : "123456789";
  size_t n = 0;
  while (s[n]) n++;
  printf("crc32(%s) = %08x\n", s, (unsigned)crc32((const uint8_t *)s, n));
  printf("%u primes below 100000\n", count_primes(100000));
  return 0;
}
