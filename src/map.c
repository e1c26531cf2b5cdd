/* The hash table of map.h. */
#include <stdlib.h>

#include "map.h"

uint64_t tw_hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

uint64_t tw_hash_mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  return x;
}

bool tw_map_init(tw_map *mp, size_t n) {
  size_t cap = 16;
  while (cap < n * 2 + 2) cap *= 2;
  mp->keys = calloc(cap, sizeof *mp->keys);
  mp->vals = calloc(cap, sizeof *mp->vals);
  mp->mask = cap - 1;
  return mp->keys && mp->vals;
}

void tw_map_free(tw_map *mp) {
  free(mp->keys);
  free(mp->vals);
  mp->keys = NULL;
  mp->vals = NULL;
}

size_t tw_map_slot(const tw_map *mp, uint64_t hash, uint64_t key,
                   bool (*eq)(const void *, uint64_t, uint64_t), const void *ctx, bool *found) {
  size_t i = (size_t)tw_hash_mix(hash) & mp->mask;
  for (;;) {
    if (mp->keys[i] == 0) {
      *found = false;
      return i;
    }
    if (eq(ctx, mp->keys[i] - 1, key)) {
      *found = true;
      return i;
    }
    i = (i + 1) & mp->mask;
  }
}

bool tw_map_key_eq(const void *ctx, uint64_t stored, uint64_t key) {
  (void)ctx;
  return stored == key;
}
